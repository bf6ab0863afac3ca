"""Every blocking ``*_sync`` entry: it works from plain sync code, and on a thread that runs an event loop it
raises the one ``BlockingCallInEventLoopError`` with the one message shape, having done nothing.

The Novu API is the recording stand-in on 127.0.0.1 (``tests/api_client/recording_server.py``); the local
runtime is a real one on a SQLite file.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow
from novu_framework import _sync as sync_bridge
from novu_framework.api_client import NovuApiClient, build_trigger_body
from novu_framework.errors import BlockingCallInEventLoopError, NovuError
from novu_framework.routing import register_local_runtime
from novu_framework.runtime import Runtime, SqliteStore
from novu_framework.trigger_result import TriggerResult
from tests.api_client.recording_server import RecordingServer, api_error

SECRET = "sk-sync-bridge"


@workflow("bridged")
async def bridged(step: Any) -> None:
    await step.sms("s", lambda controls: {"body": "hello"})


@dataclass
class Env:
    api: RecordingServer
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    runtime: Runtime | None = None

    def api_client(self, **options: Any) -> NovuApiClient:
        return NovuApiClient(SECRET, self.api.url, backoff=0.0, **options)

    def cloud(self) -> None:
        self.monkeypatch.setenv("NOVU_SECRET_KEY", SECRET)
        self.monkeypatch.setenv("NOVU_API_URL", self.api.url)

    def local(self) -> Runtime:
        if self.runtime is None:
            self.runtime = Runtime([bridged], store=str(self.tmp / "runtime.sqlite3"))
            register_local_runtime(lambda: self.runtime)  # type: ignore[arg-type,return-value]
        self.monkeypatch.setenv("NOVU_RUNTIME", "local")
        return self.runtime

    def runs(self, transaction_id: str) -> list[Any]:
        assert self.runtime is not None
        return sync_bridge.run_blocking(self.runtime.history(transaction_id=transaction_id))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    for name in ("NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_API_URL", "NOVU_RUNTIME", "NOVU_BRIDGE_ORIGIN"):
        monkeypatch.delenv(name, raising=False)
    server = RecordingServer().start()
    made = Env(server, tmp_path, monkeypatch)
    try:
        yield made
    finally:
        register_local_runtime(None)
        if made.runtime is not None:
            sync_bridge.run_blocking(made.runtime.close())
        sync_bridge.close_thread_loop()
        server.stop()


def _handler() -> NovuRequestHandler:
    return NovuRequestHandler([bridged], Client(secret_key="sk_test", strict_authentication=False))


EXECUTE = "action=execute&workflowId=bridged&stepId=s"


@dataclass(frozen=True)
class Entry:
    """A blocking entry: ``prepare`` (sync code) gives the call to make, ``check`` judges what it returned."""

    what: str
    instead: str
    prepare: Callable[[Env], Callable[[], Any]]
    check: Callable[[Env, Any], None]


def _answered(status: int, outputs: dict[str, Any]) -> Callable[[Env, Any], None]:
    def check(env: Env, response: Any) -> None:
        assert response.status == status, response.body
        assert json.loads(response.body)["outputs"] == outputs

    return check


def _health(env: Env, response: Any) -> None:
    assert response.status == 200 and json.loads(response.body)["discovered"] == {"workflows": 1, "steps": 1}


def _sent_trigger(env: Env, result: Any) -> None:
    assert isinstance(result, TriggerResult) and result.transaction_id
    [sent] = env.api.requests
    assert (sent.method, sent.path) == ("POST", "/v1/events/trigger")
    assert sent.json()["transactionId"] == result.transaction_id


def _stored_trigger(env: Env, result: Any) -> None:
    assert isinstance(result, TriggerResult)
    assert result.data["data"]["transactionId"] == result.transaction_id
    assert [run.workflow_id for run in env.runs(result.transaction_id)] == ["bridged"]
    assert env.api.requests == []


def _cancelled_in_the_api(env: Env, answer: Any) -> None:
    assert answer == {"data": True}
    assert [(r.method, r.path) for r in env.api.requests][-1] == ("DELETE", "/v1/events/trigger/t-1")


def _cancelled_locally(env: Env, answer: Any) -> None:
    assert answer == {"data": True}
    [run] = env.runs("t-local")
    assert run.status == "canceled"


def _api_result(env: Env) -> Callable[[], Any]:
    result = env.api_client().trigger_sync(
        build_trigger_body("bridged", to="u1", payload={}, transaction_id="t-1")
    )
    return result.cancel_sync


def _local_result(env: Env) -> Callable[[], Any]:
    env.local()
    return bridged.trigger_sync("u1", {}, transaction_id="t-local").cancel_sync


def _migrated(env: Env, tables: Any) -> None:
    assert {"novu_runs", "novu_triggers"} <= tables


def _migrate(env: Env) -> Callable[[], Any]:
    store = SqliteStore(env.tmp / "migrated.sqlite3")

    def migrate() -> set[str]:
        store.migrate_sync()
        rows = sync_bridge.run_blocking(
            store.call(
                lambda: store.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            )
        )
        sync_bridge.run_blocking(store.close())
        return {row[0] for row in rows}

    return migrate


def _cloud_trigger(env: Env) -> Callable[[], Any]:
    env.cloud()
    return lambda: bridged.trigger_sync("u1", {})


def _local_trigger(env: Env) -> Callable[[], Any]:
    env.local()
    return lambda: bridged.trigger_sync("u1", {})


ENTRIES = [
    Entry(
        "NovuRequestHandler.handle_sync",
        "NovuRequestHandler.handle",
        lambda env: lambda: _handler().handle_sync(BridgeRequest.from_raw("GET", "action=health-check")),
        _health,
    ),
    Entry(
        "NovuRequestHandler.handle_stream_sync",
        "NovuRequestHandler.handle_stream",
        lambda env: lambda: _handler().handle_stream_sync("POST", EXECUTE, {}, [b'{"payload"', b": {}}"]),
        _answered(200, {"body": "hello"}),
    ),
    Entry("Workflow.trigger_sync", "Workflow.trigger", _cloud_trigger, _sent_trigger),
    Entry("Workflow.trigger_sync", "Workflow.trigger", _local_trigger, _stored_trigger),
    Entry(
        "NovuApiClient.trigger_sync",
        "NovuApiClient.trigger",
        lambda env: lambda: env.api_client().trigger_sync(build_trigger_body("bridged", to="u1", payload={})),
        _sent_trigger,
    ),
    Entry(
        "NovuApiClient.cancel_sync",
        "NovuApiClient.cancel",
        lambda env: lambda: env.api_client().cancel_sync("t-1"),
        _cancelled_in_the_api,
    ),
    Entry("TriggerResult.cancel_sync", "TriggerResult.cancel", _api_result, _cancelled_in_the_api),
    Entry("TriggerResult.cancel_sync", "TriggerResult.cancel", _local_result, _cancelled_locally),
    Entry("SqlStore.migrate_sync", "SqlStore.migrate", _migrate, _migrated),
]
IDS = [
    "handle_sync",
    "handle_stream_sync",
    "Workflow.trigger_sync-cloud",
    "Workflow.trigger_sync-local",
    "NovuApiClient.trigger_sync",
    "NovuApiClient.cancel_sync",
    "TriggerResult.cancel_sync-cloud",
    "TriggerResult.cancel_sync-local",
    "SqlStore.migrate_sync",
]


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_works_from_plain_sync_code(env: Env, entry: Entry) -> None:
    call = entry.prepare(env)
    entry.check(env, call())


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_works_from_a_thread_of_its_own(env: Env, entry: Entry) -> None:
    call = entry.prepare(env)
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        finally:
            sync_bridge.close_thread_loop()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert outcome, "the call did not finish in its thread"
    entry.check(env, outcome[0])


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_on_a_running_loop_it_raises_the_one_error_and_does_nothing(env: Env, entry: Entry) -> None:
    call = entry.prepare(env)
    sent_before = len(env.api.requests)

    async def on_the_loop() -> BlockingCallInEventLoopError:
        with pytest.raises(BlockingCallInEventLoopError) as caught:
            call()
        return caught.value

    error = asyncio.run(on_the_loop())
    assert str(error) == (
        f"{entry.what}() blocks, so it cannot be called from a thread that runs an event loop; "
        f"use `await {entry.instead}(...)` there"
    )
    assert isinstance(error, NovuError) and isinstance(error, RuntimeError)
    assert len(env.api.requests) == sent_before
    # What it names to await instead exists and is a coroutine method.
    owner, method = entry.instead.split(".")
    owners = {"NovuRequestHandler": NovuRequestHandler, "NovuApiClient": NovuApiClient}
    owners |= {"TriggerResult": TriggerResult, "SqlStore": SqliteStore, "Workflow": type(bridged)}
    assert inspect.iscoroutinefunction(getattr(owners[owner], method))


# --- the runner ------------------------------------------------------------------------------------


def test_handle_sync_runs_async_functions_in_a_task() -> None:
    """asyncio.timeout/wait_for, anyio cancel scopes and httpx need a current task, as under ``handle``."""
    seen: dict[str, Any] = {}

    async def resolver(controls: Any) -> dict[str, Any]:
        seen["task"] = asyncio.current_task()
        with anyio.fail_after(5):
            await asyncio.wait_for(asyncio.sleep(0), 5)
        return {"body": "in a task"}

    @workflow("needs-a-task")
    async def needs_a_task(step: Any) -> None:
        await step.sms("s", resolver)

    handler = NovuRequestHandler([needs_a_task], Client(secret_key="k", strict_authentication=False))
    try:
        response = handler.handle_sync(
            BridgeRequest.from_raw(
                "POST", "action=execute&workflowId=needs-a-task&stepId=s", {}, b'{"payload": {}}'
            )
        )
    finally:
        handler.close()
    assert response.status == 200, response.body
    assert json.loads(response.body)["outputs"] == {"body": "in a task"}
    assert seen["task"] is not None


def test_a_coroutine_that_never_waits_does_not_run_the_loop() -> None:
    turns: list[int] = []

    async def quick() -> int:
        return 42

    sync_bridge.run_blocking(quick())  # the thread's loop exists from here on
    holder = sync_bridge._thread_loop()
    original = holder.loop._run_once  # type: ignore[attr-defined]

    def counting() -> None:
        turns.append(1)
        original()

    holder.loop._run_once = counting  # type: ignore[attr-defined]
    try:
        assert sync_bridge.run_blocking(quick()) == 42
        assert turns == []

        async def waits() -> int:
            await asyncio.sleep(0)
            return 7

        assert sync_bridge.run_blocking(waits()) == 7
        assert turns
    finally:
        del holder.loop._run_once  # type: ignore[attr-defined]
        sync_bridge.close_thread_loop()


def test_an_interrupted_coroutine_is_cancelled_and_cleans_up() -> None:
    cleaned: list[str] = []

    async def long() -> None:
        loop = asyncio.get_running_loop()

        def interrupt() -> None:
            raise KeyboardInterrupt

        loop.call_later(0.01, interrupt)
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cleaned.append("cancelled")
            raise

    with pytest.raises(KeyboardInterrupt):
        sync_bridge.run_blocking(long())
    assert cleaned == ["cancelled"]
    sync_bridge.close_thread_loop()


def test_closing_the_thread_loop_cancels_what_was_left_on_it() -> None:
    cleaned: list[str] = []

    async def background() -> None:
        try:
            await asyncio.sleep(30)
        finally:
            cleaned.append("closed")

    async def leaves_a_task() -> asyncio.Task[None]:
        task = asyncio.ensure_future(background())
        await asyncio.sleep(0)  # it starts, and waits
        return task

    task = sync_bridge.run_blocking(leaves_a_task())
    assert not task.done()
    sync_bridge.close_thread_loop()
    assert cleaned == ["closed"] and task.cancelled()

    async def again() -> str:
        await asyncio.sleep(0)
        return "a new loop"

    assert sync_bridge.run_blocking(again()) == "a new loop"
    sync_bridge.close_thread_loop()


# --- the blocking API client against the stand-in --------------------------------------------------


def test_blocking_calls_retry_a_5xx_like_the_async_ones(env: Env) -> None:
    env.api.enqueue(api_error(503, "Service Unavailable", "later"))
    result = env.api_client().trigger_sync(
        build_trigger_body("bridged", to="u1", payload={}, transaction_id="t-r")
    )
    assert result.transaction_id == "t-r"
    assert [r.path for r in env.api.requests] == ["/v1/events/trigger", "/v1/events/trigger"]
    assert env.api.requests[0].body == env.api.requests[1].body


def test_a_blocking_context_pools_for_its_thread_and_other_threads_get_their_own(env: Env) -> None:
    body = build_trigger_body("bridged", to="u1", payload={}, transaction_id="t-p")
    with env.api_client() as client:
        client.trigger_sync(body).cancel_sync()
        other = threading.Thread(target=lambda: (client.cancel_sync("t-p"), sync_bridge.close_thread_loop()))
        other.start()
        other.join(10)
    first, second, third = env.api.requests
    assert first.client_port == second.client_port
    assert third.client_port != first.client_port and third.method == "DELETE"
    assert client._sync_pool is None


def test_blocking_calls_go_through_the_given_transport(env: Env) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"data": True})

    client = env.api_client(transport=httpx.MockTransport(answer))
    assert client.cancel_sync("t-m") == {"data": True}
    assert seen == ["DELETE /v1/events/trigger/t-m"] and env.api.requests == []


def test_the_thread_loop_is_the_standard_librarys_whatever_the_policy() -> None:
    import uvloop  # a dev dependency: the lanes all install it

    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        sync_bridge.close_thread_loop()

        async def quick() -> str:
            return type(asyncio.get_running_loop()).__module__

        assert sync_bridge.run_blocking(quick()).startswith("asyncio")
    finally:
        sync_bridge.close_thread_loop()
        asyncio.set_event_loop_policy(previous)
