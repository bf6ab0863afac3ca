"""Template values seen as JavaScript values, as liquidjs applies JavaScript's semantics to them.

Template data is plain JSON (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``);
python-liquid adds its ``Undefined`` (JavaScript ``undefined``) and the ``empty`` / ``blank`` literals.
This module maps those onto :mod:`novu_framework.js`, which holds the JavaScript semantics themselves.
Integers keep their exact value when printed (deviation D7); every other number is formatted like JavaScript's
``String(number)``.
"""

from __future__ import annotations

import math
from typing import Any

from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.undefined import Undefined

from novu_framework.js import values
from novu_framework.js.json import UNDEFINED as _JSON_UNDEFINED
from novu_framework.js.json import gap_of, stringify_value
from novu_framework.js.numbers import format_number, normalize_number, string_to_number
from novu_framework.js.objects import is_array_index
from novu_framework.js.objects import object_items as js_items
from novu_framework.js.strings import JS_SPACE_CLASS, JS_WHITESPACE, compare_strings
from novu_framework.js.values import is_number
from novu_framework.templating.limits import current_budget

__all__ = [
    "JS_SPACE_CLASS",
    "JS_WHITESPACE",
    "NIL",
    "UNDEFINED",
    "NullDrop",
    "compare",
    "compare_strings",
    "contains",
    "format_number",
    "is_nil",
    "is_number",
    "is_object",
    "is_truthy",
    "js_items",
    "js_join",
    "js_str",
    "js_truthy",
    "json_stringify",
    "less_or_equal",
    "less_than",
    "normalize_number",
    "print_value",
    "read_property",
    "strict_equals",
    "string_to_number",
    "stringify",
    "to_number",
    "to_number_or_zero",
    "to_value",
]


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


def js_str(value: Any) -> str:
    """``String(value)``, integers exact (D7)."""
    value = to_value(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Undefined):
        return "undefined"
    if isinstance(value, list):
        return js_join(value, ",")
    return values.to_string(value, exact_integers=True)


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
        if is_number(key) or is_array_index(key):
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


def to_number(value: Any) -> float | int:
    """JavaScript ``Number(value)`` (may be ``NaN``)."""
    value = to_value(value)
    if isinstance(value, list):
        return string_to_number(js_str(value))
    return values.to_number(value)


def to_number_or_zero(value: Any) -> float | int:
    """liquidjs ``toNumber``: ``+value || 0`` (``NaN`` and ``-0`` become ``0``)."""
    number = to_number(value)
    if number != number or number == 0:
        return 0
    return number


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness (``if (value)``): ``0``, ``NaN`` and ``''`` are falsy too."""
    if type(value) in _JSON_TYPES:
        return values.truthy(value)
    return not isinstance(value, (Undefined, NullDrop))


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
    return values.strict_equal(left, right)


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
    if isinstance(value, Undefined):
        return math.nan  # Number(undefined)
    return value


def compare(left: Any, right: Any) -> int | None:
    """JavaScript's abstract relational comparison: -1, 0, 1, or ``None`` when it is undefined (NaN)."""
    return values.compare(_to_primitive(left), _to_primitive(right))


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
    return stringify_value(value, gap_of(to_value(indent)), exact_integers=True, convert=_json_value)


def _json_value(value: Any) -> Any:
    # The nil/empty/blank drops are objects without properties; Undefined and other objects are undefined.
    if isinstance(value, _DROPS):
        return {}
    value = to_value(value)
    return value if type(value) in _JSON_TYPES else _JSON_UNDEFINED


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
