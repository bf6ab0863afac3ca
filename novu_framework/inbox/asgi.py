"""The Inbox API as an ASGI app (HTTP routes and, by default, socket.io at ``/socket.io/``), and its
composition with another ASGI app such as the bridge, so that one origin serves them all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from novu_framework.inbox.handlers import MAX_BODY_BYTES, PREFIX, InboxApi, Response, _error
from novu_framework.inbox.realtime import Realtime
from novu_framework.runtime.local import Runtime

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SOCKET_PATH = "/socket.io"


class InboxAsgi:
    """An ASGI app serving ``/v1/inbox/...`` (and ``/socket.io/`` when ``realtime`` is on)."""

    def __init__(self, api: InboxApi, *, realtime: Realtime | None) -> None:
        self.api = api
        self.realtime = realtime
        self._sio_app: ASGIApp | None = None
        if realtime is not None:
            import socketio

            self._sio_app = socketio.ASGIApp(realtime.sio, socketio_path="socket.io")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await self._lifespan(receive, send)
            return
        path = _path(scope)
        if path == SOCKET_PATH or path.startswith(SOCKET_PATH + "/"):
            if self._sio_app is None or self.realtime is None:
                if kind == "http":
                    await _send(send, _error(404, "real-time is off on this server"))
                return
            self.realtime.start()
            await self._sio_app({**scope, "path": path, "root_path": ""}, receive, send)
            return
        if kind != "http":
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        body = await _read_body(receive)
        if body is None:
            response = _error(413, f"the request body must be at most {MAX_BODY_BYTES} bytes")
            response.headers.extend(self.api.cors_headers(headers.get("origin")))
            await _send(send, response)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if self.realtime is not None:
            self.realtime.start()
        response = await self.api.handle(scope["method"], path, query, headers, body)
        await _send(send, response)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def aclose(self) -> None:
        """Stop the real-time watcher (the runtime is the caller's to close)."""
        if self.realtime is not None:
            await self.realtime.stop()


def inbox_app(
    runtime: Runtime,
    *,
    secret: str | bytes | None = None,
    hmac_key: str | None = None,
    application_identifier: str | None = None,
    cors_origins: str | Sequence[str] = "*",
    realtime: bool = True,
    poll_interval: float = 0.25,
) -> InboxAsgi:
    """The Inbox API of ``runtime`` as an ASGI app: mount it at the origin's root (it answers
    ``/v1/inbox/...`` and ``/socket.io/`` and nothing else), or compose it with :func:`with_inbox`.

    ``hmac_key``: require the platform's subscriber hash (see :class:`InboxApi`); ``realtime=False``
    serves the HTTP routes only. Needs an ASGI server with WebSocket support (``uvicorn[standard]``).
    """
    api = InboxApi(
        runtime,
        secret=secret,
        hmac_key=hmac_key,
        application_identifier=application_identifier,
        cors_origins=cors_origins,
    )
    rt = Realtime(api, cors_origins=cors_origins, poll_interval=poll_interval) if realtime else None
    return InboxAsgi(api, realtime=rt)


def with_inbox(app: ASGIApp, inbox: InboxAsgi) -> ASGIApp:
    """One ASGI app: ``/v1/inbox/...`` and ``/socket.io/`` go to ``inbox``, everything else (and the
    lifespan) to ``app`` — e.g. the bridge at ``/api/novu``."""

    async def composed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path = _path(scope)
            if path in (PREFIX, SOCKET_PATH) or path.startswith((PREFIX + "/", SOCKET_PATH + "/")):
                await inbox(scope, receive, send)
                return
        if scope["type"] == "lifespan":
            await _lifespan_both(app, inbox, scope, receive, send)
            return
        await app(scope, receive, send)

    return composed


async def _lifespan_both(app: ASGIApp, inbox: InboxAsgi, scope: Scope, receive: Receive, send: Send) -> None:
    async def on_shutdown_send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "lifespan.shutdown.complete":
            await inbox.aclose()
        await send(message)

    await app(scope, receive, on_shutdown_send)


def _path(scope: Scope) -> str:
    """The request path below the mount point (Starlette keeps the full path and sets root_path)."""
    path: str = scope.get("path", "/")
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


async def _read_body(receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send(send: Send, response: Response) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
