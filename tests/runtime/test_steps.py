"""Steps run in order through the core's execute path; results are recorded and replayed as state."""

from __future__ import annotations

import io
from typing import Any

from novu_framework import workflow
from novu_framework.runtime import Runtime
from tests.runtime.apps import order_shipped

REPORT_SCHEMA = {
    "type": "object",
    "properties": {
        "seen": {"type": "boolean"},
        "read": {"type": "boolean"},
        "lastReadDate": {"type": ["string", "null"]},
    },
    "required": ["seen", "read"],
    "additionalProperties": False,
}


async def test_a_run_goes_through_every_step_and_records_it(make_runtime: Any, console: io.StringIO) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    result = await runtime.trigger(
        order_shipped,
        {"subscriberId": "sub-1", "firstName": "Ada", "email": "ada@example.com"},
        {"order_id": "A7"},
    )
    await runtime.run_until_idle()

    [run] = await runtime.history(transaction_id=result.transaction_id)
    assert run.status == "completed" and run.finished_at is not None and run.error is None
    assert [(s.position, s.step_id, s.step_type, s.status) for s in run.steps] == [
        (0, "inbox", "in_app", "completed"),
        (1, "summary", "custom", "completed"),
        (2, "email", "email", "completed"),
    ]
    inbox, summary, email = run.steps
    assert inbox.outputs == {"body": "Order A7 shipped"}
    assert inbox.result == {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None}
    assert summary.result == {"seen": False, "read": False, "orderId": "A7"}
    assert email.outputs == {"subject": "Order A7", "body": "<p>Hi Ada, read=False</p>"}
    assert all(s.duration_ms > 0 for s in run.steps)
    # Delivery history: the inbox message and the email through the console provider.
    assert [(d.channel, d.provider, d.status, len(d.attempts)) for d in run.deliveries] == [
        ("in_app", "inbox", "sent", 1),
        ("email", "console", "sent", 1),
    ]
    assert console.getvalue().count("[novu email] to ada@example.com") == 1
    [message] = await runtime.inbox("sub-1")
    assert message.content == {"body": "Order A7 shipped"} and message.transaction_id == result.transaction_id


async def test_inbox_state_feeds_the_in_app_result_of_later_steps(make_runtime: Any, clock: Any) -> None:
    @workflow("read-receipt")
    async def read_receipt(step: Any) -> None:
        inbox = await step.in_app("inbox", {"body": "Please read me"})
        await step.delay("pause", {"amount": 1, "unit": "hours"})
        await step.custom(
            "report",
            lambda controls: {"seen": inbox.seen, "read": inbox.read, "lastReadDate": inbox.last_read_date},
            output_schema=REPORT_SCHEMA,
        )

    runtime: Runtime = make_runtime([read_receipt])
    await runtime.trigger(read_receipt, "sub-1", {})
    await runtime.run_until_idle()
    [message] = await runtime.inbox("sub-1")
    seen = await runtime.mark_seen(message.id)
    assert seen is not None and seen.seen and not seen.read
    clock.advance(30)
    read = await runtime.mark_read(message.id)
    assert read is not None and read.read and read.read_at == clock.now
    assert await runtime.inbox("sub-1", unread_only=True) == []
    clock.advance(3600)
    await runtime.run_until_idle()

    [run] = await runtime.history()
    assert run.status == "completed"
    report = run.steps[-1].result
    assert report == {"seen": True, "read": True, "lastReadDate": "2026-01-01T10:00:30.000Z"}


