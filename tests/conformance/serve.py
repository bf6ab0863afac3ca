"""Serve the conformance catalogue as the kit expects: a strict and an open bridge at /api/novu.

    python tests/conformance/serve.py --adapter fastapi|flask|django|django-asgi --strict-port P --open-port Q

Prints ``ready`` once both instances answer their health-check, then runs until terminated. Each
instance runs in its own child process (a Django project has one settings module per process).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key-oracle"
API_URL = "http://127.0.0.1:9"
ADAPTERS = ("fastapi", "flask", "django", "django-asgi")


def _client(strict: bool):  # type: ignore[no-untyped-def]
    from novu_framework import Client

    return Client(secret_key=SECRET_KEY, api_url=API_URL, strict_authentication=strict)


def run_fastapi(port: int, strict: bool) -> None:
    import uvicorn
    from fastapi import FastAPI

    from novu_framework_fastapi import serve
    from tests.conformance.catalogue import WORKFLOWS

    app = FastAPI()
    app.include_router(serve(workflows=WORKFLOWS, client=_client(strict)), prefix="/api/novu")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def run_flask(port: int, strict: bool) -> None:
    from flask import Flask
    from werkzeug.serving import make_server

    from novu_framework_flask import serve
    from tests.conformance.catalogue import WORKFLOWS

    app = Flask("conformance")
    app.register_blueprint(serve(workflows=WORKFLOWS, client=_client(strict)), url_prefix="/api/novu")
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def _django_setup(strict: bool) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="tests.conformance.django_urls",
        SECRET_KEY="conformance-not-secret",
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        NOVU_CONFORMANCE_STRICT=strict,
    )
    django.setup()


def run_django(port: int, strict: bool) -> None:
    from werkzeug.serving import make_server

    _django_setup(strict)
    from django.core.wsgi import get_wsgi_application

    make_server("127.0.0.1", port, get_wsgi_application(), threaded=True).serve_forever()


def run_django_asgi(port: int, strict: bool) -> None:
    import uvicorn

    _django_setup(strict)
    from django.core.asgi import get_asgi_application

    uvicorn.run(get_asgi_application(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")


RUNNERS = {"fastapi": run_fastapi, "flask": run_flask, "django": run_django, "django-asgi": run_django_asgi}


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/novu?action=health-check", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", choices=ADAPTERS, default="fastapi")
    parser.add_argument("--strict-port", type=int, default=4710)
    parser.add_argument("--open-port", type=int, default=None)
    parser.add_argument("--instance", choices=("strict", "open"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for both instances")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    if args.instance:  # child: one instance
        RUNNERS[args.adapter](args.port, args.instance == "strict")
        return 0

    open_port = args.open_port or args.strict_port + 1
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--adapter", args.adapter, "--instance", name, "--port", str(port)],
            env=env,
        )
        for name, port in (("strict", args.strict_port), ("open", open_port))
    ]

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    deadline = time.monotonic() + args.timeout
    while not (_answers(args.strict_port) and _answers(open_port)):
        if time.monotonic() > deadline or any(c.poll() is not None for c in children):
            print("serve.py: the bridge instances did not start", file=sys.stderr, flush=True)
            stop()
        time.sleep(0.1)
    print("ready", flush=True)
    while all(c.poll() is None for c in children):
        time.sleep(0.5)
    stop()
    return 1


if __name__ == "__main__":
    sys.exit(main())
