"""The SQLite store: one file in WAL mode, the default for development, tests and small deployments."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from novu_framework.runtime.errors import StoreError
from novu_framework.runtime.store.connection import Dialect
from novu_framework.runtime.store.sql import SqlStore

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
    max_params=32766 if sqlite3.sqlite_version_info >= (3, 32) else 999,
)


class SqliteStore(SqlStore):
    """The store in one SQLite file (created with its folder if missing), or ``":memory:"``.

    All calls of one store share one connection on one thread: SQLite has one writer at a time anyway,
    and other processes on the same file wait for it up to ``busy_timeout_ms``. Writes queued while a
    transaction is under way are committed together in the next one (group commit).

    While commits are being made, a thread of its own copies the write-ahead log into the database every
    ``checkpoint_interval`` seconds (a passive checkpoint, which blocks no writer), so that commits
    do not have to: the commit that reaches SQLite's own threshold copies what is left of the log.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout_ms: int = 10_000,
        checkpoint_interval: float = 0.05,
    ) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")  # while setting up
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Reaching this, a commit checkpoints what the checkpoint thread has not copied yet (little).
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 0")  # from now on waits are polled by _retry_locked
            return conn

        self._lock_timeout = busy_timeout_ms / 1000
        self._checkpointer = (
            _Checkpointer(self.path, checkpoint_interval) if self.path != ":memory:" else None
        )
        super().__init__(connect, SQLITE, threads=1)

    def _store_error(self, exc: BaseException) -> BaseException:
        if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
            return exc
        error = StoreError(explain_sqlite_error(self.path, exc))
        error.__cause__ = exc
        return error

    def _committed(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.request()

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
        await super().close()

    def _begin_write(self, conn: Any) -> None:
        # The connection's busy timeout is 0: SQLite's own busy handler sleeps up to 100 ms between
        # tries, so a writer could wait far longer than another process holds the lock. Poll instead.
        self._retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))

    def read(self, fn: Callable[[], T]) -> T:
        return self._retry_locked(lambda: SqlStore.read(self, fn))

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


class _Checkpointer:
    """A thread with its own connection that runs a passive checkpoint when asked, at most once per
    ``interval`` seconds (started on first use)."""

    def __init__(self, path: str, interval: float) -> None:
        self.path = path
        self.interval = interval
        self._wanted = threading.Event()
        self._pause = threading.Event()  # set only to cut the pause short when stopping
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def request(self) -> None:
        if self._wanted.is_set():  # cheap: called after every commit
            return
        with self._lock:
            if self._stopping:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="novu-sqlite-checkpoint", daemon=True)
                self._thread.start()
        self._wanted.set()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            thread = self._thread
        self._pause.set()
        self._wanted.set()
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._stopping:
                    return
                # Never waits for readers or writers; busy (another process checkpointing) is fine.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self._pause.wait(self.interval)
        finally:
            conn.close()


_FIXES = (
    (
        ("not a database", "malformed", "file is encrypted", "corrupt"),
        "is corrupt or not a SQLite database",
        "Move it aside (its runs are lost unless you restore it from a backup); a new one is created on "
        "next start",
    ),
    (
        ("readonly", "read-only"),
        "is read-only",
        "Make the file, its folder and its -wal/-shm files writable by this process, or pass another "
        "path (Runtime(store=...), --db or NOVU_RUNTIME_DB)",
    ),
    (
        ("disk is full", "disk i/o error"),
        "cannot be written: the disk holding it is full or failing",
        "Free space on that disk, or pass a path on another one (Runtime(store=...), --db or NOVU_RUNTIME_DB)",
    ),
    (
        ("locked", "busy"),
        "stayed locked by another connection past busy_timeout_ms",
        "Stop the other process writing it, or raise SqliteStore(busy_timeout_ms=...)",
    ),
    (
        ("unable to open",),
        "cannot be opened",
        "Check that its folder exists and is writable, or pass another path",
    ),
)


def explain_sqlite_error(path: str, exc: BaseException) -> str:
    """One sentence naming the database file, what is wrong with it and the likely fix."""
    reason = str(exc)
    lowered = reason.lower()
    for needles, what, fix in _FIXES:
        if any(needle in lowered for needle in needles):
            return f"The runtime database {path} {what} (SQLite: {reason}). {fix}."
    return f"The runtime database {path} failed (SQLite: {reason})."
