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


def _flat(value: Any) -> str:
    # Text, or an integer (not a bool): written as the encoder writes them.
    return encode_basestring_ascii(value) if type(value) is str else int.__repr__(value)


def to_json(value: Any) -> str:
    """Compact JSON as stored; ``TypeError``/``ValueError``/``RecursionError`` for what JSON cannot hold.

    The flat shapes every trigger stores (a list of subscriber ids, a subscriber or a payload of text
    and integers) are written with the encoder's own string escaping: calling the encoder builds its
    C encoder anew each time, which costs more than these values' whole text.
    """
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        if all(type(k) is str and (type(v) is str or type(v) is int) for k, v in value.items()):
            esc = encode_basestring_ascii
            return "{" + ",".join([f"{esc(k)}:{_flat(v)}" for k, v in value.items()]) + "}"
    elif kind is list and all(type(item) is str or type(item) is int for item in value):
        return "[" + ",".join([_flat(item) for item in value]) + "]"
    return _ENCODER.encode(value)


dump = to_json


def dump_or_none(value: Any) -> str | None:
    return None if value is None else dump(value)


def parse(text: str | None) -> Any:
    """The value of a stored JSON column (None stays None)."""
    return None if text is None else loads(text)
