"""Live updates as server-sent events: the page keeps one stream open per view.

Each stream re-reads what it shows at a short interval and sends it when it changed. Reading the store
(rather than listening to this process's worker) also shows runs advanced by workers in other processes
sharing a PostgreSQL or SQLite store. Streams end after ``max_seconds`` (the browser reconnects on its
own), when ``done`` says the view can no longer change, or within an interval of ``stop`` being set
(the server is shutting down).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from novu_framework.studio.http import SECURITY_HEADERS, Receive, Send


async def stream(
    receive: Receive,
    send: Send,
    read: Callable[[], Awaitable[Any]],
    *,
    event: str,
    interval: float = 0.25,
    max_seconds: float = 300.0,
    done: Callable[[Any], bool] = lambda value: False,
    stop: asyncio.Event | None = None,
) -> None:
    """Send ``read()`` as an ``event`` whenever its JSON changes, until the client leaves."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-store"),
                (b"x-accel-buffering", b"no"),
                *SECURITY_HEADERS,
            ],
        }
    )
    gone = asyncio.Event()

    async def watch_disconnect() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                gone.set()
                return

    watcher = asyncio.ensure_future(watch_disconnect())
    last: str | None = None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    try:
        await send({"type": "http.response.body", "body": b"retry: 1000\n\n", "more_body": True})
        while not gone.is_set() and loop.time() < deadline and not (stop is not None and stop.is_set()):
            try:
                value = await read()
            except Exception as exc:  # the store went away: say so, and let the browser reconnect
                text = json.dumps({"message": f"{type(exc).__name__}: {exc}"})
                await send(
                    {
                        "type": "http.response.body",
                        "body": f"event: failure\ndata: {text}\n\n".encode(),
                        "more_body": True,
                    }
                )
                break
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
            if text != last:
                last = text
                data = f"event: {event}\ndata: {text}\n\n".encode()
                await send({"type": "http.response.body", "body": data, "more_body": True})
            if done(value):
                break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(gone.wait(), interval)
        if not gone.is_set():
            await send({"type": "http.response.body", "body": b"event: end\ndata: {}\n\n", "more_body": True})
    finally:
        watcher.cancel()
        with contextlib.suppress(BaseException):
            await watcher
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b""})
