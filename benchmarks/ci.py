"""The short benchmark lane: fails when a ratio to the TypeScript reference regresses past its target.

    python benchmarks/ci.py [--margin 1.5] [--json FILE]

Runs a short ``execute.py`` (the three workflow styles through the core, the async handler and the
FastAPI app) and a short ``cold_start.py``, each against the reference in the same run, and a short
``runtime_burst.py`` (its p99 accept latency against the 20 ms target), prints every figure beside
its target, and exits 1 if any ratio is above ``target x margin``. The margin
(1.5 by default) is wide because a shared 2-core machine moves single figures by tens of percent;
it still catches a lost fast path (a thread hop per step, an eager heavy import), which costs more.
A ratio past it is measured once more and fails only if both measurements are past it. About a
minute and a half.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import cold_start  # noqa: E402
import execute  # noqa: E402
import runtime_burst  # noqa: E402

# (what, target ratio). Execute: ours / the reference's Client.executeWorkflow. Cold start: ours /
# the reference behind Express, except FastAPI, whose own imports already exceed Node's start (see
# docs/PERFORMANCE.md): there the target is ours / the same app without novu-framework.
EXECUTE_TARGETS = {
    f"{style}/{path}": 1.0 for style in execute.STYLES for path in ("core", "handler", "fastapi")
}
COLD_START_TARGETS = {"flask": 1.0, "django": 1.0, "fastapi over fastapi-bare": 1.15}
# Burst: p99 accept latency of 1000 triggers at once, over 20 ms (a target, not a ratio). Its own
# margin is 2: on this 2-core machine the median moves between 21 and 33 ms from run to run, while
# a lost group commit (one transaction per trigger) costs several times more.
BURST_TARGET = {"burst p99 accept / 20 ms": 1.0}
MARGINS = {"burst p99 accept / 20 ms": 2.0}


def measure() -> tuple[dict[str, float], dict[str, float]]:
    """Every ratio of the lane and its target."""
    raw = execute.run(rounds=5, iterations=300, paths=["handler", "fastapi"])
    ratios = {f"execute {key}": value for key, value in execute.summarise(raw)["ratio"].items()}
    targets = {f"execute {key}": target for key, target in EXECUTE_TARGETS.items()}

    samples = cold_start.measure(5, ["fastapi", "fastapi-bare", "flask", "django"])
    starts = cold_start.summarise(samples)
    for fw in ("flask", "django"):
        ratios[f"cold start {fw}"] = starts[fw]["ratio"]
    over_bare = [
        o / b for o, b in zip(samples["fastapi"]["ours"], samples["fastapi-bare"]["ours"], strict=True)
    ]
    ratios["cold start fastapi over fastapi-bare"] = statistics.median(over_bare)
    targets.update({f"cold start {key}": target for key, target in COLD_START_TARGETS.items()})

    ratios["burst p99 accept / 20 ms"] = runtime_burst.measure(rounds=5)["p99_ms"] / 20
    targets.update(BURST_TARGET)
    return ratios, targets


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--margin", type=float, default=1.5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (execute.REFERENCE_DIR / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return 1

    ratios, targets = measure()

    def limit(key: str) -> float:
        return targets[key] * MARGINS.get(key, args.margin)

    failing = [key for key in targets if ratios[key] > limit(key)]
    if failing:  # a shared machine can stall one measurement: a regression must show twice
        print(f"re-measuring {', '.join(failing)}")
        again, _ = measure()
        ratios.update({key: min(ratios[key], again[key]) for key in failing})

    failed = []
    print(f"benchmark lane: ratio (target; fails above target x {args.margin})")
    for key, target in targets.items():
        ratio = ratios[key]
        bad = ratio > limit(key)
        failed += [key] if bad else []
        print(f"  {'FAIL' if bad else 'ok  '} {key:<42} {ratio:5.2f}x  (target {target:.2f}x)")
    if args.json:
        args.json.write_text(json.dumps({"ratios": ratios, "targets": targets}, indent=2))
    if failed:
        print(f"{len(failed)} ratio(s) regressed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
