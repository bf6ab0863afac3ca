"""One contract, every framework: each case runs against FastAPI, Flask, Django (WSGI) and Django (ASGI)."""

from __future__ import annotations

import functools
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from novu_framework import BridgeRequest, NovuRequestHandler

from .bridge_workflows import SECRET, STEP_COUNT, WORKFLOWS, make_client
from .servers import RunningServer
from .signer import novu_signature

BRIDGE_HEADERS = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": "*",
    "access-control-max-age": "604800",
    "novu-framework-version": "2024-06-26",
}

INBOX_STATE = {
    "stepId": "inbox",
    "outputs": {
        "seen": True,
        "read": False,
        "lastSeenDate": "2026-01-10T10:00:00.000Z",
        "lastReadDate": None,
    },
    "state": {"status": "completed", "error": None},
}
WELCOME_EXECUTE = {
    "payload": {"name": "Ada", "plan": "pro"},
    "controls": {},
    "state": [INBOX_STATE],
    "subscriber": {"subscriberId": "sub_1", "firstName": "Ada"},
}
EXECUTE_EMAIL = "?action=execute&workflowId=contract-welcome&stepId=send-email"

MSG_NOT_FOUND = "Signature not found. Please provide a signature in the `novu-signature` header"
MSG_INVALID = "Signature is invalid. Please provide a valid signature in the `novu-signature` header"
MSG_EXPIRED = (
    "Signature expired. Please provide a signature with a timestamp no older than 5 minutes in the "
    "`novu-signature` header"
)
MSG_MISMATCH = (
    "Signature does not match the expected signature. Please ensure the signature provided in the "
    "`novu-signature` header is correct and try again."
)
MSG_METHOD = "Method not allowed. Please use one of `POST`, `GET`, `OPTIONS`"


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def get(
    http: httpx.Client, bridge: RunningServer, query: str, *, signed: bool = True, slash: str = ""
) -> httpx.Response:
    headers = {"novu-signature": novu_signature(SECRET)} if signed else {}
    return http.get(f"{bridge.bridge_url}{slash}{query}", headers=headers)


def post(
    http: httpx.Client,
    bridge: RunningServer,
    query: str,
    body: bytes,
    *,
    signature: str | None = None,
    signed: bool = True,
    content_type: str = "application/json",
    slash: str = "",
) -> httpx.Response:
    headers = {"content-type": content_type}
    if signature is not None:
        headers["novu-signature"] = signature
    elif signed:
        headers["novu-signature"] = novu_signature(SECRET, body)
    return http.post(f"{bridge.bridge_url}{slash}{query}", content=body, headers=headers)


@functools.cache
def core_headers(framework_name: str) -> dict[str, str]:
    """The headers the core itself answers with: an adapter must pass every one through unchanged."""
    handler = NovuRequestHandler(workflows=WORKFLOWS, client=make_client(), framework_name=framework_name)
    try:
        return dict(handler.handle_sync(BridgeRequest.from_raw("GET")).headers)
    finally:
        handler.close()


def assert_bridge_response(response: httpx.Response, bridge: RunningServer, status: int) -> Any:
    assert response.status_code == status, response.text
    # Frameworks may add "; charset=utf-8": the media type is what must hold.
    assert response.headers["content-type"].split(";")[0].strip() == "application/json"
    expected = {**core_headers(bridge.framework_name), **BRIDGE_HEADERS}
    expected.pop("content-type")
    for name, value in expected.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get("novu-framework-server") == bridge.framework_name
    assert "location" not in response.headers
    return response.json()


def assert_error(
    response: httpx.Response, bridge: RunningServer, status: int, code: str, message: str | None = None
) -> dict[str, Any]:
    body = assert_bridge_response(response, bridge, status)
    assert body["code"] == code
    if message is not None:
        assert body["message"] == message
    assert set(body) <= {"message", "data", "code"}
    return body  # type: ignore[no-any-return]


# --- health-check ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?action=", "?action=health-check"])
def test_health_check_needs_no_signature(http: httpx.Client, bridge: RunningServer, query: str) -> None:
    response = http.get(f"{bridge.bridge_url}{query}", headers={"novu-signature": "garbage"})
    assert assert_bridge_response(response, bridge, 200) == {
        "status": "ok",
        "sdkVersion": "2.9.0",
        "frameworkVersion": "2024-06-26",
        "discovered": {"workflows": len(WORKFLOWS), "steps": STEP_COUNT},
    }


