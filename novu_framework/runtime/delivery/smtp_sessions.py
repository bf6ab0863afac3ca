"""A small pool of connected aiosmtplib clients, reused from one message to the next.

An aiosmtplib client belongs to the event loop it connected on, and a runtime may send from one loop
and close from another (the default runtime's worker thread, then ``asyncio.run(runtime.close())``).
So each idle session remembers its loop: a send takes only sessions of its own loop, and a session
whose loop has gone is shut down at the socket, where no loop is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiosmtplib

T = TypeVar("T")


class SmtpSessions:
    """At most ``size`` sessions per event loop, each kept open while idle for under ``max_idle_seconds``.

    :meth:`run` lends a session to one SMTP exchange: an idle one if there is one, else a new one from
    ``connect``. A burst beyond ``size`` waits for a free session rather than opening more. A session
    the server closed while it sat idle is replaced once, in the same call; a session that failed
    any other way is closed, never lent again.
    """

    def __init__(
        self,
        connect: Callable[[], Awaitable[aiosmtplib.SMTP]],
        *,
        size: int,
        max_idle_seconds: float,
    ) -> None:
        if size < 1:
            raise ValueError(f"the SMTP pool size must be at least 1, got {size}")
        self._connect = connect
        self.size = size
        self.max_idle_seconds = max_idle_seconds
        self._idle: list[tuple[aiosmtplib.SMTP, asyncio.AbstractEventLoop, float]] = []
        self._lock = threading.Lock()  # the idle list is shared by every loop that sends
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )
        self.connections = 0  # sessions opened so far

    @property
    def idle(self) -> int:
        """How many sessions are open and waiting for the next message."""
        with self._lock:
            return len(self._idle)

    async def run(self, exchange: Callable[[aiosmtplib.SMTP], Awaitable[T]]) -> T:
        """``exchange`` on a pooled session; its result. Errors from connecting or from ``exchange``
        propagate (the session is then closed)."""
        loop = asyncio.get_running_loop()
        async with self._slot(loop):
            client = await self._checkout(loop)
            if client is not None:
                try:
                    result = await exchange(client)
                except aiosmtplib.SMTPServerDisconnected:
                    client.close()  # dropped while idle (a server's idle timeout, a restart): reconnect
                except BaseException as exc:
                    await _discard(client, exc)
                    raise
                else:
                    self._checkin(client, loop)
                    return result
            client = await self._connect()
            self.connections += 1
            try:
                result = await exchange(client)
            except BaseException as exc:
                await _discard(client, exc)
                raise
            self._checkin(client, loop)
            return result

    async def close(self) -> None:
        """Say QUIT on the idle sessions (those of loops that have ended are shut down at the socket).
        Sessions lent out at the time return to the pool as usual."""
        with self._lock:
            idle, self._idle = self._idle, []
        current = asyncio.get_running_loop()
        for client, loop, _ in idle:
            if loop is current:
                await _quit(client)
            else:
                _abandon(client, loop)

    def _slot(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        with self._lock:
            slot = self._slots.get(loop)
            if slot is None:
                slot = self._slots[loop] = asyncio.Semaphore(self.size)
            return slot

    async def _checkout(self, loop: asyncio.AbstractEventLoop) -> aiosmtplib.SMTP | None:
        now = time.monotonic()
        stale: list[aiosmtplib.SMTP] = []
        found: aiosmtplib.SMTP | None = None
        with self._lock:
            keep: list[tuple[aiosmtplib.SMTP, asyncio.AbstractEventLoop, float]] = []
            for entry in reversed(self._idle):  # the most recently used first: the others may expire
                client, owner, since = entry
                if owner is not loop:
                    if owner.is_closed():
                        _abandon(client, owner)
                    else:
                        keep.append(entry)  # another running loop's session: left to it
                elif now - since >= self.max_idle_seconds or not client.is_connected:
                    stale.append(client)
                elif found is None:
                    found = client
                else:
                    keep.append(entry)
            self._idle = keep[::-1]
        for client in stale:
            await _quit(client)
        return found

    def _checkin(self, client: aiosmtplib.SMTP, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            if sum(1 for _, owner, _ in self._idle if owner is loop) < self.size:
                self._idle.append((client, loop, time.monotonic()))
                return
        client.close()


async def _quit(client: aiosmtplib.SMTP) -> None:
    if not client.is_connected:
        client.close()
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError):
        client.close()


async def _discard(client: aiosmtplib.SMTP, exc: BaseException) -> None:
    """Close a session that failed: QUIT when the server answered (an error reply), at once when it
    did not (a timeout, a lost connection) or the task was cancelled."""
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        await _quit(client)
    else:
        client.close()


def _abandon(client: aiosmtplib.SMTP, loop: asyncio.AbstractEventLoop) -> None:
    """Close a session of another loop from here: end the TCP connection, then let its loop (if it
    still runs) drop the transport."""
    transport = client.transport
    raw = transport.get_extra_info("socket") if transport is not None else None
    if raw is not None:
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)
    if not loop.is_closed():
        with contextlib.suppress(RuntimeError):  # closed meanwhile
            loop.call_soon_threadsafe(client.close)
