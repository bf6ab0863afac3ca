"""``serve(..., limits=BridgeLimits(...))`` reaches the core in every adapter: real FastAPI and Flask
servers built with small limits, and the Django view (one URLconf per process) called directly."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from novu_framework import BridgeLimits
from tests.adapters.bridge_workflows import WORKFLOWS, make_client
from tests.servers import PREFIX, fastapi_app, flask_app, start_asgi, start_werkzeug

SMALL = BridgeLimits(max_body_bytes=64, max_header_bytes=2048, max_query_bytes=40)


@pytest.fixture(scope="module", params=["fastapi", "flask"])
def small_bridge(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "fastapi":
        port, stop = start_asgi(fastapi_app(WORKFLOWS, make_client(), limits=SMALL), "limits-fastapi")
    else:
        app = flask_app(WORKFLOWS, make_client(), "limits-option", limits=SMALL)
        port, stop = start_werkzeug(app, "limits-flask")
    yield f"http://127.0.0.1:{port}{PREFIX}"
    stop()


def test_the_limits_given_to_serve_are_applied(small_bridge: str) -> None:
    with httpx.Client(timeout=10) as http:
        response = http.post(f"{small_bridge}?action=execute", content=b" " * 65)
        assert (response.status_code, response.json()["code"]) == (413, "RequestBodyTooLargeError")
        assert "at most 64 bytes" in response.json()["message"]
        response = http.get(f"{small_bridge}?action=health-check&pad=" + "q" * 20)
        assert (response.status_code, response.json()["code"]) == (400, "RequestQueryTooLargeError")
        response = http.get(small_bridge, headers={"x-pad": "h" * 2048})
        assert (response.status_code, response.json()["code"]) == (400, "RequestHeadersTooLargeError")
        assert http.get(f"{small_bridge}?action=health-check").status_code == 200


def test_the_django_adapter_passes_its_limits_on() -> None:
    from django.test import RequestFactory

    from novu_framework_django import serve
    from tests.adapters import django_setup

    django_setup.configure()
    view = serve(WORKFLOWS, make_client(), limits=SMALL)[0].callback
    factory = RequestFactory()
    response = view(factory.post("/api/novu?action=execute", data=b" " * 65, content_type="application/json"))
    assert response.status_code == 413 and b"RequestBodyTooLargeError" in response.content
    response = view(factory.get("/api/novu", {"action": "health-check", "pad": "q" * 20}))
    assert response.status_code == 400 and b"RequestQueryTooLargeError" in response.content
    response = view(factory.get("/api/novu", {"action": "health-check"}))
    assert response.status_code == 200
