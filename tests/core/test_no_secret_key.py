"""A bridge built without a secret key: it imports and starts, and a strict one runs no workflow code."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow
from novu_framework.testing import signed_headers

ROOT = Path(__file__).resolve().parents[2]
calls: list[str] = []


def make_counted() -> Any:
    """A fresh workflow each time (discovery runs once per workflow object)."""

    @workflow("counted", payload_schema={"type": "object", "additionalProperties": True})
    async def counted(step: Any) -> None:
        calls.append("workflow body")
        await step.in_app("inbox", lambda controls: calls.append("resolver") or {"body": "hi"})

    return counted


@pytest.fixture
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_STRICT_AUTHENTICATION_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    calls.clear()


def _ask(handler: NovuRequestHandler, method: str, query: str, body: Any = None, **headers: str) -> Any:
    raw = b"" if body is None else json.dumps(body).encode()
    response = handler.handle_sync(BridgeRequest.from_raw(method, query, list(headers.items()), raw))
    return response.status, json.loads(response.body)


REFUSED = [
    ("GET", "action=discover", None),
    ("GET", "action=code&workflowId=counted", None),
    ("POST", "action=execute&workflowId=counted&stepId=inbox", {"payload": {}, "state": []}),
    ("POST", "action=preview&workflowId=counted&stepId=inbox", {"payload": {}, "state": []}),
    ("POST", "action=trigger&workflowId=counted", {"to": "u1", "payload": {}}),
    ("GET", "action=unknown-action", None),
]


@pytest.mark.parametrize(("method", "query", "body"), REFUSED)
def test_a_strict_bridge_without_a_key_refuses_every_action_but_health_check(
    no_key_env: None, method: str, query: str, body: Any
) -> None:
    handler = NovuRequestHandler([make_counted()], Client())
    try:
        status, answer = _ask(handler, method, query, body)
        assert (status, answer["code"]) == (401, "SignatureNotFoundError")
        # Signed with some key: still nothing to check it against (the reference's answer for no key).
        headers = signed_headers("any-key", body)
        status, answer = _ask(handler, method, query, body, **{"novu-signature": headers["novu-signature"]})
        assert (status, answer) == (
            401,
            {
                "message": "Signature key not found. Please provide a valid key in the Client constructor "
                "`config.secretKey`",
                "code": "SigningKeyNotFoundError",
            },
        )
        assert calls == []  # no workflow code ran, not even discovery
        # Health-check answers (and discovers, which is how we know the counter above would count).
        status, answer = _ask(handler, "GET", "action=health-check")
        assert status == 200 and answer["discovered"] == {"workflows": 1, "steps": 1}
        assert calls == ["workflow body"]
    finally:
        handler.close()


def test_the_reason_is_logged_once_at_start(no_key_env: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="novu_framework"):
        handler = NovuRequestHandler([make_counted()], Client())
        _ask(handler, "GET", "action=discover")
        _ask(handler, "GET", "action=discover")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "no secret key is set" in warnings[0] and "NOVU_SECRET_KEY" in warnings[0]
    handler.close()


def test_an_open_bridge_without_a_key_executes(no_key_env: None) -> None:
    handler = NovuRequestHandler([make_counted()], Client(strict_authentication=False))
    try:
        status, answer = _ask(
            handler, "POST", "action=execute&workflowId=counted&stepId=inbox", {"payload": {}, "state": []}
        )
        assert status == 200 and answer["outputs"] == {"body": "hi"}
    finally:
        handler.close()


@pytest.mark.parametrize(
    ("adapter", "tail"),
    [
        (
            "fastapi",
            "from fastapi import FastAPI\napp = FastAPI()\napp.include_router(serve(workflows=[hello]), prefix='/api/novu')",
        ),
        (
            "flask",
            "from flask import Flask\napp = Flask('a')\napp.register_blueprint(serve(workflows=[hello]))",
        ),
    ],
)
def test_a_module_serving_at_import_imports_without_a_key(tmp_path: Path, adapter: str, tail: str) -> None:
    pytest.importorskip(adapter, reason=f"{adapter} is not installed in this environment")
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            f"""
            from novu_framework import workflow
            from novu_framework_{adapter} import serve

            @workflow("hello")
            async def hello(step):
                await step.in_app("inbox", lambda controls: {{"body": "hi"}})

            """
        )
        + tail
        + "\nprint('imported')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOVU_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"
