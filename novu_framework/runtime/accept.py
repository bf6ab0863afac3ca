"""Accepting a trigger: validate it, turn ``to`` into subscribers, and group-commit it to the store."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from novu_framework.runtime.errors import (
    DuplicateTransactionError,
    InvalidRecipientError,
    PayloadNotJsonError,
)
from novu_framework.runtime.ids import new_ids
from novu_framework.runtime.store.base import NewRun, NewTrigger, Store
from novu_framework.runtime.store.sql import to_json

_SUBSCRIBER_FIELDS = {
    "subscriberId": "subscriberId",
    "subscriber_id": "subscriberId",
    "firstName": "firstName",
    "first_name": "firstName",
    "lastName": "lastName",
    "last_name": "lastName",
    "email": "email",
    "phone": "phone",
    "avatar": "avatar",
    "locale": "locale",
    "data": "data",
    "channels": "channels",
}


def _subscriber(value: Any) -> dict[str, Any]:
    if type(value) is not dict and isinstance(value, BaseModel):  # type() first: the common case is cheap
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, str):
        if not value.strip():
            raise InvalidRecipientError("a subscriber id must not be empty")
        return {"subscriberId": value}
    if type(value) is dict or isinstance(value, Mapping):
        if value.get("type") == "Topic" or "topicKey" in value:
            raise InvalidRecipientError("topics are not supported by the embedded runtime")
        out: dict[str, Any] = {}
        for key, item in value.items():
            wire = _SUBSCRIBER_FIELDS.get(str(key))
            if wire is None:
                raise InvalidRecipientError(f"unknown subscriber field `{key}`")
            if item is not None:
                out[wire] = item
        sid = out.get("subscriberId")
        if not isinstance(sid, str) or not sid.strip():
            raise InvalidRecipientError("a subscriber needs a non-empty string `subscriberId`")
        return out
    raise InvalidRecipientError(f"expected a string or a dict, got {type(value).__name__}")


def subscribers_of(to: Any) -> list[dict[str, Any]]:
    """The distinct subscribers (wire form) a trigger's ``to`` names, in order."""
    if not isinstance(to, (list, tuple)):
        return [_subscriber(to)]
    items: Sequence[Any] = to
    if not items:
        raise InvalidRecipientError("no subscriber given")
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        sub = _subscriber(item)
        seen.setdefault(sub["subscriberId"], sub)
    return list(seen.values())


def payload_json(workflow_id: str, payload: Any) -> str:
    """The payload as stored; a payload JSON cannot represent is refused with the reason."""
    try:
        return to_json(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        raise PayloadNotJsonError(workflow_id, str(exc)) from None


def new_trigger(
    workflow_id: str,
    subscribers: list[dict[str, Any]],
    payload: Any,
    *,
    payload_text: str,
    transaction_id: str | None,
    actor: Any,
    overrides: Mapping[str, Any] | None,
    context: Any,
    now: int,
) -> NewTrigger:
    if actor is not None and isinstance(actor, BaseModel):
        actor = actor.model_dump(mode="json", by_alias=True)
    if context is not None and isinstance(context, Mapping):
        context = dict(context)
    ids = new_ids(len(subscribers) + 1)
    if len(subscribers) == 1:  # the common case, without the loops
        sid = subscribers[0]["subscriberId"]
        recipients: list[str] = [sid]
        runs = [NewRun(ids[0], sid, subscribers[0])]
    else:
        recipients = [s["subscriberId"] for s in subscribers]
        runs = [NewRun(i, r, s) for i, r, s in zip(ids, recipients, subscribers, strict=False)]
    return NewTrigger(
        transaction_id or ids[-1],
        workflow_id,
        payload,
        recipients,
        actor,
        dict(overrides) if overrides else {},
        context,
        now,
        runs,
        payload_text,
        transaction_id is None,
    )


class GroupCommitter:
    """Inserts triggers in as few transactions as possible: while one insert is in flight, the triggers
    that arrive meanwhile queue up and go in together in the next one.

    A large queue goes in as several transactions of at most ``chunk`` triggers, handed to the store at
    once: the first callers hear back after the first commit, while the next chunk is being written.
    """

    def __init__(self, store: Store, chunk: int = 256) -> None:
        self.store = store
        self.chunk = chunk
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = (
            weakref.WeakKeyDictionary()
        )
        # The loop used last and its queue (usually the only one), found without a weak-dict lookup.
        self._last: tuple[Callable[[], asyncio.AbstractEventLoop | None], _Queue] = (
            lambda: None,
            _Queue(store, chunk),
        )

    def enqueue(self, trigger: NewTrigger) -> asyncio.Future[None]:
        """Queue ``trigger`` for the next insert; the future is done once it is committed."""
        loop = asyncio.get_running_loop()
        last_loop, queue = self._last
        if last_loop() is not loop:
            known = self._queues.get(loop)
            queue = known if known is not None else _Queue(self.store, self.chunk)
            self._queues[loop] = queue
            self._last = (weakref.ref(loop), queue)
        return queue.enqueue(loop, trigger)

    async def insert(self, trigger: NewTrigger) -> None:
        await self.enqueue(trigger)


_Waiting = list[tuple[NewTrigger, "asyncio.Future[None]"]]


class _Queue:
    def __init__(self, store: Store, chunk: int) -> None:
        self.store = store
        self.chunk = chunk
        self.pending: _Waiting = []
        self.flushing = False
        self.task: asyncio.Task[None] | None = None

    def enqueue(self, loop: asyncio.AbstractEventLoop, trigger: NewTrigger) -> asyncio.Future[None]:
        future: asyncio.Future[None] = loop.create_future()
        self.pending.append((trigger, future))
        if not self.flushing:
            self.flushing = True
            self.task = loop.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                size = self.chunk
                await asyncio.gather(*(self._insert(batch[i : i + size]) for i in range(0, len(batch), size)))
        finally:
            self.flushing = False

    async def _insert(self, batch: _Waiting) -> None:
        try:
            accepted = await self.store.insert_triggers([t for t, _ in batch])
        except BaseException as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (trigger, future), ok in zip(batch, accepted, strict=False):
            if future.done():
                continue
            if ok:
                future.set_result(None)
            else:
                future.set_exception(DuplicateTransactionError(trigger.transaction_id))
