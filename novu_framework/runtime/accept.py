"""Accepting a trigger: validate it, turn ``to`` into subscribers, and group-commit it to the store."""

from __future__ import annotations

import asyncio
import uuid
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from novu_framework.runtime.errors import (
    DuplicateTransactionError,
    InvalidRecipientError,
    PayloadNotJsonError,
)
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
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, str):
        if not value.strip():
            raise InvalidRecipientError("a subscriber id must not be empty")
        return {"subscriberId": value}
    if isinstance(value, Mapping):
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
    items: Sequence[Any] = to if isinstance(to, (list, tuple)) else [to]
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
    txn = transaction_id or str(uuid.uuid4())
    return NewTrigger(
        transaction_id=txn,
        workflow_id=workflow_id,
        payload=payload,
        payload_json=payload_text,
        recipients=[s["subscriberId"] for s in subscribers],
        actor=actor.model_dump(mode="json", by_alias=True) if isinstance(actor, BaseModel) else actor,
        overrides=dict(overrides or {}),
        context=dict(context) if isinstance(context, Mapping) else context,
        created_at=now,
        runs=[NewRun(str(uuid.uuid4()), s["subscriberId"], s) for s in subscribers],
    )


class GroupCommitter:
    """Inserts triggers in as few transactions as possible: while one insert is in flight, the triggers
    that arrive meanwhile queue up and go in together in the next one."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = (
            weakref.WeakKeyDictionary()
        )

    async def insert(self, trigger: NewTrigger) -> None:
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _Queue(self.store)
        await queue.insert(trigger)


class _Queue:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[tuple[NewTrigger, asyncio.Future[None]]] = []
        self.flushing = False
        self.task: asyncio.Task[None] | None = None

    async def insert(self, trigger: NewTrigger) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.pending.append((trigger, future))
        if not self.flushing:
            self.flushing = True
            self.task = asyncio.ensure_future(self._flush())
        await future

    async def _flush(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                try:
                    accepted = await self.store.insert_triggers([t for t, _ in batch])
                except BaseException as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (trigger, future), ok in zip(batch, accepted, strict=False):
                    if future.done():
                        continue
                    if ok:
                        future.set_result(None)
                    else:
                        future.set_exception(DuplicateTransactionError(trigger.transaction_id))
        finally:
            self.flushing = False
