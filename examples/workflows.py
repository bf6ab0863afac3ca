"""Workflows shared by the FastAPI, Flask and Django examples.

- ``welcome``: an in-app message at once, then, a day later, an email unless the in-app one was read.
- ``comment-digest``: comments on a post are collected for a while, then sent as one email.

Control schemas are what the Novu dashboard lets non-developers edit; string controls are Liquid
templates rendered with ``payload``, ``subscriber`` and the results of earlier ``steps``.
"""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import BaseModel, Field

from novu_framework import workflow

# --- welcome -------------------------------------------------------------------------------------


class WelcomePayload(BaseModel):
    first_name: str = Field(min_length=1)
    plan: Literal["free", "team", "enterprise"] = "free"
    dashboard_url: str = "https://app.example.com/dashboard"


class WelcomeInboxControls(BaseModel):
    body: str = "Your workspace is ready, {{payload.first_name}}. Invite your team to get started."


class WelcomeEmailControls(BaseModel):
    subject: str = "Welcome to Acme, {{payload.first_name}}!"
    show_plan_details: bool = True


PLAN_DETAILS = {
    "free": "You are on the Free plan: 3 projects and community support.",
    "team": "You are on the Team plan: unlimited projects and priority support.",
    "enterprise": "You are on the Enterprise plan: your account manager will be in touch.",
}


@workflow(
    "welcome",
    name="Welcome",
    description="Sent once when a user signs up",
    tags=["onboarding"],
    preferences={"channels": {"in_app": {"enabled": True}, "email": {"enabled": True}}},
)
async def welcome(step: Any, payload: WelcomePayload) -> None:
    inbox = await step.in_app(
        "welcome-inbox",
        lambda controls: {
            "subject": "Welcome aboard",
            "body": controls.body,
            "primary_action": {"label": "Open dashboard", "redirect": {"url": payload.dashboard_url}},
        },
        control_schema=WelcomeInboxControls,
    )
    await step.delay("wait-a-day", {"amount": 1, "unit": "days"})

    def welcome_email(controls: WelcomeEmailControls) -> dict[str, Any]:
        details = f"<p>{PLAN_DETAILS[payload.plan]}</p>" if controls.show_plan_details else ""
        greeting = f"<p>Hi {html.escape(payload.first_name)},</p>"
        link = f'<p><a href="{html.escape(payload.dashboard_url, quote=True)}">Open Acme</a></p>'
        return {"subject": controls.subject, "body": greeting + details + link}

    await step.email(
        "welcome-email",
        welcome_email,
        control_schema=WelcomeEmailControls,
        skip=lambda controls: inbox.read,  # they have seen the in-app welcome: no email needed
    )


# --- comment digest ------------------------------------------------------------------------------


class CommentPayload(BaseModel):
    post_id: str
    post_title: str
    author_name: str
    comment: str = Field(max_length=2000)


class CollectControls(BaseModel):
    window_minutes: int = Field(30, ge=1, le=1440)


class DigestEmailControls(BaseModel):
    subject: str = "New comments on “{{payload.post_title}}”"
    max_comments: int = Field(10, ge=1)


@workflow("comment-digest", name="Comment digest", description="Comments on a post, batched", tags=["social"])
async def comment_digest(step: Any, payload: CommentPayload) -> None:
    batch = await step.digest(
        "collect-comments",
        lambda controls: {
            "amount": controls.window_minutes,
            "unit": "minutes",
            "digest_key": payload.post_id,
        },
        control_schema=CollectControls,
    )

    def digest_email(controls: DigestEmailControls) -> dict[str, Any]:
        events = batch.events
        shown = events[: controls.max_comments]
        items = "".join(
            f"<li><b>{html.escape(str(e.payload.get('author_name', 'Someone')))}</b>: "
            f"{html.escape(str(e.payload.get('comment', '')))}</li>"
            for e in shown
        )
        more = f"<p>…and {len(events) - len(shown)} more.</p>" if len(events) > len(shown) else ""
        people = len({e.payload.get("author_name") for e in events})
        comments = "1 new comment" if len(events) == 1 else f"{len(events)} new comments"
        who = "1 person" if people == 1 else f"{people} people"
        return {"subject": controls.subject, "body": f"<p>{comments} from {who}:</p><ul>{items}</ul>{more}"}

    await step.email("digest-email", digest_email, control_schema=DigestEmailControls)


WORKFLOWS = [welcome, comment_digest]
