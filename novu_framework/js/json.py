"""``JSON.parse`` with exact integers and ``JSON.stringify``, as the reference's Node code produces them.

The standard library parses and writes the JSON; this module adds what JavaScript does differently: an
integral ``2.0`` or ``1e2`` is an integer, ``NaN``/``Infinity`` literals are refused, numbers print as
``String(number)`` does, array-index keys come first, and lone UTF-16 surrogates are escaped.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from novu_framework.js.numbers import MAX_SAFE_INTEGER, format_number, number_to_string
from novu_framework.js.objects import object_keys
from novu_framework.js.strings import join_surrogate_pairs

__all__ = [
    "MAX_INTEGER_DIGITS",
    "UNDEFINED",
    "JsonParseError",
    "dumps",
    "gap_of",
    "loads",
    "stringify",
    "stringify_value",
]

MAX_INTEGER_DIGITS = 1000
"""The longest integer literal :func:`loads` accepts. JavaScript reads anything past 309 digits as
``Infinity``; Python parses integers in time quadratic in their length and refuses over 4300 digits
(``sys.set_int_max_str_digits``), so a bound is set here, independent of that interpreter setting."""


class JsonParseError(ValueError):
    """The text is not valid JSON (JavaScript's ``JSON.parse`` would reject it too)."""


def _parse_float(text: str) -> float | int:
    value = float(text)
    if math.isinf(value):
        raise JsonParseError(f"number out of range: {text[:40]}")
    # A JSON number with a fraction or exponent that is integral (``2.0``, ``1e2``) is an integer to
    # JavaScript (``Number.isInteger``): keep it as ``int`` so schemas, templates and resolvers agree.
    if value.is_integer() and abs(value) < MAX_SAFE_INTEGER:
        return int(value)
    return value


def _parse_int(text: str) -> int:
    digits = len(text) - (text[0] == "-")
    if digits > MAX_INTEGER_DIGITS:
        raise JsonParseError(f"integer of {digits} digits, more than the {MAX_INTEGER_DIGITS} accepted")
    return int(text)


def _reject_constant(name: str) -> Any:
    raise JsonParseError(f"invalid JSON literal {name}")


_decoder = json.JSONDecoder(parse_float=_parse_float, parse_int=_parse_int, parse_constant=_reject_constant)


def loads(data: bytes | str) -> Any:
    """Parse JSON text. Integers keep their exact value (deviation D7); NaN/Infinity are rejected."""
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        if text.startswith("\ufeff"):
            text = text[1:]
        return _decoder.decode(text)
    except RecursionError as exc:
        raise JsonParseError("JSON nested too deeply") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, JsonParseError):
            raise
        raise JsonParseError(str(exc)) from exc


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON for a response body."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (from ``\\ud800`` escapes in the request) cannot be UTF-8: escape everything.
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


class _Undefined:
    __slots__ = ()

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED: Any = _Undefined()
"""What a ``convert`` hook of :func:`stringify_value` returns for JavaScript ``undefined``."""

_LITERALS = {None: "null", True: "true", False: "false"}
_NOT_FINITE = frozenset({"NaN", "Infinity", "-Infinity"})
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _quote(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    if _SURROGATE_PAIR.search(text):
        # A surrogate pair held as two code points is one character to JavaScript: written as it is.
        text = join_surrogate_pairs(text)
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def gap_of(indent: Any) -> str:
    """The indentation ``JSON.stringify(value, null, indent)`` uses: up to 10 spaces or characters."""
    if isinstance(indent, str):
        return indent[:10]
    if isinstance(indent, (int, float)) and not isinstance(indent, bool) and indent == indent and indent >= 1:
        return " " * int(min(indent, 10))
    return ""


def stringify(value: Any) -> str:
    """``JSON.stringify(value)`` of a JSON value: the compact text the Novu cloud signs and logs.

    Raises ``TypeError`` for a value that is not JSON (a tuple, an object, ...).
    """
    text = stringify_value(value)
    if text is None:
        raise TypeError(f"cannot stringify {type(value).__name__}")
    return text


def stringify_value(
    value: Any,
    gap: str = "",
    *,
    exact_integers: bool = False,
    convert: Callable[[Any], Any] | None = None,
) -> str | None:
    """``JSON.stringify(value, null, gap)``; ``None`` where JavaScript returns ``undefined``.

    ``exact_integers`` prints integers past 2**53 with all their digits (D7). ``convert`` maps a value
    that is not JSON to the JSON value it stands for, or to :data:`UNDEFINED` (the member is left out,
    an array item is ``null``); without it such a value is ``undefined``.
    """
    number = format_number if exact_integers else number_to_string
    return _stringify(value, gap, "", number, convert)


def _stringify(
    value: Any, gap: str, current: str, number: Callable[[Any], str], convert: Callable[[Any], Any] | None
) -> str | None:
    if isinstance(value, str):
        return _quote(value)
    if value is None or value is True or value is False:
        return _LITERALS[value]
    if isinstance(value, (int, float)):
        printed = number(value)
        return "null" if printed in _NOT_FINITE else printed
    if isinstance(value, list):
        inner = current + gap
        items = [_stringify(item, gap, inner, number, convert) or "null" for item in value]
        return _wrap("[", "]", items, gap, current, inner)
    if isinstance(value, dict):
        inner = current + gap
        colon = ": " if gap else ":"
        members = []
        for key in object_keys(value):
            text = _stringify(value[key], gap, inner, number, convert)
            if text is not None:
                members.append(_quote(key) + colon + text)
        return _wrap("{", "}", members, gap, current, inner)
    if convert is not None:
        replaced = convert(value)
        if replaced is not UNDEFINED and _is_json(replaced):
            return _stringify(replaced, gap, current, number, convert)
    return None


def _is_json(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, list, dict))


def _wrap(open_: str, close: str, parts: list[str], gap: str, current: str, inner: str) -> str:
    if not parts:
        return open_ + close
    if not gap:
        return open_ + ",".join(parts) + close
    return f"{open_}\n{inner}" + f",\n{inner}".join(parts) + f"\n{current}{close}"
