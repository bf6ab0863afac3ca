"""Claims and leases: taking due runs, loading them, and committing a held run's changes under its lease.

A worker holds a run through ``lease_owner``/``lease_until`` (its fencing token is the owner with a
claim number); every write to a held run checks that lease in the same statement and raises
:class:`LeaseLostError` when another worker has taken the run over. These functions run on the
database thread, inside a transaction of :class:`~.connection.Database`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from novu_framework.runtime.errors import LeaseLostError
from novu_framework.runtime.records import RunStatus, StepRecord
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import Commit, DeliveryState, InboxState, RunState, StepWrite
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump, dump_or_none, parse
from novu_framework.runtime.store.rows import fetch_all, run_record, step_record

TERMINAL = frozenset(
    s.value
    for s in (
        RunStatus.COMPLETED,
        RunStatus.FAILED,
        RunStatus.CANCELED,
        RunStatus.MERGED,
        RunStatus.THROTTLED,
    )
)
_LOAD_CHUNK = 256


def claim(db: Database, owner: str, now: int, lease_ms: int, limit: int) -> list[str]:
    """Lease up to ``limit`` due runs (including runs whose previous lease expired); their ids."""
    until = now + lease_ms
    rows = db.execute(q.CLAIM, (RunStatus.RUNNING.value, owner, until, until, now, now, limit)).fetchall()
    return [row[0] for row in rows]  # one column: RETURNING id


def next_due(db: Database) -> int | None:
    """When the next run is due (or its lease expires), or None if no run is waiting."""
    row = fetch_all(db.execute(q.NEXT_DUE))
    return None if not row or row[0]["next_at"] is None else int(row[0]["next_at"])


def load_many(db: Database, run_ids: Sequence[str]) -> list[RunState]:
    """The runs with these ids (those that exist, in that order), each with its trigger and steps:
    four queries per 256 runs."""
    found: list[RunState] = []
    for start in range(0, len(run_ids), _LOAD_CHUNK):
        ids = list(run_ids[start : start + _LOAD_CHUNK])
        steps: dict[str, list[StepRecord]] = {}
        for cursor in db.each_in(q.STEPS_OF_RUNS, (), ids, q.STEPS_ORDER, size=_LOAD_CHUNK):
            for row in fetch_all(cursor):
                steps.setdefault(row["run_id"], []).append(step_record(row))
        inbox: dict[str, dict[str, InboxState]] = {}
        for cursor in db.each_in(q.INBOX_STATE_OF_RUNS, (), ids, size=_LOAD_CHUNK):
            for row in fetch_all(cursor):
                inbox.setdefault(row["run_id"], {})[row["step_id"]] = InboxState(
                    bool(row["seen"]), bool(row["read"]), row["seen_at"], row["read_at"]
                )
        deliveries: dict[str, dict[str, DeliveryState]] = {}
        for cursor in db.each_in(q.DELIVERY_STATE_OF_RUNS, (), ids, size=_LOAD_CHUNK):
            for row in fetch_all(cursor):
                deliveries.setdefault(row["run_id"], {})[row["step_id"]] = DeliveryState(
                    row["status"], int(row["attempts"])
                )
        runs = {
            row["id"]: row
            for cursor in db.each_in(q.RUNS_BY_ID, (), ids, size=_LOAD_CHUNK)
            for row in fetch_all(cursor)
        }
        for run_id in ids:
            run = runs.get(run_id)
            if run is None:
                continue
            found.append(
                RunState(
                    run=run_record(run),
                    actor=parse(run["actor"]),
                    overrides=parse(run["overrides"]) or {},
                    context=parse(run["context"]),
                    steps=steps.get(run_id, []),
                    inbox=inbox.get(run_id, {}),
                    deliveries=deliveries.get(run_id, {}),
                )
            )
    return found


def fence(db: Database, run_id: str, owner: str, now: int, lease_ms: int) -> None:
    """Extend ``owner``'s lease of the run; :class:`LeaseLostError` if it no longer holds it."""
    until = now + lease_ms
    cur = db.execute(q.FENCE, (until, until, now, run_id, owner, RunStatus.RUNNING.value))
    if cur.rowcount != 1:
        raise LeaseLostError(f"run {run_id} is no longer held by {owner}")


