"""What a development server calls to serve the Studio beside its bridge."""

from __future__ import annotations

from collections.abc import Iterable

from novu_framework.runtime.local import Runtime
from novu_framework.studio.app import studio_app
from novu_framework.studio.compose import mount_studio
from novu_framework.studio.http import ASGIApp
from novu_framework.studio.security import check_bind
from novu_framework.workflow import Workflow

DEFAULT_PATH = "/studio"


def with_studio(
    app: ASGIApp,
    runtime: Runtime,
    *,
    host: str,
    port: int,
    workflows: Iterable[Workflow] | None = None,
    path: str = DEFAULT_PATH,
    allow_remote: bool = False,
) -> tuple[ASGIApp, str]:
    """``app`` with the Studio at ``path`` on the same origin, and the Studio's URL to print.

    Raises :class:`~novu_framework.studio.StudioRemoteError` before anything listens when ``host`` is
    not a loopback address and ``allow_remote`` is False.
    """
    check_bind(host, allow_remote)
    studio = studio_app(workflows, runtime, allow_remote=allow_remote)
    shown = f"[{host}]" if ":" in host else host
    return mount_studio(app, studio, path), f"http://{shown}:{port}/{path.strip('/')}/"
