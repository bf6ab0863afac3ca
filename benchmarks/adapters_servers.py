"""One benchmark server process: a bare JSON endpoint and the Novu bridge on the same app and server.

    python benchmarks/adapters_servers.py fastapi|flask|django-wsgi|django-asgi [--nagle]

Serves ``GET /bare`` (``{"ok": true}``) and the bridge at ``/api/novu`` on 127.0.0.1, prints
``PORT <n>`` on stdout once listening, and runs until terminated. FastAPI and Django-ASGI run under
uvicorn; Flask and Django-WSGI under gunicorn's gthread worker (one process, four threads). Werkzeug's
development server is not used: it closes every connection, so it cannot be measured with keep-alive.

uvicorn gets a listening socket created with ``IPPROTO_TCP``: asyncio enables TCP_NODELAY only on
accepted sockets whose ``proto`` is ``IPPROTO_TCP``, and accepted sockets inherit ``proto`` from the
listener. With ``--nagle`` the listener is made the way that loses TCP_NODELAY (``proto`` 0), which
shows the ~40 ms Nagle/delayed-ACK stall per keep-alive request.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from novu_framework import Client, Workflow, workflow  # noqa: E402
from tests import servers  # noqa: E402

SECRET = "sk_bench_adapters"
API_URL = "http://127.0.0.1:9"  # a closed loopback port: nothing here calls the Novu API
FRAMEWORKS = ("fastapi", "flask", "django-wsgi", "django-asgi")

PAYLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "plan": {"type": "string", "enum": ["free", "pro"], "default": "free"},
    },
    "required": ["name"],
    "additionalProperties": False,
}
CONTROL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Welcome {{payload.name}}"},
        "body": {
            "type": "string",
            "default": "<p>Hello {{subscriber.firstName}}, your {{payload.plan | upcase}} plan is ready</p>",
        },
    },
    "additionalProperties": False,
}


def _content(controls: dict[str, Any]) -> dict[str, Any]:
    return {"subject": controls["subject"], "body": controls["body"]}


async def _content_async(controls: dict[str, Any]) -> dict[str, Any]:
    return _content(controls)


@workflow("bench-welcome", payload_schema=PAYLOAD_SCHEMA)
async def bench_welcome(step: Any) -> None:
    """One email step whose subject and body are Liquid controls; a ``def`` resolver, as lambdas are."""
    await step.email("welcome-email", _content, control_schema=CONTROL_SCHEMA)


@workflow("bench-welcome-async", payload_schema=PAYLOAD_SCHEMA)
async def bench_welcome_async(step: Any) -> None:
    """The same step with an ``async def`` resolver, like the reference's (adapters_reference.mjs)."""
    await step.email("welcome-email", _content_async, control_schema=CONTROL_SCHEMA)


WORKFLOWS: list[Workflow] = [bench_welcome, bench_welcome_async]


def make_client() -> Client:
    return Client(secret_key=SECRET, api_url=API_URL, strict_authentication=True)


def _announce(port: int) -> None:
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()


def _run_uvicorn(app: Any, nagle: bool) -> None:
    sock = servers.listener(nagle=nagle)
    _announce(sock.getsockname()[1])
    servers.serve_asgi(app, sock)


def _run_gunicorn(app: Any) -> None:
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    def ready(arbiter: Any) -> None:
        _announce(arbiter.LISTENERS[0].getsockname()[1])

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings = {
                "bind": "127.0.0.1:0",
                "workers": 1,
                "worker_class": "gthread",
                "threads": 4,
                "keepalive": 30,
                "graceful_timeout": 5,
                "loglevel": "warning",
                "accesslog": None,
                "when_ready": ready,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Server().run()


def serve_fastapi(nagle: bool) -> None:
    app = servers.fastapi_app(WORKFLOWS, make_client())

    @app.get("/bare")
    async def bare() -> dict[str, bool]:
        return {"ok": True}

    _run_uvicorn(app, nagle)


def _run_granian(framework: str) -> None:
    """One granian process (one worker, its default threads), the WSGI app built by ``granian_app``."""
    import os

    from granian import Granian  # type: ignore[attr-defined]
    from granian.constants import Interfaces

    port = servers.free_port()
    os.environ["NOVU_BENCH_FRAMEWORK"] = framework
    server = Granian(
        "adapters_servers:granian_app",
        address="127.0.0.1",
        port=port,
        interface=Interfaces.WSGI,
        workers=1,
        factory=True,
        working_dir=Path(__file__).resolve().parent,
        log_enabled=False,
    )
    _announce(port)
    server.serve()


def granian_app() -> Any:
    """The WSGI app granian's worker serves (``NOVU_BENCH_FRAMEWORK``: flask or django-wsgi)."""
    import os

    if os.environ["NOVU_BENCH_FRAMEWORK"] == "flask":
        return flask_app()
    from django.core.wsgi import get_wsgi_application

    _django_setup(asgi=False)
    return get_wsgi_application()


def flask_app() -> Any:
    app = servers.flask_app(WORKFLOWS, make_client(), "bench")

    @app.get("/bare")
    def bare() -> dict[str, bool]:
        return {"ok": True}

    return app


def serve_flask(server: str) -> None:
    if server == "granian":
        _run_granian("flask")
    else:
        _run_gunicorn(flask_app())


def _django_setup(asgi: bool) -> None:
    from django.http import HttpRequest, JsonResponse
    from django.urls import path

    # The bare view runs like the bridge does: natively async under ASGI, synchronous under WSGI.
    def bare_sync(request: HttpRequest) -> JsonResponse:
        return JsonResponse({"ok": True})

    async def bare_async(request: HttpRequest) -> JsonResponse:
        return JsonResponse({"ok": True})

    bare = path("bare", bare_async if asgi else bare_sync)
    servers.configure_django(servers.urlconf(bare, servers.django_bridge_path(WORKFLOWS, make_client())))


def serve_django_wsgi(server: str) -> None:
    if server == "granian":
        _run_granian("django-wsgi")
        return
    from django.core.wsgi import get_wsgi_application

    _django_setup(asgi=False)
    _run_gunicorn(get_wsgi_application())


def serve_django_asgi(nagle: bool, front: bool = False) -> None:
    from django.core.asgi import get_asgi_application

    from novu_framework_django import bridge_before_django

    _django_setup(asgi=True)
    app = get_asgi_application()
    if front:
        app = bridge_before_django(app, WORKFLOWS, servers.PREFIX, client=make_client())
    _run_uvicorn(app, nagle)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("framework", choices=FRAMEWORKS)
    parser.add_argument("--nagle", action="store_true", help="uvicorn listener without IPPROTO_TCP")
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn", help="for WSGI apps")
    parser.add_argument("--front", action="store_true", help="django-asgi: bridge_before_django")
    args = parser.parse_args()
    if args.framework == "fastapi":
        serve_fastapi(args.nagle)
    elif args.framework == "flask":
        serve_flask(args.server)
    elif args.framework == "django-wsgi":
        serve_django_wsgi(args.server)
    else:
        serve_django_asgi(args.nagle, args.front)


if __name__ == "__main__":
    main()
