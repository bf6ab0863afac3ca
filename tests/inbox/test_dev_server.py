"""The pinned @novu/js clients against ``novu-framework dev`` itself: the command a developer runs serves
the Inbox API and its socket.io channel beside the bridge, and a run triggered from another process
(``novu-framework trigger`` on the same store) reaches the page live."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.inbox.clients import VERSIONS
from tests.inbox.conftest import REPO, Server, stop_server
from tests.inbox.test_clients import drive, seed
from tests.servers import free_port, novu_cli, wait_until_answering


class DevServer(Server):
    """``novu-framework dev tests.inbox.apps``; triggers go through ``novu-framework trigger``."""

    def trigger_argv(self) -> list[str]:
        return novu_cli("--db", self.db, "trigger", "--app", "tests.inbox.apps")

    def trigger(self, workflow: str, to: str, payload: dict[str, Any] | None = None) -> str:
        argv = [*self.trigger_argv(), workflow, "--to", to, "--payload", json.dumps(payload or {})]
        done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[DevServer]:
    port = free_port()
    db = str(tmp_path / "dev.sqlite3")
    process = subprocess.Popen(
        novu_cli("--db", db, "dev", "tests.inbox.apps", "--port", str(port)),
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if k not in ("NOVU_SECRET_KEY", "NOVU_API_KEY")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = DevServer(f"http://127.0.0.1:{port}", db, process)
    wait_until_answering(server.url + "/api/novu?action=health-check", process, "novu-framework dev")
    yield server
    stop_server(server)


@pytest.mark.parametrize("version", VERSIONS)
def test_the_clients_work_against_novu_framework_dev(dev: DevServer, version: str) -> None:
    seed(dev)
    lines = drive(
        dev, version, {"NOVU_TRIGGER_ARGV": json.dumps(dev.trigger_argv()), "PYTHONPATH": str(REPO)}
    )
    names = {str(line["check"]) for line in lines if "check" in line}
    assert "notification_received from a workflow" in names and len(names) >= 20, names
