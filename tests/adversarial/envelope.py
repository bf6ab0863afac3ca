"""Hostile requests to the contract servers and assertions on the bridge's answer: its JSON envelope,
never HTML or a 500."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from tests.adapters.bridge_workflows import SECRET
from tests.adapters.servers import RunningServer
from tests.adapters.signer import novu_signature

EXECUTE = "?action=execute&workflowId=contract-welcome&stepId=send-email"


def post_signed(
    http: httpx.Client,
    server: RunningServer,
    content: bytes | Iterable[bytes],
    query: str = EXECUTE,
    signed: bytes | None = None,
) -> httpx.Response:
    """POST a JSON ``content`` to the server's bridge, signed over ``signed`` (by default ``content``)."""
    signature = novu_signature(SECRET, signed if signed is not None else content)  # type: ignore[arg-type]
    headers = {"content-type": "application/json", "novu-signature": signature}
    return http.post(server.bridge_url + query, content=content, headers=headers)


def assert_welcomed(response: httpx.Response, name: str) -> None:
    """The contract welcome step ran and greeted ``name``."""
    assert response.status_code == 200, response.text[:300]
    assert response.json()["outputs"]["subject"] == f"Welcome, {name}!"


def assert_envelope(
    response: httpx.Response, server: RunningServer, status: int, code: str
) -> dict[str, Any]:
    """The bridge's own error envelope, with ``status`` and ``code``, from the core (not the framework)."""
    text = response.text
    assert "<html" not in text.lower() and "<!doctype" not in text.lower(), text[:300]
    assert response.status_code == status, (response.status_code, text[:300])
    assert response.headers.get("content-type", "").split(";")[0].strip() == "application/json", text[:300]
    assert response.headers.get("novu-framework-server") == server.framework_name
    body = response.json()
    assert isinstance(body, dict) and set(body) <= {"message", "data", "code"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body
