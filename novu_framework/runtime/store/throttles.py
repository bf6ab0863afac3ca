"""Throttle windows: whether a run reaching a throttle step goes on or stops, decided once per run and
step (a retried step gets the same answer). Run on the database thread inside a write transaction.
"""

from __future__ import annotations

from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import ThrottleEntry, ThrottleOutcome
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump
from novu_framework.runtime.store.leases import hold, lock_name
from novu_framework.runtime.store.rows import fetch_one


def hit(db: Database, entry: ThrottleEntry) -> ThrottleOutcome:
    """Count the run ``entry`` in its throttle window (after applying ``entry.prior`` under its lease)."""
    hold(db, entry.run_id, entry.owner, entry.now, entry.lease_ms, entry.prior)
    done = fetch_one(db.execute(q.THROTTLE_DONE, (entry.run_id, entry.step_id)))
    if done is not None:
        return ThrottleOutcome(bool(done["throttled"]), int(done["execution_count"]))
    key = (entry.workflow_id, entry.step_id, entry.subscriber_id, entry.throttle_key)
    lock_name(db, "throttle:" + dump(list(key)))
    row = fetch_one(db.execute(q.THROTTLE_COUNT, (*key, entry.window_start)))
    count = 0 if row is None else int(row["hits"])
    throttled = count >= entry.threshold
    executions = count if throttled else count + 1
    db.execute(
        q.INSERT_THROTTLE_HIT,
        (
            entry.run_id,
            entry.step_id,
            entry.workflow_id,
            entry.subscriber_id,
            entry.throttle_key,
            entry.now,
            int(throttled),
            executions,
        ),
    )
    return ThrottleOutcome(throttled, executions)
