"""Memory: an idle bridge process against the reference's, and what each accepted run costs the runtime.

    python benchmarks/memory.py [--runs 3] [--frameworks fastapi,flask,django] [--triggers 10000]

Idle bridge: the apps of ``cold_start.py`` (ours per framework, the TypeScript reference behind
Express), each started fresh on 127.0.0.1 and asked for a health-check, a discover and ten more
health-checks; then the resident set size (``VmRSS`` in ``/proc/PID/status``) is read. Medians of
``--runs`` starts, ours and the reference alternating; the ratio is ours over the reference's.

Per accepted run: a ``Runtime`` on a SQLite file in this process accepts ``--triggers`` triggers in
bursts of 1000 (no worker runs them). Printed: the Python heap a run leaves behind once accepted
(``tracemalloc``, after a full collection: the runs live in the database, not in memory), the peak
heap a trigger holds while its burst is in flight, and the growth of this process's resident set
per accepted run. The reference has no embedded runtime (triggers go to the Novu cloud), so these
figures have nothing beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import cold_start  # noqa: E402

from tests.servers import free_port, http_status, stop_process, wait_until_answering  # noqa: E402

BURST = 1000


def rss_kib(pid: int) -> int:
    """The resident set size of process ``pid`` in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def idle_rss(command: list[str], port: int) -> int:
    """KiB resident in the process of ``command`` once it has answered a few bridge requests."""
    proc = subprocess.Popen(
        command,
        cwd=cold_start.ROOT,
        env=cold_start.child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/api/novu"
    try:
        status = wait_until_answering(
            f"{url}?action=health-check", proc, command[1], timeout=cold_start.TIMEOUT_S
        )
        if status != 200:
            raise RuntimeError(f"{command[:3]}: health-check answered HTTP {status}")
        http_status(f"{url}?action=discover")
        for _ in range(10):
            http_status(f"{url}?action=health-check")
        time.sleep(0.2)
        return rss_kib(proc.pid)
    finally:
        stop_process(proc)


def measure_idle(runs: int, frameworks: list[str]) -> dict[str, dict[str, float]]:
    samples: dict[str, dict[str, list[int]]] = {fw: {"ours": [], "ref": []} for fw in frameworks}
    for _ in range(runs):
        for fw in frameworks:
            port = free_port()
            samples[fw]["ref"].append(idle_rss(cold_start.reference(port), port))
            port = free_port()
            samples[fw]["ours"].append(idle_rss(cold_start.ours(fw, port), port))
    return {
        fw: {
            "ours_mib": statistics.median(s["ours"]) / 1024,
            "reference_mib": statistics.median(s["ref"]) / 1024,
            "ratio": statistics.median(s["ours"]) / statistics.median(s["ref"]),
        }
        for fw, s in samples.items()
    }


async def measure_runs(triggers: int) -> dict[str, float]:
    from runtime_workflows import WORKFLOWS

    from novu_framework.runtime import Runtime

    workflow = WORKFLOWS["lambda"]
    runtime = Runtime([workflow], store=str(Path(tempfile.mkdtemp(prefix="novu-mem-")) / "runtime.sqlite3"))
    await runtime.ready()

    async def burst(start: int) -> None:
        await asyncio.gather(
            *(
                runtime.trigger(workflow, {"subscriberId": f"user-{i}"}, {"item": f"item-{i}", "n": i})
                for i in range(start, start + BURST)
            )
        )
        await asyncio.sleep(0.05)  # the loop runs what the store's thread handed it last

    try:
        await burst(-BURST)  # warm: caches, statements, the store's threads
        gc.collect()
        rss_before = rss_kib_self()
        tracemalloc.start()
        gc.collect()
        heap_before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        await burst(0)
        _, peak = tracemalloc.get_traced_memory()
        for start in range(BURST, triggers, BURST):
            await burst(start)
        gc.collect()
        heap_after, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = rss_kib_self()
    finally:
        await runtime.close()
    accepted = (triggers // BURST) * BURST
    return {
        "accepted": accepted,
        "retained_bytes_per_run": (heap_after - heap_before) / accepted,
        "in_flight_bytes_per_trigger": (peak - heap_before) / BURST,
        "rss_bytes_per_run": (rss_after - rss_before) * 1024 / accepted,
    }


def rss_kib_self() -> int:
    import os

    return rss_kib(os.getpid())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frameworks", default="fastapi,flask,django")
    parser.add_argument("--triggers", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (cold_start.REFERENCE_DIR / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return 1
    frameworks = [fw for fw in args.frameworks.split(",") if fw]
    idle = measure_idle(args.runs, frameworks)
    print(f"idle bridge process (resident set after 12 requests), medians of {args.runs} starts")
    for fw, figures in idle.items():
        print(
            f"  {fw:<8} ours {figures['ours_mib']:6.1f} MiB   reference (express) "
            f"{figures['reference_mib']:6.1f} MiB   ratio {figures['ratio']:5.2f}x"
        )
    runs = asyncio.run(measure_runs(max(BURST, args.triggers)))
    print(f"runtime, {runs['accepted']:.0f} triggers accepted in bursts of {BURST} (SQLite, no worker):")
    print(f"  Python heap left per accepted run: {runs['retained_bytes_per_run']:8.1f} B")
    print(f"  peak heap per trigger in flight:   {runs['in_flight_bytes_per_trigger']:8.0f} B")
    print(f"  resident set growth per run:       {runs['rss_bytes_per_run']:8.1f} B")
    if args.json:
        args.json.write_text(json.dumps({"idle": idle, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
