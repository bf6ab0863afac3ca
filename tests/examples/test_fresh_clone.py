"""A stranger's path: clone the repository into an empty folder and run the README's main command.

The clone is of the committed HEAD, in a temporary directory with nothing beside it, so the test
proves the repository stands on its own. ``node``, ``npm``, ``apt-get`` and PostgreSQL's tools are
shadowed on ``PATH`` by stubs that record any call: the main command needs Python alone. pip's own
cache is kept, so a second run installs from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("node", "npm", "npx", "apt-get", "apt", "dpkg", "initdb", "pg_ctl", "psql", "sudo")


def _head() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed (bash scripts/setup-tests.sh installs it)")
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout, so there is no committed state to clone")
    return done.stdout.strip()


def _stub_bin(folder: Path, calls: Path) -> Path:
    folder.mkdir()
    for name in FORBIDDEN:
        stub = folder / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\nexit 97\n')
        stub.chmod(0o755)
    return folder


@pytest.mark.slow
def test_demo_from_a_fresh_clone_needs_python_alone(tmp_path: Path) -> None:
    head = _head()
    clone = tmp_path / "novu-framework"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["novu-framework"]

    calls = tmp_path / "forbidden-calls.log"
    stubs = _stub_bin(tmp_path / "stubs", calls)
    env = {
        k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "NOVU_REFERENCE_DIR"}
    }
    env["PATH"] = f"{stubs}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "scripts/demo.sh"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = done.stdout
    assert done.returncode == 0, out[-5000:] + done.stderr[-5000:]
    assert not calls.exists(), calls.read_text()
    assert not (clone / ".reference").exists() and not (clone / "node_modules").exists()

    assert "health-check: ok, 2 workflows, 5 steps" in out
    assert "inbox ada: 'Your workspace is ready, Ada." in out
    assert "inbox bob: 'Your workspace is ready, Bob." in out
    assert (
        "welcome         ada  completed welcome-inbox:completed, wait-a-day:completed, welcome-email:completed"
        in out
    )
    assert "comment-digest  ada  completed collect-comments:completed, digest-email:completed" in out
    assert "to ada@example.com: Welcome to Acme, Ada!" in out
    assert "to ada@example.com: New comments on “Launch notes”" in out
    assert "demo finished" in out
