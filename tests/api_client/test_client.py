"""``NovuApiClient`` against a real HTTP server on 127.0.0.1 that plays the Novu API's answers."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from typing import Any

import pytest

from novu_framework.api_client import (
    NovuApiClient,
    NovuApiPlatformError,
    NovuApiResponseError,
    NovuApiUnreachableError,
    TriggerResult,
    build_trigger_body,
)
from novu_framework.errors import BridgeError, MissingSecretKeyError, NovuError, PlatformError
from tests.api_client.recording_server import RecordingServer, Reply, api_error, closed_port_url, processed

SECRET = "sk_test_123"


def client(server: RecordingServer, **options: Any) -> NovuApiClient:
    options.setdefault("backoff", 0.0)
    return NovuApiClient(SECRET, server.url, **options)


def body(**fields: Any) -> dict[str, Any]:
    fields.setdefault("to", "sub-1")
    fields.setdefault("payload", {"name": "Ada"})
    return build_trigger_body("welcome", **fields)


# --- the request ---


async def test_trigger_sends_the_reference_request(api: RecordingServer) -> None:
    result = await client(api).trigger(body(transaction_id="txn-1"))

    [request] = api.requests
    assert (request.method, request.path) == ("POST", "/v1/events/trigger")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == f"ApiKey {SECRET}"
    assert request.headers["user-agent"].startswith("novu-framework-python/")
    assert request.body == b'{"name":"welcome","to":"sub-1","payload":{"name":"Ada"},"transactionId":"txn-1"}'
    assert result.data == processed("txn-1")
    assert result.transaction_id == "txn-1"


async def test_trigger_generates_a_transaction_id_in_the_reference_key_order(api: RecordingServer) -> None:
    result = await client(api).trigger(body(overrides={}, actor="a"))

    sent = api.requests[0].json()
    assert list(sent) == ["name", "to", "payload", "transactionId", "overrides", "actor"]
    assert re.fullmatch(r"[0-9a-f]{32}", sent["transactionId"])
    assert result.transaction_id == sent["transactionId"]


async def test_trigger_replaces_a_falsy_transaction_id(api: RecordingServer) -> None:
    await client(api).trigger({"name": "wf", "to": "s", "payload": {}, "transactionId": None})
    sent = api.requests[0].json()
    assert list(sent) == ["name", "to", "payload", "transactionId"]
    assert isinstance(sent["transactionId"], str)
    assert len(sent["transactionId"]) == 32


async def test_transaction_id_comes_from_the_answer_first(api: RecordingServer) -> None:
    api.enqueue(Reply(201, processed("api-side-id")))
    result = await client(api).trigger(body(transaction_id="mine"))
    assert result.transaction_id == "api-side-id"
    assert result.data == processed("api-side-id")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ('{"data":{"acknowledged":true}}', {"data": {"acknowledged": True}}),
        ("[1,2]", [1, 2]),
        ('"t"', "t"),
        ("null", None),
    ],
)
async def test_transaction_id_falls_back_to_the_one_sent(
    api: RecordingServer, text: str, answer: Any
) -> None:
    api.enqueue(Reply(200, text))
    result = await client(api).trigger(body(transaction_id="mine"))
    assert result.data == answer
    assert result.transaction_id == "mine"


async def test_trailing_slashes_of_the_api_url_are_ignored(api: RecordingServer) -> None:
    await NovuApiClient(SECRET, api.url + "//").trigger(body())
    assert api.requests[0].path == "/v1/events/trigger"


# --- cancel ---


async def test_cancel_uses_the_real_transaction_id(api: RecordingServer) -> None:
    result = await client(api).trigger(body())
    generated = result.transaction_id
    assert await result.cancel() == {"data": True}

    cancel = api.requests[1]
    assert (cancel.method, cancel.path) == ("DELETE", f"/v1/events/trigger/{generated}")
    assert cancel.headers["content-type"] == "application/json"
    assert cancel.headers["authorization"] == f"ApiKey {SECRET}"
    assert cancel.body == b""


async def test_cancel_quotes_the_transaction_id_into_one_path_segment(api: RecordingServer) -> None:
    await client(api).cancel("a/b?c d")
    assert api.requests[0].path == "/v1/events/trigger/a%2Fb%3Fc%20d"


@pytest.mark.parametrize("bad", ["", None, 12])
async def test_cancel_needs_a_transaction_id(api: RecordingServer, bad: Any) -> None:
    with pytest.raises(ValueError, match="transaction_id"):
        await client(api).cancel(bad)
    assert api.requests == []


async def test_a_result_without_transaction_id_cannot_be_cancelled(api: RecordingServer) -> None:
    result = TriggerResult(data={}, transaction_id="", canceller=client(api).cancel)
    with pytest.raises(ValueError, match="no transaction id"):
        await result.cancel()
    assert api.requests == []


async def test_cancel_raises_on_an_error_answer(api: RecordingServer) -> None:
    api.enqueue(api_error(404, "Not Found", "Transaction not found"))
    with pytest.raises(PlatformError) as caught:
        await client(api).cancel("missing")
    assert caught.value.status_code == 404


# --- API errors ---


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (400, "Bad Request", ["to should not be empty", "name must be a string"]),
        (401, "Unauthorized", "API Key not found"),
        (422, "Unprocessable Entity", "workflow_not_found"),
    ],
)
async def test_api_errors_become_platform_errors_without_retry(
    api: RecordingServer, status: int, error: str, message: Any
) -> None:
    api.enqueue(api_error(status, error, message))
    with pytest.raises(NovuApiPlatformError) as caught:
        await client(api, max_retries=3).trigger(body())

    err = caught.value
    assert isinstance(err, PlatformError)
    assert (err.status_code, err.code, err.api_status) == (status, error, status)
    assert err.data == {"message": message}
    assert err.to_body() == {"message": "", "data": {"message": message}, "code": error}
    assert error in str(err)
    assert len(api.requests) == 1


async def test_platform_error_status_is_the_body_status_code(api: RecordingServer) -> None:
    api.enqueue(Reply(422, {"statusCode": 409, "error": "Conflict", "message": "x"}))
    with pytest.raises(NovuApiPlatformError) as caught:
        await client(api).trigger(body())
    assert (caught.value.status_code, caught.value.api_status) == (409, 422)


async def test_a_non_numeric_status_code_keeps_the_http_status(api: RecordingServer) -> None:
    api.enqueue(Reply(400, {"statusCode": "400", "error": None, "message": "m"}))
    with pytest.raises(NovuApiPlatformError) as caught:
        await client(api).trigger(body())
    assert (caught.value.status_code, caught.value.code) == (400, "null")
    assert not caught.value.is_client_error


async def test_other_error_bodies_become_bridge_errors_with_the_body(api: RecordingServer) -> None:
    api.enqueue(Reply(404, {"foo": 1, "b": [1, 2]}))
    with pytest.raises(NovuApiResponseError) as caught:
        await client(api, max_retries=3).trigger(body())
    err = caught.value
    assert isinstance(err, BridgeError)
    assert (err.status_code, err.code, err.api_status) == (500, "BridgeError", 404)
    assert err.body == {"foo": 1, "b": [1, 2]}
    assert err.message == 'Unknown BridgeError: {\n  "foo": 1,\n  "b": [\n    1,\n    2\n  ]\n}'
    assert len(api.requests) == 1


@pytest.mark.parametrize(("status", "text"), [(200, "not json"), (201, ""), (404, "<html>nope</html>")])
async def test_a_body_that_is_not_json_is_a_bridge_error(
    api: RecordingServer, status: int, text: str
) -> None:
    api.enqueue(Reply(status, text, content_type="text/html"))
    with pytest.raises(NovuApiResponseError) as caught:
        await client(api).trigger(body())
    assert caught.value.message.startswith("Unknown BridgeError: POST ")
    assert f"answered {status} with a body that is not JSON" in caught.value.message
    assert caught.value.body == text


# --- retries ---


async def test_a_5xx_is_retried_with_the_same_body(api: RecordingServer) -> None:
    api.enqueue(api_error(500, "Internal Server Error", "boom"), Reply(502, "<html>bad gateway</html>"))
    result = await client(api, max_retries=2).trigger(body())

    assert len(api.requests) == 3
    assert api.requests[0].body == api.requests[1].body == api.requests[2].body
    assert result.transaction_id == api.requests[0].json()["transactionId"]
    assert result.data["data"]["status"] == "processed"


async def test_retries_are_bounded_and_the_last_answer_is_raised(api: RecordingServer) -> None:
    api.enqueue(*[api_error(503, "Service Unavailable", f"try {n}") for n in range(5)])
    with pytest.raises(NovuApiPlatformError) as caught:
        await client(api, max_retries=2).trigger(body())
    assert caught.value.status_code == 503
    assert caught.value.data == {"message": "try 2"}
    assert len(api.requests) == 3


async def test_no_retry_when_max_retries_is_zero(api: RecordingServer) -> None:
    api.enqueue(api_error(500, "Internal Server Error", "boom"))
    with pytest.raises(NovuApiPlatformError):
        await client(api, max_retries=0).trigger(body())
    assert len(api.requests) == 1


async def test_backoff_doubles(api: RecordingServer) -> None:
    api.enqueue(*[Reply(500, {"x": n}) for n in range(3)])
    started = time.monotonic()
    await client(api, max_retries=3, backoff=0.1).trigger(body())
    elapsed = time.monotonic() - started
    assert len(api.requests) == 4
    assert 0.7 <= elapsed < 2.0  # 0.1 + 0.2 + 0.4


async def test_a_timeout_is_retried_with_the_same_transaction_id(api: RecordingServer) -> None:
    api.enqueue(Reply(delay=1.0))
    result = await client(api, timeout=0.3, max_retries=1).trigger(body())
    assert len(api.requests) == 2
    assert api.requests[0].body == api.requests[1].body
    assert result.transaction_id == api.requests[0].json()["transactionId"]


async def test_persistent_timeouts_raise_a_clear_error(api: RecordingServer) -> None:
    api.enqueue(Reply(delay=1.0), Reply(delay=1.0))
    started = time.monotonic()
    with pytest.raises(NovuApiUnreachableError) as caught:
        await client(api, timeout=0.2, max_retries=1).trigger(body())
    assert time.monotonic() - started < 0.9
    err = caught.value
    assert isinstance(err, BridgeError)
    assert (err.attempts, err.url, err.method) == (2, f"{api.url}/v1/events/trigger", "POST")
    assert str(err) == (
        f"Unknown BridgeError: POST {api.url}/v1/events/trigger failed after 2 attempts: "
        "no answer within 0.2s (ReadTimeout)"
    )


async def test_connection_refused_is_retried_then_raised(caplog: pytest.LogCaptureFixture) -> None:
    url = closed_port_url()
    started = time.monotonic()
    with pytest.raises(NovuApiUnreachableError) as caught:
        await NovuApiClient(SECRET, url, max_retries=2, backoff=0.05).trigger(body())
    assert 0.15 <= time.monotonic() - started < 2.0  # 0.05 + 0.1 of backoff
    assert caught.value.attempts == 3
    assert f"POST {url}/v1/events/trigger failed after 3 attempts: connection failed" in caught.value.message
    assert [r.getMessage().split(": ")[-1] for r in caplog.records if "retrying" in r.getMessage()] == [
        "connection failed (All connection attempts failed); retrying in 0.05s (attempt 2 of 3)",
        "connection failed (All connection attempts failed); retrying in 0.10s (attempt 3 of 3)",
    ]


# --- construction ---


@pytest.mark.parametrize("secret", ["", None])
def test_a_secret_key_is_required(secret: Any) -> None:
    with pytest.raises(MissingSecretKeyError):
        NovuApiClient(secret, "https://api.novu.co")


@pytest.mark.parametrize("url", ["", "api.novu.co", "ftp://api.novu.co", "http://"])
def test_the_api_url_must_be_absolute_http(url: str) -> None:
    with pytest.raises(ValueError, match="api_url"):
        NovuApiClient(SECRET, url)


@pytest.mark.parametrize("options", [{"timeout": 0}, {"max_retries": -1}, {"backoff": -0.1}])
def test_bad_retry_options_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        NovuApiClient(SECRET, "https://api.novu.co", **options)


def test_errors_are_novu_errors() -> None:
    assert issubclass(NovuApiUnreachableError, NovuError)
    assert issubclass(NovuApiResponseError, BridgeError)
    assert issubclass(NovuApiPlatformError, PlatformError)


# --- connection pooling ---


async def test_each_call_uses_its_own_connection_without_a_context(api: RecordingServer) -> None:
    api_client = client(api)
    await api_client.trigger(body())
    await api_client.trigger(body())
    assert api.requests[0].client_port != api.requests[1].client_port


async def test_a_context_keeps_one_connection(api: RecordingServer) -> None:
    async with client(api) as api_client:
        result = await api_client.trigger(body())
        await result.cancel()
    assert api.requests[0].client_port == api.requests[1].client_port
    assert api_client._async_pool is None


def test_a_blocking_context_keeps_one_connection(api: RecordingServer) -> None:
    with client(api) as api_client:
        api_client.trigger_sync(body()).cancel_sync()
    assert api.requests[0].client_port == api.requests[1].client_port
    assert api_client._sync_pool is None


# --- blocking twins ---


def test_trigger_sync_and_cancel_sync_from_a_plain_thread(api: RecordingServer) -> None:
    api.enqueue(api_error(500, "Internal Server Error", "boom"))
    outcome: dict[str, Any] = {}

    def run() -> None:
        result = client(api).trigger_sync(body(transaction_id="t-sync"))
        outcome["result"] = result
        outcome["cancelled"] = result.cancel_sync()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert outcome["result"].transaction_id == "t-sync"
    assert outcome["cancelled"] == {"data": True}
    assert [(r.method, r.path) for r in api.requests] == [
        ("POST", "/v1/events/trigger"),
        ("POST", "/v1/events/trigger"),
        ("DELETE", "/v1/events/trigger/t-sync"),
    ]
    assert api.requests[0].body == api.requests[1].body


def test_trigger_sync_maps_errors_like_the_async_form(api: RecordingServer) -> None:
    api.enqueue(api_error(401, "Unauthorized", "API Key not found"))
    with pytest.raises(NovuApiPlatformError) as caught:
        client(api).trigger_sync(body())
    assert caught.value.status_code == 401
    with pytest.raises(NovuApiUnreachableError, match="failed after 1 attempt:"):
        NovuApiClient(SECRET, closed_port_url(), max_retries=0).trigger_sync(body())


def test_the_async_form_works_in_a_fresh_loop_per_call(api: RecordingServer) -> None:
    api_client = client(api)
    first = asyncio.run(api_client.trigger(body()))
    asyncio.run(first.cancel())
    assert [r.method for r in api.requests] == ["POST", "DELETE"]
