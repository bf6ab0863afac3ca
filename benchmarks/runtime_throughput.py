"""1000 concurrent triggers of an in_app → digest → email workflow on SQLite, with real SMTP delivery.

    python benchmarks/runtime_throughput.py [--runs 1000] [--workers 2] [--window 1] [--rate 0]
                                            [--resolvers lambda|async]

Triggers are accepted in this process (as a web app would) while worker processes (``novu-framework
worker``) run the steps; email goes to a real SMTP server (aiosmtpd) in another process. Every
subscriber is distinct, so each run executes all three steps. Prints the trigger-accept latency
(p50/p99: from the call to ``trigger()`` until the run is durably stored; ``--rate`` spreads the
triggers over time instead of issuing them all at once), how long until every run
had completed, and steps per second, over the whole run and with the digest window's idle wait left out.
``--resolvers`` picks the workflow: sync lambda resolvers (the default; an ``async def`` handler calls
them in place) or ``async def`` resolvers (awaited on the event loop).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker processes (0: the worker runs in the triggering process)",
    )
    parser.add_argument("--concurrency", type=int, default=64, help="runs advanced at once per worker")
    parser.add_argument("--window", type=float, default=1.0, help="digest window in seconds")
    parser.add_argument(
        "--rate", type=float, default=0, help="triggers per second, spread evenly (default 0: all at once)"
    )
    parser.add_argument(
        "--resolvers",
        choices=("lambda", "async"),
        default="lambda",
        help="the workflow's step resolvers: sync lambdas (called in place) or async def",
    )
    args = parser.parse_args()
    os.environ["NOVU_BENCH_WINDOW"] = str(args.window)

    from runtime_common import SmtpSink, percentile, start_workers, stop_workers, wait_finished
    from runtime_workflows import WORKFLOWS

    from novu_framework.runtime import Runtime, SmtpSettings

    workflow = WORKFLOWS[args.resolvers]
    db = str(Path(tempfile.mkdtemp(prefix="novu-bench-")) / "runtime.sqlite3")
    sink = SmtpSink()
    runtime = Runtime(
        [workflow], store=db, email=SmtpSettings("127.0.0.1", sink.port), concurrency=args.concurrency
    )
    await runtime.ready()
    workers = start_workers(db, sink.port, args.workers, args.concurrency)
    if not args.workers:
        await runtime.start()
    latencies: list[float] = []

    async def one(i: int) -> None:
        if args.rate:
            await asyncio.sleep(i / args.rate)
        subscriber = {"subscriberId": f"user-{i}", "email": f"user-{i}@example.com"}
        t0 = time.perf_counter()
        await runtime.trigger(workflow, subscriber, {"item": f"item-{i}", "n": i})
        latencies.append((time.perf_counter() - t0) * 1000)

    try:
        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(args.runs)))
        accepted = time.perf_counter()
        finished = await wait_finished(runtime, args.runs, timeout=300)
        runs = await runtime.history(limit=args.runs + 1)
    finally:
        stop_workers(workers)
        emails = sink.stop()
        await runtime.close()

    statuses = collections.Counter(r.status for r in runs)
    kind = "sync lambdas, called in place" if args.resolvers == "lambda" else "async def"
    print(f"workflow {workflow.id}: in_app -> digest -> email; resolvers: {kind}")
    steps = sum(len(r.steps) for r in runs)
    wall = finished - started
    print(
        f"runs: {args.runs} triggered, {dict(statuses)}; steps recorded: {steps}; emails received: {emails}"
    )
    arrival = "all at once" if not args.rate else f"{args.rate:g}/s"
    print(
        f"trigger accept latency ({arrival}): p50 {percentile(latencies, 50):.2f} ms, "
        f"p99 {percentile(latencies, 99):.2f} ms, "
        f"max {max(latencies):.2f} ms; all {args.runs} accepted in {(accepted - started) * 1000:.0f} ms"
    )
    print(
        f"all runs completed {wall:.2f} s after the first trigger (digest window {args.window:g} s, "
        f"{args.workers or 'no separate'} worker process(es), {os.cpu_count()} CPUs)"
    )
    print(
        f"steps/s: {steps / wall:.0f} over the whole run; "
        f"{steps / max(1e-9, wall - args.window):.0f} without the digest window's idle wait"
    )
    if statuses.get("completed") != args.runs or emails != args.runs:
        raise SystemExit("not every run completed with one email")


if __name__ == "__main__":
    asyncio.run(main())
