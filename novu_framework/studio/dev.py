"""What a development server calls to serve the Studio beside its bridge."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, NamedTuple

from novu_framework.runtime.local import Runtime
from novu_framework.studio.app import Studio, studio_app
from novu_framework.studio.compose import mount_studio
from novu_framework.studio.http import ASGIApp
from novu_framework.studio.security import check_bind
from novu_framework.workflow import Workflow

DEFAULT_PATH = "/studio"


class DevStudio(NamedTuple):
    app: ASGIApp  # the given app with the Studio mounted beside it
    url: str  # the Studio's page, to print
    studio: Studio


def with_studio(
    app: ASGIApp,
    runtime: Runtime,
    *,
    host: str,
    port: int,
    workflows: Iterable[Workflow] | None = None,
    path: str = DEFAULT_PATH,
    allow_remote: bool = False,
) -> DevStudio:
    """``app`` with the Studio at ``path`` on the same origin, the Studio's URL, and the Studio.

    Raises :class:`~novu_framework.studio.StudioRemoteError` before anything listens when ``host`` is
    not a loopback address and ``allow_remote`` is False.
    """
    check_bind(host, allow_remote)
    studio = studio_app(workflows, runtime, allow_remote=allow_remote)
    shown = f"[{host}]" if ":" in host else host
    return DevStudio(mount_studio(app, studio, path), f"http://{shown}:{port}/{path.strip('/')}/", studio)


async def close_on_exit(server: Any, studio: Studio, poll: float = 0.2) -> None:
    """Close ``studio``'s live streams once a uvicorn ``server`` starts shutting down (``should_exit``),
    so that Ctrl-C does not wait for open browser tabs. Run it as a task beside ``server.serve()``."""
    while not server.should_exit:
        await asyncio.sleep(poll)
    studio.close()
