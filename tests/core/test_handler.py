"""The bridge pipeline, error by error, through NovuRequestHandler with no web framework."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow
from novu_framework.errors import WorkflowAlreadyExistsError
from novu_framework.signature import sign

from .conftest import SECRET, Bridge, core_demo

EXECUTE_MAIL = "action=execute&workflowId=core-demo&stepId=mail"
INBOX_STATE = [
    {
        "stepId": "inbox",
        "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
        "state": {"status": "completed"},
    }
]


async def test_health_check_needs_no_signature_and_counts_steps(bridge: Bridge) -> None:
    status, headers, body = await bridge.request("GET", "action=health-check", sign=False)
    assert status == 200
    assert body["status"] == "ok" and body["discovered"] == {"workflows": 1, "steps": 2}
    assert headers["novu-framework-version"] == "2024-06-26"
    assert headers["access-control-allow-origin"] == "*"
    assert headers["novu-framework-server"] == "test"


async def test_missing_action_means_health_check(bridge: Bridge) -> None:
    status, _, body = await bridge.request("GET", "", sign=False)
    assert status == 200 and body["status"] == "ok"


async def test_discover_document(bridge: Bridge) -> None:
    status, _, body = await bridge.request("GET", "action=discover")
    assert status == 200
    [doc] = body["workflows"]
    assert doc["workflowId"] == "core-demo" and doc["name"] == "Core demo" and doc["tags"] == ["demo"]
    assert [(s["stepId"], s["type"]) for s in doc["steps"]] == [("inbox", "in_app"), ("mail", "email")]
    assert "description" not in doc
    assert doc["steps"][1]["options"] == {"controlSchema": core_demo_mail_controls()}
    assert "lambda controls" in doc["steps"][1]["code"]


def core_demo_mail_controls() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"subject": {"type": "string", "default": "Hi {{payload.name}}"}},
        "additionalProperties": False,
    }


async def test_execute_replays_state_and_renders_controls(bridge: Bridge) -> None:
    body = {"payload": {"name": "Ada", "extra": 1}, "controls": {}, "state": INBOX_STATE}
    status, _, answer = await bridge.request("POST", EXECUTE_MAIL, body)
    assert status == 200, answer
    assert answer["outputs"] == {"subject": "Hi Ada", "body": "seen=True n=1"}
    assert answer["options"] == {"skip": False} and answer["providers"] == {}
    assert answer["metadata"]["status"] == "success" and answer["metadata"]["duration"] >= 0


@pytest.mark.parametrize(
    ("query", "body", "status", "code"),
    [
        (
            EXECUTE_MAIL,
            {"payload": {"name": "Ada"}, "controls": {}, "state": []},
            400,
            "ExecutionStateCorruptError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": {}, "controls": {}, "state": INBOX_STATE},
            400,
            "ExecutionEventPayloadInvalidError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": None, "controls": {}, "state": INBOX_STATE},
            400,
            "ExecutionEventPayloadInvalidError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": {"name": "A"}, "controls": {"subject": 3}, "state": INBOX_STATE},
            400,
            "ExecutionStateControlInvalidError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": {"name": "A"}, "controls": None, "state": INBOX_STATE},
            400,
            "ExecutionStateControlInvalidError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": {"name": "A"}, "controls": {"subject": "{{ oops"}, "state": INBOX_STATE},
            400,
            "StepControlCompilationFailedError",
        ),
        (
            EXECUTE_MAIL,
            {"payload": {"name": "A"}, "state": [{"stepId": "inbox", "outputs": {"seen": 1}}]},
            400,
            "ExecutionStateResultInvalidError",
        ),
        (EXECUTE_MAIL, {"payload": {"name": "A"}, "state": "not-a-list"}, 400, "InvalidRequestBodyError"),
        ("action=execute&workflowId=nope&stepId=mail", {"payload": {}}, 404, "WorkflowNotFoundError"),
        (
            "action=execute&workflowId=core-demo&stepId=nope",
            {"payload": {"name": "A"}, "state": [*INBOX_STATE, {"stepId": "mail", "outputs": {}}]},
            404,
            "StepNotFoundError",
        ),
        ("action=discover", {}, 400, "InvalidActionError"),
        ("action=bogus", {}, 400, "InvalidActionError"),
    ],
)
async def test_post_errors(bridge: Bridge, query: str, body: Any, status: int, code: str) -> None:
    got_status, _, answer = await bridge.request("POST", query, body)
    assert (got_status, answer["code"]) == (status, code), answer
    assert isinstance(answer["message"], str) and answer["message"]


async def test_get_errors(bridge: Bridge) -> None:
    status, _, answer = await bridge.request("GET", "action=execute")
    assert status == 400 and answer["code"] == "InvalidActionError"
    assert (
        answer["message"]
        == "Invalid query string: `action`=`execute`. Please use one of `discover`, `health-check`, `code`"
    )
    status, _, answer = await bridge.request("GET", "action=code")
    assert status == 404 and answer == {
        "message": "Workflow with id: `` does not exist. Please provide a valid id.",
        "code": "WorkflowNotFoundError",
    }
    status, _, answer = await bridge.request("GET", "action=code&workflowId=core-demo&stepId=zzz")
    assert status == 404 and answer["code"] == "StepNotFoundError"


async def test_code_action(bridge: Bridge) -> None:
    status, _, answer = await bridge.request("GET", "action=code&workflowId=core-demo")
    assert status == 200 and "async def core_demo" in answer["code"]
    status, _, answer = await bridge.request("GET", "action=code&workflowId=core-demo&stepId=inbox")
    assert status == 200 and "Hello" in answer["code"]


async def test_methods(bridge: Bridge) -> None:
    status, headers, answer = await bridge.request("OPTIONS", "action=execute", sign=False)
    assert (status, answer) == (200, {}) and headers["access-control-allow-methods"] == "GET, POST"
    status, _, answer = await bridge.request("PUT", "action=discover", sign=False)
    assert status == 401 and answer["code"] == "SignatureNotFoundError"
    status, _, answer = await bridge.request("DELETE", "action=discover")
    assert status == 405 and answer["code"] == "MethodNotAllowedError"
    status, _, answer = await bridge.request("PATCH", "action=health-check", sign=False)
    assert status == 405


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("", "SignatureNotFoundError"),
        ("garbage", "SignatureInvalidError"),
        ("t=abc,v1=00", "SignatureInvalidError"),
        ("t=1,v0=00", "SignatureInvalidError"),
        ("v1=00,t=1", "SignatureInvalidError"),
        ("t=1700000000000,v1=", "SignatureInvalidError"),
        ("t=0,v1=" + "0" * 64, "SignatureExpiredError"),
        (f"t={int(time.time() * 1000) + 10 * 60_000},v1=" + "0" * 64, "SignatureExpiredError"),
        (f"t={int(time.time() * 1000)},v1=" + "0" * 64, "SignatureMismatchError"),
    ],
)
async def test_bad_signatures(bridge: Bridge, header: str, code: str) -> None:
    status, _, answer = await bridge.request(
        "GET", "action=discover", headers={"novu-signature": header}, sign=False
    )
    assert (status, answer["code"]) == (401, code)
    assert "data" not in answer


async def test_signature_with_other_key_or_uppercase_hex_mismatches(bridge: Bridge) -> None:
    now = int(time.time() * 1000)
    for header in (
        sign("other-key", now, "{}"),
        sign(SECRET, now, "{}").upper().replace("T=", "t=").replace("V1=", "v1="),
    ):
        status, _, answer = await bridge.request(
            "GET", "action=discover", headers={"novu-signature": header}, sign=False
        )
        assert (status, answer["code"]) == (401, "SignatureMismatchError")


async def test_raw_body_and_canonical_body_signatures_are_both_accepted(bridge: Bridge) -> None:
    raw = b'{"payload": {"name": "Ada", "n": 2.0}, "state": ' + json.dumps(INBOX_STATE).encode() + b"}"
    now = int(time.time() * 1000)
    canonical = json.dumps(json.loads(raw), separators=(",", ":")).replace("2.0", "2")
    for text in (raw, canonical.encode()):
        status, _, answer = await bridge.request(
            "POST", EXECUTE_MAIL, raw=raw, headers={"novu-signature": sign(SECRET, now, text)}, sign=False
        )
        assert status == 200, answer
        assert answer["outputs"]["body"] == "seen=True n=2"


async def test_non_json_body_cannot_be_authenticated_as_empty(bridge: Bridge) -> None:
    now = int(time.time() * 1000)
    status, _, answer = await bridge.request(
        "POST",
        EXECUTE_MAIL,
        raw=b"{not json",
        headers={"novu-signature": sign(SECRET, now, "{}")},
        sign=False,
    )
    assert (status, answer["code"]) == (401, "SignatureMismatchError")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"null", "null"),
        (b"[1]", "an array"),
        (b'"s"', "a string"),
        (b"3", "a number"),
        (b"{oops", "not valid JSON"),
    ],
)
async def test_non_object_bodies(open_bridge: Bridge, raw: bytes, kind: str) -> None:
    status, _, answer = await open_bridge.request("POST", EXECUTE_MAIL, raw=raw)
    assert (status, answer["code"]) == (400, "InvalidRequestBodyError")
    assert "body" in answer["message"] and kind in answer["message"]


async def test_empty_body_is_an_empty_object(open_bridge: Bridge) -> None:
    status, _, answer = await open_bridge.request("POST", EXECUTE_MAIL, raw=b"")
    assert status == 400 and answer["data"] == {"message": "Event `payload` is required"}


async def test_handler_never_raises_on_a_failing_workflow(open_bridge: Bridge) -> None:
    @workflow("boom")
    async def boom(step: Any) -> None:
        raise ValueError("body boom")

    handler = NovuRequestHandler([boom], Client(secret_key="k", strict_authentication=False))
    response = await handler.handle(BridgeRequest.from_raw("GET", "action=discover"))
    assert response.status == 500
    answer = json.loads(response.body)
    assert answer["code"] == "BridgeError" and answer["message"] == "Unknown BridgeError: body boom"
    assert isinstance(answer["data"]["stack"], str) and "/" not in answer["data"]["stack"]


def test_handle_sync_matches_handle() -> None:
    handler = NovuRequestHandler([core_demo], Client(secret_key=SECRET, strict_authentication=False))
    try:
        response = handler.handle_sync(BridgeRequest.from_raw("GET", "action=health-check"))
        assert response.status == 200 and json.loads(response.body)["discovered"]["steps"] == 2
    finally:
        handler.close()


def test_construction_errors() -> None:
    @workflow("core-demo")
    async def other(step: Any) -> None:
        return None

    with pytest.raises(WorkflowAlreadyExistsError, match="core-demo"):
        NovuRequestHandler([core_demo, other], Client(secret_key="k"))
    # the same object twice counts once
    assert list(NovuRequestHandler([core_demo, core_demo], Client(secret_key="k")).workflows) == ["core-demo"]


async def test_oversized_body_is_refused_before_parsing() -> None:
    handler = NovuRequestHandler(
        [core_demo], Client(secret_key=SECRET, strict_authentication=False), max_body_bytes=100
    )
    response = await handler.handle(
        BridgeRequest.from_raw(
            "POST", "action=execute&workflowId=core-demo&stepId=inbox", {}, b"{" + b" " * 200 + b"}"
        )
    )
    answer = json.loads(response.body)
    assert response.status == 413 and answer["code"] == "RequestBodyTooLargeError"
    assert "202 bytes" in answer["message"] and "100 bytes" in answer["message"]


def test_handle_sync_runs_on_the_calling_thread_and_calls_sync_functions_in_place() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    seen: list[tuple[int, int]] = []

    @workflow("threaded", payload_schema={"type": "object", "additionalProperties": True})
    async def threaded(step: Any, payload: dict[str, Any]) -> None:
        await step.sms(
            "s", lambda c: seen.append((payload["caller"], threading.get_ident())) or {"body": "ok"}
        )

    handler = NovuRequestHandler([threaded], Client(secret_key=SECRET, strict_authentication=False))

    def call() -> int:
        me = threading.get_ident()
        body = json.dumps({"payload": {"caller": me}}).encode()
        response = handler.handle_sync(
            BridgeRequest.from_raw("POST", "action=execute&workflowId=threaded&stepId=s", {}, body)
        )
        assert response.status == 200, response.body
        return me

    with ThreadPoolExecutor(4) as pool:
        callers = set(pool.map(lambda _: call(), range(40)))
    assert len(seen) == 40 and all(caller == resolver for caller, resolver in seen)
    assert len(callers) > 1
