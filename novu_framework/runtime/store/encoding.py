"""JSON as the store writes and reads it.

Written compact, with non-ASCII escaped (so any string, even a lone surrogate, can be stored), and
refusing NaN and infinities. One public :class:`json.JSONEncoder` is built once and reused; reading
goes through :func:`novu_framework.jsonutil.loads` (exact integers).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii
from typing import Any

from novu_framework.jsonutil import loads

# No circular-reference check: a cycle ends in RecursionError, which callers report as "not JSON".
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False, check_circular=False)


def to_json(value: Any) -> str:
    """Compact JSON as stored; ``TypeError``/``ValueError``/``RecursionError`` for what JSON cannot hold.

    The flat shapes every trigger stores (a list of subscriber ids, a subscriber or a payload of text
    and integers) are written in one pass with the encoder's own string escaping: calling the encoder
    builds its C encoder anew each time, which costs more than these values' whole text.
    """
    kind = type(value)
    esc = encode_basestring_ascii
    if kind is dict:
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                break
            of = type(item)
            if of is str:
                parts.append(esc(key) + ":" + esc(item))
            elif of is int:
                parts.append(esc(key) + ":" + int.__repr__(item))
            else:
                break
        else:
            return "{" + ",".join(parts) + "}"
    elif kind is list:
        parts = []
        for item in value:
            of = type(item)
            if of is str:
                parts.append(esc(item))
            elif of is int:
                parts.append(int.__repr__(item))
            else:
                break
        else:
            return "[" + ",".join(parts) + "]"
    return _ENCODER.encode(value)


dump = to_json


def dump_or_none(value: Any) -> str | None:
    return None if value is None else dump(value)


def parse(text: str | None) -> Any:
    """The value of a stored JSON column (None stays None)."""
    return None if text is None else loads(text)
