"""Connections, transactions and group commit: the plumbing under every SQL call of the store.

Database calls are blocking, so they run on a small thread pool whose threads each own one connection.
This module is the one group-commit layer: the writes queued while a transaction is under way are
committed together in the next one, and each caller hears back right after the commit that holds its
write. Every write is queued so on SQLite (one writer at a time anyway, ``Dialect.group_commit``);
on every dialect, writes made with :meth:`Database.queue_merged` (trigger inserts) are, and those
queued side by side are merged into one call with multi-row statements.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from novu_framework.runtime.store.queries import render

T = TypeVar("T")


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def cursor(self) -> Any: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Dialect:
    """How one database spells the few things that differ (see :func:`queries.render`)."""

    name: str
    placeholder: str
    begin_write: str
    for_update: str
    skip_locked: str
    migration_lock: str | None
    integrity_errors: tuple[type[BaseException], ...]
    group_commit: bool = False
    max_params: int = 999  # values one statement may bind


_Outcome = tuple[asyncio.Future[Any], Any, BaseException | None]


Merge = Callable[[list[Any]], list[Any]]
"""A write of many items at once: given the items, returns one value per item, in order."""


@dataclass(slots=True)
class _Queued:
    """A write waiting for the group-commit thread: ``fn`` on its own, or ``item`` through ``merge``."""

    fn: Callable[[], Any] | None
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    weight: int
    merge: Merge | None = None
    item: Any = None


def _settle(outcomes: list[_Outcome]) -> None:
    for future, value, exc in outcomes:
        if future.cancelled():
            continue
        if exc is None:
            future.set_result(value)
        else:
            future.set_exception(exc)


def _settle_soon(loop: asyncio.AbstractEventLoop, outcomes: list[_Outcome]) -> None:
    """Settle futures of ``loop`` from another thread, with one wake-up of that loop for all of them."""
    with contextlib.suppress(RuntimeError):  # the loop was closed meanwhile: nobody waits any more
        loop.call_soon_threadsafe(_settle, outcomes)


class Database:
    """A DB-API database described by a :class:`Dialect`, called from asyncio.

    On the database thread: :meth:`execute` (and :meth:`insert_rows`, :meth:`each_in`) inside
    :meth:`read` or :meth:`write`. From the event loop: :meth:`call` (any function, on the database
    thread) and :meth:`transact` (a write transaction, group-committed).
    """

    def __init__(self, connect: Callable[[], Connection], dialect: Dialect, threads: int = 1) -> None:
        self._connect = connect
        self.dialect = dialect
        self._local = threading.local()
        self._connections: list[Connection] = []
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"novu-{dialect.name}")
        self._sql_cache: dict[str, str] = {}
        self._closed = False
        self.group_limit = 32
        self.merge_limit = 256
        self._pending: collections.deque[_Queued] = collections.deque()
        self._drain_lock = threading.Lock()
        self._draining = False

    # --- statements (database thread) ------------------------------------------------------------

    def _conn(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (written with ``?`` placeholders) on this thread's connection; its cursor."""
        text = self._sql_cache.get(sql)
        if text is None:
            text = render(sql, self.dialect)
            if len(sql) <= 1024:  # not the multi-row inserts: one text per row count would pile up
                self._sql_cache[sql] = text
        return self._conn().execute(text, tuple(params))

    def insert_rows(
        self, head: str, rows: Sequence[Sequence[Any]], per_statement: int | None = None, tail: str = ""
    ) -> None:
        """``INSERT ... VALUES`` (``head``, then ``tail`` such as ``ON CONFLICT ...``) with many rows per
        statement (as many as the dialect binds, or ``per_statement``): one database call instead of
        one a row, and each call hands the interpreter lock over and back."""
        if not rows:
            return
        width = len(rows[0])
        most = max(1, min(per_statement or len(rows), self.dialect.max_params // width))
        one = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), most):
            chunk = rows[start : start + most]
            values = [value for row in chunk for value in row]
            self.execute(f"{head} VALUES {', '.join([one] * len(chunk))}{tail}", values)

    def each_in(
        self, head: str, params: Sequence[Any], values: Sequence[Any], tail: str = "", size: int = 500
    ) -> Iterator[Any]:
        """Run ``{head} IN (...){tail}`` for ``values`` a few hundred at a time (``params`` bound before
        them); the cursor of each statement."""
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            yield self.execute(f"{head} IN ({', '.join('?' * len(chunk))}){tail}", (*params, *chunk))

    # --- hooks of a dialect ----------------------------------------------------------------------

    def _store_error(self, exc: BaseException) -> BaseException:
        """The error a caller sees for ``exc`` raised by the database (overridden to explain the
        database's own failures: a corrupt file, a full disk)."""
        return exc

    def _committed(self) -> None:
        """Called on the database thread after each commit (overridden to schedule maintenance)."""

    def _inbox_written(self, ids: Sequence[str]) -> None:
        """Called inside the transaction that inserts in-app messages ``ids`` (overridden to notify)."""

    def _begin_write(self, conn: Connection) -> None:
        """Open a write transaction (overridden where waiting for the write lock needs care)."""
        conn.execute(self.dialect.begin_write)

    # --- transactions (database thread) ----------------------------------------------------------

    def write(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in one write transaction on this thread's connection."""
        conn = self._conn()
        self._begin_write(conn)
        try:
            result = fn()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self._committed()
        return result

    def read(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in one read transaction (a consistent snapshot) on this thread's connection."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            return fn()
        finally:
            conn.execute("ROLLBACK")

    # --- from the event loop ---------------------------------------------------------------------

    async def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a database thread."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def run() -> None:
            try:
                outcome: tuple[Any, BaseException | None] = (fn(), None)
            except BaseException as exc:
                outcome = (None, self._store_error(exc))
            _settle_soon(loop, [(future, outcome[0], outcome[1])])

        self._executor.submit(run)
        return await future

    async def transact(self, fn: Callable[[], T], weight: int = 1) -> T:
        """Run ``fn`` in a write transaction; with group commit, together with the writes queued meanwhile.
        Returns once that transaction has committed.

        ``weight`` says how much of a batch the write fills (``group_limit`` in all): a large write
        goes in a transaction of its own, so that its callers hear back before the next one is done.
        """
        if not self.dialect.group_commit:
            return await self.call(lambda: self.write(fn))
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue(_Queued(fn, future, loop, weight))
        return await future

    def queue_merged(self, merge: Merge, item: Any) -> asyncio.Future[Any]:
        """Queue ``item`` to be written through ``merge`` in a group-committed transaction, on every
        dialect: the items queued beside it for the same ``merge`` (``merge_limit`` at most) go in one
        call. The future holds ``merge``'s value for ``item`` once that transaction has committed.

        A plain function, not a coroutine: a burst of thousands of callers each keep one object
        fewer alive while they wait (and the collector has that much less to walk)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue(_Queued(None, future, loop, 1, merge, item))
        return future

    def _queue(self, queued: _Queued) -> None:
        self._pending.append(queued)
        with self._drain_lock:
            start, self._draining = not self._draining, True
        if start:
            # From the loop, after the callbacks already scheduled: a burst of callers all queue
            # their writes before the database thread starts, which would otherwise take the
            # interpreter lock from them between every statement it runs.
            try:
                queued.loop.call_soon(self._submit_drain)
            except RuntimeError:  # a closed loop
                self._submit_drain()

    def _submit_drain(self) -> None:
        try:
            self._executor.submit(self._drain)
        except RuntimeError:  # the store is closing: no new jobs, so finish here
            self._drain()

    def _next_batch(self) -> list[_Queued]:
        # Bounded, so that the write lock is never held long (other processes wait for it).
        batch: list[_Queued] = []
        filled = merged = 0
        pending = self._pending
        while pending:
            head = pending[0]  # only this thread takes items: the one peeked at is still first
            if head.merge is None:
                if batch and filled + head.weight > self.group_limit:
                    break
                filled += head.weight
            elif merged == self.merge_limit:
                break
            else:
                merged += 1
            batch.append(pending.popleft())
        return batch

    def _drain(self) -> None:
        """Commit a bounded batch of the queued writes in one transaction; its callers hear back (one
        wake-up per event loop) right after the commit. While writes are left, the next batch is queued
        behind the reads submitted meanwhile, so that a stream of writes does not hold reads back.

        If one write fails (a lost lease, say), the transaction is rolled back and every write of the
        batch is run again in a transaction of its own, so that only the failing one fails.
        """
        batch = self._next_batch()
        if batch:
            outcomes = self._commit_batch(batch)
            by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
            for item, (value, exc) in zip(batch, outcomes, strict=True):
                failure = None if exc is None else self._store_error(exc)
                by_loop.setdefault(item.loop, []).append((item.future, value, failure))
            for loop, settled in by_loop.items():
                _settle_soon(loop, settled)
        with self._drain_lock:
            if not self._pending:
                self._draining = False
                return
        self._submit_drain()

    @staticmethod
    def _run_batch(batch: list[_Queued]) -> list[Any]:
        """Each write of ``batch`` in order, side-by-side items of one ``merge`` in one call."""
        values: list[Any] = []
        start = 0
        while start < len(batch):
            head = batch[start]
            if head.merge is None:
                assert head.fn is not None
                values.append(head.fn())
                start += 1
                continue
            end = start + 1
            while end < len(batch) and batch[end].merge == head.merge:
                end += 1
            items = [queued.item for queued in batch[start:end]]
            merged = head.merge(items)
            if len(merged) != len(items):
                raise RuntimeError(f"{head.merge!r} gave {len(merged)} values for {len(items)} items")
            values.extend(merged)
            start = end
        return values

    @classmethod
    def _run_one(cls, queued: _Queued) -> Any:
        return cls._run_batch([queued])[0]

    def _commit_batch(self, batch: list[_Queued]) -> list[tuple[Any, BaseException | None]]:
        conn = self._conn()
        try:
            self._begin_write(conn)
            try:
                values = self._run_batch(batch)
            except Exception:
                conn.execute("ROLLBACK")
            else:
                conn.execute("COMMIT")
                self._committed()
                return [(value, None) for value in values]
        except BaseException as exc:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            return [(None, exc)] * len(batch)
        outcomes: list[tuple[Any, BaseException | None]] = []
        for item in batch:
            try:
                outcomes.append((self.write(functools.partial(self._run_one, item)), None))
            except BaseException as exc:
                outcomes.append((None, exc))
        return outcomes

    async def close(self) -> None:
        def close_all() -> None:
            with self._lock:
                for conn in self._connections:
                    conn.close()
                self._connections.clear()

        if self._closed:
            return
        self._closed = True
        await self.call(lambda: None)
        self._executor.shutdown(wait=True)
        close_all()