# --- discover and code -------------------------------------------------------------------------


def test_discover_signed(http: httpx.Client, bridge: RunningServer) -> None:
    body = assert_bridge_response(get(http, bridge, "?action=discover"), bridge, 200)
    assert [w["workflowId"] for w in body["workflows"]] == [
        "contract-welcome",
        "contract-digest",
        "contract-probe",
    ]
    welcome = body["workflows"][0]
    assert [(s["stepId"], s["type"]) for s in welcome["steps"]] == [
        ("inbox", "in_app"),
        ("send-email", "email"),
    ]
    assert welcome["name"] == "Contract welcome"
    assert welcome["tags"] == ["contract"]
    assert welcome["payload"]["schema"]["required"] == ["name"]


def test_discover_unsigned_is_refused(http: httpx.Client, bridge: RunningServer) -> None:
    response = get(http, bridge, "?action=discover", signed=False)
    assert_error(response, bridge, 401, "SignatureNotFoundError", MSG_NOT_FOUND)


def test_code_of_workflow_and_step(http: httpx.Client, bridge: RunningServer) -> None:
    whole = assert_bridge_response(get(http, bridge, "?action=code&workflowId=contract-welcome"), bridge, 200)
    assert "async def welcome(" in whole["code"]
    step = get(http, bridge, "?action=code&workflowId=contract-welcome&stepId=send-email")
    assert "def email_content(" in assert_bridge_response(step, bridge, 200)["code"]


def test_code_of_unknown_workflow(http: httpx.Client, bridge: RunningServer) -> None:
    response = get(http, bridge, "?action=code&workflowId=no%20such%20flow")
    message = "Workflow with id: `no such flow` does not exist. Please provide a valid id."
    assert_error(response, bridge, 404, "WorkflowNotFoundError", message)


# --- execute and preview -----------------------------------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_execute_replays_state_and_renders_controls(
    http: httpx.Client, bridge: RunningServer, slash: str
) -> None:
    response = post(http, bridge, EXECUTE_EMAIL, compact(WELCOME_EXECUTE), slash=slash)
    body = assert_bridge_response(response, bridge, 200)
    assert body["outputs"] == {"subject": "Welcome, Ada!", "body": "plan=pro seen=True"}
    assert body["providers"] == {}
    assert body["options"] == {"skip": False}
    assert body["metadata"]["status"] == "success"
    assert body["metadata"]["error"] is False


def test_execute_with_custom_controls(http: httpx.Client, bridge: RunningServer) -> None:
    event = {**WELCOME_EXECUTE, "controls": {"subject": "Hey {{payload.name}} ({{subscriber.firstName}})"}}
    body = assert_bridge_response(post(http, bridge, EXECUTE_EMAIL, compact(event)), bridge, 200)
    assert body["outputs"]["subject"] == "Hey Ada (Ada)"


def test_preview_mocks_what_is_missing(http: httpx.Client, bridge: RunningServer) -> None:
    query = "?action=preview&workflowId=contract-welcome&stepId=send-email"
    event = {"controls": {}, "payload": {"name": "Grace"}, "state": []}
    body = assert_bridge_response(post(http, bridge, query, compact(event)), bridge, 200)
    assert body["outputs"]["subject"] == "Welcome, Grace!"
    assert body["outputs"]["body"].startswith("plan=free seen=")


def test_invalid_payload_is_reported(http: httpx.Client, bridge: RunningServer) -> None:
    event = {**WELCOME_EXECUTE, "payload": {"name": 7, "plan": "pro"}}
    body = assert_error(
        post(http, bridge, EXECUTE_EMAIL, compact(event)),
        bridge,
        400,
        "ExecutionEventPayloadInvalidError",
        "Workflow with id: `contract-welcome` has invalid `payload`. "
        "Please provide the correct event payload.",
    )
    assert body["data"][0]["path"] == "/name"


