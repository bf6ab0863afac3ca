"""``bridge_trigger``: the bridge's ``action=trigger`` proxy.

The expected errors are the reference bridge's (2.9.0), observed with the same API answers.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from novu_framework.api_client import NovuApiPlatformError, NovuApiResponseError, bridge_trigger
from novu_framework.errors import BridgeError, MissingSecretKeyError, PlatformError
from tests.api_client.recording_server import RecordingServer, Reply, api_error, closed_port_url, processed

SECRET = "sk_test_123"


async def trigger(api: RecordingServer, body: dict[str, Any] | None = None) -> Any:
    return await bridge_trigger(SECRET, api.url, "welcome", body or {"to": "sub_1"})


async def test_the_api_answer_is_relayed_verbatim(api: RecordingServer) -> None:
    api.enqueue(Reply(200, b'{"data":{"acknowledged":true,"status":"processed","transactionId":"txn_abc"}}'))
    answer = await trigger(api, {"to": "sub_1", "payload": {"name": "Ada"}, "transactionId": "txn_abc"})

    assert answer == processed("txn_abc")
    [request] = api.requests
    assert (request.method, request.path) == ("POST", "/v1/events/trigger")
    assert request.headers["authorization"] == f"ApiKey {SECRET}"
    assert request.headers["content-type"] == "application/json"
    assert request.body == (
        b'{"name":"welcome","to":"sub_1","payload":{"name":"Ada"},"transactionId":"txn_abc","overrides":{}}'
    )


async def test_no_transaction_id_is_generated(api: RecordingServer) -> None:
    await trigger(api, {"to": "s"})
    assert api.requests[0].body == b'{"name":"welcome","to":"s","payload":{},"overrides":{}}'


async def test_a_2xx_answer_that_is_not_an_object_is_relayed(api: RecordingServer) -> None:
    api.enqueue(Reply(201, "[1,2]"))
    assert await trigger(api) == [1, 2]


@pytest.mark.parametrize(
    ("reply", "status", "envelope"),
    [
        (
            api_error(400, "Bad Request", ["to should not be empty"]),
            400,
            {"message": "", "data": {"message": ["to should not be empty"]}, "code": "Bad Request"},
        ),
        (
            Reply(422, {"statusCode": 409, "error": "Conflict", "message": "x"}),
            409,
            {"message": "", "data": {"message": "x"}, "code": "Conflict"},
        ),
        (
            Reply(400, {"statusCode": 450.5, "error": "E", "message": "m", "extra": 1}),
            450,
            {"message": "", "data": {"message": "m"}, "code": "E"},
        ),
    ],
)
async def test_4xx_platform_errors_are_relayed(
    api: RecordingServer, reply: Reply, status: int, envelope: dict[str, Any]
) -> None:
    api.enqueue(reply)
    with pytest.raises(NovuApiPlatformError) as caught:
        await trigger(api)
    assert isinstance(caught.value, PlatformError)
    assert caught.value.status_code == status
    assert caught.value.to_body() == envelope


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            api_error(500, "Internal Server Error", "boom"),
            '{\n  "data": {\n    "message": "boom"\n  },\n  "statusCode": 500,\n'
            '  "code": "Internal Server Error"\n}',
        ),
        (
            Reply(400, {"statusCode": "400", "error": None, "message": "m"}),
            '{\n  "data": {\n    "message": "m"\n  },\n  "statusCode": "400",\n  "code": null\n}',
        ),
        (
            Reply(400, {"statusCode": 302, "error": "E", "message": "m"}),
            '{\n  "data": {\n    "message": "m"\n  },\n  "statusCode": 302,\n  "code": "E"\n}',
        ),
        (Reply(404, {"foo": 1, "b": [1, 2]}), '{\n  "foo": 1,\n  "b": [\n    1,\n    2\n  ]\n}'),
        (Reply(400, {"statusCode": 400, "error": "E"}), '{\n  "statusCode": 400,\n  "error": "E"\n}'),
    ],
)
async def test_other_error_answers_are_bridge_errors_worded_like_the_reference(
    api: RecordingServer, reply: Reply, message: str
) -> None:
    api.enqueue(reply)
    with pytest.raises(NovuApiResponseError) as caught:
        await trigger(api)
    err = caught.value
    assert isinstance(err, BridgeError)
    assert (err.status_code, err.code) == (500, "BridgeError")
    assert err.message == f"Unknown BridgeError: {message}"
    assert len(api.requests) == 1  # never retried


@pytest.mark.parametrize(
    ("status", "text"), [(502, "<html>bad gateway</html>"), (200, "not json"), (200, "")]
)
async def test_answers_that_are_not_json_are_bridge_errors(
    api: RecordingServer, status: int, text: str
) -> None:
    api.enqueue(Reply(status, text, content_type="text/html"))
    with pytest.raises(BridgeError) as caught:
        await trigger(api)
    assert caught.value.to_body()["code"] == "BridgeError"
    assert caught.value.message.startswith("Unknown BridgeError: ")
    assert len(api.requests) == 1


async def test_connection_refused_fails_fast_with_a_bridge_error() -> None:
    url = closed_port_url()
    started = time.monotonic()
    with pytest.raises(BridgeError) as caught:
        await bridge_trigger(SECRET, url, "oracle-minimal", {"to": "sub-1", "payload": {"x": 1}})
    assert time.monotonic() - started < 1.0
    body = caught.value.to_body()
    assert body["code"] == "BridgeError"
    assert body["message"].startswith(
        f"Unknown BridgeError: POST {url}/v1/events/trigger failed after 1 attempt:"
    )
    assert isinstance(body["data"]["stack"], str)


async def test_a_missing_secret_key_is_reported_before_any_request(api: RecordingServer) -> None:
    with pytest.raises(MissingSecretKeyError):
        await bridge_trigger("", api.url, "welcome", {"to": "s"})
    assert api.requests == []
