"""``novu-framework dev`` serves the Studio beside the bridge, and refuses a public address unasked."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.studio.server import free_port

REPO = Path(__file__).resolve().parents[2]


def _dev(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    # The example app builds its bridge router at import, which needs a key (any, unsigned requests allowed).
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NOVU_SECRET_KEY": "studio-test",
        "NOVU_STRICT_AUTHENTICATION_ENABLED": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "novu_framework.cli", "--db", str(tmp_path / "dev.sqlite3"), "dev", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_dev_prints_and_serves_the_studio(tmp_path: Path) -> None:
    port = free_port()
    # The app's WORKFLOWS list: the loader finds workflows defined at module level, or the attribute named.
    server = _dev(tmp_path, "examples/fastapi/app.py:WORKFLOWS", "--port", str(port))
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if line.startswith("Studio: ") or not line:
                break
        assert line.strip() == f"Studio: http://127.0.0.1:{port}/studio/"
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as c:
            for _ in range(100):
                try:
                    page = c.get("/studio/")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert page.status_code == 200 and "assets/studio.js" in page.text
            found = c.get("/studio/api/workflows").json()["workflows"]
            assert [w["workflowId"] for w in found] == ["welcome", "comment-digest"]
            assert c.get("/api/novu", params={"action": "health-check"}).json()["status"] == "ok"
    finally:
        server.terminate()
        server.wait(20)


def test_dev_refuses_a_public_host_without_allow_remote(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "novu_framework.cli",
            "--db",
            str(tmp_path / "x.sqlite3"),
            "dev",
            "examples/fastapi/app.py:WORKFLOWS",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "NOVU_SECRET_KEY": "studio-test"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "only on a loopback address" in done.stderr and "--allow-remote" in done.stderr
