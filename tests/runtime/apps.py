"""Workflows the runtime tests run (also loaded by worker subprocesses as ``tests.runtime.apps``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from novu_framework import workflow


class OrderPayload(BaseModel):
    order_id: str
    amount: int = 1


@workflow("order-shipped")
async def order_shipped(step: Any, payload: OrderPayload, subscriber: Any) -> None:
    """in_app, then a custom step that reports what it was replayed, then an email."""
    inbox = await step.in_app("inbox", lambda controls: {"body": f"Order {payload.order_id} shipped"})

    def summary(controls: Any) -> dict[str, Any]:
        return {"seen": inbox.seen, "read": inbox.read, "orderId": payload.order_id}

    report = await step.custom(
        "summary",
        summary,
        output_schema={
            "type": "object",
            "properties": {
                "seen": {"type": "boolean"},
                "read": {"type": "boolean"},
                "orderId": {"type": "string"},
            },
            "required": ["seen", "read", "orderId"],
            "additionalProperties": False,
        },
    )
    await step.email(
        "email",
        lambda controls: {
            "subject": f"Order {report['orderId']}",
            "body": f"<p>Hi {subscriber.first_name or 'there'}, read={report['read']}</p>",
        },
    )


class CommentPayload(BaseModel):
    post: str = "p1"
    author: str = "ann"


@workflow("comment-digest")
async def comment_digest(step: Any, payload: CommentPayload) -> None:
    """in_app, digest for ten seconds keyed by post, then one email listing every author."""
    await step.in_app("notify", lambda controls: {"body": f"{payload.author} commented"})
    batch = await step.digest(
        "collect", lambda controls: {"amount": 10, "unit": "seconds", "digestKey": "payload.post"}
    )
    authors = [event.payload["author"] for event in batch.events]
    await step.email(
        "summary",
        lambda controls: {"subject": f"{len(batch.events)} comments", "body": ", ".join(authors)},
    )


@workflow("burst-digest", payload_schema={"type": "object", "properties": {"n": {"type": "integer"}}})
async def burst_digest(step: Any, payload: dict[str, Any]) -> None:
    """A two-second digest, then one in-app message counting the events."""
    batch = await step.digest("collect", {"amount": 2, "unit": "seconds"})
    await step.in_app("count", lambda controls: {"body": f"{len(batch.events)} events"})
