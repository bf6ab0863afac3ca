"""liquidjs math filters: every argument goes through ``+value || 0`` and results follow IEEE doubles.

Integers stay exact Python integers (deviation D7); a missing operand gives ``NaN`` as in JavaScript.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from novu_framework.js.numbers import number_to_string as js_number
from novu_framework.templating.js import normalize_number, to_number_or_zero

Number = int | float

_MAX_SAFE_INTEGER = 2**53 - 1


def _numbers(value: Any, args: tuple[Any, ...]) -> list[Number]:
    return [to_number_or_zero(item) for item in (value, *args)]


def _operand(numbers: list[Number], index: int) -> Number:
    return numbers[index] if index < len(numbers) else math.nan


def _integral(function: Callable[[float], Any], number: Number) -> Number:
    if isinstance(number, int) or not math.isfinite(number):
        return number
    return normalize_number(float(function(number)))


def abs_(value: Any, *args: Any) -> Number:
    return abs(_numbers(value, args)[0])


def at_least(value: Any, *args: Any) -> Number:
    return max(_numbers(value, args))


def at_most(value: Any, *args: Any) -> Number:
    return min(_numbers(value, args))


def ceil(value: Any, *_: Any) -> Number:
    return _integral(math.ceil, to_number_or_zero(value))


def floor(value: Any, *_: Any) -> Number:
    return _integral(math.floor, to_number_or_zero(value))


def _divide(dividend: Number, divisor: Number) -> Number:
    if divisor == 0:
        if dividend == 0 or dividend != dividend:
            return math.nan
        return math.inf if dividend > 0 else -math.inf
    if isinstance(dividend, int) and isinstance(divisor, int) and dividend % divisor == 0:
        return dividend // divisor
    return dividend / divisor


def divided_by(value: Any, *args: Any) -> Number:
    numbers = _numbers(value, args)
    quotient = _divide(numbers[0], _operand(numbers, 1))
    if len(numbers) > 2 and numbers[2]:
        return _integral(math.floor, quotient)
    return quotient


def _as_double(number: Number) -> Number:
    # JavaScript has only doubles: an integer past 2**53 is a float (not a big int that grows unbounded).
    if isinstance(number, int) and not -(2**53) < number < 2**53:
        try:
            return float(number)
        except OverflowError:
            return math.inf if number > 0 else -math.inf
    return number


def minus(value: Any, *args: Any) -> Number:
    numbers = _numbers(value, args)
    return _as_double(numbers[0] - _operand(numbers, 1))


def plus(value: Any, *args: Any) -> Number:
    numbers = _numbers(value, args)
    return _as_double(numbers[0] + _operand(numbers, 1))


def times(value: Any, *args: Any) -> Number:
    numbers = _numbers(value, args)
    return _as_double(normalize_number(numbers[0] * _operand(numbers, 1)))


def _js_remainder(left: Number, right: Number) -> Number:
    if right == 0 or left != left or right != right or math.isinf(left):
        return math.nan
    if isinstance(left, int) and isinstance(right, int):
        remainder = abs(left) % abs(right)
        return -remainder if left < 0 else remainder
    return math.fmod(left, right)


def modulo(value: Any, *args: Any) -> Number:
    numbers = _numbers(value, args)
    divisor = _operand(numbers, 1)
    return _js_remainder(_js_remainder(numbers[0], divisor) + divisor, divisor)


def _shift_decimal(number: Number, exponent: Number) -> float:
    mantissa, _, power = js_number(number).partition("e")
    return float(f"{mantissa}e{int(power or 0) + int(exponent)}")


def round_(value: Any, *args: Any) -> Number:
    number = to_number_or_zero(value)
    places = to_number_or_zero(args[0]) if args else 0
    if not float(places).is_integer():
        # JavaScript builds "<mantissa>e<power>" and parses NaN: the value comes back unchanged.
        return number
    scaled = _shift_decimal(abs(number), places)
    if not scaled <= _MAX_SAFE_INTEGER:
        return number
    rounded = _shift_decimal(math.floor(scaled + 0.5), -places)
    return normalize_number(-rounded if number < 0 else rounded)


FILTERS: dict[str, Callable[..., Any]] = {
    "abs": abs_,
    "at_least": at_least,
    "at_most": at_most,
    "ceil": ceil,
    "floor": floor,
    "divided_by": divided_by,
    "minus": minus,
    "plus": plus,
    "times": times,
    "modulo": modulo,
    "round": round_,
}
