"""Defining workflows: both call forms, options, schemas from annotations, bad definitions."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework import workflow


class Payload(BaseModel):
    name: str
    count: int = 1


async def test_decorator_and_call_forms_publish_the_same_document() -> None:
    async def handler(step: Any, payload: Payload) -> None:
        await step.sms("s", lambda c: {"body": payload.name})

    a = workflow("same", handler)
    b = workflow("same")(handler)
    assert await a.discover() == await b.discover()


async def test_annotation_is_the_payload_schema() -> None:
    @workflow("annotated")
    async def annotated(step: Any, payload: Payload) -> None:
        await step.sms("s", lambda c: {"body": payload.name})

    doc = await annotated.discover()
    schema = doc["payload"]["schema"]
    assert schema["type"] == "object" and schema["required"] == ["name"]
    assert set(schema["properties"]) == {"name", "count"}


async def test_options_and_preferences() -> None:
    @workflow(
        "opts",
        tags=["a"],
        name="N",
        description="D",
        severity="medium",
        preferences={
            "all": {"enabled": False, "read_only": True},
            "channels": {"in_app": {"enabled": True}, "email": {"enabled": False}},
        },
    )
    async def opts(step: Any) -> None:
        return None

    doc = await opts.discover()
    assert doc["severity"] == "medium" and doc["name"] == "N" and doc["description"] == "D"
    assert doc["preferences"] == {
        "all": {"enabled": False, "readOnly": True},
        "channels": {"in_app": {"enabled": True}, "email": {"enabled": False}},
    }
    assert doc["steps"] == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"severity": "urgent"}, "severity must be one of"),
        ({"preferences": {"channels": {"fax": {"enabled": True}}}}, "unknown preferences channel 'fax'"),
        ({"tags": "oops"}, "tags must be a list of strings"),
        ({"payload_schema": {"type": "string"}}, "schema"),
    ],
)
def test_bad_options_are_rejected_at_definition(kwargs: dict[str, Any], message: str) -> None:
    async def handler(step: Any) -> None:
        return None

    with pytest.raises((TypeError, ValueError), match=message):
        workflow("bad", handler, **kwargs)


def test_handler_asking_for_unknown_argument_is_rejected() -> None:
    with pytest.raises(TypeError, match="'tenant'"):
        workflow("bad", lambda step, tenant: None)


def test_empty_id_is_rejected() -> None:
    with pytest.raises(TypeError, match="non-empty string"):
        workflow("", lambda step: None)
