"""Assertions on the bridge's answer to hostile requests: its JSON envelope, never HTML or a 500."""

from __future__ import annotations

from typing import Any

import httpx

from tests.adapters.servers import RunningServer


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
