"""JavaScript operators on JSON-like values: ``typeof``, truthiness, ``String()``, ``Number()``, ``===``,
deep equality (fast-deep-equal, as ajv uses it) and the relational comparison behind ``<``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

from novu_framework.js.numbers import format_number, number_to_string, string_to_number
from novu_framework.js.strings import compare_strings

__all__ = [
    "compare",
    "deep_equal",
    "is_finite_number",
    "is_integer",
    "is_number",
    "strict_equal",
    "to_number",
    "to_string",
    "truthy",
    "typeof",
]


def typeof(value: Any) -> str:
    """``typeof value``: ``"object"`` for ``null``, arrays and objects."""
    if value is True or value is False:
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    return "object"


def is_number(value: Any) -> TypeGuard[int | float]:
    """``typeof value === "number"`` (``NaN`` and ``Infinity`` included)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    """``typeof value === "number" && isFinite(value)`` (ajv's ``strictNumbers``); integers of any size count."""
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        return math.isfinite(value)
    return is_number(value) and math.isfinite(value)


def is_integer(value: Any) -> bool:
    """``Number.isInteger(value)`` (``2.0`` counts, as in JavaScript)."""
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        return bool(value.is_integer())
    return is_number(value) and (isinstance(value, int) or value.is_integer())


def truthy(value: Any) -> bool:
    """``!!value``: ``null``, ``false``, ``0``, ``-0``, ``NaN`` and ``""`` are falsy; ``{}`` and ``[]`` are not."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, str):
        return value != ""
    if isinstance(value, (int, float)):
        return value == value and value != 0  # NaN != NaN
    return True


def to_string(value: Any, *, exact_integers: bool = False) -> str:
    """``String(value)``; with ``exact_integers`` an integer past 2**53 keeps its digits (D7)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return format_number(value) if exact_integers else number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if v is None else to_string(v, exact_integers=exact_integers) for v in value)
    if isinstance(value, Mapping):
        return "[object Object]"
    return str(value)


def to_number(value: Any) -> float | int:
    """``Number(value)`` (may be ``NaN``); anything that is not a JSON value is ``NaN``."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):
        return string_to_number(to_string(value))
    return math.nan


def strict_equal(a: Any, b: Any) -> bool:
    """``a === b``: objects and arrays are equal only when they are the same object."""
    kind = typeof(a)
    if kind != typeof(b):
        return False
    if kind == "object":
        return a is b
    if kind == "string":
        return same_string(a, b)
    return bool(a == b)


def same_string(a: str, b: str) -> bool:
    """Equal as JavaScript strings: the same UTF-16 code units, so a surrogate pair written as two
    escapes equals the character it encodes."""
    if a == b:
        return True
    if a.isascii() or b.isascii():
        return False
    return a.encode("utf-16-le", "surrogatepass") == b.encode("utf-16-le", "surrogatepass")


def deep_equal(a: Any, b: Any) -> bool:
    """fast-deep-equal (ajv's ``const``, ``enum`` and ``uniqueItems``): structural, and ``NaN`` equals ``NaN``."""
    if isinstance(a, dict):
        if not isinstance(b, dict) or len(a) != len(b):
            return False
        return all(key in b and deep_equal(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(b, (dict, list)) or typeof(a) != typeof(b):
        return False
    if a is None or b is None:
        return a is b
    if isinstance(a, str):
        return same_string(a, b)
    return bool(a == b) or (a != a and b != b)  # NaN


def compare(left: Any, right: Any) -> int | None:
    """The abstract relational comparison: -1, 0 or 1, or ``None`` where ``<`` and ``>=`` are both false."""
    if isinstance(left, (list, dict)):
        left = to_string(left)
    if isinstance(right, (list, dict)):
        right = to_string(right)
    if isinstance(left, str) and isinstance(right, str):
        return compare_strings(left, right)
    lnum, rnum = to_number(left), to_number(right)
    if lnum != lnum or rnum != rnum:
        return None
    return (lnum > rnum) - (lnum < rnum)
