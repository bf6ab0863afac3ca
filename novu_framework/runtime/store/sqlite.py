"""The SQLite store: one file in WAL mode, the default for development, tests and small deployments."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from novu_framework.runtime.store.sql import Dialect, SqlStore

T = TypeVar("T")

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
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")  # while setting up
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA wal_autocheckpoint = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 0")  # from now on waits are polled by _retry_locked
            return conn

        self._lock_timeout = busy_timeout_ms / 1000
        super().__init__(connect, SQLITE, threads=1)

    def _begin_write(self, conn: Any) -> None:
        # The connection's busy timeout is 0: SQLite's own busy handler sleeps up to 100 ms between
        # tries, so a writer could wait far longer than another process holds the lock. Poll instead.
        self._retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))

    def _read(self, fn: Callable[[], T]) -> T:
        return self._retry_locked(lambda: SqlStore._read(self, fn))

    def _retry_locked(self, fn: Callable[[], T]) -> T:
        deadline = time.monotonic() + self._lock_timeout
        pause = 0.0001
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.002)
