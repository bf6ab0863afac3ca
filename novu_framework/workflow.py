"""``workflow()``: define a notification workflow from a Python function."""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
import types
from collections.abc import Callable, Mapping
from typing import Any, overload

import anyio.to_thread
from pydantic import BaseModel

from novu_framework._sync import ensure_not_on_loop, run_blocking
from novu_framework.constants import ChannelStepType, SeverityLevel
from novu_framework.definition import WorkflowDefinition, define_step
from novu_framework.errors import WorkflowPayloadInvalidError
from novu_framework.results import Subscriber
from novu_framework.routing import announce, decide_route, local_runtime
from novu_framework.schema import Schema, compile_schema
from novu_framework.steps import AsyncStep, StepCall, StepRunner, SyncStep
from novu_framework.trigger_result import TriggerResult
from novu_framework.user_code import (
    BLOCKING_ALLOWED,
    SYNC_CALL_BUDGET_MS,
    SYNC_HANDLER_IN_PLACE,
    CallSite,
    NeedsWorkerThread,
    annotation_of,
    handler_parameters,
    is_async_callable,
    source_of,
)

logger = logging.getLogger("novu_framework")

Handler = Callable[..., Any]

_CHANNEL_PREFERENCE_KEYS = {
    **{channel.value: channel.value for channel in ChannelStepType},
    "inApp": ChannelStepType.IN_APP.value,
}


def _is_model(value: Any) -> bool:
    # Python 3.10 takes ``dict[str, Any]`` for a type, and then issubclass() raises.
    return (
        isinstance(value, type) and not isinstance(value, types.GenericAlias) and issubclass(value, BaseModel)
    )


def _camel_keys(value: Mapping[str, Any]) -> dict[str, Any]:
    return {"readOnly" if k == "read_only" else k: v for k, v in value.items()}


def normalize_preferences(workflow_id: str, preferences: Mapping[str, Any] | None) -> dict[str, Any]:
    """Preferences as the wire expects them (``inApp``/``in_app`` → ``in_app``); unknown keys are errors."""
    if not preferences:
        return {}
    unknown = set(preferences) - {"all", "channels"}
    if unknown:
        raise ValueError(
            f"workflow {workflow_id!r}: unknown preferences key(s) {sorted(unknown)}; "
            "expected 'all' and 'channels'"
        )
    out: dict[str, Any] = {}
    if preferences.get("all"):
        out["all"] = _camel_keys(preferences["all"])
    channels: dict[str, Any] = {}
    for key, value in (preferences.get("channels") or {}).items():
        if key not in _CHANNEL_PREFERENCE_KEYS:
            raise ValueError(
                f"workflow {workflow_id!r}: unknown preferences channel {key!r}; expected one of "
                + ", ".join(channel.value for channel in ChannelStepType)
            )
        channels[_CHANNEL_PREFERENCE_KEYS[key]] = _camel_keys(value)
    if channels:
        out["channels"] = channels
    return out


class _DiscoveryRunner:
    """Records each step the handler declares; resolvers are not called."""

    def __init__(self, definition: WorkflowDefinition) -> None:
        self.definition = definition

    async def run(self, call: StepCall) -> Any:
        step = define_step(call, self.definition.workflow_id)
        self.definition.add(step)
        functions = [call.resolver, call.skip, *(call.providers or {}).values()]
        if any(fn is not None and is_async_callable(fn) for fn in functions):
            self.definition.has_async_functions = True
        if call.offload:
            self.definition.offloaded_steps = True
        if step.result_model is not None:
            return step.result_model.model_construct()
        if step.result_schema.model is not None:
            return step.result_schema.model.model_construct()
        return {}


