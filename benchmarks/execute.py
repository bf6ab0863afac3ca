"""In-process execute, three workflow styles, through the core and through each adapter's app, against
the TypeScript reference in the same run.

    python benchmarks/execute.py [--rounds 7] [--iterations 500] [--paths ...] [--json FILE]

The workflow (``execute_workflows.py``): an email step with Liquid controls after a replayed in-app
step, a JSON Schema payload, sanitised outputs, written three ways: ``async def`` resolvers, sync
lambdas in an ``async def`` workflow (the quickstart style), and a ``def`` workflow. Each is run

- through the core's ``execute()`` (what the reference's ``Client.executeWorkflow`` does),
- through ``NovuRequestHandler.handle`` / ``handle_sync`` (signed request: verify, parse, dump),
- through each adapter's app built as a user would and called in-process with an ASGI scope or a
  WSGI environ (``execute_apps.py``): FastAPI, Flask, Django WSGI, Django ASGI.

Rounds of ours and of the reference (a persistent Node process, ``execute_reference.mjs``) take
turns, so drift on a shared machine hits both alike; figures are medians over the rounds. A ratio
is the median over rounds of ours / the reference's ``executeWorkflow`` with async resolvers (its
documented form) measured next to it. The adapter layer's own cost is the app's time minus the
handler's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(HERE)]

import execute_apps  # noqa: E402
from execute_workflows import EXPECTED_OUTPUTS, STYLES, request  # noqa: E402

from novu_framework.execution import execute  # noqa: E402

REFERENCE_DIR = ROOT / ".reference"
WARMUP = 200
TARGET_RATIO = 1.0

# path name -> (label, async?, factory returning a caller taking a workflow id)
PATHS: dict[str, tuple[str, bool, Callable[[], Any]]] = {
    "handler": ("bridge handler, async", True, execute_apps.handler_async),
    "handler_sync": ("bridge handler, sync", False, execute_apps.handler_sync),
    "fastapi": ("FastAPI app", True, execute_apps.fastapi_app),
    "flask": ("Flask app", False, execute_apps.flask_app),
    "django_wsgi": ("Django WSGI app", False, execute_apps.django_wsgi_app),
    "django_asgi": ("Django ASGI app", True, execute_apps.django_asgi_app),
}
# adapter path -> the handler path it wraps
ADAPTER_OVER = {
    "fastapi": "handler",
    "flask": "handler_sync",
    "django_wsgi": "handler_sync",
    "django_asgi": "handler",
}


class Reference:
    """The reference's engine in a Node process that measures on request."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", str(HERE / "execute_reference.mjs"), str(REFERENCE_DIR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "READY":
            raise RuntimeError("the reference benchmark did not start")

    def measure(self, style: str, iterations: int) -> tuple[float, dict[str, Any]]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{style} {iterations}\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return float(answer["us_per_op"]), answer["outputs"]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def _time_async(call: Callable[[], Awaitable[Any]], iterations: int) -> float:
    for _ in range(WARMUP):
        await call()
    start = time.perf_counter()
    for _ in range(iterations):
        await call()
    return (time.perf_counter() - start) / iterations * 1e6


def _time_sync(call: Callable[[], Any], iterations: int) -> float:
    for _ in range(WARMUP):
        call()
    start = time.perf_counter()
    for _ in range(iterations):
        call()
    return (time.perf_counter() - start) / iterations * 1e6


def _check(label: str, status: int, body: bytes) -> None:
    if status != 200:
        raise RuntimeError(f"{label}: HTTP {status} {body[:300]!r}")
    outputs = json.loads(body)["outputs"]
    if outputs != EXPECTED_OUTPUTS:
        raise RuntimeError(f"{label}: rendered {outputs!r}, expected {EXPECTED_OUTPUTS!r}")


