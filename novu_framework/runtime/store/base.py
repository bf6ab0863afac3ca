"""The store interface, by caller: :class:`TriggerStore` (accepting triggers), :class:`WorkerStore`
(advancing runs) and :class:`Store` (both, plus what the local Runtime offers); and the records they
exchange."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from novu_framework.runtime.records import InboxMessage, RunRecord, StepRecord


@dataclass(slots=True)
class NewRun:
    id: str
    subscriber_id: str
    subscriber_json: str  # the subscriber (wire form) as stored


@dataclass(slots=True)
class NewTrigger:
    """An accepted trigger and the runs (one per subscriber) it starts."""

    transaction_id: str
    workflow_id: str
    payload: Any
    recipients: Any
    actor: Any
    overrides: dict[str, Any]
    context: Any
    created_at: int
    runs: Sequence[NewRun]
    payload_json: str | None = None  # ``payload`` already encoded, when the caller has it
    generated_id: bool = False  # ``transaction_id`` is a new UUID: it cannot be taken already


@dataclass(frozen=True)
class StepWrite:
    """Insert or replace the row of one step of the run being committed."""

    step_id: str
    step_type: str
    position: int
    status: str
    outputs: dict[str, Any]
    providers: dict[str, Any]
    started_at: int
    result: dict[str, Any] | None = None
    error: str | None = None
    attempts: int = 1
    finished_at: int | None = None
    duration_ms: float = 0.0
    wait_until: int | None = None


@dataclass(frozen=True)
class DeliveryWrite:
    """Insert or update a delivery (``id`` is its idempotency key) and optionally one attempt of it."""

    id: str
    step_id: str
    channel: str
    provider: str
    recipient: str | None
    status: str
    error: str | None = None
    attempt: int | None = None
    attempt_status: str | None = None
    attempt_error: str | None = None
    attempt_response: dict[str, Any] | None = None
    attempt_started_at: int | None = None
    attempt_finished_at: int | None = None


@dataclass(frozen=True)
class InboxWrite:
    id: str
    step_id: str
    content: dict[str, Any]


@dataclass(frozen=True)
class Commit:
    """One atomic change to a run held under lease by ``owner``.

    With ``status`` None the worker keeps the run (lease extended by ``lease_ms``); otherwise the run
    is released with that status and ``next_at`` (None for a finished run).
    """

    run_id: str
    owner: str
    now: int
    lease_ms: int
    steps: Sequence[StepWrite] = ()
    deliveries: Sequence[DeliveryWrite] = ()
    inbox: Sequence[InboxWrite] = ()
    status: str | None = None
    next_at: int | None = None
    error: str | None = None
    merged_into: str | None = None
    failures: int | None = None


@dataclass(frozen=True)
class DigestEntry:
    """A run reaching a digest step."""

    run_id: str
    owner: str
    now: int
    lease_ms: int
    workflow_id: str
    step_id: str
    step_type: str
    position: int
    subscriber_id: str
    digest_key: str
    event_time: int
    closes_at: int
    outputs: dict[str, Any]
    look_back_from: int | None = None
    prior: Commit | None = None  # writes of the run's earlier steps, applied first in the same transaction


@dataclass(frozen=True)
class DigestOutcome:
    """``lead``: this run waits for the window; ``merged``: it joined ``leader_run_id``'s window;
    ``immediate``: no event in the look-back window, so it goes on at once alone."""

    kind: str
    leader_run_id: str | None = None


@dataclass(frozen=True)
class DigestedRun:
    """A run whose event a digest window collected: its id, when it was triggered, its payload."""

    run_id: str
    time: int
    payload: Any


@dataclass(frozen=True)
class ThrottleEntry:
    run_id: str
    owner: str
    now: int
    lease_ms: int
    workflow_id: str
    step_id: str
    subscriber_id: str
    throttle_key: str
    window_start: int
    threshold: int
    prior: Commit | None = None  # writes of the run's earlier steps, applied first in the same transaction


@dataclass(frozen=True)
class ThrottleOutcome:
    throttled: bool
    execution_count: int


@dataclass(frozen=True)
class InboxState:
    seen: bool
    read: bool
    seen_at: int | None
    read_at: int | None


@dataclass(frozen=True)
class DeliveryState:
    status: str
    attempts: int


@dataclass(frozen=True)
class RunState:
    """What a worker needs to advance a run: the run, its trigger, its steps so far."""

    run: RunRecord
    actor: Any
    overrides: dict[str, Any]
    context: Any
    steps: list[StepRecord] = field(default_factory=list)
    inbox: dict[str, InboxState] = field(default_factory=dict)
    deliveries: dict[str, DeliveryState] = field(default_factory=dict)


@dataclass(frozen=True)
class RunQuery:
    transaction_id: str | None = None
    subscriber_id: str | None = None
    workflow_id: str | None = None
    status: str | None = None
    limit: int = 100


class TriggerStore(Protocol):
    """What accepting a trigger needs: its topics' members, and inserting it."""

    def insert_trigger(self, trigger: NewTrigger) -> Awaitable[bool]:
        """Queue a trigger with its runs for insertion; the awaitable holds False if its transaction
        id exists, and is done once the transaction holding it (with the triggers queued beside it)
        has committed. What the trigger holds is encoded before this returns."""
        ...

    async def topic_members(self, topic_keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The subscribers of each topic that has any, in the order they were added."""
        ...


class WorkerStore(Protocol):
    """What a worker advancing runs needs. Every write that changes a run is fenced by its lease."""

    async def claim_runs(self, owner: str, now: int, lease_ms: int, limit: int) -> list[RunState]:
        """Lease up to ``limit`` due runs (including runs whose previous lease expired) and load them,
        in one transaction."""
        ...

    async def next_due(self) -> int | None:
        """When the next run is due, or None if none is waiting."""
        ...

    async def commit(self, commit: Commit) -> None:
        """Apply ``commit`` atomically; raises LeaseLostError when the run is no longer held."""
        ...

    async def digest_enter(self, entry: DigestEntry) -> DigestOutcome: ...

    async def digest_events(
        self, run_id: str, step_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None = None
    ) -> list[DigestedRun]:
        """Close the window ``run_id`` leads at ``step_id`` and return its events, oldest first
        (after applying ``prior``, the run's pending writes, in the same transaction)."""
        ...

    async def throttle_hit(self, entry: ThrottleEntry) -> ThrottleOutcome: ...


class Store(TriggerStore, WorkerStore, Protocol):
    """Persistence of the runtime: the worker's and the trigger path's calls, plus what the local
    :class:`~novu_framework.runtime.Runtime` (and the CLI through it) offers: history, cancel, the
    subscriber inbox and topic membership."""

    async def migrate(self) -> None: ...

    async def close(self) -> None: ...

    async def cancel(self, transaction_id: str, now: int) -> int: ...

    async def runs(self, query: RunQuery) -> list[RunRecord]: ...

    async def status_counts(self, workflow_id: str | None = None) -> dict[str, int]:
        """How many runs are in each status."""
        ...

    async def inbox(self, subscriber_id: str, unread_only: bool, limit: int) -> list[InboxMessage]: ...

    async def mark_inbox(
        self, message_id: str, now: int, seen: bool | None, read: bool | None
    ) -> InboxMessage | None: ...

    async def topic_add(self, topic_key: str, subscribers: Sequence[dict[str, Any]], now: int) -> int:
        """Subscribe ``subscribers`` (wire form) to a topic, updating the data of those already in it;
        returns how many were new."""
        ...

    async def topic_remove(self, topic_key: str, subscriber_ids: Sequence[str]) -> int:
        """Unsubscribe subscribers from a topic; returns how many were in it."""
        ...
