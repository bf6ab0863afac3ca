"""Built-in step schemas: exact bytes of the reference's discover document and of the written spec."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from novu_framework.schema.builtin import (
    CHANNEL_STEP_TYPES,
    EMPTY_OBJECT_SCHEMA,
    STEP_TYPES,
    step_output_schema,
    step_result_schema,
)

BUILTIN = [t for t in STEP_TYPES if t != "custom"]


def compact(value: Any) -> str:
    """Compact JSON keeping key order: equal strings mean equal content *and* equal order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def test_step_type_lists() -> None:
    assert STEP_TYPES == ("email", "sms", "push", "chat", "in_app", "digest", "delay", "throttle", "custom")
    assert frozenset({"email", "sms", "push", "chat", "in_app"}) == CHANNEL_STEP_TYPES


def test_every_discovered_step_matches_the_reference(golden_discover: dict[str, Any]) -> None:
    seen: set[str] = set()
    for workflow in golden_discover["workflows"]:
        for step in workflow["steps"]:
            if step["type"] == "custom":
                continue
            seen.add(step["type"])
            for key, schema in (("outputs", step_output_schema), ("results", step_result_schema)):
                expected = step[key]
                assert compact(expected["schema"]) == compact(schema(step["type"])), (step["stepId"], key)
                assert compact(expected["unknownSchema"]) == compact(schema(step["type"]))
    # The catalogue uses every built-in type, so the comparison above covers them all.
    assert seen == set(BUILTIN)


def test_custom_step_without_output_schema_publishes_the_empty_schema(
    golden_discover: dict[str, Any],
) -> None:
    steps = {s["stepId"]: s for w in golden_discover["workflows"] for s in w["steps"]}
    no_schema = steps["no-schema-step"]
    assert compact(no_schema["outputs"]["schema"]) == compact(EMPTY_OBJECT_SCHEMA)
    assert compact(no_schema["results"]["schema"]) == compact(EMPTY_OBJECT_SCHEMA)


def _spec_blocks(markdown: str) -> dict[str, str]:
    """The ``**name** output/result`` JSON blocks of workflow-api.md §5, with ``R`` expanded."""
    section = markdown.split("## 5.", 1)[1].split("## 6.", 1)[0]
    blocks: dict[str, str] = {}
    for name, label, body in re.findall(r"\*\*([^*]+)\*\* ([^\n]*)\n```json\n(.*?)\n```", section, re.S):
        blocks[f"{name} {label.split()[0]}"] = body
    redirect = re.search(r"with `R` =\n```json\n(.*?)\n```", section, re.S)
    assert redirect is not None
    return {key: body.replace(":R", ":" + redirect.group(1)) for key, body in blocks.items()}


def test_schemas_equal_the_written_spec(workflow_api_md: str) -> None:
    blocks = _spec_blocks(workflow_api_md)
    empty = blocks["email/sms/push/chat result"]
    expected = {
        ("email", "output"): blocks["email output"],
        ("sms", "output"): blocks["sms output"],
        ("chat", "output"): blocks["sms output"],
        ("push", "output"): blocks["push output"],
        ("in_app", "output"): blocks["in-app output"],
        ("in_app", "result"): blocks["in-app result"],
        ("digest", "output"): blocks["digest output"],
        ("digest", "result"): blocks["digest result"],
        ("delay", "output"): blocks["delay output"],
        ("delay", "result"): blocks["delay result"],
        ("throttle", "output"): blocks["throttle output"],
        ("throttle", "result"): blocks["throttle result"],
        **{(t, "result"): empty for t in ("email", "sms", "push", "chat")},
    }
    assert len(expected) == 2 * len(BUILTIN)
    for (step_type, kind), text in expected.items():
        schema = step_output_schema(step_type) if kind == "output" else step_result_schema(step_type)
        assert compact(schema) == compact(json.loads(text)), (step_type, kind)
    assert compact(EMPTY_OBJECT_SCHEMA) == compact(json.loads(empty))


def test_same_objects_every_call() -> None:
    for step_type in BUILTIN:
        assert step_output_schema(step_type) is step_output_schema(step_type)
        assert step_result_schema(step_type) is step_result_schema(step_type)


@pytest.mark.parametrize("step_type", BUILTIN)
def test_schemas_are_valid_json_schemas(step_type: str) -> None:
    jsonschema.Draft7Validator.check_schema(step_output_schema(step_type))
    jsonschema.Draft7Validator.check_schema(step_result_schema(step_type))


@pytest.mark.parametrize(
    ("step_type", "instance", "valid"),
    [
        ("email", {"subject": "s", "body": ""}, True),
        ("email", {"subject": "", "body": "b"}, False),  # subject minLength 1
        ("push", {"subject": "", "body": ""}, True),  # no minLength on push subject
        ("in_app", {"body": "b", "redirect": {"url": "/inbox"}}, True),
        ("in_app", {"body": "b", "redirect": {"url": "mailto:a@b.c"}}, False),
        ("in_app", {"data": {}}, False),  # neither subject nor body
        ("digest", {"amount": 1, "unit": "hours"}, True),
        ("digest", {"cron": "0 0 * * *"}, True),
        ("digest", {"amount": 1, "unit": "years"}, False),
        ("delay", {"dynamicKey": "payload.when"}, True),
        ("throttle", {"amount": 1}, False),  # type is required
    ],
)
def test_output_schemas_accept_and_reject(step_type: str, instance: dict[str, Any], valid: bool) -> None:
    validator = jsonschema.Draft7Validator(step_output_schema(step_type))
    assert validator.is_valid(instance) is valid


@pytest.mark.parametrize("getter", [step_output_schema, step_result_schema])
@pytest.mark.parametrize("bad", ["Email", "", "inApp", "webhook"])
def test_unknown_types_raise_value_error_listing_the_valid_ones(getter: Any, bad: str) -> None:
    with pytest.raises(ValueError) as info:
        getter(bad)
    message = str(info.value)
    assert repr(bad) in message
    assert all(t in message for t in BUILTIN)


@pytest.mark.parametrize("getter", [step_output_schema, step_result_schema])
def test_custom_has_no_builtin_schema(getter: Any) -> None:
    with pytest.raises(ValueError, match="outputSchema"):
        getter("custom")


def test_non_string_type_raises_value_error() -> None:
    with pytest.raises(ValueError):
        step_output_schema(["email"])  # type: ignore[arg-type]
