"""The local services ``novu-framework dev`` serves beside its bridge, on the same origin: the Inbox
API (``/v1/inbox/...`` and ``/socket.io/``) and the Studio (``/studio/``).

Both are built on the embedded runtime, so this module, like the command line, sits on top of it; the
bridge itself (:mod:`novu_framework.devserver`) does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from novu_framework.client import Client
from novu_framework.errors import MissingDependencyError
from novu_framework.inbox import inbox_app, with_inbox
from novu_framework.runtime.local import Runtime
from novu_framework.studio import StudioRemoteError
from novu_framework.studio.app import Studio
from novu_framework.studio.dev import close_on_exit, with_studio


@dataclass
class LocalServices:
    """The composed app, the URLs to print, and what to say about them."""

    app: Any
    inbox_url: str
    studio_url: str
    studio: Studio
    notes: list[str] = field(default_factory=list)

    async def close_on_exit(self, server: Any) -> None:
        """Run beside ``server.serve()``: ends the Studio's live streams once the server stops."""
        await close_on_exit(server, self.studio)


def with_local_services(
    app: Any, runtime: Runtime, *, client: Client, host: str, port: int, allow_remote: bool = False
) -> LocalServices:
    """``app`` (the bridge) with the Inbox API and the Studio beside it.

    Raises ``ValueError`` before anything listens when ``host`` is not a loopback address and
    ``allow_remote`` is False (the Studio can trigger runs and edit controls).
    """
    notes: list[str] = []
    secret = client.secret_key or None
    try:
        inbox = inbox_app(runtime, secret=secret)
    except MissingDependencyError as exc:
        inbox = inbox_app(runtime, secret=secret, realtime=False)
        notes.append(f"Inbox API without real-time ({exc.message}): pip install 'novu-framework[inbox]'")
    try:
        studio = with_studio(with_inbox(app, inbox), runtime, host=host, port=port, allow_remote=allow_remote)
    except StudioRemoteError as exc:
        raise ValueError(str(exc)) from None
    shown = f"[{host}]" if ":" in host else host
    return LocalServices(studio.app, f"http://{shown}:{port}", studio.url, studio.studio, notes)
