"""The execute benchmark's workflow in the three styles people write it, and the request that runs it.

An email step with Liquid controls after a replayed in-app step, a JSON Schema payload, sanitised
outputs; the TypeScript twin is in ``execute_reference.mjs``.
"""

from __future__ import annotations

import json
from typing import Any

from novu_framework import workflow
from novu_framework.execution import ExecuteRequest

PAYLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "plan": {"type": "string", "enum": ["free", "pro"], "default": "free"},
        "items": {"type": "array", "items": {"type": "string"}, "default": []},
    },
    "required": ["name"],
    "additionalProperties": False,
}
CONTROL_SCHEMA = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Welcome {{payload.name}} ({{payload.plan | upcase}})"},
        "body": {
            "type": "string",
            "default": "<p>Hello {{subscriber.firstName}}, you have {{payload.items | size}} items</p>",
        },
    },
    "additionalProperties": False,
}


@workflow("bench-async", payload_schema=PAYLOAD_SCHEMA)
async def bench_async(step: Any, payload: dict[str, Any]) -> None:
    """``async def`` resolvers."""

    async def inbox_outputs(controls: dict[str, Any]) -> dict[str, Any]:
        return {"body": f"Hi {payload['name']}"}

    inbox = await step.in_app("inbox", inbox_outputs)

    async def mail_outputs(controls: dict[str, Any]) -> dict[str, Any]:
        return {
            "subject": controls["subject"],
            "body": controls["body"] + f"<p>seen: {str(inbox.seen).lower()}</p>",
        }

    await step.email("mail", mail_outputs, control_schema=CONTROL_SCHEMA)


@workflow("bench-lambda", payload_schema=PAYLOAD_SCHEMA)
async def bench_lambda(step: Any, payload: dict[str, Any]) -> None:
    """The quickstart style: sync lambdas in an ``async def`` workflow."""
    inbox = await step.in_app("inbox", lambda controls: {"body": f"Hi {payload['name']}"})
    await step.email(
        "mail",
        lambda controls: {
            "subject": controls["subject"],
            "body": controls["body"] + f"<p>seen: {str(inbox.seen).lower()}</p>",
        },
        control_schema=CONTROL_SCHEMA,
    )


@workflow("bench-def", payload_schema=PAYLOAD_SCHEMA)
def bench_def(step: Any, payload: dict[str, Any]) -> None:
    """A ``def`` workflow with sync lambdas."""
    inbox = step.in_app("inbox", lambda controls: {"body": f"Hi {payload['name']}"})
    step.email(
        "mail",
        lambda controls: {
            "subject": controls["subject"],
            "body": controls["body"] + f"<p>seen: {str(inbox.seen).lower()}</p>",
        },
        control_schema=CONTROL_SCHEMA,
    )


STYLES = {
    "async": ("async def resolvers", bench_async),
    "lambda": ("sync lambdas, async workflow", bench_lambda),
    "def": ("def workflow", bench_def),
}
WORKFLOWS = [wf for _, wf in STYLES.values()]

BODY: dict[str, Any] = {
    "payload": {"name": "Ada", "plan": "pro", "items": ["a", "b", "c"]},
    "controls": {},
    "state": [
        {
            "stepId": "inbox",
            "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
            "state": {"status": "completed", "error": None},
        }
    ],
    "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
    "context": {},
}
BODY_BYTES = json.dumps(BODY, separators=(",", ":")).encode()
EXPECTED_OUTPUTS = {
    "subject": "Welcome Ada (PRO)",
    "body": "<p>Hello Ada, you have 3 items</p><p>seen: true</p>",
}


def query(workflow_id: str) -> str:
    return f"action=execute&workflowId={workflow_id}&stepId=mail"


def request(workflow_id: str) -> ExecuteRequest:
    """A fresh core request (the engine may keep references to what it is given)."""
    body = json.loads(BODY_BYTES)
    return ExecuteRequest.from_body(workflow_id, "mail", body, "execute")
