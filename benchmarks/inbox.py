"""Inbox API latency on SQLite: list and count with 100 000 messages for one subscriber among
1 000 000, and the time from an in-app step's commit to the socket.io event.

    python benchmarks/inbox.py [--rows 1000000] [--mine 100000] [--requests 300] [--pushes 50]

1. The rows are built with one ``INSERT ... SELECT`` over a recursive counter (a few seconds), then
   the store is opened as the runtime opens it. Every tenth row is the measured subscriber's; a third
   are read, one in fifty archived, the workflows alternate. Measured through ``InboxApi.handle``
   (routing, validation, the query, serialisation; no network): the first page of the default
   ``<Inbox />`` feed, a page deep in the feed by ``after``, the unread tab, a tag filter, the count
   of the three filters ``<Inbox />`` asks for, and the session's unread and unseen counts.
2. The test workflow's runtime and the Inbox API under uvicorn on 127.0.0.1 (one process); an
   Engine.IO client on ``websockets`` subscribes, and each trigger's in-app message is timed from
   the moment the store writes it (just before its transaction commits, so the figure is an upper
   bound) to the ``notification_received`` frame.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from novu_framework.inbox import inbox_app, with_inbox
from novu_framework.inbox.handlers import InboxApi
from novu_framework.runtime import Runtime
from novu_framework.runtime.store import SqliteStore
from tests.inbox.apps import WORKFLOWS

BASE_MS = 1_767_261_600_000


def build_rows(path: str, rows: int, mine_every: int) -> float:
    """A store with ``rows`` in-app messages, every ``mine_every``-th one subscriber ``me``'s."""
    SqliteStore(path).migrate_sync()
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")  # the rows reference no runs: only reads are measured
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'novu_inbox' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in indexes:  # built once after the rows: far faster than row by row
        conn.execute(f"DROP INDEX {name}")
    conn.execute(
        """WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
        INSERT INTO novu_inbox (id, run_id, step_id, transaction_id, workflow_id, subscriber_id, content,
            seen, read, seen_at, read_at, created_at, archived, archived_at)
        SELECT printf('r%08d:inbox', x), printf('r%08d', x), 'inbox', printf('t%08d', x),
            CASE WHEN (x / 10) % 2 = 0 THEN 'comment' ELSE 'news' END,
            CASE WHEN x % ? = 0 THEN 'me' ELSE 'sub-' || (x % 9973) END,
            '{"subject":"Subject ' || x || '","body":"Body ' || x || '","data":{"k":' || (x % 2) || '}}',
            x % 3 = 0, x % 3 = 0, CASE WHEN x % 3 = 0 THEN ? + x END, CASE WHEN x % 3 = 0 THEN ? + x END,
            ? + x, x % 50 = 0, CASE WHEN x % 50 = 0 THEN ? + x END
        FROM n""",
        (rows, mine_every, BASE_MS, BASE_MS, BASE_MS, BASE_MS),
    )
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure_reads(path: str, requests: int, middle: int) -> dict[str, dict[str, float]]:
    runtime = Runtime(WORKFLOWS, store=path)
    await runtime.ready()
    api = InboxApi(runtime, secret="bench")
    headers = {"authorization": "Bearer " + api.signer.issue("me")}
    deep_cursor = f"r{middle:08d}:inbox"  # a message of 'me' half-way down the feed
    three = json.dumps([{"tags": [], "read": False, "archived": False}, {"read": False}, {"archived": True}])
    cases = {
        "list first page (archived=false)": (
            "/v1/inbox/notifications",
            "limit=10&archived=false&snoozed=false",
        ),
        "list deep page (after)": ("/v1/inbox/notifications", f"limit=10&archived=false&after={deep_cursor}"),
        "list unread tab": ("/v1/inbox/notifications", "limit=10&read=false&snoozed=false"),
        "list tag filter": ("/v1/inbox/notifications", "limit=10&tags%5B%5D=news&archived=false"),
        "count three filters": ("/v1/inbox/notifications/count", "filters=" + quote(three)),
    }
    out: dict[str, dict[str, float]] = {}
    for name, (route, query) in cases.items():
        samples = []
        for i in range(requests + 20):
            t0 = time.perf_counter()
            response = await api.handle("GET", route, query, headers, b"")
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status == 200, response.body[:300]
            if i >= 20:  # warm-up
                samples.append(elapsed)
        out[name] = {"p50": statistics.median(samples), "p99": pct(samples, 0.99)}
    samples = []
    for _ in range(requests):
        t0 = time.perf_counter()
        await api.badges("me")
        samples.append((time.perf_counter() - t0) * 1000)
    out["unread + unseen counts (session, count events)"] = {
        "p50": statistics.median(samples),
        "p99": pct(samples, 0.99),
    }
    await runtime.close()
    return out


def measure_push(pushes: int) -> list[float]:
    import uvicorn
    import websockets

    folder = tempfile.mkdtemp(prefix="novu-inbox-bench-")
    runtime = Runtime(WORKFLOWS, store=os.path.join(folder, "push.sqlite3"), poll_interval=0.01)
    inbox = inbox_app(runtime, secret="bench")
    written: list[float] = []
    server_loop: list[asyncio.AbstractEventLoop] = []

    async def bridge(scope: Any, receive: Any, send: Any) -> None:
        while scope["type"] == "lifespan":
            message = await receive()
            if message["type"] == "lifespan.startup":
                server_loop.append(asyncio.get_running_loop())
                await runtime.start()
                runtime.store.on_inbox_commit(lambda: written.append(time.perf_counter()))  # type: ignore[attr-defined]
                await send({"type": "lifespan.startup.complete"})
            else:
                await runtime.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY on accepts
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(with_inbox(bridge, inbox), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    token = inbox.api.signer.issue("bench-sub")

    async def client() -> list[float]:
        latencies: list[float] = []
        url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket&token={token}"
        async with websockets.connect(url) as ws:
            assert (await ws.recv()).startswith("0")
            await ws.send("40")
            assert (await ws.recv()).startswith("40")
            for i in range(pushes):
                written.clear()
                future = asyncio.run_coroutine_threadsafe(
                    runtime.trigger("comment", "bench-sub", {"n": i}), server_loop[0]
                )
                await asyncio.wrap_future(future)
                while True:
                    frame = await asyncio.wait_for(ws.recv(), 10)
                    if frame == "2":
                        await ws.send("3")
                    elif isinstance(frame, str) and frame.startswith('42["notification_received"'):
                        latencies.append((time.perf_counter() - written[0]) * 1000)
                        break
                await asyncio.sleep(0.02)
        return latencies

    try:
        return asyncio.run(client())
    finally:
        server.should_exit = True
        thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--mine", type=int, default=100_000, help="rows of the measured subscriber")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--pushes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="novu-inbox-bench-") as folder:
        path = os.path.join(folder, "inbox.sqlite3")
        every = max(1, args.rows // args.mine)
        took = build_rows(path, args.rows, every)
        print(f"built {args.rows} messages ({args.mine} for one subscriber) in {took:.1f} s")
        for name, figures in asyncio.run(
            measure_reads(path, args.requests, args.rows // 2 // every * every)
        ).items():
            print(f"  {name:48s} p50 {figures['p50']:6.2f} ms   p99 {figures['p99']:6.2f} ms")
    latencies = measure_push(args.pushes)
    print(
        f"commit to notification_received over socket.io ({len(latencies)} pushes): "
        f"p50 {statistics.median(latencies):.2f} ms   p99 {pct(latencies, 0.99):.2f} ms   max {max(latencies):.2f} ms"
    )


if __name__ == "__main__":
    main()
