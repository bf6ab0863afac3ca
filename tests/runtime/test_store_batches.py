"""The store works in bounded batches, on SQLite and PostgreSQL: history is read in four queries
whatever its size, and a burst of triggers goes in a few multi-row transactions (the store's group commit), each trigger
acknowledged only once the transaction holding it has committed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import Runtime, open_store
from novu_framework.runtime.accept import new_trigger
from novu_framework.runtime.errors import DuplicateTransactionError
from novu_framework.runtime.store.base import NewTrigger, RunQuery
from novu_framework.runtime.store.sql import SqlStore
from novu_framework.runtime.store.triggers import TriggerRows
from tests.runtime.apps import order_shipped


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    url: str = request.getfixturevalue("postgres").fresh_database()
    return url


def _counting(store: SqlStore) -> list[str]:
    """Record every statement the store runs from now on."""
    seen: list[str] = []
    execute = store.execute

    def counted(sql: str, params: Any = ()) -> Any:
        seen.append(sql)
        return execute(sql, params)

    store.execute = counted  # type: ignore[method-assign]
    return seen


@pytest.mark.parametrize("runs", [1, 50])
async def test_history_takes_four_queries_for_any_number_of_runs(
    runs: int, store_url: str, make_runtime: Callable[..., Runtime]
) -> None:
    runtime = make_runtime([order_shipped], store=store_url)
    for i in range(runs):
        await runtime.trigger(
            order_shipped, {"subscriberId": f"sub-{i}", "email": f"s{i}@example.com"}, {"order_id": f"A{i}"}
        )
    await runtime.run_until_idle()
    store = runtime.store
    assert isinstance(store, SqlStore)
    statements = _counting(store)
    history = await store.runs(RunQuery(limit=1000))
    # One query for the runs, then one each for their steps, deliveries and delivery attempts.
    assert len(statements) == 4, statements
    assert len(history) == runs
    for run in history:
        assert run.status == "completed"
        assert [s.step_id for s in run.steps] == ["inbox", "summary", "email"]
        assert [d.step_id for d in run.deliveries] == ["inbox", "email"]
        email = run.deliveries[1]
        assert email.recipient == f"s{run.subscriber_id[4:]}@example.com"
        assert [(a.attempt, a.status) for a in email.attempts] == [(1, "sent")]


def _trigger(i: int, transaction_id: str | None = None) -> NewTrigger:
    return new_trigger(
        "burst",
        [{"subscriberId": f"sub-{i}"}],
        {"n": i},
        payload_text=f'{{"n":{i}}}',
        transaction_id=transaction_id,
        actor=None,
        overrides=None,
        context=None,
        now=1_700_000_000_000 + i,
    )


async def test_a_burst_of_triggers_is_merged_into_a_few_transactions(store_url: str) -> None:
    store = open_store(store_url)
    assert isinstance(store, SqlStore)
    await store.migrate()
    inserts: list[int] = []
    committed: list[int] = []
    insert = store._insert_triggers
    committed_hook = store._committed

    def counted(batch: list[TriggerRows]) -> list[bool]:
        inserts.append(len(batch))
        return insert(batch)

    def commit_seen() -> None:
        committed.append(len(inserts))
        committed_hook()

    store._insert_triggers = counted  # type: ignore[method-assign]
    store._committed = commit_seen  # type: ignore[method-assign]
    try:
        acknowledged: list[int] = []

        async def accept(i: int, transaction_id: str | None = None) -> None:
            if not await store.insert_trigger(_trigger(i, transaction_id)):
                raise DuplicateTransactionError(transaction_id or "")
            # By the time a caller hears back, a commit has followed the insert that held it.
            assert committed, "acknowledged before any commit"
            acknowledged.append(i)

        results = await asyncio.gather(
            *(accept(i) for i in range(600)),
            accept(600, "taken"),
            accept(601, "taken"),
            return_exceptions=True,
        )
        assert results[:601] == [None] * 601
        assert isinstance(results[601], DuplicateTransactionError)
        assert sum(inserts) == 602 and len(inserts) <= 12, inserts  # 256 triggers to a transaction at most
        assert max(inserts) <= 256 and max(inserts) >= 100
        rows: Any = await store.call(lambda: store.execute("SELECT COUNT(*) FROM novu_runs").fetchall())
        assert int(rows[0][0]) == 601
        assert sorted(acknowledged) == list(range(601))
    finally:
        await store.close()
