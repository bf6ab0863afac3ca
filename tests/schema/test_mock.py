"""Preview mocks (schemas.md §10) and the reference's deepMerge (bridge-protocol.md §12)."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework.schema import JsonSchema, compile_schema, deep_merge, mock_from_schema
from novu_framework.schema.builtin import STEP_TYPES, step_output_schema, step_result_schema
from novu_framework.schema.mock import PLACEHOLDER, string_matching
from novu_framework.schema.providers import provider_ids, provider_output_schema
from tests.schema.ajv_cases import DELAY_OUTPUT, DIGEST_OUTPUT, IN_APP_OUTPUT, IN_APP_RESULT, WELCOME_PAYLOAD


def test_welcome_payload_mock_gives_the_reference_preview_values() -> None:
    # conformance case welcome-email-preview-empty: "Welcome [placeholder]!", plan FREE, 1 message, Paris
    mock = compile_schema(WELCOME_PAYLOAD).mock()
    assert mock == {
        "name": PLACEHOLDER,
        "plan": "free",
        "items": [],
        "count": 1,
        "sendSms": True,
        "address": {},
    }
    validated = JsonSchema(WELCOME_PAYLOAD).validate({**mock, **{}})
    assert validated.ok
    assert validated.data["address"] == {"city": "Paris", "zip": "75001"}


def test_open_object_mock_adds_no_keys() -> None:
    # conformance case echo-preview: only the supplied payload keys reach the templates
    mock = compile_schema({"type": "object", "additionalProperties": True}).mock()
    assert {**mock, "name": "p"} == {"name": "p"}


def test_default_schema_mock_is_empty() -> None:
    assert compile_schema(None).mock() == {}


def test_mocks_are_deterministic_and_fresh() -> None:
    schema = compile_schema(WELCOME_PAYLOAD)
    first = schema.mock()
    first["items"].append("x")
    assert schema.mock()["items"] == []
    assert WELCOME_PAYLOAD["properties"]["items"]["default"] == []


@pytest.mark.parametrize(
    "schema", [IN_APP_OUTPUT, IN_APP_RESULT, DIGEST_OUTPUT, DELAY_OUTPUT, WELCOME_PAYLOAD]
)
def test_mocks_validate_against_their_schema(schema: dict[str, Any]) -> None:
    assert JsonSchema(schema).validate(mock_from_schema(schema)).ok


def test_every_builtin_and_provider_schema_mock_is_valid() -> None:
    schemas = [step_output_schema(t) for t in STEP_TYPES if t != "custom"]
    schemas += [step_result_schema(t) for t in STEP_TYPES if t != "custom"]
    for channel in ("email", "sms", "push", "chat", "in_app"):
        schemas += [provider_output_schema(channel, p) for p in provider_ids(channel)]
    invalid = [s for s in schemas if not compile_schema(s).validate(compile_schema(s).mock()).ok]
    assert invalid == []


def test_in_app_result_mock_looks_like_a_fresh_message() -> None:
    assert mock_from_schema(IN_APP_RESULT) == {
        "seen": False,
        "read": False,
        "lastSeenDate": "2024-01-01T00:00:00.000Z",
        "lastReadDate": "2024-01-01T00:00:00.000Z",
    }


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, PLACEHOLDER),
        ({"type": "string", "maxLength": 3}, "[pl"),
        ({"type": "string", "minLength": 20}, "[placeholder][placeh"),
        ({"type": "string", "format": "email"}, "user@example.com"),
        ({"type": "string", "format": "uuid"}, "00000000-0000-4000-8000-000000000000"),
        ({"type": "string", "pattern": "^[0-9]{5}$"}, "00000"),
        ({"type": "number"}, 0),
        ({"type": "integer", "minimum": 3}, 3),
        ({"type": "integer", "exclusiveMinimum": 3}, 4),
        ({"type": "number", "maximum": -2}, -2),
        ({"type": "integer", "minimum": 1, "multipleOf": 5}, 5),
        ({"type": "boolean"}, False),
        ({"type": "null"}, None),
        ({"type": ["null", "string"]}, PLACEHOLDER),
        ({"enum": ["a", "b"]}, "a"),
        ({"const": {"k": 1}}, {"k": 1}),
        ({"type": "string", "default": "d", "enum": ["x"]}, "d"),
        ({"type": "array", "items": {"type": "integer"}}, [0]),
        ({"type": "array", "items": {"type": "string"}, "minItems": 2}, [PLACEHOLDER, PLACEHOLDER]),
        ({"type": "array", "maxItems": 0}, []),
        ({"type": "array", "items": [{"type": "string"}, {"type": "boolean"}]}, [PLACEHOLDER, False]),
        ({"anyOf": [{"type": "null"}, {"type": "number"}]}, 0),
        ({"type": "object", "required": ["x"]}, {"x": PLACEHOLDER}),
        (
            {"allOf": [{"properties": {"a": {"type": "number"}}}, {"properties": {"b": {"const": 1}}}]},
            {"a": 0, "b": 1},
        ),
        ({"nullable": True, "type": "string"}, PLACEHOLDER),
        (True, PLACEHOLDER),
        (False, None),
    ],
)
def test_mock_values(schema: Any, expected: Any) -> None:
    assert mock_from_schema(schema) == expected


def test_refs_and_recursion_terminate() -> None:
    schema = {
        "type": "object",
        "properties": {"node": {"$ref": "#/definitions/node"}},
        "definitions": {"node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/node"}}}},
    }
    mock = mock_from_schema(schema)
    depth = 0
    node = mock["node"]
    while isinstance(node, dict) and "next" in node:
        node = node["next"]
        depth += 1
    assert 3 < depth < 20


@pytest.mark.parametrize(
    "pattern",
    [
        "^[0-9]{5}$",
        "^(?!mailto:)(?:(https?):\\/\\/[^\\s/$.?#].[^\\s]*)|^(\\/[^\\s]*)$",
        "^[A-Z]{2}-\\d{3}$",
        "^(a|b)+c?$",
        "^\\w+@\\w+\\.com$",
        "^(?<word>x)\\k<word>$",
    ],
)
def test_string_matching_pattern(pattern: str) -> None:
    text = string_matching(pattern)
    assert text is not None
    assert JsonSchema({"type": "object", "properties": {"s": {"pattern": pattern}}}).validate({"s": text}).ok


def test_string_matching_gives_up_cleanly() -> None:
    assert string_matching("(unclosed") is None
    assert string_matching("^(?=x)y$") is None  # lookarounds are skipped, the result is checked


# --- deep_merge ----------------------------------------------------------------------------------


def test_deep_merge_objects_recursively_and_replaces_the_rest() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "keep": True}
    override = {"a": {"y": [3], "z": None}, "b": {"n": 1}, "c": "new"}
    assert deep_merge(base, override) == {
        "a": {"x": 1, "y": [3], "z": None},
        "b": {"n": 1},
        "keep": True,
        "c": "new",
    }


def test_deep_merge_does_not_touch_its_arguments() -> None:
    base = {"a": {"x": [1]}}
    override = {"a": {"y": {"k": 1}}}
    merged = deep_merge(base, override)
    merged["a"]["x"].append(2)
    merged["a"]["y"]["k"] = 2
    assert base == {"a": {"x": [1]}}
    assert override == {"a": {"y": {"k": 1}}}


def test_deep_merge_with_empty_state_returns_the_mock() -> None:
    mock = mock_from_schema(IN_APP_RESULT)
    assert deep_merge(mock, {}) == mock
    assert deep_merge(mock, {"seen": True})["seen"] is True


def test_deep_merge_spreads_like_javascript() -> None:
    # {...f} of a string or an array gives index keys; a scalar gives {}
    assert deep_merge({"s": "ab"}, {"s": {"k": 1}}) == {"s": {"0": "a", "1": "b", "k": 1}}
    assert deep_merge({"s": 5}, {"s": {"k": 1}}) == {"s": {"k": 1}}
    assert deep_merge("xy", {"k": 1}) == {"0": "x", "1": "y", "k": 1}
    assert deep_merge(None, None) == {}
