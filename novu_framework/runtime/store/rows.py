"""Rows by column name, and the records built from them.

Cursors hand back tuples on both databases; :func:`fetch_all` and :func:`fetch_one` pair each value
with its column name from the cursor's description, so a mapper reads ``row["status"]``, never a
position, and a column added to a query cannot shift the others.
"""

from __future__ import annotations

from typing import Any

from novu_framework.runtime.records import AttemptRecord, DeliveryRecord, RunRecord, StepRecord
from novu_framework.runtime.store.encoding import parse

Row = dict[str, Any]


def _names(cursor: Any) -> list[str]:
    return [column[0] for column in cursor.description]


def fetch_all(cursor: Any) -> list[Row]:
    """Every row of ``cursor``, as ``{column: value}``."""
    rows = cursor.fetchall()
    if not rows:
        return []
    names = _names(cursor)
    return [dict(zip(names, row, strict=True)) for row in rows]


def fetch_one(cursor: Any) -> Row | None:
    """The next row of ``cursor`` as ``{column: value}``, or None."""
    row = cursor.fetchone()
    return None if row is None else dict(zip(_names(cursor), row, strict=True))


def run_record(row: Row) -> RunRecord:
    return RunRecord(
        id=row["id"],
        transaction_id=row["transaction_id"],
        workflow_id=row["workflow_id"],
        subscriber_id=row["subscriber_id"],
        subscriber=parse(row["subscriber"]),
        payload=parse(row["payload"]),
        status=row["status"],
        error=row["error"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        next_at=row["next_at"],
        merged_into=row["merged_into"],
        failures=int(row["failures"]),
    )


def step_record(row: Row) -> StepRecord:
    return StepRecord(
        step_id=row["step_id"],
        step_type=row["step_type"],
        position=row["position"],
        status=row["status"],
        outputs=parse(row["outputs"]),
        result=parse(row["result"]),
        providers=parse(row["providers"]),
        error=row["error"],
        attempts=row["attempts"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        duration_ms=float(row["duration_ms"]),
        wait_until=row["wait_until"],
        worker=row["worker"],
    )


def attempt_record(row: Row) -> AttemptRecord:
    return AttemptRecord(
        row["attempt"],
        row["status"],
        row["error"],
        row["started_at"],
        row["finished_at"],
        parse(row["response"]),
    )


def delivery_record(row: Row, attempts: list[AttemptRecord]) -> DeliveryRecord:
    return DeliveryRecord(
        id=row["id"],
        run_id=row["run_id"],
        step_id=row["step_id"],
        channel=row["channel"],
        provider=row["provider"],
        recipient=row["recipient"],
        status=row["status"],
        attempts=attempts,
        error=row["error"],
    )
