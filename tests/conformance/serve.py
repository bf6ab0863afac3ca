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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from novu_framework import Client  # noqa: E402
from tests import servers  # noqa: E402
from tests.conformance.catalogue import WORKFLOWS  # noqa: E402

SECRET_KEY = "test-secret-key-oracle"
API_URL = "http://127.0.0.1:9"
ADAPTERS = ("fastapi", "flask", "django", "django-asgi")


def _client(strict: bool) -> Client:
    return Client(secret_key=SECRET_KEY, api_url=API_URL, strict_authentication=strict)


def run_fastapi(port: int, strict: bool) -> None:
    servers.serve_asgi(servers.fastapi_app(WORKFLOWS, _client(strict)), servers.listener(port))


def run_flask(port: int, strict: bool) -> None:
    servers.werkzeug_server(
        servers.flask_app(WORKFLOWS, _client(strict), "conformance"), port
    ).serve_forever()


def _django_setup(strict: bool) -> None:
    servers.configure_django(servers.urlconf(servers.django_bridge_path(WORKFLOWS, _client(strict))))


def run_django(port: int, strict: bool) -> None:
    from django.core.wsgi import get_wsgi_application

    _django_setup(strict)
    servers.werkzeug_server(get_wsgi_application(), port).serve_forever()


def run_django_asgi(port: int, strict: bool) -> None:
    from django.core.asgi import get_asgi_application

    _django_setup(strict)
    servers.serve_asgi(get_asgi_application(), servers.listener(port))


RUNNERS = {"fastapi": run_fastapi, "flask": run_flask, "django": run_django, "django-asgi": run_django_asgi}


def _answers(port: int) -> bool:
    return servers.http_status(f"http://127.0.0.1:{port}{servers.PREFIX}?action=health-check") == 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", choices=ADAPTERS, default="fastapi")
    parser.add_argument("--strict-port", type=int, default=4710)
    parser.add_argument("--open-port", type=int, default=None)
    parser.add_argument("--instance", choices=("strict", "open"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for both instances")
    args = parser.parse_args()

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
            servers.stop_process(child, timeout=5)
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
