"""The real-time channel the Novu clients open: socket.io (Engine.IO v4, websocket transport) with
the session token in the query, through python-socketio.

Events go to the rooms of one subscriber: ``notification_received`` once a new in-app message is
committed, then ``unseen_count_changed`` and ``unread_count_changed``; the two counts after every
change made through the HTTP API. New messages are found in three ways: this process's store says
it wrote some (at once), other processes' writes are read by rowid on SQLite every
``poll_interval`` seconds, or arrive by ``LISTEN`` on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import importlib.util
import logging
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from novu_framework.errors import MissingDependencyError
from novu_framework.inbox.handlers import InboxApi
from novu_framework.inbox.serialize import stored_message
from novu_framework.runtime.records import InboxMessage
from novu_framework.runtime.store.inbox import NOTIFY_CHANNEL

logger = logging.getLogger("novu_framework.inbox")

UNSEEN_CAP = 100  # the platform counts unseen messages up to 100 and says whether there are more


def _socketio() -> Any:
    try:
        import socketio
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "Inbox real-time channel (socket.io)", ["python-socketio", "websockets"]
        ) from exc
    if importlib.util.find_spec("websockets") is None and importlib.util.find_spec("wsproto") is None:
        # uvicorn would answer the WebSocket upgrade with "Unsupported upgrade request".
        logger.warning("inbox real-time: install 'websockets' so that uvicorn accepts WebSocket connections")
    return socketio


class Realtime:
    """The socket.io server of an :class:`InboxApi` and the watcher of new in-app messages."""

    def __init__(
        self, api: InboxApi, *, cors_origins: str | Sequence[str] = "*", poll_interval: float = 0.25
    ) -> None:
        socketio = _socketio()
        self.api = api
        self.poll_interval = poll_interval
        origins: Any = "*" if cors_origins == "*" else list(cors_origins)
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            cors_allowed_origins=origins,
            namespaces="*",
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("connect", self._connect, namespace="*")
        self.sio.on("disconnect", self._disconnect, namespace="*")
        self._namespaces: dict[str, set[str]] = {}  # subscriber -> namespaces with sockets of theirs
        self._sockets: dict[tuple[str, str], str] = {}  # (namespace, sid) -> subscriber
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._unhook: Any = None
        self._listener: _PgListener | None = None
        self._recent: collections.OrderedDict[str, None] = collections.OrderedDict()
        api.listeners.append(self._changed)

    # --- sockets ---------------------------------------------------------------------------------

    async def _connect(self, namespace: str, sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        self.start()
        token = None
        if isinstance(auth, dict) and isinstance(auth.get("token"), str):
            token = auth["token"]
        if token is None:
            token = (parse_qs(environ.get("QUERY_STRING", "")).get("token") or [None])[0]
        subscriber = None if token in (None, "", "null") else self.api.signer.subscriber(token)
        if subscriber is None:
            return False  # the client gets a connect error
        self._sockets[(namespace, sid)] = subscriber
        self._namespaces.setdefault(subscriber, set()).add(namespace)
        await self.sio.enter_room(sid, _room(subscriber), namespace=namespace)
        return True

    async def _disconnect(self, namespace: str, sid: str, *_: Any) -> None:
        subscriber = self._sockets.pop((namespace, sid), None)
        if subscriber is not None and not any(
            s == subscriber and n == namespace for (n, _), s in self._sockets.items()
        ):
            self._namespaces.get(subscriber, set()).discard(namespace)
            if not self._namespaces.get(subscriber):
                self._namespaces.pop(subscriber, None)

    def connected(self, subscriber: str) -> bool:
        return bool(self._namespaces.get(subscriber))

    async def _emit(self, subscriber: str, event: str, data: Any) -> None:
        for namespace in list(self._namespaces.get(subscriber, ())):
            await self.sio.emit(event, data, room=_room(subscriber), namespace=namespace)

    async def send_counts(self, subscriber: str) -> None:
        counts, unseen = await self.api.badges(subscriber)
        await self._emit(
            subscriber,
            "unseen_count_changed",
            {"unseenCount": min(unseen, UNSEEN_CAP), "hasMore": unseen > UNSEEN_CAP},
        )
        await self._emit(
            subscriber,
            "unread_count_changed",
            {"unreadCount": counts["total"], "counts": counts, "hasMore": counts["total"] >= UNSEEN_CAP},
        )

    async def _changed(self, subscriber: str, message: InboxMessage | None) -> None:
        if self.connected(subscriber):
            await self.send_counts(subscriber)

    async def received(self, messages: Sequence[InboxMessage]) -> None:
        """Push newly committed messages to their subscribers, then those subscribers' counts."""
        told: dict[str, None] = {}
        for msg in messages:
            if msg.id in self._recent:
                continue
            self._recent[msg.id] = None
            if len(self._recent) > 10_000:
                self._recent.popitem(last=False)
            if self.connected(msg.subscriber_id):
                wf = self.api.runtime.workflows.get(msg.workflow_id)
                await self._emit(
                    msg.subscriber_id, "notification_received", {"message": stored_message(msg, wf)}
                )
                told[msg.subscriber_id] = None
        for subscriber in told:
            await self.send_counts(subscriber)

    # --- the watcher -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching for new messages (in the running event loop; done on first use)."""
        if self._task is not None:
            return
        self._task = asyncio.ensure_future(self._watch())

    async def stop(self) -> None:
        if self._unhook is not None:
            self._unhook()
            self._unhook = None
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self) -> None:
        try:
            await self.api.runtime.ready()
            store = self.api.store
            if store.dialect.name == "postgres":
                await self._watch_postgres(store.dsn)  # type: ignore[attr-defined]
            else:
                await self._watch_rowids()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("inbox real-time: the watcher of new messages stopped")

    async def _watch_rowids(self) -> None:
        loop = asyncio.get_running_loop()
        wake = self._wake = asyncio.Event()

        def poke() -> None:  # on the store's thread, inside the writing transaction
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

        self._unhook = self.api.store.on_inbox_commit(poke)
        rowid, _ = await self.api.store.inbox_since(None)
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(wake.wait(), self.poll_interval)
            wake.clear()
            while True:
                rowid, messages = await self.api.store.inbox_since(rowid)
                if not messages:
                    break
                await self.received(messages)

    async def _watch_postgres(self, dsn: str) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._listener = _PgListener(dsn, lambda mid: loop.call_soon_threadsafe(queue.put_nowait, mid))
        self._listener.start()
        while True:
            ids = [await queue.get()]
            while not queue.empty() and len(ids) < 500:
                ids.append(queue.get_nowait())
            await self.received(await self.api.store.inbox_messages(ids))


def _room(subscriber: str) -> str:
    return "subscriber:" + subscriber


class _PgListener:
    """A thread with its own connection that ``LISTEN``s for new in-app messages."""

    def __init__(self, dsn: str, deliver: Any) -> None:
        self.dsn = dsn
        self.deliver = deliver
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="novu-inbox-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=0.5):
                            with contextlib.suppress(RuntimeError):
                                self.deliver(note.payload)
            except Exception:
                logger.exception("inbox real-time: LISTEN failed; retrying in 1 s")
                self._stopping.wait(1.0)
