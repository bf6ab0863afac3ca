"""The main job, end to end on this machine: serve the example workflows and run them locally.

    python scripts/demo.py [--port 4000]

1. Serves ``examples/workflows.py`` through the FastAPI example app on 127.0.0.1 and calls the bridge
   the way the Novu platform does (health-check, discover, a step preview).
2. Runs the same workflows on the embedded runtime (SQLite in a temporary folder), delivering email
   to a real SMTP server on 127.0.0.1, with a clock the demo moves forward so that the one-day delay
   and the digest window pass in seconds.
3. Prints what ran: runs, steps, inbox, delivered email.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import tempfile
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY_MS = 86_400_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Clock:
    """A clock the demo can move forward (epoch milliseconds)."""

    def __init__(self) -> None:
        self.offset = 0

    def __call__(self) -> int:
        return time.time_ns() // 1_000_000 + self.offset

    def advance(self, ms: int) -> None:
        self.offset += ms


def start_smtp(port: int) -> tuple[Any, list[Any]]:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Inbox:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, received


def start_bridge(port: int) -> Any:
    import uvicorn

    os.environ.setdefault("NOVU_SECRET_KEY", "demo-secret-key")
    os.environ["NOVU_STRICT_AUTHENTICATION_ENABLED"] = "false"
    from examples.fastapi.app import app

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def section(title: str) -> None:
    print(f"\n== {title}")


def show_bridge(port: int) -> None:
    import httpx

    base = f"http://127.0.0.1:{port}/api/novu"
    section(f"Bridge served by FastAPI at {base}")
    health = httpx.get(base, params={"action": "health-check"}).json()
    print(
        f"health-check: {health['status']}, {health['discovered']['workflows']} workflows, "
        f"{health['discovered']['steps']} steps"
    )
    for wf in httpx.get(base, params={"action": "discover"}).json()["workflows"]:
        steps = ", ".join(f"{s['stepId']} ({s['type']})" for s in wf["steps"])
        print(f"discover: {wf['workflowId']}: {steps}")
    preview = httpx.post(
        base,
        params={"action": "preview", "workflowId": "welcome", "stepId": "welcome-email"},
        json={"payload": {"first_name": "Ada", "plan": "team"}, "controls": {}, "state": []},
    ).json()
    print(f"preview welcome-email: subject={preview['outputs']['subject']!r}")


async def run_locally(smtp_port: int, received: list[Any]) -> None:
    from examples.workflows import WORKFLOWS, comment_digest, welcome
    from novu_framework.runtime import Runtime, SmtpSettings

    clock = Clock()
    folder = tempfile.mkdtemp(prefix="novu-demo-")
    runtime = Runtime(
        WORKFLOWS,
        store=os.path.join(folder, "runtime.sqlite3"),
        email=SmtpSettings(host="127.0.0.1", port=smtp_port, sender="hello@acme.example"),
        clock=clock,
    )
    section(f"Embedded runtime (SQLite in {folder}, SMTP on 127.0.0.1:{smtp_port})")
    async with runtime:
        ada = {"subscriberId": "ada", "email": "ada@example.com", "firstName": "Ada"}
        bob = {"subscriberId": "bob", "email": "bob@example.com", "firstName": "Bob"}
        first = await runtime.trigger(welcome, to=ada, payload={"first_name": "Ada", "plan": "team"})
        second = await runtime.trigger(welcome, to=bob, payload={"first_name": "Bob"})
        print(f"triggered welcome for ada ({first.transaction_id}) and bob ({second.transaction_id})")
        await runtime.run_until_idle()
        for subscriber in ("ada", "bob"):
            [message] = await runtime.inbox(subscriber)
            print(f"inbox {subscriber}: {message.content.get('body')!r}")
        [bob_message] = await runtime.inbox("bob")
        await runtime.mark_read(bob_message.id)
        print("bob reads his in-app message; both runs now wait a day before the email")

        for i, author in enumerate(["Chloe", "Dan", "Chloe", "Eve", "Finn"]):
            await runtime.trigger(
                comment_digest,
                to=ada,
                payload={
                    "post_id": "p-1",
                    "post_title": "Launch notes",
                    "author_name": author,
                    "comment": f"Comment {i + 1}",
                },
            )
        await runtime.run_until_idle()
        print("5 comments on one post for ada: one digest collects them for 30 minutes")

        clock.advance(DAY_MS + 60_000)
        print("(the demo clock moves forward one day)")
        await runtime.run_until_idle()

        section("What ran")
        for run in reversed(await runtime.history(limit=20)):
            steps = ", ".join(f"{s.step_id}:{s.status}" for s in run.steps)
            print(f"{run.workflow_id:15} {run.subscriber_id:4} {run.status:9} {steps}")
        section("Email delivered to the SMTP server")
        for message in received:
            print(f"to {message['To']}: {message['Subject']}")
        if len(received) != 2:
            raise SystemExit(f"expected 2 emails (ada's welcome and ada's digest), got {len(received)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="bridge port (default: a free one)")
    args = parser.parse_args()
    bridge_port = args.port or free_port()
    smtp, received = start_smtp(free_port())
    server = start_bridge(bridge_port)
    try:
        show_bridge(bridge_port)
        asyncio.run(run_locally(smtp.port, received))
    finally:
        server.should_exit = True
        smtp.stop()
    print(
        "\ndemo finished: the bridge answered like the Novu platform expects, and the workflows ran locally"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
