"""Topics on the embedded runtime, on SQLite and on a real PostgreSQL: subscriptions, fan-out, exclusions."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import InvalidRecipientError, Runtime, open_store
from novu_framework.runtime.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.runtime.apps import order_shipped
from tests.runtime.test_cli import run_cli, trigger_order


@pytest.fixture(params=["sqlite", "postgres"])
async def runtime(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Any, smtp_server: Any
) -> AsyncIterator[Runtime]:
    if request.param == "sqlite":
        store = str(tmp_path / "topics.sqlite3")
    else:
        store = request.getfixturevalue("postgres").fresh_database()
    rt = Runtime([order_shipped], store=store, clock=clock, email=smtp_server.settings())
    yield rt
    await rt.close()


async def test_subscriptions_are_added_updated_listed_and_removed(runtime: Runtime) -> None:
    assert await runtime.topic_subscribers("news") == []
    added = await runtime.add_to_topic(
        "news", ["a", {"subscriber_id": "b", "email": "b@example.com"}, {"subscriberId": "a"}]
    )
    assert added == 2
    # Adding again updates the data kept for the subscriber and counts nobody as new.
    assert await runtime.add_to_topic("news", {"subscriberId": "a", "email": "a@example.com"}) == 0
    assert await runtime.add_to_topic("other", "c") == 1
    assert await runtime.topic_subscribers("news") == [
        {"subscriberId": "a", "email": "a@example.com"},
        {"subscriberId": "b", "email": "b@example.com"},
    ]
    assert await runtime.remove_from_topic("news", ["a", "nobody", "a"]) == 1
    assert await runtime.topic_subscribers("news") == [{"subscriberId": "b", "email": "b@example.com"}]
    assert await runtime.topic_subscribers("other") == [{"subscriberId": "c"}]


async def test_a_topic_trigger_runs_once_per_member_with_the_kept_data(
    runtime: Runtime, smtp_server: Any
) -> None:
    await runtime.add_to_topic(
        "buyers",
        [
            {"subscriberId": "a", "email": "a@example.com", "firstName": "Ann"},
            {"subscriberId": "b", "email": "b@example.com", "firstName": "Bob"},
        ],
    )
    result = await runtime.trigger(
        order_shipped, {"type": "Topic", "topicKey": "buyers"}, {"order_id": "T1"}, transaction_id="t-topic"
    )
    await runtime.run_until_idle()
    runs = await runtime.history(transaction_id=result.transaction_id)
    assert sorted((r.subscriber_id, r.status) for r in runs) == [("a", "completed"), ("b", "completed")]
    assert sorted(addr for _, rcpts in smtp_server.envelopes for addr in rcpts) == [
        "a@example.com",
        "b@example.com",
    ]
    bodies = [
        part.get_payload(decode=True).decode()
        for m in smtp_server.messages
        for part in m.walk()
        if part.get_content_type() == "text/html"
    ]
    assert any("Hi Ann" in b for b in bodies) and any("Hi Bob" in b for b in bodies)


async def test_direct_subscribers_come_first_and_win_over_topic_members(runtime: Runtime) -> None:
    await runtime.add_to_topic("team", [{"subscriberId": "a", "email": "old@example.com"}, "b", "c", "d"])
    await runtime.add_to_topic("extra", ["d", "e"])
    await runtime.trigger(
        order_shipped,
        [
            {"subscriberId": "a", "email": "new@example.com"},
            {"type": "Topic", "topicKey": "team", "exclude": ["c"]},
            {"type": "Topic", "topicKey": "extra"},
        ],
        {"order_id": "T2"},
        transaction_id="t-mixed",
        actor="b",  # the actor is left out of topic fan-out, as on the Novu platform
    )
    runs = await runtime.history(transaction_id="t-mixed")
    assert sorted(r.subscriber_id for r in runs) == ["a", "d", "e"]
    assert next(r for r in runs if r.subscriber_id == "a").subscriber == {
        "subscriberId": "a",
        "email": "new@example.com",
    }


async def test_an_actor_named_directly_is_still_notified(runtime: Runtime) -> None:
    await runtime.add_to_topic("team", ["a", "b"])
    await runtime.trigger(
        order_shipped,
        ["b", {"type": "Topic", "topicKey": "team"}],
        {"order_id": "T3"},
        transaction_id="t-actor",
        actor={"subscriberId": "b"},
    )
    runs = await runtime.history(transaction_id="t-actor")
    assert sorted(r.subscriber_id for r in runs) == ["a", "b"]


async def test_an_unknown_topic_is_skipped_with_a_warning(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="novu_framework.runtime")
    result = await runtime.trigger(
        order_shipped,
        [{"type": "Topic", "topicKey": "nobody-here"}, "direct"],
        {"order_id": "T4"},
        transaction_id="t-unknown",
    )
    assert result.data["data"]["acknowledged"] is True
    assert [r.subscriber_id for r in await runtime.history(transaction_id="t-unknown")] == ["direct"]
    assert "topic 'nobody-here' has no subscribers" in caplog.text
    # A trigger whose only topic is empty is accepted (its id is taken) and starts no run.
    only = await runtime.trigger(
        order_shipped, {"type": "Topic", "topicKey": "nobody-here"}, {"order_id": "T5"}
    )
    assert await runtime.history(transaction_id=only.transaction_id) == []
    assert await runtime.status_counts() == {"pending": 1}


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ({"type": "Topic"}, "a topic needs a non-empty string `topicKey`"),
        ({"type": "Topic", "topicKey": "  "}, "a topic needs a non-empty string `topicKey`"),
        ({"type": "Topic", "topicKey": "t", "key": "x"}, "unknown topic field `key`"),
        ({"type": "Topic", "topicKey": "t", "exclude": "a"}, "`exclude` of topic `t` must be a list"),
        ({"type": "Topic", "topicKey": "t", "exclude": [1]}, "must hold subscriber ids"),
        ({"topicKey": "t"}, 'a topic needs `"type": "Topic"`'),
    ],
)
async def test_bad_topic_recipients_store_nothing(runtime: Runtime, to: Any, message: str) -> None:
    with pytest.raises(InvalidRecipientError, match=message):
        await runtime.trigger(order_shipped, to, {"order_id": "X"})
    assert await runtime.history() == []


async def test_bad_topic_arguments(runtime: Runtime) -> None:
    with pytest.raises(ValueError, match="a topic key must be a non-empty string"):
        await runtime.add_to_topic("", "a")
    with pytest.raises(InvalidRecipientError, match="topic `t` given where only subscribers are accepted"):
        await runtime.add_to_topic("news", {"type": "Topic", "topicKey": "t"})
    with pytest.raises(InvalidRecipientError, match="non-empty string `subscriberId`"):
        await runtime.add_to_topic("news", {"email": "x@example.com"})
    with pytest.raises(ValueError, match="subscriber ids"):
        await runtime.remove_from_topic("news", ["a", ""])
    assert await runtime.topic_subscribers("news") == []


async def test_a_version_1_database_gains_topics_and_keeps_its_runs(tmp_path: Path) -> None:
    path = str(tmp_path / "v1.sqlite3")
    store: Any = open_store(path)

    def create_v1() -> None:
        store.execute("CREATE TABLE novu_schema (version INTEGER NOT NULL)")
        for statement in MIGRATIONS[0]:
            store.execute(statement)
        store.execute("INSERT INTO novu_schema (version) VALUES (1)")

    await store.call(lambda: store.write(create_v1))
    await store.close()
    old = Runtime([order_shipped], store=path)
    try:
        await old.store.call(  # type: ignore[attr-defined]
            lambda: old.store.write(  # type: ignore[attr-defined]
                lambda: old.store.execute(  # type: ignore[attr-defined]
                    "INSERT INTO novu_triggers VALUES ('t-old', 'order-shipped', '{}', '[]', NULL, '{}', NULL, 1)"
                )
            )
        )
        await old.add_to_topic("news", "a")
        version = await old.store.call(  # type: ignore[attr-defined]
            lambda: old.store.execute("SELECT version FROM novu_schema").fetchall()  # type: ignore[attr-defined]
        )
        assert [tuple(v) for v in version] == [(SCHEMA_VERSION,)] and SCHEMA_VERSION >= 2
        assert await old.topic_subscribers("news") == [{"subscriberId": "a"}]
    finally:
        await old.close()


def test_cli_topic_and_trigger_to_a_topic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli-topics.sqlite3")
    code, out, _ = run_cli(
        capsys, "--db", db, "topic", "fans", "--add", "a", "--add", '{"subscriberId": "b", "firstName": "Bo"}'
    )
    assert code == 0
    assert out.splitlines() == ["added 2 new subscriber(s) to fans", "a", "b  firstName=Bo"]
    code, out, _ = trigger_order(
        capsys, db, '{"order_id": "C9"}', "--topic", "fans", "--to", "c", "--transaction-id", "txn-fans"
    )
    assert code == 0
    code, out, _ = run_cli(capsys, "--db", db, "history", "--transaction-id", "txn-fans", "--json")
    assert sorted(r["subscriber_id"] for r in json.loads(out)) == ["a", "b", "c"]
    code, out, _ = run_cli(capsys, "--db", db, "topic", "fans", "--remove", "a", "--json")
    assert code == 0 and out.splitlines()[0] == "removed 1 subscriber(s) from fans"
    code, out, _ = trigger_order(capsys, db, "{}")
    assert code == 2 and "pass --to SUBSCRIBER or --topic KEY" in out
    code, out, _ = run_cli(capsys, "--db", db, "topic", "fans", "--add", "{nope")
    assert code == 2 and "is not valid JSON" in out
