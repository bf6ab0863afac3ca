"""Big integers stay exact (deviation D7); deep documents validate; absurd depth fails cleanly."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework.js import json as js_json
from novu_framework.schema import JsonSchema, SchemaCompileError, compile_schema

RECURSIVE = {"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "integer"}}}


def test_big_integers_are_kept_exact() -> None:
    payload = js_json.loads(b'{"big": 12345678901234567890, "exact": 9007199254740993}')
    schema = {"type": "object", "properties": {"big": {"type": "integer"}, "exact": {"type": "number"}}}
    result = JsonSchema(schema).validate(payload)
    assert result.ok
    assert result.data == {"big": 12345678901234567890, "exact": 9007199254740993}
    assert type(result.data["big"]) is int


def test_big_integer_limits_and_multiples_are_exact() -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer", "maximum": 9007199254740993, "multipleOf": 3}},
    }
    assert JsonSchema(schema).validate({"n": 9007199254740993}).ok  # 3 * 3002399751580331
    assert JsonSchema(schema).validate({"n": 9007199254740994}).errors[0]["message"] == (
        "must be <= 9007199254740993"
    )
    assert (
        JsonSchema(schema).validate({"n": 9007199254740992 - 1}).errors[0]["message"]
        == "must be multiple of 3"
    )


def test_limits_are_printed_the_javascript_way() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number", "minimum": 2.0, "maximum": 1e21}}}
    assert JsonSchema(schema).validate({"n": 1}).errors[0]["message"] == "must be >= 2"
    assert JsonSchema(schema).validate({"n": 1e22}).errors[0]["message"] == "must be <= 1e+21"


def nested(depth: int, leaf: Any) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(depth - 1):
        node["child"] = {}
        node = node["child"]
    node["v"] = leaf
    return root


def test_two_hundred_levels_validate() -> None:
    schema = compile_schema(RECURSIVE)
    assert schema.validate(nested(200, 1)).ok
    result = schema.validate(nested(200, "x"))
    assert result.errors == [{"path": "/child" * 199 + "/v", "message": "must be integer"}]


def test_pathological_depth_is_an_error_not_a_crash() -> None:
    for schema in (RECURSIVE, {"type": "object", "additionalProperties": True}):
        result = JsonSchema(schema).validate(nested(20000, 1))
        assert not result.ok
        assert result.errors == [{"path": "", "message": "data is nested too deeply to validate"}]


def test_a_deeply_nested_schema_is_a_compile_error() -> None:
    schema: dict[str, Any] = {"type": "object"}
    for _ in range(5000):
        schema = {"type": "object", "properties": {"a": schema}}
    with pytest.raises(SchemaCompileError, match="schema is nested too deeply"):
        JsonSchema(schema).validate({})
