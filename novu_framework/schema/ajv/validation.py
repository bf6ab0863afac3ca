"""ajv's validation vocabulary: limits, ``multipleOf``, ``pattern``, ``required``, ``uniqueItems``, ``const``,
``enum`` and ``nullable``.

Mirrors ``lib/vocabularies/validation/*.ts`` (``limitNumber``, ``multipleOf``, ``limitLength``,
``limitItems``, ``limitProperties``, ``pattern``, ``required``, ``uniqueItems``, ``const``, ``enum``). The
``type`` keyword generates no code of its own: the driver tests it (``lib/compile/validate/dataType.ts``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from novu_framework.js.numbers import format_number
from novu_framework.js.values import deep_equal, strict_equal
from novu_framework.schema.ajv.checks import Check, Errors, error
from novu_framework.schema.ajv.context import CompileContext, KeywordCompiler, no_code
from novu_framework.schema.ajv.patterns import schema_pattern, timed_out
from novu_framework.schema.ajv.rules import schema_types, types_test
from novu_framework.schema.base import SchemaCompileError
from novu_framework.schema.jsregex import RegexTimeoutError

__all__ = ["KEYWORDS"]

_LIMITS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "maximum": ("<=", lambda data, limit: data > limit),
    "minimum": (">=", lambda data, limit: data < limit),
    "exclusiveMaximum": ("<", lambda data, limit: data >= limit),
    "exclusiveMinimum": (">", lambda data, limit: data <= limit),
}


def _limit(keyword: str) -> KeywordCompiler:
    """``maximum``/``minimum`` and their exclusive forms (NaN fails them all, as in JavaScript)."""
    op, fails = _LIMITS[keyword]

    def compile_limit(_context: CompileContext, limit: Any, _group: str | None) -> Check | None:
        own = error(f"must be {op} {format_number(limit)}")
        return lambda data: own if fails(data, limit) or data != data else None

    return compile_limit


def _multiple_of(_context: CompileContext, divisor: Any, _group: str | None) -> Check | None:
    own = error(f"must be multiple of {format_number(divisor)}")
    exact = isinstance(divisor, int) and not isinstance(divisor, bool)

    def run(data: Any) -> Errors | None:
        if divisor == 0:
            return own
        if exact and isinstance(data, int) and abs(data) > 2**53:
            return None if data % divisor == 0 else own
        try:
            res = float(data) / float(divisor)
        except OverflowError:
            return own
        # JavaScript: res !== parseInt(res), where parseInt reads String(res) (exponent forms fail).
        return None if res.is_integer() and abs(res) < 1e21 else own

    return run


def _count(keyword: str, noun: str) -> KeywordCompiler:
    """``min``/``max`` + ``Length``/``Items``/``Properties``: a bound on ``len`` of the value."""

    def compile_count(_context: CompileContext, limit: Any, _group: str | None) -> Check | None:
        if keyword.startswith("max"):
            too_many = error(f"must NOT have more than {format_number(limit)} {noun}")
            return lambda data: too_many if len(data) > limit else None
        too_few = error(f"must NOT have fewer than {format_number(limit)} {noun}")
        return lambda data: too_few if len(data) < limit else None

    return compile_count


def _pattern(_context: CompileContext, pattern: Any, _group: str | None) -> Check | None:
    search = schema_pattern(pattern).search
    own = error(f'must match pattern "{pattern}"')

    def run(data: str) -> Errors | None:
        try:
            return None if search(data) is not None else own
        except RegexTimeoutError as exc:
            return timed_out(exc)

    return run


def _required(context: CompileContext, required: Any, _group: str | None) -> Check | None:
    if not required:
        return None
    names = tuple(required)
    missing = {name: error(f"must have required property '{name}'") for name in names}
    if context.options.all_errors:

        def run_all(data: dict[str, Any]) -> Errors | None:
            out: Errors = ()
            for name in names:
                if name not in data:
                    out += missing[name]
            return out or None

        return run_all

    wanted = frozenset(names)
    if len(names) == 1:
        only, only_missing = names[0], missing[names[0]]
        return lambda data: None if only in data else only_missing

    def run(data: dict[str, Any]) -> Errors | None:
        if wanted.issubset(data):
            return None
        for name in names:
            if name not in data:
                return missing[name]
        return None

    return run


def _unique_key(item: Any, several_types: bool) -> Any:
    if item is True or item is False:
        return ("b", item)
    if isinstance(item, str):
        return ("s", item) if several_types else ("v", item)
    return ("v", item)


def _unique_items(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    if not value:
        return None
    items = context.schema.get("items")
    item_types = schema_types(items) if isinstance(items, dict) else []
    # ajv compares scalar items through an index when the items' type rules out objects and arrays.
    indexed = bool(item_types) and not any(t in ("object", "array") for t in item_types)

    def duplicate(j: int, i: int) -> Errors:
        return error(f"must NOT have duplicate items (items ## {j} and {i} are identical)")

    if indexed:
        test = types_test(item_types)
        several = len(item_types) > 1

        def run_indexed(data: list[Any]) -> Errors | None:
            seen: dict[Any, int] = {}
            for i in range(len(data) - 1, -1, -1):
                item = data[i]
                if not test(item):
                    continue
                key = _unique_key(item, several)
                if key in seen:
                    return duplicate(seen[key], i)
                seen[key] = i
            return None

        return run_indexed

    def run_pairs(data: list[Any]) -> Errors | None:
        for i in range(len(data) - 1, 0, -1):
            for j in range(i - 1, -1, -1):
                if deep_equal(data[i], data[j]):
                    return duplicate(j, i)
        return None

    return run_pairs


def _const(_context: CompileContext, value: Any, _group: str | None) -> Check | None:
    own = error("must be equal to constant")
    if isinstance(value, (dict, list)):
        return lambda data: None if deep_equal(data, value) else own
    return lambda data: None if strict_equal(data, value) else own


def _enum(_context: CompileContext, values: Any, _group: str | None) -> Check | None:
    if not isinstance(values, list) or not values:
        raise SchemaCompileError("enum must have non-empty array")
    own = error("must be equal to one of the allowed values")
    if all(isinstance(v, str) for v in values):
        allowed = frozenset(values)
        return lambda data: None if isinstance(data, str) and data in allowed else own
    options = tuple(values)
    return lambda data: None if any(deep_equal(data, v) for v in options) else own


def _nullable(_context: CompileContext, value: Any, _group: str | None) -> Check | None:
    if not isinstance(value, bool):
        raise SchemaCompileError('nullable value must be ["boolean"]')
    return None


KEYWORDS: dict[str, KeywordCompiler] = {
    **{keyword: _limit(keyword) for keyword in _LIMITS},
    "multipleOf": _multiple_of,
    "maxLength": _count("maxLength", "characters"),
    "minLength": _count("minLength", "characters"),
    "maxItems": _count("maxItems", "items"),
    "minItems": _count("minItems", "items"),
    "maxProperties": _count("maxProperties", "properties"),
    "minProperties": _count("minProperties", "properties"),
    "pattern": _pattern,
    "required": _required,
    "uniqueItems": _unique_items,
    "type": no_code,
    "nullable": _nullable,
    "const": _const,
    "enum": _enum,
}
