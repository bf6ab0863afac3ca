"""The Inbox API mounted in each supported stack, on real servers on 127.0.0.1: FastAPI (a Starlette
mount) and Django under ASGI with real-time, Flask and Django under WSGI with the HTTP routes and a
clear answer for the socket.io path."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from novu_framework.inbox import REALTIME_NEEDS_ASGI, inbox_app, inbox_wsgi_app, with_inbox, with_inbox_wsgi
from novu_framework.runtime import Runtime
from tests.inbox.apps import WORKFLOWS
from tests.servers import fastapi_app, start_asgi, start_werkzeug, start_wsgiref


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    """A store holding two messages for alice and one for bob."""
    path = str(tmp_path / "mounted.sqlite3")

    async def populate() -> None:
        async with Runtime(WORKFLOWS, store=path) as runtime:
            await runtime.trigger("comment", "alice", {"n": 1})
            await runtime.trigger("news", "alice", {})
            await runtime.trigger("comment", "bob", {"n": 2})
            await runtime.run_until_idle()

    asyncio.run(populate())
    return path


def check_http(base: str) -> None:
    session = httpx.post(f"{base}/v1/inbox/session", json={"subscriber": {"subscriberId": "alice"}})
    assert session.status_code == 201, session.text
    data = session.json()["data"]
    assert data["unreadCount"]["total"] == 2
    listed = httpx.get(f"{base}/v1/inbox/notifications", headers={"authorization": f"Bearer {data['token']}"})
    assert listed.status_code == 200 and len(listed.json()["data"]) == 2


def check_socket(base: str) -> None:
    import websockets.sync.client

    token = httpx.post(f"{base}/v1/inbox/session", json={"subscriber": {"subscriberId": "alice"}}).json()[
        "data"
    ]["token"]
    url = base.replace("http://", "ws://") + f"/socket.io/?EIO=4&transport=websocket&token={token}"
    with websockets.sync.client.connect(url, open_timeout=10) as ws:
        assert str(ws.recv(timeout=10)).startswith('0{"sid"')
        ws.send("40")
        assert str(ws.recv(timeout=10)).startswith('40{"sid"')
    with websockets.sync.client.connect(url.replace(token, "forged"), open_timeout=10) as ws:
        ws.recv(timeout=10)
        ws.send("40")
        assert str(ws.recv(timeout=10)).startswith("44")  # connect refused


@pytest.fixture
def served() -> Iterator[list[Any]]:
    stops: list[Any] = []
    yield stops
    for stop in stops:
        stop()


def test_fastapi_with_a_starlette_mount(store_path: str, served: list[Any]) -> None:
    from novu_framework import Client

    runtime = Runtime(WORKFLOWS, store=store_path)
    app = fastapi_app(WORKFLOWS, Client(secret_key="k", strict_authentication=False))
    app.mount("/", inbox_app(runtime, secret="s"))
    port, stop = start_asgi(app, "inbox-fastapi")
    served.append(stop)
    base = f"http://127.0.0.1:{port}"
    check_http(base)
    check_socket(base)
    assert httpx.get(f"{base}/api/novu?action=health-check").status_code == 200


def test_django_asgi_with_inbox(store_path: str, served: list[Any]) -> None:
    from django.core.asgi import get_asgi_application

    from tests.adapters import django_setup

    django_setup.configure()
    runtime = Runtime(WORKFLOWS, store=store_path)
    port, stop = start_asgi(
        with_inbox(get_asgi_application(), inbox_app(runtime, secret="s")), "inbox-django-asgi"
    )
    served.append(stop)
    base = f"http://127.0.0.1:{port}"
    check_http(base)
    check_socket(base)
    assert httpx.get(f"{base}/api/novu?action=health-check").status_code == 200


def test_flask_wsgi_serves_the_http_routes(store_path: str, served: list[Any]) -> None:
    from flask import Flask

    runtime = Runtime(WORKFLOWS, store=store_path)
    app = Flask("inbox")
    app.wsgi_app = with_inbox_wsgi(app.wsgi_app, inbox_wsgi_app(runtime, secret="s"))  # type: ignore[method-assign]
    port, stop = start_werkzeug(app, "inbox-flask")
    served.append(stop)
    base = f"http://127.0.0.1:{port}"
    check_http(base)
    socket_io = httpx.get(f"{base}/socket.io/?EIO=4&transport=polling")
    assert socket_io.status_code == 501 and socket_io.json()["message"] == REALTIME_NEEDS_ASGI


def test_django_wsgi_serves_the_http_routes(store_path: str, served: list[Any]) -> None:
    from django.core.wsgi import get_wsgi_application

    from tests.adapters import django_setup

    django_setup.configure()
    runtime = Runtime(WORKFLOWS, store=store_path)
    app = with_inbox_wsgi(get_wsgi_application(), inbox_wsgi_app(runtime, secret="s"))
    port, stop = start_wsgiref(app, "inbox-django-wsgi")
    served.append(stop)
    base = f"http://127.0.0.1:{port}"
    check_http(base)
    assert httpx.get(f"{base}/socket.io/").status_code == 501
    assert httpx.get(f"{base}/api/novu?action=health-check").status_code == 200
