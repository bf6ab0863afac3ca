"""The ASGI app that ``novu-framework dev`` serves: every local mount is composed here, in one place.

Today: the bridge at ``/api/novu``, open (unsigned requests accepted) because it is bound to a loopback
address, and the embedded runtime's worker, started and stopped with the app's lifespan. Local-only
services (an Inbox API, a Studio page) are mounted in :func:`build_dev_app` beside the bridge.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from novu_framework.client import Client
from novu_framework.requirements import require
from novu_framework.routing import LocalTriggers, register_local_runtime
from novu_framework.workflow import Workflow

if TYPE_CHECKING:
    from fastapi import FastAPI

BRIDGE_PATH = "/api/novu"


class DevRuntime(LocalTriggers, Protocol):
    """What the dev server needs from a runtime (``novu_framework.runtime.Runtime`` is one)."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def dev_client(host: str, secret_key: str | None = None) -> Client:
    """The bridge's client: open on a loopback host; strict, and so needing a key, anywhere else."""
    if is_loopback(host):
        return Client(secret_key=secret_key or "", strict_authentication=False)
    client = Client(secret_key=secret_key, strict_authentication=True)
    if not client.secret_key:
        raise ValueError(
            f"--host {host} is not a loopback address: an open bridge there would run workflow code for "
            "anyone who can reach it. Serve on 127.0.0.1, or set NOVU_SECRET_KEY (the bridge then "
            "requires signed requests)."
        )
    return client


def build_dev_app(
    workflows: Iterable[Workflow],
    runtime: DevRuntime,
    *,
    client: Client,
    bridge_path: str = BRIDGE_PATH,
) -> FastAPI:
    """The dev server: the bridge for ``workflows`` at ``bridge_path``; ``runtime`` runs their triggers.

    The app's lifespan starts ``runtime``'s worker, makes it the target of local triggers
    (``Workflow.trigger()`` in this process) and closes it at shutdown.
    """
    require("fastapi", "novu-framework dev")
    from fastapi import FastAPI

    from novu_framework_fastapi import serve

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        register_local_runtime(lambda: runtime)
        await runtime.start()
        try:
            yield
        finally:
            register_local_runtime(None)
            await runtime.close()

    app = FastAPI(title="novu-framework dev", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.include_router(serve(list(workflows), client=client), prefix=bridge_path)
    # Further local mounts (Inbox API, Studio) are added here.
    return app
