"""Keyword semantics and ajv's wording (schemas.md §3 and §9), checked without Node."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework.schema import JsonSchema, compile_schema
from tests.schema.ajv_cases import DELAY_OUTPUT, DIGEST_OUTPUT, IN_APP_OUTPUT, IN_APP_RESULT, WELCOME_PAYLOAD


def first_error(schema: dict[str, Any], data: Any) -> dict[str, str]:
    result = JsonSchema(schema).validate(data)
    assert not result.ok
    return result.errors[0]


def prop(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": schema}}


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "string"}, 5, "must be string"),
        ({"type": "integer"}, 1.5, "must be integer"),
        ({"type": "integer"}, "1", "must be integer"),
        ({"type": "number"}, "5", "must be number"),
        ({"type": "number"}, True, "must be number"),
        ({"type": "array"}, {}, "must be array"),
        ({"type": "null"}, 0, "must be null"),
        ({"type": "object"}, [], "must be object"),
        ({"type": "boolean"}, 1, "must be boolean"),
        ({"type": ["string", "number"]}, None, "must be string,number"),
        ({"type": "string", "nullable": True}, 5, "must be string"),
        ({"type": "string", "minLength": 3}, "ab", "must NOT have fewer than 3 characters"),
        ({"type": "string", "maxLength": 1}, "ab", "must NOT have more than 1 characters"),
        ({"type": "number", "minimum": 5}, 4, "must be >= 5"),
        ({"type": "number", "maximum": 5}, 6, "must be <= 5"),
        ({"type": "number", "exclusiveMinimum": 5}, 5, "must be > 5"),
        ({"type": "number", "exclusiveMaximum": 5}, 5, "must be < 5"),
        ({"type": "number", "minimum": 0.5}, 0, "must be >= 0.5"),
        ({"type": "number", "minimum": 1e21}, 0, "must be >= 1e+21"),
        ({"type": "number", "multipleOf": 2}, 3, "must be multiple of 2"),
        ({"type": "number", "multipleOf": 0.1}, 0.3, "must be multiple of 0.1"),
        ({"enum": ["x", "y"]}, "z", "must be equal to one of the allowed values"),
        ({"const": "x"}, "y", "must be equal to constant"),
        ({"type": "string", "pattern": "^a+$"}, "b", 'must match pattern "^a+$"'),
        ({"type": "string", "format": "email"}, "nope", 'must match format "email"'),
        ({"type": "string", "format": "uri"}, "nope", 'must match format "uri"'),
        ({"type": "string", "format": "date-time"}, "nope", 'must match format "date-time"'),
        ({"type": "string", "format": "date"}, "2023-02-29", 'must match format "date"'),
        ({"type": "array", "minItems": 2}, [1], "must NOT have fewer than 2 items"),
        ({"type": "array", "maxItems": 1}, [1, 2], "must NOT have more than 1 items"),
        (
            {"type": "array", "uniqueItems": True},
            [1, 1],
            "must NOT have duplicate items (items ## 0 and 1 are identical)",
        ),
        ({"type": "object", "minProperties": 1}, {}, "must NOT have fewer than 1 properties"),
        ({"type": "object", "maxProperties": 0}, {"x": 1}, "must NOT have more than 0 properties"),
        ({"not": {"type": "string"}}, "x", "must NOT be valid"),
        ({"type": "array", "contains": {"type": "string"}}, [1], "must contain at least 1 valid item(s)"),
    ],
)
def test_keyword_messages(schema: dict[str, Any], value: Any, message: str) -> None:
    assert first_error(prop(schema), {"a": value}) == {"path": "/a", "message": message}


def test_required_points_at_the_parent_object() -> None:
    schema = {"type": "object", "properties": {"o": {"type": "object", "required": ["b"]}}, "required": ["o"]}
    assert first_error(schema, {}) == {"path": "", "message": "must have required property 'o'"}
    assert first_error(schema, {"o": {}}) == {"path": "/o", "message": "must have required property 'b'"}


def test_item_errors_carry_the_index_and_pointer_escapes() -> None:
    schema = {"type": "object", "properties": {"a/b~c": {"type": "array", "items": {"type": "string"}}}}
    assert first_error(schema, {"a/b~c": ["x", 1]}) == {"path": "/a~1b~0c/1", "message": "must be string"}


def test_only_the_first_error_comes_first_and_all_follow() -> None:
    schema = prop({"type": "string"}) | {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    result = JsonSchema(schema).validate({"a": 1, "b": 2})
    assert result.errors == [
        {"path": "/a", "message": "must be string"},
        {"path": "/b", "message": "must be string"},
    ]


def test_type_with_group_keywords_is_checked_after_enum() -> None:
    # ajv tests a lone type in the type's keyword group, after enum/const (schemas.md §3)
    assert first_error(prop({"type": "string", "minLength": 2, "enum": ["abc"]}), {"a": 5})["message"] == (
        "must be equal to one of the allowed values"
    )
    assert first_error(prop({"type": "string", "enum": ["abc"]}), {"a": 5})["message"] == "must be string"


def test_any_of_reports_branch_errors_then_its_own() -> None:
    result = JsonSchema(IN_APP_OUTPUT).validate({"avatar": "x"})
    assert result.errors[:3] == [
        {"path": "", "message": "must have required property 'subject'"},
        {"path": "", "message": "must have required property 'body'"},
        {"path": "", "message": "must match a schema in anyOf"},
    ]


def test_one_of_reports_failing_branches_then_its_own() -> None:
    result = JsonSchema(DELAY_OUTPUT).validate({"amount": 1, "unit": "years"})
    assert result.errors[:4] == [
        {"path": "/unit", "message": "must be equal to one of the allowed values"},
        {"path": "", "message": "must have required property 'cron'"},
        {"path": "", "message": "must have required property 'dynamicKey'"},
        {"path": "", "message": "must match exactly one schema in oneOf"},
    ]


def test_one_of_with_two_matching_branches_fails() -> None:
    schema = {"oneOf": [{"type": "object"}, {"type": "object", "required": []}]}
    assert JsonSchema(schema).validate({}).errors == [
        {"path": "", "message": "must match exactly one schema in oneOf"}
    ]


def test_in_app_redirect_pattern_message() -> None:
    result = JsonSchema(IN_APP_OUTPUT).validate({"body": "b", "redirect": {"url": "mailto:x@y.z"}})
    assert result.errors[0] == {
        "path": "/redirect/url",
        "message": 'must match pattern "^(?!mailto:)(?:(https?):\\/\\/[^\\s/$.?#].[^\\s]*)|^(\\/[^\\s]*)$"',
    }


def test_if_then_at_top_level_reports_only_the_branch_error() -> None:
    schema = {
        "type": "object",
        "if": {"properties": {"a": {"const": 1}}},
        "then": {"required": ["b"]},
        "else": {"required": ["c"]},
    }
    assert JsonSchema(schema).validate({"a": 1}).errors[0] == {
        "path": "",
        "message": "must have required property 'b'",
    }
    assert JsonSchema(schema).validate({"a": 2}).errors[0]["message"] == "must have required property 'c'"
    assert JsonSchema(schema).validate({"a": 1, "b": 0}).ok


def test_if_then_inside_any_of_adds_its_own_error() -> None:
    schema = {
        "anyOf": [
            {"type": "object", "if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}},
            {"type": "string"},
        ]
    }
    assert [e["message"] for e in JsonSchema(schema).validate({"a": 1}).errors[:4]] == [
        "must have required property 'b'",
        'must match "then" schema',
        "must be string",
        "must match a schema in anyOf",
    ]


# --- no coercion, integers ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["5", True, None, [5]])
def test_no_type_coercion(value: Any) -> None:
    result = JsonSchema(prop({"type": "number"})).validate({"a": value})
    assert not result.ok
    assert result.data == {"a": value}


def test_integral_floats_are_integers() -> None:
    assert JsonSchema(prop({"type": "integer"})).validate({"a": 2.0}).ok
    assert not JsonSchema(prop({"type": "integer"})).validate({"a": 2.5}).ok


def test_nan_and_infinity_are_not_numbers() -> None:
    for value in (float("nan"), float("inf")):
        assert first_error(prop({"type": "number"}), {"a": value})["message"] == "must be number"


# --- defaults ------------------------------------------------------------------------------------


def test_defaults_fill_missing_properties_recursively() -> None:
    result = JsonSchema(WELCOME_PAYLOAD).validate({"name": "Ada"})
    assert result.ok
    assert result.data == {
        "name": "Ada",
        "plan": "free",
        "items": [],
        "count": 1,
        "sendSms": True,
        "address": {"city": "Paris", "zip": "75001"},
    }


def test_defaults_are_not_filled_under_an_absent_object_without_default() -> None:
    schema = prop({"type": "object", "properties": {"d": {"default": "nd"}}})
    assert JsonSchema(schema).validate({}).data == {}
    assert JsonSchema(schema).validate({"a": {}}).data == {"a": {"d": "nd"}}


def test_null_is_a_value_not_a_missing_property() -> None:
    result = JsonSchema(prop({"type": "string", "default": "x"})).validate({"a": None})
    assert result.errors[0] == {"path": "/a", "message": "must be string"}


def test_defaults_are_fresh_copies() -> None:
    schema = prop({"type": "array", "default": []})
    first = JsonSchema(schema).validate({}).data
    first["a"].append(1)
    assert JsonSchema(schema).validate({}).data == {"a": []}
    assert schema["properties"]["a"]["default"] == []


def test_defaults_fill_before_required() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "default": "d"}}, "required": ["a"]}
    assert JsonSchema(schema).validate({}).data == {"a": "d"}


def test_a_default_is_validated_like_a_value() -> None:
    assert first_error(prop({"type": "string", "default": 5}), {}) == {
        "path": "/a",
        "message": "must be string",
    }


def test_if_then_else_defaults_of_the_in_app_redirect() -> None:
    schema = JsonSchema(IN_APP_OUTPUT)
    assert schema.validate({"body": "b", "redirect": {"url": "/path"}}).data["redirect"] == {
        "url": "/path",
        "target": "_self",
    }
    assert (
        schema.validate({"body": "b", "redirect": {"url": "https://e.com"}}).data["redirect"]["target"]
        == "_blank"
    )
    assert schema.validate({"body": "b", "redirect": {"url": "/p", "target": "_top"}}).data["redirect"][
        "target"
    ] == ("_top")


def test_tuple_item_defaults() -> None:
    schema = prop(
        {"type": "array", "items": [{"type": "string", "default": "x"}, {"type": "number", "default": 2}]}
    )
    assert JsonSchema(schema).validate({"a": []}).data == {"a": ["x", 2]}
    assert JsonSchema(schema).validate({"a": ["y"]}).data == {"a": ["y", 2]}


# --- removal of additional properties -------------------------------------------------------------


def test_additional_properties_false_removes_silently() -> None:
    result = JsonSchema(WELCOME_PAYLOAD).validate(
        {"name": "Ada", "extra": 1, "address": {"zip": "12345", "x": 2}}
    )
    assert result.ok
    assert "extra" not in result.data
    assert result.data["address"] == {"zip": "12345", "city": "Paris"}


def test_failing_additional_properties_schema_removes_the_property() -> None:
    schema = {"type": "object", "additionalProperties": {"type": "number"}}
    result = JsonSchema(schema).validate({"x": 1, "y": "no"})
    assert result.ok
    assert result.data == {"x": 1}


def test_additional_properties_absent_or_true_keeps_extras() -> None:
    for schema in ({"type": "object"}, {"type": "object", "additionalProperties": True}):
        assert JsonSchema(schema).validate({"x": 1}).data == {"x": 1}


def test_pattern_properties_are_not_additional() -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^x": {"type": "string"}},
        "additionalProperties": False,
    }
    assert JsonSchema(schema).validate({"xa": "s", "b": 1}).data == {"xa": "s"}


def test_digest_output_mixed_shape_is_repaired_by_one_of() -> None:
    result = JsonSchema(DIGEST_OUTPUT).validate({"amount": 1, "unit": "hours", "cron": "0 0 * * *"})
    assert result.ok
    assert result.data == {"amount": 1, "unit": "hours"}
    timed = JsonSchema(DIGEST_OUTPUT).validate({"cron": "0 0 * * *", "digestKey": "k", "other": 1})
    assert timed.ok
    assert timed.data == {"cron": "0 0 * * *", "digestKey": "k"}


def test_any_of_branch_removal_happens_even_when_the_branch_fails() -> None:
    schema = {
        "anyOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
            {"type": "object", "properties": {"b": {"type": "number"}}},
        ]
    }
    result = JsonSchema(schema).validate({"a": 1, "b": 2})
    # ajv strips "b" while trying the first branch (which then fails on "a"); the second branch accepts
    assert result.ok
    assert result.data == {"a": 1}


def test_in_app_result_nullable_dates() -> None:
    schema = JsonSchema(IN_APP_RESULT)
    good = {"seen": False, "read": True, "lastSeenDate": None, "lastReadDate": "2024-01-01T10:00:00Z"}
    assert schema.validate(good).ok
    bad = schema.validate({**good, "lastSeenDate": 5})
    assert bad.errors[0] == {"path": "/lastSeenDate", "message": "must be string"}


# --- $ref ----------------------------------------------------------------------------------------


def test_ref_to_definitions_and_recursion() -> None:
    schema = {
        "type": "object",
        "properties": {"node": {"$ref": "#/definitions/node"}},
        "definitions": {
            "node": {
                "type": "object",
                "properties": {"value": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}},
            }
        },
    }
    assert JsonSchema(schema).validate({"node": {"value": 1, "next": {"value": 2}}}).ok
    assert first_error(schema, {"node": {"next": {"next": {"value": "x"}}}}) == {
        "path": "/node/next/next/value",
        "message": "must be integer",
    }


def test_ref_to_the_root() -> None:
    schema = {"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "integer"}}}
    assert first_error(schema, {"child": {"child": {"v": "x"}}})["path"] == "/child/child/v"


# --- the caller's input --------------------------------------------------------------------------


def test_input_is_never_mutated() -> None:
    payload = {"name": "Ada", "extra": {"deep": [1, 2]}, "address": {"zip": "12345"}}
    snapshot = {"name": "Ada", "extra": {"deep": [1, 2]}, "address": {"zip": "12345"}}
    result = JsonSchema(WELCOME_PAYLOAD).validate(payload)
    assert payload == snapshot
    assert result.data is not payload
    assert result.data["address"] is not payload["address"]


def test_returned_data_does_not_alias_nested_input() -> None:
    payload = {"x": {"y": [1]}}
    result = JsonSchema({"type": "object"}).validate(payload)
    result.data["x"]["y"].append(2)
    assert payload == {"x": {"y": [1]}}


def test_tuples_are_arrays() -> None:
    result = JsonSchema(prop({"type": "array", "items": {"type": "string"}})).validate({"a": ("x", "y")})
    assert result.ok
    assert result.data == {"a": ["x", "y"]}


def test_default_schema_strips_everything() -> None:
    result = compile_schema(None).validate({"anything": 1})
    assert result.ok
    assert result.data == {}
    assert not compile_schema(None).validate("str").ok
