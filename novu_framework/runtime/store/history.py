"""Run history: runs with their steps, deliveries and attempts, filtered and newest first; status counts;
cancelling a transaction's unfinished runs.

A history page is read in four queries (runs, then the steps, deliveries and delivery attempts of all
of them with ``IN`` lists, a few hundred ids per statement) whatever the number of runs.
"""

from __future__ import annotations

from novu_framework.runtime.records import AttemptRecord, DeliveryRecord, RunRecord, RunStatus, StepRecord
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import RunQuery
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.digests import hand_over
from novu_framework.runtime.store.rows import (
    attempt_record,
    delivery_record,
    fetch_all,
    run_record,
    step_record,
)


def runs(db: Database, query: RunQuery) -> list[RunRecord]:
    """The runs ``query`` selects, newest first, each with its steps and deliveries."""
    where, params = q.equal_to(
        (
            ("r.transaction_id", query.transaction_id),
            ("r.subscriber_id", query.subscriber_id),
            ("r.workflow_id", query.workflow_id),
            ("r.status", query.status),
        )
    )
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    found = fetch_all(
        db.execute(
            f"{q.HISTORY_RUNS}{clause} ORDER BY r.created_at DESC, r.id LIMIT ?", (*params, query.limit)
        )
    )
    ids = [row["id"] for row in found]
    steps: dict[str, list[StepRecord]] = {}
    for cursor in db.each_in(q.STEPS_OF_RUNS, (), ids, q.STEPS_ORDER):
        for row in fetch_all(cursor):
            steps.setdefault(row["run_id"], []).append(step_record(row))
    delivery_rows = [
        row
        for cursor in db.each_in(q.DELIVERIES_OF_RUNS, (), ids, q.DELIVERIES_ORDER)
        for row in fetch_all(cursor)
    ]
    attempts: dict[str, list[AttemptRecord]] = {}
    delivery_ids = [row["id"] for row in delivery_rows]
    for cursor in db.each_in(q.ATTEMPTS_OF_DELIVERIES, (), delivery_ids, q.ATTEMPTS_ORDER):
        for row in fetch_all(cursor):
            attempts.setdefault(row["delivery_id"], []).append(attempt_record(row))
    deliveries: dict[str, list[DeliveryRecord]] = {}
    for row in delivery_rows:
        deliveries.setdefault(row["run_id"], []).append(delivery_record(row, attempts.get(row["id"], [])))
    out: list[RunRecord] = []
    for row in found:
        run = run_record(row)
        run_steps = steps.get(run.id, [])
        order = {step.step_id: step.position for step in run_steps}
        run_deliveries = sorted(deliveries.get(run.id, []), key=lambda d: order.get(d.step_id, len(order)))
        out.append(RunRecord(**{**run.__dict__, "steps": run_steps, "deliveries": run_deliveries}))
    return out


def status_counts(db: Database, workflow_id: str | None) -> dict[str, int]:
    """How many runs are in each status (of one workflow, or of all)."""
    where, params = (" WHERE workflow_id = ?", (workflow_id,)) if workflow_id else ("", ())
    rows = fetch_all(db.execute(f"{q.STATUS_COUNTS}{where} GROUP BY status", params))
    return {row["status"]: int(row["runs"]) for row in rows}


def cancel(db: Database, transaction_id: str, now: int) -> int:
    """Cancel the transaction's unfinished runs (handing over the digest windows they lead); how many."""
    unfinished = (RunStatus.PENDING.value, RunStatus.WAITING.value, RunStatus.RUNNING.value)
    ids = [row["id"] for row in fetch_all(db.execute(q.UNFINISHED_RUNS, (transaction_id, *unfinished)))]
    for run_id in ids:
        db.execute(q.CANCEL_RUN, (RunStatus.CANCELED.value, now, now, run_id))
        hand_over(db, run_id, now)
    return len(ids)
