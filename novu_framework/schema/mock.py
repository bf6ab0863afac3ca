"""Sample data for preview, and the reference's ``deepMerge``.

The reference runs json-schema-faker with ``useDefaultValue`` and ``alwaysFakeOptionals``, its free text
replaced by ``"[placeholder]"``; the rest (numbers, booleans, dates, array lengths) is random. Ours is
deterministic: a ``default`` wins, then ``const``, then the first ``enum`` value; every declared property is
generated; strings are ``"[placeholder]"`` (or a fixed value of the declared ``format``, or a string matching
``pattern``); numbers are the smallest allowed value from 0; booleans are ``False``; arrays get their minimum
number of items (one if no minimum); ``anyOf``/``oneOf`` use their first non-null branch.
"""

from __future__ import annotations

import importlib
import math
import re
from typing import Any

from novu_framework.js.numbers import normalize_number
from novu_framework.js.objects import deep_copy
from novu_framework.js.regex import translate
from novu_framework.js.values import truthy
from novu_framework.schema.jsregex import JsRegexError, RegexTimeoutError, compile_js_regex
from novu_framework.schema.pointer import resolve_fragment

__all__ = ["PLACEHOLDER", "deep_merge", "mock_from_schema", "string_matching"]

PLACEHOLDER = "[placeholder]"
_MAX_DEPTH = 12
_FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00.000Z",
    "date": "2024-01-01",
    "time": "00:00:00.000Z",
    "duration": "P1D",
    "email": "user@example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uri-reference": "https://example.com",
    "uri-template": "https://example.com/{id}",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "regex": "^.*$",
    "json-pointer": "/placeholder",
    "json-pointer-uri-fragment": "#/placeholder",
    "relative-json-pointer": "0",
    "byte": "cGxhY2Vob2xkZXI=",
}
_COMBINATORS = ("anyOf", "oneOf", "allOf")


def deep_merge(base: Any, override: Any) -> Any:
    """The reference's ``deepMerge(base, override)``: a new object; objects of ``override`` merge recursively,
    its arrays and scalars replace. Neither argument is modified."""
    merged = _spread(base)
    for key, value in override.items() if isinstance(override, dict) else ():
        if isinstance(value, dict):
            current = merged.get(key)
            merged[key] = deep_merge(current if truthy(current) else {}, value)
        else:
            merged[key] = deep_copy(value)
    return merged


def _spread(value: Any) -> dict[str, Any]:
    """``{...value}`` in JavaScript."""
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, (str, list)):
        return {str(i): deep_copy(v) for i, v in enumerate(value)}
    return {}


def mock_from_schema(schema: Any) -> Any:
    """Deterministic sample data for a JSON Schema (see the module docstring)."""
    return _Mocker(schema).value(schema, 0)


class _Mocker:
    def __init__(self, root: Any) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return {}
        try:
            return resolve_fragment(self.root, ref[1:])
        except LookupError:
            return {}

    def value(self, schema: Any, depth: int) -> Any:
        if not isinstance(schema, dict):
            return PLACEHOLDER if schema is True else None
        if "default" in schema:
            return deep_copy(schema["default"])
        if "const" in schema:
            return deep_copy(schema["const"])
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return deep_copy(schema["enum"][0])
        if depth > _MAX_DEPTH:
            return None
        if isinstance(schema.get("$ref"), str):
            return self.value(
                _merge_schemas(_without(schema, "$ref"), self.resolve(schema["$ref"])), depth + 1
            )
        if isinstance(schema.get("allOf"), list):
            merged = _without(schema, "allOf")
            for part in schema["allOf"]:
                merged = _merge_schemas(merged, self.deref(part))
            return self.value(merged, depth + 1)
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                chosen = next((b for b in branches if not _is_null_only(self.deref(b))), branches[0])
                return self.value(_merge_schemas(_without(schema, keyword), self.deref(chosen)), depth + 1)
        kind = _schema_type(schema)
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, depth)
        if kind == "string":
            return _string(schema)
        if kind in ("number", "integer"):
            return _number(schema, kind == "integer")
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return PLACEHOLDER

    def deref(self, schema: Any) -> Any:
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            return _merge_schemas(_without(schema, "$ref"), self.resolve(schema["$ref"]))
        return schema

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for key, sub in properties.items():
                result[key] = self.value(sub, depth + 1)
        for key in schema.get("required") or ():
            if isinstance(key, str) and key not in result:
                result[key] = PLACEHOLDER
        return result

    def array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        items = schema.get("items")
        if isinstance(items, list):
            return [self.value(sub, depth + 1) for sub in items]
        minimum = schema.get("minItems")
        maximum = schema.get("maxItems")
        count = minimum if isinstance(minimum, int) and minimum > 0 else 1
        if isinstance(maximum, int):
            count = min(count, maximum)
        return [self.value(items if items is not None else True, depth + 1) for _ in range(count)]


def _without(schema: dict[str, Any], keyword: str) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != keyword}


