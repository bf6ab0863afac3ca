"""Accepted triggers and the runs they start, inserted in multi-row statements."""

from __future__ import annotations

from collections.abc import Sequence

from novu_framework.runtime.records import RunStatus
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import NewTrigger
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump, dump_or_none
from novu_framework.runtime.store.rows import fetch_all


def insert(db: Database, triggers: Sequence[NewTrigger]) -> list[bool]:
    """Insert triggers with their runs; False where the transaction id is taken.

    Transaction ids given by the caller that are already stored, or repeated within the batch, are
    refused (generated ones are new UUIDs); the rest go in with multi-row statements.
    """
    ids = [t.transaction_id for t in triggers if not t.generated_id]
    taken: set[str] = set()
    for cursor in db.each_in(q.TAKEN_TRANSACTION_IDS, (), ids):
        taken.update(row["transaction_id"] for row in fetch_all(cursor))
    accepted: list[bool] = []
    fresh: list[NewTrigger] = []
    for trig in triggers:
        ok = trig.generated_id or trig.transaction_id not in taken
        accepted.append(ok)
        if ok:
            taken.add(trig.transaction_id)
            fresh.append(trig)
    db.insert_rows(
        q.INSERT_TRIGGERS,
        [
            (
                t.transaction_id,
                t.workflow_id,
                t.payload_json if t.payload_json is not None else dump(t.payload),
                dump(t.recipients),
                dump_or_none(t.actor),
                dump(t.overrides),
                dump_or_none(t.context),
                t.created_at,
            )
            for t in fresh
        ],
    )
    pending = RunStatus.PENDING.value
    db.insert_rows(
        q.INSERT_RUNS,
        [
            (
                r.id,
                t.transaction_id,
                t.workflow_id,
                r.subscriber_id,
                dump(r.subscriber),
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
