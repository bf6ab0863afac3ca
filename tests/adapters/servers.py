"""Real HTTP servers on 127.0.0.1 (random free ports), one per framework, each serving the contract workflows.

FastAPI and Django-ASGI run under uvicorn, Flask under Werkzeug's threaded server, Django-WSGI under the
standard library's wsgiref (threaded), so a Django-only install needs no Werkzeug.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref import simple_server

from .bridge_workflows import WORKFLOWS, make_client

PREFIX = "/api/novu"


@dataclass
class RunningServer:
    """A started server: the adapter name it reports, its bridge URL, the thread its accept loop runs on."""

    backend: str
    framework_name: str
    bridge_url: str
    thread_name: str
    stop: Callable[[], None]


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout} s")
        time.sleep(0.01)


def _serve_asgi(app: Any, thread_name: str) -> tuple[int, Callable[[], None]]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=thread_name, daemon=True)
    thread.start()
    _wait_until(lambda: server.started, f"uvicorn ({thread_name})")

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        sock.close()

    return port, stop


def _serve_werkzeug(app: Any, thread_name: str) -> tuple[int, Callable[[], None]]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    return _serve_forever(server, server.server_port, thread_name)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's default of 5 resets bursts of concurrent connections


def _serve_wsgiref(app: Any, thread_name: str) -> tuple[int, Callable[[], None]]:
    server = simple_server.make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    return _serve_forever(server, server.server_port, thread_name)


def _serve_forever(server: Any, port: int, thread_name: str) -> tuple[int, Callable[[], None]]:
    thread = threading.Thread(target=server.serve_forever, name=thread_name, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(10)

    return port, stop


def _running(
    backend: str, framework_name: str, port: int, thread_name: str, stop: Callable[[], None]
) -> RunningServer:
    return RunningServer(backend, framework_name, f"http://127.0.0.1:{port}{PREFIX}", thread_name, stop)


def start_fastapi() -> RunningServer:
    from fastapi import FastAPI

    from novu_framework_fastapi import serve

    app = FastAPI()
    app.include_router(serve(workflows=WORKFLOWS, client=make_client()), prefix=PREFIX)
    name = "contract-fastapi-uvicorn"
    port, stop = _serve_asgi(app, name)
    return _running("fastapi", "fastapi", port, name, stop)


def start_flask() -> RunningServer:
    from flask import Flask

    from novu_framework_flask import serve

    app = Flask("contract")
    app.register_blueprint(serve(workflows=WORKFLOWS, client=make_client()), url_prefix=PREFIX)
    name = "contract-flask-werkzeug"
    port, stop = _serve_werkzeug(app, name)
    return _running("flask", "flask", port, name, stop)


def start_django_wsgi() -> RunningServer:
    from django.core.wsgi import get_wsgi_application

    from . import django_setup

    django_setup.configure()
    name = "contract-django-wsgi"
    port, stop = _serve_wsgiref(get_wsgi_application(), name)
    return _running("django-wsgi", "django", port, name, stop)


def start_django_asgi() -> RunningServer:
    from django.core.asgi import get_asgi_application

    from . import django_setup

    django_setup.configure()
    name = "contract-django-asgi"
    port, stop = _serve_asgi(get_asgi_application(), name)
    return _running("django-asgi", "django", port, name, stop)


def start_django_asgi_front() -> RunningServer:
    """Django's ASGI app wrapped by ``bridge_before_django``: the bridge answered before Django."""
    from django.core.asgi import get_asgi_application

    from novu_framework_django import bridge_before_django

    from . import django_setup

    django_setup.configure()
    app = bridge_before_django(get_asgi_application(), WORKFLOWS, PREFIX, client=make_client())
    name = "contract-django-asgi-front"
    port, stop = _serve_asgi(app, name)
    return _running("django-asgi-front", "django", port, name, stop)


STARTERS: dict[str, Callable[[], RunningServer]] = {
    "fastapi": start_fastapi,
    "flask": start_flask,
    "django-wsgi": start_django_wsgi,
    "django-asgi": start_django_asgi,
    "django-asgi-front": start_django_asgi_front,
}
