"""FastAPI / Starlette adapter: ``app.include_router(serve(workflows=[...]), prefix="/api/novu")``."""

from __future__ import annotations

from collections.abc import Iterable

from novu_framework.requirements import require

require("fastapi", "novu_framework_fastapi")
require("starlette", "novu_framework_fastapi")

from fastapi import APIRouter, Request, Response  # noqa: E402
from starlette.types import Receive, Scope, Send  # noqa: E402

from novu_framework import BridgeRequest, Client, NovuRequestHandler, Workflow  # noqa: E402

_METHODS = ["GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "HEAD"]

__all__ = ["BridgeRouter", "serve"]


class BridgeRouter(APIRouter):
    """An ``APIRouter`` for ``include_router`` that is also a plain ASGI app for ``mount``."""

    def __init__(self, handler: NovuRequestHandler) -> None:
        super().__init__(redirect_slashes=False)
        self.novu_handler = handler
        for path in ("", "/"):
            self.add_api_route(path, self.bridge, methods=_METHODS, include_in_schema=False)

    async def bridge(self, request: Request) -> Response:
        normalised = BridgeRequest.from_raw(
            request.method,
            request.scope.get("query_string", b""),
            request.headers.items(),
            await request.body(),
        )
        answer = await self.novu_handler.handle(normalised)
        return Response(content=answer.body, status_code=answer.status, headers=dict(answer.headers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mounted: every path below the mount point is the bridge (FastAPI's route machinery
        # expects to run inside a FastAPI app, which a Starlette mount does not provide).
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        response = await self.bridge(Request(scope, receive))
        await response(scope, receive, send)


def serve(workflows: Iterable[Workflow], client: Client | None = None) -> BridgeRouter:
    """A router answering the bridge at its prefix, with and without a trailing slash (no redirect).

    The router is also an ASGI app: ``app.mount("/api/novu", serve(...))`` works, though the host
    router then decides about the slash-less form.
    """
    return BridgeRouter(NovuRequestHandler(workflows=workflows, client=client, framework_name="fastapi"))
