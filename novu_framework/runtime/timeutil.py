"""Time in the runtime: epoch milliseconds, ISO strings, duration units and cron schedules."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import datetime, timezone

from croniter import croniter  # type: ignore[import-untyped]

Clock = Callable[[], int]
"""A function returning the current time in epoch milliseconds."""

_UNIT_MS: dict[str, int] = {
    "seconds": 1_000,
    "minutes": 60_000,
    "hours": 3_600_000,
    "days": 86_400_000,
    "weeks": 604_800_000,
}


def system_clock() -> int:
    """The wall clock in epoch milliseconds."""
    return time.time_ns() // 1_000_000


def to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def to_iso(ms: int) -> str:
    """``2026-01-10T10:00:00.000Z``, as JavaScript's ``Date.toISOString``."""
    return to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def from_iso(text: str) -> int:
    """Epoch milliseconds of an ISO 8601 date-time (``Z`` or an offset; a naive time is UTC)."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp() * 1000)


def add_duration(start_ms: int, amount: float, unit: str) -> int:
    """``start_ms`` plus ``amount`` ``unit`` (months are calendar months)."""
    if amount < 0:
        raise ValueError(f"a duration cannot be negative (got {amount} {unit})")
    if unit == "months":
        whole = int(amount)
        moved = _add_months(to_datetime(start_ms), whole)
        extra = (amount - whole) * 30 * _UNIT_MS["days"]
        return int(moved.timestamp() * 1000 + extra)
    try:
        return start_ms + round(amount * _UNIT_MS[unit])
    except KeyError:
        raise ValueError(
            f"unknown time unit {unit!r}; use one of {', '.join([*_UNIT_MS, 'months'])}"
        ) from None


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def next_cron(expression: str, after_ms: int) -> int:
    """The first time strictly after ``after_ms`` that the cron expression fires (UTC).

    Five fields are minute-precision; six fields put seconds first, as the reference's presets do.
    """
    fields = expression.split()
    if len(fields) not in (5, 6):
        raise ValueError(f"invalid cron expression {expression!r}: expected 5 or 6 fields")
    try:
        schedule = croniter(expression, to_datetime(after_ms), second_at_beginning=len(fields) == 6)
        fire: datetime = schedule.get_next(datetime)
    except (ValueError, KeyError) as exc:
        raise ValueError(f"invalid cron expression {expression!r}: {exc}") from None
    return int(fire.timestamp() * 1000)
