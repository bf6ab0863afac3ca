"""Real servers (every adapter) serving workflows whose controls and payloads are hostile by design.

FastAPI and Flask apps are built here; the Django servers use a URLconf that keeps the contract suite's
routes and adds these workflows under ``/adv/novu``, so both suites can share one configured Django.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from novu_framework import Client, workflow
from tests import servers as harness
from tests.adapters.signer import novu_signature

SECRET = "sk_test_adversarial_render"
PREFIX = "/adv/novu"
PATTERN = "^(a|a)+$"  # exponential for a backtracking engine on "aaa...ab"

CONTROL_SCHEMA = {
    "type": "object",
    "properties": {"subject": {"type": "string"}, "body": {"type": "string"}},
    "additionalProperties": False,
}
PAYLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "pattern": PATTERN},
        "site": {"type": "string", "format": "url"},
        "tags": {"type": "object", "patternProperties": {PATTERN: {"type": "string"}}},
    },
    "additionalProperties": False,
}


@workflow("adv-render")
async def adv_render(step: Any) -> None:
    async def content(controls: dict[str, Any]) -> dict[str, Any]:
        return {"subject": controls.get("subject", ""), "body": controls.get("body", "")}

    await step.email("mail", content, control_schema=CONTROL_SCHEMA, disable_output_sanitization=True)


@workflow("adv-render-many")
async def adv_render_many(step: Any) -> None:
    async def content(controls: dict[str, Any]) -> dict[str, Any]:
        return {"subject": "s", "body": str(len(controls))}

    await step.email(
        "mail", content, control_schema={"type": "object", "additionalProperties": {"type": "string"}}
    )


@workflow("adv-regex", payload_schema=PAYLOAD_SCHEMA)
async def adv_regex(step: Any, payload: dict[str, Any]) -> None:
    async def content(controls: Any) -> dict[str, Any]:
        return {"subject": "ok", "body": json.dumps(payload)}

    await step.email("mail", content)


@workflow("adv-email")
async def adv_email(step: Any) -> None:
    async def content(controls: dict[str, Any]) -> dict[str, Any]:
        return {"subject": "s", "body": controls.get("body", "")}

    await step.email("mail", content, control_schema=CONTROL_SCHEMA)


@workflow("adv-inbox")
async def adv_inbox(step: Any) -> None:
    async def content(controls: dict[str, Any]) -> dict[str, Any]:
        return {"body": controls.get("body", "")}

    await step.in_app("mail", content, control_schema=CONTROL_SCHEMA)


WORKFLOWS = [adv_render, adv_render_many, adv_regex, adv_email, adv_inbox]


def make_client() -> Client:
    return Client(secret_key=SECRET, api_url="http://127.0.0.1:9", strict_authentication=True)


def _django_urlconf() -> None:
    from django.conf import settings

    from tests.adapters import django_setup

    django_setup.configure()
    settings.ROOT_URLCONF = f"{__package__}.django_urls"


def _start(backend: str) -> tuple[str, Callable[[], None]]:
    name = f"adversarial-{backend}"
    if backend == "fastapi":
        port, stop = harness.start_asgi(harness.fastapi_app(WORKFLOWS, make_client(), PREFIX), name)
    elif backend == "flask":
        port, stop = harness.start_werkzeug(
            harness.flask_app(WORKFLOWS, make_client(), "adversarial", PREFIX), name
        )
    elif backend == "django-wsgi":
        from django.core.wsgi import get_wsgi_application

        _django_urlconf()
        port, stop = harness.start_wsgiref(get_wsgi_application(), name)
    else:
        from django.core.asgi import get_asgi_application

        _django_urlconf()
        port, stop = harness.start_asgi(get_asgi_application(), name)
    return f"http://127.0.0.1:{port}{PREFIX}", stop


BACKENDS = ["django-asgi", "django-wsgi", "fastapi", "flask"]


def running(backend: str) -> Iterator[str]:
    harness.skip_unless_installed(backend)
    url, stop = _start(backend)
    try:
        yield url
    finally:
        stop()


def execute(http: httpx.Client, url: str, workflow_id: str, body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    headers = {"content-type": "application/json", "novu-signature": novu_signature(SECRET, raw)}
    query = f"?action=execute&workflowId={workflow_id}&stepId=mail"
    return http.post(url + query, content=raw, headers=headers)


def health_check_latencies(url: str, busy: Callable[[], bool], *, limit: int = 40) -> list[float]:
    """Seconds each health-check took while ``busy()`` is true (at most ``limit`` of them)."""
    latencies: list[float] = []
    with httpx.Client(timeout=30) as http:
        while busy() and len(latencies) < limit:
            started = time.perf_counter()
            response = http.get(url + "?action=health-check")
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
    return latencies


def machine_slowdown() -> float:
    """How much longer than its CPU time a CPU-bound task takes right now (1.0 on an idle machine).

    The suite shares its cores with other processes; a stall bound stated for an idle machine is scaled
    by this factor (measured over 50 ms of CPU work, median of three).
    """
    ratios = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.thread_time()
        while time.thread_time() - cpu < 0.05:
            sum(range(1000))
        ratios.append((time.perf_counter() - wall) / (time.thread_time() - cpu))
    return max(1.0, sorted(ratios)[1])


def assert_no_stall(idle: float, latencies: list[float], slowdown: float) -> None:
    """Health-checks took at most 100 ms longer than idle ones (90th percentile; 300 ms for the slowest),
    on an idle machine: both bounds are scaled by ``slowdown``."""
    assert len(latencies) >= 10, latencies
    ranked = sorted(latency - idle for latency in latencies)
    detail = f"idle {idle * 1000:.1f} ms, slowdown x{slowdown:.1f}, slowest {[round(x * 1000) for x in ranked[-5:]]} ms"
    assert ranked[int(len(ranked) * 0.9)] < 0.1 * slowdown, detail
    assert ranked[-1] < 0.3 * slowdown, detail


def assert_health_checks_answered_during(server: str, workflow_id: str, body: dict[str, Any]) -> None:
    """Twenty executes of ``workflow_id`` with ``body``, sent from another thread, are each refused with
    a 400, and meanwhile the server answers health-checks without stalling (``assert_no_stall``)."""
    idle = sorted(health_check_latencies(server, lambda: True, limit=20))[10]
    before = machine_slowdown()
    done = threading.Event()
    statuses: list[int] = []

    def send() -> None:
        try:
            with httpx.Client(timeout=30) as http:
                for _ in range(20):
                    statuses.append(execute(http, server, workflow_id, body).status_code)
        finally:
            done.set()

    worker = threading.Thread(target=send)
    worker.start()
    latencies = health_check_latencies(server, lambda: not done.is_set(), limit=200)
    # The machine's load can change during the run: the bound takes the worse of two readings.
    slowdown = max(before, machine_slowdown())
    worker.join(60)
    assert statuses == [400] * 20
    assert_no_stall(idle, latencies, slowdown)
