"""How sync user functions of an ``async def`` workflow run: in place, reported when they block, or offloaded."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import Any

import pytest

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow
from novu_framework.testing import run_step
from novu_framework.user_code import SYNC_CALL_BUDGET_MS

PROVIDER_STATE: list[dict[str, Any]] = []
BLOCK_S = SYNC_CALL_BUDGET_MS / 1000 * 2.5
# Long enough that a free loop ticks well over 5 times even on a loaded machine (1 ms ticks).
OFFLOADED_BLOCK_S = 0.25


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "blocked" in r.getMessage()
    ]


async def test_sync_resolver_skip_and_provider_run_in_place_on_the_event_loop_thread() -> None:
    seen: dict[str, int] = {}

    def resolver(controls: Any) -> dict[str, Any]:
        seen["resolver"] = threading.get_ident()
        return {"subject": "s", "body": "b"}

    def skip(controls: Any) -> bool:
        seen["skip"] = threading.get_ident()
        return False

    def sendgrid(controls: Any, outputs: Any) -> dict[str, Any]:
        seen["provider"] = threading.get_ident()
        return {}

    @workflow("in-place")
    async def in_place(step: Any) -> None:
        await step.email("mail", resolver, skip=skip, providers={"sendgrid": sendgrid})

    result = await run_step(in_place, "mail", payload={})
    assert result.outputs == {"subject": "s", "body": "b"}
    loop_thread = threading.get_ident()
    assert seen == {"resolver": loop_thread, "skip": loop_thread, "provider": loop_thread}


async def test_a_sync_function_that_blocks_past_the_budget_is_reported_once_per_step(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def slow(controls: Any) -> dict[str, Any]:
        time.sleep(BLOCK_S)
        return {"body": "late"}

    @workflow("blocks-the-loop")
    async def blocks(step: Any) -> None:
        await step.sms("slow-sms", slow)
        await step.chat("quick-chat", lambda controls: {"body": "quick"})
        await step.push("slow-push", lambda controls: slow(controls) and {"subject": "s", "body": "b"})

    caplog.set_level(logging.WARNING, logger="novu_framework")
    for _ in range(3):
        assert (await run_step(blocks, "slow-sms", payload={})).outputs == {"body": "late"}
    assert (
        await run_step(blocks, "quick-chat", payload={}, state=[{"stepId": "slow-sms", "outputs": {}}])
    ).outputs
    assert _warnings(caplog) == [_warnings(caplog)[0]]
    message = _warnings(caplog)[0]
    assert "'slow-sms'" in message and "'blocks-the-loop'" in message and "offload=True" in message
    state = [{"stepId": "slow-sms", "outputs": {}}, {"stepId": "quick-chat", "outputs": {}}]
    await run_step(blocks, "slow-push", payload={}, state=state)
    assert len(_warnings(caplog)) == 2 and "'slow-push'" in _warnings(caplog)[1]


async def test_a_fast_sync_function_is_not_reported(caplog: pytest.LogCaptureFixture) -> None:
    @workflow("fast-sync")
    async def fast(step: Any) -> None:
        await step.sms("s", lambda controls: {"body": "x"}, skip=lambda controls: False)

    caplog.set_level(logging.WARNING, logger="novu_framework")
    for _ in range(20):
        await run_step(fast, "s", payload={})
    assert _warnings(caplog) == []


async def _loop_ticks_while(coroutine: Any) -> tuple[Any, int]:
    """Run ``coroutine`` while a 1 ms ticker runs on the same loop; return its result and the ticks."""
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            await asyncio.sleep(0.001)
            ticks += 1

    task = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    try:
        return await coroutine, ticks
    finally:
        stop.set()
        await task


@pytest.mark.parametrize("where", ["step", "workflow"])
async def test_offload_runs_sync_functions_in_a_worker_thread_and_keeps_the_loop_free(
    where: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen: dict[str, int] = {}

    def blocking(controls: Any) -> dict[str, Any]:
        seen["resolver"] = threading.get_ident()
        time.sleep(OFFLOADED_BLOCK_S)
        return {"body": "from a thread"}

    def skip(controls: Any) -> bool:
        seen["skip"] = threading.get_ident()
        return False

    step_offload = True if where == "step" else None

    @workflow(f"offloaded-{where}", offload=where == "workflow")
    async def offloaded(step: Any) -> None:
        await step.sms("s", blocking, skip=skip, offload=step_offload)

    caplog.set_level(logging.WARNING, logger="novu_framework")
    result, ticks = await _loop_ticks_while(run_step(offloaded, "s", payload={}))
    assert result.outputs == {"body": "from a thread"}
    loop_thread = threading.get_ident()
    assert seen["resolver"] != loop_thread and seen["skip"] != loop_thread
    assert ticks >= 5, f"the event loop advanced only {ticks} times while the resolver blocked"
    assert _warnings(caplog) == []


async def test_a_step_can_opt_out_of_its_workflows_offload() -> None:
    seen: dict[str, int] = {}

    @workflow("mixed-offload", offload=True)
    async def mixed(step: Any) -> None:
        await step.sms(
            "s", lambda c: seen.setdefault("resolver", threading.get_ident()) and {"body": "x"}, offload=False
        )

    await run_step(mixed, "s", payload={})
    assert seen["resolver"] == threading.get_ident()


async def test_an_inline_blocking_function_does_freeze_the_loop_which_is_why_it_is_reported() -> None:
    @workflow("freezes")
    async def freezes(step: Any) -> None:
        await step.sms("s", lambda controls: time.sleep(BLOCK_S) or {"body": "x"})

    _, ticks = await _loop_ticks_while(run_step(freezes, "s", payload={}))
    assert ticks <= 1


def _execute_sync(handler: NovuRequestHandler, workflow_id: str) -> dict[str, Any]:
    response = handler.handle_sync(
        BridgeRequest.from_raw(
            "POST", f"action=execute&workflowId={workflow_id}&stepId=s", {}, b'{"payload":{"a":1}}'
        )
    )
    assert response.status == 200, response.body
    return json.loads(response.body)["outputs"]  # type: ignore[no-any-return]


def test_under_handle_sync_a_slow_sync_function_is_neither_offloaded_nor_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: dict[str, int] = {}

    @workflow("wsgi-slow", offload=True)
    async def wsgi_slow(step: Any) -> None:
        def resolver(controls: Any) -> dict[str, Any]:
            seen["resolver"] = threading.get_ident()
            time.sleep(BLOCK_S)
            return {"body": "x"}

        await step.sms("s", resolver)

    caplog.set_level(logging.WARNING, logger="novu_framework")
    handler = NovuRequestHandler([wsgi_slow], Client(secret_key="sk_test", strict_authentication=False))
    try:
        assert _execute_sync(handler, "wsgi-slow") == {"body": "x"}
    finally:
        handler.close()
    assert seen["resolver"] == threading.get_ident()  # a WSGI worker thread may block: no hop
    assert _warnings(caplog) == []


@pytest.mark.parametrize("bad", ["yes", 1])
def test_offload_must_be_a_boolean(bad: Any) -> None:
    with pytest.raises(TypeError, match="offload must be True or False"):
        workflow("bad-offload", lambda step: None, offload=bad)


async def test_a_step_offload_must_be_a_boolean_or_none() -> None:
    @workflow("bad-step-offload")
    async def bad(step: Any) -> None:
        await step.sms("s", lambda c: {"body": "x"}, offload="yes")

    with pytest.raises(TypeError, match="offload must be True, False or None"):
        await bad.discover()


# --- def handlers ---------------------------------------------------------------------------------


async def test_a_def_handler_with_sync_functions_runs_in_place_on_the_event_loop_thread() -> None:
    seen: dict[str, int] = {}

    @workflow("def-in-place")
    def def_in_place(step: Any) -> None:
        seen["handler"] = threading.get_ident()
        inbox = step.in_app("inbox", lambda c: {"body": "hi"})
        step.email(
            "mail",
            lambda c: (
                seen.setdefault("resolver", threading.get_ident())
                and {"subject": "s", "body": str(inbox.seen)}
            ),
            skip=lambda c: seen.setdefault("skip", threading.get_ident()) == 0,
        )

    state = [
        {
            "stepId": "inbox",
            "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
        }
    ]
    result = await run_step(def_in_place, "mail", payload={}, state=state)
    assert result.outputs == {"subject": "s", "body": "True"}
    loop_thread = threading.get_ident()
    assert seen == {"handler": loop_thread, "resolver": loop_thread, "skip": loop_thread}


@pytest.mark.parametrize("where", ["step", "workflow"])
async def test_an_offloaded_def_handler_runs_in_a_worker_thread_and_keeps_the_loop_free(where: str) -> None:
    seen: dict[str, int] = {}

    def blocking(controls: Any) -> dict[str, Any]:
        seen["resolver"] = threading.get_ident()
        time.sleep(OFFLOADED_BLOCK_S)
        return {"body": "x"}

    @workflow(f"def-offloaded-{where}", offload=where == "workflow")
    def def_offloaded(step: Any) -> None:
        seen["handler"] = threading.get_ident()
        step.sms("s", blocking, offload=True if where == "step" else None)

    result, ticks = await _loop_ticks_while(run_step(def_offloaded, "s", payload={}))
    assert result.outputs == {"body": "x"}
    assert seen["handler"] == seen["resolver"] != threading.get_ident()
    assert ticks >= 5


async def test_a_def_handler_that_blocks_past_the_budget_is_reported_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @workflow("def-blocks")
    def def_blocks(step: Any) -> None:
        time.sleep(BLOCK_S)
        step.sms("s", lambda c: {"body": "x"})

    await def_blocks.discover()
    caplog.set_level(logging.WARNING, logger="novu_framework")
    for _ in range(3):
        await run_step(def_blocks, "s", payload={})
    warnings = _warnings(caplog)
    assert len(warnings) == 1 and "def handler" in warnings[0] and "'def-blocks'" in warnings[0]


async def test_a_def_handler_meeting_an_async_function_only_at_execution_moves_to_a_worker_thread() -> None:
    seen: dict[str, Any] = {"calls": 0}

    async def async_resolver(controls: Any) -> dict[str, Any]:
        seen["calls"] += 1
        return {"body": "async"}

    @workflow("def-late-async", payload_schema={"type": "object", "additionalProperties": True})
    def late(step: Any, payload: dict[str, Any]) -> None:
        seen["handler"] = threading.get_ident()
        step.sms("s", async_resolver if payload.get("use_async") else (lambda c: {"body": "sync"}))

    loop_thread = threading.get_ident()
    assert (await run_step(late, "s", payload={"use_async": False})).outputs == {"body": "sync"}
    assert seen["handler"] == loop_thread
    assert (await run_step(late, "s", payload={"use_async": True})).outputs == {"body": "async"}
    assert seen["handler"] != loop_thread and seen["calls"] == 1  # called once, from the worker thread


def test_under_handle_sync_an_offloaded_def_handler_runs_on_the_calling_thread() -> None:
    seen: dict[str, int] = {}

    @workflow("def-wsgi", offload=True)
    def def_wsgi(step: Any) -> None:
        seen["handler"] = threading.get_ident()
        step.sms("s", lambda c: {"body": "x"})

    handler = NovuRequestHandler([def_wsgi], Client(secret_key="sk_test", strict_authentication=False))
    try:
        assert _execute_sync(handler, "def-wsgi") == {"body": "x"}
    finally:
        handler.close()
    assert seen["handler"] == threading.get_ident()


async def test_a_blocking_resolver_of_a_def_handler_is_reported_for_its_step(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @workflow("def-slow-step")
    def def_slow_step(step: Any) -> None:
        step.sms("slow", lambda c: time.sleep(BLOCK_S) or {"body": "x"})

    caplog.set_level(logging.WARNING, logger="novu_framework")
    await run_step(def_slow_step, "slow", payload={})
    warnings = _warnings(caplog)
    assert (
        len(warnings) == 1 and "resolver of step 'slow'" in warnings[0] and "def handler" not in warnings[0]
    )


# --- handle_sync: stepped directly, handed to the loop only when it waits ---------------------------


def test_handle_sync_finishes_requests_that_wait_on_the_loop() -> None:
    async def waits(controls: Any) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(0.01)
        future = loop.create_future()
        loop.call_later(0.005, future.set_result, "woken")
        return {"body": await future}

    @workflow("sync-waits")
    async def sync_waits(step: Any) -> None:
        await step.sms("s", waits)

    @workflow("def-waits")
    def def_waits(step: Any) -> None:  # an async function in a def workflow: a worker thread
        step.sms("s", waits)

    handler = NovuRequestHandler(
        [sync_waits, def_waits], Client(secret_key="sk_test", strict_authentication=False)
    )
    try:
        for _ in range(3):
            assert _execute_sync(handler, "sync-waits") == {"body": "woken"}
            assert _execute_sync(handler, "def-waits") == {"body": "woken"}
    finally:
        handler.close()


def test_handle_sync_runs_a_request_in_one_context_across_waits() -> None:
    import contextvars

    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")

    async def sets(controls: Any) -> dict[str, Any]:
        marker.set("set before the wait")
        await asyncio.sleep(0.005)
        return {"body": marker.get()}

    @workflow("context-waits")
    async def context_waits(step: Any) -> None:
        await step.sms("s", sets)

    handler = NovuRequestHandler([context_waits], Client(secret_key="sk_test", strict_authentication=False))
    try:
        assert _execute_sync(handler, "context-waits") == {"body": "set before the wait"}
        assert marker.get() == "unset"  # the request's context is its own
    finally:
        handler.close()
