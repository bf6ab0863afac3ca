"""The FastAPI router is also an ASGI app: mounting it under Starlette or FastAPI serves the bridge."""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("fastapi", reason="fastapi is not installed in this environment")

from fastapi import FastAPI
from starlette.applications import Starlette

from novu_framework import Client
from novu_framework_fastapi import serve
from tests.conformance.catalogue import oracle_minimal


def _client() -> Client:
    return Client(secret_key="k", strict_authentication=False)


async def test_mounted_under_starlette() -> None:
    app = Starlette()
    app.mount("/api/novu", serve(workflows=[oracle_minimal], client=_client()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        answer = await http.get("/api/novu/", params={"action": "health-check"})
        assert answer.status_code == 200 and answer.json()["discovered"] == {"workflows": 1, "steps": 1}
        executed = await http.post(
            "/api/novu/",
            params={"action": "execute", "workflowId": "oracle-minimal", "stepId": "only-step"},
            json={"payload": {}, "controls": {}, "state": []},
        )
        assert executed.json()["outputs"] == {"body": "Static body"}


async def test_included_router_answers_both_paths_without_redirect() -> None:
    app = FastAPI()
    app.include_router(serve(workflows=[oracle_minimal], client=_client()), prefix="/api/novu")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        for path in ("/api/novu", "/api/novu/"):
            answer = await http.post(
                path,
                params={"action": "execute", "workflowId": "oracle-minimal", "stepId": "only-step"},
                json={"payload": {}, "state": []},
            )
            assert answer.status_code == 200, (path, answer.text)
            assert answer.headers["novu-framework-server"] == "fastapi"


async def test_mounted_under_fastapi() -> None:
    app = FastAPI()
    app.mount("/api/novu", serve(workflows=[oracle_minimal], client=_client()))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        answer = await http.get("/api/novu/", params={"action": "discover"})
        assert answer.status_code == 200 and answer.json()["workflows"][0]["workflowId"] == "oracle-minimal"
        refused = await http.delete("/api/novu/", params={"action": "discover"})
        assert refused.status_code == 405 and refused.json()["code"] == "MethodNotAllowedError"
