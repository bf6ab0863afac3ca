"""Cold start: process start to the first health-check answer, ours against the reference in the same run.

    python benchmarks/cold_start.py [--runs 7] [--frameworks fastapi,flask,django] [--imports]

Each run starts a fresh process (``cold_start_app.py`` for ours, ``cold_start_reference.mjs`` for the
TypeScript reference behind Express) on a free port of 127.0.0.1 and polls
``GET /api/novu?action=health-check`` every 2 ms until it answers 200; the figure is the time from
``Popen`` to that answer. Runs of ours and of the reference alternate, so a shared machine's drift
hits both alike; figures are medians, the ratio is the median of per-run ratios.

Python runs as installed: with bytecode (``pip install`` compiles it). The children get a private
``PYTHONPYCACHEPREFIX`` with ``PYTHONDONTWRITEBYTECODE`` unset, and a first run of each, which
writes the bytecode, is not counted; without bytecode every import is compiled from source first. ``--imports`` also
prints the slowest imports of the FastAPI app (``python -X importtime``). ``fastapi-bare`` is the
floor: uvicorn and FastAPI answering a fixed JSON at the same URL, without novu-framework.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, stop_process  # noqa: E402

REFERENCE_DIR = ROOT / ".reference"
TIMEOUT_S = 30.0
FRAMEWORKS = ("fastapi", "fastapi-bare", "flask", "django")
REQUEST = b"GET /api/novu?action=health-check HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def _health_status(port: int) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(REQUEST)
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


PYCACHE = Path(tempfile.gettempdir()) / "novu-framework-cold-start-pycache"


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(PYCACHE)}


def time_to_first_answer(command: list[str], port: int) -> float:
    """Seconds from starting ``command`` to a 200 health-check on ``port``; the process is then stopped."""
    env = child_env()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            status = _health_status(port)
            elapsed = time.perf_counter() - started
            if status == 200:
                return elapsed
            if status is not None:
                raise RuntimeError(f"{command[:3]}: health-check answered HTTP {status}")
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"{command[:3]} exited with {proc.returncode}: {err[-2000:]}")
            if elapsed > TIMEOUT_S:
                raise RuntimeError(f"{command[:3]} gave no health-check answer within {TIMEOUT_S:.0f} s")
            time.sleep(0.002)
    finally:
        stop_process(proc)


def ours(framework: str, port: int) -> list[str]:
    return [sys.executable, str(HERE / "cold_start_app.py"), framework, str(port)]


def reference(port: int) -> list[str]:
    return ["node", str(HERE / "cold_start_reference.mjs"), str(REFERENCE_DIR), str(port)]


def measure(runs: int, frameworks: list[str]) -> dict[str, dict[str, list[float]]]:
    samples: dict[str, dict[str, list[float]]] = {
        fw: {"ours": [], "ref": [], "ratio": []} for fw in frameworks
    }
    for fw in frameworks:  # writes the bytecode; not counted
        port = free_port()
        time_to_first_answer(ours(fw, port), port)
    for _ in range(runs):
        for fw in frameworks:
            port = free_port()
            ref_s = time_to_first_answer(reference(port), port)
            port = free_port()
            our_s = time_to_first_answer(ours(fw, port), port)
            samples[fw]["ours"].append(our_s)
            samples[fw]["ref"].append(ref_s)
            samples[fw]["ratio"].append(our_s / ref_s)
    return samples


def summarise(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {
        fw: {
            "ours_s": statistics.median(values["ours"]),
            "reference_s": statistics.median(values["ref"]),
            "ratio": statistics.median(values["ratio"]),
        }
        for fw, values in samples.items()
    }


def slowest_imports(limit: int = 15) -> list[tuple[float, str]]:
    """The modules whose import (with what they import) took longest in the FastAPI app."""
    code = "import novu_framework, novu_framework_fastapi, fastapi, uvicorn"
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows: list[tuple[float, str]] = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]) / 1000, parts[2].rstrip()))
    return sorted(rows, reverse=True)[:limit]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--imports", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not (REFERENCE_DIR / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return 1
    frameworks = [fw for fw in args.frameworks.split(",") if fw]
    samples = measure(args.runs, frameworks)
    summary = summarise(samples)
    print(f"cold start: process start to the first health-check answer, medians of {args.runs} runs")
    for fw, figures in summary.items():
        print(
            f"  {fw:<8} ours {figures['ours_s'] * 1000:7.0f} ms   reference (express) "
            f"{figures['reference_s'] * 1000:7.0f} ms   ratio {figures['ratio']:5.2f}x"
        )
    if args.imports:
        print("  slowest imports of the FastAPI app (cumulative ms):")
        for ms, name in slowest_imports():
            print(f"    {ms:7.1f}  {name}")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "samples": samples}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
