"""The test server: a runtime with the test workflows, the bridge at /api/novu and the Inbox API on
one origin (the composition ``novu-framework dev`` serves), under uvicorn on 127.0.0.1.

``python -m tests.inbox.server --db PATH --port PORT [--no-worker] [--hmac-key K]``. A route of its
own, ``POST /test/trigger`` (``{"workflow", "to", "payload"}``), triggers a workflow, so that the
Node clients can make a message arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from novu_framework import Client
from novu_framework.inbox import inbox_app, with_inbox
from novu_framework.runtime import Runtime
from novu_framework_fastapi import serve
from tests.inbox.apps import WORKFLOWS


def build(args: argparse.Namespace) -> tuple[Any, Runtime]:
    runtime = Runtime(WORKFLOWS, store=args.db, poll_interval=0.01)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.ready()
        if not args.no_worker:
            await runtime.start()
        yield

    bridge = FastAPI(lifespan=lifespan)
    client = Client(secret_key="novu-framework-dev", strict_authentication=False)
    bridge.include_router(serve(WORKFLOWS, client=client), prefix="/api/novu")

    @bridge.post("/test/trigger")
    async def trigger(request: Request) -> Any:
        body = await request.json()
        result = await runtime.trigger(body["workflow"], body["to"], body.get("payload") or {})
        return {"transactionId": result.transaction_id}

    inbox = inbox_app(runtime, secret="test-secret", hmac_key=args.hmac_key, poll_interval=args.poll_interval)
    return with_inbox(bridge, inbox), runtime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--hmac-key")
    parser.add_argument("--poll-interval", type=float, default=0.25)
    args = parser.parse_args()
    app, runtime = build(args)
    config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning")
    server = uvicorn.Server(config)

    async def run() -> None:
        try:
            await server.serve()
        finally:
            await runtime.close()

    print(json.dumps({"listening": args.port}), flush=True)
    asyncio.run(run())


if __name__ == "__main__":
    main()