class Workflow:
    """A notification workflow: its id, handler and options. Create it with :func:`workflow`."""

    def __init__(
        self,
        workflow_id: str,
        handler: Handler,
        *,
        payload_schema: Any = None,
        control_schema: Any = None,
        tags: list[str] | None = None,
        name: str | None = None,
        description: str | None = None,
        preferences: Mapping[str, Any] | None = None,
        severity: str | SeverityLevel | None = None,
        offload: bool = False,
    ) -> None:
        if not isinstance(workflow_id, str) or not workflow_id:
            raise TypeError(f"workflow(): the workflow id must be a non-empty string, got {workflow_id!r}")
        if not callable(handler):
            raise TypeError(
                f"workflow {workflow_id!r}: the handler must be a function, got {type(handler).__name__}"
            )
        self.id = workflow_id
        self.handler = handler
        self.handler_is_async = is_async_callable(handler)
        self._arguments, _ = handler_parameters(handler, workflow_id)
        if payload_schema is None and _is_model(annotation_of(handler, "payload")):
            payload_schema = annotation_of(handler, "payload")
        if control_schema is None and _is_model(annotation_of(handler, "controls")):
            control_schema = annotation_of(handler, "controls")
        self.payload_schema_source = payload_schema
        self.payload_schema: Schema = compile_schema(payload_schema)
        self.control_schema: Schema = compile_schema(control_schema)
        if tags is not None and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
            raise TypeError(f"workflow {workflow_id!r}: tags must be a list of strings, got {tags!r}")
        self.tags = list(tags or [])
        self.name = name
        self.description = description
        self.preferences = normalize_preferences(workflow_id, preferences)
        valid = {s.value for s in SeverityLevel}
        if severity is not None and str(severity) not in valid:
            raise ValueError(
                f"workflow {workflow_id!r}: severity must be one of {sorted(valid)}, got {severity!r}"
            )
        self.severity = str(severity or SeverityLevel.NONE)
        if not isinstance(offload, bool):
            raise TypeError(f"workflow {workflow_id!r}: offload must be True or False, got {offload!r}")
        self.offload = offload
        # A def handler runs in place on the event loop's thread until discovery or an execution
        # shows that it needs a worker thread (an async function, or offload=True).
        self._sync_handler_needs_thread = False
        self._sync_handler_offloaded = offload
        self._definition: WorkflowDefinition | None = None
        self._document: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Workflow({self.id!r})"

    # --- invoking the handler ------------------------------------------------------------------

    async def invoke(
        self,
        runner: StepRunner,
        *,
        payload: Any,
        subscriber: Subscriber | None,
        context: Any,
        controls: Any,
    ) -> None:
        """Run the handler once with ``runner`` behind its ``step`` object."""
        available = {
            "payload": payload,
            "subscriber": subscriber,
            "environment": {},
            "controls": controls,
            "context": context,
        }
        if self.handler_is_async:
            kwargs = {n: AsyncStep(runner) if n == "step" else available[n] for n in self._arguments}
            await self.handler(**kwargs)
            return
        sync_step = SyncStep(runner)
        kwargs = {n: sync_step if n == "step" else available[n] for n in self._arguments}
        blocking_allowed = BLOCKING_ALLOWED.get()
        if not self._sync_handler_needs_thread and (blocking_allowed or not self._sync_handler_offloaded):
            token = SYNC_HANDLER_IN_PLACE.set(True)
            started = time.perf_counter()
            try:
                self.handler(**kwargs)
                return
            except NeedsWorkerThread:
                self._sync_handler_needs_thread = True
            finally:
                SYNC_HANDLER_IN_PLACE.reset(token)
                # The handler's own body: step calls are timed apart (their functions per step).
                body_ms = (time.perf_counter() - started - sync_step.engine_seconds) * 1000
                if body_ms > SYNC_CALL_BUDGET_MS and not blocking_allowed:
                    CallSite(self.id, None, "def handler").report_blocking(body_ms)
        await anyio.to_thread.run_sync(lambda: self.handler(**kwargs))

    # --- discovery -----------------------------------------------------------------------------

    async def definition(self) -> WorkflowDefinition:
        """The discovered steps (discovered once, on first use)."""
        if self._definition is not None:
            return self._definition
        definition = WorkflowDefinition(self.id)
        empty_payload: Any = self.payload_schema.model.model_construct() if self.payload_schema.model else {}
        empty_controls: Any = self.control_schema.model.model_construct() if self.control_schema.model else {}
        await self.invoke(
            _DiscoveryRunner(definition),
            payload=empty_payload,
            subscriber=Subscriber(),
            context={},
            controls=empty_controls,
        )
        document = self._build_document(definition)
        if definition.has_async_functions:
            self._sync_handler_needs_thread = True
        if definition.offloaded_steps:
            self._sync_handler_offloaded = True
        with self._lock:
            if self._definition is None:
                self._definition, self._document = definition, document
            return self._definition

    async def document(self) -> dict[str, Any]:
        """The discover entry of this workflow (shared; do not mutate)."""
        await self.definition()
        assert self._document is not None
        return self._document

    async def discover(self) -> dict[str, Any]:
        """The workflow's discover document exactly as the bridge publishes it (wire JSON)."""
        return copy.deepcopy(await self.document())

    def _build_document(self, definition: WorkflowDefinition) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "workflowId": self.id,
            "severity": self.severity,
            "steps": [step.document() for step in definition.steps],
            "code": source_of(self.handler),
            "payload": {
                "schema": self.payload_schema.json_schema,
                "unknownSchema": self.payload_schema.json_schema,
            },
            "controls": {
                "schema": self.control_schema.json_schema,
                "unknownSchema": self.control_schema.json_schema,
            },
            "tags": self.tags,
            "preferences": self.preferences,
        }
        if self.name is not None:
            doc["name"] = self.name
        if self.description is not None:
            doc["description"] = self.description
        return doc

    # --- triggering ----------------------------------------------------------------------------

    def validate_trigger_payload(self, payload: Any) -> Any:
        """The payload as it will be sent: validated with defaults applied (raises on invalid)."""
        if isinstance(payload, BaseModel):
            payload = payload.model_dump(mode="json", by_alias=True)
        if self.payload_schema_source is None:
            return {} if payload is None else payload
        result = self.payload_schema.validate({} if payload is None else payload)
        if not result.ok:
            raise WorkflowPayloadInvalidError(self.id, result.errors)
        return result.data

    async def trigger(
        self,
        to: Any,
        payload: Any = None,
        *,
        transaction_id: str | None = None,
        actor: Any = None,
        overrides: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        secret_key: str | None = None,
        api_url: str | None = None,
    ) -> TriggerResult:
        """Trigger the workflow for ``to``.

        The payload is validated first. Where it goes follows :func:`novu_framework.routing.decide_route`:
        the Novu API when a secret key is set (argument, ``NOVU_SECRET_KEY`` or ``NOVU_API_KEY``), the
        embedded local runtime when none is or ``NOVU_RUNTIME=local``.
        """
        data = self.validate_trigger_payload(payload)
        route = decide_route(secret_key, api_url)
        announce(route)
        if route.target == "cloud":
            from novu_framework.api_client import NovuApiClient, build_trigger_body

            origin = os.environ.get("NOVU_BRIDGE_ORIGIN")
            body = build_trigger_body(
                self.id,
                to=to,
                payload=data,
                transaction_id=transaction_id,
                overrides=overrides,
                actor=actor,
                context=context,
                bridge_url=f"{origin.rstrip('/')}/api/novu" if origin else None,
            )
            return await NovuApiClient(route.secret_key, route.api_url).trigger(body)
        return await local_runtime().trigger_validated(
            self,
            to,
            data,
            transaction_id=transaction_id,
            actor=actor,
            overrides=overrides,
            context=context,
        )

    def trigger_sync(self, to: Any, payload: Any = None, **options: Any) -> TriggerResult:
        """Blocking twin of :meth:`trigger` for Flask, Django and scripts (not inside an event loop)."""
        ensure_not_on_loop("Workflow.trigger_sync", "Workflow.trigger")
        return run_blocking(self.trigger(to, payload, **options))


@overload
def workflow(workflow_id: str, handler: Handler, **options: Any) -> Workflow: ...
@overload
def workflow(workflow_id: str, handler: None = None, **options: Any) -> Callable[[Handler], Workflow]: ...


def workflow(
    workflow_id: str, handler: Handler | None = None, **options: Any
) -> Workflow | Callable[[Handler], Workflow]:
    """Define a workflow, as a decorator (``@workflow("id", ...)``) or a call (``workflow("id", fn, ...)``).

    Options: ``payload_schema``, ``control_schema`` (a Pydantic model or a JSON Schema dict), ``tags``,
    ``name``, ``description``, ``preferences``, ``severity``, ``offload`` (run the steps' sync
    functions in a worker thread rather than in place on the event loop).
    """
    if handler is not None:
        return Workflow(workflow_id, handler, **options)

    def decorate(fn: Handler) -> Workflow:
        return Workflow(workflow_id, fn, **options)

    return decorate
