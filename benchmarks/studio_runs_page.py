"""How long the Studio's run list takes with 100 000 runs in the store, against 1 000 as the reference.

    python benchmarks/studio_runs_page.py [--runs 100000] [--loads 7]

Runs are inserted in bulk straight into a SQLite store (terminal statuses, 2 workflows, 1 000
subscribers, 30 days). For each size it prints the median time of the JSON API for the first page,
filtered pages and a page 50 pages deep, then the median browser load of ``#/runs`` (navigation start
to the table rows drawn) in Debian's Chromium.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from novu_framework.runtime.store import SqliteStore  # noqa: E402
from tests.studio.browser import chromium, missing  # noqa: E402
from tests.studio.server import serve_studio  # noqa: E402
from tests.studio.workflows import WORKFLOWS  # noqa: E402

STATUSES = ["completed"] * 8 + ["failed", "canceled"]


def fill(path: str, count: int) -> None:
    import asyncio

    store = SqliteStore(path)
    asyncio.run(store.migrate())
    asyncio.run(store.close())
    rng = random.Random(7)
    now = int(time.time() * 1000)
    conn = sqlite3.connect(path)
    triggers, runs = [], []
    for i in range(count):
        created = now - rng.randrange(30 * 86_400_000)
        tx = f"tx-{i:07d}"
        wf = "order-shipped" if i % 3 else "welcome"
        sub = f"user-{rng.randrange(1000):04d}"
        status = rng.choice(STATUSES)
        triggers.append((tx, wf, '{"order_id":"A-1001"}', "[]", None, "{}", None, created))
        runs.append(
            (
                f"run-{created:013d}-{i:07d}",
                tx,
                wf,
                sub,
                f'{{"subscriberId":"{sub}"}}',
                status,
                None,
                created,
                created + 40,
                created + 40,
            )
        )
    with conn:
        conn.executemany("INSERT INTO novu_triggers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", triggers)
        conn.executemany(
            "INSERT INTO novu_runs (id, transaction_id, workflow_id, subscriber_id, subscriber, status, error, "
            "created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            runs,
        )
    conn.execute("ANALYZE")
    conn.close()


def median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(count: int, loads: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "runs.sqlite3")
        t0 = time.perf_counter()
        fill(path, count)
        print(f"{count:>7} runs inserted in {time.perf_counter() - t0:.1f} s")
        with serve_studio(WORKFLOWS, path, start_worker=False) as s, httpx.Client(base_url=s.url) as c:

            def get(query: str) -> Any:
                r = c.get(f"api/runs?{query}")
                r.raise_for_status()
                return r.json()

            cursor = ""
            for _ in range(50):
                cursor = get(f"after={cursor}" if cursor else "")["next"]
            cases = {
                "api first page": "",
                "api status=failed": "status=failed",
                "api workflow+status": "workflow=welcome&status=canceled",
                "api subscriber": "subscriber=user-0042",
                "api last 24 h": f"since={int(time.time() * 1000) - 86_400_000}",
                "api page 51": f"after={cursor}",
            }
            for name, query in cases.items():
                get(query)
                out[name] = median_ms(lambda q=query: get(q), 15)
            if missing() is None:
                with chromium() as browser:
                    times = []
                    for _ in range(loads):
                        page = browser.new_page()
                        page.goto(s.url + "#/runs")
                        drawn = page.wait_for_function(
                            "() => document.querySelectorAll('table.runs tbody tr a').length > 0 "
                            "&& performance.now()",
                            polling="raf",
                        )
                        times.append(float(drawn.json_value()))
                        assert page.locator("table.runs tbody tr").count() == 50
                        page.close()
                    out["browser #/runs load"] = statistics.median(times)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--reference", type=int, default=1_000)
    parser.add_argument("--loads", type=int, default=7)
    args = parser.parse_args()
    small = measure(args.reference, args.loads)
    big = measure(args.runs, args.loads)
    print(f"\n{'median ms':<22}{args.reference:>10}{args.runs:>10}  ratio")
    for name in big:
        print(f"{name:<22}{small[name]:>10.1f}{big[name]:>10.1f}  {big[name] / small[name]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
