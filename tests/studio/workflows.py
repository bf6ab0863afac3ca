"""Workflows the Studio tests drive: every control type, a short delay, email and in-app delivery."""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import BaseModel, Field

from novu_framework import workflow


class OrderPayload(BaseModel):
    order_id: str = Field(min_length=3, examples=["A-1001"])
    customer: str = "Ada"
    items: int = Field(2, ge=1)


class Signature(BaseModel):
    name: str = "The Acme team"
    include_logo: bool = False


class ShippedEmailControls(BaseModel):
    subject: str = "Your order {{payload.order_id}} has shipped"
    greeting: Literal["Hi", "Hello", "Dear"] = "Hi"
    show_tracking: bool = True
    max_lines: int = Field(3, ge=1, le=10)
    signature: Signature = Signature()
    highlights: list[str] = ["Free returns for 30 days"]


class ShippedInboxControls(BaseModel):
    body: str = "Order {{payload.order_id}} is on its way."


class WaitControls(BaseModel):
    seconds: int = Field(1, ge=1, le=60)


@workflow(
    "order-shipped", name="Order shipped", description="Tells a customer their order left", tags=["orders"]
)
async def order_shipped(step: Any, payload: OrderPayload) -> None:
    await step.in_app(
        "shipped-inbox",
        lambda controls: {"subject": "Order shipped", "body": controls.body},
        control_schema=ShippedInboxControls,
    )
    await step.delay(
        "short-wait",
        lambda controls: {"amount": controls.seconds, "unit": "seconds"},
        control_schema=WaitControls,
    )

    def email(controls: ShippedEmailControls) -> dict[str, Any]:
        lines = "".join(f"<li>{html.escape(h)}</li>" for h in controls.highlights[: controls.max_lines])
        tracking = "<p>Track it at https://track.example.com</p>" if controls.show_tracking else ""
        body = (
            f"<p>{controls.greeting} {html.escape(payload.customer)},</p>"
            f"<p>{payload.items} item(s) are on the way.</p>{tracking}<ul>{lines}</ul>"
            f"<p>— {html.escape(controls.signature.name)}</p>"
        )
        return {"subject": controls.subject, "body": body}

    await step.email(
        "shipped-email",
        email,
        control_schema=ShippedEmailControls,
        skip=lambda controls: payload.customer == "nobody",
    )


WORKFLOWS = [order_shipped]


RAW_BODY = (
    '<p id="mark">static</p>'
    "<script>document.getElementById('mark').textContent = 'script ran'</script>"
    "<img src=\"data:,\" onerror=\"document.getElementById('mark').textContent = 'handler ran'\">"
)


@workflow("raw-html", name="Raw HTML", description="An email whose HTML is not sanitized")
async def raw_html(step: Any, payload: dict[str, Any]) -> None:
    await step.email(
        "raw-email", lambda controls: {"subject": "Raw", "body": RAW_BODY}, disable_output_sanitization=True
    )


WORKFLOWS.append(raw_html)
