"""Serve Novu workflows from Django: ``path("api/novu", include(serve(workflows=[...])))`` in ``urls.py``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

try:
    import django
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the import-guard tests
    raise ImportError(
        "novu_framework_django needs Django >= 4.2, which is not installed. "
        "Install it with: pip install novu-framework[django]"
    ) from exc

if django.VERSION[:2] < (4, 2):
    raise ImportError(
        f"novu_framework_django needs Django >= 4.2, but Django {django.get_version()} is installed. "
        "Upgrade it with: pip install -U novu-framework[django]"
    )

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern
from django.urls.resolvers import RegexPattern, ResolverMatch
from django.views.decorators.csrf import csrf_exempt

from novu_framework.bridge_http import BridgeRequest, BridgeResponse
from novu_framework.handler import NovuRequestHandler

if TYPE_CHECKING:
    from novu_framework import Client, Workflow

__all__ = ["bridge_before_django", "serve"]

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

    @csrf_exempt
    async def bridge_async(request: HttpRequest) -> HttpResponse:
        return _to_django(await handler.handle(_to_bridge(request)))

    return [_BridgeRoute(bridge, bridge_async)]


def bridge_before_django(
    application: Any, workflows: Iterable[Workflow], path: str = "/api/novu", client: Client | None = None
) -> Any:
    """Wrap Django's ASGI ``application`` so that the bridge at ``path`` is answered before Django.

    Requests to ``path`` (with or without a trailing slash) go straight to the bridge on the event
    loop; everything else goes to ``application`` unchanged. The bridge then skips Django's
    handler: no middleware (security headers, CORS, logging or tracing middleware, ...), no URL
    resolver, no request signals. Its own authentication (the signature check) still applies.
    """
    from novu_framework.asgi import bridge_in_front

    handler = NovuRequestHandler(workflows=list(workflows), client=client, framework_name="django")
    return bridge_in_front(application, handler, path)
