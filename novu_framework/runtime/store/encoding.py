"""JSON as the store writes and reads it.

Written compact, with non-ASCII escaped (so any string, even a lone surrogate, can be stored), and
refusing NaN and infinities. One public :class:`json.JSONEncoder` is built once and reused; reading
goes through :func:`novu_framework.jsonutil.loads` (exact integers).
"""

from __future__ import annotations

import json
from typing import Any

from novu_framework.jsonutil import loads

# No circular-reference check: a cycle ends in RecursionError, which callers report as "not JSON".
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False, check_circular=False)


def to_json(value: Any) -> str:
    """Compact JSON as stored; ``TypeError``/``ValueError``/``RecursionError`` for what JSON cannot hold."""
    return _ENCODER.encode(value)


def dump(value: Any) -> str:
    """:func:`to_json`, with the common empty dict spelled without encoding it."""
    if not value and isinstance(value, dict):
        return "{}"
    return _ENCODER.encode(value)


def dump_or_none(value: Any) -> str | None:
    return None if value is None else dump(value)


def parse(text: str | None) -> Any:
    """The value of a stored JSON column (None stays None)."""
    return None if text is None else loads(text)
