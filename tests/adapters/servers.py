"""The contract suite's servers: every adapter's real server on 127.0.0.1 (a free port each), serving
the contract workflows through the shared harness (``tests/servers.py``).

FastAPI and Django-ASGI run under uvicorn, Flask under Werkzeug's threaded server, Django-WSGI under the
standard library's wsgiref (threaded), so a Django-only install needs no Werkzeug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from tests.servers import (
    PREFIX,
    Served,
    fastapi_app,
    flask_app,
    skip_unless_installed,
    start_asgi,
    start_werkzeug,
    start_wsgiref,
)

from .bridge_workflows import WORKFLOWS, make_client

__all__ = ["PREFIX", "STARTERS", "RunningServer", "http_client", "serving"]


@dataclass
class RunningServer:
    """A started server: the adapter name it reports, its bridge URL, the thread its accept loop runs on."""

    backend: str
    framework_name: str
    bridge_url: str
    thread_name: str
    stop: Callable[[], None]


def _running(backend: str, framework_name: str, start: Callable[[str], Served]) -> RunningServer:
    thread_name = f"contract-{backend}"
    port, stop = start(thread_name)
    return RunningServer(backend, framework_name, f"http://127.0.0.1:{port}{PREFIX}", thread_name, stop)


def start_fastapi() -> RunningServer:
    app = fastapi_app(WORKFLOWS, make_client())
    return _running("fastapi", "fastapi", lambda name: start_asgi(app, name))


def start_flask() -> RunningServer:
    app = flask_app(WORKFLOWS, make_client(), "contract")
    return _running("flask", "flask", lambda name: start_werkzeug(app, name))


def start_django_wsgi() -> RunningServer:
    from django.core.wsgi import get_wsgi_application

    from . import django_setup

    django_setup.configure()
    return _running("django-wsgi", "django", lambda name: start_wsgiref(get_wsgi_application(), name))


def start_django_asgi() -> RunningServer:
    from django.core.asgi import get_asgi_application

    from . import django_setup

    django_setup.configure()
    return _running("django-asgi", "django", lambda name: start_asgi(get_asgi_application(), name))


def start_django_asgi_front() -> RunningServer:
    """Django's ASGI app wrapped by ``bridge_before_django``: the bridge answered before Django."""
    from django.core.asgi import get_asgi_application

    from novu_framework_django import bridge_before_django

    from . import django_setup

    django_setup.configure()
    app = bridge_before_django(get_asgi_application(), WORKFLOWS, PREFIX, client=make_client())
    return _running("django-asgi-front", "django", lambda name: start_asgi(app, name))


STARTERS: dict[str, Callable[[], RunningServer]] = {
    "fastapi": start_fastapi,
    "flask": start_flask,
    "django-wsgi": start_django_wsgi,
    "django-asgi": start_django_asgi,
    "django-asgi-front": start_django_asgi_front,
}


def serving(backend: str) -> Iterator[RunningServer]:
    """A fixture's body: ``backend``'s server while the fixture lives (skipped when not installed)."""
    skip_unless_installed(backend)
    server = STARTERS[backend]()
    try:
        yield server
    finally:
        server.stop()


def http_client() -> Iterator[httpx.Client]:
    """A fixture's body: the client the suites talk to the servers with (no redirects followed)."""
    with httpx.Client(timeout=30, follow_redirects=False) as client:
        yield client
