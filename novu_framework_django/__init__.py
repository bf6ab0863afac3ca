"""Serve Novu workflows from Django: ``path("api/novu", include(serve(workflows=[...])))`` in ``urls.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from novu_framework.requirements import require

require("django", "novu_framework_django")
require("asgiref", "novu_framework_django")

from django.core.handlers.wsgi import get_bytes_from_wsgi  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import URLPattern  # noqa: E402
from django.urls.resolvers import RegexPattern, ResolverMatch  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from novu_framework._sync import on_event_loop  # noqa: E402
from novu_framework.bridge_http import BridgeLimits, BridgeResponse, read_chunks, wsgi_chunked_body  # noqa: E402
from novu_framework.handler import NovuRequestHandler  # noqa: E402

if TYPE_CHECKING:
    from novu_framework import Client, Workflow

__all__ = ["bridge_before_django", "serve"]

URL_NAME = "novu-bridge"


def _raw_query(request: HttpRequest) -> bytes:
    # The raw query string, not ``request.GET``: Django's parser stops at DATA_UPLOAD_MAX_NUMBER_FIELDS
    # with its own HTML 400, while the core applies its own limit and answers with the bridge's envelope.
    scope = getattr(request, "scope", None)
    if scope is not None:  # ASGI
        query: bytes = scope.get("query_string", b"")
        return query
    raw: bytes = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    return raw


def _body_chunks(request: HttpRequest) -> Iterator[bytes]:
    # Read from the stream, not ``request.body``: that refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE
    # (2.5 MiB) with Django's HTML 400, while the core counts the body against its own limit.
    if getattr(request, "scope", None) is None:
        # Django under WSGI reads a body without Content-Length as empty: the core reads it from the server.
        chunked = wsgi_chunked_body(request.META)
        if chunked is not None:
            return chunked
    return read_chunks(request.read)


def _to_django(answer: BridgeResponse) -> HttpResponse:
    return HttpResponse(answer.body, status=answer.status, headers=dict(answer.headers))


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
        if match is not None and on_event_loop():
            match.func = self.async_view
        return match


def serve(
    workflows: Iterable[Workflow], client: Client | None = None, *, limits: BridgeLimits | None = None
) -> list[URLPattern]:
    """URL patterns for ``include()``: the bridge with and without a trailing slash, CSRF-exempt.

    Under WSGI the view is synchronous; under ASGI Django gets a native async view, so no thread hop.
    ``limits``: what a request may hold (:class:`~novu_framework.bridge_http.BridgeLimits`); they replace
    Django's DATA_UPLOAD_MAX_* settings for the bridge. Under ASGI, Django itself spools the body to a
    temporary file (memory over FILE_UPLOAD_MAX_MEMORY_SIZE goes to disk) before any view runs.
    """
    handler = NovuRequestHandler(
        workflows=list(workflows), client=client, framework_name="django", limits=limits
    )

    @csrf_exempt
    def bridge(request: HttpRequest) -> HttpResponse:
        answer = handler.handle_stream_sync(
            request.method or "GET", _raw_query(request), list(request.headers.items()), _body_chunks(request)
        )
        return _to_django(answer)

    async def bridge_async(request: HttpRequest) -> HttpResponse:
        answer = await handler.handle_stream(
            request.method or "GET",
            _raw_query(request),
            list(request.headers.items()),
            _aiter(_body_chunks(request)),
        )
        return _to_django(answer)

    # What csrf_exempt does, without its wrapper: before Django 5.0 the wrapper is a sync function
    # returning a coroutine, which Django's ASGI handler rejects with a 500.
    bridge_async.csrf_exempt = True  # type: ignore[attr-defined]

    return [_BridgeRoute(bridge, bridge_async)]


async def _aiter(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    # Under ASGI Django has already read the body into a (spooled) file: reading it does not block.
    for chunk in chunks:
        yield chunk


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
