"""The SMTP provider's session pool against a real aiosmtpd server: reuse, reconnecting, retries, loops."""

from __future__ import annotations

import asyncio
import email
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SmtpServer

from novu_framework import workflow
from novu_framework.runtime import Message, RetryPolicy, Runtime, SmtpEmailProvider, SmtpSettings
from tests.runtime.conftest import free_port

ADA = {"subscriberId": "sub-1", "email": "ada@example.com"}


class Server:
    """aiosmtpd on 127.0.0.1 that counts sessions opened and closed, records every message it was
    offered (accepted or not), and answers DATA with ``replies`` in turn (then 250)."""

    def __init__(self, replies: list[str] | None = None, drop_mail: set[int] | None = None) -> None:
        self.replies = list(replies or [])
        self.drop_mail = drop_mail or set()  # MAIL commands (counted from 1) the server hangs up on
        self.mails = 0
        self.opened = 0
        self.closed = 0
        self.offered: list[email.message.Message] = []
        self.accepted: list[email.message.Message] = []
        self.lock = threading.Lock()
        self.port = free_port()
        server = self

        class Counting(SmtpServer):
            def connection_made(self, transport: Any) -> None:
                with server.lock:
                    server.opened += 1
                super().connection_made(transport)

            def connection_lost(self, error: Exception | None) -> None:
                with server.lock:
                    server.closed += 1
                super().connection_lost(error)

        class Handler:
            async def handle_MAIL(
                self, smtp: Any, session: Any, envelope: Any, address: str, options: Any
            ) -> str:
                server.mails += 1
                if server.mails in server.drop_mail:
                    smtp.transport.close()  # the server hangs up instead of answering
                envelope.mail_from = address
                return "250 OK"

            async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
                mail = email.message_from_bytes(envelope.content)
                server.offered.append(mail)
                if server.replies:
                    return server.replies.pop(0)
                server.accepted.append(mail)
                return "250 Message accepted for delivery"

        class Factory(Controller):
            def factory(self) -> SmtpServer:
                return Counting(self.handler, **self.SMTP_kwargs)

        self.controller = Factory(Handler(), hostname="127.0.0.1", port=self.port)

    def forget_the_readiness_probe(self) -> None:
        """Controller.start() connects once to see the server answer; count from after that."""
        deadline = time.monotonic() + 5
        while (self.opened, self.closed) != (1, 1) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (self.opened, self.closed) == (1, 1), "the readiness probe was not seen"
        with self.lock:
            self.opened = self.closed = 0

    def settings(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, sender="alerts@example.com", timeout=5)

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.accepted]


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(**options: Any) -> Server:
        running = Server(**options)
        running.controller.start()
        started.append(running)
        running.forget_the_readiness_probe()
        return running

    yield start
    for running in started:
        running.controller.stop()


@pytest.fixture
def server(start_server: Callable[..., Server]) -> Server:
    return start_server()


def _message(n: int) -> Message:
    return Message("email", f"r{n}:email", f"t{n}", "wf", "email", ADA, {"subject": f"m{n}", "body": "x"})


