"""Schema compilation: strict mode errors (ajv's messages), laziness, caching and schema detection."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework.schema import (
    DEFAULT_SCHEMA,
    JsonSchema,
    ModelSchema,
    Schema,
    SchemaCompileError,
    compile_schema,
    is_json_schema,
)


def compile_error(schema: dict[str, Any]) -> str:
    with pytest.raises(SchemaCompileError) as info:
        JsonSchema(schema).validate({})
    return str(info.value)


def prop(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": schema}}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (prop({"type": "string", "example": "x"}), 'strict mode: unknown keyword: "example"'),
        (prop({"x-custom": 1}), 'strict mode: unknown keyword: "x-custom"'),
        (
            prop({"type": "string", "format": "color"}),
            'unknown format "color" ignored in schema at path "#/properties/a"',
        ),
        (prop({"nullable": True}), '"nullable" cannot be used without "type"'),
        (
            {"type": "object", "$schema": "https://json-schema.org/draft/2020-12/schema"},
            'no schema with key or ref "https://json-schema.org/draft/2020-12/schema"',
        ),
        ({"type": "object", "required": "name"}, "schema is invalid: data/required must be array"),
        (
            prop({"type": "foo"}),
            "schema is invalid: data/properties/a/type must be equal to one of the allowed values, "
            "data/properties/a/type must be array, "
            "data/properties/a/type must match a schema in anyOf",
        ),
        (prop({"enum": []}), "schema is invalid: data/properties/a/enum must NOT have fewer than 1 items"),
        (
            prop({"type": "number", "multipleOf": 0}),
            "schema is invalid: data/properties/a/multipleOf must be > 0",
        ),
        (
            {"type": "object", "if": {"required": ["a"]}},
            'strict mode: "if" without "then" and "else" is ignored',
        ),
        ({"type": "object", "default": {}}, "strict mode: default is ignored in the schema root"),
        (
            {"anyOf": [{"type": "object", "properties": {"a": {"default": 1}}}]},
            "strict mode: default is ignored for: data.a",
        ),
        (prop({"$ref": "#/definitions/missing"}), "can't resolve reference #/definitions/missing from id #"),
        (
            prop({"type": "string", "pattern": "(unclosed"}),
            "Invalid regular expression: /(unclosed/u: Unterminated group",
        ),
        (prop({"type": "string", "id": "x"}), 'NOT SUPPORTED: keyword "id", use "$id" for schema ID'),
    ],
)
def test_strict_mode_messages(schema: dict[str, Any], message: str) -> None:
    assert compile_error(schema) == message


def test_annotations_and_draft07_are_accepted() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "http://example.com/payload",
        "$comment": "c",
        "title": "Payload",
        "description": "d",
        "type": "object",
        "properties": {
            "a": {
                "type": "string",
                "examples": ["x"],
                "deprecated": True,
                "readOnly": True,
                "writeOnly": False,
            }
        },
        "definitions": {"unused": {"type": "string"}},
    }
    assert JsonSchema(schema).validate({"a": "x"}).ok


def test_a_default_next_to_an_always_valid_any_of_branch_is_not_compiled() -> None:
    # ajv generates no code for anyOf when one branch is always valid, so the other branches are never checked
    assert (
        JsonSchema({"anyOf": [{}, {"type": "object", "properties": {"a": {"default": 1}}}]}).validate({}).ok
    )


def test_compile_errors_surface_on_validate_not_on_compile_schema() -> None:
    schema = prop({"type": "string", "example": "x"})
    compiled = compile_schema(schema)
    with pytest.raises(SchemaCompileError):
        compiled.validate({})
    with pytest.raises(SchemaCompileError):  # every use fails the same way
        compiled.validate({"a": "x"})


def test_compile_schema_caches_by_identity() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert compile_schema(schema) is compile_schema(schema)
    assert compile_schema(dict(schema)) is not compile_schema(schema)
    assert compile_schema(None) is compile_schema(None)


def test_compile_schema_kinds() -> None:
    class Payload(BaseModel):
        name: str

    assert isinstance(compile_schema(Payload), ModelSchema)
    assert compile_schema(Payload) is compile_schema(Payload)
    json_schema = compile_schema({"type": "object"})
    assert isinstance(json_schema, JsonSchema)
    assert isinstance(json_schema, Schema)
    assert compile_schema(None).json_schema == DEFAULT_SCHEMA


def test_discover_gets_the_dict_as_given() -> None:
    schema = {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "number"}}}
    assert compile_schema(schema).json_schema is schema


@pytest.mark.parametrize(
    "source",
    [
        {"properties": {"a": {"type": "string"}}},
        {"type": "string"},
        {"type": "array"},
        {"anyOf": None},
        {"allOf": ""},
        {"oneOf": 0},
        "object",
        42,
        int,
        [{"type": "object"}],
    ],
)
def test_anything_else_is_rejected_with_a_clear_message(source: Any) -> None:
    with pytest.raises(TypeError, match="Invalid schema"):
        compile_schema(source)


def test_detection_follows_the_reference() -> None:
    assert is_json_schema({"type": "object"})
    assert is_json_schema({"anyOf": [{"type": "object"}]})
    assert is_json_schema({"allOf": []})  # an empty array is truthy in JavaScript
    assert is_json_schema({"oneOf": [{}]})
    assert not is_json_schema({"anyOf": ""})
    assert not is_json_schema({"oneOf": 0, "type": "array"})
    assert not is_json_schema({"type": "string"})


def test_python_tuples_in_a_schema_are_accepted() -> None:
    schema = {"type": "object", "properties": {"k": {"enum": ("a", "b")}}, "required": ("k",)}
    result = JsonSchema(schema).validate({})
    assert result.errors == [{"path": "", "message": "must have required property 'k'"}]
