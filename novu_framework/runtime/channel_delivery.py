"""Delivering a run's email, sms, push and chat steps through their providers: the first attempt, retries
with backoff, and the attempt a worker stopped in the middle of.

Every attempt is recorded as "sending" before the provider is called and sends with the same
idempotency key, so a crash mid-send means one more attempt, never a lost message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from novu_framework.constants import ChannelStepType
from novu_framework.execution import ExecuteResult
from novu_framework.runtime.delivery.base import DeliveryError, Message, Provider
from novu_framework.runtime.records import RunRecord, RunStatus, StepRecord, StepStatus
from novu_framework.runtime.run_writes import RunWrites, rewrite
from novu_framework.runtime.scheduler import RetryPolicy
from novu_framework.runtime.store.base import DeliveryState, DeliveryWrite, StepWrite

logger = logging.getLogger("novu_framework.runtime")

# The channels that cannot send without an address of the subscriber's, and what that address is.
_ADDRESSES = {ChannelStepType.EMAIL.value: "email address", ChannelStepType.SMS.value: "phone number"}


@dataclass(frozen=True)
class ChannelDelivery:
    """Sends the channel steps of one claimed run, recording every attempt through its :class:`RunWrites`."""

    writes: RunWrites
    providers: Callable[[str], Provider]
    retry: RetryPolicy
    run: RunRecord
    workflow_id: str
    overrides: dict[str, Any]
    deliveries: Mapping[str, DeliveryState]  # the delivery of each step as the run was loaded

    async def start(self, result: ExecuteResult) -> bool:
        """Send the message of the channel step just executed; False once the run was released."""
        assert result.step_id is not None and result.step_type is not None
        message = self._message(result.step_type, result.step_id, result.outputs, result.providers, 1)
        missing = _ADDRESSES.get(result.step_type)
        if message.recipient is None and missing is not None:
            reason = f"the subscriber has no {missing}"
            skipped = self.writes.step_write(
                result, StepStatus.SKIPPED.value, result={}, finished_at=self.writes.clock(), error=reason
            )
            await self.writes.stage(skipped)
            return True
        return await self._send(self.writes.step_write(result, StepStatus.DELIVERING.value), message)

    async def resume(self, step: StepRecord) -> bool:
        """Send again the message of a step left delivering (a retry that is due, or an attempt a worker
        stopped in the middle of); False once the run was released."""
        previous = self.deliveries.get(step.step_id)
        attempts = previous.attempts if previous is not None else step.attempts
        message = self._message(step.step_type, step.step_id, step.outputs, step.providers, attempts + 1)
        if previous is not None and previous.status == "sending":
            # The worker that made this attempt stopped before recording its outcome.
            interrupted = DeliveryWrite(
                id=message.idempotency_key,
                step_id=step.step_id,
                channel=step.step_type,
                provider=self.providers(step.step_type).name,
                recipient=message.recipient,
                status="retrying",
                error="interrupted: the worker stopped during this attempt",
                attempt=attempts,
                attempt_status="interrupted",
                attempt_error="the worker stopped during this attempt",
                attempt_finished_at=self.writes.clock(),
            )
            await self.writes.commit(deliveries=[interrupted])
        return await self._send(rewrite(step, StepStatus.DELIVERING.value), message)

    def _message(
        self, channel: str, step_id: str, outputs: dict[str, Any], providers: dict[str, Any], attempt: int
    ) -> Message:
        return Message(
            channel=channel,
            idempotency_key=f"{self.run.id}:{step_id}",
            transaction_id=self.run.transaction_id,
            workflow_id=self.workflow_id,
            step_id=step_id,
            subscriber=self.run.subscriber,
            outputs=outputs,
            providers=providers,
            overrides=self.overrides,
            attempt=attempt,
        )

    async def _send(self, step: StepWrite, message: Message) -> bool:
        provider = self.providers(message.channel)
        attempt = message.attempt
        sending = DeliveryWrite(
            id=message.idempotency_key,
            step_id=step.step_id,
            channel=message.channel,
            provider=provider.name,
            recipient=message.recipient,
            status="sending",
            attempt=attempt,
            attempt_status="sending",
            attempt_started_at=self.writes.clock(),
        )
        # Recorded before sending: a crash mid-send leaves "sending", and the next claim resends with
        # the same idempotency key.
        await self.writes.commit(replace(step, attempts=attempt), deliveries=[sending])
        started = time.perf_counter()
        try:
            response = await provider.send(message)
        except Exception as exc:
            return await self._failed(step, sending, exc)
        now = self.writes.clock()
        done = replace(
            step,
            status=StepStatus.COMPLETED.value,
            result={},
            finished_at=now,
            attempts=attempt,
            duration_ms=step.duration_ms + (time.perf_counter() - started) * 1000,
        )
        sent = replace(
            sending, status="sent", attempt_status="sent", attempt_response=response, attempt_finished_at=now
        )
        # Committed with the run's next store call, right after the next execution: a crash before that
        # leaves the attempt "sending", and the message is sent again with the same idempotency key.
        await self.writes.stage(done, deliveries=(sent,))
        return True

    async def _failed(self, step: StepWrite, sending: DeliveryWrite, exc: Exception) -> bool:
        """Record a failed attempt: the run waits for the next one, or fails when there is none."""
        error = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        attempt = sending.attempt or 1
        now = self.writes.clock()
        failed = permanent or attempt >= self.retry.max_attempts
        run_update: dict[str, Any]
        if failed:
            final = f"{sending.channel} delivery failed after {attempt} attempt(s) via {sending.provider}: {error}"
            logger.warning("run %s: %s", self.run.id, final)
            step = replace(
                step, status=StepStatus.FAILED.value, error=error, finished_at=now, attempts=attempt
            )
            run_update = {"status": RunStatus.FAILED.value, "error": final}
        else:
            retry_at = now + self.retry.delay_ms(attempt)
            step = replace(step, error=error, attempts=attempt, wait_until=retry_at)
            run_update = {"status": RunStatus.WAITING.value, "next_at": retry_at}
        delivery = replace(
            sending,
            status="failed" if failed else "retrying",
            error=error,
            attempt_status="failed",
            attempt_error=error,
            attempt_finished_at=now,
        )
        await self.writes.commit(step, deliveries=[delivery], **run_update)
        return False
