"""JavaScript numbers: ``String(number)`` and ``Number(string)``.

Python integers can be larger than any JavaScript number. :func:`number_to_string` prints what Node prints
for the value once it is a double (``12345678901234567000``); :func:`format_number` keeps integers exact
(deviation D7, for what templates print).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from novu_framework.js.strings import JS_WHITESPACE

__all__ = [
    "MAX_SAFE_INTEGER",
    "format_number",
    "normalize_number",
    "number_to_string",
    "string_to_number",
]

MAX_SAFE_INTEGER = 2**53
"""Past this, a JavaScript number can no longer hold every integer."""

# ASCII digits only: Python's ``\d`` and ``float()`` also accept other scripts' digits, ``Number()`` does not.
_DECIMAL = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity)", re.ASCII)
_RADIX = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}
_RADIX_DIGITS = {16: re.compile(r"[0-9a-fA-F]+"), 8: re.compile(r"[0-7]+"), 2: re.compile(r"[01]+")}


def number_to_string(value: float | int) -> str:
    """``String(value)``: ``1`` for 1.0, ``1e+21``, ``1e-7``, ``12345678901234567000``, ``NaN``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
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
    k, n = len(digits), len(digits) + int(exponent)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        out = f"{mantissa}e{'+' if n >= 1 else '-'}{abs(n - 1)}"
    return sign + out


def format_number(value: float | int) -> str:
    """``String(number)``, except that integers are printed exactly (D7)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return number_to_string(value)


def string_to_number(text: str) -> float | int:
    """``Number(text)`` (``NaN`` for text that is not a number); integral results are ``int``."""
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
    return normalize_number(float(text))


def normalize_number(value: float | int) -> float | int:
    """An integral float within the safe range becomes an ``int`` (JavaScript has one number type)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_SAFE_INTEGER:
        return int(value)
    return value
