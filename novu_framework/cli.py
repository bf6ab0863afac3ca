"""The ``novu-framework`` command: run an app's workflows locally, trigger them, read history and inboxes."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from novu_framework.errors import NovuError
from novu_framework.jsonutil import JsonParseError, loads
from novu_framework.routing import RUNTIME_ENV
from novu_framework.runtime import Runtime
from novu_framework.runtime.loader import AppNotFoundError, load_workflows
from novu_framework.runtime.records import RunRecord
from novu_framework.runtime.timeutil import to_iso

DEFAULT_DB = os.path.join(".novu", "runtime.sqlite3")


def _db(args: argparse.Namespace) -> str:
    return str(args.db or os.environ.get("NOVU_RUNTIME_DB") or DEFAULT_DB)


def _runtime(args: argparse.Namespace, app: str | None) -> Runtime:
    workflows = load_workflows(app) if app else []
    return Runtime(workflows, store=_db(args), lease_seconds=getattr(args, "lease_seconds", 30.0))


# --- commands ------------------------------------------------------------------------------------


async def _dev(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from novu_framework.dev_services import with_local_services
        from novu_framework.devserver import build_dev_app, dev_client
    except ImportError as exc:
        print(f"novu-framework dev: {exc} (pip install 'novu-framework[fastapi]')", file=sys.stderr)
        return 2
    try:
        client = dev_client(args.host, args.secret_key)
    except ValueError as exc:
        print(f"novu-framework dev: {exc}", file=sys.stderr)
        return 2
    # Triggers made in this process run here, even with a secret key set, unless NOVU_RUNTIME says.
    os.environ.setdefault(RUNTIME_ENV, "local")
    runtime = _runtime(args, args.app)
    app = build_dev_app(runtime.workflows.values(), runtime, client=client, bridge_path=args.path)
    url = f"http://{args.host}:{args.port}{args.path}"
    if client.strict_authentication:
        print(f"novu-framework dev: bridge at {url} requires signed requests", file=sys.stderr)
    else:
        print(
            f"novu-framework dev: OPEN BRIDGE at {url}: unsigned requests are accepted and run your "
            "workflow code. For local development only; never expose this port.",
            file=sys.stderr,
        )
    try:
        local = with_local_services(
            app, runtime, client=client, host=args.host, port=args.port, allow_remote=args.allow_remote
        )
    except ValueError as exc:
        print(f"novu-framework dev: {exc}", file=sys.stderr)
        return 2
    print(
        f"novu-framework dev: workflows {', '.join(sorted(runtime.workflows))}; local worker running; "
        f"runtime store {_db(args)}; triggers run locally ({RUNTIME_ENV}={os.environ[RUNTIME_ENV]})",
        file=sys.stderr,
        flush=True,
    )
    for line in local.notes:
        print(f"novu-framework dev: {line}", file=sys.stderr)
    print(f"Inbox API: {local.inbox_url} (set backendUrl and socketUrl of @novu/js to it)", flush=True)
    print(f"Studio: {local.studio_url}", flush=True)
    # An open Studio tab holds an event stream: on Ctrl-C the Studio ends it (2 s at most).
    config = uvicorn.Config(
        local.app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    closer = asyncio.ensure_future(local.close_on_exit(server))
    try:
        await server.serve()
    finally:
        closer.cancel()
    return 0


async def _worker(args: argparse.Namespace) -> int:
    runtime = _runtime(args, args.app)
    runtime.worker.concurrency = args.concurrency
    print(f"novu-framework worker {runtime.config.owner}: {', '.join(sorted(runtime.workflows))}", flush=True)
    try:
        await runtime.serve_forever()
    finally:
        await runtime.close()
    return 0


async def _trigger(args: argparse.Namespace) -> int:
    app = args.app or os.environ.get("NOVU_APP")
    if not app:
        print("novu-framework trigger: pass --app MODULE (or set NOVU_APP) so the workflow can be found")
        return 2
    try:
        payload = loads(args.payload) if args.payload is not None else None
    except JsonParseError as exc:
        print(f"novu-framework trigger: --payload is not valid JSON: {exc}")
        return 2
    recipients: list[Any] = []
    for item in args.to or []:
        try:
            recipients.append(loads(item) if item.lstrip().startswith("{") else item)
        except JsonParseError as exc:
            print(f"novu-framework trigger: --to {item!r} is not valid JSON: {exc}")
            return 2
    recipients += [{"type": "Topic", "topicKey": k} for k in args.topic or []]
    if not recipients:
        print("novu-framework trigger: pass --to SUBSCRIBER or --topic KEY (either may be repeated)")
        return 2
    to: Any = recipients if len(recipients) > 1 else recipients[0]
    runtime = _runtime(args, app)
    try:
        result = await runtime.trigger(args.workflow, to, payload, transaction_id=args.transaction_id)
        print(json.dumps(result.data, ensure_ascii=False))
        if args.run:
            await runtime.run_until_idle()
            for run in await runtime.history(transaction_id=result.transaction_id):
                _print_run(run)
    finally:
        await runtime.close()
    return 0


async def _history(args: argparse.Namespace) -> int:
    runtime = Runtime(store=_db(args))
    try:
        runs = await runtime.history(
            transaction_id=args.transaction_id,
            subscriber_id=args.subscriber,
            workflow_id=args.workflow,
            limit=args.limit,
        )
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps([_run_json(r) for r in runs], ensure_ascii=False, indent=2))
    elif not runs:
        print("no runs")
    for run in [] if args.json else runs:
        _print_run(run)
    return 0


async def _inbox(args: argparse.Namespace) -> int:
    runtime = Runtime(store=_db(args))
    try:
        if args.read:
            for message_id in args.read:
                if await runtime.mark_read(message_id) is None:
                    print(f"no message {message_id}")
        messages = await runtime.inbox(args.subscriber, unread_only=args.unread, limit=args.limit)
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps([m.__dict__ for m in messages], ensure_ascii=False, indent=2))
        return 0
    if not messages:
        print(f"inbox of {args.subscriber} is empty")
    for m in messages:
        flags = ("read" if m.read else "seen" if m.seen else "new").ljust(4)
        title = m.content.get("subject") or m.content.get("body", "")
        print(f"{to_iso(m.created_at)}  {flags}  {m.id}  {title}")
    return 0


async def _topic(args: argparse.Namespace) -> int:
    added: list[Any] = []
    for item in args.add or []:
        if item.lstrip().startswith("{"):
            try:
                added.append(loads(item))
            except JsonParseError as exc:
                print(f"novu-framework topic: --add {item!r} is not valid JSON: {exc}")
                return 2
        else:
            added.append(item)
    runtime = Runtime(store=_db(args))
    try:
        if added:
            new = await runtime.add_to_topic(args.key, added)
            print(f"added {new} new subscriber(s) to {args.key}")
        if args.remove:
            gone = await runtime.remove_from_topic(args.key, args.remove)
            print(f"removed {gone} subscriber(s) from {args.key}")
        members = await runtime.topic_subscribers(args.key)
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps(members, ensure_ascii=False, indent=2))
    elif not members:
        print(f"topic {args.key} has no subscribers")
    for member in [] if args.json else members:
        extra = ", ".join(
            f"{k}={v}" for k, v in member.items() if k != "subscriberId" and not isinstance(v, dict)
        )
        print(f"{member['subscriberId']}  {extra}".rstrip())
    return 0


# --- printing ------------------------------------------------------------------------------------


def _run_json(run: RunRecord) -> dict[str, Any]:
    return {
        **{k: v for k, v in run.__dict__.items() if k not in ("steps", "deliveries")},
        "steps": [s.__dict__ for s in run.steps],
        "deliveries": [{**d.__dict__, "attempts": [a.__dict__ for a in d.attempts]} for d in run.deliveries],
    }


def _print_run(run: RunRecord) -> None:
    extra = f" -> {run.merged_into}" if run.merged_into else ""
    print(
        f"{to_iso(run.created_at)}  {run.workflow_id}  {run.subscriber_id}  txn={run.transaction_id}  "
        f"run={run.id}  {run.status}{extra}"
    )
    if run.error:
        print(f"    error: {run.error}")
    for step in run.steps:
        note = f"  ({step.error})" if step.error else ""
        print(f"    {step.position:>2} {step.step_id} [{step.step_type}] {step.status}{note}")
    for d in run.deliveries:
        print(
            f"    delivery {d.channel} via {d.provider} to {d.recipient}: {d.status} "
            f"({len(d.attempts)} attempt(s))"
        )


# --- parser --------------------------------------------------------------------------------------


_SUBSCRIBER = (
    'subscriber id, or a JSON subscriber such as \'{"subscriberId": "u1", "email": "u1@example.com"}\''
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="novu-framework", description=__doc__)
    parser.add_argument(
        "--db", help=f"runtime store: SQLite path or postgresql:// URL (default {DEFAULT_DB})"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="serve the bridge and run the worker for the workflows of APP")
    dev.add_argument("app", help="module, module:attribute or path/to/file.py holding the workflows")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=4000)
    dev.add_argument("--path", default="/api/novu", help="URL path of the bridge")
    dev.add_argument(
        "--secret-key", help="secret key the bridge checks signatures with (default $NOVU_SECRET_KEY)"
    )
    dev.add_argument(
        "--allow-remote",
        action="store_true",
        help="serve on a non-loopback --host although the Studio can trigger runs and edit controls",
    )

    worker = commands.add_parser("worker", help="run a worker for the workflows of APP (no HTTP)")
    worker.add_argument("app")
    worker.add_argument("--concurrency", type=int, default=32)
    worker.add_argument("--lease-seconds", type=float, default=30.0, help="how long a claimed run stays held")

    trigger = commands.add_parser("trigger", help="trigger WORKFLOW on the local runtime")
    trigger.add_argument("workflow")
    trigger.add_argument(
        "--to", action="append", metavar="SUBSCRIBER", help=f"{_SUBSCRIBER} (repeat for several)"
    )
    trigger.add_argument("--topic", action="append", metavar="KEY", help="topic key (repeat for several)")
    trigger.add_argument("--payload", help="JSON payload")
    trigger.add_argument("--transaction-id")
    trigger.add_argument("--app", help="module holding the workflow (default: $NOVU_APP)")
    trigger.add_argument("--run", action="store_true", help="also run it here until it waits or ends")

    history = commands.add_parser("history", help="runs, steps and deliveries")
    history.add_argument("--transaction-id")
    history.add_argument("--subscriber")
    history.add_argument("--workflow")
    history.add_argument("--limit", type=int, default=20)
    history.add_argument("--json", action="store_true")

    inbox = commands.add_parser("inbox", help="a subscriber's in-app messages")
    inbox.add_argument("subscriber")
    inbox.add_argument("--unread", action="store_true")
    inbox.add_argument("--read", action="append", metavar="MESSAGE_ID", help="mark a message read first")
    inbox.add_argument("--limit", type=int, default=50)
    inbox.add_argument("--json", action="store_true")

    topic = commands.add_parser("topic", help="a topic's subscribers (add or remove some first)")
    topic.add_argument("key")
    topic.add_argument("--add", action="append", metavar="SUBSCRIBER", help=_SUBSCRIBER)
    topic.add_argument("--remove", action="append", metavar="SUBSCRIBER_ID")
    topic.add_argument("--json", action="store_true")
    return parser


_COMMANDS = {
    "dev": _dev,
    "worker": _worker,
    "trigger": _trigger,
    "history": _history,
    "inbox": _inbox,
    "topic": _topic,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(_COMMANDS[args.command](args))
    except (NovuError, AppNotFoundError, ValueError) as exc:
        message = exc.message if isinstance(exc, NovuError) else str(exc)
        print(f"novu-framework {args.command}: {message}", file=sys.stderr)
        if isinstance(exc, NovuError) and exc.has_data:
            print(json.dumps(exc.data, ensure_ascii=False, indent=2), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
