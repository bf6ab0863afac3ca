"""Advancing one run: replay its recorded steps as ``state``, execute the next step through the core's
execute path, then wait, merge, deliver or record as the step's type requires.

There is no second engine here: every step's outputs come from :func:`novu_framework.execution.execute`,
the function that answers the bridge's ``execute`` action.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from novu_framework.errors import BadRequestError, NovuError
from novu_framework.execution import ExecuteRequest, ExecuteResult, execute
from novu_framework.js.json import stringify as js_stringify
from novu_framework.runtime.delivery.base import DeliveryError, Message, Provider
from novu_framework.runtime.errors import LeaseLostError
from novu_framework.runtime.records import RunStatus, StepRecord, StepStatus
from novu_framework.runtime.scheduler import (
    RetryPolicy,
    ScheduleError,
    delay_until,
    digest_window,
    throttle_window,
)
from novu_framework.runtime.store.base import (
    Commit,
    DeliveryWrite,
    DigestEntry,
    InboxState,
    InboxWrite,
    RunState,
    StepWrite,
    ThrottleEntry,
    WorkerStore,
)
from novu_framework.runtime.timeutil import Clock, to_iso
from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework.runtime")

CHANNELS = frozenset({"email", "sms", "push", "chat"})
_DONE = frozenset({StepStatus.COMPLETED.value, StepStatus.SKIPPED.value})
_SKIPPED_RESULTS: dict[str, dict[str, Any]] = {
    "in_app": {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None},
    "delay": {"duration": 0},
    "throttle": {"throttled": False},
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


def _describe(exc: BaseException) -> str:
    if isinstance(exc, NovuError):
        detail = f" {js_stringify(exc.data)}" if exc.has_data else ""
        return f"{exc.code}: {exc.message}{detail}"
    return f"{type(exc).__name__}: {exc}"


class RunAdvancer:
    """Advances one claimed run as far as it can go now, committing after every step."""

    def __init__(self, config: RunnerConfig, state: RunState, workflow: Workflow, lease: str) -> None:
        self.c = config
        self.lease = lease  # the fencing token of this claim: every commit must present it
        self.s = state
        self.run = state.run
        self.workflow = workflow
        self.steps: dict[str, StepRecord] = {s.step_id: s for s in state.steps}
        self.inbox: dict[str, InboxState] = dict(state.inbox)
        self.failures = state.run.failures  # consecutive failed executions
        # Writes of finished steps not committed yet: they go with the run's next store call, which
        # comes before any message leaves the process and before the run is released.
        self._steps: list[StepWrite] = []
        self._deliveries: list[DeliveryWrite] = []
        self._inbox: list[InboxWrite] = []
        self._reset_failures = False
        self._held_since = self.now()  # when the lease was last extended
        self.controls: Mapping[str, Any] = {}
        self.scope = {
            "payload": self.run.payload,
            "subscriber": self.run.subscriber,
            "context": state.context,
        }

    # --- helpers ---------------------------------------------------------------------------------

    def now(self) -> int:
        return self.c.clock()

    def _commit(self, **fields: Any) -> Commit:
        """A commit of ``fields`` with the pending writes before its own (which are then no longer pending)."""
        now = self.now()
        if self._reset_failures and "failures" not in fields:
            fields["failures"] = 0
        fields["steps"] = [*self._steps, *fields.get("steps", ())]
        fields["deliveries"] = [*self._deliveries, *fields.get("deliveries", ())]
        fields["inbox"] = [*self._inbox, *fields.get("inbox", ())]
        self._steps, self._deliveries, self._inbox = [], [], []
        self._reset_failures = False
        self._held_since = now
        if "failures" in fields:
            self.failures = fields["failures"]
        return Commit(run_id=self.run.id, owner=self.lease, now=now, lease_ms=self.c.lease_ms, **fields)

    def _prior(self) -> Commit | None:
        """The pending writes as a commit that keeps the run, for a store call that takes them along."""
        if not (self._steps or self._deliveries or self._inbox or self._reset_failures):
            return None
        return self._commit()

    def _remember(self, steps: tuple[StepWrite, ...]) -> None:
        if self.failures and any(w.status in _DONE for w in steps):
            self.failures = 0  # a step got through: the next failure starts a new count
            self._reset_failures = True
        for w in steps:
            self.steps[w.step_id] = StepRecord(
                step_id=w.step_id,
                step_type=w.step_type,
                position=w.position,
                status=w.status,
                outputs=w.outputs,
                result=w.result,
                providers=w.providers,
                error=w.error,
                attempts=w.attempts,
                started_at=w.started_at,
                finished_at=w.finished_at,
                duration_ms=w.duration_ms,
                wait_until=w.wait_until,
                worker=self.c.owner,
            )

    async def _save(self, *steps: StepWrite, **fields: Any) -> None:
        """Commit these step writes (and the pending ones) now."""
        self._remember(steps)
        await self.c.store.commit(self._commit(steps=steps, **fields))

    async def _stage(
        self,
        *steps: StepWrite,
        deliveries: tuple[DeliveryWrite, ...] = (),
        inbox: tuple[InboxWrite, ...] = (),
    ) -> None:
        """Record writes with no effect outside the store: they are committed with the run's next store
        call (sooner when half the lease has gone by, so that the lease is extended in time)."""
        self._remember(steps)
        self._steps.extend(steps)
        self._deliveries.extend(deliveries)
        self._inbox.extend(inbox)
        if self.now() - self._held_since > self.c.lease_ms // 2:
            await self.c.store.commit(self._commit())

    def _result_of(self, step: StepRecord) -> dict[str, Any]:
        if step.step_type == "in_app":
            box = self.inbox.get(step.step_id)
            if box is None:
                return dict(_SKIPPED_RESULTS["in_app"])
            return {
                "seen": box.seen,
                "read": box.read,
                "lastSeenDate": None if box.seen_at is None else to_iso(box.seen_at),
                "lastReadDate": None if box.read_at is None else to_iso(box.read_at),
            }
        return step.result if step.result is not None else {}

    def _state(self) -> list[dict[str, Any]]:
        done = sorted((s for s in self.steps.values() if s.status in _DONE), key=lambda s: -s.position)
        return [
            {"stepId": s.step_id, "outputs": self._result_of(s), "state": {"status": s.status, "error": None}}
            for s in done
        ]

    # --- the loop --------------------------------------------------------------------------------

    async def advance(self) -> None:
        """Run steps until the run finishes, waits, or has used its share of this claim."""
        try:
            if self.c.controls is not None:
                self.controls = await self.c.controls(self.workflow.id)
            for _ in range(self.c.max_steps_per_claim):
                if not await self._step_once():
                    return
            await self.c.store.commit(self._commit(status=RunStatus.PENDING.value, next_at=self.now()))
        except LeaseLostError:
            logger.info("run %s: lease lost (cancelled or taken over); stopping", self.run.id)

    async def _step_once(self) -> bool:
        """One unit of progress; False once the run was released."""
        pending = next((s for s in self.steps.values() if s.status not in _DONE), None)
        if pending is not None:
            return await self._resume(pending)
        request = ExecuteRequest(
            workflow_id=self.workflow.id,
            step_id=None,
            payload=self.run.payload,
            state=self._state(),
            step_controls=self.controls,
            subscriber=self.run.subscriber,
            context=self.s.context,
        )
        try:
            result = await execute(self.workflow, request)
        except Exception as exc:
            return await self._execution_failed(exc)
        if result.completed:
            await self.c.store.commit(self._commit(status=RunStatus.COMPLETED.value))
            return False
        assert result.step_id is not None and result.step_type is not None
        if result.skipped:
            await self._finish_step(result, StepStatus.SKIPPED.value, self._skipped_result(result.step_type))
            return True
        return await self._start_step(result)

    async def _execution_failed(self, exc: Exception) -> bool:
        error = _describe(exc)
        failures = self.failures + 1
        if isinstance(exc, BadRequestError) or failures >= self.c.retry.max_attempts:
            logger.warning("run %s failed: %s", self.run.id, error)
            await self.c.store.commit(self._commit(status=RunStatus.FAILED.value, error=error))
        else:
            delay = self.c.retry.delay_ms(failures)
            logger.info(
                "run %s: step execution failed (attempt %d), retrying in %d ms: %s",
                self.run.id,
                failures,
                delay,
                error,
            )
            await self.c.store.commit(
                self._commit(
                    status=RunStatus.WAITING.value, next_at=self.now() + delay, error=error, failures=failures
                )
            )
        return False

    def _skipped_result(self, step_type: str) -> dict[str, Any]:
        if step_type == "digest":
            return {"events": [self._own_event()], "eventCount": 1}
        return dict(_SKIPPED_RESULTS.get(step_type, {}))

    def _own_event(self) -> dict[str, Any]:
        return {"id": self.run.id, "time": to_iso(self.run.created_at), "payload": self.run.payload}

    def _write(self, executed: ExecuteResult, status: str, **fields: Any) -> StepWrite:
        assert executed.step_id is not None and executed.step_type is not None
        known = self.steps.get(executed.step_id)
        return StepWrite(
            step_id=executed.step_id,
            step_type=executed.step_type,
            position=known.position if known is not None else len(self.steps),
            status=status,
            outputs=executed.outputs,
            providers=executed.providers,
            started_at=fields.pop("started_at", self.now()),
            duration_ms=executed.duration_ms,
            **fields,
        )

    async def _finish_step(
        self, executed: ExecuteResult, step_status: str, value: dict[str, Any], **run_fields: Any
    ) -> None:
        write = self._write(executed, step_status, result=value, finished_at=self.now())
        if run_fields:
            await self._save(write, **run_fields)
        else:
            await self._stage(write)

    # --- starting a step -------------------------------------------------------------------------

    async def _start_step(self, result: ExecuteResult) -> bool:
        kind = result.step_type
        try:
            if kind == "in_app":
                return await self._in_app(result)
            if kind in CHANNELS:
                return await self._channel(result)
            if kind == "delay":
                return await self._delay(result)
            if kind == "digest":
                return await self._digest(result)
            if kind == "throttle":
                return await self._throttle(result)
        except ScheduleError as exc:
            error = f"step `{result.step_id}`: {exc}"
            await self._save(
                self._write(result, StepStatus.FAILED.value, error=error, finished_at=self.now()),
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
        write = self._write(
            result, StepStatus.COMPLETED.value, result=_SKIPPED_RESULTS["in_app"], finished_at=now
        )
        delivery = DeliveryWrite(
            id=key,
            step_id=result.step_id,
            channel="in_app",
            provider="inbox",
            recipient=str(self.run.subscriber_id),
            status="sent",
            attempt=1,
            attempt_status="sent",
            attempt_started_at=now,
            attempt_finished_at=now,
            attempt_response={"messageId": key},
        )
        await self._stage(
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
        await self._save(
            self._write(result, StepStatus.WAITING.value, wait_until=due),
            status=RunStatus.WAITING.value,
            next_at=due,
        )
        return False

    async def _digest(self, result: ExecuteResult) -> bool:
        assert result.step_id is not None and result.step_type is not None
        now = self.now()
        window = digest_window(result.outputs, self.scope, now)
        outcome = await self.c.store.digest_enter(
            DigestEntry(
                run_id=self.run.id,
                owner=self.lease,
                now=now,
                lease_ms=self.c.lease_ms,
                workflow_id=self.workflow.id,
                step_id=result.step_id,
                step_type=result.step_type,
                position=len(self.steps),
                subscriber_id=self.run.subscriber_id,
                digest_key=window.digest_key,
                event_time=self.run.created_at,
                closes_at=window.closes_at,
                outputs=result.outputs,
                look_back_from=window.look_back_from,
                prior=self._prior(),
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
        outcome = await self.c.store.throttle_hit(
            ThrottleEntry(
                run_id=self.run.id,
                owner=self.lease,
                now=now,
                lease_ms=self.c.lease_ms,
                workflow_id=self.workflow.id,
                step_id=result.step_id,
                subscriber_id=self.run.subscriber_id,
                throttle_key=window.throttle_key,
                window_start=window.window_start,
                threshold=window.threshold,
                prior=self._prior(),
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

    # --- channel delivery ------------------------------------------------------------------------

    async def _channel(self, result: ExecuteResult) -> bool:
        assert result.step_id is not None and result.step_type is not None
        message = self._message(result.step_type, result.step_id, result.outputs, result.providers, 1)
        if message.recipient is None and result.step_type in ("email", "sms"):
            what = "email address" if result.step_type == "email" else "phone number"
            reason = f"the subscriber has no {what}"
            await self._stage(
                self._write(result, StepStatus.SKIPPED.value, result={}, finished_at=self.now(), error=reason)
            )
            return True
        step = self._write(result, StepStatus.DELIVERING.value)
        return await self._deliver(step, message)

    def _message(
        self, channel: str, step_id: str, outputs: dict[str, Any], providers: dict[str, Any], attempt: int
    ) -> Message:
        return Message(
            channel=channel,
            idempotency_key=f"{self.run.id}:{step_id}",
            transaction_id=self.run.transaction_id,
            workflow_id=self.workflow.id,
            step_id=step_id,
            subscriber=self.run.subscriber,
            outputs=outputs,
            providers=providers,
            overrides=self.s.overrides,
            attempt=attempt,
        )

    async def _deliver(self, step: StepWrite, message: Message) -> bool:
        provider = self.c.providers(message.channel)
        attempt = message.attempt
        started = self.now()
        base = DeliveryWrite(
            id=message.idempotency_key,
            step_id=step.step_id,
            channel=message.channel,
            provider=provider.name,
            recipient=message.recipient,
            status="sending",
            attempt=attempt,
            attempt_status="sending",
            attempt_started_at=started,
        )
        # Recorded before sending: a crash mid-send leaves "sending", and the next claim resends with
        # the same idempotency key.
        await self._save(replace(step, attempts=attempt), deliveries=[base])
        t0 = time.perf_counter()
        try:
            response = await provider.send(message)
        except Exception as exc:
            return await self._delivery_failed(step, base, exc)
        now = self.now()
        done = replace(
            step,
            status=StepStatus.COMPLETED.value,
            result={},
            finished_at=now,
            attempts=attempt,
            duration_ms=step.duration_ms + (time.perf_counter() - t0) * 1000,
        )
        sent = replace(
            base, status="sent", attempt_status="sent", attempt_response=response, attempt_finished_at=now
        )
        # Committed with the run's next store call, right after the next execution: a crash before that
        # leaves the attempt "sending", and the message is sent again with the same idempotency key.
        await self._stage(done, deliveries=(sent,))
        return True

    async def _delivery_failed(self, step: StepWrite, base: DeliveryWrite, exc: Exception) -> bool:
        error = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        attempt = base.attempt or 1
        now = self.now()
        failed = permanent or attempt >= self.c.retry.max_attempts
        run_update: dict[str, Any]
        if failed:
            final = f"{base.channel} delivery failed after {attempt} attempt(s) via {base.provider}: {error}"
            logger.warning("run %s: %s", self.run.id, final)
            step = replace(
                step, status=StepStatus.FAILED.value, error=error, finished_at=now, attempts=attempt
            )
            run_update = {"status": RunStatus.FAILED.value, "error": final}
        else:
            retry_at = now + self.c.retry.delay_ms(attempt)
            step = replace(step, error=error, attempts=attempt, wait_until=retry_at)
            run_update = {"status": RunStatus.WAITING.value, "next_at": retry_at}
        delivery = replace(
            base,
            status="failed" if failed else "retrying",
            error=error,
            attempt_status="failed",
            attempt_error=error,
            attempt_finished_at=now,
        )
        await self._save(step, deliveries=[delivery], **run_update)
        return False

    # --- resuming a waiting step -----------------------------------------------------------------

    async def _resume(self, step: StepRecord) -> bool:
        now = self.now()
        if step.status == StepStatus.DELIVERING.value:
            return await self._redeliver(step)
        if step.wait_until is not None and now < step.wait_until:
            await self.c.store.commit(self._commit(status=RunStatus.WAITING.value, next_at=step.wait_until))
            return False
        write = StepWrite(
            step_id=step.step_id,
            step_type=step.step_type,
            position=step.position,
            status=StepStatus.COMPLETED.value,
            outputs=step.outputs,
            providers=step.providers,
            started_at=step.started_at,
            finished_at=now,
            duration_ms=step.duration_ms,
            wait_until=step.wait_until,
            attempts=step.attempts,
        )
        if step.step_type == "digest":
            events = await self.c.store.digest_events(
                self.run.id, step.step_id, self.lease, now, self.c.lease_ms, self._prior()
            )
            value: dict[str, Any] = {
                "events": [{"id": e.run_id, "time": to_iso(e.time), "payload": e.payload} for e in events],
                "eventCount": len(events),
            }
        else:
            value = {"duration": max(0, now - step.started_at)}
        await self._stage(replace(write, result=value))
        return True

    async def _redeliver(self, step: StepRecord) -> bool:
        now = self.now()
        if step.wait_until is not None and now < step.wait_until:
            await self.c.store.commit(self._commit(status=RunStatus.WAITING.value, next_at=step.wait_until))
            return False
        previous = self.s.deliveries.get(step.step_id)
        attempts = previous.attempts if previous is not None else step.attempts
        if previous is not None and previous.status == "sending":
            # The worker that made this attempt stopped before recording its outcome.
            interrupted = DeliveryWrite(
                id=f"{self.run.id}:{step.step_id}",
                step_id=step.step_id,
                channel=step.step_type,
                provider=self.c.providers(step.step_type).name,
                recipient=None,
                status="retrying",
                error="interrupted: the worker stopped during this attempt",
                attempt=attempts,
                attempt_status="interrupted",
                attempt_error="the worker stopped during this attempt",
                attempt_finished_at=now,
            )
            message = self._message(step.step_type, step.step_id, step.outputs, step.providers, attempts + 1)
            interrupted = replace(interrupted, recipient=message.recipient)
            await self.c.store.commit(self._commit(deliveries=[interrupted]))
        message = self._message(step.step_type, step.step_id, step.outputs, step.providers, attempts + 1)
        write = StepWrite(
            step_id=step.step_id,
            step_type=step.step_type,
            position=step.position,
            status=StepStatus.DELIVERING.value,
            outputs=step.outputs,
            providers=step.providers,
            started_at=step.started_at,
            duration_ms=step.duration_ms,
        )
        return await self._deliver(write, message)
