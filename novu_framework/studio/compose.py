"""Serving the Studio next to another ASGI app (a bridge, a Django project) on the same origin."""

from __future__ import annotations

from novu_framework.studio.http import ASGIApp, Receive, Scope, Send, send_bytes


def mount_studio(app: ASGIApp, studio: ASGIApp, path: str = "/studio") -> ASGIApp:
    """An ASGI app that sends ``path`` and below to ``studio`` and everything else to ``app``.

    ``path`` itself redirects to ``path/`` (the page loads its assets relative to it). Lifespan events
    go to ``app``.
    """
    prefix = "/" + path.strip("/")

    async def composed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            root = scope.get("root_path", "")
            full = scope.get("path", "/")
            local = full[len(root) :] if root and full.startswith(root) else full
            if local == prefix:
                location = (root + prefix + "/").encode()
                await send_bytes(send, 308, b"", "text/plain", [(b"location", location)])
                return
            if local.startswith(prefix + "/"):
                await studio({**scope, "root_path": root + prefix, "path": full}, receive, send)
                return
        await app(scope, receive, send)

    return composed
