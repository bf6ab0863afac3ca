"""Serve Novu workflows from Django: ``path("api/novu", include(serve(workflows=[...])))`` in ``urls.py``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from novu_framework.requirements import require

require("django", "novu_framework_django")
require("asgiref", "novu_framework_django")

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import URLPattern  # noqa: E402
from django.urls.resolvers import RegexPattern, ResolverMatch  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from novu_framework.bridge_http import BridgeRequest, BridgeResponse  # noqa: E402
from novu_framework.handler import NovuRequestHandler  # noqa: E402

if TYPE_CHECKING:
    from novu_framework import Client, Workflow

__all__ = ["serve"]

URL_NAME = "novu-bridge"


def _to_bridge(request: HttpRequest) -> BridgeRequest:
    # request.GET decodes the query the same way under WSGI and ASGI; re-encoding keeps every pair in order.
    return BridgeRequest.from_raw(
        request.method or "GET", request.GET.urlencode(), list(request.headers.items()), request.body
    )


def _to_django(answer: BridgeResponse) -> HttpResponse:
    return HttpResponse(answer.body, status=answer.status, headers=dict(answer.headers))


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _BridgeRoute(URLPattern):
    """Matches "" and "/" below the include; resolves to the async view on Django's ASGI event loop."""

    def __init__(
        self,
        sync_view: Callable[[HttpRequest], HttpResponse],
        async_view: Callable[[HttpRequest], Awaitable[HttpResponse]],
    ) -> None:
        # Written "(?:/)?" so that Django's leading-slash check (urls.W002) accepts this deliberate "/".
        super().__init__(RegexPattern(r"^(?:/)?$", name=URL_NAME, is_endpoint=True), sync_view, name=URL_NAME)
        self.async_view = async_view

    def resolve(self, path: str) -> ResolverMatch | None:
        match: ResolverMatch | None = super().resolve(path)
        if match is not None and _on_event_loop():
            match.func = self.async_view
        return match


def serve(workflows: Iterable[Workflow], client: Client | None = None) -> list[URLPattern]:
    """URL patterns for ``include()``: the bridge with and without a trailing slash, CSRF-exempt.

    Under WSGI the view is synchronous; under ASGI Django gets a native async view, so no thread hop.
    """
    handler = NovuRequestHandler(workflows=list(workflows), client=client, framework_name="django")

    @csrf_exempt
    def bridge(request: HttpRequest) -> HttpResponse:
        return _to_django(handler.handle_sync(_to_bridge(request)))

    async def bridge_async(request: HttpRequest) -> HttpResponse:
        return _to_django(await handler.handle(_to_bridge(request)))

    # What csrf_exempt does, without its wrapper: before Django 5.0 the wrapper is a sync function
    # returning a coroutine, which Django's ASGI handler rejects with a 500.
    bridge_async.csrf_exempt = True  # type: ignore[attr-defined]

    return [_BridgeRoute(bridge, bridge_async)]
