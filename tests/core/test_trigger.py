"""Workflow.trigger through the Novu API (a local stand-in recording what is sent)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework import workflow
from novu_framework.errors import PlatformError, WorkflowPayloadInvalidError
from tests.api_client.recording_server import RecordingServer, api_error


class Signup(BaseModel):
    name: str
    plan: str = "free"


@workflow("signup")
async def signup(step: Any, payload: Signup) -> None:
    await step.sms("s", lambda c: {"body": payload.name})


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    monkeypatch.setenv("NOVU_SECRET_KEY", "sk-trigger")
    monkeypatch.setenv("NOVU_API_URL", server.url)
    monkeypatch.delenv("NOVU_BRIDGE_ORIGIN", raising=False)
    try:
        yield server
    finally:
        server.stop()


async def test_trigger_validates_applies_defaults_and_sends(api: RecordingServer) -> None:
    result = await signup.trigger(to="sub-1", payload={"name": "Ada", "extra": 1}, transaction_id="txn-1")
    [sent] = api.requests
    assert (sent.method, sent.path) == ("POST", "/v1/events/trigger")
    assert sent.headers["authorization"] == "ApiKey sk-trigger"
    assert sent.json() == {
        "name": "signup",
        "to": "sub-1",
        "payload": {"name": "Ada", "plan": "free"},
        "transactionId": "txn-1",
    }
    assert result.transaction_id == "txn-1"
    assert result.data == {"data": {"acknowledged": True, "status": "processed", "transactionId": "txn-1"}}
    await result.cancel()
    assert (api.requests[-1].method, api.requests[-1].path) == ("DELETE", "/v1/events/trigger/txn-1")


async def test_invalid_payload_names_the_field_and_sends_nothing(api: RecordingServer) -> None:
    with pytest.raises(WorkflowPayloadInvalidError) as info:
        await signup.trigger(to="sub-1", payload={"plan": "pro"})
    assert info.value.data[0]["path"] == "/name"
    assert api.requests == []


async def test_api_errors_carry_status_and_message(api: RecordingServer) -> None:
    api.enqueue(api_error(422, "Unprocessable Entity", "workflow not found"))
    with pytest.raises(PlatformError) as info:
        await signup.trigger(to="sub-1", payload={"name": "Ada"})
    assert info.value.status_code == 422 and "workflow not found" in str(info.value.data)


def test_trigger_sync_from_a_plain_thread(api: RecordingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVU_BRIDGE_ORIGIN", "https://bridge.example.com")
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(signup.trigger_sync("sub-2", {"name": "Bo"})))
    thread.start()
    thread.join(10)
    assert results and results[0].transaction_id
    body = api.requests[0].json()
    assert body["to"] == "sub-2" and body["bridgeUrl"] == "https://bridge.example.com/api/novu"
