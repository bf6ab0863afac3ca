"""Delivery: email through a real SMTP server, retries while it is down, providers, the inbox."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.runtime import DeliveryError, Message, RetryPolicy, Runtime
from tests.runtime.apps import order_shipped
from tests.runtime.conftest import free_port

ADA = {"subscriberId": "sub-1", "firstName": "Ada", "email": "ada@example.com"}


async def test_email_goes_through_the_smtp_server(make_runtime: Any, smtp_server: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped], email=smtp_server.settings())
    result = await runtime.trigger(order_shipped, ADA, {"order_id": "A9"})
    await runtime.run_until_idle()

    [mail] = smtp_server.messages
    assert smtp_server.envelopes == [("alerts@example.com", ["ada@example.com"])]
    assert mail["Subject"] == "Order A9"
    assert mail["To"] == "ada@example.com"
    assert mail["X-Novu-Transaction-Id"] == result.transaction_id
    assert mail.get_payload(decode=True).decode().strip() == "<p>Hi Ada, read=False</p>"
    [run] = await runtime.history()
    email = next(d for d in run.deliveries if d.channel == "email")
    assert (email.provider, email.status, email.recipient) == ("smtp", "sent", "ada@example.com")
    assert email.attempts[0].response == {"messageId": mail["Message-ID"], "refused": []}
    assert mail["Message-ID"] == f"<{run.id}.email@novu-framework>"


async def test_non_ascii_subjects_and_bodies_survive_smtp(make_runtime: Any, smtp_server: Any) -> None:
    from email.header import decode_header, make_header

    @workflow("greeting")
    async def greeting(step: Any) -> None:
        await step.email("email", {"subject": "Grüße, Zoë ✓", "body": "<p>Ça va? 日本</p>"})

    runtime: Runtime = make_runtime([greeting], email=smtp_server.settings())
    await runtime.trigger(greeting, ADA, {})
    await runtime.run_until_idle()
    [mail] = smtp_server.messages
    assert str(make_header(decode_header(mail["Subject"]))) == "Grüße, Zoë ✓"
    assert mail.get_payload(decode=True).decode("utf-8") == "<p>Ça va? 日本</p>"


async def test_smtp_down_retries_with_backoff_then_records_the_failure(make_runtime: Any, clock: Any) -> None:
    down = free_port()  # nothing listens here
    runtime: Runtime = make_runtime(
        [order_shipped],
        email=_settings(down),
        retry=RetryPolicy(max_attempts=3, base_ms=2_000),
    )
    await runtime.trigger(order_shipped, ADA, {"order_id": "A1"})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "waiting" and run.next_at == clock.now + 2_000
    assert run.steps[-1].status == "delivering"
    clock.advance(2)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.next_at == clock.now + 4_000  # backoff doubles
    clock.advance(4)
    await runtime.run_until_idle()

    [run] = await runtime.history()
    assert run.status == "failed"
    email = next(d for d in run.deliveries if d.channel == "email")
    assert email.status == "failed"
    assert [a.status for a in email.attempts] == ["failed", "failed", "failed"]
    assert all(f"cannot send through SMTP server 127.0.0.1:{down}" in (a.error or "") for a in email.attempts)
    assert "ConnectionRefusedError" in (email.error or "")
    assert run.error is not None and run.error.startswith("email delivery failed after 3 attempt(s) via smtp")
    assert run.steps[-1].status == "failed" and run.steps[-1].attempts == 3
    # Steps before the failure stay delivered; nothing was lost.
    assert len(await runtime.inbox("sub-1")) == 1


async def test_smtp_coming_back_delivers_on_a_retry(make_runtime: Any, clock: Any, smtp_server: Any) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    runtime: Runtime = make_runtime([order_shipped], email=_settings(port), retry=RetryPolicy(base_ms=1_000))
    await runtime.trigger(order_shipped, ADA, {"order_id": "A1"})
    await runtime.run_until_idle()
    controller = Controller(smtp_server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.advance(1)
        await runtime.run_until_idle()
    finally:
        controller.stop()
    [run] = await runtime.history()
    assert run.status == "completed"
    email = next(d for d in run.deliveries if d.channel == "email")
    assert [a.status for a in email.attempts] == ["failed", "sent"]
    assert len(smtp_server.messages) == 1


async def test_a_rejected_recipient_is_a_permanent_failure(make_runtime: Any, smtp_server: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped], email=smtp_server.settings())
    await runtime.trigger(order_shipped, {**ADA, "email": "ghost@unknown.example"}, {"order_id": "A1"})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    email = next(d for d in run.deliveries if d.channel == "email")
    assert run.status == "failed" and len(email.attempts) == 1
    assert email.error is not None and "refused the recipient" in email.error and "550" in email.error
    assert smtp_server.messages == []


class RecordingProvider:
    name = "recording"

    def __init__(self, fail_times: int = 0, permanent: bool = False) -> None:
        self.sent: list[Message] = []
        self.fail_times = fail_times
        self.permanent = permanent

    async def send(self, message: Message) -> dict[str, Any]:
        if self.fail_times:
            self.fail_times -= 1
            raise DeliveryError("provider said 503", permanent=self.permanent)
        self.sent.append(message)
        return {"id": f"prov-{len(self.sent)}"}


async def test_channel_providers_receive_outputs_overrides_and_a_stable_key(
    make_runtime: Any, clock: Any
) -> None:
    @workflow("chatty")
    async def chatty(step: Any) -> None:
        await step.chat("chat", {"body": "hello chat"})
        await step.push("push", {"subject": "s", "body": "hello push"})

    chat = RecordingProvider(fail_times=1)
    push = RecordingProvider()
    runtime: Runtime = make_runtime([chatty], providers={"chat": chat, "push": push})
    await runtime.trigger(chatty, "sub-1", {}, overrides={"chat": {"channel": "#ops"}})
    await runtime.run_until_idle()
    clock.advance(1)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "completed"
    [c] = chat.sent
    assert (c.channel, c.outputs, c.overrides, c.attempt) == (
        "chat",
        {"body": "hello chat"},
        {"chat": {"channel": "#ops"}},
        2,
    )
    assert c.idempotency_key == f"{run.id}:chat"
    assert [p.outputs for p in push.sent] == [{"subject": "s", "body": "hello push"}]
    deliveries = {d.channel: d for d in run.deliveries}
    assert [a.status for a in deliveries["chat"].attempts] == ["failed", "sent"]
    assert deliveries["chat"].attempts[1].response == {"id": "prov-1"}


async def test_permanent_provider_errors_are_not_retried(make_runtime: Any) -> None:
    @workflow("one-sms")
    async def one_sms(step: Any) -> None:
        await step.sms("sms", {"body": "hi"})

    sms = RecordingProvider(fail_times=5, permanent=True)
    runtime: Runtime = make_runtime([one_sms], providers={"sms": sms})
    await runtime.trigger(one_sms, {"subscriberId": "s", "phone": "+15550100"}, {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "failed" and sms.fail_times == 4
    assert run.error == "sms delivery failed after 1 attempt(s) via recording: provider said 503"


async def test_inbox_lists_per_subscriber_and_marks(make_runtime: Any, clock: Any) -> None:
    runtime: Runtime = make_runtime([order_shipped])
    for order, who in (("1", "a"), ("2", "a"), ("3", "b")):
        await runtime.trigger(order_shipped, who, {"order_id": order})
        await runtime.run_until_idle()
        clock.advance(1)
    inbox_a = await runtime.inbox("a")
    assert [m.content["body"] for m in inbox_a] == ["Order 2 shipped", "Order 1 shipped"]
    assert [m.content["body"] for m in await runtime.inbox("b")] == ["Order 3 shipped"]
    assert await runtime.inbox("nobody") == []
    newest = inbox_a[0]
    assert await runtime.mark_read(newest.id) is not None
    assert [m.id for m in await runtime.inbox("a", unread_only=True)] == [inbox_a[1].id]
    unread = await runtime.mark_read(newest.id, read=False)
    assert unread is not None and not unread.read and unread.read_at is None and unread.seen
    assert await runtime.mark_seen("missing") is None


def _settings(port: int) -> Any:
    from novu_framework.runtime import SmtpSettings

    return SmtpSettings(host="127.0.0.1", port=port, sender="alerts@example.com", timeout=2)


async def test_a_pooled_session_the_server_dropped_is_replaced(smtp_server: Any) -> None:
    from aiosmtpd.controller import Controller

    from novu_framework.runtime import SmtpEmailProvider, SmtpSettings

    port = free_port()
    provider = SmtpEmailProvider(SmtpSettings(host="127.0.0.1", port=port, sender="a@example.com"))
    first = Controller(smtp_server, hostname="127.0.0.1", port=port)
    first.start()
    try:
        await provider.send(
            Message("email", "r1:email", "t1", "wf", "email", ADA, {"subject": "one", "body": "1"})
        )
    finally:
        first.stop()  # closes the session the provider keeps in its pool
    assert len(provider._idle) == 1
    second = Controller(smtp_server, hostname="127.0.0.1", port=port)
    second.start()
    try:
        await provider.send(
            Message("email", "r2:email", "t2", "wf", "email", ADA, {"subject": "two", "body": "2"})
        )
    finally:
        second.stop()
        provider.close()
    assert [m["Subject"] for m in smtp_server.messages] == ["one", "two"]


def _email_message(subject: str, body: str, recipient: str = "ada@example.com", txn: str = "t-1") -> Message:
    return Message(
        channel="email",
        idempotency_key="run-1:email",
        transaction_id=txn,
        workflow_id="w",
        step_id="email",
        subscriber={"subscriberId": "sub-1", "email": recipient},
        outputs={"subject": subject, "body": body},
    )


@pytest.mark.parametrize(
    ("subject", "body"),
    [("3 new items", "<p>Latest: item-1</p>"), ("", ""), ("x" * 69, "<p>" + "é日本" * 300 + "</p>")],
)
def test_plain_emails_are_built_exactly_as_the_mime_library_builds_them(subject: str, body: str) -> None:
    import io
    import re
    from email.generator import BytesGenerator

    from novu_framework.runtime.delivery.smtp import SmtpSettings, build_email, plain_email

    settings = SmtpSettings(sender="Alerts <alerts@example.com>")
    message = _email_message(subject, body)
    mime = build_email(settings, message)
    out = io.BytesIO()
    BytesGenerator(out, policy=mime.policy.clone(linesep="\r\n")).flatten(mime, linesep="\r\n")
    plain = plain_email(settings, message)
    assert plain is not None

    def undated(data: bytes) -> bytes:
        return re.sub(rb"\r\nDate: [^\r]+\r\n", b"\r\n", data)

    assert undated(plain) == undated(out.getvalue())


@pytest.mark.parametrize(
    "message",
    [
        _email_message("Grüße", "x"),  # needs an encoded word
        _email_message("x" * 70, "x"),  # needs folding
        _email_message("two\nlines", "x"),
        _email_message("x", "x", recipient="Ada <ada@example.com>"),
        _email_message("x", "x", txn="t\r\nBcc: someone@example.com"),
        _email_message("x", "\ud800"),
    ],
)
def test_emails_that_need_encoding_are_left_to_the_mime_library(message: Message) -> None:
    from novu_framework.runtime.delivery.smtp import SmtpSettings, plain_email

    assert plain_email(SmtpSettings(), message) is None


async def test_a_sender_with_a_display_name_sends_from_its_bare_address(
    make_runtime: Any, smtp_server: Any
) -> None:
    from novu_framework.runtime import SmtpSettings

    settings = SmtpSettings(
        host=smtp_server.host, port=smtp_server.port, sender="Alerts <alerts@example.com>"
    )
    runtime: Runtime = make_runtime([order_shipped], email=settings)
    await runtime.trigger(order_shipped, ADA, {"order_id": "A9"})
    await runtime.run_until_idle()
    [mail] = smtp_server.messages
    assert smtp_server.envelopes == [("alerts@example.com", ["ada@example.com"])]
    assert (mail["From"], mail["Subject"]) == ("Alerts <alerts@example.com>", "Order A9")


async def test_a_burst_of_email_uses_at_most_pool_size_sessions(smtp_server: Any) -> None:
    import asyncio

    from aiosmtpd.controller import Controller

    from novu_framework.runtime import SmtpEmailProvider, SmtpSettings

    class Counting:
        def __init__(self) -> None:
            self.sessions = 0

        async def handle_EHLO(
            self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
        ) -> list[str]:
            self.sessions += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return await smtp_server.handle_DATA(server, session, envelope)

    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    provider = SmtpEmailProvider(
        SmtpSettings(host="127.0.0.1", port=port, sender="a@example.com"), pool_size=2
    )
    try:
        await asyncio.gather(
            *(
                provider.send(Message("email", f"r{i}:email", "t", "wf", "email", ADA, {"subject": str(i)}))
                for i in range(20)
            )
        )
    finally:
        provider.close()
        controller.stop()
    assert sorted(int(m["Subject"]) for m in smtp_server.messages) == list(range(20))
    assert handler.sessions == 2
