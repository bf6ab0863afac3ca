"""Typed step results and subscriber, plus the snake_case ↔ camelCase mapping of built-in outputs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from novu_framework.constants import ActionStepType, ChannelStepType


class WireModel(BaseModel):
    """A model with snake_case attributes that also accepts (and dumps to) the wire's camelCase names."""

    # Built on first use: building every model's validator at import is most of this module's import time.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", defer_build=True
    )

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Subscriber(WireModel):
    """The subscriber an execution runs for (``subscriberId``, ``firstName``, ... on the wire)."""

    subscriber_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    avatar: str | None = None
    locale: str | None = None
    data: dict[str, Any] | None = None


class EmptyResult(WireModel):
    """Result of email, sms, push and chat steps: nothing."""


class InAppResult(WireModel):
    """Whether the subscriber has seen / read the in-app message."""

    seen: bool = False
    read: bool = False
    last_seen_date: str | None = None
    last_read_date: str | None = None


class DigestEvent(WireModel):
    id: str
    time: str
    payload: dict[str, Any] = Field(default_factory=dict)


class DigestResult(WireModel):
    """The events a digest collected."""

    events: list[DigestEvent] = Field(default_factory=list)
    event_count: float | None = None


class DelayResult(WireModel):
    """How long the delay actually waited, in milliseconds."""

    duration: float = 0


class ThrottleResult(WireModel):
    throttled: bool = False
    execution_count: float | None = None
    threshold: float | None = None
    window_start: str | None = None


RESULT_MODELS: dict[str, type[WireModel]] = {
    ChannelStepType.EMAIL.value: EmptyResult,
    ChannelStepType.SMS.value: EmptyResult,
    ChannelStepType.PUSH.value: EmptyResult,
    ChannelStepType.CHAT.value: EmptyResult,
    ChannelStepType.IN_APP.value: InAppResult,
    ActionStepType.DIGEST.value: DigestResult,
    ActionStepType.DELAY.value: DelayResult,
    ActionStepType.THROTTLE.value: ThrottleResult,
}


# --- output key conversion -----------------------------------------------------------------------

# Nested built-in objects whose keys are converted too; everything else (``data``, custom outputs,
# provider outputs, payloads) passes through untouched.
_NESTED_BUILTIN_KEYS = frozenset({"primaryAction", "secondaryAction", "redirect", "lookBackWindow"})


def _camel(key: str) -> str:
    return to_camel(key) if "_" in key else key


def builtin_outputs_to_wire(outputs: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """Convert the keys of a built-in step's outputs to camelCase and drop ``None`` optional fields.

    ``known`` holds the wire names of the step's output properties; keys that do not map onto one of
    them are left as they are (the schema then strips or rejects them as the reference does).
    """
    out: dict[str, Any] = {}
    for key, value in outputs.items():
        wire = _camel(key)
        name = wire if wire in known else key
        if value is None:
            continue
        if name in _NESTED_BUILTIN_KEYS and isinstance(value, dict):
            value = builtin_outputs_to_wire(value, _NESTED_KNOWN)
        elif name in _NESTED_BUILTIN_KEYS and isinstance(value, BaseModel):
            value = builtin_outputs_to_wire(value.model_dump(by_alias=True), _NESTED_KNOWN)
        out[name] = value
    return out


_NESTED_KNOWN = frozenset({"label", "redirect", "url", "target", "amount", "unit"})
