"""Execution semantics: replay, interrupt, every step kind, sync and async handlers, Pydantic schemas."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from pydantic import BaseModel

from novu_framework import DigestResult, InAppResult, workflow
from novu_framework.errors import (
    ExecutionStateCorruptError,
    ExecutionStateOutputInvalidError,
    ProviderExecutionFailedError,
    StepAlreadyExistsError,
    StepExecutionFailedError,
    StepNotFoundError,
)
from novu_framework.testing import run_step

DIGEST_STATE = {
    "stepId": "batch",
    "outputs": {
        "events": [
            {"id": "e1", "time": "2026-01-01T00:00:00Z", "payload": {"who": "Ann"}},
            {"id": "e2", "time": "2026-01-01T00:01:00Z", "payload": {"who": "Bob"}, "extra": "stripped"},
        ],
        "eventCount": 2,
    },
}
INBOX_STATE = {
    "stepId": "inbox",
    "outputs": {"seen": True, "read": True, "lastSeenDate": None, "lastReadDate": None},
}


class Payload(BaseModel):
    name: str
    items: list[str] = []


class MailControls(BaseModel):
    subject: str = "Hello {{payload.name}}"
    loud: bool = False


calls: list[str] = []


@workflow("every-kind", tags=["t"])
async def every_kind(step: Any, payload: Payload, subscriber: Any, context: Any) -> None:
    batch: DigestResult = await step.digest(
        "batch", lambda c: {"amount": 1, "unit": "hours", "digest_key": "k"}
    )
    inbox: InAppResult = await step.in_app(
        "inbox",
        lambda c: {
            "body": f"{len(batch.events)} events from {batch.events[1].payload['who']}",
            "primary_action": {"label": "Open", "redirect": {"url": "/x"}},
        },
    )
    await step.email(
        "mail",
        lambda c: {"subject": c.subject.upper() if c.loud else c.subject, "body": f"read={inbox.read}"},
        control_schema=MailControls,
    )
    await step.delay("wait", {"amount": 5, "unit": "minutes"})
    await step.throttle("limit", lambda c: {"type": "fixed", "amount": 1, "unit": "hours", "threshold": 2})
    await step.sms("sms", lambda c: {"body": payload.name})
    await step.push("push", lambda c: {"subject": "s", "body": "b"})
    await step.chat("chat", lambda c: {"body": "c"}, providers={"slack": lambda c, o: {"text": o["body"]}})
    calls.append("after-chat")
    await step.custom(
        "calc", lambda c: {"n": 1}, output_schema={"type": "object", "properties": {"n": {"type": "number"}}}
    )


PAYLOAD = {"name": "Ada"}


async def test_first_step_runs_and_nothing_after_it() -> None:
    await every_kind.discover()  # discovery runs the whole handler once
    calls.clear()
    result = await run_step(every_kind, "batch", payload=PAYLOAD, controls={})
    assert result.outputs == {"amount": 1, "unit": "hours", "digestKey": "k"}
    assert calls == []


async def test_typed_results_from_state_feed_later_steps() -> None:
    result = await run_step(every_kind, "inbox", payload=PAYLOAD, state=[DIGEST_STATE])
    assert result.outputs == {
        "body": "2 events from Bob",
        "primaryAction": {"label": "Open", "redirect": {"url": "/x", "target": "_self"}},
    }


async def test_pydantic_controls_defaults_and_liquid() -> None:
    state = [DIGEST_STATE, INBOX_STATE]
    result = await run_step(every_kind, "mail", payload=PAYLOAD, controls={"loud": True}, state=state)
    assert result.outputs == {"subject": "HELLO ADA", "body": "read=True"}


async def test_every_step_kind_produces_wire_outputs() -> None:
    base = [DIGEST_STATE, INBOX_STATE, {"stepId": "mail", "outputs": {}}]
    wait = await run_step(every_kind, "wait", payload=PAYLOAD, state=base)
    assert wait.outputs == {"amount": 5, "unit": "minutes"} and wait.step_type == "delay"
    base.append({"stepId": "wait", "outputs": {"duration": 300000}})
    limit = await run_step(every_kind, "limit", payload=PAYLOAD, state=base)
    assert limit.outputs == {"type": "fixed", "amount": 1, "unit": "hours", "threshold": 2}
    base.append({"stepId": "limit", "outputs": {"throttled": False}})
    assert (await run_step(every_kind, "sms", payload=PAYLOAD, state=base)).outputs == {"body": "Ada"}
    base.append({"stepId": "sms", "outputs": {}})
    assert (await run_step(every_kind, "push", payload=PAYLOAD, state=base)).outputs == {
        "subject": "s",
        "body": "b",
    }
    base.append({"stepId": "push", "outputs": {}})
    chat = await run_step(every_kind, "chat", payload=PAYLOAD, state=base)
    assert chat.outputs == {"body": "c"} and chat.providers == {"slack": {"text": "c"}}
    base.append({"stepId": "chat", "outputs": {}})
    calc = await run_step(every_kind, "calc", payload=PAYLOAD, state=base)
    assert calc.outputs == {"n": 1} and calc.step_type == "custom"


async def test_gap_in_state_names_the_missing_step() -> None:
    with pytest.raises(ExecutionStateCorruptError) as info:
        await run_step(every_kind, "mail", payload=PAYLOAD, state=[INBOX_STATE])
    assert info.value.data == {"workflowId": "every-kind", "stepId": "batch"}


async def test_interrupt_cannot_be_swallowed_by_except_exception() -> None:
    seen: list[str] = []

    @workflow("swallow")
    async def swallow(step: Any) -> None:
        try:
            await step.sms("one", lambda c: {"body": "1"})
        except Exception:  # the user's broad handler must not catch the interrupt
            seen.append("caught")
        seen.append("continued")
        await step.sms("two", lambda c: {"body": "2"})

    await swallow.discover()
    seen.clear()
    result = await run_step(swallow, "one", payload={})
    assert result.outputs == {"body": "1"} and seen == []


async def test_framework_errors_survive_a_broad_except() -> None:
    @workflow("hide")
    async def hide(step: Any) -> None:
        with contextlib.suppress(Exception):
            await step.sms("one", lambda c: {"body": "1"})
        await step.sms("two", lambda c: {"body": "2"})

    with pytest.raises(ExecutionStateCorruptError):
        await run_step(hide, "two", payload={})


async def test_sync_handler_and_sync_resolvers() -> None:
    @workflow("sync-wf", payload_schema=Payload)
    def sync_wf(step: Any, payload: Payload) -> None:
        inbox = step.in_app("inbox", lambda c: {"body": "x"})
        assert isinstance(inbox, InAppResult)
        step.email("mail", lambda c: {"subject": f"{payload.name} {inbox.seen}", "body": "b"})

    result = await run_step(sync_wf, "mail", payload=PAYLOAD, state=[INBOX_STATE])
    assert result.outputs == {"subject": "Ada True", "body": "b"}


async def test_skip_and_resolver_errors() -> None:
    @workflow("skippy")
    async def skippy(step: Any) -> None:
        await step.sms("maybe", lambda c: {"body": "x"}, skip=lambda c: True)
        await step.sms("fails", lambda c: 1 / 0)
        await step.sms("bad-output", lambda c: {"nobody": 1})
        await step.chat("prov", lambda c: {"body": "x"}, providers={"slack": lambda c, o: {"blocks": "nope"}})

    skipped = await run_step(skippy, "maybe", payload={})
    assert skipped.skipped and skipped.outputs == {} and skipped.to_wire()["options"] == {"skip": True}
    with pytest.raises(
        StepExecutionFailedError, match="Failed to execute Step with id: `fails`: division by zero"
    ):
        await run_step(skippy, "fails", payload={}, state=[{"stepId": "maybe", "outputs": {}}])
    with pytest.raises(ExecutionStateOutputInvalidError) as info:
        await run_step(
            skippy,
            "bad-output",
            payload={},
            state=[{"stepId": "maybe", "outputs": {}}, {"stepId": "fails", "outputs": {}}],
        )
    assert info.value.data[0] == {"path": "", "message": "must have required property 'body'"}
    state = [{"stepId": s, "outputs": {}} for s in ("maybe", "fails", "bad-output")]
    with pytest.raises(ProviderExecutionFailedError, match="Provider with id: `slack`"):
        await run_step(skippy, "prov", payload={}, state=state)


async def test_unreached_step_is_not_found() -> None:
    @workflow("short")
    async def short(step: Any) -> None:
        await step.sms("only", lambda c: {"body": "1"})

    with pytest.raises(StepNotFoundError, match="`nope`"):
        await run_step(short, "nope", payload={}, state=[{"stepId": "only", "outputs": {}}])


async def test_duplicate_step_ids_name_both() -> None:
    @workflow("dupe")
    async def dupe(step: Any) -> None:
        await step.sms("same", lambda c: {"body": "1"})
        await step.email("same", lambda c: {"subject": "s", "body": "b"})

    with pytest.raises(StepAlreadyExistsError, match=r"step\.sms.*step\.email"):
        await dupe.discover()


async def test_preview_mocks_payload_and_ignores_skip() -> None:
    @workflow(
        "pv",
        payload_schema={"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
    )
    async def pv(step: Any, payload: dict[str, Any]) -> None:
        batch = await step.digest("d", lambda c: {"amount": 1, "unit": "hours"})
        await step.sms(
            "s", lambda c: {"body": f"{payload['name']}:{type(batch.events).__name__}"}, skip=lambda c: True
        )

    result = await run_step(pv, "s", preview=True)
    assert result.outputs == {"body": "[placeholder]:list"} and not result.skipped


async def test_def_handler_calls_its_functions_in_its_own_thread_and_async_ones_on_the_loop() -> None:
    import threading

    seen: dict[str, int] = {}

    async def async_resolver(controls: Any) -> dict[str, Any]:
        seen["async-resolver"] = threading.get_ident()
        return {"body": "from async"}

    def sync_resolver(controls: Any) -> dict[str, Any]:
        seen["sync-resolver"] = threading.get_ident()
        return {"subject": "s", "body": "b"}

    @workflow("threads")
    def threads(step: Any) -> None:
        seen["handler"] = threading.get_ident()
        step.sms("first", async_resolver)
        step.email(
            "second", sync_resolver, skip=lambda c: seen.setdefault("skip", threading.get_ident()) == 0
        )

    loop_thread = threading.get_ident()
    first = await run_step(threads, "first", payload={})
    assert first.outputs == {"body": "from async"} and seen["async-resolver"] == loop_thread
    second = await run_step(threads, "second", payload={}, state=[{"stepId": "first", "outputs": {}}])
    assert second.outputs == {"subject": "s", "body": "b"}
    assert seen["sync-resolver"] == seen["skip"] == seen["handler"] != loop_thread
