"""FastAPI / Starlette adapter: ``app.include_router(serve(workflows=[...]), prefix="/api/novu")``."""

from __future__ import annotations

import re
from collections.abc import Iterable

try:
    import fastapi
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the import-guard tests
    raise ImportError(
        "novu_framework_fastapi needs FastAPI >= 0.100, which is not installed. "
        "Install it with: pip install novu-framework[fastapi]"
    ) from exc


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


if _release(fastapi.__version__) < (0, 100):
    raise ImportError(
        f"novu_framework_fastapi needs FastAPI >= 0.100, but FastAPI {fastapi.__version__} is installed. "
        "Upgrade it with: pip install -U novu-framework[fastapi]"
    )

from fastapi import APIRouter, Request, Response  # noqa: E402
from fastapi.routing import APIRoute  # noqa: E402
from starlette.routing import Match  # noqa: E402
from starlette.types import Receive, Scope, Send  # noqa: E402

from novu_framework import Client, NovuRequestHandler, Workflow  # noqa: E402
from novu_framework.bridge_http import BridgeLimits  # noqa: E402

__all__ = ["BridgeRouter", "serve"]


class _EveryMethodRoute(APIRoute):
    """A route that every HTTP method reaches: the core answers the methods it does not serve with its
    own 405 envelope (FastAPI's would be ``{"detail": ...}``)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        return (Match.FULL, child) if match is Match.PARTIAL else (match, child)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class BridgeRouter(APIRouter):
    """An ``APIRouter`` for ``include_router`` that is also a plain ASGI app for ``mount``."""

    def __init__(self, handler: NovuRequestHandler) -> None:
        super().__init__(redirect_slashes=False)
        self.novu_handler = handler
        for path in ("", "/"):
            self.add_api_route(
                path,
                self.bridge,
                methods=["GET", "POST"],
                include_in_schema=False,
                route_class_override=_EveryMethodRoute,
            )

    async def bridge(self, request: Request) -> Response:
        answer = await self.novu_handler.handle_stream(
            request.method,
            request.scope.get("query_string", b""),
            request.headers.items(),
            request.stream(),
        )
        return Response(content=answer.body, status_code=answer.status, headers=dict(answer.headers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mounted: every path below the mount point is the bridge (FastAPI's route machinery
        # expects to run inside a FastAPI app, which a Starlette mount does not provide).
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response = await self.bridge(Request(scope, receive))
        await response(scope, receive, send)


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
