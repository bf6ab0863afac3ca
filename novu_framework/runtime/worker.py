"""The worker: claims due runs under a lease and advances them, several at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from typing import Any

from novu_framework.runtime.records import RunStatus
from novu_framework.runtime.runner import RunAdvancer, RunnerConfig
from novu_framework.runtime.store.base import Commit

logger = logging.getLogger("novu_framework.runtime")


def new_owner_id() -> str:
    """A worker identity unique across hosts and processes: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Runs due work from a store. ``concurrency`` runs are advanced at once in this event loop."""

    def __init__(self, config: RunnerConfig, *, concurrency: int = 32, poll_interval: float = 0.5) -> None:
        self.config = config
        self.concurrency = concurrency
        self.poll_interval = poll_interval
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unknown_logged: set[str] = set()
        self.advanced = 0
        self._claims = 0

    def wake(self) -> None:
        """Tell a sleeping worker that new work arrived (safe from any thread)."""
        loop, event = self._loop, self._wake
        # An event already set needs no second wake-up: serve() clears it before it claims.
        if loop is not None and event is not None and not event.is_set() and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
                loop.call_soon_threadsafe(event.set)

    async def _advance(self, run_id: str, lease: str) -> None:
        c = self.config
        try:
            state = await c.store.load(run_id)
            if state is None:
                return
            workflow = c.workflows.get(state.run.workflow_id)
            if workflow is None:
                if state.run.workflow_id not in self._unknown_logged:
                    self._unknown_logged.add(state.run.workflow_id)
                    logger.warning(
                        "workflow %r is not registered with this worker; its runs wait for a worker that "
                        "has it",
                        state.run.workflow_id,
                    )
                await c.store.commit(
                    Commit(
                        run_id=run_id,
                        owner=lease,
                        now=c.clock(),
                        lease_ms=c.lease_ms,
                        status=RunStatus.PENDING.value,
                        next_at=c.clock() + 5_000,
                    )
                )
                return
            await RunAdvancer(c, state, workflow, lease).advance()
        except Exception:  # one broken run must not stop the worker; its lease expires and it is retried
            logger.exception("run %s: unexpected error while advancing", run_id)
        finally:
            self.advanced += 1

    async def _batch(self, limit: int) -> list[asyncio.Task[None]]:
        c = self.config
        due = await c.store.next_due()
        if due is None or due > c.clock():
            return []  # nothing due: no need to take the write lock
        # A token per claim, not per process: if this process claims a run again after its lease
        # expired, the task still working on the old claim can no longer commit.
        self._claims += 1
        lease = f"{c.owner}/{self._claims}"
        ids = await c.store.claim(lease, c.clock(), c.lease_ms, limit)
        return [asyncio.ensure_future(self._advance(run_id, lease)) for run_id in ids]

    async def run_until_idle(self) -> int:
        """Advance due runs until none is due now; returns how many run advances were made."""
        before = self.advanced
        running: set[asyncio.Task[None]] = set()
        while True:
            if len(running) < self.concurrency:
                running.update(await self._batch(self.concurrency - len(running)))
            if not running:
                return self.advanced - before
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()

    async def serve(self, stop: asyncio.Event) -> None:
        """Advance due runs until ``stop`` is set, sleeping until the next due time or a wake-up."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        running: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                self._wake.clear()
                if len(running) < self.concurrency:
                    try:
                        running.update(await self._batch(self.concurrency - len(running)))
                    except Exception:
                        logger.exception("worker: claiming due runs failed; retrying")
                        await asyncio.sleep(self.poll_interval)
                if running and len(running) >= self.concurrency:
                    _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    continue
                timeout = await self._sleep_for()
                waiters: set[asyncio.Future[Any]] = {
                    asyncio.ensure_future(self._wake.wait()),
                    asyncio.ensure_future(stop.wait()),
                    *running,
                }
                _done, _ = await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                for waiter in waiters:
                    if waiter not in running and not waiter.done():
                        waiter.cancel()
                running = {t for t in running if not t.done()}
        finally:
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            self._wake = None

    async def _sleep_for(self) -> float:
        try:
            due = await self.config.store.next_due()
        except Exception:
            return self.poll_interval
        if due is None:
            return self.poll_interval
        return max(0.0, min(self.poll_interval, (due - self.config.clock()) / 1000))
