"""One bad trigger in a burst fails alone: the embedded runtime on a real SQLite file, with 120 good
triggers committed in the same group as a trigger that cannot be stored."""

from __future__ import annotations

import asyncio
import datetime
import math
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.runtime import InvalidRecipientError, PayloadNotJsonError, Runtime

GOOD = 120


@workflow("burst")
async def burst(step: Any) -> None:
    await step.in_app("inbox", {"body": "hello"})


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    rt = Runtime([burst], store=str(tmp_path / "runtime.sqlite3"))
    await rt.ready()
    yield rt
    await rt.close()


# (what is wrong, the trigger's options, the error expected, the field it names)
BAD: list[tuple[str, dict[str, Any], type[Exception], str | None]] = [
    (
        "context with a datetime",
        {"context": {"at": datetime.datetime(2026, 1, 1)}},
        PayloadNotJsonError,
        "context",
    ),
    ("context with NaN", {"context": {"ratio": math.nan}}, PayloadNotJsonError, "context"),
    ("overrides with bytes", {"overrides": {"email": {"raw": b"\x00"}}}, PayloadNotJsonError, "overrides"),
    ("overrides with a set", {"overrides": {"tags": {"a"}}}, PayloadNotJsonError, "overrides"),
    (
        "actor with a date",
        {"actor": {"subscriberId": "a", "data": {"d": datetime.date(2026, 1, 1)}}},
        PayloadNotJsonError,
        "actor",
    ),
    (
        "subscriber data with bytes",
        {"to": {"subscriberId": "bad", "data": {"blob": b"\xff"}}},
        PayloadNotJsonError,
        "subscriber bad",
    ),
    (
        "subscriber data with infinity",
        {"to": {"subscriberId": "bad", "data": {"x": math.inf}}},
        PayloadNotJsonError,
        "subscriber bad",
    ),
    ("subscriber id with a lone surrogate", {"to": "bad-\ud800"}, InvalidRecipientError, None),
    (
        "subscriber dict id with a lone surrogate",
        {"to": {"subscriberId": "\udfff"}},
        InvalidRecipientError,
        None,
    ),
]


@pytest.mark.parametrize(("what", "options", "error", "field"), BAD, ids=[b[0] for b in BAD])
async def test_a_bad_trigger_fails_alone_in_a_burst(
    runtime: Runtime, what: str, options: dict[str, Any], error: type[Exception], field: str | None
) -> None:
    options = dict(options)
    bad_to = options.pop("to", "sub-bad")

    async def good(i: int) -> str:
        return (await runtime.trigger(burst, f"sub-{i}", {"i": i})).transaction_id

    # The bad one in the middle of the burst: all of them queue for the same group commit.
    tasks = [asyncio.ensure_future(good(i)) for i in range(GOOD // 2)]
    tasks.append(asyncio.ensure_future(runtime.trigger(burst, bad_to, {"bad": True}, **options)))
    tasks += [asyncio.ensure_future(good(i)) for i in range(GOOD // 2, GOOD)]
    results = await asyncio.gather(*tasks, return_exceptions=True)

    failure = results[GOOD // 2]
    assert isinstance(failure, error), f"{what}: {failure!r}"
    if field is not None:
        assert isinstance(failure, PayloadNotJsonError)
        assert failure.data["field"] == field and f"`{field}`" in failure.message
    others = results[: GOOD // 2] + results[GOOD // 2 + 1 :]
    assert [r for r in others if not isinstance(r, str)] == []
    stored = await runtime.history(limit=1000)
    assert len(stored) == GOOD
    assert {run.subscriber_id for run in stored} == {f"sub-{i}" for i in range(GOOD)}


async def test_a_trigger_the_store_refuses_fails_alone_in_its_group_commit(runtime: Runtime) -> None:
    """Past the checks before queueing: the database itself refuses one member of a merged insert (a
    run id that another trigger of the batch holds), and the rest of the batch is committed without it."""
    from novu_framework.runtime.accept import new_trigger
    from novu_framework.runtime.store.sql import SqlStore

    await runtime.ready()
    good = [
        new_trigger(
            "burst",
            [{"subscriberId": f"sub-{i}"}],
            {},
            payload_text="{}",
            transaction_id=None,
            actor=None,
            overrides=None,
            context=None,
            now=1,
        )
        for i in range(40)
    ]
    bad = new_trigger(
        "burst",
        [{"subscriberId": "x"}],
        {},
        payload_text="{}",
        transaction_id=None,
        actor=None,
        overrides=None,
        context=None,
        now=1,
    )
    bad.runs = [type(bad.runs[0])(good[0].runs[0].id, "x", '{"subscriberId":"x"}')]
    store = runtime.store
    assert isinstance(store, SqlStore)
    tasks = [asyncio.ensure_future(store.insert_trigger(t)) for t in good[:20]]
    tasks += [asyncio.ensure_future(store.insert_trigger(bad))]
    tasks += [asyncio.ensure_future(store.insert_trigger(t)) for t in good[20:]]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert "UNIQUE constraint failed" in str(results[20]), results[20]
    assert [r for i, r in enumerate(results) if i != 20] == [True] * 40
    stored = await runtime.history(limit=100)
    assert {run.subscriber_id for run in stored} == {f"sub-{i}" for i in range(40)}


@pytest.mark.parametrize(
    ("subscribers", "key", "words"),
    [
        (
            [{"subscriberId": "t-1"}, {"subscriberId": "t-2", "data": {"at": datetime.date(2026, 1, 1)}}],
            "team",
            "`t-2` holds data that is not JSON",
        ),
        (["t-1", "t-\ud800"], "team", "lone surrogate"),
        (["t-1"], "team-\udc00", "lone surrogate"),
    ],
)
async def test_topic_members_that_cannot_be_stored_are_refused_up_front(
    runtime: Runtime, subscribers: list[Any], key: str, words: str
) -> None:
    with pytest.raises((InvalidRecipientError, ValueError)) as info:
        await runtime.add_to_topic(key, subscribers)
    assert words in str(getattr(info.value, "message", info.value))
    assert await runtime.topic_subscribers("team") == []
    assert await runtime.add_to_topic("team", ["t-1", "t-2"]) == 2  # the store is still fine
