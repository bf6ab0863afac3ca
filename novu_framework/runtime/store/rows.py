"""Rows by column name, and the records built from them.

Cursors hand back tuples on both databases; :func:`fetch_all` and :func:`fetch_one` pair each value
with its column name from the cursor's description, so a mapper reads ``row["status"]``, never a
position, and a column added to a query cannot shift the others. Columns are named as the fields of
the records they fill, so :func:`record` builds one from a row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from novu_framework.runtime.records import AttemptRecord, DeliveryRecord, RunRecord, StepRecord
from novu_framework.runtime.store.encoding import parse

Row = dict[str, Any]
R = TypeVar("R")
_FIELDS: dict[Any, tuple[str, ...]] = {}


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


def record(cls: Callable[..., R], row: Row, **convert: Callable[[Any], Any]) -> R:
    """The dataclass ``cls`` from the row's columns named as its fields (``convert[name]`` applied to
    that column); fields the row lacks keep their defaults, columns no field names are left out."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    return cls(**{n: convert[n](row[n]) if n in convert else row[n] for n in names if n in row})


def run_record(row: Row) -> RunRecord:
    return record(RunRecord, row, subscriber=parse, payload=parse, failures=int)


def step_record(row: Row) -> StepRecord:
    return record(StepRecord, row, outputs=parse, result=parse, providers=parse, duration_ms=float)


def attempt_record(row: Row) -> AttemptRecord:
    return record(AttemptRecord, row, response=parse)


def delivery_record(row: Row, attempts: list[AttemptRecord]) -> DeliveryRecord:
    return DeliveryRecord(**row, attempts=attempts)