def run(rounds: int, iterations: int, paths: list[str]) -> dict[str, Any]:
    """Every figure in µs/op: ``samples[(style, path)]`` and ``reference[style]`` lists, one per round."""
    loop = asyncio.new_event_loop()
    callers: dict[str, Any] = {}
    for name in paths:
        factory = PATHS[name][2]
        callers[name] = factory()
    for style, (_, wf) in STYLES.items():
        outputs = loop.run_until_complete(execute(wf, request(wf.id))).outputs
        if outputs != EXPECTED_OUTPUTS:
            raise RuntimeError(f"core, {style}: rendered {outputs!r}")
        for name in paths:
            caller = callers[name]
            answer = loop.run_until_complete(caller(wf.id)) if PATHS[name][1] else caller(wf.id)
            _check(f"{name}, {style}", *answer)

    reference = Reference()
    samples: dict[str, list[float]] = {}
    round_ratios: dict[str, list[float]] = {}
    ref: dict[str, list[float]] = {"async": [], "sync": []}
    try:
        for ref_style in ref:
            _, outputs = reference.measure(ref_style, 100)
            if outputs != EXPECTED_OUTPUTS:
                raise RuntimeError(f"reference ({ref_style}) rendered {outputs!r}")
        for _ in range(rounds):
            ref["sync"].append(reference.measure("sync", iterations)[0])
            for style, (_, wf) in STYLES.items():
                wf_id = wf.id

                async def core(wf: Any = wf) -> Any:
                    return await execute(wf, request(wf.id))

                timers: dict[str, Callable[[], float]] = {
                    "core": lambda core=core: loop.run_until_complete(_time_async(core, iterations))
                }
                for name in paths:
                    caller = callers[name]
                    if PATHS[name][1]:
                        timers[name] = lambda c=caller, i=wf_id: loop.run_until_complete(
                            _time_async(lambda: c(i), iterations)
                        )
                    else:
                        timers[name] = lambda c=caller, i=wf_id: _time_sync(lambda: c(i), iterations)
                for name, timer in timers.items():
                    # The reference is measured right before each figure of ours, so that each
                    # per-round ratio compares two figures taken within a fraction of a second.
                    ref_us = reference.measure("async", iterations)[0]
                    ref["async"].append(ref_us)
                    figure = timer()
                    samples.setdefault(f"{style}/{name}", []).append(figure)
                    round_ratios.setdefault(f"{style}/{name}", []).append(figure / ref_us)
    finally:
        reference.close()
        loop.close()
    return {
        "samples": samples,
        "round_ratios": round_ratios,
        "reference": ref,
        "rounds": rounds,
        "iterations": iterations,
    }


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """Medians, ratios to the reference's async form, and the adapter layers' own cost.

    A ratio is the median over rounds of (ours / the reference measured next to it), which pairs
    figures taken close in time and so resists a shared machine's drift better than a ratio of medians.
    """
    ref_async = statistics.median(raw["reference"]["async"])
    ref_sync = statistics.median(raw["reference"]["sync"])
    medians = {key: statistics.median(values) for key, values in raw["samples"].items()}
    ratios = {key: statistics.median(values) for key, values in raw["round_ratios"].items()}
    layers = {}
    for key, value in medians.items():
        style, name = key.split("/")
        over = ADAPTER_OVER.get(name)
        if over is not None and f"{style}/{over}" in medians:
            layers[key] = value - medians[f"{style}/{over}"]
    return {
        "reference_async_us": ref_async,
        "reference_sync_us": ref_sync,
        "median_us": medians,
        "ratio": ratios,
        "adapter_layer_us": layers,
    }


def print_table(summary: dict[str, Any], raw: dict[str, Any], paths: list[str]) -> None:
    ref_async = summary["reference_async_us"]
    print(
        f"execute in-process: email after a replayed in_app, medians of {raw['rounds']} rounds "
        f"x {raw['iterations']} (µs/op; ratio: median of per-round ours/reference)"
    )
    print(
        f"  reference Client.executeWorkflow: {ref_async:.1f} µs (async resolvers), "
        f"{summary['reference_sync_us']:.1f} µs (sync arrows)"
    )
    header = "".join(f"{STYLES[s][0]:>32}" for s in STYLES)
    print(f"  {'path':<26}{header}")
    labels = {"core": "core execute()", **{name: PATHS[name][0] for name in paths}}
    for name in ["core", *paths]:
        cells = []
        for style in STYLES:
            key = f"{style}/{name}"
            us = summary["median_us"][key]
            cells.append(f"{us:9.1f} µs  ref {ref_async:6.1f}  {summary['ratio'][key]:5.2f}x")
        print(f"  {labels[name]:<26}" + "".join(f"{c:>32}" for c in cells))
    print("  adapter layer's own cost (app minus the handler it wraps):")
    for name in paths:
        if name not in ADAPTER_OVER:
            continue
        cells = [f"{summary['adapter_layer_us'][f'{style}/{name}']:+9.1f} µs" for style in STYLES]
        print(f"  {'  ' + labels[name]:<26}" + "".join(f"{c:>32}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument(
        "--paths", default=",".join(PATHS), help="comma-separated subset of " + ",".join(PATHS)
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (REFERENCE_DIR / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return 1
    paths = [p for p in args.paths.split(",") if p]
    raw = run(args.rounds, args.iterations, paths)
    summary = summarise(raw)
    print_table(summary, raw, paths)
    if args.json:
        args.json.write_text(json.dumps({**summary, "raw": raw}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
