"""The few ASGI pieces the Studio needs: a parsed request, JSON and file responses, a bounded body.

Written here rather than taken from Starlette so that the Studio mounts in any ASGI server or
framework (FastAPI, Starlette, Django) with no web framework among the package's dependencies.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class HttpError(Exception):
    """An error answered as JSON ``{"message", "code", "data"}`` with ``status``."""

    def __init__(self, status: int, message: str, code: str = "StudioError", data: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.data = data

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass
class Request:
    method: str
    path: str  # below the Studio's mount point, starting with "/"
    query: dict[str, str]
    headers: dict[str, str]
    scope: Scope
    receive: Receive

    async def body(self) -> bytes:
        """The request body, refused past :data:`MAX_BODY_BYTES` before more is read."""
        declared = self.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise HttpError(413, f"the request body is over {MAX_BODY_BYTES} bytes", "RequestBodyTooLarge")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise HttpError(400, "the client went away", "ClientDisconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise HttpError(
                    413, f"the request body is over {MAX_BODY_BYTES} bytes", "RequestBodyTooLarge"
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def json(self) -> dict[str, Any]:
        """The body as a JSON object; a clear 400 for anything else."""
        kind = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise HttpError(415, "send the request body as JSON (Content-Type: application/json)", "NotJson")
        raw = await self.body()
        try:
            value = json.loads(raw or b"{}")
        except ValueError as exc:
            raise HttpError(400, f"the request body is not valid JSON: {exc}", "InvalidJson") from exc
        if not isinstance(value, dict):
            raise HttpError(400, "the request body must be a JSON object", "InvalidJson")
        return value


def request_of(scope: Scope, receive: Receive) -> Request:
    path = scope.get("path", "/")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]  # Starlette's Mount keeps the full path and sets root_path
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    return Request(scope.get("method", "GET"), path or "/", query, headers, scope, receive)


async def send_bytes(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, value: Any) -> None:
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    await send_bytes(send, status, body, "application/json; charset=utf-8", [(b"cache-control", b"no-store")])
