"""The one server harness of the test suite and the benchmarks: real servers on 127.0.0.1.

- the bridge mounted at ``PREFIX`` the way a user mounts it: ``fastapi_app``, ``flask_app``,
  ``django_bridge_path``, and one Django configuration per process (``configure_django``);
- each app under a real server: uvicorn (ASGI), Werkzeug's threaded server or the standard library's
  wsgiref (threaded), either on a thread of this process (``start_*``: ready when it returns) or in
  the foreground of a server process (``serve_*``);
- child processes that serve: ``free_port``, ``novu_cli`` (the ``novu-framework`` command),
  ``wait_until_answering`` (an HTTP status, or the child's output when it dies first) and
  ``stop_process``.

Only the standard library is imported at module level: a benchmark's cold start pays for none of it,
and a test of one framework needs none of the others installed.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from socketserver import ThreadingMixIn
from types import ModuleType
from typing import Any, NamedTuple
from wsgiref import simple_server

HOST = "127.0.0.1"
PREFIX = "/api/novu"
START_TIMEOUT = 15.0


# --- ports, readiness, child processes ------------------------------------------------------------


def free_port() -> int:
    """A port nothing listens on now (the caller binds it soon after)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    """Poll ``condition`` every 10 ms; ``RuntimeError`` naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout:g} s")
        time.sleep(0.01)


def http_status(url: str, timeout: float = 1.0) -> int | None:
    """The HTTP status ``GET url`` answers with, or ``None`` when nothing answers."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return None


def novu_cli(*args: str) -> list[str]:
    """The command that runs ``novu-framework ARGS`` with this interpreter."""
    return [sys.executable, "-m", "novu_framework.cli", *args]


def _output(process: subprocess.Popen[Any]) -> str:
    stream = process.stdout
    if stream is None:
        return ""
    data = stream.read()
    return data.decode(errors="replace") if isinstance(data, bytes) else str(data)


def wait_until_answering(
    url: str, process: subprocess.Popen[Any], what: str, timeout: float = 30.0, interval: float = 0.05
) -> int:
    """Poll ``url`` until it answers; the status. ``RuntimeError`` (with the process's output, if it
    was piped) when ``process`` exits first or nothing answers within ``timeout`` seconds; the process
    is then stopped."""
    deadline = time.monotonic() + timeout
    while True:
        status = http_status(url)
        if status is not None:
            return status
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}: {_output(process)[-3000:]}")
        if time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError(f"{what} did not answer within {timeout:g} s: {_output(process)[-3000:]}")
        time.sleep(interval)


def stop_process(process: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """Terminate ``process`` and wait for it; kill it if it has not exited within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


# --- the bridge in each framework -----------------------------------------------------------------

NEEDS: dict[str, tuple[str, ...]] = {
    "fastapi": ("fastapi", "uvicorn"),
    "flask": ("flask", "werkzeug"),
    "django-wsgi": ("django",),
    "django-asgi": ("django", "uvicorn"),
    "django-asgi-front": ("django", "uvicorn"),
}
"""What each backend's server imports: its framework and the server it runs under."""


def skip_unless_installed(backend: str) -> None:
    """In a test: skip, saying which module is missing, when ``backend``'s framework or server is not
    installed (a lane with one framework only)."""
    import pytest

    for module in NEEDS[backend]:
        pytest.importorskip(module, reason=f"the {backend} server needs {module}, not installed here")


def fastapi_app(workflows: Any, client: Any, prefix: str = PREFIX, **options: Any) -> Any:
    """A FastAPI app with the bridge router included at ``prefix`` (``options`` go to ``serve``)."""
    from fastapi import FastAPI

    from novu_framework_fastapi import serve

    app = FastAPI()
    app.include_router(serve(workflows, client, **options), prefix=prefix)
    return app


def flask_app(workflows: Any, client: Any, name: str, prefix: str = PREFIX, **options: Any) -> Any:
    """A Flask app named ``name`` with the bridge blueprint registered at ``prefix``."""
    from flask import Flask

    from novu_framework_flask import serve

    app = Flask(name)
    app.register_blueprint(serve(workflows, client, **options), url_prefix=prefix)
    return app


def django_bridge_path(workflows: Any, client: Any, prefix: str = PREFIX) -> Any:
    """The URL pattern that mounts the Django bridge at ``prefix``, as a project's urls.py does."""
    from django.urls import include, path

    from novu_framework_django import serve

    return path(prefix.strip("/"), include(serve(workflows=workflows, client=client)))


def urlconf(*patterns: Any) -> ModuleType:
    """A URLconf module made of ``patterns``, for ``configure_django``."""
    module = ModuleType("tests.servers.urlconf")
    module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return module


def configure_django(root_urlconf: str | ModuleType, **extra: Any) -> None:
    """Configure Django once a process, with the middleware a real project has (CSRF and APPEND_SLASH
    included), no apps and no database. Later calls leave the first configuration as it is."""
    import django
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="tests-and-benchmarks-only",
        ALLOWED_HOSTS=[HOST, "localhost", "testserver"],
        ROOT_URLCONF=root_urlconf,
        APPEND_SLASH=True,
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        **extra,
    )
    django.setup()


# --- real servers ---------------------------------------------------------------------------------


class Served(NamedTuple):
    """A server serving on a thread of this process: its port, and how to stop it."""

    port: int
    stop: Callable[[], None]


def listener(port: int = 0, nagle: bool = False) -> socket.socket:
    """A bound TCP socket for uvicorn. asyncio sets TCP_NODELAY only on accepted sockets whose ``proto``
    is ``IPPROTO_TCP``, inherited from the listener: ``nagle=True`` makes the one that loses it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0 if nagle else socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))
    return sock


def _uvicorn(app: Any) -> Any:
    import uvicorn

    return uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))


def serve_asgi(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` under uvicorn on ``sock`` until the process is told to stop."""
    _uvicorn(app).run(sockets=[sock])


def start_asgi(app: Any, thread_name: str) -> Served:
    """``app`` under uvicorn on a free port, on a thread named ``thread_name``."""
    sock = listener()
    server = _uvicorn(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=thread_name, daemon=True)
    thread.start()
    wait_until(lambda: bool(server.started) or not thread.is_alive(), f"uvicorn ({thread_name})")
    if not server.started:
        raise RuntimeError(f"uvicorn ({thread_name}) stopped before serving")

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        sock.close()

    return Served(sock.getsockname()[1], stop)


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's default of 5 resets bursts of concurrent connections


def werkzeug_server(app: Any, port: int = 0) -> Any:
    """Werkzeug's threaded development server for ``app``, bound and not yet serving."""
    from werkzeug.serving import make_server

    return make_server(HOST, port, app, threaded=True)


def wsgiref_server(app: Any, port: int = 0) -> Any:
    """The standard library's WSGI server (threaded, quiet) for ``app``, bound and not yet serving."""
    return simple_server.make_server(
        HOST, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )


def start_wsgi(server: Any, thread_name: str) -> Served:
    """A bound ``socketserver`` server (``werkzeug_server``, ``wsgiref_server``) serving on a thread."""
    thread = threading.Thread(target=server.serve_forever, name=thread_name, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(10)

    return Served(int(server.server_port), stop)


def start_werkzeug(app: Any, thread_name: str) -> Served:
    """``app`` under Werkzeug's threaded server on a free port, on a thread named ``thread_name``."""
    return start_wsgi(werkzeug_server(app), thread_name)


def start_wsgiref(app: Any, thread_name: str) -> Served:
    """``app`` under wsgiref (threaded) on a free port, on a thread named ``thread_name``."""
    return start_wsgi(wsgiref_server(app), thread_name)
