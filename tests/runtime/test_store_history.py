"""History is read in a bounded number of queries, whatever the number of runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import Runtime
from novu_framework.runtime.store.base import RunQuery
from novu_framework.runtime.store.sql import SqlStore
from tests.runtime.apps import order_shipped


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite3")
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
