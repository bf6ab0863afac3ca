"""The :class:`Runtime`: accepts triggers, owns the store and the worker, answers history and inbox "
"queries."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Coroutine, Iterable, Mapping
from typing import Any

import anyio.to_thread

from novu_framework.constants import ChannelStepType
from novu_framework.errors import StepNotFoundError, WorkflowAlreadyExistsError, WorkflowNotFoundError
from novu_framework.runtime.accept import (
    TopicRecipient,
    actor_id,
    check_storable_members,
    new_trigger,
    payload_json,
    recipients_of,
    storable_transaction_id,
    subscribers_of,
    with_topic_members,
)
from novu_framework.runtime.delivery import ConsoleProvider, Provider, SmtpEmailProvider, SmtpSettings
from novu_framework.runtime.errors import DuplicateTransactionError, PayloadTooLargeError
from novu_framework.runtime.records import InboxMessage, RunRecord
from novu_framework.runtime.runner import RunnerConfig
from novu_framework.runtime.scheduler import RetryPolicy
from novu_framework.runtime.store import RunQuery, SqliteStore, Store, open_store
from novu_framework.runtime.store.controls import delete_controls, save_controls, saved_controls
from novu_framework.runtime.timeutil import Clock, system_clock
from novu_framework.runtime.worker import Worker, new_owner_id
from novu_framework.trigger_result import TriggerResult
from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework.runtime")

_Staged = tuple[Awaitable[bool], str]
"""A trigger queued for the store: the store's answer (False for a taken transaction id) and the id."""

DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024
CONTROLS_REFRESH_SECONDS = 1.0


