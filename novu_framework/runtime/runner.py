"""Advancing one run: replay its recorded steps as ``state``, execute the next step through the core's
execute path, then wait, merge, deliver or record as the step's type requires.

There is no second engine here: every step's outputs come from :func:`novu_framework.execution.execute`,
the function that answers the bridge's ``execute`` action. How the run's writes reach the store is
:mod:`~novu_framework.runtime.run_writes`; sending channel messages is
:mod:`~novu_framework.runtime.channel_delivery`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from novu_framework.constants import ActionStepType, ChannelStepType
from novu_framework.errors import BadRequestError, NovuError
from novu_framework.execution import ExecuteRequest, ExecuteResult, execute
from novu_framework.js.json import stringify as js_stringify
from novu_framework.runtime.channel_delivery import ChannelDelivery
from novu_framework.runtime.delivery.base import PROVIDER_CHANNELS, Provider
from novu_framework.runtime.errors import LeaseLostError
from novu_framework.runtime.records import RunStatus, StepRecord, StepStatus
from novu_framework.runtime.run_writes import DONE, RunWrites, rewrite
from novu_framework.runtime.scheduler import (
    RetryPolicy,
    ScheduleError,
    delay_until,
    digest_window,
    throttle_window,
)
from novu_framework.runtime.store.base import (
    DeliveryWrite,
    DigestEntry,
    InboxState,
    InboxWrite,
    RunState,
    ThrottleEntry,
    WorkerStore,
)
from novu_framework.runtime.timeutil import Clock, to_iso
from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework.runtime")

_IN_APP = ChannelStepType.IN_APP.value
_SKIPPED_RESULTS: dict[str, dict[str, Any]] = {
    _IN_APP: {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None},
    ActionStepType.DELAY.value: {"duration": 0},
    ActionStepType.THROTTLE.value: {"throttled": False},
}


@dataclass(frozen=True)
class RunnerConfig:
    """Everything a worker shares between the runs it advances."""

    store: WorkerStore
    workflows: Mapping[str, Workflow]
    providers: Callable[[str], Provider]
    clock: Clock
    owner: str
    lease_ms: int
    retry: RetryPolicy
    max_steps_per_claim: int = 100
    # The control values saved for a workflow's steps (step id to controls); none when not given.
    controls: Callable[[str], Awaitable[Mapping[str, Any]]] | None = None


def _execution_error(exc: BaseException) -> str:
    if isinstance(exc, NovuError):
        detail = f" {js_stringify(exc.data)}" if exc.has_data else ""
        return f"{exc.code}: {exc.message}{detail}"
    return f"{type(exc).__name__}: {exc}"


class RunAdvancer:
    """Advances one claimed run as far as it can go now, committing after every step."""

    def __init__(self, config: RunnerConfig, state: RunState, workflow: Workflow, lease: str) -> None:
        self.config = config
        self.state = state
        self.run = state.run
        self.workflow = workflow
        self.writes = RunWrites(
            store=config.store,
            clock=config.clock,
            lease_ms=config.lease_ms,
            worker=config.owner,
            run_id=state.run.id,
            lease=lease,
            steps=state.steps,
            failures=state.run.failures,
        )
        self.delivery = ChannelDelivery(
            writes=self.writes,
            providers=config.providers,
            retry=config.retry,
            run=state.run,
            workflow_id=workflow.id,
            overrides=state.overrides,
            deliveries=state.deliveries,
        )
        self.inbox: dict[str, InboxState] = dict(state.inbox)
        self.controls: Mapping[str, Any] = {}
        self.scope = {
            "payload": self.run.payload,
            "subscriber": self.run.subscriber,
            "context": state.context,
        }

    def now(self) -> int:
        return self.config.clock()

    def _result_of(self, step: StepRecord) -> dict[str, Any]:
        if step.step_type == _IN_APP:
            box = self.inbox.get(step.step_id)
            if box is None:
                return dict(_SKIPPED_RESULTS[_IN_APP])
            return {
                "seen": box.seen,
                "read": box.read,
                "lastSeenDate": None if box.seen_at is None else to_iso(box.seen_at),
                "lastReadDate": None if box.read_at is None else to_iso(box.read_at),
            }
        return step.result if step.result is not None else {}

    def _state(self) -> list[dict[str, Any]]:
        steps = self.writes.steps.values()
        done = sorted((s for s in steps if s.status in DONE), key=lambda s: -s.position)
        return [
            {"stepId": s.step_id, "outputs": self._result_of(s), "state": {"status": s.status, "error": None}}
            for s in done
        ]

    # --- the loop --------------------------------------------------------------------------------

    async def advance(self) -> None:
        """Run steps until the run finishes, waits, or has used its share of this claim."""
        try:
            if self.config.controls is not None:
                self.controls = await self.config.controls(self.workflow.id)
            for _ in range(self.config.max_steps_per_claim):
                if not await self._step_once():
                    return
            await self.writes.commit(status=RunStatus.PENDING.value, next_at=self.now())
        except LeaseLostError:
            logger.info("run %s: lease lost (cancelled or taken over); stopping", self.run.id)

    async def _step_once(self) -> bool:
        """One unit of progress; False once the run was released."""
        pending = next((s for s in self.writes.steps.values() if s.status not in DONE), None)
        if pending is not None:
            return await self._resume(pending)
        request = ExecuteRequest(
            workflow_id=self.workflow.id,
            step_id=None,
            payload=self.run.payload,
            state=self._state(),
            step_controls=self.controls,
            subscriber=self.run.subscriber,
            context=self.state.context,
        )
        try:
            result = await execute(self.workflow, request)
        except Exception as exc:
            return await self._execution_failed(exc)
        if result.completed:
            await self.writes.commit(status=RunStatus.COMPLETED.value)
            return False
        assert result.step_id is not None and result.step_type is not None
        if result.skipped:
            await self._finish_step(result, StepStatus.SKIPPED.value, self._skipped_result(result.step_type))
            return True
        return await self._start_step(result)

    async def _execution_failed(self, exc: Exception) -> bool:
        error = _execution_error(exc)
        failures = self.writes.failures + 1
        retry = self.config.retry
        if isinstance(exc, BadRequestError) or failures >= retry.max_attempts:
            logger.warning("run %s failed: %s", self.run.id, error)
            await self.writes.commit(status=RunStatus.FAILED.value, error=error)
        else:
            delay = retry.delay_ms(failures)
            logger.info(
                "run %s: step execution failed (attempt %d), retrying in %d ms: %s",
                self.run.id,
                failures,
                delay,
                error,
            )
            await self.writes.commit(
                status=RunStatus.WAITING.value, next_at=self.now() + delay, error=error, failures=failures
            )
        return False

    def _skipped_result(self, step_type: str) -> dict[str, Any]:
        if step_type == ActionStepType.DIGEST:
            return {"events": [self._own_event()], "eventCount": 1}
        return dict(_SKIPPED_RESULTS.get(step_type, {}))

    def _own_event(self) -> dict[str, Any]:
        return {"id": self.run.id, "time": to_iso(self.run.created_at), "payload": self.run.payload}

    async def _finish_step(
        self, executed: ExecuteResult, step_status: str, value: dict[str, Any], **run_fields: Any
    ) -> None:
        write = self.writes.step_write(executed, step_status, result=value, finished_at=self.now())
        if run_fields:
            await self.writes.commit(write, **run_fields)
        else:
            await self.writes.stage(write)

    # --- starting a step -------------------------------------------------------------------------

    async def _start_step(self, result: ExecuteResult) -> bool:
        kind = result.step_type
        try:
            if kind == ChannelStepType.IN_APP:
                return await self._in_app(result)
            if kind in PROVIDER_CHANNELS:
                return await self.delivery.start(result)
            if kind == ActionStepType.DELAY:
                return await self._delay(result)
            if kind == ActionStepType.DIGEST:
                return await self._digest(result)
            if kind == ActionStepType.THROTTLE:
                return await self._throttle(result)
        except ScheduleError as exc:
            error = f"step `{result.step_id}`: {exc}"
            await self.writes.commit(
                self.writes.step_write(result, StepStatus.FAILED.value, error=error, finished_at=self.now()),
                status=RunStatus.FAILED.value,
                error=error,
            )
            return False
        await self._finish_step(result, StepStatus.COMPLETED.value, result.outputs)
        return True

    async def _in_app(self, result: ExecuteResult) -> bool:
        assert result.step_id is not None
        key = f"{self.run.id}:{result.step_id}"
        now = self.now()
        write = self.writes.step_write(
            result, StepStatus.COMPLETED.value, result=_SKIPPED_RESULTS[_IN_APP], finished_at=now
        )
        delivery = DeliveryWrite(
            id=key,
            step_id=result.step_id,
            channel=_IN_APP,
            provider="inbox",
            recipient=str(self.run.subscriber_id),
            status="sent",
            attempt=1,
            attempt_status="sent",
            attempt_started_at=now,
            attempt_finished_at=now,
            attempt_response={"messageId": key},
        )
        await self.writes.stage(
            write, inbox=(InboxWrite(key, result.step_id, result.outputs),), deliveries=(delivery,)
        )
        self.inbox[result.step_id] = InboxState(False, False, None, None)
        return True

    async def _delay(self, result: ExecuteResult) -> bool:
        now = self.now()
        due = delay_until(result.outputs, self.scope, now)
        if due <= now:
            await self._finish_step(result, StepStatus.COMPLETED.value, {"duration": 0})
            return True
        await self.writes.commit(
            self.writes.step_write(result, StepStatus.WAITING.value, wait_until=due),
            status=RunStatus.WAITING.value,
            next_at=due,
        )
        return False

    def _held_step(self, step_id: str, now: int) -> dict[str, Any]:
        """What a store call about this held run's step starts with; it takes the pending writes along
        (so call it once nothing before the store call can fail)."""
        return {
            "run_id": self.run.id,
            "owner": self.writes.lease,
            "now": now,
            "lease_ms": self.config.lease_ms,
            "workflow_id": self.workflow.id,
            "step_id": step_id,
            "subscriber_id": self.run.subscriber_id,
            "prior": self.writes.take_pending(),
        }

    async def _digest(self, result: ExecuteResult) -> bool:
        assert result.step_id is not None and result.step_type is not None
        now = self.now()
        window = digest_window(result.outputs, self.scope, now)
        outcome = await self.config.store.digest_enter(
            DigestEntry(
                **self._held_step(result.step_id, now),
                step_type=result.step_type,
                position=len(self.writes.steps),
                digest_key=window.digest_key,
                event_time=self.run.created_at,
                closes_at=window.closes_at,
                outputs=result.outputs,
                look_back_from=window.look_back_from,
            )
        )
        if outcome.kind == "immediate":
            await self._finish_step(
                result, StepStatus.COMPLETED.value, {"events": [self._own_event()], "eventCount": 1}
            )
            return True
        return False  # merged into another run, or leading a window: the store released the run

    async def _throttle(self, result: ExecuteResult) -> bool:
        assert result.step_id is not None
        now = self.now()
        window = throttle_window(result.outputs, self.scope, now)
        outcome = await self.config.store.throttle_hit(
            ThrottleEntry(
                **self._held_step(result.step_id, now),
                throttle_key=window.throttle_key,
                window_start=window.window_start,
                threshold=window.threshold,
            )
        )
        value = {
            "throttled": outcome.throttled,
            "executionCount": outcome.execution_count,
            "threshold": window.threshold,
            "windowStart": to_iso(window.window_start),
        }
        if outcome.throttled:
            await self._finish_step(
                result, StepStatus.COMPLETED.value, value, status=RunStatus.THROTTLED.value
            )
            return False
        await self._finish_step(result, StepStatus.COMPLETED.value, value)
        return True

    # --- resuming a waiting step -----------------------------------------------------------------

    async def _resume(self, step: StepRecord) -> bool:
        now = self.now()
        if step.wait_until is not None and now < step.wait_until:
            await self.writes.commit(status=RunStatus.WAITING.value, next_at=step.wait_until)
            return False
        if step.status == StepStatus.DELIVERING.value:
            return await self.delivery.resume(step)
        if step.step_type == ActionStepType.DIGEST:
            events = await self.config.store.digest_events(
                self.run.id,
                step.step_id,
                self.writes.lease,
                now,
                self.config.lease_ms,
                self.writes.take_pending(),
            )
            value: dict[str, Any] = {
                "events": [{"id": e.run_id, "time": to_iso(e.time), "payload": e.payload} for e in events],
                "eventCount": len(events),
            }
        else:
            value = {"duration": max(0, now - step.started_at)}
        write = rewrite(
            step,
            StepStatus.COMPLETED.value,
            result=value,
            finished_at=now,
            wait_until=step.wait_until,
            attempts=step.attempts,
        )
        await self.writes.stage(write)
        return True
