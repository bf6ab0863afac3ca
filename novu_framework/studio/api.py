"""The Studio's JSON API: workflows, previews, saved controls, triggers, runs, subscribers.

Previews go through the bridge itself (a :class:`NovuRequestHandler` called in process with the
``preview`` action), so the page shows exactly what the bridge answers, errors included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from novu_framework.bridge_http import BridgeRequest
from novu_framework.client import Client
from novu_framework.constants import ActionStepType
from novu_framework.errors import NovuError
from novu_framework.handler import NovuRequestHandler
from novu_framework.runtime.local import Runtime
from novu_framework.runtime.records import TERMINAL_RUN_STATUSES, RunStatus
from novu_framework.runtime.scheduler import ScheduleError, delay_until, digest_window, throttle_window
from novu_framework.runtime.store import RunQuery
from novu_framework.runtime.store.browse import (
    RunFilter,
    merged_runs,
    outbox,
    run_by_id,
    run_page,
    subscribers,
)
from novu_framework.runtime.timeutil import to_iso
from novu_framework.studio import serialize
from novu_framework.studio.http import HttpError, Request
from novu_framework.workflow import Workflow

MAX_PAGE = 200
_STATUSES = frozenset(s.value for s in RunStatus)
_CURSOR = re.compile(r"^(\d{1,16})~(.{1,200})$")


def _error(exc: NovuError) -> HttpError:
    return HttpError(exc.status_code, exc.message, str(exc.code), exc.data if exc.has_data else None)


def _text(body: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise HttpError(400, f"`{key}` must be a non-empty string, got {json.dumps(value)}", "InvalidField")
    return value


def _int_param(query: dict[str, str], key: str) -> int | None:
    raw = query.get(key, "")
    if raw == "":
        return None
    if not re.fullmatch(r"\d{1,16}", raw):
        raise HttpError(400, f"`{key}` must be a time in epoch milliseconds, got {raw!r}", "InvalidQuery")
    return int(raw)


class StudioApi:
    """The handlers behind ``/api/...``; each takes a :class:`Request` and returns JSON-able data."""

    def __init__(self, workflows: Iterable[Workflow], runtime: Runtime) -> None:
        self.runtime = runtime
        self.workflows = {wf.id: wf for wf in workflows}
        for wf in self.workflows.values():
            runtime.register(wf)
        # The bridge, answering in process: no signature to check on a call that never leaves it.
        self.bridge = NovuRequestHandler(
            self.workflows.values(),
            Client(secret_key="novu-framework-studio", strict_authentication=False),
            framework_name="studio",
        )

    def _workflow(self, workflow_id: str) -> Workflow:
        wf = self.workflows.get(workflow_id)
        if wf is None:
            raise HttpError(
                404, f"Workflow with id: `{workflow_id}` does not exist.", "WorkflowNotFoundError"
            )
        return wf

    # --- workflows and previews ------------------------------------------------------------------

    async def workflows_list(self, request: Request) -> Any:
        found = await self.bridge.handle(BridgeRequest("GET", {"action": "discover"}))
        documents = json.loads(found.body)["workflows"]
        for doc in documents:
            doc.pop("code", None)
            saved = await self.runtime.step_controls(doc["workflowId"])
            definition = await self.workflows[doc["workflowId"]].definition()
            for step in doc["steps"]:
                step.pop("code", None)
                step["savedControls"] = saved.get(step["stepId"])
                known = definition.by_id.get(step["stepId"])
                step["hasSkip"] = bool(known is not None and known.has_skip)
        counts = await self.runtime.status_counts()
        return {"workflows": documents, "runCounts": counts}

    async def _preview(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        workflow_id = _text(body, "workflowId")
        step_id = _text(body, "stepId")
        assert workflow_id is not None and step_id is not None
        self._workflow(workflow_id)
        wire = {k: body[k] for k in ("controls", "payload", "subscriber", "state") if k in body}
        answer = await self.bridge.handle(
            BridgeRequest(
                "POST",
                {"action": "preview", "workflowId": workflow_id, "stepId": step_id},
                {"content-type": "application/json"},
                json.dumps(wire).encode(),
            )
        )
        return answer.status, json.loads(answer.body)

    async def preview(self, request: Request) -> Any:
        body = await request.json()
        status, answer = await self._preview(body)
        if status != 200:
            raise HttpError(
                status, answer.get("message", "preview failed"), answer.get("code", ""), answer.get("data")
            )
        step = await self._step(body)
        answer["computed"] = self._computed(step.kind, answer.get("outputs") or {}, body)
        return answer

    async def _step(self, body: dict[str, Any]) -> Any:
        wf = self._workflow(str(body["workflowId"]))
        return (await wf.definition()).by_id[str(body["stepId"])]

    def _computed(self, kind: str, outputs: dict[str, Any], body: dict[str, Any]) -> dict[str, Any] | None:
        """What the runtime would do with a delay, digest or throttle step's outputs, if it ran now."""
        now = self.runtime.clock()
        scope = {"payload": body.get("payload") or {}, "subscriber": body.get("subscriber") or {}}
        try:
            if kind == ActionStepType.DELAY:
                until = delay_until(outputs, scope, now)
                return {"waitsMs": until - now, "until": to_iso(until)}
            if kind == ActionStepType.DIGEST:
                window = digest_window(outputs, scope, now)
                return {
                    "waitsMs": window.closes_at - now,
                    "closesAt": to_iso(window.closes_at),
                    "digestKey": window.digest_key,
                }
            if kind == ActionStepType.THROTTLE:
                t = throttle_window(outputs, scope, now)
                return {
                    "threshold": t.threshold,
                    "windowStart": to_iso(t.window_start),
                    "key": t.throttle_key,
                }
        except ScheduleError as exc:
            return {"error": str(exc)}
        return None

    async def save_controls(self, request: Request) -> Any:
        body = await request.json()
        controls = body.get("controls")
        if not isinstance(controls, dict):
            raise HttpError(400, "`controls` must be a JSON object", "InvalidField")
        status, answer = await self._preview(body)  # checked exactly as a run will check them
        if status != 200:
            raise HttpError(
                status, answer.get("message", "invalid controls"), answer.get("code", ""), answer.get("data")
            )
        workflow_id, step_id = str(body["workflowId"]), str(body["stepId"])
        try:
            await self.runtime.save_step_controls(workflow_id, step_id, controls)
        except NovuError as exc:
            raise _error(exc) from exc
        return {"saved": True, "controls": controls}

    async def reset_controls(self, request: Request) -> Any:
        body = await request.json()
        workflow_id = _text(body, "workflowId")
        step_id = _text(body, "stepId")
        assert workflow_id is not None and step_id is not None
        self._workflow(workflow_id)
        return {"reset": await self.runtime.reset_step_controls(workflow_id, step_id)}

    # --- triggering ------------------------------------------------------------------------------

    async def trigger(self, request: Request) -> Any:
        body = await request.json()
        workflow_id = _text(body, "workflowId")
        assert workflow_id is not None
        wf = self._workflow(workflow_id)
        if "to" not in body:
            raise HttpError(400, "`to` is required: a subscriber or a topic", "InvalidRecipientError")
        transaction_id = _text(body, "transactionId", required=False)
        try:
            result = await self.runtime.trigger(
                wf, body["to"], body.get("payload"), transaction_id=transaction_id
            )
        except NovuError as exc:
            raise _error(exc) from exc
        except (ValueError, TypeError) as exc:
            raise HttpError(400, str(exc), type(exc).__name__) from exc
        runs = await self.runtime.store.runs(RunQuery(transaction_id=result.transaction_id, limit=1000))
        return {**result.data["data"], "runs": [r.id for r in reversed(runs)]}

    # --- runs ------------------------------------------------------------------------------------

    def _filter(self, query: dict[str, str]) -> RunFilter:
        status = query.get("status") or None
        if status is not None and status not in _STATUSES:
            raise HttpError(
                400, f"`status` must be one of {', '.join(sorted(_STATUSES))}, got {status!r}", "InvalidQuery"
            )
        return RunFilter(
            workflow_id=query.get("workflow") or None,
            subscriber_id=query.get("subscriber") or None,
            status=status,
            since=_int_param(query, "since"),
            until=_int_param(query, "until"),
        )

    async def runs_page(self, query: dict[str, str]) -> dict[str, Any]:
        where = self._filter(query)
        raw_limit = query.get("limit", "50")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_PAGE:
            raise HttpError(400, f"`limit` must be a whole number from 1 to {MAX_PAGE}", "InvalidQuery")
        after = None
        cursor = query.get("after", "")
        if cursor:
            match = _CURSOR.match(cursor)
            if match is None:
                raise HttpError(400, "`after` is not a cursor from a previous page", "InvalidQuery")
            after = (int(match.group(1)), match.group(2))
        page = await run_page(self.runtime.store, where, after, int(raw_limit))
        return {
            "runs": [serialize.run_row(r) for r in page.rows],
            "next": None if page.next is None else f"{page.next[0]}~{page.next[1]}",
        }

    async def runs(self, request: Request) -> Any:
        return await self.runs_page(request.query)

    async def run(self, run_id: str) -> dict[str, Any]:
        found = await run_by_id(self.runtime.store, run_id)
        if found is None:
            raise HttpError(404, f"no run with id {run_id!r}", "RunNotFound")
        return serialize.run_detail(found, await merged_runs(self.runtime.store, run_id))

    async def cancel(self, run_id: str) -> Any:
        found = await self.run(run_id)
        count = await self.runtime.cancel(found["transaction_id"])
        return {"canceled": count}

    @staticmethod
    def run_done(value: dict[str, Any]) -> bool:
        return value.get("status") in TERMINAL_RUN_STATUSES

    # --- subscribers -----------------------------------------------------------------------------

    async def subscribers(self, request: Request) -> Any:
        found = await subscribers(self.runtime.store, 200)
        return {"subscribers": [{"subscriberId": s, "runs": n} for s, n in found]}

    async def mark_message(self, message_id: str, request: Request) -> Any:
        """``{"read": bool}`` or ``{"seen": bool}``: as the Inbox would mark an in-app message."""
        body = await request.json()
        if set(body) - {"read", "seen"} or not body or not all(isinstance(v, bool) for v in body.values()):
            raise HttpError(400, 'send {"read": true|false} or {"seen": true|false}', "InvalidField")
        found = None
        if "read" in body:
            found = await self.runtime.mark_read(message_id, body["read"])
        if "seen" in body:
            found = await self.runtime.mark_seen(message_id, body["seen"])
        if found is None:
            raise HttpError(404, f"no in-app message with id {message_id!r}", "MessageNotFound")
        return serialize.inbox_message(found)

    async def subscriber(self, subscriber_id: str) -> Any:
        inbox = await self.runtime.inbox(subscriber_id, limit=200)
        sent = await outbox(self.runtime.store, subscriber_id, 200)
        return {
            "subscriberId": subscriber_id,
            "inbox": [serialize.inbox_message(m) for m in inbox],
            "outbox": [serialize.sent_message(m) for m in sent],
        }
