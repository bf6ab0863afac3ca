"""Accepting triggers: persisted before returning, and bad triggers rejected with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.errors import WorkflowNotFoundError, WorkflowPayloadInvalidError
from novu_framework.runtime import (
    DuplicateTransactionError,
    InvalidRecipientError,
    PayloadNotJsonError,
    PayloadTooLargeError,
    RunStatus,
    Runtime,
)
from tests.runtime.apps import comment_digest, order_shipped


async def test_trigger_persists_the_run_before_returning(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    result = await runtime.trigger(order_shipped, "sub-1", {"order_id": "A1"})

    assert result.data == {
        "data": {"acknowledged": True, "status": "processed", "transactionId": result.transaction_id}
    }
    assert len(result.transaction_id) >= 32
    # A second runtime on the same file (another process, say) sees it without any worker having run.
    other = make_runtime([order_shipped])
    [run] = await other.history(transaction_id=result.transaction_id)
    assert (run.status, run.workflow_id, run.subscriber_id) == ("pending", "order-shipped", "sub-1")
    assert run.payload == {"order_id": "A1", "amount": 1}  # validated, default applied
    assert run.steps == []


async def test_one_run_per_distinct_subscriber(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    to = ["a", {"subscriber_id": "b", "first_name": "Bea", "email": "b@example.com"}, {"subscriberId": "a"}]
    result = await runtime.trigger(order_shipped, to, {"order_id": "A1"}, transaction_id="txn-multi")
    runs = await runtime.history(transaction_id="txn-multi")
    assert result.transaction_id == "txn-multi"
    assert sorted(r.subscriber_id for r in runs) == ["a", "b"]
    bea = next(r for r in runs if r.subscriber_id == "b")
    assert bea.subscriber == {"subscriberId": "b", "firstName": "Bea", "email": "b@example.com"}


async def test_invalid_payload_names_the_field_and_stores_nothing(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    with pytest.raises(WorkflowPayloadInvalidError) as info:
        await runtime.trigger(order_shipped, "sub-1", {"amount": "lots"})
    assert "order-shipped" in info.value.message
    paths = {error["path"] for error in info.value.data}
    assert "/order_id" in paths or "/amount" in paths
    assert await runtime.history() == []


async def test_unknown_workflow_is_a_clear_error(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    with pytest.raises(WorkflowNotFoundError, match="`no-such-workflow` does not exist"):
        await runtime.trigger("no-such-workflow", "sub-1", {})
    assert await runtime.history() == []


async def test_oversized_payload_is_rejected(make_runtime: Any) -> None:
    @workflow("free-form")
    async def free_form(step: Any) -> None:
        await step.in_app("inbox", {"body": "hello"})

    runtime: Runtime = make_runtime([free_form], max_payload_bytes=1024)
    await runtime.trigger(free_form, "sub-1", {"blob": "x" * 900})  # under the limit
    with pytest.raises(PayloadTooLargeError) as info:
        await runtime.trigger(free_form, "sub-1", {"blob": "x" * 2000})
    assert info.value.status_code == 413
    assert info.value.data == {"size": 2011, "limit": 1024}
    assert len(await runtime.history()) == 1


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"when": __import__("datetime").date(2026, 1, 1)}, "Object of type date is not JSON serializable"),
        ({"ratio": float("nan")}, "Out of range float values are not JSON compliant"),
        ({"tags": {"a", "b"}}, "Object of type set is not JSON serializable"),
    ],
)
async def test_payloads_json_cannot_hold_are_refused(make_runtime: Any, payload: Any, reason: str) -> None:
    @workflow("free-form")
    async def free_form(step: Any) -> None:
        await step.in_app("inbox", {"body": "hello"})

    runtime: Runtime = make_runtime([free_form])
    with pytest.raises(PayloadNotJsonError) as info:
        await runtime.trigger(free_form, "sub-1", payload)
    assert reason in info.value.message and info.value.status_code == 400
    assert await runtime.history() == []


async def test_any_text_round_trips(make_runtime: Any) -> None:
    @workflow("free-form")
    async def free_form(step: Any) -> None:
        await step.in_app("inbox", {"body": "hello"})

    runtime: Runtime = make_runtime([free_form])
    payload = {"name": "Zoë 日本 \U0001f600", "odd": "\ud800", "big": 2**70}
    result = await runtime.trigger(free_form, "sub-1", payload)
    [run] = await runtime.history(transaction_id=result.transaction_id)
    assert run.payload == payload


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("", "must not be empty"),
        ([], "no subscriber given"),
        ({"email": "x@example.com"}, "non-empty string `subscriberId`"),
        ({"subscriberId": "a", "nickname": "x"}, "unknown subscriber field `nickname`"),
        ({"type": "Topic", "topicKey": "all", "exclude": "x"}, "`exclude` of topic `all` must be a list"),
        (42, "expected a string or a dict, got int"),
    ],
)
async def test_bad_recipients(make_runtime: Any, to: Any, message: str) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    with pytest.raises(InvalidRecipientError, match=message):
        await runtime.trigger(order_shipped, to, {"order_id": "A1"})
    assert await runtime.history() == []


async def test_a_transaction_id_is_accepted_once(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    await runtime.trigger(order_shipped, "sub-1", {"order_id": "A1"}, transaction_id="t-1")
    with pytest.raises(DuplicateTransactionError, match="`t-1` was already accepted"):
        await runtime.trigger(order_shipped, "sub-2", {"order_id": "A2"}, transaction_id="t-1")
    [run] = await runtime.history(transaction_id="t-1")
    assert run.subscriber_id == "sub-1"


async def test_concurrent_triggers_are_all_stored(make_runtime: Any) -> None:
    import asyncio

    runtime: Runtime = make_runtime([comment_digest])
    results = await asyncio.gather(
        *(runtime.trigger(comment_digest, f"s{i % 7}", {"author": f"a{i}"}) for i in range(200))
    )
    assert len({r.transaction_id for r in results}) == 200
    assert len(await runtime.history(limit=1000)) == 200


async def test_cancel_stops_a_waiting_run(make_runtime: Any, clock: Any) -> None:
    runtime: Runtime = make_runtime([comment_digest])
    result = await runtime.trigger(comment_digest, "sub-1", {"author": "ann"})
    await runtime.run_until_idle()  # in_app done, now waiting in the digest window
    assert (await runtime.history())[0].status == RunStatus.WAITING
    assert await result.cancel() == {"data": True}
    clock.advance(60)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "canceled"
    assert [s.step_id for s in run.steps] == ["notify", "collect"]
    assert await result.cancel() == {"data": False}


async def test_two_workflows_with_one_id_are_refused(make_runtime: Any) -> None:
    from novu_framework.errors import WorkflowAlreadyExistsError

    @workflow("order-shipped")
    async def impostor(step: Any) -> None:
        await step.in_app("inbox", {"body": "hi"})

    runtime: Runtime = make_runtime([order_shipped])
    with pytest.raises(WorkflowAlreadyExistsError, match="`order-shipped` already exists"):
        await runtime.trigger(impostor, "sub-1", {})
    assert await runtime.history() == []


async def test_a_payload_already_validated_is_stored_as_given(make_runtime: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    # Validated by the caller (as Workflow.trigger() does): not validated again, so no default is added.
    result = await runtime.trigger_validated(order_shipped, "sub-1", {"order_id": "A1"})
    [run] = await runtime.history(transaction_id=result.transaction_id)
    assert run.payload == {"order_id": "A1"}
    # Still refused: what JSON cannot hold, and oversized payloads.
    with pytest.raises(PayloadNotJsonError):
        await runtime.trigger_validated(order_shipped, "sub-1", {"order_id": float("inf")})
    assert len(await runtime.history()) == 1


async def test_a_burst_larger_than_one_transaction_keeps_duplicates_apart(make_runtime: Any) -> None:
    import asyncio

    runtime: Runtime = make_runtime([order_shipped])
    ids = [f"t-{i}" for i in range(600)]
    ids[300] = ids[599] = "t-5"  # repeats in a later transaction of the same burst
    outcomes = await asyncio.gather(
        *(
            runtime.trigger(order_shipped, f"s{i}", {"order_id": str(i)}, transaction_id=t)
            for i, t in enumerate(ids)
        ),
        return_exceptions=True,
    )
    refused = [i for i, o in enumerate(outcomes) if isinstance(o, DuplicateTransactionError)]
    assert refused == [300, 599]
    assert all(o.transaction_id == ids[i] for i, o in enumerate(outcomes) if i not in refused)
    runs = await runtime.history(limit=1000)
    assert len(runs) == 598
    [first] = [r for r in runs if r.transaction_id == "t-5"]
    assert first.subscriber_id == "s5"


def test_generated_ids_are_unique_time_ordered_uuids() -> None:
    import time
    import uuid

    from novu_framework.runtime.ids import new_id, new_ids

    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(20_000)] + new_ids(5_000)
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # strictly increasing within the process
    parsed = [uuid.UUID(i) for i in ids]
    assert all(
        str(u) == i and u.version == 7 and u.variant == uuid.RFC_4122
        for u, i in zip(parsed, ids, strict=True)
    )
    stamps = [u.int >> 80 for u in parsed]
    # More than 4096 ids in one millisecond borrow the next one, so the last may run a little ahead.
    assert before <= stamps[0] and stamps[-1] <= after + len(ids) // 4096 + 1


def test_a_forked_process_makes_other_ids() -> None:
    import os
    import sys

    import pytest

    from novu_framework.runtime.ids import new_ids

    if not hasattr(os, "fork"):
        pytest.skip(f"os.fork is not available on {sys.platform}")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.write(write, "\n".join(new_ids(50)).encode())
        os._exit(0)
    os.close(write)
    ours = new_ids(50)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    theirs = b"".join(chunks).decode().split("\n")
    assert len(theirs) == 50
    assert not set(ours) & set(theirs)
    assert {i[19:] for i in theirs}.isdisjoint({i[19:] for i in ours})  # a tail of its own
