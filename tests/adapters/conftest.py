"""The parametrised ``bridge`` fixture: the same contract cases run against every framework's real server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .servers import RunningServer, http_client, serving

BACKENDS = ["django-asgi", "django-asgi-front", "django-wsgi", "fastapi", "flask"]


@pytest.fixture(scope="session", params=BACKENDS)
def bridge(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    yield from serving(request.param)


@pytest.fixture
def http(bridge: RunningServer) -> Iterator[httpx.Client]:
    yield from http_client()
