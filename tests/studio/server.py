"""A bridge with the Studio beside it, served by uvicorn on 127.0.0.1 in a thread, as ``dev`` serves them."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI

from novu_framework import Client
from novu_framework.runtime import Runtime
from novu_framework.studio import mount_studio, studio_app
from novu_framework.workflow import Workflow
from novu_framework_fastapi import serve
from tests.servers import free_port


@dataclass
class Served:
    url: str  # the Studio page, ending in "/"
    base: str
    runtime: Runtime
    loop: asyncio.AbstractEventLoop

    def call(self, coro: Any, timeout: float = 30.0) -> Any:
        """Run a coroutine on the server's loop (where the runtime lives) and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


@contextmanager
def serve_studio(
    workflows: Sequence[Workflow], store: Any, *, start_worker: bool = True, **runtime_args: Any
) -> Iterator[Served]:
    runtime = Runtime(workflows, store=store, **runtime_args)
    bridge = FastAPI()
    bridge.include_router(
        serve(list(workflows), client=Client(secret_key="test", strict_authentication=False)),
        prefix="/api/novu",
    )
    app = mount_studio(bridge, studio_app(workflows, runtime), "/studio")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    holder: dict[str, Any] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        holder["loop"] = loop
        asyncio.set_event_loop(loop)

        async def main() -> None:
            await runtime.ready()
            if start_worker:
                await runtime.start()
            try:
                await server.serve()
            finally:
                await runtime.close()

        loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=run, name="studio-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the Studio test server did not start")
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    try:
        yield Served(f"{base}/studio/", base, runtime, holder["loop"])
    finally:
        server.should_exit = True
        thread.join(20)
