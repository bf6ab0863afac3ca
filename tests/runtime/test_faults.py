"""Fault injection: a worker process killed with SIGKILL at random moments, then restarted."""

from __future__ import annotations

import asyncio
import collections
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import Runtime
from tests.runtime.apps import order_shipped
from tests.runtime.test_postgres_workers import start_worker, wait_ready

RUNS = 300


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_sigkilled_workers_lose_no_run_and_duplicate_no_delivery(
    tmp_path: Path, smtp_server: Any, database: str, request: pytest.FixtureRequest
) -> None:
    if database == "sqlite":
        db = str(tmp_path / "faults.sqlite3")
    else:
        db = request.getfixturevalue("postgres").fresh_database()
    rng = random.Random(20260101)
    runtime = Runtime([order_shipped], store=db)
    try:
        subscribers = [{"subscriberId": f"s{i}", "email": f"s{i}@example.com"} for i in range(RUNS)]
        await asyncio.gather(
            *(runtime.trigger(order_shipped, sub, {"order_id": str(i)}) for i, sub in enumerate(subscribers))
        )
        kills = 0
        deadline = time.monotonic() + 120
        while True:
            worker = start_worker(db, smtp_server, "--lease-seconds", "1", "--concurrency", "16")
            wait_ready(worker)
            counts = await runtime.status_counts()
            if kills >= 8 or counts.get("completed", 0) + counts.get("failed", 0) == RUNS:
                break
            await asyncio.sleep(rng.uniform(0.05, 0.3))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            kills += 1
        try:
            while time.monotonic() < deadline:
                if (await runtime.status_counts()).get("completed") == RUNS:
                    break
                await asyncio.sleep(0.25)
        finally:
            worker.terminate()
            worker.wait(10)
        runs = await runtime.history(limit=RUNS)
    finally:
        await runtime.close()

    assert kills >= 5, f"only {kills} kills happened before the work was done"
    # No run lost: every accepted run finished, every step recorded once, in order.
    assert len(runs) == RUNS
    assert collections.Counter(r.status for r in runs) == {"completed": RUNS}
    assert all([s.step_id for s in r.steps] == ["inbox", "summary", "email"] for r in runs)
    # The inbox is written in the same transaction as its step: exactly one message per run.
    checker = Runtime([order_shipped], store=db)
    try:
        messages = [m for i in range(RUNS) for m in await checker.inbox(f"s{i}")]
    finally:
        await checker.close()
    assert sorted(m.run_id for m in messages) == sorted(r.id for r in runs)
    # Every email arrived. The only way to receive one twice is a kill between the SMTP server's
    # acceptance and the commit; the history then shows an interrupted attempt, and the repeat carries
    # the same Message-ID (the idempotency key), so the receiver can tell.
    received = collections.Counter(smtp_server.message_ids())
    expected = {f"<{r.id}.email@novu-framework>" for r in runs}
    assert set(received) == expected
    interrupted_total = sum(a.status == "interrupted" for r in runs for d in r.deliveries for a in d.attempts)
    repeated = sum(received.values()) - RUNS
    print(f"kills: {kills}; interrupted attempts: {interrupted_total}; repeated emails: {repeated}")
    for run in runs:
        email = next(d for d in run.deliveries if d.channel == "email")
        interrupted = sum(a.status == "interrupted" for a in email.attempts)
        assert email.status == "sent"
        copies = received[f"<{run.id}.email@novu-framework>"]
        assert copies <= 1 + interrupted, (run.id, copies, email.attempts)
