"""Accepting a trigger: validate it, turn ``to`` into subscribers, and group-commit it to the store."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from novu_framework.runtime.errors import (
    DuplicateTransactionError,
    InvalidRecipientError,
    PayloadNotJsonError,
)
from novu_framework.runtime.ids import new_ids
from novu_framework.runtime.store.base import NewRun, NewTrigger, TriggerStore
from novu_framework.runtime.store.encoding import to_json

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


@dataclass(frozen=True, slots=True)
class TopicRecipient:
    """``{"type": "Topic", "topicKey": ..., "exclude": [...]}`` in a trigger's ``to``."""

    key: str
    exclude: frozenset[str] = frozenset()


_TOPIC_FIELDS = {"type", "topicKey", "topic_key", "exclude"}


def _topic(value: Mapping[str, Any]) -> TopicRecipient:
    for key in value:
        if key not in _TOPIC_FIELDS:
            raise InvalidRecipientError(f"unknown topic field `{key}`")
    key = value.get("topicKey", value.get("topic_key"))
    if not isinstance(key, str) or not key.strip():
        raise InvalidRecipientError("a topic needs a non-empty string `topicKey`")
    exclude = value.get("exclude") or []
    if isinstance(exclude, str) or not isinstance(exclude, (list, tuple, set, frozenset)):
        raise InvalidRecipientError(f"`exclude` of topic `{key}` must be a list of subscriber ids")
    if not all(isinstance(item, str) for item in exclude):
        raise InvalidRecipientError(f"`exclude` of topic `{key}` must hold subscriber ids (strings)")
    return TopicRecipient(key, frozenset(exclude))


def _has_lone_surrogate(text: str) -> bool:
    # Text columns hold UTF-8, which a lone surrogate (from a "\\ud800" escape) cannot be written in:
    # stored, it would fail the whole batch it was committed with.
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_storable_id(sid: str) -> None:
    if _has_lone_surrogate(sid):
        raise InvalidRecipientError(f"subscriber id {sid!r} holds a lone surrogate, which cannot be stored")


def storable_transaction_id(transaction_id: str) -> None:
    """Raise ``ValueError`` for an id (transaction id, topic key) with a lone surrogate, which no text
    column can hold."""
    if _has_lone_surrogate(transaction_id):
        raise ValueError(f"{transaction_id!r} holds a lone surrogate, which cannot be stored")


def _recipient(value: Any) -> dict[str, Any] | TopicRecipient:
    if type(value) is not dict and isinstance(value, BaseModel):  # type() first: the common case is cheap
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, str):
        if not value.strip():
            raise InvalidRecipientError("a subscriber id must not be empty")
        _check_storable_id(value)
        return {"subscriberId": value}
    if type(value) is dict or isinstance(value, Mapping):
        if value.get("type") == "Topic":
            return _topic(value)
        out: dict[str, Any] = {}
        for key, item in value.items():
            wire = _SUBSCRIBER_FIELDS.get(str(key))
            if wire is None:
                if key in ("topicKey", "topic_key"):
                    raise InvalidRecipientError('a topic needs `"type": "Topic"` beside its `topicKey`')
                raise InvalidRecipientError(f"unknown subscriber field `{key}`")
            if item is not None:
                out[wire] = item
        sid = out.get("subscriberId")
        if not isinstance(sid, str) or not sid.strip():
            raise InvalidRecipientError("a subscriber needs a non-empty string `subscriberId`")
        _check_storable_id(sid)
        return out
    raise InvalidRecipientError(f"expected a string or a dict, got {type(value).__name__}")


def recipients_of(to: Any) -> tuple[list[dict[str, Any]], list[TopicRecipient]]:
    """The distinct subscribers (wire form) and the topics a trigger's ``to`` names, in order."""
    if not isinstance(to, (list, tuple)):
        one = _recipient(to)
        return ([], [one]) if isinstance(one, TopicRecipient) else ([one], [])
    items: Sequence[Any] = to
    if not items:
        raise InvalidRecipientError("no subscriber given")
    seen: dict[str, dict[str, Any]] = {}
    topics: list[TopicRecipient] = []
    for item in items:
        rec = _recipient(item)
        if isinstance(rec, TopicRecipient):
            topics.append(rec)
        else:
            seen.setdefault(rec["subscriberId"], rec)
    return list(seen.values()), topics


