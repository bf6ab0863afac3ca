"""What discovery learns about a workflow: its steps, their schemas, and the discover document."""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from novu_framework.constants import CHANNEL_STEP_TYPES, ActionStepType, ChannelStepType
from novu_framework.errors import StepAlreadyExistsError
from novu_framework.results import RESULT_MODELS, WireModel
from novu_framework.schema import Schema, compile_schema
from novu_framework.schema.builtin import step_output_schema, step_result_schema
from novu_framework.schema.providers import provider_output_schema
from novu_framework.steps import StepCall
from novu_framework.user_code import source_of

SANITIZED_STEP_TYPES = frozenset({ChannelStepType.EMAIL.value, ChannelStepType.IN_APP.value})


@dataclass(frozen=True)
class ProviderDefinition:
    provider_id: str
    schema: Schema
    code: str

    def document(self) -> dict[str, Any]:
        return {
            "type": self.provider_id,
            "code": self.code,
            "outputs": {"schema": self.schema.json_schema, "unknownSchema": self.schema.json_schema},
        }


@dataclass(frozen=True)
class StepDefinition:
    """One step as discovery saw it; schemas are compiled once here."""

    step_id: str
    kind: str
    control_schema: Schema
    output_schema: Schema
    result_schema: Schema
    providers: tuple[ProviderDefinition, ...]
    sanitize: bool
    code: str
    options: dict[str, Any]
    output_keys: frozenset[str]
    result_model: type[WireModel] | None
    has_skip: bool = False  # the step was given a ``skip`` condition (not part of the wire document)

    @property
    def is_builtin(self) -> bool:
        return self.kind != ActionStepType.CUSTOM

    def document(self) -> dict[str, Any]:
        def pair(schema: Schema) -> dict[str, Any]:
            return {"schema": schema.json_schema, "unknownSchema": schema.json_schema}

        return {
            "stepId": self.step_id,
            "type": self.kind,
            "controls": pair(self.control_schema),
            "outputs": pair(self.output_schema),
            "results": pair(self.result_schema),
            "code": self.code,
            "options": self.options,
            "providers": [p.document() for p in self.providers],
        }

    def result_to_python(self, data: Any) -> Any:
        """The typed value a handler receives for this step's (validated) result."""
        if self.result_model is not None:
            return self.result_model.model_validate(data)
        return self.result_schema.to_python(data)


def _schema_json(source: Any) -> Any:
    if (
        isinstance(source, type)
        and not isinstance(source, types.GenericAlias)
        and issubclass(source, BaseModel)
    ):
        return compile_schema(source).json_schema
    return source


def define_step(call: StepCall, workflow_id: str) -> StepDefinition:
    """Compile a step's schemas and build its discover entry from the handler's call."""
    kind = call.kind
    control_schema = compile_schema(call.control_schema)
    if kind == ActionStepType.CUSTOM:
        output_schema = compile_schema(call.output_schema)
        result_schema = output_schema
    else:
        output_schema = compile_schema(step_output_schema(kind))
        result_schema = compile_schema(step_result_schema(kind))

    providers: list[ProviderDefinition] = []
    if kind in CHANNEL_STEP_TYPES and call.providers:
        for provider_id, fn in call.providers.items():
            if not callable(fn):
                raise TypeError(
                    f"workflow {workflow_id!r}, step {call.step_id!r}: provider {provider_id!r} must be a "
                    f"function (controls, outputs) -> dict, got {type(fn).__name__}"
                )
            schema = compile_schema(provider_output_schema(kind, provider_id))
            providers.append(ProviderDefinition(provider_id, schema, source_of(fn)))

    options: dict[str, Any] = {}
    if "control_schema" in call.given:
        options["controlSchema"] = _schema_json(call.control_schema)
    if "providers" in call.given and kind in CHANNEL_STEP_TYPES:
        options["providers"] = {}
    if "disable_output_sanitization" in call.given and kind in CHANNEL_STEP_TYPES:
        options["disableOutputSanitization"] = True
    if "output_schema" in call.given:
        options["outputSchema"] = _schema_json(call.output_schema)

    output_json = output_schema.json_schema
    keys: set[str] = set(output_json.get("properties", {}))
    for branch in output_json.get("oneOf", []) + output_json.get("anyOf", []):
        keys.update(branch.get("properties", {}))

    return StepDefinition(
        step_id=call.step_id,
        kind=kind,
        control_schema=control_schema,
        output_schema=output_schema,
        result_schema=result_schema,
        providers=tuple(providers),
        sanitize=kind in SANITIZED_STEP_TYPES and not call.disable_output_sanitization,
        code=source_of(call.resolver),
        options=options,
        output_keys=frozenset(keys),
        result_model=RESULT_MODELS.get(kind),
        has_skip=call.skip is not None,
    )


@dataclass
class WorkflowDefinition:
    """The discovered steps of a workflow, in the order the handler calls them."""

    workflow_id: str
    steps: list[StepDefinition] = field(default_factory=list)
    by_id: dict[str, StepDefinition] = field(default_factory=dict)
    has_async_functions: bool = False
    """Some step's resolver, ``skip`` or provider function is ``async def``."""
    offloaded_steps: bool = False
    """Some step asked for ``offload=True``."""

    def add(self, step: StepDefinition) -> None:
        if step.step_id in self.by_id:
            first = self.by_id[step.step_id]
            raise StepAlreadyExistsError(
                step.step_id,
                f"Workflow {self.workflow_id!r} declares it twice: as step.{first.kind}(...) (step "
                f"{self.steps.index(first) + 1}) and as step.{step.kind}(...) (step {len(self.steps) + 1}).",
            )
        self.steps.append(step)
        self.by_id[step.step_id] = step
