"""The SQLite store: one file in WAL mode, the default for development, tests and small deployments."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

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
            # Reads wait through SQLite's busy handler; the write lock is polled by _begin_write.
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            return conn

        self._lock_timeout = busy_timeout_ms / 1000
        self._busy_ms = int(busy_timeout_ms)
        super().__init__(connect, SQLITE, threads=1)

    def _begin_write(self, conn: Any) -> None:
        # SQLite's own busy handler sleeps up to 100 ms between tries, so a writer in one process can
        # wait far longer than another holds the lock; poll the write lock in short steps instead.
        deadline = time.monotonic() + self._lock_timeout
        pause = 0.0001
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
