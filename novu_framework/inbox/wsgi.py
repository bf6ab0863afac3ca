"""The Inbox API's HTTP routes as a WSGI app, for Flask and Django under a WSGI server.

WSGI cannot hold a WebSocket, so there is no real-time channel here: ``/socket.io/`` answers 501
saying so. The client still lists, counts and changes messages; ``<Inbox />`` shows new ones and
new counts only when it reloads. Serve :func:`novu_framework.inbox.inbox_app` under an ASGI server
for real-time.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from novu_framework.inbox.handlers import MAX_BODY_BYTES, PREFIX, InboxApi, _error
from novu_framework.runtime.local import Runtime

REALTIME_NEEDS_ASGI = (
    "The Inbox real-time channel (socket.io) needs an ASGI server: this app runs under WSGI. "
    "Serve novu_framework.inbox.inbox_app(runtime) with uvicorn (pip install 'novu-framework[inbox]')."
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class InboxWsgi:
    """A WSGI app answering ``/v1/inbox/...``; the runtime's store is used from one event loop that
    runs in a thread of its own."""

    def __init__(self, api: InboxApi) -> None:
        self.api = api
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="novu-inbox-wsgi", daemon=True)
        self._thread.start()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if "/socket.io" in path:
            response = _error(501, REALTIME_NEEDS_ASGI)
        else:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY_BYTES:
                response = _error(413 if length > 0 else 400, "the request body must be at most 64 KiB")
            else:
                body = environ["wsgi.input"].read(length) if length else b""
                headers = {
                    k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
                }
                if "CONTENT_TYPE" in environ:
                    headers["content-type"] = environ["CONTENT_TYPE"]
                coro = self.api.handle(
                    environ.get("REQUEST_METHOD", "GET"), path, environ.get("QUERY_STRING", ""), headers, body
                )
                response = asyncio.run_coroutine_threadsafe(coro, self._loop).result()
        reason = {200: "OK", 201: "Created", 204: "No Content"}.get(response.status, "Error")
        start_response(
            f"{response.status} {reason}", [*response.headers, ("content-length", str(len(response.body)))]
        )
        return [response.body]


WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def with_inbox_wsgi(app: WsgiApp, inbox: InboxWsgi) -> WsgiApp:
    """One WSGI app: ``/v1/inbox/...`` and ``/socket.io/`` go to ``inbox``, the rest to ``app``
    (e.g. ``flask_app.wsgi_app = with_inbox_wsgi(flask_app.wsgi_app, inbox_wsgi_app(runtime))``)."""

    def composed(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == PREFIX or path.startswith((PREFIX + "/", "/socket.io")):
            return inbox(environ, start_response)
        return app(environ, start_response)

    return composed


def inbox_wsgi_app(
    runtime: Runtime,
    *,
    secret: str | bytes | None = None,
    hmac_key: str | None = None,
    application_identifier: str | None = None,
    cors_origins: str | Sequence[str] = "*",
) -> InboxWsgi:
    """The Inbox API's HTTP routes as a WSGI app (no real-time: see the module's docstring)."""
    return InboxWsgi(
        InboxApi(
            runtime,
            secret=secret,
            hmac_key=hmac_key,
            application_identifier=application_identifier,
            cors_origins=cors_origins,
        )
    )
