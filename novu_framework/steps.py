"""The ``step`` object a workflow handler receives, in async and sync forms.

Both forms only package the call into a :class:`StepCall` and hand it to a runner (discovery or
execution); there is one engine, and it is async.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from novu_framework.constants import ActionStepType, ChannelStepType
from novu_framework.user_code import drive

Resolver = Callable[..., Any] | Mapping[str, Any] | Any
SkipFn = Callable[..., Any]
ProviderFn = Callable[..., Any]


@dataclass(frozen=True)
class StepCall:
    """One ``step.<kind>(...)`` call as the workflow handler made it."""

    kind: str
    step_id: str
    resolver: Resolver
    control_schema: Any = None
    skip: SkipFn | None = None
    providers: Mapping[str, ProviderFn] | None = None
    disable_output_sanitization: bool = False
    output_schema: Any = None
    offload: bool | None = None
    given: frozenset[str] = field(default_factory=frozenset)


class StepRunner(Protocol):
    async def run(self, call: StepCall) -> Any: ...


def _make_call(kind: str, step_id: Any, resolver: Any, options: dict[str, Any]) -> StepCall:
    if not isinstance(step_id, str) or not step_id:
        raise TypeError(f"step.{kind}(): the step id must be a non-empty string, got {step_id!r}")
    if options.get("offload") not in (None, True, False):
        raise TypeError(f"step.{kind}(): offload must be True, False or None, got {options['offload']!r}")
    given = frozenset(k for k, v in options.items() if v is not None and v is not False)
    return StepCall(kind=kind, step_id=step_id, resolver=resolver, given=given, **options)


class _StepMethods:
    """The step kinds, snake_case names of the TypeScript ones.

    ``offload=True`` runs the step's sync resolver, ``skip`` and provider functions in a worker
    thread (for code that blocks); ``None`` follows the workflow's ``offload``.
    """

    def _dispatch(self, kind: str, step_id: str, resolver: Any, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _channel(
        self,
        kind: str,
        step_id: str,
        resolver: Resolver,
        control_schema: Any,
        skip: SkipFn | None,
        providers: Mapping[str, ProviderFn] | None,
        disable_output_sanitization: bool,
        offload: bool | None,
    ) -> Any:
        options = {
            "control_schema": control_schema,
            "skip": skip,
            "providers": providers,
            "disable_output_sanitization": disable_output_sanitization,
            "offload": offload,
        }
        return self._dispatch(kind, step_id, resolver, options)

    def email(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        providers: Mapping[str, ProviderFn] | None = None,
        disable_output_sanitization: bool = False,
        offload: bool | None = None,
    ) -> Any:
        """An email: outputs ``subject`` and ``body``."""
        return self._channel(
            ChannelStepType.EMAIL.value,
            step_id,
            resolver,
            control_schema,
            skip,
            providers,
            disable_output_sanitization,
            offload,
        )

    def sms(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        providers: Mapping[str, ProviderFn] | None = None,
        disable_output_sanitization: bool = False,
        offload: bool | None = None,
    ) -> Any:
        """An SMS: outputs ``body``."""
        return self._channel(
            ChannelStepType.SMS.value,
            step_id,
            resolver,
            control_schema,
            skip,
            providers,
            disable_output_sanitization,
            offload,
        )

    def push(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        providers: Mapping[str, ProviderFn] | None = None,
        disable_output_sanitization: bool = False,
        offload: bool | None = None,
    ) -> Any:
        """A push notification: outputs ``subject`` and ``body``."""
        return self._channel(
            ChannelStepType.PUSH.value,
            step_id,
            resolver,
            control_schema,
            skip,
            providers,
            disable_output_sanitization,
            offload,
        )

    def chat(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        providers: Mapping[str, ProviderFn] | None = None,
        disable_output_sanitization: bool = False,
        offload: bool | None = None,
    ) -> Any:
        """A chat message: outputs ``body``."""
        return self._channel(
            ChannelStepType.CHAT.value,
            step_id,
            resolver,
            control_schema,
            skip,
            providers,
            disable_output_sanitization,
            offload,
        )

    def in_app(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        providers: Mapping[str, ProviderFn] | None = None,
        disable_output_sanitization: bool = False,
        offload: bool | None = None,
    ) -> Any:
        """An Inbox message; its result says whether it was seen and read."""
        return self._channel(
            ChannelStepType.IN_APP.value,
            step_id,
            resolver,
            control_schema,
            skip,
            providers,
            disable_output_sanitization,
            offload,
        )

    def delay(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        offload: bool | None = None,
    ) -> Any:
        """Wait: ``{amount, unit}``, ``{type: "timed", cron}`` or ``{type: "dynamic", dynamicKey}``."""
        return self._dispatch(
            ActionStepType.DELAY.value,
            step_id,
            resolver,
            {"control_schema": control_schema, "skip": skip, "offload": offload},
        )

    def digest(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        offload: bool | None = None,
    ) -> Any:
        """Collect events for a window (``{amount, unit}``) or a schedule (``{cron}``); returns the events."""
        return self._dispatch(
            ActionStepType.DIGEST.value,
            step_id,
            resolver,
            {"control_schema": control_schema, "skip": skip, "offload": offload},
        )

    def throttle(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        offload: bool | None = None,
    ) -> Any:
        """Limit how many executions pass in a window."""
        return self._dispatch(
            ActionStepType.THROTTLE.value,
            step_id,
            resolver,
            {"control_schema": control_schema, "skip": skip, "offload": offload},
        )

    def custom(
        self,
        step_id: str,
        resolver: Resolver,
        *,
        control_schema: Any = None,
        skip: SkipFn | None = None,
        output_schema: Any = None,
        offload: bool | None = None,
    ) -> Any:
        """Run any code; its validated output is stored and available to later steps."""
        return self._dispatch(
            ActionStepType.CUSTOM.value,
            step_id,
            resolver,
            {
                "control_schema": control_schema,
                "skip": skip,
                "output_schema": output_schema,
                "offload": offload,
            },
        )


class AsyncStep(_StepMethods):
    """``step`` for ``async def`` handlers: every method is awaited."""

    def __init__(self, runner: StepRunner) -> None:
        self._runner = runner

    def _dispatch(self, kind: str, step_id: str, resolver: Any, options: dict[str, Any]) -> Awaitable[Any]:
        return self._runner.run(_make_call(kind, step_id, resolver, options))


class SyncStep(_StepMethods):
    """``step`` for plain ``def`` handlers: every method returns its result.

    The runner must call user functions with ``call_user_from_sync_handler``.
    """

    def __init__(self, runner: StepRunner) -> None:
        self._runner = runner
        self.engine_seconds = 0.0
        """Time spent inside step calls (the engine and the step's own functions, timed apart)."""

    def _dispatch(self, kind: str, step_id: str, resolver: Any, options: dict[str, Any]) -> Any:
        # The runner's step coroutine only awaits user functions, which the runner calls in this
        # thread for a def handler: it completes without suspending, with no hop to the event loop.
        started = time.perf_counter()
        try:
            return drive(self._runner.run(_make_call(kind, step_id, resolver, options)))
        finally:
            self.engine_seconds += time.perf_counter() - started
