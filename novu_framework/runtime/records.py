"""What the runtime records, as plain dataclasses: runs, steps, deliveries, attempts, inbox messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from novu_framework.constants import StrEnum


class RunStatus(StrEnum):
    PENDING = "pending"  # accepted, no step run yet
    RUNNING = "running"  # a worker holds it
    WAITING = "waiting"  # a delay, digest window or retry backoff is pending
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"
    MERGED = "merged"  # its event was digested into another run
    THROTTLED = "throttled"  # a throttle step stopped it


class StepStatus(StrEnum):
    WAITING = "waiting"  # delay or digest window open
    DELIVERING = "delivering"  # a delivery is under way or scheduled for a retry
    COMPLETED = "completed"
    SKIPPED = "skipped"
    FAILED = "failed"
    MERGED = "merged"  # digest step of a run merged into another run


TERMINAL_RUN_STATUSES = frozenset(
    {RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELED, RunStatus.MERGED, RunStatus.THROTTLED}
)


@dataclass(frozen=True)
class AttemptRecord:
    """One try at handing a message to a provider."""

    attempt: int
    status: str  # "sent", "failed", "interrupted"
    error: str | None
    started_at: int
    finished_at: int | None
    response: dict[str, Any] | None


@dataclass(frozen=True)
class DeliveryRecord:
    """A message for one channel step of one run; ``id`` is its idempotency key."""

    id: str
    run_id: str
    step_id: str
    channel: str
    provider: str
    recipient: str | None
    status: str  # "sending", "retrying", "sent", "failed"
    attempts: list[AttemptRecord] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class StepRecord:
    step_id: str
    step_type: str
    position: int
    status: str
    outputs: dict[str, Any]
    result: dict[str, Any] | None
    providers: dict[str, Any]
    error: str | None
    attempts: int
    started_at: int
    finished_at: int | None
    duration_ms: float
    wait_until: int | None
    worker: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """One workflow run: one subscriber of one trigger."""

    id: str
    transaction_id: str
    workflow_id: str
    subscriber_id: str
    subscriber: dict[str, Any]
    payload: Any
    status: str
    error: str | None
    created_at: int
    updated_at: int
    finished_at: int | None
    next_at: int | None
    merged_into: str | None
    failures: int = 0
    steps: list[StepRecord] = field(default_factory=list)
    deliveries: list[DeliveryRecord] = field(default_factory=list)


@dataclass(frozen=True)
class InboxMessage:
    """An in-app message in a subscriber's inbox; ``content`` holds the in_app step's outputs."""

    id: str
    subscriber_id: str
    workflow_id: str
    transaction_id: str
    run_id: str
    step_id: str
    content: dict[str, Any]
    seen: bool
    read: bool
    seen_at: int | None
    read_at: int | None
    created_at: int
    archived: bool = False
    archived_at: int | None = None
