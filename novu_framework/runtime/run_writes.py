"""The writes of one claimed run, and when they reach the store.

A worker advancing a run changes it through :class:`RunWrites` only: :meth:`~RunWrites.commit` writes at
once; :meth:`~RunWrites.stage` keeps writes with no effect outside the store until the run's next store
call (which comes before any message leaves the process and before the run is released), and
:meth:`~RunWrites.take_pending` hands them to a store call that applies them first in its transaction.
Every write presents the claim's lease, so a worker that lost the run cannot change it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from novu_framework.execution import ExecuteResult
from novu_framework.runtime.records import StepRecord, StepStatus
from novu_framework.runtime.store.base import Commit, DeliveryWrite, InboxWrite, StepWrite, WorkerStore
from novu_framework.runtime.timeutil import Clock

DONE = frozenset({StepStatus.COMPLETED.value, StepStatus.SKIPPED.value})
"""The statuses of a step the run has got past."""

# A StepRecord is what the store keeps of a StepWrite, plus the worker that wrote it.
_STEP_WRITE_FIELDS = tuple(f.name for f in fields(StepWrite))


def rewrite(step: StepRecord, status: str, **changes: Any) -> StepWrite:
    """A new row for a recorded step: the same step and outputs, with ``status`` and ``changes``."""
    return StepWrite(
        step_id=step.step_id,
        step_type=step.step_type,
        position=step.position,
        status=status,
        outputs=step.outputs,
        providers=step.providers,
        started_at=step.started_at,
        duration_ms=step.duration_ms,
        **changes,
    )


class RunWrites:
    """The steps of one claimed run as this worker knows them, and its writes not committed yet."""

    def __init__(
        self,
        store: WorkerStore,
        clock: Clock,
        lease_ms: int,
        worker: str,
        run_id: str,
        lease: str,
        steps: list[StepRecord],
        failures: int,
    ) -> None:
        self.store = store
        self.clock = clock
        self.lease_ms = lease_ms
        self.worker = worker
        self.run_id = run_id
        self.lease = lease  # the fencing token of this claim: every commit must present it
        self.steps: dict[str, StepRecord] = {step.step_id: step for step in steps}
        self.failures = failures  # consecutive failed executions
        self._pending_steps: list[StepWrite] = []
        self._pending_deliveries: list[DeliveryWrite] = []
        self._pending_inbox: list[InboxWrite] = []
        self._reset_failures = False
        self._held_since = clock()  # when the lease was last extended

    def step_write(self, executed: ExecuteResult, status: str, **changes: Any) -> StepWrite:
        """The row of the step ``executed`` just ran, with ``status`` (at its known position, else last)."""
        assert executed.step_id is not None and executed.step_type is not None
        known = self.steps.get(executed.step_id)
        return StepWrite(
            step_id=executed.step_id,
            step_type=executed.step_type,
            position=known.position if known is not None else len(self.steps),
            status=status,
            outputs=executed.outputs,
            providers=executed.providers,
            started_at=changes.pop("started_at", self.clock()),
            duration_ms=executed.duration_ms,
            **changes,
        )

    async def commit(self, *steps: StepWrite, **run_fields: Any) -> None:
        """Commit these step writes, the pending ones and ``run_fields`` (see :class:`Commit`) now."""
        self._record(steps)
        await self.store.commit(self._build(steps=steps, **run_fields))

    async def stage(
        self,
        *steps: StepWrite,
        deliveries: tuple[DeliveryWrite, ...] = (),
        inbox: tuple[InboxWrite, ...] = (),
    ) -> None:
        """Keep writes with no effect outside the store for the run's next store call (sooner when half
        the lease has gone by, so that the lease is extended in time)."""
        self._record(steps)
        self._pending_steps.extend(steps)
        self._pending_deliveries.extend(deliveries)
        self._pending_inbox.extend(inbox)
        if self.clock() - self._held_since > self.lease_ms // 2:
            await self.store.commit(self._build())

    def take_pending(self) -> Commit | None:
        """The pending writes as a commit that keeps the run, for a store call that applies them first;
        they are no longer pending."""
        if not (
            self._pending_steps or self._pending_deliveries or self._pending_inbox or self._reset_failures
        ):
            return None
        return self._build()

    def _build(self, **run_fields: Any) -> Commit:
        """A commit of ``run_fields`` with the pending writes before its own."""
        now = self.clock()
        if self._reset_failures and "failures" not in run_fields:
            run_fields["failures"] = 0
        run_fields["steps"] = [*self._pending_steps, *run_fields.get("steps", ())]
        run_fields["deliveries"] = [*self._pending_deliveries, *run_fields.get("deliveries", ())]
        run_fields["inbox"] = [*self._pending_inbox, *run_fields.get("inbox", ())]
        self._pending_steps, self._pending_deliveries, self._pending_inbox = [], [], []
        self._reset_failures = False
        self._held_since = now
        if "failures" in run_fields:
            self.failures = run_fields["failures"]
        return Commit(run_id=self.run_id, owner=self.lease, now=now, lease_ms=self.lease_ms, **run_fields)

    def _record(self, steps: tuple[StepWrite, ...]) -> None:
        """Update the steps as known here; a step that got through starts a new count of failures."""
        if self.failures and any(write.status in DONE for write in steps):
            self.failures = 0
            self._reset_failures = True
        for write in steps:
            values = {name: getattr(write, name) for name in _STEP_WRITE_FIELDS}
            self.steps[write.step_id] = StepRecord(**values, worker=self.worker)