def release(
    db: Database,
    run_id: str,
    now: int,
    status: str,
    next_at: int | None,
    error: str | None,
    merged_into: str | None,
    owner: str | None = None,
) -> None:
    """Set the run's new status and drop its lease; with ``owner``, only if that lease still holds."""
    finished = now if status in TERMINAL else None
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
    sql = q.RELEASE
    if owner is not None:
        sql += q.RELEASE_FENCE
        params += [owner, RunStatus.RUNNING.value]
    cur = db.execute(sql, params)
    if owner is not None and cur.rowcount != 1:
        raise LeaseLostError(f"run {run_id} is no longer held by {owner}")


def upsert_step(db: Database, run_id: str, step: StepWrite, owner: str) -> None:
    db.execute(
        q.UPSERT_STEP,
        (
            run_id,
            step.step_id,
            step.position,
            step.step_type,
            step.status,
            dump(step.outputs),
            dump_or_none(step.result),
            dump(step.providers),
            step.error,
            step.attempts,
            step.started_at,
            step.finished_at,
            step.duration_ms,
            step.wait_until,
            owner.rsplit("/", 1)[0],  # the worker, without the claim number
        ),
    )


def commit(db: Database, change: Commit) -> None:
    """Apply ``change`` (steps, in-app messages, deliveries, the run's status) under the run's lease."""
    if change.status is None:
        fence(db, change.run_id, change.owner, change.now, change.lease_ms)
    else:  # releasing the run checks the lease in the same statement
        if change.failures is not None:
            db.execute(q.SET_FAILURES, (change.failures, change.run_id))
        release(
            db,
            change.run_id,
            change.now,
            change.status,
            change.next_at,
            change.error,
            change.merged_into,
            owner=change.owner,
        )
    for step in change.steps:
        upsert_step(db, change.run_id, step, change.owner)
    for msg in change.inbox:
        db.execute(q.INSERT_INBOX, (msg.id, msg.step_id, dump(msg.content), change.now, change.run_id))
    if change.inbox:
        db._inbox_written([msg.id for msg in change.inbox])
    for delivery in change.deliveries:
        db.execute(
            q.UPSERT_DELIVERY,
            (
                delivery.id,
                change.run_id,
                delivery.step_id,
                delivery.channel,
                delivery.provider,
                delivery.recipient,
                delivery.status,
                delivery.error,
                change.now,
                change.now,
            ),
        )
        if delivery.attempt is not None:
            db.execute(
                q.UPSERT_ATTEMPT,
                (
                    delivery.id,
                    delivery.attempt,
                    delivery.attempt_status,
                    delivery.attempt_error,
                    dump_or_none(delivery.attempt_response),
                    delivery.attempt_started_at if delivery.attempt_started_at is not None else change.now,
                    delivery.attempt_finished_at,
                ),
            )
    if change.status is None and change.failures is not None:
        db.execute(q.SET_FAILURES, (change.failures, change.run_id))


def hold(db: Database, run_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None) -> None:
    """Check and extend the lease, applying the run's pending writes ``prior`` if there are any."""
    if prior is None:
        fence(db, run_id, owner, now, lease_ms)
    else:
        assert prior.status is None and prior.run_id == run_id and prior.owner == owner
        commit(db, prior)


def lock_name(db: Database, name: str) -> None:
    """Serialise the transactions that take the lock ``name`` (a row lock; on a database without row
    locks every write transaction already excludes the others)."""
    if db.dialect.for_update:
        db.execute(q.INSERT_LOCK, (name,))
        db.execute(q.TAKE_LOCK, (name,))
