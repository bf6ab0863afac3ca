"""The workflows the runtime benchmarks run (loaded by their worker processes as ``runtime_workflows``)."""

from __future__ import annotations

import os
from typing import Any

from novu_framework import workflow

WINDOW_SECONDS = float(os.environ.get("NOVU_BENCH_WINDOW", "1"))

PAYLOAD_SCHEMA = {
    "type": "object",
    "properties": {"item": {"type": "string"}, "n": {"type": "integer"}},
    "required": ["item"],
    "additionalProperties": False,
}


@workflow("bench-three-steps", payload_schema=PAYLOAD_SCHEMA)
async def three_steps(step: Any, payload: dict[str, Any]) -> None:
    """in_app, digest, email: the workflow of the throughput benchmark, with sync lambda resolvers."""
    await step.in_app("inbox", lambda controls: {"body": f"New item: {payload['item']}"})
    batch = await step.digest("batch", {"amount": WINDOW_SECONDS, "unit": "seconds"})
    await step.email(
        "email",
        lambda controls: {
            "subject": f"{len(batch.events)} new item(s)",
            "body": f"<p>Latest: {payload['item']}</p>",
        },
    )


@workflow("bench-three-steps-async", payload_schema=PAYLOAD_SCHEMA)
async def three_steps_async(step: Any, payload: dict[str, Any]) -> None:
    """The same three steps with ``async def`` resolvers, which run on the event loop (a sync resolver
    of an ``async def`` handler is called in a worker thread)."""

    async def inbox(controls: Any) -> dict[str, Any]:
        return {"body": f"New item: {payload['item']}"}

    await step.in_app("inbox", inbox)
    batch = await step.digest("batch", {"amount": WINDOW_SECONDS, "unit": "seconds"})

    async def email(controls: Any) -> dict[str, Any]:
        return {"subject": f"{len(batch.events)} new item(s)", "body": f"<p>Latest: {payload['item']}</p>"}

    await step.email("email", email)


WORKFLOWS = {"lambda": three_steps, "async": three_steps_async}
"""The throughput workflow by the kind of resolvers it uses."""


@workflow("bench-digest", payload_schema=PAYLOAD_SCHEMA)
async def digest_only(step: Any, payload: dict[str, Any]) -> None:
    """digest then email: the deliveries-saved benchmark."""
    batch = await step.digest("batch", {"amount": WINDOW_SECONDS, "unit": "seconds"})
    await step.email(
        "email", lambda controls: {"subject": f"{len(batch.events)} new items", "body": "<p>digest</p>"}
    )
