"""Fixtures: the test server (tests/inbox/server.py) in a subprocess on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import free_port, stop_process, wait_until_answering

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    url: str
    db: str
    process: subprocess.Popen[str]

    def session(self, subscriber: str, **extra: Any) -> str:
        body = {"applicationIdentifier": "app", "subscriber": {"subscriberId": subscriber}, **extra}
        response = httpx.post(f"{self.url}/v1/inbox/session", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["data"]["token"])

    def trigger(self, workflow: str, to: str, payload: dict[str, Any] | None = None) -> str:
        response = httpx.post(
            f"{self.url}/test/trigger", json={"workflow": workflow, "to": to, "payload": payload}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["transactionId"])

    def wait_for(self, token: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The subscriber's notifications once there are at least ``count``."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.get("/v1/inbox/notifications?limit=100", token).json()["data"]
            if len(got) >= count or time.monotonic() > deadline:
                assert len(got) >= count, f"{len(got)} notifications after {timeout} s, expected {count}"
                return list(got)
            time.sleep(0.02)

    def get(self, path: str, token: str | None = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.get(self.url + path, headers=headers)

    def request(self, method: str, path: str, token: str | None, **kw: Any) -> httpx.Response:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return httpx.request(method, self.url + path, headers=headers, **kw)


def start_server(db: str, *args: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.inbox.server", "--db", db, "--port", str(port), *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/v1/inbox/preferences", process, "the test server")
    return Server(url, db, process)


def stop_server(server: Server) -> None:
    stop_process(server.process)


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def make(*args: str, db: str | None = None, env: dict[str, str] | None = None) -> Server:
        server = start_server(db or str(tmp_path / "inbox.sqlite3"), *args, env=env)
        started.append(server)
        return server

    yield make
    for server in started:
        stop_server(server)


@pytest.fixture
def server(make_server: Callable[..., Server]) -> Server:
    return make_server()


from tests.runtime.conftest import postgres  # noqa: E402,F401  (the PostgreSQL cluster fixture)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests of a module that only read, or change subscribers of their own."""
    server = start_server(str(tmp_path_factory.mktemp("inbox") / "shared.sqlite3"))
    yield server
    stop_server(server)
