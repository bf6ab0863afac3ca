"""The Inbox API over real HTTP: one subscriber's token can neither read nor change another's
messages, tokens are checked, inputs are validated as the platform validates them (JSON errors that
name the field), the filter echo is exact, CORS lets a browser app on another origin call, HMAC."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import httpx
import pytest

from novu_framework.inbox import subscriber_hash
from tests.inbox.conftest import Server


@pytest.fixture
def two(server: Server) -> tuple[Server, str, str, list[dict[str, object]], list[dict[str, object]]]:
    a, b = server.session("alice"), server.session("bob")
    server.trigger("comment", "alice", {"n": 1})
    server.trigger("news", "alice", {"title": "for alice"})
    server.trigger("comment", "bob", {"n": 2})
    return server, a, b, server.wait_for(a, 2), server.wait_for(b, 1)


def test_a_token_reaches_only_its_own_subscriber(two: tuple[Server, str, str, list, list]) -> None:
    server, a, b, alice, bob = two
    bob_id = bob[0]["id"]
    assert {n["to"]["subscriberId"] for n in alice} == {"alice"} and len(alice) == 2
    for action in ("read", "unread", "archive", "unarchive"):
        response = server.request("PATCH", f"/v1/inbox/notifications/{bob_id}/{action}", a)
        assert response.status_code == 404, response.text
        assert response.json()["message"] == f"Notification with id: {bob_id} is not found."
    assert (
        server.request(
            "POST", "/v1/inbox/notifications/seen", a, json={"notificationIds": [bob_id]}
        ).status_code
        == 204
    )
    for route in ("read", "archive", "read-archive"):
        assert server.request("POST", f"/v1/inbox/notifications/{route}", a, json={}).status_code == 204
    after = server.get(f"/v1/inbox/notifications/count?filters={json.dumps([{'archived': True}])}", a).json()
    assert after["data"][0]["count"] == 2  # alice's own messages did change
    [mine] = server.get("/v1/inbox/notifications", b).json()["data"]
    assert (mine["isRead"], mine["isSeen"], mine["isArchived"]) == (False, False, False)
    cursor = server.get(f"/v1/inbox/notifications?after={bob_id}", a)
    assert cursor.status_code == 400 and "after" in cursor.json()["message"]
    counts = server.get(f"/v1/inbox/notifications/count?filters={json.dumps([{}])}", b).json()
    assert counts["data"][0]["count"] == 1


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Basic abc", "Bearer e30.AAAA"],
)
def test_requests_without_a_valid_token_are_refused(shared_server: Server, header: str | None) -> None:
    headers = {} if header is None else {"authorization": header}
    response = httpx.get(shared_server.url + "/v1/inbox/notifications", headers=headers)
    assert response.status_code == 401 and response.json()["statusCode"] == 401


def test_a_tampered_token_is_refused(shared_server: Server) -> None:
    token = shared_server.session("alice")
    _head, sig = token.split(".")
    forged = json.dumps({"sub": "bob", "exp": 9999999999}).encode()
    other = base64.urlsafe_b64encode(forged).decode().rstrip("=") + "." + sig
    assert shared_server.get("/v1/inbox/notifications", other).status_code == 401
    assert shared_server.get("/v1/inbox/notifications", token).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=100001", "offset"),
        ("read=maybe", "read"),
        ("archived=1", "archived"),
        ("data=%5B1%5D", "data"),
        ("data=%7Bnot", "data"),
        ("severity%5B%5D=urgent", "severity"),
        ("read=false&archived=true", "unread and archived"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_list_validation(shared_server: Server, query: str, field: str) -> None:
    response = shared_server.get(f"/v1/inbox/notifications?{query}", shared_server.session("alice"))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert field in response.json()["message"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (None, "filters is required"),
        ("nope", "JSON array"),
        (json.dumps({"read": False}), "JSON array"),
        (json.dumps([{}] * 31), "at most 30"),
        (json.dumps([{"read": "yes"}]), "read"),
        (json.dumps([{"tags": "t1", "seen": 3}]), "seen"),
        (json.dumps([{"read": False, "archived": True}]), "unread and archived"),
    ],
)
def test_count_validation(shared_server: Server, filters: str | None, field: str) -> None:
    query = "" if filters is None else "?" + httpx.QueryParams({"filters": filters}).__str__()
    response = shared_server.get(f"/v1/inbox/notifications/count{query}", shared_server.session("alice"))
    assert response.status_code == 400 and field in response.json()["message"], response.text


def test_bodies_routes_and_methods(shared_server: Server) -> None:
    token = shared_server.session("alice")
    bad_json = shared_server.request("POST", "/v1/inbox/notifications/read", token, content=b"{nope")
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["message"]
    unknown = shared_server.request("POST", "/v1/inbox/notifications/read", token, json={"nope": 1})
    assert unknown.status_code == 400 and "nope" in unknown.json()["message"]
    huge = shared_server.request(
        "POST", "/v1/inbox/notifications/seen", token, content=b"[" + b"1," * 40000 + b"1]"
    )
    assert huge.status_code == 413
    assert shared_server.request("GET", "/v1/inbox/nothing-here", token).status_code == 404
    wrong = shared_server.request("GET", "/v1/inbox/notifications/read", token)
    assert wrong.status_code == 405 and wrong.json()["message"].endswith("use POST")
    for body, field in (
        ({}, "subscriber.subscriberId"),
        ({"subscriber": {"subscriberId": ""}}, "subscriber.subscriberId"),
        ({"subscriber": {"subscriberId": "x" * 300}}, "at most 256"),
        ([], "JSON object"),
    ):
        response = httpx.post(shared_server.url + "/v1/inbox/session", json=body)
        assert response.status_code == 400 and field in response.json()["message"], response.text


def test_filter_echo_is_exact(shared_server: Server) -> None:
    token = shared_server.session("alice")
    query = (
        "limit=10&tags%5B%5D=t1&read=false&archived=false&snoozed=false&seen=false"
        "&data=%7B%22k%22%3A1%7D&severity%5B%5D=high&severity%5B%5D=none"
    )
    echo = shared_server.get(f"/v1/inbox/notifications?{query}", token).json()["filter"]
    assert json.dumps(echo) == json.dumps(
        {
            "tags": ["t1"],
            "read": False,
            "archived": False,
            "snoozed": False,
            "seen": False,
            "data": {"k": 1},
            "severity": ["high", "none"],
        }
    )
    assert shared_server.get("/v1/inbox/notifications?limit=3", token).json()["filter"] == {}
    assert shared_server.get("/v1/inbox/notifications?snoozed=true", token).json()["data"] == []


def test_ids_that_are_not_url_safe_are_encoded(server: Server) -> None:
    token = server.session("alice")
    server.trigger("news", "alice", {"title": "odd step id"})
    [item] = server.wait_for(token, 1)
    assert item["id"].startswith("~") and all(c.isalnum() or c in "._~:-" for c in item["id"])
    read = server.request("PATCH", f"/v1/inbox/notifications/{item['id']}/read", token)
    assert read.status_code == 200 and read.json()["data"]["isRead"] is True


def test_cors_for_a_browser_app_on_another_origin(shared_server: Server) -> None:
    preflight = httpx.options(
        shared_server.url + "/v1/inbox/notifications",
        headers={
            "origin": "http://localhost:5173",
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization,content-type,novu-api-version",
        },
    )
    assert preflight.status_code == 204
    allowed = preflight.headers["access-control-allow-headers"]
    assert {"authorization", "content-type", "novu-api-version"} <= {h.strip() for h in allowed.split(",")}
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    answer = httpx.post(
        shared_server.url + "/v1/inbox/session",
        json={"subscriber": {"subscriberId": "a"}},
        headers={"origin": "http://localhost:5173"},
    )
    assert answer.headers["access-control-allow-origin"] == "*"


def test_hmac_subscriber_hash_when_enabled(make_server: Callable[..., Server]) -> None:
    server = make_server("--hmac-key", "sk-test")
    body = {"applicationIdentifier": "app", "subscriber": {"subscriberId": "alice"}}
    missing = httpx.post(server.url + "/v1/inbox/session", json=body)
    assert missing.status_code == 400 and missing.json()["message"] == "Please provide a valid HMAC hash"
    wrong = httpx.post(
        server.url + "/v1/inbox/session", json={**body, "subscriberHash": subscriber_hash("sk-test", "bob")}
    )
    assert wrong.status_code == 400
    right = httpx.post(
        server.url + "/v1/inbox/session", json={**body, "subscriberHash": subscriber_hash("sk-test", "alice")}
    )
    assert right.status_code == 201 and right.json()["data"]["token"]


def test_session_answer(server: Server) -> None:
    server.trigger("comment", "alice", {"n": 1})
    server.wait_for(server.session("alice"), 1)
    data = httpx.post(
        server.url + "/v1/inbox/session", json={"subscriber": {"subscriberId": "alice"}}
    ).json()["data"]
    assert data["unreadCount"] == {"total": 1, "severity": {"high": 1, "medium": 0, "low": 0, "none": 0}}
    assert data["totalUnreadCount"] == 1 and data["maxSnoozeDurationHours"] == 0
    assert data["removeNovuBranding"] is True and "applicationIdentifier" not in data
