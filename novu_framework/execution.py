"""Executing one step of a workflow: replay earlier steps from ``state``, run the target, stop.

The bridge's ``execute`` and ``preview`` actions and the embedded runtime all go through
:func:`execute`. See ``docs/EXECUTION_MODEL.md``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_snake

from novu_framework.definition import StepDefinition, WorkflowDefinition
from novu_framework.errors import (
    ExecutionEventPayloadInvalidError,
    ExecutionProviderOutputInvalidError,
    ExecutionStateControlInvalidError,
    ExecutionStateCorruptError,
    ExecutionStateOutputInvalidError,
    ExecutionStateResultInvalidError,
    InvalidRequestBodyError,
    NovuError,
    ProviderExecutionFailedError,
    ProviderNotFoundError,
    StepControlCompilationFailedError,
    StepControlRenderLimitError,
    StepExecutionFailedError,
    StepNotFoundError,
)
from novu_framework.js.values import truthy
from novu_framework.results import Subscriber, builtin_outputs_to_wire
from novu_framework.schema.mock import deep_merge
from novu_framework.steps import StepCall
from novu_framework.templating.limits import RenderLimitError, RenderLimits
from novu_framework.user_code import CallSite, call_user, call_user_from_sync_handler
from novu_framework.workflow import Workflow

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class StepInterrupt(BaseException):
    """Ends the handler once the target step has run.

    A ``BaseException``, so a handler's ``except Exception`` cannot stop it.
    """


@dataclass
class ExecuteRequest:
    """One execution of one step. ``step_id=None`` runs the first step that has no ``state`` entry."""

    workflow_id: str
    step_id: str | None
    payload: Any = None
    controls: Any = MISSING
    state: Any = field(default_factory=list)
    subscriber: Any = None
    context: Any = None
    action: str = "execute"
    # Controls by step id, for the step that ``step_id=None`` selects when ``controls`` is not given
    # (the local runtime's saved control values).
    step_controls: Mapping[str, Any] | None = None
    render_limits: RenderLimits | None = None
    """The step's render budget (``None``: :func:`~novu_framework.templating.limits.default_render_limits`)."""

    @classmethod
    def from_body(
        cls,
        workflow_id: str,
        step_id: str,
        body: Mapping[str, Any],
        action: str,
        render_limits: RenderLimits | None = None,
    ) -> ExecuteRequest:
        """The request as the bridge receives it (query ids override the body's)."""
        return cls(
            workflow_id=workflow_id,
            step_id=step_id,
            payload=body.get("payload"),
            controls=body.get("controls", MISSING),
            state=body.get("state", []),
            subscriber=body.get("subscriber"),
            context=body.get("context"),
            action=action,
            render_limits=render_limits,
        )


@dataclass
class ExecuteResult:
    """The outcome of one execution, and its wire form."""

    step_id: str | None
    step_type: str | None
    outputs: dict[str, Any]
    providers: dict[str, Any]
    skipped: bool
    completed: bool = False
    duration_ms: float = 0.0

    def to_wire(self) -> dict[str, Any]:
        return {
            "outputs": self.outputs,
            "providers": self.providers,
            "options": {"skip": self.skipped},
            "metadata": {"status": "success", "error": False, "duration": self.duration_ms},
        }


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value


def subscriber_from_wire(value: Any) -> Subscriber | None:
    """The typed subscriber; the raw value stays available to templates unvalidated."""
    if not isinstance(value, dict):
        return None
    try:
        return Subscriber.model_validate(value)
    except ValidationError:
        return Subscriber.model_construct(**{to_snake(k): v for k, v in value.items()})


