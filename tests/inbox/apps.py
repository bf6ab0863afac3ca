"""Workflows the Inbox API tests run (also loaded by the test server and worker subprocesses)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from novu_framework import workflow


class CommentPayload(BaseModel):
    n: int = 1
    kind: str = "comment"


@workflow("comment", tags=["t1", "social"], severity="high", name="Comments")
async def comment(step: Any, payload: CommentPayload) -> None:
    """One in-app message with a subject, data, a primary action and a redirect."""
    await step.in_app(
        "inbox",
        lambda controls: {
            "subject": f"Subject {payload.n}",
            "body": f"**Comment** {payload.n}",
            "data": {"k": payload.n % 2, "kind": payload.kind},
            "primaryAction": {"label": "Open", "redirect": {"url": f"/c/{payload.n}"}},
            "redirect": {"url": f"/c/{payload.n}"},
        },
    )


class NewsPayload(BaseModel):
    title: str = "News"


@workflow("news", tags=["news"])
async def news(step: Any, payload: NewsPayload) -> None:
    """An in-app message whose step id is not URL-safe."""
    await step.in_app("in app/#1 ?", lambda controls: {"body": payload.title})


WORKFLOWS = [comment, news]