def test_raw_body_bytes_reach_the_core_unchanged(http: httpx.Client, bridge: RunningServer) -> None:
    # Pretty-printed, non-ASCII, a float written as 1.0: any re-encoding on the way breaks the raw-body HMAC.
    event = {**WELCOME_EXECUTE, "payload": {"name": 'Zoë "Z" 🚀', "plan": "pro"}, "extra": 1.0}
    raw = json.dumps(event, indent=2, ensure_ascii=False).encode()
    assert b'"extra": 1.0' in raw
    body = assert_bridge_response(post(http, bridge, EXECUTE_EMAIL, raw), bridge, 200)
    assert body["outputs"]["subject"] == 'Welcome, Zoë "Z" 🚀!'


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
)
def test_body_is_never_parsed_as_a_form(http: httpx.Client, bridge: RunningServer, content_type: str) -> None:
    response = post(http, bridge, EXECUTE_EMAIL, compact(WELCOME_EXECUTE), content_type=content_type)
    assert assert_bridge_response(response, bridge, 200)["outputs"]["subject"] == "Welcome, Ada!"


def test_large_body(http: httpx.Client, bridge: RunningServer) -> None:
    count = 4000
    events = [
        {
            "id": f"job_{i}",
            "time": "2026-01-10T10:00:00.000Z",
            "payload": {"author": f"user{i % 7}", "text": "x" * 400},
        }
        for i in range(count)
    ]
    event = {
        "payload": {"post_id": "p1"},
        "controls": {},
        "state": [{"stepId": "collect", "outputs": {"events": events}, "state": {"status": "completed"}}],
    }
    raw = compact(event)
    assert len(raw) > 1_800_000
    response = post(http, bridge, "?action=execute&workflowId=contract-digest&stepId=summary", raw)
    body = assert_bridge_response(response, bridge, 200)
    assert body["outputs"] == {"subject": f"{count} new comments", "body": "from 7 people"}


