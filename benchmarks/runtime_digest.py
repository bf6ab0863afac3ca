"""Deliveries saved by a digest: 1000 events for one subscriber within one window → how many emails.

    python benchmarks/runtime_digest.py [--events 1000] [--window 2]

The events are triggered concurrently in this process; a worker process runs the digest → email
workflow with a real SMTP server (aiosmtpd, another process). Prints events, emails received,
deliveries saved and how long the digest took to close and deliver after its window.
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
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--window", type=float, default=2.0, help="digest window in seconds")
    args = parser.parse_args()
    os.environ["NOVU_BENCH_WINDOW"] = str(args.window)

    from runtime_common import SmtpSink, start_workers, stop_workers, wait_finished
    from runtime_workflows import digest_only

    from novu_framework.runtime import Runtime

    db = str(Path(tempfile.mkdtemp(prefix="novu-bench-")) / "runtime.sqlite3")
    sink = SmtpSink()
    runtime = Runtime([digest_only], store=db)
    await runtime.ready()
    workers = start_workers(db, sink.port, 1, 64)
    subscriber = {"subscriberId": "reader", "email": "reader@example.com"}
    try:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                runtime.trigger(digest_only, subscriber, {"item": f"item-{i}", "n": i})
                for i in range(args.events)
            )
        )
        finished = await wait_finished(runtime, args.events, timeout=120)
        runs = await runtime.history(limit=args.events + 1)
    finally:
        stop_workers(workers)
        emails = sink.stop()
        await runtime.close()

    statuses = collections.Counter(r.status for r in runs)
    leaders = [r for r in runs if r.status == "completed"]
    counts = [next(s.result["eventCount"] for s in r.steps if s.step_id == "batch") for r in leaders]
    print(f"events: {args.events}; runs: {dict(statuses)}; events per digest: {counts}")
    print(
        f"emails received: {emails}; deliveries saved: {args.events - emails} "
        f"({(args.events - emails) / args.events:.1%})"
    )
    print(f"done {finished - started:.2f} s after the first event (window {args.window:g} s)")
    if sum(counts) != args.events:
        raise SystemExit("some events were not digested")


if __name__ == "__main__":
    asyncio.run(main())
