"""The Studio's JSON API, its guards, and what it changes in the runtime, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from novu_framework.runtime import Runtime
from novu_framework.runtime.delivery import ConsoleProvider
from novu_framework.studio import StudioRemoteError, check_bind, mount_studio, studio_app
from tests.runtime.conftest import FakeClock
from tests.studio.workflows import WORKFLOWS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def runtime(request: Any, tmp_path: Path, clock: FakeClock) -> AsyncIterator[Runtime]:
    if request.param == "sqlite":
        store = str(tmp_path / "runtime.sqlite3")
    else:
        store = request.getfixturevalue("postgres").fresh_database()
    quiet = ConsoleProvider(open("/dev/null", "w"))  # noqa: SIM115
    rt = Runtime(WORKFLOWS, store=store, clock=clock, providers={"email": quiet})
    await rt.ready()
    yield rt
    await rt.close()


def client(
    app: Any, host: str = "127.0.0.1", remote: tuple[str, int] = ("127.0.0.1", 5000)
) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=remote)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


async def finish(rt: Runtime, clock: FakeClock) -> None:
    await rt.run_until_idle()
    clock.advance(2)
    await rt.run_until_idle()


# --- controls ------------------------------------------------------------------------------------


async def test_saved_controls_are_used_by_local_runs_until_reset(runtime: Runtime, clock: FakeClock) -> None:
    app = studio_app(WORKFLOWS, runtime)
    async with client(app) as c:
        bad = await c.post(
            "/api/controls",
            json={"workflowId": "order-shipped", "stepId": "shipped-email", "controls": {"max_lines": 0}},
        )
        assert bad.status_code == 400
        assert bad.json()["data"] == [
            {"path": "/max_lines", "message": "Input should be greater than or equal to 1"}
        ]
        assert await runtime.step_controls("order-shipped") == {}
        saved = await c.post(
            "/api/controls",
            json={
                "workflowId": "order-shipped",
                "stepId": "shipped-email",
                "controls": {"subject": "Saved {{payload.order_id}}", "greeting": "Hello"},
            },
        )
        assert saved.status_code == 200, saved.text
        steps = (await c.get("/api/workflows")).json()["workflows"][0]["steps"]
        assert [s["hasSkip"] for s in steps] == [False, False, True]
        listed = steps[2]
        assert listed["savedControls"]["subject"] == "Saved {{payload.order_id}}"

    first = await runtime.trigger("order-shipped", "s1", {"order_id": "X-100"})
    await finish(runtime, clock)
    run = (await runtime.history(transaction_id=first.transaction_id))[0]
    email = next(s for s in run.steps if s.step_id == "shipped-email")
    assert email.outputs["subject"] == "Saved X-100"
    assert email.outputs["body"].startswith("<p>Hello Ada,")

    async with client(app) as c:
        reset = await c.post(
            "/api/controls/reset", json={"workflowId": "order-shipped", "stepId": "shipped-email"}
        )
        assert reset.json() == {"reset": True}
    second = await runtime.trigger("order-shipped", "s1", {"order_id": "X-200"})
    await finish(runtime, clock)
    run = (await runtime.history(transaction_id=second.transaction_id))[0]
    email = next(s for s in run.steps if s.step_id == "shipped-email")
    assert email.outputs["subject"] == "Your order X-200 has shipped"


async def test_preview_is_the_bridges_answer(runtime: Runtime) -> None:
    async with client(studio_app(WORKFLOWS, runtime)) as c:
        ok = await c.post(
            "/api/preview",
            json={
                "workflowId": "order-shipped",
                "stepId": "shipped-email",
                "controls": {"show_tracking": False, "signature": {"name": "Shipping"}},
                "payload": {"order_id": "Q-1", "customer": "Lin"},
            },
        )
        assert ok.status_code == 200, ok.text
        body = ok.json()["outputs"]["body"]
        assert "Hi Lin," in body and "Track it" not in body and "— Shipping" in body
        delay = await c.post(
            "/api/preview",
            json={"workflowId": "order-shipped", "stepId": "short-wait", "controls": {"seconds": 5}},
        )
        assert delay.json()["outputs"] == {"amount": 5, "unit": "seconds"}
        assert delay.json()["computed"]["waitsMs"] == 5000
        broken = await c.post(
            "/api/preview",
            json={
                "workflowId": "order-shipped",
                "stepId": "shipped-inbox",
                "controls": {"body": "{{ payload."},
            },
        )
        assert broken.status_code == 400
        assert broken.json()["code"] == "StepControlCompilationFailedError"
        missing = await c.post("/api/preview", json={"workflowId": "order-shipped", "stepId": "nope"})
        assert missing.status_code == 404 and missing.json()["code"] == "StepNotFoundError"


# --- triggering and runs -------------------------------------------------------------------------


async def test_trigger_validates_as_trigger_does(runtime: Runtime, clock: FakeClock) -> None:
    async with client(studio_app(WORKFLOWS, runtime)) as c:
        bad = await c.post("/api/trigger", json={"workflowId": "order-shipped", "to": "u1", "payload": {}})
        assert bad.status_code == 400
        assert bad.json()["code"] == "WorkflowPayloadInvalidError"
        assert bad.json()["data"][0]["path"] == "/order_id"
        nobody = await c.post(
            "/api/trigger", json={"workflowId": "order-shipped", "to": [], "payload": {"order_id": "A-1"}}
        )
        assert nobody.status_code == 400 and "no subscriber" in nobody.json()["message"]
        unknown = await c.post("/api/trigger", json={"workflowId": "ghost", "to": "u1"})
        assert unknown.status_code == 404
        ok = await c.post(
            "/api/trigger",
            json={
                "workflowId": "order-shipped",
                "to": {"subscriberId": "u1", "email": "u1@example.com"},
                "payload": {"order_id": "A-1"},
                "transactionId": "tx-studio-1",
            },
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["transactionId"] == "tx-studio-1" and len(ok.json()["runs"]) == 1
        run_id = ok.json()["runs"][0]
        await finish(runtime, clock)
        run = (await c.get(f"/api/runs/{run_id}")).json()
        assert run["status"] == "completed"
        assert [s["step_id"] for s in run["steps"]] == ["shipped-inbox", "short-wait", "shipped-email"]
        email = run["steps"][2]
        assert email["deliveries"][0]["attempts"][0]["status"] == "sent"
        assert email["deliveries"][0]["recipient"] == "u1@example.com"
        sub = (await c.get("/api/subscribers/u1")).json()
        assert sub["inbox"][0]["content"]["body"] == "Order A-1 is on its way."
        assert sub["outbox"][0]["outputs"]["subject"] == "Your order A-1 has shipped"
        assert (await c.get("/api/runs/nope")).status_code == 404
        message_id = sub["inbox"][0]["id"]
        marked = (await c.post(f"/api/messages/{message_id}", json={"read": True})).json()
        assert marked["read"] and marked["seen"]
        assert (await c.post(f"/api/messages/{message_id}", json={"read": "yes"})).status_code == 400
        assert (await c.post("/api/messages/nope", json={"seen": True})).status_code == 404


async def test_keyset_pages_list_every_run_once_even_in_one_millisecond(
    runtime: Runtime, clock: FakeClock
) -> None:
    for i in range(23):  # the clock stands still: every run has the same created_at
        await runtime.trigger("order-shipped", f"p{i % 4}", {"order_id": f"K-{i:03d}"})
    clock.advance(1)
    await runtime.trigger("order-shipped", "late", {"order_id": "K-999"})
    async with client(studio_app(WORKFLOWS, runtime)) as c:
        seen: list[str] = []
        cursor = ""
        for _ in range(10):
            page = (await c.get(f"/api/runs?limit=5&after={cursor}")).json()
            seen += [r["id"] for r in page["runs"]]
            cursor = page["next"]
            if cursor is None:
                break
        everything = [r.id for r in await runtime.history(limit=1000)]
        assert sorted(seen) == sorted(everything) and len(seen) == len(set(seen)) == 24
        assert (await c.get("/api/runs?limit=1")).json()["runs"][0]["subscriber_id"] == "late"
        p1 = (await c.get("/api/runs?subscriber=p1&limit=200")).json()["runs"]
        assert len(p1) == 6 and {r["subscriber_id"] for r in p1} == {"p1"}
        since = clock() - 500
        recent = (await c.get(f"/api/runs?since={since}")).json()["runs"]
        assert [r["subscriber_id"] for r in recent] == ["late"]
        assert (await c.get(f"/api/runs?until={since}")).json()["runs"][0]["subscriber_id"] != "late"
        assert (await c.get("/api/runs?status=pending&limit=200")).json()["runs"].__len__() == 24
        assert (await c.get("/api/runs?status=completed")).json()["runs"] == []
        for query, word in [
            ("status=done", "`status` must be one of"),
            ("limit=0", "`limit`"),
            ("limit=abc", "`limit`"),
            ("after=garbage", "`after`"),
            ("since=yesterday", "`since`"),
        ]:
            r = await c.get(f"/api/runs?{query}")
            assert r.status_code == 400 and word in r.json()["message"], (query, r.text)


async def test_cancel_from_the_studio(runtime: Runtime, clock: FakeClock) -> None:
    result = await runtime.trigger("order-shipped", "c1", {"order_id": "C-1"})
    await runtime.run_until_idle()  # now waiting in the delay
    run_id = (await runtime.history(transaction_id=result.transaction_id))[0].id
    async with client(studio_app(WORKFLOWS, runtime)) as c:
        assert (await c.get(f"/api/runs/{run_id}")).json()["status"] == "waiting"
        assert (await c.post(f"/api/runs/{run_id}/cancel", json={})).json() == {"canceled": 1}
        assert (await c.get(f"/api/runs/{run_id}")).json()["status"] == "canceled"


# --- guards --------------------------------------------------------------------------------------


async def test_only_loopback_unless_allowed(runtime: Runtime) -> None:
    app = studio_app(WORKFLOWS, runtime)
    async with client(app, remote=("192.168.1.20", 5000)) as c:
        r = await c.get("/api/workflows")
        assert r.status_code == 403 and "loopback" in r.json()["message"]
    async with client(app) as c:  # DNS rebinding: a loopback connection for another site's name
        r = await c.get("/api/workflows", headers={"host": "studio.attacker.example"})
        assert r.status_code == 403 and "Host header" in r.json()["message"]
    async with client(app) as c:
        assert (await c.get("/api/workflows", headers={"host": "localhost:4000"})).status_code == 200
        assert (await c.get("/api/workflows", headers={"host": "[::1]:4000"})).status_code == 200
    async with client(studio_app(WORKFLOWS, runtime, allow_remote=True), remote=("192.168.1.20", 1)) as c:
        assert (await c.get("/api/workflows")).status_code == 200
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_bind(host)
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.com"):
        with pytest.raises(StudioRemoteError, match="allow_remote"):
            check_bind(host)
        check_bind(host, allow_remote=True)


async def test_bad_requests_get_clear_json_errors(runtime: Runtime) -> None:
    async with client(studio_app(WORKFLOWS, runtime)) as c:
        cases = [
            (await c.post("/api/preview", content=b"{}"), 415, "Content-Type: application/json"),
            (
                await c.post("/api/preview", content=b"{", headers={"content-type": "application/json"}),
                400,
                "not valid JSON",
            ),
            (await c.post("/api/preview", json=[1]), 400, "JSON object"),
            (
                await c.post("/api/preview", json={"workflowId": 3}),
                400,
                "`workflowId` must be a non-empty string",
            ),
            (
                await c.post(
                    "/api/preview",
                    content=b"x" * (1024 * 1024 + 1),
                    headers={"content-type": "application/json"},
                ),
                413,
                "over",
            ),
            (await c.post("/api/trigger", json={"workflowId": "order-shipped"}), 400, "`to` is required"),
            (
                await c.post(
                    "/api/controls", json={"workflowId": "order-shipped", "stepId": "x", "controls": []}
                ),
                400,
                "`controls` must be a JSON object",
            ),
            (await c.get("/api/nothing"), 404, "no API route"),
            (await c.get("/assets/..%2fapp.py"), 404, "no asset"),
            (
                await c.post("/api/preview", json={}, headers={"origin": "http://evil.example"}),
                403,
                "cross-site",
            ),
        ]
        for response, status, words in cases:
            assert response.status_code == status, (words, response.text)
            assert words in response.json()["message"], response.text
        page = await c.get("/")
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


# --- mounting and live updates -------------------------------------------------------------------


async def test_mounts_in_fastapi_and_next_to_any_asgi_app(runtime: Runtime) -> None:
    from fastapi import FastAPI

    studio = studio_app(WORKFLOWS, runtime)
    api = FastAPI()
    api.mount("/tools/studio", studio)
    async with client(api) as c:
        assert "assets/studio.js" in (await c.get("/tools/studio/")).text
        assert (await c.get("/tools/studio/api/workflows")).json()["workflows"][0][
            "workflowId"
        ] == "order-shipped"

    async def other(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"other app"})

    composed = mount_studio(other, studio, "/studio")
    async with client(composed) as c:
        assert (await c.get("/api/novu")).text == "other app"
        moved = await c.get("/studio")
        assert moved.status_code == 308 and moved.headers["location"] == "/studio/"
        assert (await c.get("/studio/assets/studio.css")).headers["content-type"].startswith("text/css")


async def test_run_stream_sends_updates_then_ends(runtime: Runtime, clock: FakeClock) -> None:
    result = await runtime.trigger("order-shipped", "live", {"order_id": "L-1"})
    run_id = (await runtime.history(transaction_id=result.transaction_id))[0].id
    import uvicorn

    from tests.studio.server import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(studio_app(WORKFLOWS, runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    serving = asyncio.ensure_future(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        statuses: list[str] = []
        async with (
            httpx.AsyncClient(timeout=20) as c,
            c.stream("GET", f"http://127.0.0.1:{port}/api/runs/{run_id}/events") as stream,
        ):
            assert stream.headers["content-type"].startswith("text/event-stream")
            event = ""
            async for line in stream.aiter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                    if event == "end":
                        break
                elif line.startswith("data: ") and event == "run":
                    statuses.append(json.loads(line[6:])["status"])
                    if len(statuses) == 1:
                        await finish(runtime, clock)
        assert statuses[0] == "pending" and statuses[-1] == "completed"
    finally:
        server.should_exit = True
        await serving


async def test_mounts_beside_a_django_asgi_project(runtime: Runtime) -> None:
    from django.core.asgi import get_asgi_application

    from tests.adapters import django_setup

    django_setup.configure()
    application = mount_studio(get_asgi_application(), studio_app(WORKFLOWS, runtime), "/studio")
    async with client(application) as c:
        bridge = await c.get("/api/novu", params={"action": "health-check"})
        assert bridge.status_code == 200 and bridge.json()["status"] == "ok"  # answered by Django
        found = (await c.get("/studio/api/workflows")).json()
        assert found["workflows"][0]["workflowId"] == "order-shipped"  # answered by the Studio


async def test_a_fresh_store_is_migrated_and_close_ends_live_streams(tmp_path: Path) -> None:
    import uvicorn

    from novu_framework.studio.dev import close_on_exit, with_studio
    from tests.studio.server import free_port

    async def other(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("only the Studio is asked here")

    fresh = Runtime(WORKFLOWS, store=str(tmp_path / "never-migrated.sqlite3"))  # no ready(), no start()
    port = free_port()
    app, url, studio = with_studio(other, fresh, host="127.0.0.1", port=port)
    assert url == f"http://127.0.0.1:{port}/studio/"
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.ensure_future(server.serve())
    closer = asyncio.ensure_future(close_on_exit(server, studio, poll=0.05))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        events: list[str] = []
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=20) as c:
            assert (await c.get(url + "api/runs")).json() == {"runs": [], "next": None}
            started = 0.0

            async def follow() -> None:
                nonlocal started
                async with c.stream("GET", url + "api/runs/events") as stream:
                    async for line in stream.aiter_lines():
                        if line.startswith("event: "):
                            events.append(line[7:])
                            if line == "event: runs":
                                started = loop.time()
                                server.should_exit = True  # what Ctrl-C does

            await asyncio.wait_for(follow(), 10)
        assert events == ["runs", "end"]
        assert loop.time() - started < 1.9  # ended by the Studio, not cut by a timeout
    finally:
        server.should_exit = True
        await serving
        closer.cancel()
        await fresh.close()
