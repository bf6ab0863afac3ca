"""The workflows every adapter serves in the contract suite, and the client they share."""

from __future__ import annotations

import threading
from typing import Any, Literal

from pydantic import BaseModel

from novu_framework import Client, workflow

SECRET = "sk_test_adapter_contract"


class WelcomePayload(BaseModel):
    name: str
    plan: Literal["free", "pro"] = "free"


class WelcomeEmailControls(BaseModel):
    subject: str = "Welcome, {{payload.name}}!"


@workflow("contract-welcome", name="Contract welcome", tags=["contract"])
async def welcome(step: Any, payload: WelcomePayload) -> None:
    def inbox_content(controls: Any) -> dict[str, Any]:
        return {"body": f"Hi {payload.name}, your {payload.plan} plan is ready"}

    inbox = await step.in_app("inbox", inbox_content)

    def email_content(controls: WelcomeEmailControls) -> dict[str, Any]:
        return {"subject": controls.subject, "body": f"plan={payload.plan} seen={inbox.seen}"}

    await step.email("send-email", email_content, control_schema=WelcomeEmailControls)


class CommentPayload(BaseModel):
    post_id: str
    author: str = "someone"


@workflow("contract-digest")
async def comment_digest(step: Any, payload: CommentPayload) -> None:
    batch = await step.digest("collect", lambda controls: {"amount": 1, "unit": "hours"})

    def summary(controls: Any) -> dict[str, Any]:
        authors = {event.payload.get("author") for event in batch.events}
        return {"subject": f"{len(batch.events)} new comments", "body": f"from {len(authors)} people"}

    await step.email("summary", summary)


class Where(BaseModel):
    thread: str


@workflow("contract-probe")
async def probe(step: Any) -> None:
    async def where(controls: Any) -> dict[str, Any]:
        return {"thread": threading.current_thread().name}

    await step.custom("where", where, output_schema=Where)


WORKFLOWS = [welcome, comment_digest, probe]
STEP_COUNT = 5


def make_client() -> Client:
    return Client(secret_key=SECRET, api_url="http://127.0.0.1:9", strict_authentication=True)
