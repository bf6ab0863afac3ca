"""A one-workflow bridge app as a user writes it, served on a given port, for ``cold_start.py``.

    python benchmarks/cold_start_app.py fastapi|fastapi-bare|flask|django PORT

FastAPI runs under uvicorn, Flask and Django (WSGI) under the standard library's WSGI server
(``wsgiref``): the figure is the import and set-up cost of the app, not of a server's workers.
"""

from __future__ import annotations

import sys
from typing import Any

SECRET = "sk_bench_cold_start"


def bridge() -> tuple[list[Any], Any]:
    """The app's workflows and client (imported here so that ``fastapi-bare`` imports none of it)."""
    from novu_framework import Client, workflow

    @workflow("welcome", payload_schema={"type": "object", "properties": {"name": {"type": "string"}}})
    async def welcome(step: Any, payload: dict[str, Any]) -> None:
        await step.in_app("inbox", lambda controls: {"body": f"Welcome, {payload.get('name')}"})
        await step.email("mail", lambda controls: {"subject": "Welcome", "body": "<p>Hello</p>"})

    return [welcome], Client(secret_key=SECRET, strict_authentication=True)


def fastapi(port: int) -> None:
    import uvicorn
    from fastapi import FastAPI

    from novu_framework_fastapi import serve

    app = FastAPI()
    app.include_router(serve(*bridge()), prefix="/api/novu")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


def fastapi_bare(port: int) -> None:
    """The floor: the same server and framework answering a fixed health-check, no novu-framework."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/api/novu")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


def _wsgiref(app: Any, port: int) -> None:
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    make_server("127.0.0.1", port, app, handler_class=Quiet).serve_forever()


def flask(port: int) -> None:
    from flask import Flask

    from novu_framework_flask import serve

    app = Flask("cold")
    app.register_blueprint(serve(*bridge()), url_prefix="/api/novu")
    _wsgiref(app, port)


urlpatterns: list[Any] = []


def django(port: int) -> None:
    import django as django_module
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import include, path

    from novu_framework_django import serve

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        DATABASES={},
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
        ],
    )
    django_module.setup()
    urlpatterns.append(path("api/novu", include(serve(*bridge()))))
    _wsgiref(get_wsgi_application(), port)


if __name__ == "__main__":
    apps = {"fastapi": fastapi, "fastapi-bare": fastapi_bare, "flask": flask, "django": django}
    apps[sys.argv[1]](int(sys.argv[2]))
