"""The SMTP email provider alone: building a message, and sending a burst to a real SMTP server.

    python benchmarks/email_delivery.py [--messages 2000] [--in-flight 64] [--pool-size 4]

Prints the microseconds per message of the two ways ``smtp.py`` can build one: the direct bytes of
``plain_email`` and ``build_email`` flattened by the ``email`` package (the path every message that
needs encoding takes, and the only one without ``plain_email``). Then sends ``--messages`` emails
through ``SmtpEmailProvider`` to aiosmtpd in another process, ``--in-flight`` at a time, twice: with
plain recipients (``plain_email``) and with display-name recipients (the ``email`` package), and
prints messages per second.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import time
from email.generator import BytesGenerator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from novu_framework.runtime import Message

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]


def _message(i: int, display_name: bool) -> Message:
    from novu_framework.runtime import Message

    address = f"user-{i}@example.com"
    return Message(
        channel="email",
        idempotency_key=f"run-{i}:email",
        transaction_id=f"txn-{i}",
        workflow_id="bench",
        step_id="email",
        subscriber={
            "subscriberId": f"user-{i}",
            "email": f"User {i} <{address}>" if display_name else address,
        },
        outputs={"subject": f"{i % 7 + 1} new items", "body": f"<p>Latest: item-{i}</p>"},
    )


def build_costs(count: int) -> tuple[float, float]:
    """µs per message: plain_email, and build_email flattened as the SMTP client flattens it."""
    from novu_framework.runtime.delivery.smtp import SmtpSettings, build_email, plain_email

    settings = SmtpSettings(sender="Alerts <alerts@example.com>")
    messages = [_message(i, display_name=False) for i in range(count)]
    t0 = time.perf_counter()
    for m in messages:
        assert plain_email(settings, m) is not None
    plain = (time.perf_counter() - t0) / count * 1e6
    t0 = time.perf_counter()
    for m in messages:
        email = build_email(settings, m)
        out = io.BytesIO()
        BytesGenerator(out, policy=email.policy.clone(linesep="\r\n")).flatten(email)
    library = (time.perf_counter() - t0) / count * 1e6
    return plain, library


async def burst(port: int, count: int, in_flight: int, pool_size: int, display_name: bool) -> float:
    """Messages per second through one provider."""
    from novu_framework.runtime import SmtpEmailProvider, SmtpSettings

    provider = SmtpEmailProvider(
        SmtpSettings("127.0.0.1", port, sender="alerts@example.com"), pool_size=pool_size
    )
    messages = [_message(i, display_name) for i in range(count)]
    gate = asyncio.Semaphore(in_flight)

    async def one(m: Message) -> None:
        async with gate:
            await provider.send(m)

    try:
        await provider.send(messages[0])  # connect outside the timing
        t0 = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(one(m) for m in messages[1:])), timeout=300)
        elapsed = time.perf_counter() - t0
    finally:
        provider.close()
    return (count - 1) / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=64, help="sends awaited at once")
    parser.add_argument("--pool-size", type=int, default=4)
    args = parser.parse_args()
    from runtime_common import SmtpSink

    plain, library = build_costs(min(args.messages, 5000))
    print(f"build: plain_email {plain:.1f} µs/message; build_email + flatten {library:.1f} µs/message")
    for display_name in (False, True):
        sink = SmtpSink()
        try:
            rate = await burst(sink.port, args.messages, args.in_flight, args.pool_size, display_name)
        finally:
            received = sink.stop()
        path = "email package (display-name recipients)" if display_name else "plain_email (bare recipients)"
        print(
            f"send via {path}: {rate:.0f} messages/s, {received} received, "
            f"{args.pool_size} session(s), {args.in_flight} sends in flight"
        )
        if received != args.messages:
            raise SystemExit(f"the server received {received} of {args.messages} messages")


if __name__ == "__main__":
    asyncio.run(main())
