"""FastAPI / Starlette adapter: ``app.include_router(serve(workflows=[...]), prefix="/api/novu")``."""

from __future__ import annotations

from collections.abc import Iterable

from novu_framework.requirements import require

require("fastapi", "novu_framework_fastapi")
require("starlette", "novu_framework_fastapi")

from fastapi import APIRouter  # noqa: E402
from starlette.routing import Route, compile_path  # noqa: E402
from starlette.types import Receive, Scope, Send  # noqa: E402

from novu_framework import Client, NovuRequestHandler, Workflow  # noqa: E402
from novu_framework.asgi import answer_http  # noqa: E402
from novu_framework.bridge_http import BridgeLimits  # noqa: E402

__all__ = ["BridgeRouter", "serve"]


class BridgeRouter(APIRouter):
    """An ``APIRouter`` for ``include_router`` that is also a plain ASGI app for ``mount``."""

    def __init__(self, handler: NovuRequestHandler) -> None:
        super().__init__(redirect_slashes=False)
        self.novu_handler = handler
        # Plain Starlette routes to a raw ASGI endpoint: the bridge needs the method, query,
        # headers and body bytes only, so FastAPI's dependency resolution and Starlette's
        # Request/Response objects (half of the adapter's cost per request) are skipped.
        for path in ("", "/"):
            # methods=None with an ASGI app: every method reaches the core, which answers those it does
            # not serve with its own 405 envelope (Starlette's would be plain text)
            route = Route("/", self, methods=None, include_in_schema=False)
            if not path:  # Starlette asks for a leading "/"; the prefix itself is the bridge URL too
                route.path = path
                route.path_regex, route.path_format, route.param_convertors = compile_path(path)
            self.routes.append(route)

    async def bridge(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request (an ASGI app)."""
        await answer_http(self.novu_handler, scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mounted: every path below the mount point is the bridge (FastAPI's route machinery
        # expects to run inside a FastAPI app, which a Starlette mount does not provide).
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self.bridge(scope, receive, send)


def serve(
    workflows: Iterable[Workflow], client: Client | None = None, *, limits: BridgeLimits | None = None
) -> BridgeRouter:
    """A router answering the bridge at its prefix, with and without a trailing slash (no redirect).

    The router is also an ASGI app: ``app.mount("/api/novu", serve(...))`` works, though the host
    router then decides about the slash-less form. ``limits``: what a request may hold
    (:class:`~novu_framework.bridge_http.BridgeLimits`), checked while the body streams in.
    """
    return BridgeRouter(
        NovuRequestHandler(workflows=workflows, client=client, framework_name="fastapi", limits=limits)
    )
