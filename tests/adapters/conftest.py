"""The parametrised ``bridge`` fixture: the same contract cases run against every framework's real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from .servers import RunningServer

BACKENDS = ["django-asgi", "django-asgi-front", "django-wsgi", "fastapi", "flask"]


@pytest.fixture(scope="session", params=BACKENDS)
def bridge(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    from .servers import STARTERS

    server = STARTERS[request.param]()
    yield server
    server.stop()


@pytest.fixture
def http(bridge: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30, follow_redirects=False) as client:
        yield client
