"""Accepting a trigger: validate it and turn ``to`` into subscribers and the runs to store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from novu_framework.runtime.errors import (
    InvalidRecipientError,
    PayloadNotJsonError,
)
from novu_framework.runtime.ids import new_ids
from novu_framework.runtime.store.base import NewRun, NewTrigger
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


def check_storable(workflow_id: str, actor: Any, overrides: Any, context: Any) -> None:
    """Raise :class:`PayloadNotJsonError` naming the field if a trigger's actor, overrides or context
    cannot be stored, so that it fails alone, before it joins a batch of other triggers."""
    if not _plain(actor):
        payload_json(workflow_id, actor, "actor")
    if not _plain(overrides):
        payload_json(workflow_id, overrides, "overrides")
    if not _plain(context):
        payload_json(workflow_id, context, "context")


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
    check_storable(workflow_id, actor, overrides, context)
    ids = new_ids(len(subscribers) + 1)
    recipients: list[str] = []
    runs: list[NewRun] = []
    for run_id, sub in zip(ids, subscribers, strict=False):  # the last id is the transaction's
        sid = sub["subscriberId"]
        recipients.append(sid)
        try:
            stored = to_json(sub)
        except (TypeError, ValueError, RecursionError) as exc:
            raise PayloadNotJsonError(workflow_id, str(exc), f"subscriber {sid}") from None
        runs.append(NewRun(run_id, sid, stored))
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
