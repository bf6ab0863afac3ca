"""When waits end: delays, digest windows, throttle windows and retry backoff, from step outputs.

Outputs arrive in their wire form (camelCase), as the core's execute path returns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from novu_framework.js.json import stringify as js_stringify
from novu_framework.runtime.timeutil import add_duration, from_iso, next_cron

_MISSING = object()


class ScheduleError(ValueError):
    """The step's outputs do not say when (or how long) to wait."""


def lookup(path: str, scope: dict[str, Any]) -> Any:
    """The value at a dotted path (``payload.sendAt``); a path without a known root is read in ``payload``."""
    parts = [p for p in path.split(".") if p]
    if not parts:
        return _MISSING
    if parts[0] not in scope:
        parts = ["payload", *parts]
    value: Any = scope
    for part in parts:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _amount_unit(outputs: dict[str, Any], what: str, now: int) -> int:
    amount, unit = outputs.get("amount"), outputs.get("unit")
    if not isinstance(amount, (int, float)) or isinstance(amount, bool) or not isinstance(unit, str):
        raise ScheduleError(f"{what} needs `amount` (a number) and `unit`, got {js_stringify(outputs)}")
    try:
        return add_duration(now, amount, unit)
    except ValueError as exc:
        raise ScheduleError(f"{what}: {exc}") from None


def _cron(outputs: dict[str, Any], what: str, now: int) -> int:
    try:
        return next_cron(str(outputs["cron"]), now)
    except ValueError as exc:
        raise ScheduleError(f"{what}: {exc}") from None


def _point_in_time(value: Any, what: str, now: int) -> int:
    """An ISO date-time, epoch milliseconds, or ``{amount, unit}`` from now."""
    if isinstance(value, str):
        try:
            return from_iso(value)
        except ValueError:
            raise ScheduleError(f"{what}: {value!r} is not an ISO 8601 date-time") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, dict):
        return _amount_unit(value, what, now)
    raise ScheduleError(
        f"{what}: expected an ISO date-time, epoch milliseconds or {{amount, unit}}, got {value!r}"
    )


def delay_until(outputs: dict[str, Any], scope: dict[str, Any], now: int) -> int:
    """When a delay step with these outputs ends."""
    if outputs.get("type") == "dynamic" or "dynamicKey" in outputs:
        key = str(outputs.get("dynamicKey", ""))
        value = lookup(key, scope)
        if value is _MISSING:
            raise ScheduleError(f"dynamic delay: `{key}` is not in the payload")
        return max(now, _point_in_time(value, f"dynamic delay `{key}`", now))
    if outputs.get("type") == "timed" or "cron" in outputs:
        return _cron(outputs, "timed delay", now)
    return _amount_unit(outputs, "delay", now)


def group_key(key: Any, scope: dict[str, Any]) -> str:
    """A digest or throttle key: the value at that path in the payload when there is one, else the text."""
    if key is None or key == "":
        return ""
    text = str(key)
    value = lookup(text, scope)
    if value is _MISSING:
        return text
    return value if isinstance(value, str) else js_stringify(value)


@dataclass(frozen=True)
class DigestWindow:
    closes_at: int
    digest_key: str
    look_back_from: int | None


def digest_window(outputs: dict[str, Any], scope: dict[str, Any], now: int) -> DigestWindow:
    """The window a digest step with these outputs opens now."""
    key = group_key(outputs.get("digestKey"), scope)
    if outputs.get("type") == "timed" or ("cron" in outputs and "amount" not in outputs):
        return DigestWindow(_cron(outputs, "timed digest", now), key, None)
    closes = _amount_unit(outputs, "digest", now)
    look_back = outputs.get("lookBackWindow")
    look_back_from = None
    if isinstance(look_back, dict):
        look_back_from = now - (_amount_unit(look_back, "digest lookBackWindow", now) - now)
    return DigestWindow(closes, key, look_back_from)


@dataclass(frozen=True)
class ThrottleWindow:
    window_start: int
    threshold: int
    throttle_key: str


def throttle_window(outputs: dict[str, Any], scope: dict[str, Any], now: int) -> ThrottleWindow:
    """The window and threshold a throttle step with these outputs applies now."""
    threshold = outputs.get("threshold", 1)
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or threshold < 1:
        raise ScheduleError(f"throttle `threshold` must be a number of at least 1, got {threshold!r}")
    if outputs.get("type") == "dynamic":
        key = str(outputs.get("dynamicKey", ""))
        value = lookup(key, scope)
        if value is _MISSING:
            raise ScheduleError(f"dynamic throttle: `{key}` is not in the payload")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            length = int(value)  # a window length in milliseconds
        else:
            length = _point_in_time(value, f"dynamic throttle `{key}`", now) - now
    else:
        length = _amount_unit(outputs, "throttle", now) - now
    return ThrottleWindow(now - abs(length), int(threshold), group_key(outputs.get("throttleKey"), scope))


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: ``base_ms * 2 ** (attempt - 1)``, at most ``max_ms``, ``max_attempts`` tries."""

    max_attempts: int = 5
    base_ms: int = 1_000
    max_ms: int = 300_000

    def delay_ms(self, attempt: int) -> int:
        return int(min(self.max_ms, self.base_ms * 2 ** max(0, attempt - 1)))
