"""Accept latency of a burst: 1000 triggers issued in the same instant in one process, on SQLite.

    python benchmarks/runtime_burst.py [--rounds 7] [--triggers 1000] [--loop asyncio|uvloop|both]

Each round issues ``--triggers`` triggers of the throughput benchmark's workflow at once
(``asyncio.gather``) and records, per trigger, the time from the call to ``trigger()`` until it
returned, which is once the run is committed to the database. No worker runs the runs, so the figure
is the accept path alone (``runtime_throughput.py`` measures it with workers running beside it).
Prints p50, p99 and max per round and their medians over the rounds.

``--loop uvloop`` runs it on uvloop, the loop uvicorn picks where it is installed (the ``fastapi``
extra brings it); ``--loop both`` measures on each, one after the other. The two give the same figures
within this machine's spread: the accept path's time is ours and SQLite's, not the loop's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]


async def _rounds(rounds: int, triggers: int) -> list[tuple[float, float, float]]:
    from runtime_workflows import WORKFLOWS

    from novu_framework.runtime import Runtime

    workflow = WORKFLOWS["lambda"]
    runtime = Runtime([workflow], store=str(Path(tempfile.mkdtemp(prefix="novu-burst-")) / "runtime.sqlite3"))
    await runtime.ready()
    figures: list[tuple[float, float, float]] = []
    try:
        for number in range(rounds + 1):  # the first round warms caches and statements: not counted
            latencies: list[float] = []

            async def one(i: int, number: int = number, latencies: list[float] = latencies) -> None:
                subscriber = {"subscriberId": f"user-{number}-{i}", "email": f"user-{i}@example.com"}
                started = time.perf_counter()
                await runtime.trigger(workflow, subscriber, {"item": f"item-{i}", "n": i})
                latencies.append((time.perf_counter() - started) * 1000)

            gc.collect()
            await asyncio.gather(*(one(i) for i in range(triggers)))
            await asyncio.sleep(0.05)
            latencies.sort()
            if number:
                p50 = latencies[len(latencies) // 2]
                p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
                figures.append((p50, p99, latencies[-1]))
    finally:
        await runtime.close()
    return figures


def _run(loop: str, rounds: int, triggers: int) -> list[tuple[float, float, float]]:
    if loop == "uvloop":
        import uvloop

        return uvloop.run(_rounds(rounds, triggers))
    return asyncio.run(_rounds(rounds, triggers))


def measure(rounds: int = 7, triggers: int = 1000, loop: str = "asyncio") -> dict[str, float]:
    """Medians over ``rounds`` bursts of p50, p99 and max accept latency, in milliseconds."""
    figures = _run(loop, rounds, triggers)
    return {
        "p50_ms": statistics.median(f[0] for f in figures),
        "p99_ms": statistics.median(f[1] for f in figures),
        "max_ms": statistics.median(f[2] for f in figures),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--triggers", type=int, default=1000)
    parser.add_argument("--loop", choices=["asyncio", "uvloop", "both"], default="asyncio")
    args = parser.parse_args()
    for loop in ["asyncio", "uvloop"] if args.loop == "both" else [args.loop]:
        figures = _run(loop, args.rounds, args.triggers)
        print(
            f"burst of {args.triggers} triggers at once, SQLite, accept path only ({args.rounds} rounds,"
            f" {loop} loop)"
        )
        for p50, p99, most in figures:
            print(f"  p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {most:6.2f} ms")
        p99s = [f[1] for f in figures]
        print(
            f"median p50 {statistics.median(f[0] for f in figures):.2f} ms, "
            f"p99 {statistics.median(p99s):.2f} ms (best {min(p99s):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
