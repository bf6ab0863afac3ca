"""Shared helpers of the runtime benchmarks: an SMTP sink process, worker processes, waiting, percentiles."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, novu_cli  # noqa: E402

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller
count = 0
class H:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        return "250 OK"
c = Controller(H(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.readline()
print(count, flush=True)
c.stop()
"""


class SmtpSink:
    """A real SMTP server (aiosmtpd) in its own process, counting the messages it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"

    def stop(self) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        count = int(self.proc.stdout.readline())
        self.proc.wait(10)
        return count


def start_workers(db: str, smtp_port: int, count: int, concurrency: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "NOVU_SMTP_HOST": "127.0.0.1",
        "NOVU_SMTP_PORT": str(smtp_port),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
    }
    workers = [
        subprocess.Popen(
            novu_cli("--db", db, "worker", "runtime_workflows", "--concurrency", str(concurrency)),
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    for w in workers:
        assert w.stdout is not None and w.stdout.readline().startswith(b"novu-framework worker")
    return workers


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for w in workers:
        w.terminate()
    for w in workers:
        w.wait(10)


async def wait_finished(runtime: Any, expected: int, timeout: float) -> float:
    """Poll until ``expected`` runs have finished; the time at which they had."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        counts = await runtime.status_counts()
        if sum(counts.get(s, 0) for s in ("completed", "merged", "failed")) == expected:
            return time.perf_counter()
        await asyncio.sleep(0.05)
    raise SystemExit(f"runs did not finish within {timeout} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]