async def _until(condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server did not see it in time")


async def test_one_session_carries_message_after_message(server: Server) -> None:
    provider = SmtpEmailProvider(server.settings())
    try:
        answers = [await provider.send(_message(n)) for n in range(5)]
        assert server.closed == 0
    finally:
        provider.close()
    assert server.subjects() == ["m0", "m1", "m2", "m3", "m4"]
    assert server.opened == 1
    assert [a["messageId"] for a in answers] == [f"<r{n}.email@novu-framework>" for n in range(5)]
    await _until(lambda: server.closed == 1)  # close() said QUIT


async def test_a_session_the_server_hangs_up_on_mid_message_is_replaced_in_the_same_send(
    start_server: Callable[..., Server],
) -> None:
    server = start_server(drop_mail={2})
    provider = SmtpEmailProvider(server.settings())
    try:
        await provider.send(_message(1))
        answer = await provider.send(_message(2))  # MAIL on the pooled session: the server hangs up
        await provider.send(_message(3))
    finally:
        provider.close()
    assert answer == {"messageId": "<r2.email@novu-framework>", "refused": []}
    assert server.subjects() == ["m1", "m2", "m3"]
    assert server.opened == 2


async def test_a_new_session_that_fails_is_not_retried_within_the_send(
    start_server: Callable[..., Server],
) -> None:
    from novu_framework.runtime import DeliveryError

    server = start_server(drop_mail={1})
    provider = SmtpEmailProvider(server.settings())
    try:
        with pytest.raises(DeliveryError) as failed:
            await provider.send(_message(1))
        assert not failed.value.permanent
        assert str(failed.value).startswith(f"cannot send through SMTP server 127.0.0.1:{server.port}: ")
        await provider.send(_message(2))  # the next send opens a fresh session
    finally:
        provider.close()
    assert server.subjects() == ["m2"] and server.opened == 2


@workflow("one-email")
async def one_email(step: Any) -> None:
    await step.email("email", {"subject": "Hello", "body": "<p>hi</p>"})


async def test_a_temporary_refusal_is_retried_with_the_same_message_id(
    make_runtime: Any, clock: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(replies=["451 4.3.0 try again later"])
    runtime: Runtime = make_runtime([one_email], email=server.settings(), retry=RetryPolicy(base_ms=1_000))
    await runtime.trigger(one_email, ADA, {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "waiting" and run.next_at == clock.now + 1_000
    clock.advance(1)
    await runtime.run_until_idle()
    [run] = await runtime.history()
    assert run.status == "completed"
    [delivery] = run.deliveries
    assert [a.status for a in delivery.attempts] == ["failed", "sent"]
    assert delivery.attempts[0].error == "SMTP error: 451 4.3.0 try again later"
    expected = f"<{run.id}.email@novu-framework>"
    assert [m["Message-ID"] for m in server.offered] == [expected, expected]
    assert [m["Message-ID"] for m in server.accepted] == [expected]
    assert delivery.attempts[1].response == {"messageId": expected, "refused": []}
    assert server.opened == 2  # the session that failed was not lent again


async def test_a_permanent_refusal_of_the_message_fails_the_run_at_once(
    make_runtime: Any, start_server: Callable[..., Server]
) -> None:
    server = start_server(replies=["554 5.6.0 message content rejected"])
    runtime: Runtime = make_runtime([one_email], email=server.settings())
    await runtime.trigger(one_email, ADA, {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    [delivery] = run.deliveries
    assert run.status == "failed" and len(delivery.attempts) == 1
    assert delivery.error == "SMTP error: 554 5.6.0 message content rejected"
    assert server.accepted == []


async def test_sessions_outlive_the_event_loop_that_opened_them(server: Server) -> None:
    provider = SmtpEmailProvider(server.settings())
    # The default runtime sends on its worker thread's loop, then closes from a loop of its own.
    thread = threading.Thread(target=lambda: asyncio.run(provider.send(_message(1))))
    thread.start()
    thread.join(30)
    try:
        await provider.send(_message(2))
        assert (server.opened, server.closed) == (1, 0)
    finally:
        closing = threading.Thread(target=provider.close)
        closing.start()
        closing.join(30)
    await _until(lambda: server.closed == 1)
    assert server.subjects() == ["m1", "m2"]


def test_a_pool_needs_at_least_one_session() -> None:
    with pytest.raises(ValueError, match="at least 1, got 0"):
        SmtpEmailProvider(SmtpSettings(), pool_size=0)


async def test_a_header_that_would_smuggle_another_is_a_permanent_failure(
    make_runtime: Any, server: Server
) -> None:
    @workflow("smuggler")
    async def smuggler(step: Any) -> None:
        await step.email("email", {"subject": "Hi\r\nBcc: someone@example.com", "body": "x"})

    runtime: Runtime = make_runtime([smuggler, one_email], email=server.settings())
    await runtime.trigger(smuggler, ADA, {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    [delivery] = run.deliveries
    assert run.status == "failed" and len(delivery.attempts) == 1
    assert delivery.error is not None
    assert delivery.error.startswith("the email cannot be written: header value appears to contain")
    assert server.offered == []
    await runtime.trigger(one_email, ADA, {})  # the provider and its session carry on
    await runtime.run_until_idle()
    assert server.subjects() == ["Hello"] and server.opened == 1