def _merge_schemas(base: Any, extra: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(extra, dict):
        return extra if isinstance(extra, dict) else base
    merged = {**base, **{k: v for k, v in extra.items() if k not in ("properties", "required")}}
    if "properties" in base or "properties" in extra:
        merged["properties"] = {**(base.get("properties") or {}), **(extra.get("properties") or {})}
    if "required" in base or "required" in extra:
        merged["required"] = list(
            dict.fromkeys([*(base.get("required") or []), *(extra.get("required") or [])])
        )
    return merged


def _is_null_only(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _schema_type(schema: dict[str, Any]) -> str | None:
    declared = schema.get("type")
    if isinstance(declared, list):
        non_null = [t for t in declared if t != "null"]
        return non_null[0] if non_null else ("null" if declared else None)
    if isinstance(declared, str):
        return declared
    if any(k in schema for k in ("properties", "required", "additionalProperties", "patternProperties")):
        return "object"
    if any(k in schema for k in ("items", "minItems", "maxItems")):
        return "array"
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return "number"
    return None


def _string(schema: dict[str, Any]) -> str:
    pattern = schema.get("pattern")
    fmt = schema.get("format")
    text = PLACEHOLDER
    if isinstance(pattern, str):
        text = string_matching(pattern) or PLACEHOLDER
    elif isinstance(fmt, str) and fmt in _FORMAT_SAMPLES:
        return _FORMAT_SAMPLES[fmt]
    minimum, maximum = schema.get("minLength"), schema.get("maxLength")
    if isinstance(minimum, int) and len(text) < minimum:
        text = (text * (minimum // max(len(text), 1) + 1))[:minimum] if text else "x" * minimum
    if isinstance(maximum, int) and len(text) > maximum:
        text = text[:maximum]
    return text


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    value: float
    if isinstance(low, (int, float)):
        value = low
    elif isinstance(ex_low, (int, float)):
        value = math.floor(ex_low) + 1 if integer else ex_low + 1
    elif isinstance(high, (int, float)) and high < 0:
        value = high
    elif isinstance(ex_high, (int, float)) and ex_high <= 0:
        value = math.ceil(ex_high) - 1 if integer else ex_high - 1
    else:
        value = 0
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        value = math.ceil(value / step) * step
    if integer:
        value = math.ceil(value)
    return normalize_number(value)


# --- strings matching a pattern ------------------------------------------------------------------

_CANDIDATES = "a0A_ -.x/:@"


def string_matching(pattern: str) -> str | None:
    """A short string matching the JavaScript ``pattern``, or None when none is found."""
    try:
        compiled = compile_js_regex(pattern)
    except JsRegexError:
        return None
    parser, opcodes = _sre_modules()
    try:
        tree = parser.parse(translate(pattern))
        text = _Generator(opcodes).sequence(tree)
    except (JsRegexError, ValueError, TypeError, IndexError, RecursionError, re.error):
        return None
    try:
        return text if compiled.search(text) else None
    except RegexTimeoutError:
        return None


def _sre_modules() -> tuple[Any, Any]:
    """Python's regex parser and its opcode constants (``re._parser``/``re._constants``; 3.10: ``sre_*``)."""
    try:
        return importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:  # Python 3.10
        return importlib.import_module("sre_parse"), importlib.import_module("sre_constants")


class _Generator:
    """A string matching a parsed pattern: each node's first choice, the fewest repetitions allowed."""

    def __init__(self, opcodes: Any) -> None:
        self.opcodes = opcodes  # the sre opcode constants module (LITERAL, IN, MAX_REPEAT, ...)
        self.groups: dict[int, str] = {}

    def sequence(self, items: Any) -> str:
        return "".join(self.node(op, operand) for op, operand in items)

    def node(self, op: Any, operand: Any) -> str:
        ops = self.opcodes
        if op is ops.LITERAL:
            return chr(operand)
        if op is ops.NOT_LITERAL:
            return "a" if operand != ord("a") else "b"
        if op is ops.ANY:
            return "a"
        if op is ops.IN:
            return self.pick(operand)
        if op in (ops.MAX_REPEAT, ops.MIN_REPEAT):
            low, _high, sub = operand
            return "".join(self.sequence(sub) for _ in range(low))
        if op is ops.SUBPATTERN:
            group, sub = operand[0], operand[-1]
            text = self.sequence(sub)
            if group is not None:
                self.groups[group] = text
            return text
        if op is ops.BRANCH:
            return self.sequence(operand[1][0])
        if op is ops.GROUPREF:
            return self.groups.get(operand, "")
        if op in (ops.AT, ops.ASSERT, ops.ASSERT_NOT):
            return ""
        raise ValueError(f"unsupported regex node {op}")

    def pick(self, items: Any) -> str:
        negated = bool(items) and items[0][0] is self.opcodes.NEGATE
        members = items[1:] if negated else items
        if not negated:
            op, operand = members[0]
            if op is self.opcodes.LITERAL:
                return chr(operand)
            if op is self.opcodes.RANGE:
                return chr(operand[0])
        for char in _CANDIDATES:
            if self.member(members, char) != negated:
                return char
        raise ValueError("no candidate character")

    def member(self, items: Any, char: str) -> bool:
        ops = self.opcodes
        code = ord(char)
        for op, operand in items:
            if op is ops.LITERAL and operand == code:
                return True
            if op is ops.RANGE and operand[0] <= code <= operand[1]:
                return True
            if op is ops.CATEGORY:
                name = str(operand)
                if "DIGIT" in name and (char.isdigit() != ("NOT" in name)):
                    return True
                if "SPACE" in name and (char.isspace() != ("NOT" in name)):
                    return True
                if "WORD" in name and ((char.isalnum() or char == "_") != ("NOT" in name)):
                    return True
        return False
