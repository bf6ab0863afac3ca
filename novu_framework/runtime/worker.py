"""The worker: claims due runs under a lease and advances them, several at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid

from novu_framework.runtime.records import RunStatus
from novu_framework.runtime.runner import RunAdvancer, RunnerConfig
from novu_framework.runtime.store.base import Commit, RunState

logger = logging.getLogger("novu_framework.runtime")


def new_owner_id() -> str:
    """A worker identity unique across hosts and processes: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Runs due work from a store. ``concurrency`` runs are advanced at once in this event loop.

    Due runs are claimed in batches: once a batch is under way, the next claim waits until a quarter
    of the slots are free again (or nothing is left running), so that one claim serves many runs.
    """

    def __init__(self, config: RunnerConfig, *, concurrency: int = 32, poll_interval: float = 0.05) -> None:
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

    @property
    def _refill(self) -> int:
        return max(1, self.concurrency // 4)

    async def _advance(self, state: RunState, lease: str) -> None:
        config = self.config
        try:
            workflow = config.workflows.get(state.run.workflow_id)
            if workflow is None:
                if state.run.workflow_id not in self._unknown_logged:
                    self._unknown_logged.add(state.run.workflow_id)
                    logger.warning(
                        "workflow %r is not registered with this worker; its runs wait for a worker that "
                        "has it",
                        state.run.workflow_id,
                    )
                await config.store.commit(
                    Commit(
                        run_id=state.run.id,
                        owner=lease,
                        now=config.clock(),
                        lease_ms=config.lease_ms,
                        status=RunStatus.PENDING.value,
                        next_at=config.clock() + 5_000,
                    )
                )
                return
            await RunAdvancer(config, state, workflow, lease).advance()
        except Exception:  # one broken run must not stop the worker; its lease expires and it is retried
            logger.exception("run %s: unexpected error while advancing", state.run.id)
        finally:
            self.advanced += 1

    async def _batch(self, limit: int) -> tuple[list[asyncio.Task[None]], int | None]:
        """Claim and start up to ``limit`` due runs; also the earliest due time seen (None: none known)."""
        config = self.config
        due = await config.store.next_due()
        if due is None or due > config.clock():
            return [], due  # nothing due: no need to take the write lock
        # A token per claim, not per process: if this process claims a run again after its lease
        # expired, the task still working on the old claim can no longer commit.
        self._claims += 1
        lease = f"{config.owner}/{self._claims}"
        states = await config.store.claim_runs(lease, config.clock(), config.lease_ms, limit)
        return [asyncio.ensure_future(self._advance(state, lease)) for state in states], None

    async def run_until_idle(self) -> int:
        """Advance due runs until none is due now; returns how many run advances were made."""
        before = self.advanced
        running: set[asyncio.Task[None]] = set()
        while True:
            if len(running) < self.concurrency:
                started, _ = await self._batch(self.concurrency - len(running))
                running.update(started)
            if not running:
                return self.advanced - before
            done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()

    async def serve(self, stop: asyncio.Event) -> None:
        """Advance due runs until ``stop`` is set, sleeping until the next due time or a wake-up."""
        self._loop = asyncio.get_running_loop()
        wake = self._wake = asyncio.Event()
        running: set[asyncio.Task[None]] = set()

        def finished(task: asyncio.Task[None]) -> None:
            running.discard(task)
            if self.concurrency - len(running) >= self._refill or not running:
                wake.set()

        relay = asyncio.ensure_future(_set_when(stop, wake))
        try:
            while not stop.is_set():
                wake.clear()
                due: int | None = None
                if self.concurrency - len(running) >= self._refill or not running:
                    try:
                        started, due = await self._batch(self.concurrency - len(running))
                    except Exception:
                        logger.exception("worker: claiming due runs failed; retrying")
                        await asyncio.sleep(max(self.poll_interval, 0.5))
                        continue
                    for task in started:
                        running.add(task)
                        task.add_done_callback(finished)
                    if started:
                        continue  # claim again at once if there is room: more may be due
                # Sleep until the next run is due, new work is announced, or runs finish. A run
                # released meanwhile with an earlier due time is seen at the next poll.
                timeout = self.poll_interval
                if due is not None:
                    timeout = max(0.0, min(timeout, (due - self.config.clock()) / 1000))
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout)
        finally:
            relay.cancel()
            if running:
                await asyncio.gather(*running, return_exceptions=True)
            self._wake = None


async def _set_when(source: asyncio.Event, target: asyncio.Event) -> None:
    await source.wait()
    target.set()
