"""The README's main command runs the example workflows end to end (scripts/demo.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_serves_the_bridge_and_runs_the_workflows_locally() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "health-check: ok, 2 workflows, 5 steps" in out
    assert (
        "welcome         bob  completed welcome-inbox:completed, wait-a-day:completed, welcome-email:skipped"
        in out
    )
    assert "comment-digest  ada  completed collect-comments:completed, digest-email:completed" in out
    assert out.count(" merged ") == 4
    assert "to ada@example.com: New comments on “Launch notes”" in out
    assert "to ada@example.com: Welcome to Acme, Ada!" in out
