from __future__ import annotations

import json
from typing import Any

import pytest

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow
from novu_framework.testing import signed_headers

SECRET = "sk-test-core"


@workflow(
    "core-demo",
    payload_schema={
        "type": "object",
        "properties": {"name": {"type": "string"}, "n": {"type": "integer", "default": 1}},
        "required": ["name"],
        "additionalProperties": False,
    },
    tags=["demo"],
    name="Core demo",
)
async def core_demo(step: Any, payload: dict[str, Any]) -> None:
    inbox = await step.in_app("inbox", lambda controls: {"body": "Hello " + payload["name"]})
    await step.email(
        "mail",
        lambda controls: {"subject": controls["subject"], "body": f"seen={inbox.seen} n={payload['n']}"},
        control_schema={
            "type": "object",
            "properties": {"subject": {"type": "string", "default": "Hi {{payload.name}}"}},
            "additionalProperties": False,
        },
    )


class Bridge:
    """Calls a handler the way an adapter would, and decodes the answer."""

    def __init__(self, handler: NovuRequestHandler, strict: bool) -> None:
        self.handler = handler
        self.strict = strict

    async def request(
        self,
        method: str,
        query: str = "",
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> tuple[int, dict[str, str], Any]:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        all_headers = dict(headers or {})
        if sign and self.strict:
            all_headers.update(signed_headers(SECRET, data if method == "POST" and data else None))
        response = await self.handler.handle(BridgeRequest.from_raw(method, query, all_headers, data))
        return response.status, dict(response.headers), json.loads(response.body)


@pytest.fixture
def bridge() -> Bridge:
    client = Client(secret_key=SECRET, api_url="http://127.0.0.1:9", strict_authentication=True)
    return Bridge(NovuRequestHandler(workflows=[core_demo], client=client, framework_name="test"), True)


@pytest.fixture
def open_bridge() -> Bridge:
    client = Client(secret_key=SECRET, api_url="http://127.0.0.1:9", strict_authentication=False)
    return Bridge(NovuRequestHandler(workflows=[core_demo], client=client, framework_name="test"), False)
