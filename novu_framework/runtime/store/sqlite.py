"""The SQLite store: one file in WAL mode, the default for development, tests and small deployments."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from novu_framework.runtime.store.sql import Dialect, SqlStore

SQLITE = Dialect(
    name="sqlite",
    placeholder="?",
    begin_write="BEGIN IMMEDIATE",
    for_update="",
    skip_locked="",
    migration_lock=None,
    integrity_errors=(sqlite3.IntegrityError,),
    group_commit=True,
)


class SqliteStore(SqlStore):
    """The store in one SQLite file (created with its folder if missing), or ``":memory:"``.

    All calls of one store share one connection on one thread: SQLite has one writer at a time anyway,
    and other processes on the same file wait for it up to ``busy_timeout_ms``. Writes queued while a
    transaction is under way are committed together in the next one (group commit).
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout_ms: int = 10_000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            return conn

        super().__init__(connect, SQLITE, threads=1)

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"
