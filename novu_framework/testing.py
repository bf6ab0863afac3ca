"""Helpers for testing workflows: run one step with no HTTP server, and sign requests like Novu does."""

from __future__ import annotations

import time
from typing import Any

from novu_framework.execution import MISSING, ExecuteRequest, ExecuteResult, execute
from novu_framework.js.json import dumps
from novu_framework.signature import sign
from novu_framework.workflow import Workflow

__all__ = ["run_step", "sign", "signed_headers"]


async def run_step(
    workflow: Workflow,
    step_id: str,
    *,
    payload: Any = None,
    controls: Any = MISSING,
    state: list[dict[str, Any]] | None = None,
    subscriber: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    preview: bool = False,
) -> ExecuteResult:
    """Execute ``step_id`` exactly as the bridge's ``execute`` (or ``preview``) action would."""
    request = ExecuteRequest(
        workflow_id=workflow.id,
        step_id=step_id,
        payload={} if payload is None and preview else payload,
        controls=controls,
        state=state or [],
        subscriber=subscriber,
        context=context,
        action="preview" if preview else "execute",
    )
    return await execute(workflow, request)


def signed_headers(secret_key: str, body: Any = None, *, timestamp_ms: int | None = None) -> dict[str, str]:
    """Headers for a request signed like the Novu cloud signs (over the compact JSON body, or ``{}``)."""
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    text = b"{}" if body is None else (body if isinstance(body, bytes) else dumps(body))
    return {"novu-signature": sign(secret_key, ts, text), "content-type": "application/json"}
