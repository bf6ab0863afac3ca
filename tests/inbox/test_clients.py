"""The real @novu/js clients (3.12.0 and 3.19.2, pinned) against the Inbox API served by the test
server: every call of the minimal subset, and a workflow's in-app message arriving over socket.io."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable

import pytest

from tests.inbox.clients import REPO, VERSIONS, require_clients
from tests.inbox.conftest import Server
from tests.servers import novu_cli


def seed(server: Server) -> None:
    """Three comments and a news message for sub-1 (in this order), one comment for sub-2."""
    token = server.session("sub-1")
    for i, (workflow, payload) in enumerate(
        [("comment", {"n": 0}), ("comment", {"n": 1}), ("comment", {"n": 2}), ("news", {"title": "News"})]
    ):
        server.trigger(workflow, "sub-1", payload)
        server.wait_for(token, i + 1)
    server.trigger("comment", "sub-2", {"n": 5})
    server.wait_for(server.session("sub-2"), 1)


def drive(server: Server, version: str, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    js = require_clients()
    done = subprocess.run(
        ["node", "drive.mjs", f"novu-js-{version}", server.url],
        cwd=js,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=90,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    failed = [line for line in lines if line.get("ok") is False]
    assert not failed, f"failed checks: {failed}\nstderr: {done.stderr[-2000:]}"
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return lines


@pytest.mark.parametrize("version", VERSIONS)
def test_every_call_and_real_time(make_server: Callable[..., Server], version: str) -> None:
    server = make_server()
    seed(server)
    lines = drive(server, version)
    names = {str(line["check"]) for line in lines if "check" in line}
    assert len(names) >= 27 and "notification_received from a workflow" in names
    assert any(line.get("done") and line.get("failed") == 0 for line in lines)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_message_from_a_worker_in_another_process(
    make_server: Callable[..., Server], request: pytest.FixtureRequest, database: str
) -> None:
    """The API process runs no worker: a `novu-framework worker` elsewhere commits the messages, and
    the API finds them by polling the SQLite file, or by LISTEN on PostgreSQL."""
    db = None if database == "sqlite" else request.getfixturevalue("postgres").fresh_database()
    server = make_server("--no-worker", "--poll-interval", "0.1", db=db)
    worker = subprocess.Popen(
        novu_cli("--db", server.db, "worker", "tests.inbox.apps"),
        cwd=str(REPO),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        seed(server)
        lines = drive(server, VERSIONS[0])
        assert any(line.get("check") == "notification_received from a workflow" for line in lines)
    finally:
        worker.terminate()
        worker.wait(10)
