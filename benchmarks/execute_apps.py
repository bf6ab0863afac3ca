"""Each adapter's app, built as a user would and called in-process (no network), for ``execute.py``.

Every caller returns ``(status, body)`` for one signed execute of a workflow id; a fresh ASGI scope
or WSGI environ is built for each call, as a server would.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from execute_workflows import BODY_BYTES, WORKFLOWS, query

from novu_framework import BridgeRequest, Client, NovuRequestHandler
from novu_framework.testing import signed_headers

SECRET = "sk_bench_execute"
PREFIX = "/api/novu"

AsyncCall = Callable[[str], Awaitable[tuple[int, bytes]]]
SyncCall = Callable[[str], tuple[int, bytes]]


def client() -> Client:
    return Client(secret_key=SECRET, strict_authentication=True)


def _headers() -> dict[str, str]:
    # One signature per round keeps the signing cost (the platform's, not ours) out of the figure;
    # the bridge still verifies it on every request.
    return signed_headers(SECRET, BODY_BYTES)


# --- the core's request handler -----------------------------------------------------------------


def handler_async() -> AsyncCall:
    handler = NovuRequestHandler(WORKFLOWS, client())
    headers = _headers()

    async def call(workflow_id: str) -> tuple[int, bytes]:
        answer = await handler.handle(BridgeRequest.from_raw("POST", query(workflow_id), headers, BODY_BYTES))
        return answer.status, answer.body

    return call


def handler_sync() -> SyncCall:
    handler = NovuRequestHandler(WORKFLOWS, client())
    headers = _headers()

    def call(workflow_id: str) -> tuple[int, bytes]:
        answer = handler.handle_sync(BridgeRequest.from_raw("POST", query(workflow_id), headers, BODY_BYTES))
        return answer.status, answer.body

    return call


# --- ASGI -------------------------------------------------------------------------------------------


def _asgi_caller(app: Any) -> AsyncCall:
    headers = [(k.encode(), v.encode()) for k, v in _headers().items()]
    headers += [(b"host", b"127.0.0.1"), (b"content-length", str(len(BODY_BYTES)).encode())]

    async def call(workflow_id: str) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": PREFIX,
            "raw_path": PREFIX.encode(),
            "root_path": "",
            "query_string": query(workflow_id).encode(),
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:  # the client stays connected: wait until the app stops listening
                await asyncio.get_running_loop().create_future()
            sent = True
            return {"type": "http.request", "body": BODY_BYTES, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(chunks)

    return call


def fastapi_app() -> AsyncCall:
    from tests.servers import fastapi_app

    return _asgi_caller(fastapi_app(WORKFLOWS, client(), PREFIX))


def django_asgi_app() -> AsyncCall:
    from django.core.asgi import get_asgi_application

    django_setup()
    return _asgi_caller(get_asgi_application())


# --- WSGI -------------------------------------------------------------------------------------------


def _wsgi_caller(app: Any) -> SyncCall:
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in _headers().items() if k != "content-type"}

    def call(workflow_id: str) -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": "POST",
            "SCRIPT_NAME": "",
            "PATH_INFO": PREFIX,
            "QUERY_STRING": query(workflow_id),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(BODY_BYTES)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(BODY_BYTES),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **extra,
        }
        status: list[str] = []

        def start_response(line: str, headers: Any, exc_info: Any = None) -> None:
            status.append(line)

        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return int(status[0].split(" ", 1)[0]), body

    return call


def flask_app() -> SyncCall:
    from tests.servers import flask_app

    return _wsgi_caller(flask_app(WORKFLOWS, client(), "bench", PREFIX))


def django_wsgi_app() -> SyncCall:
    from django.core.wsgi import get_wsgi_application

    django_setup()
    return _wsgi_caller(get_wsgi_application())


def django_setup() -> None:
    """Django configured as a small project would be: the default middleware that needs no database."""
    from tests.servers import configure_django, django_bridge_path, urlconf

    configure_django(urlconf(django_bridge_path(WORKFLOWS, client())))
