"""Deviation D13: every violation is listed, ajv's first error first, and the returned data is ajv's."""

from __future__ import annotations

from typing import Any

from novu_framework.schema import JsonSchema
from tests.schema.ajv_cases import DIGEST_OUTPUT, IN_APP_RESULT, WELCOME_PAYLOAD


def test_welcome_payload_three_violations() -> None:
    # conformance case welcome-email-first-error-only
    result = JsonSchema(WELCOME_PAYLOAD).validate({"name": 5, "count": -1, "plan": "gold"})
    assert result.errors == [
        {"path": "/name", "message": "must be string"},
        {"path": "/plan", "message": "must be equal to one of the allowed values"},
        {"path": "/count", "message": "must be >= 0"},
    ]


def test_in_app_result_missing_properties() -> None:
    # conformance case welcome-sms-inapp-result-invalid
    result = JsonSchema(IN_APP_RESULT).validate({"seen": True})
    assert result.errors == [
        {"path": "", "message": "must have required property 'read'"},
        {"path": "", "message": "must have required property 'lastSeenDate'"},
        {"path": "", "message": "must have required property 'lastReadDate'"},
    ]


def test_a_single_violation_gives_exactly_one_entry() -> None:
    assert JsonSchema(WELCOME_PAYLOAD).validate({"name": "Ada", "count": 1.5}).errors == [
        {"path": "/count", "message": "must be integer"}
    ]


def test_errors_in_several_places_of_a_nested_document() -> None:
    schema = {
        "type": "object",
        "properties": {
            "list": {"type": "array", "items": {"type": "object", "required": ["id"]}},
            "o": {"type": "object", "properties": {"z": {"type": "string", "pattern": "^[0-9]{5}$"}}},
        },
    }
    result = JsonSchema(schema).validate({"list": [{}, {"id": 1}, {}], "o": {"z": "abc"}})
    assert result.errors == [
        {"path": "/list/0", "message": "must have required property 'id'"},
        {"path": "/list/2", "message": "must have required property 'id'"},
        {"path": "/o/z", "message": 'must match pattern "^[0-9]{5}$"'},
    ]


def test_listing_all_errors_does_not_change_the_data() -> None:
    # ajv with allErrors would also strip "cron" in the first (failing) branch and return {}; the reference
    # (first-error mode) returns {"cron": 5}, and so must we
    schema = {
        "oneOf": [
            {
                "type": "object",
                "properties": {"amount": {"type": "number"}, "unit": {"type": "string"}},
                "required": ["amount", "unit"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"cron": {"type": "string"}},
                "required": ["cron"],
                "additionalProperties": False,
            },
        ]
    }
    result = JsonSchema(schema).validate({"cron": 5, "amount": 1})
    assert result.data == {"cron": 5}
    assert result.errors == [
        {"path": "", "message": "must have required property 'unit'"},
        {"path": "/cron", "message": "must be string"},
        {"path": "", "message": "must match exactly one schema in oneOf"},
    ]


def test_digest_errors_keep_the_mixed_shape_untouched() -> None:
    result = JsonSchema(DIGEST_OUTPUT).validate({"amount": "x", "unit": "hours", "cron": 5})
    assert result.data == {"amount": "x", "unit": "hours"}
    assert result.errors[0] == {"path": "/amount", "message": "must be number"}


def test_data_of_a_failed_validation_is_ajvs_partially_processed_copy() -> None:
    result = JsonSchema(WELCOME_PAYLOAD).validate({"name": 5, "extra": True})
    # defaults of the object group and removals run before the failing property is reached
    assert result.data == {"name": 5, "plan": "free", "items": [], "count": 1, "sendSms": True, "address": {}}


def test_one_violation_is_one_entry() -> None:
    # the all-errors pass must not add wording of its own around a single problem
    cases: list[tuple[dict[str, Any], Any]] = [
        (
            {"type": "object", "properties": {"a": {"type": "array", "contains": {"type": "string"}}}},
            {"a": [1, 2]},
        ),
        ({"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}}, {"a": 1}),
        ({"type": "object", "properties": {"a": {"type": "string", "enum": ["x"]}}}, {"a": 5}),
        ({"type": "object", "properties": {"a": {"type": "integer", "minimum": 3}}}, {"a": "1"}),
        (WELCOME_PAYLOAD, {"name": "Ada", "address": {"zip": "1"}}),
    ]
    for schema, data in cases:
        assert len(JsonSchema(schema).validate(data).errors) == 1, (schema, data)