def test_concurrent_requests(http: httpx.Client, bridge: RunningServer) -> None:
    def one(i: int) -> str:
        event = {**WELCOME_EXECUTE, "payload": {"name": f"user{i}"}}
        response = post(http, bridge, EXECUTE_EMAIL, compact(event))
        return str(assert_bridge_response(response, bridge, 200)["outputs"]["subject"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        subjects = list(pool.map(one, range(48)))
    assert subjects == [f"Welcome, user{i}!" for i in range(48)]


def test_async_servers_run_the_workflow_on_their_event_loop(
    http: httpx.Client, bridge: RunningServer
) -> None:
    event = {"payload": {}, "controls": {}, "state": []}
    response = post(http, bridge, "?action=execute&workflowId=contract-probe&stepId=where", compact(event))
    thread = assert_bridge_response(response, bridge, 200)["outputs"]["thread"]
    if bridge.backend in ("fastapi", "django-asgi", "django-asgi-front"):
        assert thread == bridge.thread_name  # a native async view, no hop to a worker thread
    else:
        assert thread != bridge.thread_name  # WSGI: the accept loop never runs a request


# --- signatures --------------------------------------------------------------------------------


def _now_ms() -> int:
    return int(time.time() * 1000)


@pytest.mark.parametrize(
    ("signature", "code", "message"),
    [
        ("", "SignatureNotFoundError", MSG_NOT_FOUND),
        ("nonsense", "SignatureInvalidError", MSG_INVALID),
        ("t=abc,v1=00ff", "SignatureInvalidError", MSG_INVALID),
        ("expired", "SignatureExpiredError", MSG_EXPIRED),
        ("future", "SignatureExpiredError", MSG_EXPIRED),
        ("forged", "SignatureMismatchError", MSG_MISMATCH),
        ("other-body", "SignatureMismatchError", MSG_MISMATCH),
    ],
)
def test_bad_signatures_are_refused(
    http: httpx.Client, bridge: RunningServer, signature: str, code: str, message: str
) -> None:
    raw = compact(WELCOME_EXECUTE)
    header = {
        "expired": novu_signature(SECRET, raw, timestamp_ms=_now_ms() - 301_000),
        "future": novu_signature(SECRET, raw, timestamp_ms=_now_ms() + 301_000),
        "forged": novu_signature("sk_not_the_secret", raw),
        "other-body": novu_signature(SECRET, compact({**WELCOME_EXECUTE, "controls": {"subject": "x"}})),
    }.get(signature, signature)
    response = post(http, bridge, EXECUTE_EMAIL, raw, signature=header)
    body = assert_error(response, bridge, 401, code, message)
    assert "data" not in body


def test_signature_within_the_window_is_accepted(http: httpx.Client, bridge: RunningServer) -> None:
    raw = compact(WELCOME_EXECUTE)
    header = novu_signature(SECRET, raw, timestamp_ms=_now_ms() - 290_000)
    assert assert_bridge_response(post(http, bridge, EXECUTE_EMAIL, raw, signature=header), bridge, 200)


# --- routing: CORS, actions, methods, ids, query -----------------------------------------------


@pytest.mark.parametrize("slash", ["", "/"])
def test_cors_preflight_needs_no_signature(http: httpx.Client, bridge: RunningServer, slash: str) -> None:
    response = http.options(
        f"{bridge.bridge_url}{slash}{EXECUTE_EMAIL}",
        headers={"origin": "https://dashboard.novu.co", "access-control-request-method": "POST"},
    )
    assert assert_bridge_response(response, bridge, 200) == {}


def test_unknown_get_action(http: httpx.Client, bridge: RunningServer) -> None:
    message = "Invalid query string: `action`=`nope`. Please use one of `discover`, `health-check`, `code`"
    assert_error(get(http, bridge, "?action=nope"), bridge, 400, "InvalidActionError", message)


def test_get_only_action_on_post(http: httpx.Client, bridge: RunningServer) -> None:
    message = "Invalid query string: `action`=`discover`. Please use one of `trigger`, `execute`, `preview`"
    response = post(http, bridge, "?action=discover", b"{}")
    assert_error(response, bridge, 400, "InvalidActionError", message)


def test_post_without_action_is_a_health_check_action(http: httpx.Client, bridge: RunningServer) -> None:
    message = (
        "Invalid query string: `action`=`health-check`. Please use one of `trigger`, `execute`, `preview`"
    )
    assert_error(post(http, bridge, "", b"{}", signed=False), bridge, 400, "InvalidActionError", message)


def test_first_query_value_wins(http: httpx.Client, bridge: RunningServer) -> None:
    body = assert_bridge_response(get(http, bridge, "?action=discover&action=nope"), bridge, 200)
    assert len(body["workflows"]) == len(WORKFLOWS)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_other_methods_get_the_bridge_405(
    http: httpx.Client, bridge: RunningServer, method: str, slash: str
) -> None:
    response = http.request(method, f"{bridge.bridge_url}{slash}", content=b"{}")
    assert_error(response, bridge, 405, "MethodNotAllowedError", MSG_METHOD)


def test_other_methods_are_signature_checked_first(http: httpx.Client, bridge: RunningServer) -> None:
    response = http.put(f"{bridge.bridge_url}?action=discover")
    assert_error(response, bridge, 401, "SignatureNotFoundError", MSG_NOT_FOUND)


def test_head_gets_the_bridge_405(http: httpx.Client, bridge: RunningServer) -> None:
    response = http.head(bridge.bridge_url)
    assert response.status_code == 405
    assert response.headers.get("novu-framework-server") == bridge.framework_name


def test_unknown_workflow(http: httpx.Client, bridge: RunningServer) -> None:
    response = post(http, bridge, "?action=execute&workflowId=no%20such&stepId=x", compact(WELCOME_EXECUTE))
    message = "Workflow with id: `no such` does not exist. Please provide a valid id."
    assert_error(response, bridge, 404, "WorkflowNotFoundError", message)


def test_unknown_step(http: httpx.Client, bridge: RunningServer) -> None:
    email_state = {"stepId": "send-email", "outputs": {}, "state": {"status": "completed"}}
    event = {**WELCOME_EXECUTE, "state": [INBOX_STATE, email_state]}
    response = post(http, bridge, "?action=execute&workflowId=contract-welcome&stepId=nope", compact(event))
    message = "Step with id: `nope` does not exist. Please provide a valid id."
    body = assert_error(response, bridge, 404, "StepNotFoundError", message)
    assert "data" not in body


# --- odd bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"null", b"[1, 2]", b'"text"', b"42", b"true", b'{"payload": ', b"\xff\xfe"])
def test_body_that_is_not_a_json_object(http: httpx.Client, bridge: RunningServer, raw: bytes) -> None:
    body = assert_error(post(http, bridge, EXECUTE_EMAIL, raw), bridge, 400, "InvalidRequestBodyError")
    assert body["message"].startswith("Invalid request body: expected a JSON object, got ")


def test_empty_body_means_an_empty_event(http: httpx.Client, bridge: RunningServer) -> None:
    # The Novu cloud signs an empty body as "{}", like every GET.
    response = post(http, bridge, EXECUTE_EMAIL, b"", signature=novu_signature(SECRET, b"{}"))
    body = assert_error(response, bridge, 400, "ExecutionEventPayloadInvalidError")
    assert body["data"] == {"message": "Event `payload` is required"}
