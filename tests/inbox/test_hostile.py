"""Hostile requests to the Inbox API's handler: each gets a JSON 4xx naming what is wrong, never a
500, a traceback or a hang."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from novu_framework.inbox.handlers import InboxApi
from novu_framework.js.json import loads
from novu_framework.runtime import Runtime
from tests.inbox.apps import WORKFLOWS

CASES = [
    ("GET", "/v1/inbox/notifications", "&".join(f"x{i}=1" for i in range(300)), b"", 400, "200"),
    ("GET", "/v1/inbox/notifications", "read=%ff", b"", 400, "UTF-8"),
    ("POST", "/v1/inbox/notifications/read", "", b"[" * 40000 + b"]" * 40000, 413, "65536"),
    ("POST", "/v1/inbox/notifications/read", "", b"[" * 30000 + b"]" * 30000, 400, "JSON"),
    ("POST", "/v1/inbox/session", "", b'{"subscriber": {"subscriberId": "a\\ud800"}}', 400, "Unicode"),
    ("POST", "/v1/inbox/session", "", b"\xff\xfe", 400, "JSON"),
    ("POST", "/v1/inbox/session", "", b'{"subscriber": 5}', 400, "subscriberId"),
    ("GET", "/v1/inbox/notifications", "data=" + "%5B" * 5000, b"", 400, "data"),
    ("GET", "/v1/inbox/notifications", "data=%7B%22k%22%3ANaN%7D", b"", 400, "data"),
    ("GET", "/v1/inbox/notifications/count", "filters=" + "%5B" * 5000, b"", 400, "filters"),
    ("GET", "/v1/inbox/notifications", "after=%00", b"", 400, "after"),
    ("GET", "/v1/inbox/notifications", "after=not-mine", b"", 400, "after"),
    ("PATCH", "/v1/inbox/notifications/%ff%fe/read", "", b"", 404, "is not found"),
    ("PATCH", "/v1/inbox/notifications/~!!!/read", "", b"", 404, "is not found"),
    ("PATCH", "/v1/inbox/notifications/x/explode", "", b"", 404, "Cannot PATCH"),
    ("POST", "/v1/inbox/notifications/seen", "", b'{"notificationIds": ["x", 1]}', 400, "notificationIds"),
    ("POST", "/v1/inbox/notifications/seen", "", b'{"notificationIds": {"a": 1}}', 400, "notificationIds"),
    ("GET", "/v1/inbox/notifications", "&".join(["tags%5B%5D=t"] * 150), b"", 400, "at most 100"),
    ("POST", "/v1/inbox/notifications/read", "", b'{"data": 5}', 400, "data"),
    ("POST", "/v1/inbox/notifications/archive", "", b'{"tags": [1]}', 400, "tags"),
    ("DELETE", "/v1/inbox/notifications", "", b"", 405, "GET"),
    ("POST", "/v1/inbox/preferences/read", "", b"{}", 404, "Cannot POST"),
]


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[InboxApi]:
    async with Runtime(WORKFLOWS, store=str(tmp_path / "hostile.sqlite3")) as runtime:
        yield InboxApi(runtime, secret="s")


@pytest.mark.parametrize(("method", "path", "query", "body", "status", "words"), CASES)
async def test_refused_with_a_clear_json_error(
    api: InboxApi, method: str, path: str, query: str, body: bytes, status: int, words: str
) -> None:
    headers = {"authorization": "Bearer " + api.signer.issue("alice")}
    response = await api.handle(method, path, query, headers, body)
    assert response.status == status, response.body[:300]
    answer = loads(response.body)
    assert answer["statusCode"] == status and words in answer["message"], answer
