"""JSON the way the bridge needs it: exact integers in, JavaScript formatting where the wire expects it."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

_MAX_SAFE_FLOAT_INT = 2**53

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
    if value.is_integer() and abs(value) < _MAX_SAFE_FLOAT_INT:
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


# --- JavaScript number and JSON.stringify formatting ---------------------------------------------


def js_number(value: float | int) -> str:
    """``String(value)`` in JavaScript: ``1`` for 1.0, ``1e+21``, ``1e-7``, ``12345678901234567000``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -_MAX_SAFE_FLOAT_INT <= value <= _MAX_SAFE_FLOAT_INT:
            return str(value)
        try:
            value = float(value)
        except OverflowError:  # past 1.8e308: JavaScript's Number() of it is Infinity
            value = math.inf if value > 0 else -math.inf
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign_bit, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    sign = "-" if sign_bit else ""
    point = len(digits) + int(exponent)
    k, n = len(digits), point
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        exponent = n - 1
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        out = f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return sign + out


def js_string(value: Any) -> str:
    """``String(value)`` in JavaScript for JSON-like values (used where the reference concatenates)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _js_quote(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    if _SURROGATE_PAIR.search(text):
        # Surrogate pairs (from ``\\ud83d\\ude80`` escapes) are one character to JavaScript.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16")
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def _is_array_index(key: str) -> bool:
    return (
        key.isdigit() and key.isascii() and (key == "0" or not key.startswith("0")) and int(key) < 2**32 - 1
    )


_NOT_FINITE = frozenset({"NaN", "Infinity", "-Infinity"})


def js_stringify(value: Any) -> str:
    """``JSON.stringify(value)``: the text the Novu cloud signs (integer-like keys first, JS numbers)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _js_quote(value)
    if isinstance(value, (int, float)):
        text = js_number(value)
        return "null" if text in _NOT_FINITE else text
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = list(value.keys())
        index_keys = sorted((k for k in keys if _is_array_index(k)), key=int)
        other_keys = [k for k in keys if not _is_array_index(k)]
        return (
            "{" + ",".join(f"{_js_quote(k)}:{js_stringify(value[k])}" for k in index_keys + other_keys) + "}"
        )
    raise TypeError(f"cannot stringify {type(value).__name__}")
