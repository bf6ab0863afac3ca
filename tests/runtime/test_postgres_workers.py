"""Several worker processes on one PostgreSQL database share the work and deliver every step once."""

from __future__ import annotations

import asyncio
import collections
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from novu_framework.runtime import Runtime
from tests.runtime.apps import order_shipped
from tests.runtime.conftest import REPO
from tests.servers import novu_cli, stop_process


def start_worker(db: str, smtp: Any, *extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOVU_SMTP_HOST": smtp.host,
        "NOVU_SMTP_PORT": str(smtp.port),
        "PYTHONPATH": str(REPO),
    }
    return subprocess.Popen(
        novu_cli("--db", db, "worker", "tests.runtime.apps", *extra),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(worker: subprocess.Popen[bytes]) -> None:
    """Block until the worker printed its banner (it has loaded the app and is about to claim work)."""
    assert worker.stdout is not None
    banner = worker.stdout.readline()
    assert banner.startswith(b"novu-framework worker"), banner


@contextmanager
def three_workers(db: str, smtp: Any) -> Iterator[None]:
    """Three worker processes (8 runs at once each) on ``db``, ready, stopped when the block ends."""
    workers = [start_worker(db, smtp, "--concurrency", "8") for _ in range(3)]
    try:
        for worker in workers:
            wait_ready(worker)
        yield
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            stop_process(worker)


async def wait_until_finished(runtime: Runtime, count: int, timeout: float = 90) -> list[Any]:
    deadline = time.monotonic() + timeout
    while True:
        counts = await runtime.status_counts()
        if counts.get("completed", 0) + counts.get("failed", 0) == count:
            return await runtime.history(limit=count + 10)
        if time.monotonic() > deadline:
            raise AssertionError(counts)
        await asyncio.sleep(0.2)


async def test_three_worker_processes_share_one_database(postgres: Any, smtp_server: Any) -> None:
    db = postgres.fresh_database()
    runtime = Runtime([order_shipped], store=db)
    try:
        await runtime.ready()
        with three_workers(db, smtp_server):
            subscribers = [{"subscriberId": f"s{i}", "email": f"s{i}@example.com"} for i in range(150)]
            await asyncio.gather(
                *(
                    runtime.trigger(order_shipped, sub, {"order_id": str(i)})
                    for i, sub in enumerate(subscribers)
                )
            )
            runs = await wait_until_finished(runtime, 150)
        assert {r.status for r in runs} == {"completed"}
        steps_by_worker = collections.Counter(s.worker for r in runs for s in r.steps)
        assert len(steps_by_worker) == 3, steps_by_worker  # every process took part
        ids = smtp_server.message_ids()
        assert len(ids) == 150 and len(set(ids)) == 150  # one email per run, none twice
        inbox_total = sum([len(await runtime.inbox(f"s{i}")) for i in range(150)])
        assert inbox_total == 150
    finally:
        await runtime.close()


async def test_workers_on_one_database_put_every_event_in_exactly_one_digest(
    postgres: Any, smtp_server: Any
) -> None:
    from tests.runtime.apps import burst_digest

    db = postgres.fresh_database()
    runtime = Runtime([burst_digest], store=db)
    try:
        await runtime.ready()
        with three_workers(db, smtp_server):
            await asyncio.gather(*(runtime.trigger(burst_digest, "reader", {"n": i}) for i in range(90)))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                counts = await runtime.status_counts()
                if counts.get("completed", 0) + counts.get("merged", 0) == 90:
                    break
                await asyncio.sleep(0.2)
            runs = await runtime.history(limit=100)
        leaders = [r for r in runs if r.status == "completed"]
        merged = [r for r in runs if r.status == "merged"]
        assert len(leaders) + len(merged) == 90
        digested = [e["payload"]["n"] for r in leaders for e in r.steps[0].result["events"]]  # type: ignore[index]
        assert sorted(digested) == list(range(90))  # every event once, none lost, none twice
        assert {m.merged_into for m in merged} <= {r.id for r in leaders}
        bodies = sorted(m.content["body"] for m in await runtime.inbox("reader"))
        assert bodies == sorted(f"{len(r.steps[0].result['events'])} events" for r in leaders)  # type: ignore[index]
    finally:
        await runtime.close()
