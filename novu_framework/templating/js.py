"""JavaScript value semantics for template data, as liquidjs applies them to JSON values.

Template data is plain JSON (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``);
python-liquid adds its ``Undefined`` (JavaScript ``undefined``) and the ``empty`` / ``blank`` literals.
Integers keep their exact value when printed (deviation D7); every other number is formatted like JavaScript's
``String(number)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, TypeGuard

from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.undefined import Undefined

from novu_framework.jsonutil import js_number
from novu_framework.templating.limits import current_budget

# JavaScript's StrWhiteSpaceChar / \s: what String.prototype.trim and Number() strip.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_SPACE_CLASS = "[" + re.escape(JS_WHITESPACE) + "]"
_DECIMAL = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity)")
_RADIX = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
_RADIX_DIGITS = {16: re.compile(r"[0-9a-fA-F]+"), 8: re.compile(r"[0-7]+"), 2: re.compile(r"[01]+")}


UNDEFINED = Undefined("")
"""JavaScript ``undefined`` (what a filter returns for "no value")."""


class NullDrop:
    """liquidjs's ``nil`` literal: equal to null and undefined, never ordered, printed as ``{}``."""

    __slots__ = ()

    def __liquid__(self) -> None:
        return None

    def __repr__(self) -> str:
        return "nil"


NIL = NullDrop()

_DROPS = (NullDrop, Empty, Blank)
_JSON_TYPES = frozenset({str, int, float, bool, type(None), dict, list})


def is_nil(value: Any) -> bool:
    """``value == null`` in JavaScript: ``null``, ``undefined`` or the ``nil`` literal."""
    if type(value) in _JSON_TYPES:
        return value is None
    return isinstance(value, (Undefined, NullDrop))


def js_items(obj: dict[str, Any]) -> list[tuple[str, Any]]:
    """An object's entries in JavaScript property order (integer-like keys first, ascending)."""
    return [(key, obj[key]) for key in _ordered_keys(obj)]


