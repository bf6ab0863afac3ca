"""``Workflow.trigger()`` with no secret key: the process-wide runtime, its worker thread, the sync twin."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework.errors import WorkflowPayloadInvalidError
from novu_framework.runtime import Runtime, default_runtime, shutdown_default_runtime
from tests.runtime.apps import order_shipped


@pytest.fixture
def local_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "default.sqlite3"
    monkeypatch.setenv("NOVU_RUNTIME_DB", str(db))
    shutdown_default_runtime()
    yield db
    shutdown_default_runtime()


async def _history(db: Path, transaction_id: str) -> list[Any]:
    reader = Runtime(store=str(db))
    try:
        return await reader.history(transaction_id=transaction_id)
    finally:
        await reader.close()


async def test_trigger_without_a_secret_key_runs_locally(local_env: Path) -> None:
    result = await order_shipped.trigger("sub-1", {"order_id": "L1"})
    assert result.data["data"]["transactionId"] == result.transaction_id
    assert default_runtime().workflows == {"order-shipped": order_shipped}
    # Stored before trigger() returned, in the file NOVU_RUNTIME_DB names.
    assert len(await _history(local_env, result.transaction_id)) == 1
    # The worker thread runs it to the end.
    for _ in range(100):
        [run] = await _history(local_env, result.transaction_id)
        if run.status == "completed":
            break
        await asyncio.sleep(0.05)
    assert run.status == "completed"
    assert [s.step_id for s in run.steps] == ["inbox", "summary", "email"]


def test_trigger_sync_and_bad_payloads(local_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_RUNTIME_WORKER", "0")
    result = order_shipped.trigger_sync("sub-2", {"order_id": "L2"})
    again = order_shipped.trigger_sync("sub-3", {"order_id": "L3"})  # a second event loop, same runtime
    with pytest.raises(WorkflowPayloadInvalidError):
        order_shipped.trigger_sync("sub-4", {"order_id": 5})
    runs = asyncio.run(_history(local_env, result.transaction_id)) + asyncio.run(
        _history(local_env, again.transaction_id)
    )
    assert [r.status for r in runs] == ["pending", "pending"]  # no worker thread: NOVU_RUNTIME_WORKER=0
    asyncio.run(default_runtime().run_until_idle())
    assert asyncio.run(_history(local_env, result.transaction_id))[0].status == "completed"
    assert asyncio.run(result.cancel()) == {"data": False}  # already finished
