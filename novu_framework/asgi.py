"""The bridge as a raw ASGI app: no framework, no Request/Response objects on the hot path.

Used by the FastAPI adapter's routes and by the Django ASGI wrapper; any ASGI server can serve it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from novu_framework.handler import NovuRequestHandler

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ClientDisconnected(ConnectionError):
    """The client went away before its request body was complete."""


async def answer_http(handler: NovuRequestHandler, scope: Scope, receive: Receive, send: Send) -> None:
    """Read one HTTP request from ``receive``, answer it with ``handler``, write the answer to ``send``.

    The body is handed to the handler as it streams in, so the handler's limits are checked before
    more than ``max_body_bytes`` is ever held.
    """

    async def body() -> AsyncIterator[bytes]:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnected("the client disconnected before the body was complete")
            yield message.get("body", b"")
            if not message.get("more_body", False):
                return

    answer = await handler.handle_stream(
        scope["method"],
        scope.get("query_string", b""),
        [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]],
        body(),
    )
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers.items()]
    headers.append((b"content-length", str(len(answer.body)).encode("ascii")))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


def bridge_in_front(app: ASGIApp, handler: NovuRequestHandler, path: str) -> ASGIApp:
    """An ASGI app answering HTTP requests to ``path`` (with or without a trailing slash) with the
    bridge, and passing everything else (other paths, websockets, lifespan) to ``app``."""
    bare = "/" + path.strip("/")
    paths = {bare, bare + "/"}

    async def front(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in paths:
            await answer_http(handler, scope, receive, send)
        else:
            await app(scope, receive, send)

    return front