def is_number(value: Any) -> TypeGuard[int | float]:
    """``typeof value === 'number'``."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_object(value: Any) -> bool:
    """A JSON object (not an array, not python-liquid's ``Undefined``, which is a mapping too)."""
    return isinstance(value, dict)


def to_value(value: Any) -> Any:
    """liquidjs ``toValue``: ``empty`` / ``blank`` stand for ``''``, ``nil`` for null; ranges are arrays."""
    if type(value) in _JSON_TYPES:
        return value
    if isinstance(value, (Empty, Blank)):
        return ""
    if isinstance(value, NullDrop):
        return None
    if isinstance(value, range):
        budget = current_budget()
        if budget is not None:
            budget.charge_loop(len(value))  # ``(1..N)`` as an array: N steps of work
        return list(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def format_number(value: int | float) -> str:
    """``String(number)``; integers are printed exactly (D7)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return js_number(value)


def js_str(value: Any) -> str:
    """``String(value)``."""
    value = to_value(value)
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, Undefined):
        return "undefined"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if is_number(value):
        return format_number(value)
    if isinstance(value, list):
        return js_join(value, ",")
    if isinstance(value, Mapping):
        return "[object Object]"
    return str(value)


def js_join(items: list[Any], separator: str) -> str:
    """``Array.prototype.join``: nil items are empty."""
    return separator.join("" if is_nil(item) else js_str(item) for item in items)


def read_property(obj: Any, key: Any) -> Any:
    """liquidjs ``readProperty`` with ``ownPropertyOnly``: one step of a variable path.

    Raises ``KeyError`` where JavaScript gives ``undefined``; a property of ``null`` is ``null``. Strings are
    indexed and sized by code point (D8).
    """
    key = to_value(key)
    if obj is None:
        return None
    if isinstance(obj, dict):
        name = key if isinstance(key, str) else js_str(key)
        if name in obj:
            return obj[name]
        if name == "size":
            return len(obj)
        raise KeyError(name)
    if isinstance(obj, (list, str)):
        if is_number(key) or (isinstance(key, str) and _is_array_index(key)):
            index = int(key) if not isinstance(key, float) or key.is_integer() else None
            if index is not None:
                if index < 0 and isinstance(obj, list) and not isinstance(key, str):
                    index += len(obj)
                if 0 <= index < len(obj):
                    return obj[index]
            raise KeyError(key)
        if key in ("size", "length"):
            return len(obj)
        if isinstance(obj, list) and obj and key in ("first", "last"):
            return obj[0] if key == "first" else obj[-1]
    raise KeyError(key)


def stringify(value: Any) -> str:
    """liquidjs ``stringify``: nil is ``''`` and arrays are concatenated without separator."""
    value = to_value(value)
    if isinstance(value, str):
        return value
    if is_nil(value):
        return ""
    if isinstance(value, list):
        return "".join(stringify(item) for item in value)
    return js_str(value)


def string_to_number(text: str) -> float | int:
    """JavaScript ``Number(string)`` (``NaN`` for text that is not a number)."""
    text = text.strip(JS_WHITESPACE)
    if not text:
        return 0
    base = _RADIX.get(text[:2])
    if base is not None:
        digits = text[2:]
        return int(digits, base) if _RADIX_DIGITS[base].fullmatch(digits) else math.nan
    if not _DECIMAL.fullmatch(text):
        return math.nan
    if text.endswith("Infinity"):
        return -math.inf if text.startswith("-") else math.inf
    number = float(text)
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def to_number(value: Any) -> float | int:
    """JavaScript ``Number(value)`` (may be ``NaN``)."""
    value = to_value(value)
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if is_number(value):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):
        return string_to_number(js_str(value))
    return math.nan


def to_number_or_zero(value: Any) -> float | int:
    """liquidjs ``toNumber``: ``+value || 0`` (``NaN`` and ``-0`` become ``0``)."""
    number = to_number(value)
    if number != number or number == 0:
        return 0
    return number


def normalize_number(value: float | int) -> float | int:
    """An integral float within the safe range becomes an ``int`` (JavaScript has one number type)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness (``if (value)``): ``0``, ``NaN`` and ``''`` are falsy too."""
    if is_nil(value) or value is False:
        return False
    if is_number(value):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def is_truthy(value: Any) -> bool:
    """Liquid truthiness (``jsTruthy: false``): only ``false``, ``null`` and ``undefined`` are falsy."""
    return not (value is False or is_nil(value))


def strict_equals(left: Any, right: Any) -> bool:
    """liquidjs ``equals``: ``===``, except that arrays compare item by item and nil equals nil."""
    if isinstance(left, (Empty, Blank)):
        return _drop_equals(left, right)
    if isinstance(right, (Empty, Blank)):
        return _drop_equals(right, left)
    if isinstance(left, NullDrop) or isinstance(right, NullDrop):
        return is_nil(left) and is_nil(right)
    left, right = to_value(left), to_value(right)
    if isinstance(left, list):
        return (
            isinstance(right, list)
            and len(left) == len(right)
            and all(strict_equals(a, b) for a, b in zip(left, right, strict=False))
        )
    if isinstance(left, Undefined) or isinstance(right, Undefined):
        return isinstance(left, Undefined) and isinstance(right, Undefined)
    if left is None or right is None:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if is_number(left) and is_number(right):
        return bool(left == right)
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    return left is right


def _drop_equals(drop: Any, value: Any) -> bool:
    if isinstance(value, (Empty, Blank)):
        return False
    if isinstance(value, NullDrop):
        value = None
    if isinstance(drop, Blank):
        if value is False or is_nil(value):
            return True
        if isinstance(value, str):
            return value.strip(JS_WHITESPACE) == ""
    value = to_value(value)
    if isinstance(value, (str, list)):
        return len(value) == 0
    if is_object(value):
        return len(value) == 0
    return False


def _to_primitive(value: Any) -> Any:
    value = to_value(value)
    if isinstance(value, (list, dict)):
        return js_str(value)
    return value


def compare_strings(left: str, right: str) -> int:
    """Order two strings by UTF-16 code units, as JavaScript does (-1, 0 or 1)."""
    if _has_astral(left) or _has_astral(right):
        lkey, rkey = left.encode("utf-16-be", "surrogatepass"), right.encode("utf-16-be", "surrogatepass")
        return (lkey > rkey) - (lkey < rkey)
    return (left > right) - (left < right)


def _has_astral(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


def compare(left: Any, right: Any) -> int | None:
    """JavaScript's abstract relational comparison: -1, 0, 1, or ``None`` when it is undefined (NaN)."""
    left, right = _to_primitive(left), _to_primitive(right)
    if isinstance(left, str) and isinstance(right, str):
        return compare_strings(left, right)
    lnum = math.nan if isinstance(left, Undefined) else to_number(left)
    rnum = math.nan if isinstance(right, Undefined) else to_number(right)
    if lnum != lnum or rnum != rnum:
        return None
    return (lnum > rnum) - (lnum < rnum)


def less_than(left: Any, right: Any) -> bool:
    """``left < right`` (the ``nil``, ``empty`` and ``blank`` literals are never ordered)."""
    if isinstance(left, _DROPS) or isinstance(right, _DROPS):
        return False
    return compare(left, right) == -1


def less_or_equal(left: Any, right: Any) -> bool:
    """``left <= right``."""
    if isinstance(left, _DROPS) or isinstance(right, _DROPS):
        return False
    return compare(left, right) in (-1, 0)


def contains(left: Any, right: Any) -> bool:
    """The ``contains`` operator: array membership with ``equals``, or substring search."""
    left = to_value(left)
    if isinstance(left, list):
        return any(strict_equals(item, right) for item in left)
    if isinstance(left, str):
        return js_str(to_value(right)) in left
    return False


def json_stringify(value: Any, indent: Any = 0) -> str | None:
    """``JSON.stringify(value, null, indent)``; ``None`` where JavaScript returns ``undefined``."""
    return _stringify_json(value, _gap(to_value(indent)), "")


def _gap(indent: Any) -> str:
    if isinstance(indent, str):
        return indent[:10]
    if is_number(indent) and indent == indent and indent >= 1:
        return " " * int(min(indent, 10))
    return ""


def _stringify_json(value: Any, gap: str, current: str) -> str | None:
    if isinstance(value, _DROPS):
        return "{}"
    value = to_value(value)
    if value is None:
        return "null"
    if isinstance(value, Undefined):
        return None
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _quote(value)
    if is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            return "null"
        return format_number(value)
    inner = current + gap
    if isinstance(value, list):
        items = [_stringify_json(item, gap, inner) or "null" for item in value]
        return _wrap("[", "]", items, gap, current, inner)
    if isinstance(value, dict):
        members = []
        for key in _ordered_keys(value):
            text = _stringify_json(value[key], gap, inner)
            if text is not None:
                members.append(_quote(key) + (": " if gap else ":") + text)
        return _wrap("{", "}", members, gap, current, inner)
    return None


def _wrap(open_: str, close: str, parts: list[str], gap: str, current: str, inner: str) -> str:
    if not parts:
        return open_ + close
    if not gap:
        return open_ + ",".join(parts) + close
    return f"{open_}\n{inner}" + f",\n{inner}".join(parts) + f"\n{current}{close}"


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JSON_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def _quote(text: str) -> str:
    if not _JSON_NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    return (
        '"' + _JSON_NEEDS_ESCAPE.sub(lambda m: _JSON_ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'
    )


def _is_array_index(key: str) -> bool:
    return key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < 2**32 - 1


def _ordered_keys(obj: dict[str, Any]) -> list[str]:
    keys = list(obj)
    indexes = sorted((key for key in keys if _is_array_index(key)), key=int)
    if not indexes:
        return keys
    return indexes + [key for key in keys if not _is_array_index(key)]


def print_value(value: Any, indent: Any = 0) -> str:
    """How an output tag prints a value (the reference's ``outputEscape``, newlines kept: D5).

    Arrays and objects are ``JSON.stringify`` with every ``"`` turned into ``'``; nil prints nothing.
    """
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, _DROPS):
        return "{}"
    if is_nil(value):
        return ""
    value = to_value(value)
    if isinstance(value, (list, dict)):
        return (json_stringify(value, indent) or "").replace('"', "'")
    return js_str(value)