def subscribers_of(to: Any) -> list[dict[str, Any]]:
    """The distinct subscribers (wire form) ``to`` names, which may not name topics."""
    subscribers, topics = recipients_of(to)
    if topics:
        raise InvalidRecipientError(f"topic `{topics[0].key}` given where only subscribers are accepted")
    return subscribers


def actor_id(actor: Any) -> str | None:
    """The subscriber id of a trigger's ``actor`` (an id, a subscriber dict or model), if it has one."""
    if isinstance(actor, BaseModel):
        actor = actor.model_dump(mode="json", by_alias=True)
    if isinstance(actor, str):
        return actor
    if isinstance(actor, Mapping):
        sid = actor.get("subscriberId", actor.get("subscriber_id"))
        return sid if isinstance(sid, str) else None
    return None


def with_topic_members(
    subscribers: list[dict[str, Any]],
    topics: Sequence[TopicRecipient],
    members: Mapping[str, Sequence[dict[str, Any]]],
    actor: str | None,
) -> list[dict[str, Any]]:
    """The subscribers named directly, then each topic's members not named before: as the Novu
    platform fans out a trigger, the actor and a topic's ``exclude`` list are left out of a topic."""
    out = list(subscribers)
    seen = {s["subscriberId"] for s in subscribers}
    for topic in topics:
        for member in members.get(topic.key, ()):
            sid = member["subscriberId"]
            if sid in seen or sid in topic.exclude or sid == actor:
                continue
            seen.add(sid)
            out.append(member)
    return out


def payload_json(workflow_id: str, payload: Any, field: str = "payload") -> str:
    """``payload`` (or the trigger's ``field``) as stored; a value JSON cannot represent is refused
    with the field and the reason."""
    try:
        return to_json(payload)
    except (TypeError, ValueError, RecursionError) as exc:
        raise PayloadNotJsonError(workflow_id, str(exc), field) from None


def _plain(value: Any) -> bool:
    # Nothing, a string or an empty dict: JSON whatever they hold (to_json escapes non-ASCII text).
    return value is None or type(value) is str or (type(value) is dict and not value)


def check_storable(
    workflow_id: str, subscribers: Sequence[dict[str, Any]], actor: Any, overrides: Any, context: Any
) -> None:
    """Raise :class:`PayloadNotJsonError` naming the field if any part of a trigger cannot be stored,
    so that it fails alone, before it joins a batch of other triggers."""
    for field, value in (("actor", actor), ("overrides", overrides), ("context", context)):
        if not _plain(value):
            payload_json(workflow_id, value, field)
    for sub in subscribers:
        if not all(type(v) is str for v in sub.values()):
            payload_json(workflow_id, sub, f"subscriber {sub['subscriberId']}")


def check_storable_members(subscribers: Sequence[dict[str, Any]]) -> None:
    """Raise :class:`InvalidRecipientError` naming a subscriber (for a topic) whose data is not JSON."""
    for sub in subscribers:
        if not all(type(v) is str for v in sub.values()):
            try:
                to_json(sub)
            except (TypeError, ValueError, RecursionError) as exc:
                raise InvalidRecipientError(
                    f"subscriber `{sub['subscriberId']}` holds data that is not JSON: {exc}"
                ) from None


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
    check_storable(workflow_id, subscribers, actor, overrides, context)
    ids = new_ids(len(subscribers) + 1)
    recipients = [s["subscriberId"] for s in subscribers]
    return NewTrigger(
        transaction_id or ids[-1],
        workflow_id,
        payload,
        recipients,
        actor,
        dict(overrides) if overrides else {},
        context,
        now,
        [NewRun(i, r, s) for i, r, s in zip(ids, recipients, subscribers, strict=False)],
        payload_text,
        transaction_id is None,
    )


class GroupCommitter:
    """Inserts triggers in as few transactions as possible: while one insert is in flight, the triggers
    that arrive meanwhile queue up and go in together in the next one.

    A large queue goes in as several transactions of at most ``chunk`` triggers, handed to the store at
    once: the first callers hear back after the first commit, while the next chunk is being written.
    """

    def __init__(self, store: TriggerStore, chunk: int = 256) -> None:
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
    def __init__(self, store: TriggerStore, chunk: int) -> None:
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
            if len(batch) > 1 and isinstance(exc, Exception):
                # A trigger the store refused must not fail the others: each goes in again alone
                # (the store still commits them together), so only the failing one hears of it.
                await asyncio.gather(*(self._insert([item]) for item in batch))
                return
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
