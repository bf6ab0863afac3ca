"""Topics: named lists of subscribers (wire form) that a trigger's ``to`` can name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump, parse
from novu_framework.runtime.store.rows import fetch_all


def add(db: Database, topic_key: str, subscribers: Sequence[dict[str, Any]], now: int) -> int:
    """Subscribe ``subscribers``, updating the data of those already in the topic; how many were new."""
    ids = [s["subscriberId"] for s in subscribers]
    known: set[str] = set()
    for cursor in db.each_in(q.TOPIC_MEMBERS_KNOWN, (topic_key,), ids):
        known.update(row["subscriber_id"] for row in fetch_all(cursor))
    db.insert_rows(
        q.UPSERT_TOPIC_MEMBERS,
        [(topic_key, sub["subscriberId"], dump(sub), now) for sub in subscribers],
        tail=q.UPSERT_TOPIC_MEMBERS_TAIL,
    )
    return len(set(ids) - known)


def remove(db: Database, topic_key: str, subscriber_ids: Sequence[str]) -> int:
    """Unsubscribe subscribers from a topic; how many were in it."""
    ids = list(dict.fromkeys(subscriber_ids))
    return sum(max(0, int(c.rowcount)) for c in db.each_in(q.DELETE_TOPIC_MEMBERS, (topic_key,), ids))


def members(db: Database, topic_keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The subscribers of each topic that has any, in the order they were added."""
    found: dict[str, list[dict[str, Any]]] = {}
    keys = list(dict.fromkeys(topic_keys))
    for cursor in db.each_in(q.TOPIC_MEMBERS, (), keys, q.TOPIC_MEMBERS_ORDER):
        for row in fetch_all(cursor):
            found.setdefault(row["topic_key"], []).append(parse(row["subscriber"]))
    return found
