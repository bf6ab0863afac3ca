"""``bridge_before_django``: the bridge answered before Django's ASGI handler, everything else to Django."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .bridge_workflows import WORKFLOWS, make_client


@pytest.fixture
def app() -> Any:
    from django.core.asgi import get_asgi_application

    from novu_framework_django import bridge_before_django

    from . import django_setup

    django_setup.configure()
    return bridge_before_django(get_asgi_application(), WORKFLOWS, "/api/novu", client=make_client())


async def test_the_bridge_path_skips_django_and_other_paths_reach_it(app: Any) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as http:
        for path in ("/api/novu", "/api/novu/"):
            bridge = await http.get(path, params={"action": "health-check"})
            assert bridge.status_code == 200 and bridge.json()["status"] == "ok"
            assert bridge.headers["novu-framework-server"] == "django"
            # Django's SecurityMiddleware did not run: the trade-off the wrapper documents.
            assert "x-content-type-options" not in bridge.headers
        other = await http.get("/api/novu/other")
        assert other.status_code == 404 and other.headers["x-content-type-options"] == "nosniff"
        assert "novu-framework-server" not in other.headers
