"""One SQL implementation of the store, shared by SQLite and PostgreSQL.

The SQL is written once with ``?`` placeholders; a :class:`Dialect` says how the two databases
differ (placeholder, row locks, how to open a write transaction). Database calls are blocking, so
they run on a small thread pool whose threads each own one connection.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any, Protocol, TypeVar

from novu_framework.jsonutil import loads
from novu_framework.runtime.errors import LeaseLostError, MigrationError
from novu_framework.runtime.records import (
    AttemptRecord,
    DeliveryRecord,
    InboxMessage,
    RunRecord,
    RunStatus,
    StepRecord,
)
from novu_framework.runtime.store.base import (
    Commit,
    DeliveryState,
    DigestEntry,
    DigestEvent,
    DigestOutcome,
    InboxState,
    NewTrigger,
    RunQuery,
    RunState,
    StepWrite,
    ThrottleEntry,
    ThrottleOutcome,
)
from novu_framework.runtime.store.inbox import InboxQueries
from novu_framework.runtime.store.schema import MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def cursor(self) -> Any: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Dialect:
    """How one database spells the few things that differ."""

    name: str
    placeholder: str
    begin_write: str
    for_update: str
    skip_locked: str
    migration_lock: str | None
    integrity_errors: tuple[type[BaseException], ...]
    group_commit: bool = False


_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def _not_json(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# ``JSONEncoder.encode`` builds a new C encoder on every call, which costs more than encoding a small
# document; this one is built once. Without a circular-reference check: a cycle ends in RecursionError.
_C_ENCODER = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, _not_json, encode_basestring_ascii, None, ":", ",", False, False, False)
)


def to_json(value: Any) -> str:
    """Compact JSON as stored (non-ASCII escaped, so any string, even a lone surrogate, can be stored)."""
    if _C_ENCODER is None:  # pragma: no cover - Python without the _json accelerator
        return _ENCODER.encode(value)
    return "".join(_C_ENCODER(value, 0))


def _json(value: Any) -> str:
    if not value and isinstance(value, dict):
        return "{}"
    return to_json(value)


def _json_or_none(value: Any) -> str | None:
    return None if value is None else _json(value)


def _parse(text: str | None) -> Any:
    return None if text is None else loads(text)


_RUN_COLUMNS = (
    "r.id, r.transaction_id, r.workflow_id, r.subscriber_id, r.subscriber, t.payload, r.status, r.error, "
    "r.created_at, r.updated_at, r.finished_at, r.next_at, r.merged_into, r.failures"
)
_STEP_COLUMNS = (
    "step_id, step_type, position, status, outputs, result, providers, error, attempts, started_at, "
    "finished_at, duration_ms, wait_until, worker"
)
_INBOX_COLUMNS = (
    "id, subscriber_id, workflow_id, transaction_id, run_id, step_id, content, seen, read, seen_at, read_at, "
    "created_at"
)
_TERMINAL = tuple(
    s.value
    for s in (
        RunStatus.COMPLETED,
        RunStatus.FAILED,
        RunStatus.CANCELED,
        RunStatus.MERGED,
        RunStatus.THROTTLED,
    )
)


def _run(row: Sequence[Any]) -> RunRecord:
    return RunRecord(
        id=row[0],
        transaction_id=row[1],
        workflow_id=row[2],
        subscriber_id=row[3],
        subscriber=_parse(row[4]),
        payload=_parse(row[5]),
        status=row[6],
        error=row[7],
        created_at=row[8],
        updated_at=row[9],
        finished_at=row[10],
        next_at=row[11],
        merged_into=row[12],
        failures=int(row[13]),
    )


def _step(row: Sequence[Any]) -> StepRecord:
    return StepRecord(
        step_id=row[0],
        step_type=row[1],
        position=row[2],
        status=row[3],
        outputs=_parse(row[4]),
        result=_parse(row[5]),
        providers=_parse(row[6]),
        error=row[7],
        attempts=row[8],
        started_at=row[9],
        finished_at=row[10],
        duration_ms=float(row[11]),
        wait_until=row[12],
        worker=row[13],
    )


def _inbox(row: Sequence[Any]) -> InboxMessage:
    return InboxMessage(
        id=row[0],
        subscriber_id=row[1],
        workflow_id=row[2],
        transaction_id=row[3],
        run_id=row[4],
        step_id=row[5],
        content=_parse(row[6]),
        seen=bool(row[7]),
        read=bool(row[8]),
        seen_at=row[9],
        read_at=row[10],
        created_at=row[11],
    )


_Outcome = tuple[asyncio.Future[Any], Any, BaseException | None]


@dataclass(slots=True)
class _Queued:
    """A write waiting for the group-commit thread."""

    fn: Callable[[], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    weight: int


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


class SqlStore(InboxQueries):
    """The store on any DB-API database described by a :class:`Dialect`."""

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
        self._pending: collections.deque[_Queued] = collections.deque()
        self._drain_lock = threading.Lock()
        self._draining = False

    # --- plumbing --------------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        cached = self._sql_cache.get(sql)
        if cached is None:
            cached = sql.replace("?", self.dialect.placeholder) if self.dialect.placeholder != "?" else sql
            self._sql_cache[sql] = cached
        return cached

    def _conn(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn().execute(self._sql(sql), tuple(params))

    def _insert_rows(
        self, head: str, rows: Sequence[Sequence[Any]], per_statement: int = 100, tail: str = ""
    ) -> None:
        """``INSERT ... VALUES`` (``head``, then ``tail`` such as ``ON CONFLICT ...``) with several rows
        per statement: one database call for a hundred rows instead of one each (each call hands the
        interpreter lock over and back)."""
        if not rows:
            return
        width = len(rows[0])
        one = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = [value for row in chunk for value in row]
            self._x(f"{head} VALUES {', '.join([one] * len(chunk))}{tail}", values)

    def _each_in(
        self, head: str, params: Sequence[Any], values: Sequence[Any], tail: str = "", size: int = 500
    ) -> Iterator[Any]:
        """Run ``{head} IN (...){tail}`` for ``values`` a few hundred at a time (``params`` bound before
        them); the cursor of each statement."""
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            yield self._x(f"{head} IN ({', '.join('?' * len(chunk))}){tail}", (*params, *chunk))

    def _store_error(self, exc: BaseException) -> BaseException:
        """The error a caller sees for ``exc`` raised by the database (overridden to explain the
        database's own failures: a corrupt file, a full disk)."""
        return exc

    def _committed(self) -> None:
        """Called on the database thread after each commit (overridden to schedule maintenance)."""

    def _begin_write(self, conn: Connection) -> None:
        """Open a write transaction (overridden where waiting for the write lock needs care)."""
        conn.execute(self.dialect.begin_write)

    def _write(self, fn: Callable[[], T]) -> T:
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

    def _read(self, fn: Callable[[], T]) -> T:
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            return fn()
        finally:
            conn.execute("ROLLBACK")

    async def _call(self, fn: Callable[[], T]) -> T:
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

    async def _transact(self, fn: Callable[[], T], weight: int = 1) -> T:
        """Run ``fn`` in a write transaction; with group commit, together with the writes queued meanwhile.

        ``weight`` says how much of a batch the write fills (``group_limit`` in all): a large write
        goes in a transaction of its own, so that its callers hear back before the next one is done.
        """
        if not self.dialect.group_commit:
            return await self._call(lambda: self._write(fn))
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._pending.append(_Queued(fn, future, loop, weight))
        with self._drain_lock:
            start, self._draining = not self._draining, True
        if start:
            self._executor.submit(self._drain)
        return await future

    def _next_batch(self) -> list[_Queued]:
        # Bounded, so that the write lock is never held long (other processes wait for it).
        batch: list[_Queued] = []
        filled = 0
        pending = self._pending
        while pending and (not batch or filled + pending[0].weight <= self.group_limit):
            item = pending.popleft()  # only this thread takes items: the one peeked at is still first
            batch.append(item)
            filled += item.weight
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
        try:
            self._executor.submit(self._drain)
        except RuntimeError:  # the store is closing: no new jobs, so finish here
            self._drain()

    def _commit_batch(self, batch: list[_Queued]) -> list[tuple[Any, BaseException | None]]:
        conn = self._conn()
        try:
            self._begin_write(conn)
            try:
                values = [item.fn() for item in batch]
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
                outcomes.append((self._write(item.fn), None))
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
        await self._call(lambda: None)
        self._executor.shutdown(wait=True)
        close_all()

    # --- schema ----------------------------------------------------------------------------------

    def migrate_sync(self) -> None:
        """Create or upgrade the schema (safe to run from several processes at once)."""

        def run() -> None:
            if self.dialect.migration_lock:
                self._x(self.dialect.migration_lock)
            self._x("CREATE TABLE IF NOT EXISTS novu_schema (version INTEGER NOT NULL)")
            row = self._x("SELECT version FROM novu_schema").fetchone()
            version = 0 if row is None else int(row[0])
            if version > SCHEMA_VERSION:
                raise MigrationError(
                    f"The runtime database has schema version {version}, newer than this package's "
                    f"{SCHEMA_VERSION}. Upgrade novu-framework."
                )
            for statements in MIGRATIONS[version:]:
                for statement in statements:
                    self._x(statement)
            if row is None:
                self._x("INSERT INTO novu_schema (version) VALUES (?)", (SCHEMA_VERSION,))
            elif version != SCHEMA_VERSION:
                self._x("UPDATE novu_schema SET version = ?", (SCHEMA_VERSION,))

        self._write(run)

    async def migrate(self) -> None:
        await self._call(self.migrate_sync)

    # --- triggers and claims ---------------------------------------------------------------------

    async def insert_triggers(self, triggers: Sequence[NewTrigger]) -> list[bool]:
        def run() -> list[bool]:
            # Transaction ids given by the caller that are already stored, or repeated within the batch,
            # are refused (generated ones are new UUIDs); the rest go in with multi-row statements.
            ids = [t.transaction_id for t in triggers if not t.generated_id]
            taken: set[str] = set()
            for cursor in self._each_in(
                "SELECT transaction_id FROM novu_triggers WHERE transaction_id", (), ids
            ):
                taken.update(row[0] for row in cursor.fetchall())
            accepted: list[bool] = []
            fresh: list[NewTrigger] = []
            for trig in triggers:
                ok = trig.generated_id or trig.transaction_id not in taken
                accepted.append(ok)
                if ok:
                    taken.add(trig.transaction_id)
                    fresh.append(trig)
            self._insert_rows(
                "INSERT INTO novu_triggers (transaction_id, workflow_id, payload, recipients, actor, "
                "overrides, context, created_at)",
                [
                    (
                        t.transaction_id,
                        t.workflow_id,
                        t.payload_json if t.payload_json is not None else _json(t.payload),
                        _json(t.recipients),
                        _json_or_none(t.actor),
                        _json(t.overrides),
                        _json_or_none(t.context),
                        t.created_at,
                    )
                    for t in fresh
                ],
            )
            pending = RunStatus.PENDING.value
            self._insert_rows(
                "INSERT INTO novu_runs (id, transaction_id, workflow_id, subscriber_id, subscriber, status, "
                "created_at, updated_at, next_at)",
                [
                    (
                        r.id,
                        t.transaction_id,
                        t.workflow_id,
                        r.subscriber_id,
                        _json(r.subscriber),
                        pending,
                        t.created_at,
                        t.created_at,
                        t.created_at,
                    )
                    for t in fresh
                    for r in t.runs
                ],
            )
            return accepted

        return await self._transact(run, weight=len(triggers))

    def _claim(self, owner: str, now: int, lease_ms: int, limit: int) -> list[str]:
        # A held run's next_at is its lease expiry, so "due" also covers runs whose worker died.
        sql = (
            "UPDATE novu_runs SET status = ?, lease_owner = ?, lease_until = ?, next_at = ?, updated_at = ?, "
            "claims = claims + 1 WHERE id IN (SELECT id FROM novu_runs WHERE next_at IS NOT NULL AND "
            "next_at <= ? "
            f"ORDER BY next_at LIMIT ?{self.dialect.skip_locked}) RETURNING id"
        )
        until = now + lease_ms
        rows = self._x(sql, (RunStatus.RUNNING.value, owner, until, until, now, now, limit)).fetchall()
        return [row[0] for row in rows]

    async def claim(self, owner: str, now: int, lease_ms: int, limit: int) -> list[str]:
        return await self._transact(lambda: self._claim(owner, now, lease_ms, limit))

    async def claim_runs(self, owner: str, now: int, lease_ms: int, limit: int) -> list[RunState]:
        return await self._transact(lambda: self._load_many(self._claim(owner, now, lease_ms, limit)))

    async def next_due(self) -> int | None:
        def run() -> int | None:
            row = self._x("SELECT MIN(next_at) FROM novu_runs WHERE next_at IS NOT NULL").fetchone()
            return None if row is None or row[0] is None else int(row[0])

        return await self._call(run)

    # --- loading runs ----------------------------------------------------------------------------

    def _load_many(self, run_ids: Sequence[str]) -> list[RunState]:
        """The runs with these ids (those that exist, in that order), each with its trigger and steps."""
        found: list[RunState] = []
        for start in range(0, len(run_ids), 256):
            ids = tuple(run_ids[start : start + 256])
            marks = ", ".join("?" * len(ids))
            steps: dict[str, list[StepRecord]] = {}
            for s in self._x(
                f"SELECT run_id, {_STEP_COLUMNS} FROM novu_steps WHERE run_id IN ({marks}) "
                "ORDER BY run_id, position",
                ids,
            ).fetchall():
                steps.setdefault(s[0], []).append(_step(s[1:]))
            inbox: dict[str, dict[str, InboxState]] = {}
            for r in self._x(
                f"SELECT run_id, step_id, seen, read, seen_at, read_at FROM novu_inbox WHERE run_id IN ({marks})",
                ids,
            ).fetchall():
                inbox.setdefault(r[0], {})[r[1]] = InboxState(bool(r[2]), bool(r[3]), r[4], r[5])
            deliveries: dict[str, dict[str, DeliveryState]] = {}
            for r in self._x(
                "SELECT d.run_id, d.step_id, d.status, (SELECT COUNT(*) FROM novu_delivery_attempts a "
                f"WHERE a.delivery_id = d.id) FROM novu_deliveries d WHERE d.run_id IN ({marks})",
                ids,
            ).fetchall():
                deliveries.setdefault(r[0], {})[r[1]] = DeliveryState(r[2], int(r[3]))
            rows = {
                row[0]: row
                for row in self._x(
                    f"SELECT {_RUN_COLUMNS}, t.actor, t.overrides, t.context FROM novu_runs r "
                    f"JOIN novu_triggers t ON t.transaction_id = r.transaction_id WHERE r.id IN ({marks})",
                    ids,
                ).fetchall()
            }
            for run_id in ids:
                row = rows.get(run_id)
                if row is None:
                    continue
                found.append(
                    RunState(
                        run=_run(row),
                        actor=_parse(row[14]),
                        overrides=_parse(row[15]) or {},
                        context=_parse(row[16]),
                        steps=steps.get(run_id, []),
                        inbox=inbox.get(run_id, {}),
                        deliveries=deliveries.get(run_id, {}),
                    )
                )
        return found

    async def load(self, run_id: str) -> RunState | None:
        found = await self._call(lambda: self._read(lambda: self._load_many([run_id])))
        return found[0] if found else None

    # --- committing ------------------------------------------------------------------------------

    def _fence(self, run_id: str, owner: str, now: int, lease_ms: int) -> None:
        until = now + lease_ms
        cur = self._x(
            "UPDATE novu_runs SET lease_until = ?, next_at = ?, updated_at = ? "
            "WHERE id = ? AND lease_owner = ? AND status = ?",
            (until, until, now, run_id, owner, RunStatus.RUNNING.value),
        )
        if cur.rowcount != 1:
            raise LeaseLostError(f"run {run_id} is no longer held by {owner}")

    def _release(
        self,
        run_id: str,
        now: int,
        status: str,
        next_at: int | None,
        error: str | None,
        merged_into: str | None,
        owner: str | None = None,
    ) -> None:
        """Set the run's new status and drop its lease; with ``owner``, only if that lease still holds."""
        finished = now if status in _TERMINAL else None
        params: list[Any] = [
            status,
            None if finished else next_at,
            int(status == RunStatus.COMPLETED.value),
            error,
            finished,
            merged_into,
            now,
            run_id,
        ]
        fence = ""
        if owner is not None:
            fence = " AND lease_owner = ? AND status = ?"
            params += [owner, RunStatus.RUNNING.value]
        cur = self._x(
            "UPDATE novu_runs SET status = ?, next_at = ?, lease_owner = NULL, lease_until = NULL, "
            "error = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(?, error) END, finished_at = ?, "
            f"merged_into = COALESCE(?, merged_into), updated_at = ? WHERE id = ?{fence}",
            params,
        )
        if owner is not None and cur.rowcount != 1:
            raise LeaseLostError(f"run {run_id} is no longer held by {owner}")

    def _upsert_step(self, run_id: str, s: StepWrite, owner: str) -> None:
        self._x(
            "INSERT INTO novu_steps (run_id, step_id, position, step_type, status, outputs, result, "
            "providers, "
            "error, attempts, started_at, finished_at, duration_ms, wait_until, worker) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step_id) DO UPDATE "
            "SET "
            "status = excluded.status, outputs = excluded.outputs, result = excluded.result, "
            "providers = excluded.providers, error = excluded.error, attempts = excluded.attempts, "
            "finished_at = excluded.finished_at, duration_ms = excluded.duration_ms, "
            "wait_until = excluded.wait_until, worker = excluded.worker",
            (
                run_id,
                s.step_id,
                s.position,
                s.step_type,
                s.status,
                _json(s.outputs),
                _json_or_none(s.result),
                _json(s.providers),
                s.error,
                s.attempts,
                s.started_at,
                s.finished_at,
                s.duration_ms,
                s.wait_until,
                owner.rsplit("/", 1)[0],  # the worker, without the claim number
            ),
        )

    def _commit(self, c: Commit) -> None:
        if c.status is None:
            self._fence(c.run_id, c.owner, c.now, c.lease_ms)
        else:  # releasing the run checks the lease in the same statement
            if c.failures is not None:
                self._x("UPDATE novu_runs SET failures = ? WHERE id = ?", (c.failures, c.run_id))
            self._release(c.run_id, c.now, c.status, c.next_at, c.error, c.merged_into, owner=c.owner)
        for step in c.steps:
            self._upsert_step(c.run_id, step, c.owner)
        for msg in c.inbox:
            self._x(
                "INSERT INTO novu_inbox (id, run_id, step_id, transaction_id, workflow_id, subscriber_id, "
                "content, created_at) SELECT ?, id, ?, transaction_id, workflow_id, subscriber_id, ?, ? "
                "FROM novu_runs WHERE id = ? ON CONFLICT (run_id, step_id) DO NOTHING",
                (msg.id, msg.step_id, _json(msg.content), c.now, c.run_id),
            )
        if c.inbox:
            self._inbox_written([msg.id for msg in c.inbox])
        for d in c.deliveries:
            self._x(
                "INSERT INTO novu_deliveries (id, run_id, step_id, channel, provider, recipient, status, "
                "error, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET "
                "status = excluded.status, error = excluded.error, provider = excluded.provider, "
                "recipient = excluded.recipient, updated_at = excluded.updated_at",
                (
                    d.id,
                    c.run_id,
                    d.step_id,
                    d.channel,
                    d.provider,
                    d.recipient,
                    d.status,
                    d.error,
                    c.now,
                    c.now,
                ),
            )
            if d.attempt is not None:
                self._x(
                    "INSERT INTO novu_delivery_attempts (delivery_id, attempt, status, error, response, "
                    "started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id, "
                    "attempt) "
                    "DO UPDATE SET status = excluded.status, error = excluded.error, response = "
                    "excluded.response, "
                    "finished_at = excluded.finished_at",
                    (
                        d.id,
                        d.attempt,
                        d.attempt_status,
                        d.attempt_error,
                        _json_or_none(d.attempt_response),
                        d.attempt_started_at if d.attempt_started_at is not None else c.now,
                        d.attempt_finished_at,
                    ),
                )
        if c.status is None and c.failures is not None:
            self._x("UPDATE novu_runs SET failures = ? WHERE id = ?", (c.failures, c.run_id))

    async def commit(self, commit: Commit) -> None:
        await self._transact(lambda: self._commit(commit))

    # --- digests ---------------------------------------------------------------------------------

    def _hold(self, run_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None) -> None:
        """Check and extend the lease, applying the run's pending writes ``prior`` if there are any."""
        if prior is None:
            self._fence(run_id, owner, now, lease_ms)
        else:
            assert prior.status is None and prior.run_id == run_id and prior.owner == owner
            self._commit(prior)

    def _digest_enter(self, e: DigestEntry) -> DigestOutcome:
        self._hold(e.run_id, e.owner, e.now, e.lease_ms, e.prior)
        key = (e.workflow_id, e.step_id, e.subscriber_id, e.digest_key)
        # One lock row per digest key serialises arrivals and the window's close on PostgreSQL.
        self._lock_name("digest:" + _json(list(key)))
        row = self._x(
            "SELECT id, leader_run_id FROM novu_digests WHERE workflow_id = ? AND step_id = ? AND "
            "subscriber_id = ? "
            f"AND digest_key = ? AND status = 'open'{self.dialect.for_update}",
            key,
        ).fetchone()
        if row is not None and row[1] != e.run_id:
            self._x(
                "INSERT INTO novu_digest_events (digest_id, run_id, time) VALUES (?, ?, ?) "
                "ON CONFLICT (digest_id, run_id) DO NOTHING",
                (row[0], e.run_id, e.event_time),
            )
            self._upsert_step(e.run_id, _digest_step(e, "merged", finished_at=e.now), e.owner)
            self._release(e.run_id, e.now, RunStatus.MERGED.value, None, None, row[1])
            return DigestOutcome("merged", row[1])
        if row is not None:  # this run already leads the open window (re-entry after a crash)
            self._upsert_step(e.run_id, _digest_step(e, "waiting", wait_until=e.closes_at), e.owner)
            self._release(e.run_id, e.now, RunStatus.WAITING.value, e.closes_at, None, None)
            return DigestOutcome("lead", e.run_id)
        immediate = False
        if e.look_back_from is not None:
            recent = self._x(
                "SELECT 1 FROM novu_digest_events v JOIN novu_digests d ON d.id = v.digest_id "
                "WHERE d.workflow_id = ? AND d.step_id = ? AND d.subscriber_id = ? AND d.digest_key = ? "
                "AND v.time >= ? AND v.run_id <> ? LIMIT 1",
                (*key, e.look_back_from, e.run_id),
            ).fetchone()
            immediate = recent is None
        digest_id = f"{e.run_id}:{e.step_id}"
        self._x(
            "INSERT INTO novu_digests (id, workflow_id, step_id, subscriber_id, digest_key, leader_run_id, "
            "status, "
            "opened_at, closes_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO "
            "NOTHING",
            (
                digest_id,
                *key,
                e.run_id,
                "closed" if immediate else "open",
                e.now,
                e.now if immediate else e.closes_at,
                e.now if immediate else None,
            ),
        )
        self._x(
            "INSERT INTO novu_digest_events (digest_id, run_id, time) VALUES (?, ?, ?) "
            "ON CONFLICT (digest_id, run_id) DO NOTHING",
            (digest_id, e.run_id, e.event_time),
        )
        if immediate:
            return DigestOutcome("immediate", e.run_id)
        self._upsert_step(e.run_id, _digest_step(e, "waiting", wait_until=e.closes_at), e.owner)
        self._release(e.run_id, e.now, RunStatus.WAITING.value, e.closes_at, None, None)
        return DigestOutcome("lead", e.run_id)

    def _lock_name(self, name: str) -> None:
        """Serialise the transactions that take the lock ``name`` (a row lock; on a database without row
        locks every write transaction already excludes the others)."""
        if self.dialect.for_update:
            self._x("INSERT INTO novu_locks (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
            self._x(f"SELECT name FROM novu_locks WHERE name = ?{self.dialect.for_update}", (name,))

    async def digest_enter(self, entry: DigestEntry) -> DigestOutcome:
        return await self._transact(lambda: self._digest_enter(entry))

    def _digest_events(self, run_id: str, step_id: str, now: int) -> list[DigestEvent]:
        digest = self._x(
            "SELECT id, workflow_id, step_id, subscriber_id, digest_key FROM novu_digests "
            "WHERE leader_run_id = ? AND step_id = ?",
            (run_id, step_id),
        ).fetchone()
        if digest is None:
            return []
        self._lock_name("digest:" + _json(list(digest[1:])))
        self._x(
            "UPDATE novu_digests SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            (now, digest[0]),
        )
        rows = self._x(
            "SELECT v.run_id, v.time, t.payload FROM novu_digest_events v JOIN novu_runs r ON r.id = "
            "v.run_id "
            "JOIN novu_triggers t ON t.transaction_id = r.transaction_id WHERE v.digest_id = ? "
            "ORDER BY v.time, v.run_id",
            (digest[0],),
        ).fetchall()
        return [DigestEvent(r[0], int(r[1]), _parse(r[2])) for r in rows]

    async def digest_events(
        self, run_id: str, step_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None = None
    ) -> list[DigestEvent]:
        def run() -> list[DigestEvent]:
            self._hold(run_id, owner, now, lease_ms, prior)
            return self._digest_events(run_id, step_id, now)

        return await self._transact(run)

    # --- throttles -------------------------------------------------------------------------------

    def _throttle_hit(self, e: ThrottleEntry) -> ThrottleOutcome:
        self._hold(e.run_id, e.owner, e.now, e.lease_ms, e.prior)
        done = self._x(
            "SELECT throttled, execution_count FROM novu_throttle_hits WHERE run_id = ? AND step_id = ?",
            (e.run_id, e.step_id),
        ).fetchone()
        if done is not None:
            return ThrottleOutcome(bool(done[0]), int(done[1]))
        key = (e.workflow_id, e.step_id, e.subscriber_id, e.throttle_key)
        self._lock_name("throttle:" + _json(list(key)))
        row = self._x(
            "SELECT COUNT(*) FROM novu_throttle_hits WHERE workflow_id = ? AND step_id = ? AND "
            "subscriber_id = ? "
            "AND throttle_key = ? AND time >= ? AND throttled = 0",
            (*key, e.window_start),
        ).fetchone()
        count = int(row[0])
        throttled = count >= e.threshold
        executions = count if throttled else count + 1
        self._x(
            "INSERT INTO novu_throttle_hits (run_id, step_id, workflow_id, subscriber_id, throttle_key, "
            "time, "
            "throttled, execution_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.run_id,
                e.step_id,
                e.workflow_id,
                e.subscriber_id,
                e.throttle_key,
                e.now,
                int(throttled),
                executions,
            ),
        )
        return ThrottleOutcome(throttled, executions)

    async def throttle_hit(self, entry: ThrottleEntry) -> ThrottleOutcome:
        return await self._transact(lambda: self._throttle_hit(entry))

    # --- cancel, history, inbox ------------------------------------------------------------------

    async def cancel(self, transaction_id: str, now: int) -> int:
        def run() -> int:
            unfinished = (RunStatus.PENDING.value, RunStatus.WAITING.value, RunStatus.RUNNING.value)
            ids = [
                row[0]
                for row in self._x(
                    f"SELECT id FROM novu_runs WHERE transaction_id = ? AND status IN (?, ?, "
                    f"?){self.dialect.for_update}",
                    (transaction_id, *unfinished),
                ).fetchall()
            ]
            for run_id in ids:
                self._x(
                    "UPDATE novu_runs SET status = ?, next_at = NULL, lease_owner = NULL, lease_until = "
                    "NULL, "
                    "finished_at = ?, updated_at = ? WHERE id = ?",
                    (RunStatus.CANCELED.value, now, now, run_id),
                )
                self._hand_over_digests(run_id, now)
            return len(ids)

        return await self._transact(run)

    def _hand_over_digests(self, run_id: str, now: int) -> None:
        """A cancelled run that leads open digest windows passes them to the oldest run merged into
        them (its event leaves the window); a window with nobody left closes. No other event is lost."""
        digests = self._x(
            "SELECT id, step_id, closes_at, workflow_id, subscriber_id, digest_key FROM novu_digests "
            "WHERE leader_run_id = ? AND status = 'open'",
            (run_id,),
        ).fetchall()
        for digest_id, step_id, closes_at, *key in digests:
            self._lock_name("digest:" + _json([key[0], step_id, key[1], key[2]]))
            self._x("DELETE FROM novu_digest_events WHERE digest_id = ? AND run_id = ?", (digest_id, run_id))
            heir = self._x(
                "SELECT v.run_id FROM novu_digest_events v JOIN novu_runs r ON r.id = v.run_id "
                "WHERE v.digest_id = ? AND r.status = ? ORDER BY v.time, v.run_id LIMIT 1",
                (digest_id, RunStatus.MERGED.value),
            ).fetchone()
            if heir is None:
                self._x(
                    "UPDATE novu_digests SET status = 'closed', closed_at = ? WHERE id = ?", (now, digest_id)
                )
                continue
            self._x("UPDATE novu_digests SET leader_run_id = ? WHERE id = ?", (heir[0], digest_id))
            self._x(
                "UPDATE novu_runs SET status = ?, next_at = ?, merged_into = NULL, finished_at = NULL, "
                "updated_at = ? WHERE id = ?",
                (RunStatus.WAITING.value, closes_at, now, heir[0]),
            )
            self._x(
                "UPDATE novu_steps SET status = 'waiting', wait_until = ?, finished_at = NULL "
                "WHERE run_id = ? AND step_id = ?",
                (closes_at, heir[0], step_id),
            )
            self._x(
                "UPDATE novu_runs SET merged_into = ? WHERE merged_into = ? AND status = ?",
                (heir[0], run_id, RunStatus.MERGED.value),
            )

    def _runs(self, q: RunQuery) -> list[RunRecord]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("r.transaction_id", q.transaction_id),
            ("r.subscriber_id", q.subscriber_id),
            ("r.workflow_id", q.workflow_id),
            ("r.status", q.status),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._x(
            f"SELECT {_RUN_COLUMNS} FROM novu_runs r JOIN novu_triggers t ON t.transaction_id = "
            "r.transaction_id"
            f"{clause} ORDER BY r.created_at DESC, r.id LIMIT ?",
            (*params, q.limit),
        ).fetchall()
        runs: list[RunRecord] = []
        for row in rows:
            run = _run(row)
            steps = [
                _step(s)
                for s in self._x(
                    f"SELECT {_STEP_COLUMNS} FROM novu_steps WHERE run_id = ? ORDER BY position", (run.id,)
                ).fetchall()
            ]
            deliveries: list[DeliveryRecord] = []
            for d in self._x(
                "SELECT id, run_id, step_id, channel, provider, recipient, status, error FROM "
                "novu_deliveries "
                "WHERE run_id = ? ORDER BY created_at, id",
                (run.id,),
            ).fetchall():
                attempts = [
                    AttemptRecord(a[0], a[1], a[2], a[3], a[4], _parse(a[5]))
                    for a in self._x(
                        "SELECT attempt, status, error, started_at, finished_at, response FROM "
                        "novu_delivery_attempts WHERE delivery_id = ? ORDER BY attempt",
                        (d[0],),
                    ).fetchall()
                ]
                deliveries.append(
                    DeliveryRecord(
                        id=d[0],
                        run_id=d[1],
                        step_id=d[2],
                        channel=d[3],
                        provider=d[4],
                        recipient=d[5],
                        status=d[6],
                        attempts=attempts,
                        error=d[7],
                    )
                )
            order = {step.step_id: step.position for step in steps}
            deliveries.sort(key=lambda d: order.get(d.step_id, len(order)))
            runs.append(RunRecord(**{**run.__dict__, "steps": steps, "deliveries": deliveries}))
        return runs

    async def runs(self, query: RunQuery) -> list[RunRecord]:
        return await self._call(lambda: self._read(lambda: self._runs(query)))

    async def status_counts(self, workflow_id: str | None = None) -> dict[str, int]:
        def run() -> dict[str, int]:
            where, params = ("WHERE workflow_id = ? ", (workflow_id,)) if workflow_id else ("", ())
            rows = self._x(
                f"SELECT status, COUNT(*) FROM novu_runs {where}GROUP BY status", params
            ).fetchall()
            return {row[0]: int(row[1]) for row in rows}

        return await self._call(run)

    async def inbox(self, subscriber_id: str, unread_only: bool, limit: int) -> list[InboxMessage]:
        def run() -> list[InboxMessage]:
            extra = " AND read = 0" if unread_only else ""
            rows = self._x(
                f"SELECT {_INBOX_COLUMNS} FROM novu_inbox WHERE subscriber_id = ?{extra} "
                "ORDER BY created_at DESC, id LIMIT ?",
                (subscriber_id, limit),
            ).fetchall()
            return [_inbox(r) for r in rows]

        return await self._call(run)

    async def mark_inbox(
        self, message_id: str, now: int, seen: bool | None, read: bool | None
    ) -> InboxMessage | None:
        def run() -> InboxMessage | None:
            seen_ = True if read else seen  # reading a message also sees it
            if seen_ is not None:
                self._x(
                    "UPDATE novu_inbox SET seen = ?, seen_at = CASE WHEN ? = 1 THEN COALESCE(seen_at, ?) "
                    "ELSE NULL END WHERE id = ?",
                    (int(seen_), int(seen_), now, message_id),
                )
            if read is not None:
                self._x(
                    "UPDATE novu_inbox SET read = ?, read_at = CASE WHEN ? = 1 THEN COALESCE(read_at, ?) "
                    "ELSE NULL END WHERE id = ?",
                    (int(read), int(read), now, message_id),
                )
            row = self._x(f"SELECT {_INBOX_COLUMNS} FROM novu_inbox WHERE id = ?", (message_id,)).fetchone()
            return None if row is None else _inbox(row)

        return await self._transact(run)

    # --- topics ----------------------------------------------------------------------------------

    async def topic_add(self, topic_key: str, subscribers: Sequence[dict[str, Any]], now: int) -> int:
        def run() -> int:
            ids = [s["subscriberId"] for s in subscribers]
            known: set[str] = set()
            head = "SELECT subscriber_id FROM novu_topic_subscribers WHERE topic_key = ? AND subscriber_id"
            for cursor in self._each_in(head, (topic_key,), ids):
                known.update(row[0] for row in cursor.fetchall())
            self._insert_rows(
                "INSERT INTO novu_topic_subscribers (topic_key, subscriber_id, subscriber, created_at)",
                [(topic_key, sub["subscriberId"], _json(sub), now) for sub in subscribers],
                tail=" ON CONFLICT (topic_key, subscriber_id) DO UPDATE SET subscriber = excluded.subscriber",
            )
            return len(set(ids) - known)

        return await self._transact(run, weight=max(1, len(subscribers) // 8))

    async def topic_remove(self, topic_key: str, subscriber_ids: Sequence[str]) -> int:
        def run() -> int:
            ids = list(dict.fromkeys(subscriber_ids))
            head = "DELETE FROM novu_topic_subscribers WHERE topic_key = ? AND subscriber_id"
            return sum(max(0, int(c.rowcount)) for c in self._each_in(head, (topic_key,), ids))

        return await self._transact(run)

    async def topic_members(self, topic_keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        def run() -> dict[str, list[dict[str, Any]]]:
            members: dict[str, list[dict[str, Any]]] = {}
            head = "SELECT topic_key, subscriber FROM novu_topic_subscribers WHERE topic_key"
            tail = " ORDER BY topic_key, created_at, subscriber_id"
            for cursor in self._each_in(head, (), list(dict.fromkeys(topic_keys)), tail):
                for key, subscriber in cursor.fetchall():
                    members.setdefault(key, []).append(_parse(subscriber))
            return members

        return await self._call(lambda: self._read(run))


def _digest_step(
    e: DigestEntry, status: str, *, wait_until: int | None = None, finished_at: int | None = None
) -> StepWrite:
    return StepWrite(
        step_id=e.step_id,
        step_type=e.step_type,
        position=e.position,
        status=status,
        outputs=e.outputs,
        providers={},
        started_at=e.now,
        wait_until=wait_until,
        finished_at=finished_at,
    )
