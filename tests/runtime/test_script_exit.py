"""A short script that triggers on the default runtime and exits: no traceback, no run left claimed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio
from novu_framework import workflow

@workflow("hello")
async def hello(step):
    await step.in_app("inbox", lambda controls: {"body": "hi"})
    {extra}

{call}
print("triggered")
"""


def _run(tmp_path: Path, call: str, extra: str = "") -> tuple[subprocess.CompletedProcess[str], Path]:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT).replace("{call}", call).replace("{extra}", extra))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOVU_")}
    env.update(PYTHONPATH=str(ROOT), NOVU_RUNTIME_DB=str(tmp_path / "rt.sqlite3"))
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    return done, tmp_path / "rt.sqlite3"


def _runs(db: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT status, lease_owner FROM novu_runs"))


@pytest.mark.parametrize(
    "call",
    [
        'hello.trigger_sync(to="u1", payload={})',
        'asyncio.run(hello.trigger(to="u1", payload={}))',
    ],
)
def test_a_script_that_triggers_and_exits_delivers_and_leaves_nothing_claimed(
    tmp_path: Path, call: str
) -> None:
    done, db = _run(tmp_path, call)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "triggered"
    assert "Traceback" not in done.stderr and "cannot schedule" not in done.stderr, done.stderr
    # Its immediate steps ran before the process ended; nothing holds a lease.
    assert _runs(db) == [("completed", None)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM novu_inbox").fetchone() == (1,)


def test_a_run_that_waits_is_left_waiting_not_claimed(tmp_path: Path) -> None:
    extra = 'await step.delay("later", lambda controls: {"amount": 1, "unit": "hours"})'
    done, db = _run(tmp_path, 'hello.trigger_sync(to="u1", payload={})', extra)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    [(status, owner)] = _runs(db)
    assert owner is None and status == "waiting"