async def test_skipped_steps_are_recorded_and_the_run_goes_on(make_runtime: Any) -> None:
    @workflow("maybe")
    async def maybe(step: Any, payload: dict[str, Any]) -> None:
        inbox = await step.in_app("inbox", {"body": "hi"}, skip=lambda controls: True)
        await step.sms("sms", {"body": "text"}, skip=lambda controls: True)
        await step.custom(
            "after", lambda controls: {"seen": inbox.seen, "read": inbox.read}, output_schema=REPORT_SCHEMA
        )

    runtime: Runtime = make_runtime([maybe])
    await runtime.trigger(maybe, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "completed"
    assert [(s.step_id, s.status) for s in run.steps] == [
        ("inbox", "skipped"),
        ("sms", "skipped"),
        ("after", "completed"),
    ]
    assert run.steps[0].result == {"seen": False, "read": False, "lastSeenDate": None, "lastReadDate": None}
    assert run.deliveries == []
    assert await runtime.inbox("sub-1") == []


async def test_a_channel_without_an_address_is_skipped_with_the_reason(
    make_runtime: Any, console: io.StringIO
) -> None:
    @workflow("texts")
    async def texts(step: Any) -> None:
        await step.sms("sms", {"body": "hello"})
        await step.push("push", {"subject": "s", "body": "b"})

    runtime: Runtime = make_runtime([texts])
    await runtime.trigger(texts, "no-phone", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert [(s.step_id, s.status, s.error) for s in run.steps] == [
        ("sms", "skipped", "the subscriber has no phone number"),
        ("push", "completed", None),
    ]
    assert "[novu push] to no-phone" in console.getvalue()
    assert "[novu sms]" not in console.getvalue()


async def test_a_failing_step_is_retried_with_backoff_then_recorded(make_runtime: Any, clock: Any) -> None:
    calls: list[int] = []

    @workflow("flaky")
    async def flaky(step: Any) -> None:
        def boom(controls: Any) -> dict[str, Any]:
            calls.append(clock.now)
            raise ConnectionError("upstream down")

        await step.custom("call-api", boom)

    from novu_framework.runtime import RetryPolicy

    runtime: Runtime = make_runtime([flaky], retry=RetryPolicy(max_attempts=3, base_ms=1000))
    await runtime.trigger(flaky, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "waiting" and run.next_at == clock.now + 1000
    clock.advance(1)
    await runtime.run_until_idle()
    clock.advance(2)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "failed"
    assert len(calls) == 3 and calls[1] - calls[0] == 1000 and calls[2] - calls[1] == 2000
    assert run.error is not None and "StepExecutionFailedError" in run.error and "upstream down" in run.error


async def test_a_bad_request_fails_the_run_at_once(make_runtime: Any) -> None:
    @workflow("bad-output")
    async def bad_output(step: Any) -> None:
        await step.email("email", {"subject": "", "body": "empty subject is invalid"})

    runtime: Runtime = make_runtime([bad_output])
    await runtime.trigger(bad_output, "sub-1", {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "failed"
    assert run.error is not None and run.error.startswith("ExecutionStateOutputInvalidError")
    assert run.steps == []


async def test_a_restarted_runtime_finishes_what_was_accepted(make_runtime: Any) -> None:
    first: Runtime = make_runtime([order_shipped])
    result = await first.trigger(order_shipped, "sub-1", {"order_id": "A1"})
    await first.close()
    second: Runtime = make_runtime([order_shipped])
    await second.run_until_idle()
    [run] = await second.history(transaction_id=result.transaction_id)
    assert run.status == "completed"


async def test_history_filters(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    a = await runtime.trigger(order_shipped, "a", {"order_id": "1"})
    await runtime.trigger(order_shipped, "b", {"order_id": "2"})
    await runtime.run_until_idle()
    assert [r.subscriber_id for r in await runtime.history(subscriber_id="a")] == ["a"]
    assert [r.transaction_id for r in await runtime.history(transaction_id=a.transaction_id)] == [
        a.transaction_id
    ]
    assert len(await runtime.history(workflow_id="order-shipped")) == 2
    assert await runtime.history(workflow_id="other") == []
    assert len(await runtime.history(status="completed", limit=1)) == 1


async def test_the_failure_count_starts_again_after_a_step_gets_through(
    make_runtime: Any, clock: Any
) -> None:
    from novu_framework.runtime import RetryPolicy

    failures_left = {"first": 1, "second": 1}

    @workflow("two-flaky")
    async def two_flaky(step: Any) -> None:
        def call(name: str) -> Any:
            def resolver(controls: Any) -> dict[str, Any]:
                if failures_left[name]:
                    failures_left[name] -= 1
                    raise TimeoutError(f"{name} timed out")
                return {}

            return resolver

        await step.custom("first", call("first"))
        await step.custom("second", call("second"))

    runtime: Runtime = make_runtime([two_flaky], retry=RetryPolicy(max_attempts=2, base_ms=1000))
    await runtime.trigger(two_flaky, "sub-1", {})
    for _ in range(3):
        await runtime.run_until_idle()
        clock.advance(1)
    [run] = await runtime.history()
    assert run.status == "completed" and run.error is None
    assert [s.step_id for s in run.steps] == ["first", "second"]


async def test_a_started_worker_runs_triggers_as_they_come(tmp_path: Any) -> None:
    import asyncio

    async with Runtime([order_shipped], store=str(tmp_path / "bg.sqlite3"), poll_interval=5) as runtime:
        await runtime.start()
        started = asyncio.get_running_loop().time()
        result = await runtime.trigger(order_shipped, "sub-1", {"order_id": "B1"})
        for _ in range(200):
            [run] = await runtime.history(transaction_id=result.transaction_id)
            if run.status == "completed":
                break
            await asyncio.sleep(0.01)
        # Woken by the trigger, not by its 5 s poll.
        assert run.status == "completed" and asyncio.get_running_loop().time() - started < 2
        await runtime.stop()
        await runtime.trigger(order_shipped, "sub-2", {"order_id": "B2"})
        await asyncio.sleep(0.2)
        assert (await runtime.status_counts()) == {"completed": 1, "pending": 1}
