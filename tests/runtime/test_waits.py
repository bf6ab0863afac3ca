"""Durable waits: delays, digests and throttles, with a clock the tests move."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.runtime import Runtime
from tests.runtime.apps import comment_digest

DURATION = {"type": "object", "properties": {"d": {"type": "number"}}, "required": ["d"]}


def _delay_workflow(delay: Any) -> Any:
    @workflow("delayed")
    async def delayed(step: Any, payload: dict[str, Any]) -> None:
        waited = await step.delay("wait", delay)
        await step.custom("after", lambda controls: {"d": waited.duration}, output_schema=DURATION)

    return delayed


async def _statuses(runtime: Runtime) -> list[str]:
    return [r.status for r in await runtime.history(limit=1000)]


async def test_regular_delay_waits_then_reports_its_duration(make_runtime: Any, clock: Any) -> None:
    wf = _delay_workflow({"amount": 2, "unit": "minutes"})
    runtime: Runtime = make_runtime([wf])
    await runtime.trigger(wf, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "waiting" and run.next_at == clock.now + 120_000
    assert run.steps[0].status == "waiting" and run.steps[0].wait_until == clock.now + 120_000

    clock.advance(119)
    await runtime.run_until_idle()
    assert await _statuses(runtime) == ["waiting"]
    clock.advance(5)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "completed"
    assert run.steps[0].result == {"duration": 124_000}
    assert run.steps[1].result == {"d": 124_000}


async def test_timed_delay_follows_the_cron_schedule(make_runtime: Any, clock: Any) -> None:
    wf = _delay_workflow({"type": "timed", "cron": "0 12 * * *"})  # noon UTC; the clock says 10:00
    runtime: Runtime = make_runtime([wf])
    await runtime.trigger(wf, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.next_at == clock.now + 2 * 3_600_000


async def test_dynamic_delay_reads_the_payload(make_runtime: Any, clock: Any) -> None:
    wf = _delay_workflow({"type": "dynamic", "dynamicKey": "payload.sendAt"})
    runtime: Runtime = make_runtime([wf])
    await runtime.trigger(wf, "sub-1", {"sendAt": "2026-01-01T10:30:00Z"})
    await runtime.trigger(wf, "sub-2", {"sendAt": "2025-01-01T00:00:00Z"})  # in the past: no wait
    await runtime.trigger(wf, "sub-3", {"other": 1})
    await runtime.run_until_idle()
    runs = {r.subscriber_id: r for r in await runtime.history()}
    assert runs["sub-1"].status == "waiting" and runs["sub-1"].next_at == clock.now + 1_800_000
    assert runs["sub-2"].status == "completed" and runs["sub-2"].steps[0].result == {"duration": 0}
    assert runs["sub-3"].status == "failed"
    assert runs["sub-3"].error == "step `wait`: dynamic delay: `payload.sendAt` is not in the payload"


async def test_digest_merges_every_event_of_its_window_into_one_continuation(
    make_runtime: Any, clock: Any, console: Any
) -> None:
    runtime: Runtime = make_runtime([comment_digest])
    first = await runtime.trigger(
        comment_digest, {"subscriberId": "sub-1", "email": "s@example.com"}, {"author": "ann"}
    )
    await runtime.run_until_idle()
    for author in ["bob", "cy", "dee"]:
        clock.advance(2)
        await runtime.trigger(
            comment_digest, {"subscriberId": "sub-1", "email": "s@example.com"}, {"author": author}
        )
        await runtime.run_until_idle()
    # Another post and another subscriber digest apart.
    await runtime.trigger(comment_digest, "sub-1", {"author": "eve", "post": "p2"})
    await runtime.trigger(comment_digest, "sub-2", {"author": "fay"})
    await runtime.run_until_idle()
    assert console.getvalue() == ""  # nothing sent while the windows are open

    clock.advance(5)  # 11 s after the first event: its window (10 s) has closed
    await runtime.run_until_idle()
    runs = await runtime.history(limit=100)
    leader = next(r for r in runs if r.transaction_id == first.transaction_id)
    assert leader.status == "completed"
    collect = next(s for s in leader.steps if s.step_id == "collect")
    assert collect.result is not None and collect.result["eventCount"] == 4
    events = collect.result["events"]
    assert [e["payload"]["author"] for e in events] == ["ann", "bob", "cy", "dee"]
    assert [e["time"] for e in events] == [
        "2026-01-01T10:00:00.000Z",
        "2026-01-01T10:00:02.000Z",
        "2026-01-01T10:00:04.000Z",
        "2026-01-01T10:00:06.000Z",
    ]
    followers = [r for r in runs if r.merged_into == leader.id]
    assert sorted(r.payload["author"] for r in followers) == ["bob", "cy", "dee"]
    assert {r.status for r in followers} == {"merged"}
    assert all([s.status for s in r.steps] == ["completed", "merged"] for r in followers)
    assert {e["id"] for e in events} == {leader.id, *(r.id for r in followers)}
    summary = next(s for s in leader.steps if s.step_id == "summary")
    assert summary.outputs == {"subject": "4 comments", "body": "ann, bob, cy, dee"}
    assert console.getvalue().count("[novu email] to s@example.com") == 1
    # The two other windows are still open (opened 5 s ago).
    others = [r for r in runs if r.payload["author"] in ("eve", "fay")]
    assert {r.status for r in others} == {"waiting"}


async def test_an_event_after_the_window_closed_starts_a_new_window(make_runtime: Any, clock: Any) -> None:
    runtime: Runtime = make_runtime([comment_digest])
    await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
    await runtime.run_until_idle()
    clock.advance(11)
    await runtime.run_until_idle()
    await runtime.trigger(comment_digest, "sub-1", {"author": "bob"})
    await runtime.run_until_idle()
    runs = {r.payload["author"]: r for r in await runtime.history()}
    assert runs["ann"].status == "completed"
    assert runs["bob"].status == "waiting" and runs["bob"].merged_into is None


async def test_timed_digest_closes_on_its_cron(make_runtime: Any, clock: Any) -> None:
    @workflow("hourly")
    async def hourly(step: Any, payload: dict[str, Any]) -> None:
        batch = await step.digest("collect", {"cron": "0 * * * *"})
        await step.in_app("inbox", lambda controls: {"body": f"{len(batch.events)} events"})

    runtime: Runtime = make_runtime([hourly])
    clock.advance(15 * 60)  # 10:15
    for _ in range(3):
        await runtime.trigger(hourly, "sub-1", {"n": 1})
        clock.advance(60)
    await runtime.run_until_idle()
    assert sorted(await _statuses(runtime)) == ["merged", "merged", "waiting"]
    clock.advance(43 * 60)  # 10:59 + 2 min
    await runtime.run_until_idle()
    [message] = await runtime.inbox("sub-1")
    assert message.content == {"body": "3 events"}


async def test_look_back_window_sends_a_lone_event_at_once(make_runtime: Any, clock: Any) -> None:
    @workflow("look-back")
    async def look_back(step: Any, payload: dict[str, Any]) -> None:
        batch = await step.digest(
            "collect",
            {"amount": 5, "unit": "minutes", "lookBackWindow": {"amount": 1, "unit": "minutes"}},
        )
        await step.in_app("inbox", lambda controls: {"body": f"{len(batch.events)} events"})

    runtime: Runtime = make_runtime([look_back])
    await runtime.trigger(look_back, "sub-1", {"n": 1})
    await runtime.run_until_idle()
    assert [m.content["body"] for m in await runtime.inbox("sub-1")] == ["1 events"]  # sent at once
    clock.advance(30)  # within the look-back window of the first: this one is digested
    await runtime.trigger(look_back, "sub-1", {"n": 2})
    await runtime.run_until_idle()
    clock.advance(10)
    await runtime.trigger(look_back, "sub-1", {"n": 3})
    await runtime.run_until_idle()
    assert len(await runtime.inbox("sub-1")) == 1
    clock.advance(5 * 60)
    await runtime.run_until_idle()
    assert [m.content["body"] for m in await runtime.inbox("sub-1")] == ["2 events", "1 events"]


async def test_throttle_lets_threshold_runs_through_per_window(make_runtime: Any, clock: Any) -> None:
    @workflow("throttled", payload_schema={"type": "object", "properties": {"kind": {"type": "string"}}})
    async def throttled(step: Any, payload: dict[str, Any]) -> None:
        await step.throttle(
            "limit",
            {"type": "fixed", "amount": 1, "unit": "minutes", "threshold": 2, "throttleKey": "payload.kind"},
        )
        await step.in_app("inbox", lambda controls: {"body": payload["kind"]})

    runtime: Runtime = make_runtime([throttled])
    for _ in range(4):
        await runtime.trigger(throttled, "sub-1", {"kind": "alert"})
        await runtime.run_until_idle()
        clock.advance(1)
    await runtime.trigger(throttled, "sub-1", {"kind": "other"})  # another key
    await runtime.run_until_idle()
    runs = sorted(await runtime.history(), key=lambda r: r.created_at)
    assert [r.status for r in runs] == ["completed", "completed", "throttled", "throttled", "completed"]
    limited = runs[2].steps[0].result
    assert limited == {
        "throttled": True,
        "executionCount": 2,
        "threshold": 2,
        "windowStart": "2026-01-01T09:59:02.000Z",
    }
    assert runs[2].steps[1:] == []
    assert [m.content["body"] for m in await runtime.inbox("sub-1")] == ["other", "alert", "alert"]
    clock.advance(60)
    await runtime.trigger(throttled, "sub-1", {"kind": "alert"})
    await runtime.run_until_idle()
    assert (await runtime.history(limit=1))[0].status == "completed"


async def test_waits_survive_a_restart(make_runtime: Any, clock: Any) -> None:
    first: Runtime = make_runtime([comment_digest])
    for author in ("ann", "bob"):
        await first.trigger(comment_digest, "sub-1", {"author": author})
    await first.run_until_idle()
    await first.close()

    clock.advance(11)
    second: Runtime = make_runtime([comment_digest])
    await second.run_until_idle()
    statuses = sorted(await _statuses(second))
    assert statuses == ["completed", "merged"]


@pytest.mark.parametrize(
    ("outputs", "error"),
    [
        ({"amount": 1, "unit": "fortnights"}, "ExecutionStateOutputInvalidError"),
        ({"cron": "not a cron"}, "invalid cron expression"),
    ],
)
async def test_unusable_wait_settings_fail_the_run_with_the_reason(
    make_runtime: Any, outputs: dict[str, Any], error: str
) -> None:
    @workflow("bad-wait")
    async def bad_wait(step: Any) -> None:
        await step.custom("noop", {})
        await step.digest("collect", outputs)

    runtime: Runtime = make_runtime([bad_wait])
    await runtime.trigger(bad_wait, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "failed"
    assert run.error is not None and error in run.error


async def test_cancelling_a_digest_leader_hands_its_window_to_the_others(
    make_runtime: Any, clock: Any
) -> None:
    runtime: Runtime = make_runtime([comment_digest])
    leader = await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
    await runtime.run_until_idle()
    for author in ("bob", "cy"):
        clock.advance(1)
        await runtime.trigger(comment_digest, "sub-1", {"author": author})
        await runtime.run_until_idle()
    assert await leader.cancel() == {"data": True}
    clock.advance(10)
    await runtime.run_until_idle()
    runs = {r.payload["author"]: r for r in await runtime.history()}
    assert runs["ann"].status == "canceled"
    assert runs["bob"].status == "completed" and runs["bob"].merged_into is None
    assert runs["cy"].status == "merged" and runs["cy"].merged_into == runs["bob"].id
    collect = next(s for s in runs["bob"].steps if s.step_id == "collect")
    assert collect.result is not None
    assert [e["payload"]["author"] for e in collect.result["events"]] == ["bob", "cy"]


async def test_cancelling_a_lone_digest_leader_closes_its_window(make_runtime: Any, clock: Any) -> None:
    runtime: Runtime = make_runtime([comment_digest])
    first = await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
    await runtime.run_until_idle()
    await first.cancel()
    await runtime.trigger(comment_digest, "sub-1", {"author": "bob"})  # opens a window of its own
    await runtime.run_until_idle()
    clock.advance(11)
    await runtime.run_until_idle()
    runs = {r.payload["author"]: r for r in await runtime.history()}
    assert (runs["ann"].status, runs["bob"].status) == ("canceled", "completed")