class Runtime:
    """Runs workflows locally: durable, step by step, through the core's execute path.

    ``store``: a :class:`Store`, a SQLite path or a ``postgresql://`` URL (default
    ``./.novu/runtime.sqlite3``). ``email``: SMTP settings (default: ``NOVU_SMTP_*`` from the environment,
    else the console). ``providers``: channel (``"email"``, ``"sms"``, ``"push"``, ``"chat"``) to provider.
    """

    def __init__(
        self,
        workflows: Iterable[Workflow] = (),
        *,
        store: Store | str | os.PathLike[str] | None = None,
        email: SmtpSettings | None = None,
        providers: Mapping[str, Provider] | None = None,
        clock: Clock = system_clock,
        retry: RetryPolicy | None = None,
        lease_seconds: float = 30.0,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
        concurrency: int = 32,
        poll_interval: float = 0.05,
        worker_id: str | None = None,
    ) -> None:
        if store is None:
            store = SqliteStore(os.path.join(".novu", "runtime.sqlite3"))
        elif isinstance(store, (str, os.PathLike)):
            store = open_store(os.fspath(store))
        self.store: Store = store
        self.workflows: dict[str, Workflow] = {}
        self.register(*workflows)
        self.clock = clock
        self.max_payload_bytes = max_payload_bytes
        self._providers: dict[str, Provider] = dict(providers or {})
        if ChannelStepType.EMAIL.value not in self._providers:
            settings = email or SmtpSettings.from_env()
            if settings is not None:
                self._providers[ChannelStepType.EMAIL.value] = SmtpEmailProvider(settings)
        self._console = ConsoleProvider()
        self.config = RunnerConfig(
            store=self.store,
            workflows=self.workflows,
            providers=self.provider,
            clock=clock,
            owner=worker_id or new_owner_id(),
            lease_ms=int(lease_seconds * 1000),
            retry=retry or RetryPolicy(),
            controls=self._controls_for_run,
        )
        self.worker = Worker(self.config, concurrency=concurrency, poll_interval=poll_interval)
        self._migrated = False
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._controls: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}

    def __repr__(self) -> str:
        return f"Runtime(workflows={sorted(self.workflows)}, store={self.store!r})"

    # --- setup -----------------------------------------------------------------------------------

    def register(self, *workflows: Workflow) -> None:
        """Make workflows known to this runtime (their runs can then be triggered and executed)."""
        for wf in workflows:
            known = self.workflows.get(wf.id)
            if known is not None and known is not wf:
                raise WorkflowAlreadyExistsError(
                    wf.id, "Two different workflows were registered with the runtime."
                )
            self.workflows[wf.id] = wf

    def provider(self, channel: str) -> Provider:
        """The provider that delivers ``channel`` (the console provider unless one was configured)."""
        return self._providers.get(channel, self._console)

    async def ready(self) -> None:
        """Create or migrate the store's schema (done once, on first use)."""
        if not self._migrated:
            await self.store.migrate()
            self._migrated = True

    # --- triggering ------------------------------------------------------------------------------

    async def trigger(
        self,
        workflow: Workflow | str,
        to: Any,
        payload: Any = None,
        *,
        transaction_id: str | None = None,
        actor: Any = None,
        overrides: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> TriggerResult:
        """Validate and persist a trigger; its runs are executed by the worker. Nothing is stored on error."""
        wf = self._workflow(workflow)
        staged = self._stage(
            wf, to, wf.validate_trigger_payload(payload), transaction_id, actor, overrides, context
        )
        # Encoded for the store by now: what a burst of waiting callers keeps alive is kept small.
        del to, payload, actor, overrides, context
        if not isinstance(staged, tuple):
            staged = await staged
        return self._acknowledged(await staged[0], staged[1])

    async def trigger_validated(
        self,
        workflow: Workflow | str,
        to: Any,
        payload: Any,
        *,
        transaction_id: str | None = None,
        actor: Any = None,
        overrides: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> TriggerResult:
        """Persist a trigger whose ``payload`` already went through ``validate_trigger_payload``.

        ``Workflow.trigger()`` validates before it decides where the trigger goes, and calls this.
        """
        staged = self._stage(self._workflow(workflow), to, payload, transaction_id, actor, overrides, context)
        del to, payload, actor, overrides, context
        if not isinstance(staged, tuple):
            staged = await staged
        return self._acknowledged(await staged[0], staged[1])

    # The two entries above share everything but validation through these plain functions (rather
    # than one awaiting the other): a burst of triggers pays for one coroutine each, not two.

    def _stage(
        self,
        wf: Workflow,
        to: Any,
        payload: Any,
        transaction_id: str | None,
        actor: Any,
        overrides: Mapping[str, Any] | None,
        context: Mapping[str, Any] | None,
    ) -> _Staged | Coroutine[Any, Any, _Staged]:
        """Check a trigger and queue it for the store: the store's future and the transaction id, or,
        when topics must be looked up or the store migrated first, a coroutine that does that."""
        data = {} if payload is None else payload
        text = payload_json(wf.id, data)
        size = len(text)  # ASCII: characters are bytes
        if size > self.max_payload_bytes:
            raise PayloadTooLargeError(wf.id, size, self.max_payload_bytes)
        subscribers, topics = recipients_of(to)
        if transaction_id is not None:
            if not isinstance(transaction_id, str) or not transaction_id:
                raise ValueError("transaction_id must be a non-empty string")
            storable_transaction_id(transaction_id)
        if topics or not self._migrated:
            return self._stage_later(
                wf, data, text, subscribers, topics, transaction_id, actor, overrides, context
            )
        return self._insert(wf, data, text, subscribers, transaction_id, actor, overrides, context)

    async def _stage_later(
        self,
        wf: Workflow,
        data: Any,
        text: str,
        subscribers: list[dict[str, Any]],
        topics: list[TopicRecipient],
        transaction_id: str | None,
        actor: Any,
        overrides: Mapping[str, Any] | None,
        context: Mapping[str, Any] | None,
    ) -> _Staged:
        if not self._migrated:
            await self.ready()
        if topics:
            subscribers = await self._with_topics(wf.id, subscribers, topics, actor_id(actor))
        return self._insert(wf, data, text, subscribers, transaction_id, actor, overrides, context)

    def _insert(
        self,
        wf: Workflow,
        data: Any,
        text: str,
        subscribers: list[dict[str, Any]],
        transaction_id: str | None,
        actor: Any,
        overrides: Mapping[str, Any] | None,
        context: Mapping[str, Any] | None,
    ) -> _Staged:
        trig = new_trigger(
            wf.id,
            subscribers,
            data,
            payload_text=text,
            transaction_id=transaction_id,
            actor=actor,
            overrides=overrides,
            context=context,
            now=self.clock(),
        )
        return self.store.insert_trigger(trig), trig.transaction_id

    def _acknowledged(self, inserted: bool, transaction: str) -> TriggerResult:
        if not inserted:
            raise DuplicateTransactionError(transaction)
        self.worker.wake()
        body = {"acknowledged": True, "status": "processed", "transactionId": transaction}
        return TriggerResult(data={"data": body}, transaction_id=transaction, canceller=self._cancel_answer)

    async def _with_topics(
        self,
        workflow_id: str,
        subscribers: list[dict[str, Any]],
        topics: list[TopicRecipient],
        actor: str | None,
    ) -> list[dict[str, Any]]:
        members = await self.store.topic_members([t.key for t in topics])
        for key in dict.fromkeys(t.key for t in topics if t.key not in members):
            # As on the Novu platform: an unknown topic is skipped with a warning, not an error.
            logger.warning("trigger of %s: topic %r has no subscribers; skipped", workflow_id, key)
        return with_topic_members(subscribers, topics, members, actor)

    def _workflow(self, workflow: Workflow | str) -> Workflow:
        if isinstance(workflow, Workflow):
            if self.workflows.get(workflow.id) is not workflow:
                self.register(workflow)  # raises if another workflow has this id
            return workflow
        found = self.workflows.get(workflow) if isinstance(workflow, str) else None
        if found is None:
            raise WorkflowNotFoundError(str(workflow))
        return found

    async def cancel(self, transaction_id: str) -> int:
        """Cancel the unfinished runs of a trigger; returns how many were cancelled."""
        await self.ready()
        return await self.store.cancel(transaction_id, self.clock())

    async def _cancel_answer(self, transaction_id: str) -> dict[str, Any]:
        """:meth:`cancel` answered as the Novu API does: ``{"data": True}`` if any run was cancelled."""
        return {"data": await self.cancel(transaction_id) > 0}

    # --- topics ----------------------------------------------------------------------------------

    async def add_to_topic(self, topic_key: str, subscribers: Any) -> int:
        """Subscribe ``subscribers`` (the shapes ``to`` takes: ids, subscriber dicts or models, a list)
        to a topic, which exists while it has subscribers. The data given (email, phone, ...) is what
        runs for the topic are delivered with; a subscriber already in the topic gets it updated.
        Returns how many subscribers were new to the topic."""
        key = _topic_key(topic_key)
        members = subscribers_of(subscribers)
        check_storable_members(members)
        await self.ready()
        return await self.store.topic_add(key, members, self.clock())

    async def remove_from_topic(self, topic_key: str, subscriber_ids: str | Iterable[str]) -> int:
        """Unsubscribe subscribers (by id) from a topic; returns how many were in it."""
        key = _topic_key(topic_key)
        ids = [subscriber_ids] if isinstance(subscriber_ids, str) else list(subscriber_ids)
        if not all(isinstance(i, str) and i for i in ids):
            raise ValueError("subscriber_ids must be subscriber ids (non-empty strings)")
        await self.ready()
        return await self.store.topic_remove(key, ids)

    async def topic_subscribers(self, topic_key: str) -> list[dict[str, Any]]:
        """A topic's subscribers (wire form), in the order they were added."""
        key = _topic_key(topic_key)
        await self.ready()
        return (await self.store.topic_members([key])).get(key, [])

    # --- running ---------------------------------------------------------------------------------

    async def run_until_idle(self) -> int:
        """Advance every run that is due now, until none is (for tests and scripts); waits in the future "
        "stay."""
        await self.ready()
        return await self.worker.run_until_idle()

    async def start(self) -> None:
        """Start the worker as a background task of the running event loop."""
        if self._task is not None:
            return
        await self.ready()
        self._stop = asyncio.Event()
        self._task = asyncio.ensure_future(self.worker.serve(self._stop))

    async def stop(self) -> None:
        """Stop the background worker after the runs it is advancing reach their next commit."""
        if self._task is None or self._stop is None:
            return
        self._stop.set()
        self.worker.wake()
        try:
            await self._task
        finally:
            self._task = None
            self._stop = None

    async def serve_forever(self) -> None:
        """Run the worker in this task until cancelled."""
        await self.ready()
        await self.worker.serve(asyncio.Event())

    async def close(self) -> None:
        """Stop the worker, close provider sessions and the store."""
        await self.stop()
        for provider in self._providers.values():
            close = getattr(provider, "close", None)
            if callable(close):
                await anyio.to_thread.run_sync(close)
        await self.store.close()

    async def __aenter__(self) -> Runtime:
        await self.ready()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- saved step controls --------------------------------------------------------------------

    async def step_controls(self, workflow_id: str) -> dict[str, dict[str, Any]]:
        """The control values saved for a workflow's steps (step id to controls), used by its runs."""
        await self.ready()
        return await saved_controls(self.store, workflow_id)

    async def save_step_controls(self, workflow_id: str, step_id: str, controls: Mapping[str, Any]) -> None:
        """Save control values for one step: runs executed from now on use them instead of the defaults.

        Not validated here: the Studio checks them through the bridge's preview first.
        """
        wf = self._workflow(workflow_id)
        if step_id not in (await wf.definition()).by_id:
            raise StepNotFoundError(step_id)
        await self.ready()
        await save_controls(self.store, wf.id, step_id, controls)
        self._controls.pop(wf.id, None)

    async def reset_step_controls(self, workflow_id: str, step_id: str) -> bool:
        """Forget the control values saved for one step; True if it had some."""
        await self.ready()
        self._controls.pop(workflow_id, None)
        return await delete_controls(self.store, workflow_id, step_id)

    async def _controls_for_run(self, workflow_id: str) -> dict[str, dict[str, Any]]:
        # Read at most once a second per workflow: values saved by another process apply within that.
        now = time.monotonic()
        cached = self._controls.get(workflow_id)
        if cached is not None and now - cached[0] < CONTROLS_REFRESH_SECONDS:
            return cached[1]
        controls = await saved_controls(self.store, workflow_id)
        self._controls[workflow_id] = (now, controls)
        return controls

    # --- history and inbox -----------------------------------------------------------------------

    async def history(
        self,
        *,
        transaction_id: str | None = None,
        subscriber_id: str | None = None,
        workflow_id: str | None = None,
        status: str | None = None,
        limit: int = 100,
    ) -> list[RunRecord]:
        """Runs (newest first) with their steps, deliveries and delivery attempts."""
        await self.ready()
        query = RunQuery(transaction_id, subscriber_id, workflow_id, status, limit)
        return await self.store.runs(query)

    async def status_counts(self, workflow_id: str | None = None) -> dict[str, int]:
        """How many runs are in each status (``{"completed": 3, "waiting": 1}``)."""
        await self.ready()
        return await self.store.status_counts(workflow_id)

    async def inbox(
        self, subscriber_id: str, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxMessage]:
        """A subscriber's in-app messages, newest first."""
        await self.ready()
        return await self.store.inbox(subscriber_id, unread_only, limit)

    async def mark_seen(self, message_id: str, seen: bool = True) -> InboxMessage | None:
        await self.ready()
        return await self.store.mark_inbox(message_id, self.clock(), seen, None)

    async def mark_read(self, message_id: str, read: bool = True) -> InboxMessage | None:
        """Mark a message read (which also marks it seen) or unread."""
        await self.ready()
        return await self.store.mark_inbox(message_id, self.clock(), None, read)


def _topic_key(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a topic key must be a non-empty string, got {value!r}")
    storable_transaction_id(value)  # the same rule: no lone surrogate in a text column
    return value
