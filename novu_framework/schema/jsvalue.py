"""JSON values seen the way JavaScript sees them: types, equality, key order, copies."""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "deep_copy",
    "is_array_index",
    "is_integer",
    "is_number",
    "js_equal",
    "js_keys",
    "js_strict_equal",
    "pointer_segment",
]


def is_array_index(key: Any) -> bool:
    """Whether JavaScript treats the property name as an array index (ordered first in objects)."""
    return (
        isinstance(key, str)
        and key.isdigit()
        and key.isascii()
        and (key == "0" or not key.startswith("0"))
        and int(key) < 2**32 - 1
    )


_SCALARS = frozenset((str, int, float, bool, type(None)))


def deep_copy(value: Any) -> Any:
    """Copy a JSON-like value (``structuredClone``); tuples become lists, other objects are shared."""
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _SCALARS else deep_copy(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _SCALARS else deep_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [deep_copy(v) for v in value]
    return value


def is_number(value: Any) -> bool:
    """``typeof value == "number" && isFinite(value)`` (ajv's ``strictNumbers``)."""
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is bool:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """A number without a fraction (``2.0`` counts, as in JavaScript)."""
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        return bool(value.is_integer())
    if kind is bool:
        return False
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "other"


def js_strict_equal(a: Any, b: Any) -> bool:
    """``a === b`` for primitives (objects are equal only when identical)."""
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind in ("object", "array", "other"):
        return a is b
    return bool(a == b)


def js_equal(a: Any, b: Any) -> bool:
    """fast-deep-equal, as ajv uses for ``const``, ``enum`` and ``uniqueItems``."""
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind == "object":
        if len(a) != len(b):
            return False
        return all(key in b and js_equal(value, b[key]) for key, value in a.items())
    if kind == "array":
        return len(a) == len(b) and all(js_equal(x, y) for x, y in zip(a, b, strict=True))
    if kind == "number" and a != a and b != b:  # NaN
        return True
    return bool(a == b)


def js_keys(obj: dict[str, Any]) -> list[str]:
    """``Object.keys(obj)``: integer-like keys first in ascending order, then insertion order."""
    keys = list(obj)
    if not any(k[:1].isdigit() for k in keys if isinstance(k, str)):
        return keys
    index = sorted((k for k in keys if is_array_index(k)), key=int)
    return index + [k for k in keys if not is_array_index(k)]


def pointer_segment(key: str | int) -> str:
    """``/`` plus the JSON-pointer escaped key."""
    if isinstance(key, int):
        return f"/{key}"
    return "/" + key.replace("~", "~0").replace("/", "~1")
