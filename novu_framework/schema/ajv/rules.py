"""The keywords ajv knows, grouped by the data type they apply to, and the JSON type tests.

Mirrors ajv's ``lib/compile/rules.ts`` (the keyword groups, in the order the generated code runs them) and
the type tests and ``type``/``nullable`` reading of ``lib/compile/validate/dataType.ts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from novu_framework.js.values import is_finite_number, is_integer
from novu_framework.schema.base import SchemaCompileError

__all__ = [
    "CLASS_OF_TYPE",
    "KEYWORDS_OF_TYPE",
    "KEYWORD_GROUPS",
    "KNOWN_KEYWORDS",
    "RULE_KEYWORDS",
    "TYPE_TESTS",
    "schema_types",
    "types_test",
]

_ANY_TYPE = ("$comment", "id", "$ref", "type", "nullable", "const", "enum", "not", "anyOf", "oneOf", "allOf")
_NUMBER = ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "format")
_STRING = ("maxLength", "minLength", "pattern", "format")
_FORMAT_LIMIT = ("formatMaximum", "formatMinimum", "formatExclusiveMaximum", "formatExclusiveMinimum")
_ARRAY = ("maxItems", "minItems", "additionalItems", "items", "contains", "uniqueItems")
_OBJECT = ("maxProperties", "minProperties", "required", "propertyNames", "additionalProperties")

KEYWORD_GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, (*_ANY_TYPE, "if", "then", "else")),
    ("number", _NUMBER),
    ("string", (*_STRING, *_FORMAT_LIMIT)),
    ("array", _ARRAY),
    ("object", (*_OBJECT, "dependencies", "properties", "patternProperties")),
)
"""``(data type or None for any type, keywords in the order they run)``, in the order the groups run."""

KEYWORDS_OF_TYPE = {t: kws for t, kws in KEYWORD_GROUPS if t is not None}
RULE_KEYWORDS = frozenset(k for _, kws in KEYWORD_GROUPS for k in kws)
"""Keywords that generate code (a schema with none of them accepts everything)."""

_ANNOTATIONS = ("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples")
_NAMES_ONLY = ("$async", "$schema", "$id", "$defs", "$vocabulary", "definitions")
_CONTENT = ("contentMediaType", "contentEncoding", "contentSchema")
KNOWN_KEYWORDS = RULE_KEYWORDS | frozenset((*_NAMES_ONLY, *_ANNOTATIONS, *_CONTENT))
"""Every keyword strict mode accepts."""

_JSON_TYPES = ("string", "number", "integer", "boolean", "null", "object", "array")


def _is_string(data: Any) -> bool:
    return isinstance(data, str)


def _is_boolean(data: Any) -> bool:
    return data is True or data is False


def _is_null(data: Any) -> bool:
    return data is None


def _is_object(data: Any) -> bool:
    return isinstance(data, dict)


def _is_array(data: Any) -> bool:
    return isinstance(data, list)


TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": _is_string,
    "number": is_finite_number,
    "integer": is_integer,
    "boolean": _is_boolean,
    "null": _is_null,
    "object": _is_object,
    "array": _is_array,
}
CLASS_OF_TYPE: dict[str, type] = {"string": str, "object": dict, "array": list}
"""The JSON types that are exactly one Python class (tested with ``isinstance``, inline)."""


def types_test(types: Sequence[str]) -> Callable[[Any], bool]:
    """Whether the data has one of the JSON ``types``."""
    tests = tuple(TYPE_TESTS[t] for t in types)
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda data: first(data) or second(data)
    return lambda data: any(test(data) for test in tests)


def schema_types(schema: dict[str, Any]) -> list[str]:
    """The schema's ``type`` as a list, ``"null"`` added for ``nullable: true`` (ajv's ``getSchemaTypes``)."""
    raw = schema.get("type")
    types = list(raw) if isinstance(raw, list) else [raw] if raw is not None else []
    if not all(isinstance(t, str) and t in _JSON_TYPES for t in types):
        raise SchemaCompileError("type must be JSONType or JSONType[]: " + ",".join(map(str, types)))
    if "null" in types:
        if schema.get("nullable") is False:
            raise SchemaCompileError("type: null contradicts nullable: false")
    else:
        if not types and "nullable" in schema:
            raise SchemaCompileError('"nullable" cannot be used without "type"')
        if schema.get("nullable") is True:
            types.append("null")
    return types