class _ExecutionRunner:
    def __init__(
        self,
        workflow: Workflow,
        definition: WorkflowDefinition,
        request: ExecuteRequest,
        state: dict[str, Any],
        template_context: dict[str, Any],
    ) -> None:
        self.workflow = workflow
        self.definition = definition
        self.request = request
        self.preview = request.action == "preview"
        self.verb = "preview" if self.preview else "execute"
        self.state = state
        self.template_context = template_context
        self.result: ExecuteResult | None = None
        self.error: NovuError | None = None
        # A def handler drives its steps synchronously (in place or in a worker thread).
        self.call = call_user if workflow.handler_is_async else call_user_from_sync_handler

    async def run(self, call: StepCall) -> Any:
        if self.result is not None:
            raise StepInterrupt()
        try:
            step = self.definition.by_id.get(call.step_id)
            if step is None:
                raise StepNotFoundError(call.step_id)
            target = self.request.step_id
            if call.step_id == target or (target is None and call.step_id not in self.state):
                self.result = await self._run_target(step, call)
                raise StepInterrupt()
            return self._hydrate(step)
        except NovuError as exc:
            # Kept so that a handler's own ``except Exception`` cannot turn a bad request into a success.
            self.error = self.error or exc
            raise

    # --- earlier steps -------------------------------------------------------------------------

    def _hydrate(self, step: StepDefinition) -> Any:
        entry = self.state.get(step.step_id)
        if self.preview:
            outputs = entry.get("outputs") if isinstance(entry, dict) else None
            data = deep_merge(step.result_schema.mock(), outputs if isinstance(outputs, dict) else {})
            try:
                return step.result_to_python(data)
            except ValidationError:
                return data
        if entry is None:
            raise ExecutionStateCorruptError(self.workflow.id, step.step_id)
        checked = step.result_schema.validate(entry.get("outputs"))
        if not checked.ok:
            raise ExecutionStateResultInvalidError(self.workflow.id, step.step_id, checked.errors)
        data = _sanitized(checked.data) if step.sanitize else checked.data
        return step.result_to_python(data)

    # --- the target step -----------------------------------------------------------------------

    async def _run_target(self, step: StepDefinition, call: StepCall) -> ExecuteResult:
        # Imported on first use: Liquid takes about a tenth of a second to import, and a process
        # that answers health-checks and discovery never renders (see benchmarks/cold_start.py).
        from novu_framework import templating

        wf_id = self.workflow.id
        raw = self.request.controls
        if raw is MISSING:
            saved = self.request.step_controls
            raw = saved.get(step.step_id, {}) if saved is not None else {}
        checked = step.control_schema.validate(raw)
        if not checked.ok:
            raise ExecutionStateControlInvalidError(wf_id, step.step_id, checked.errors)
        try:
            compiled = templating.render_controls(
                checked.data, self.template_context, self.request.render_limits
            )
        except RenderLimitError as exc:
            raise StepControlRenderLimitError(
                wf_id, step.step_id, exc.control or "/", exc.limit, exc.maximum, str(exc)
            ) from None
        except templating.TemplateCompileError as exc:
            raise StepControlCompilationFailedError(wf_id, step.step_id, {"name": exc.name}) from exc
        controls = self._controls_for_user(step, compiled)

        offload = self.workflow.offload if call.offload is None else call.offload
        if (
            not self.preview
            and call.skip is not None
            and await self.call(call.skip, controls, offload=offload, site=self._site(step, "skip"))
        ):
            return ExecuteResult(step.step_id, step.kind, {}, {}, skipped=True)

        outputs = await self._resolve(step, call, controls, offload)
        providers = await self._providers(step, call, checked.data, outputs, offload)
        if step.sanitize:
            outputs = _sanitized(outputs)
        return ExecuteResult(step.step_id, step.kind, outputs, providers, skipped=False)

    def _controls_for_user(self, step: StepDefinition, data: Any) -> Any:
        try:
            return step.control_schema.to_python(data)
        except ValidationError as exc:
            errors = [{"path": "/" + "/".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()]
            raise ExecutionStateControlInvalidError(self.workflow.id, step.step_id, errors) from exc

    def _site(self, step: StepDefinition, role: str) -> CallSite:
        return CallSite(self.workflow.id, step.step_id, role)

    async def _resolve(
        self, step: StepDefinition, call: StepCall, controls: Any, offload: bool
    ) -> dict[str, Any]:
        resolver = call.resolver
        if callable(resolver) and not isinstance(resolver, type):
            try:
                produced = await self.call(
                    resolver, controls, offload=offload, site=self._site(step, "resolver")
                )
            except NovuError:
                raise
            except Exception as exc:
                raise StepExecutionFailedError(step.step_id, self.verb, exc) from exc
        else:
            produced = resolver
        produced = _dump(produced)
        if step.is_builtin and isinstance(produced, dict):
            produced = builtin_outputs_to_wire(produced, step.output_keys)
        checked = step.output_schema.validate(produced)
        if not checked.ok:
            raise ExecutionStateOutputInvalidError(self.workflow.id, step.step_id, checked.errors)
        outputs: dict[str, Any] = checked.data
        return outputs

    async def _providers(
        self, step: StepDefinition, call: StepCall, controls: Any, outputs: dict[str, Any], offload: bool
    ) -> dict[str, Any]:
        results: dict[str, Any] = {}
        functions = call.providers or {}
        user_controls = step.control_schema.to_python(controls) if step.providers else controls
        for provider in step.providers:
            if self.preview:
                results[provider.provider_id] = provider.schema.mock()
                continue
            fn = functions.get(provider.provider_id)
            if fn is None:
                raise ProviderNotFoundError(provider.provider_id)
            try:
                site = self._site(step, f"provider function {provider.provider_id!r}")
                produced = _dump(await self.call(fn, user_controls, outputs, offload=offload, site=site))
                passthrough = produced.get("_passthrough", MISSING) if isinstance(produced, dict) else MISSING
                if passthrough is not MISSING:
                    produced = {k: v for k, v in produced.items() if k != "_passthrough"}
                checked = provider.schema.validate(produced)
                if not checked.ok:
                    raise ExecutionProviderOutputInvalidError(
                        self.workflow.id, step.step_id, provider.provider_id, checked.errors
                    )
            except Exception as exc:
                raise ProviderExecutionFailedError(provider.provider_id, self.verb, exc) from exc
            value = dict(checked.data)
            if passthrough is not MISSING:
                value["_passthrough"] = passthrough
            results[provider.provider_id] = value
        return results


def _state_map(state: Any) -> dict[str, Any]:
    if state is None:
        return {}
    if not isinstance(state, list):
        raise InvalidRequestBodyError(
            f"`state` must be an array of step states, got {type(state).__name__}",
            full_message=True,
        )
    out: dict[str, Any] = {}
    for entry in state:
        if isinstance(entry, dict) and isinstance(entry.get("stepId"), str):
            out.setdefault(entry["stepId"], entry)
    return out


def _validated_payload(workflow: Workflow, request: ExecuteRequest) -> Any:
    payload = request.payload
    if request.action == "preview":
        mock = workflow.payload_schema.mock()
        if isinstance(mock, dict) and isinstance(payload, dict):
            payload = {**mock, **payload}
        elif payload is None:
            payload = mock
    elif not truthy(payload):
        raise ExecutionEventPayloadInvalidError(workflow.id, {"message": "Event `payload` is required"})
    checked = workflow.payload_schema.validate(payload)
    if not checked.ok:
        raise ExecutionEventPayloadInvalidError(workflow.id, checked.errors)
    return checked.data


async def execute(workflow: Workflow, request: ExecuteRequest) -> ExecuteResult:
    """Run ``request`` against ``workflow``: replay, run the target step, and return its outputs."""
    definition = await workflow.definition()
    started = time.perf_counter()
    payload = _validated_payload(workflow, request)
    state = _state_map(request.state)
    template_context = {
        "payload": payload,
        "subscriber": request.subscriber,
        "context": request.context,
        "steps": {step_id: entry.get("outputs") for step_id, entry in state.items()},
        "workflow": {
            "workflowId": workflow.id,
            "name": workflow.name,
            "description": workflow.description,
            "tags": workflow.tags,
            "severity": workflow.severity,
        },
    }
    runner = _ExecutionRunner(workflow, definition, request, state, template_context)
    controls = workflow.control_schema.validate({})
    with contextlib.suppress(StepInterrupt):
        await workflow.invoke(
            runner,
            payload=workflow.payload_schema.to_python(payload),
            subscriber=subscriber_from_wire(request.subscriber),
            context=request.context,
            controls=workflow.control_schema.to_python(controls.data) if controls.ok else {},
        )
    if runner.error is not None:
        raise runner.error
    result = runner.result
    if result is None:
        if request.step_id is not None:
            raise StepNotFoundError(request.step_id)
        result = ExecuteResult(None, None, {}, {}, skipped=False, completed=True)
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result


def _sanitized(outputs: Any) -> Any:
    # The sanitiser loads with the first output it cleans, not with the bridge (a cold start).
    from novu_framework.sanitize import sanitize_step_outputs

    return sanitize_step_outputs(outputs)
