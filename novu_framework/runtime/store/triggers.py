"""Accepted triggers and the runs they start, inserted in multi-row statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from novu_framework.runtime.records import RunStatus
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import NewTrigger
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump, dump_or_none
from novu_framework.runtime.store.rows import fetch_all

_PENDING = RunStatus.PENDING.value


TriggerRows = tuple[str, bool, tuple[Any, ...], tuple[tuple[Any, ...], ...]]
"""A trigger's transaction id, whether it was generated, its row and its runs' rows, encoded before
they reach the database thread (so that the thread holding the write lock only binds and writes).
Plain tuples of text and numbers: the collector stops tracking them, which matters for a burst of
thousands of triggers waiting at once."""


def rows_of(t: NewTrigger) -> TriggerRows:
    """The rows that store ``t``; raises what encoding raises for a value JSON cannot hold."""
    created = t.created_at
    trigger_row = (
        t.transaction_id,
        t.workflow_id,
        t.payload_json if t.payload_json is not None else dump(t.payload),
        dump(t.recipients),
        dump_or_none(t.actor),
        dump(t.overrides),
        dump_or_none(t.context),
        created,
    )
    run_rows = tuple(
        # created_at, updated_at and next_at (due at once)
        [
            (
                r.id,
                t.transaction_id,
                t.workflow_id,
                r.subscriber_id,
                r.subscriber_json,
                _PENDING,
                created,
                created,
                created,
            )
            for r in t.runs
        ]
    )
    return (t.transaction_id, t.generated_id, trigger_row, run_rows)


def insert(db: Database, batch: Sequence[TriggerRows]) -> list[bool]:
    """Insert triggers with their runs; False where the transaction id is taken.

    Transaction ids given by the caller that are already stored, or repeated within the batch, are
    refused (generated ones are new UUIDs); the rest go in with one statement per table where the
    dialect allows that many values.
    """
    ids = [transaction_id for transaction_id, generated, _, _ in batch if not generated]
    taken: set[str] = set()
    for cursor in db.each_in(q.TAKEN_TRANSACTION_IDS, (), ids):
        taken.update(row["transaction_id"] for row in fetch_all(cursor))
    accepted: list[bool] = []
    fresh: list[TriggerRows] = []
    for rows in batch:
        transaction_id, generated = rows[0], rows[1]
        ok = generated or transaction_id not in taken
        accepted.append(ok)
        if ok:
            taken.add(transaction_id)
            fresh.append(rows)
    db.insert_rows(q.INSERT_TRIGGERS, [trigger_row for _, _, trigger_row, _ in fresh])
    db.insert_rows(q.INSERT_RUNS, [run for _, _, _, run_rows in fresh for run in run_rows])
    return accepted
