"""The Studio as an ASGI app: the page, its assets, the JSON API and the live streams."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from urllib.parse import unquote

from novu_framework.runtime.local import Runtime
from novu_framework.studio import events
from novu_framework.studio.api import StudioApi
from novu_framework.studio.http import (
    HttpError,
    Receive,
    Request,
    Scope,
    Send,
    request_of,
    send_bytes,
    send_json,
)
from novu_framework.studio.security import check_request
from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework.studio")

ASSETS = {
    "studio.js": "text/javascript; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
# Nothing but the page's own files; inline styles are allowed for the email previews, whose frames
# are sandboxed without scripts and add a stricter policy of their own.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_RUN = re.compile(r"^/api/runs/([^/]{1,200})(/cancel|/events)?$")
_SUBSCRIBER = re.compile(r"^/api/subscribers/([^/]{1,500})$")
_MESSAGE = re.compile(r"^/api/messages/([^/]{1,500})$")


@cache
def _asset(name: str) -> bytes:
    return resources.files("novu_framework.studio").joinpath("static").joinpath(name).read_bytes()


class Studio:
    """The ASGI callable returned by :func:`studio_app`."""

    def __init__(self, api: StudioApi, allow_remote: bool) -> None:
        self.api = api
        self.allow_remote = allow_remote
        self.closing = asyncio.Event()

    def close(self) -> None:
        """End the open live streams (within a second), so that a server shutting down need not wait
        for the browser tabs showing them."""
        self.closing.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # websockets: not spoken here
        request = request_of(scope, receive)
        try:
            check_request(request, self.allow_remote)
            await self._route(request, send)
        except HttpError as exc:
            await send_json(send, exc.status, exc.body())
        except Exception as exc:
            logger.exception("novu-framework studio: %s %s failed", request.method, request.path)
            await send_json(
                send, 500, {"message": f"{type(exc).__name__}: {exc}", "code": "StudioInternalError"}
            )

    async def _route(self, request: Request, send: Send) -> None:
        path, method = request.path, request.method
        api = self.api
        if path.startswith("/api/"):
            await api.runtime.ready()  # the store's schema, created or migrated on first use
        if method == "GET" and path in ("", "/", "/index.html"):
            await send_bytes(
                send,
                200,
                _asset("index.html"),
                "text/html; charset=utf-8",
                [(b"content-security-policy", PAGE_CSP.encode()), (b"cache-control", b"no-cache")],
            )
            return
        if method == "GET" and path.startswith("/assets/"):
            name = path[len("/assets/") :]
            if name not in ASSETS:
                raise HttpError(404, f"no asset {name!r}", "NotFound")
            await send_bytes(send, 200, _asset(name), ASSETS[name], [(b"cache-control", b"no-cache")])
            return
        get_routes = {
            "/api/workflows": api.workflows_list,
            "/api/runs": api.runs,
            "/api/subscribers": api.subscribers,
        }
        post_routes = {
            "/api/preview": api.preview,
            "/api/controls": api.save_controls,
            "/api/controls/reset": api.reset_controls,
            "/api/trigger": api.trigger,
        }
        if method == "GET" and path in get_routes:
            await send_json(send, 200, await get_routes[path](request))
            return
        if method == "POST" and path in post_routes:
            await send_json(send, 200, await post_routes[path](request))
            return
        if method == "GET" and path == "/api/runs/events":
            query = dict(request.query)
            query.pop("after", None)
            await api.runs_page(query)  # a bad filter is a 400 before the stream opens
            await events.stream(
                request.receive,
                send,
                lambda: api.runs_page(query),
                event="runs",
                interval=1.0,
                stop=self.closing,
            )
            return
        match = _RUN.match(path)
        if match is not None:
            run_id, tail = match.group(1), match.group(2)
            if method == "GET" and tail is None:
                await send_json(send, 200, await api.run(run_id))
                return
            if method == "POST" and tail == "/cancel":
                await send_json(send, 200, await api.cancel(run_id))
                return
            if method == "GET" and tail == "/events":
                await api.run(run_id)  # 404 before the stream opens
                await events.stream(
                    request.receive,
                    send,
                    lambda: api.run(run_id),
                    event="run",
                    done=api.run_done,
                    stop=self.closing,
                )
                return
        match = _MESSAGE.match(path)
        if match is not None and method == "POST":
            await send_json(send, 200, await api.mark_message(unquote(match.group(1)), request))
            return
        match = _SUBSCRIBER.match(path)
        if match is not None and method == "GET":
            await send_json(send, 200, await api.subscriber(unquote(match.group(1))))
            return
        if path.startswith("/api/"):
            raise HttpError(404, f"no API route {method} {path}", "NotFound")
        raise HttpError(404, f"nothing at {path}", "NotFound")


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def studio_app(
    workflows: Iterable[Workflow] | None = None,
    runtime: Runtime | None = None,
    *,
    allow_remote: bool = False,
) -> Studio:
    """The Studio page and its API as an ASGI app, to mount at a path of your choice (``/studio``).

    ``runtime``: the local runtime whose runs it shows and triggers (default: the default runtime);
    ``workflows``: the workflows to show (default: the runtime's). Unless ``allow_remote``, every request
    that does not come over loopback is refused with a 403; check the address you listen on with
    :func:`novu_framework.studio.check_bind` before starting the server.
    """
    if runtime is None:
        from novu_framework.runtime.default import default_runtime

        runtime = default_runtime()
    chosen = list(runtime.workflows.values()) if workflows is None else list(workflows)
    return Studio(StudioApi(chosen, runtime), allow_remote)
