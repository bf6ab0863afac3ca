"""The store on SQLite and on a real PostgreSQL: schema, leases, fencing, recovery of crashed work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import Runtime, SqliteStore, open_store
from novu_framework.runtime.errors import LeaseLostError, MigrationError
from novu_framework.runtime.store.base import Commit, Store
from novu_framework.runtime.store.schema import SCHEMA_VERSION
from tests.runtime.apps import comment_digest, order_shipped


@pytest.fixture(params=["sqlite", "postgres"])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
    else:
        yield request.getfixturevalue("postgres").fresh_database()


async def test_migrate_is_idempotent_and_records_the_version(store_url: str) -> None:
    for _ in range(2):
        store: Store = open_store(store_url)
        await store.migrate()
        await store.migrate()
        await store.close()
    store = open_store(store_url)
    version = await store.call(lambda: store.execute("SELECT version FROM novu_schema").fetchall())  # type: ignore[attr-defined]
    await store.close()
    assert [tuple(row) for row in version] == [(SCHEMA_VERSION,)]


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    store = SqliteStore(path)
    await store.migrate()
    await store.call(lambda: store.execute("UPDATE novu_schema SET version = 99"))
    await store.close()
    with pytest.raises(MigrationError, match="schema version 99, newer than this package's"):
        await SqliteStore(path).migrate()


async def test_work_held_by_a_crashed_worker_is_taken_over_after_its_lease(
    store_url: str, clock: Any
) -> None:
    runtime = Runtime([order_shipped], store=store_url, clock=clock, lease_seconds=5)
    try:
        result = await runtime.trigger(order_shipped, "sub-1", {"order_id": "A1"})
        [run_id] = await runtime.store.claim("crashed-worker", clock(), 5_000, 10)
        assert await runtime.run_until_idle() == 0  # still leased: nobody may touch it
        clock.advance(6)
        assert await runtime.run_until_idle() == 1
        [run] = await runtime.history(transaction_id=result.transaction_id)
        assert run.id == run_id and run.status == "completed"
        assert {s.worker for s in run.steps} == {runtime.config.owner}
        # The crashed worker coming back cannot write anything any more.
        with pytest.raises(LeaseLostError):
            await runtime.store.commit(
                Commit(run_id=run_id, owner="crashed-worker", now=clock(), lease_ms=5_000)
            )
    finally:
        await runtime.close()


async def test_claims_never_hand_one_run_to_two_workers(store_url: str, clock: Any) -> None:
    import asyncio

    runtime = Runtime([order_shipped], store=store_url, clock=clock)
    try:
        for i in range(40):
            await runtime.trigger(order_shipped, f"s{i}", {"order_id": str(i)})
        other = open_store(store_url)
        try:
            claims = await asyncio.gather(
                *((runtime.store if i % 2 else other).claim(f"w{i}", clock(), 30_000, 7) for i in range(10))
            )
        finally:
            await other.close()
        claimed = [run_id for batch in claims for run_id in batch]
        assert len(claimed) == 40 and len(set(claimed)) == 40
    finally:
        await runtime.close()


async def test_digest_and_inbox_on_each_store(store_url: str, clock: Any) -> None:
    runtime = Runtime([comment_digest], store=store_url, clock=clock)
    try:
        for author in ("ann", "bob", "cy"):
            await runtime.trigger(comment_digest, "sub-1", {"author": author})
        await runtime.run_until_idle()
        clock.advance(11)
        await runtime.run_until_idle()
        runs = await runtime.history()
        assert sorted(r.status for r in runs) == ["completed", "merged", "merged"]
        leader = next(r for r in runs if r.status == "completed")
        collect = next(s for s in leader.steps if s.step_id == "collect")
        assert collect.result is not None
        assert sorted(e["payload"]["author"] for e in collect.result["events"]) == ["ann", "bob", "cy"]
        assert len(await runtime.inbox("sub-1")) == 3
    finally:
        await runtime.close()


async def test_cancel_hands_a_digest_window_over_on_each_store(store_url: str, clock: Any) -> None:
    runtime = Runtime([comment_digest], store=store_url, clock=clock)
    try:
        leader = await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
        await runtime.run_until_idle()
        clock.advance(1)
        await runtime.trigger(comment_digest, "sub-1", {"author": "bob"})
        await runtime.run_until_idle()
        assert await runtime.cancel(leader.transaction_id) == 1
        clock.advance(10)
        await runtime.run_until_idle()
        runs = {r.payload["author"]: r for r in await runtime.history()}
        assert (runs["ann"].status, runs["bob"].status) == ("canceled", "completed")
    finally:
        await runtime.close()


async def test_claim_runs_leases_due_runs_with_their_state(store_url: str, clock: Any) -> None:
    runtime = Runtime([comment_digest, order_shipped], store=store_url, clock=clock, providers=_quiet())
    try:
        waiting = await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
        await runtime.run_until_idle()  # in_app done, the digest window open for ten seconds
        fresh = [await runtime.trigger(order_shipped, f"s{i}", {"order_id": str(i)}) for i in range(3)]
        states = await runtime.store.claim_runs("w1", clock(), 30_000, 10)
        assert sorted(s.run.transaction_id for s in states) == sorted(r.transaction_id for r in fresh)
        assert all(s.run.status == "running" and s.steps == [] and s.inbox == {} for s in states)
        assert {s.run.payload["order_id"] for s in states} == {"0", "1", "2"}
        assert await runtime.store.claim_runs("w2", clock(), 30_000, 10) == []  # leased, none due
        clock.advance(11)
        [leader] = await runtime.store.claim_runs("w3", clock(), 30_000, 10)
        assert leader.run.transaction_id == waiting.transaction_id
        assert [(s.step_id, s.status) for s in leader.steps] == [
            ("notify", "completed"),
            ("collect", "waiting"),
        ]
        assert list(leader.inbox) == ["notify"] and leader.deliveries["notify"].status == "sent"
    finally:
        await runtime.close()


async def test_steps_waiting_for_the_next_commit_are_lost_with_the_lease(store_url: str, clock: Any) -> None:
    """Finished steps with no outside effect are committed with the run's next store call; a worker that
    lost its lease meanwhile writes none of them, and the next one writes each exactly once."""
    from novu_framework import workflow

    stolen: list[str] = []
    thief = open_store(store_url)

    @workflow("stolen-midway")
    async def stolen_midway(step: Any) -> None:
        await step.in_app("inbox", {"body": "hello"})

        async def take_over(controls: Any) -> dict[str, Any]:
            if not stolen:  # the first time only: the lease runs out and another worker claims the run
                clock.advance(31)
                stolen.extend(await thief.claim("thief", clock(), 30_000, 10))
            return {}

        await step.custom("report", take_over)
        await step.email("email", {"subject": "hi", "body": "there"})

    sent: list[Any] = []
    runtime = Runtime([stolen_midway], store=store_url, clock=clock, providers=_quiet(sent))
    try:
        result = await runtime.trigger(stolen_midway, {"subscriberId": "sub-1", "email": "a@example.com"})
        await runtime.run_until_idle()
        [run] = await runtime.history(transaction_id=result.transaction_id)
        assert stolen == [run.id] and run.steps == [] and sent == []
        assert await runtime.inbox("sub-1") == []
        clock.advance(31)  # the thief never came back: its lease runs out too
        await runtime.run_until_idle()
        [run] = await runtime.history(transaction_id=result.transaction_id)
        assert run.status == "completed" and [s.step_id for s in run.steps] == ["inbox", "report", "email"]
        assert len(await runtime.inbox("sub-1")) == 1 and len(sent) == 1
    finally:
        await runtime.close()
        await thief.close()


def _quiet(sent: list[Any] | None = None) -> dict[str, Any]:
    class Recorder:
        name = "recorder"

        async def send(self, message: Any) -> dict[str, Any]:
            if sent is not None:
                sent.append(message)
            return {"ok": True}

    return {channel: Recorder() for channel in ("email", "sms", "push", "chat")}


async def test_sqlite_log_is_copied_into_the_database_by_a_thread_of_its_own(tmp_path: Path) -> None:
    """Commits do not pay for copying the write-ahead log: a checkpoint thread does it while they go on.
    (SQLite's own checkpoint, at 1000 pages, is not reached by these few small commits.)"""
    import asyncio

    path = tmp_path / "wal.sqlite3"
    runtime = Runtime([order_shipped], store=SqliteStore(path, checkpoint_interval=0.01))
    try:
        await runtime.ready()
        size = path.stat().st_size
        for i in range(12):
            await runtime.trigger(order_shipped, f"s{i}", {"order_id": str(i)})
        for _ in range(200):
            if path.stat().st_size > size:
                break
            await asyncio.sleep(0.01)
        assert path.stat().st_size > size  # pages reached the database file while the store was open
        assert len(await runtime.history(limit=50)) == 12
    finally:
        await runtime.close()


async def test_steps_waiting_for_a_commit_are_committed_after_half_the_lease(
    store_url: str, clock: Any
) -> None:
    """A run that goes on producing steps with no outside effect commits them once half its lease has
    gone by: what it did before that survives losing the lease later."""
    from novu_framework import workflow

    thief = open_store(store_url)

    @workflow("slow-steps")
    async def slow_steps(step: Any) -> None:
        await step.in_app("inbox", {"body": "hello"})

        async def slow(controls: Any) -> dict[str, Any]:
            clock.advance(6)  # more than half of the 10 s lease
            return {}

        await step.custom("slow", slow)

        async def take_over(controls: Any) -> dict[str, Any]:
            clock.advance(11)
            await thief.claim("thief", clock(), 10_000, 10)
            return {}

        await step.custom("stolen", take_over)
        await step.custom("never", lambda controls: {})

    runtime = Runtime([slow_steps], store=store_url, clock=clock, lease_seconds=10, providers=_quiet())
    try:
        result = await runtime.trigger(slow_steps, "sub-1")
        await runtime.run_until_idle()
        [run] = await runtime.history(transaction_id=result.transaction_id)
        assert [s.step_id for s in run.steps] == ["inbox", "slow"]  # "stolen" was lost with the lease
        assert len(await runtime.inbox("sub-1")) == 1
    finally:
        await runtime.close()
        await thief.close()


async def test_a_stream_of_writes_does_not_hold_reads_back(tmp_path: Path) -> None:
    import asyncio
    import time

    store = SqliteStore(tmp_path / "fair.sqlite3")
    await store.migrate()

    def slow_write() -> None:
        time.sleep(0.001)

    try:
        writes = [asyncio.ensure_future(store.transact(slow_write)) for _ in range(5 * store.group_limit)]
        await asyncio.sleep(0)  # every write is queued
        assert await store.status_counts() == {}
        # The read went in after the first batch of writes, not after all five.
        assert sum(w.done() for w in writes) <= 2 * store.group_limit
        await asyncio.gather(*writes)
    finally:
        await store.close()
