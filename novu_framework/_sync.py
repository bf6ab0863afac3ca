"""The one bridge from sync code to the async engine: a guard and a runner, used by every ``*_sync`` entry.

* :func:`ensure_not_on_loop` refuses a call made from a thread that runs an event loop (it would block
  that loop, or deadlock waiting on it) with :class:`~novu_framework.errors.BlockingCallInEventLoopError`.
* :func:`run_blocking` runs a coroutine to its end on the calling thread's own event loop, made on first
  use and kept for the thread (closed with it, or by :func:`close_thread_loop`).

Why our own rather than ``asyncio.run``/``anyio.run`` (a new loop per call) or asgiref's
``async_to_sync`` (a hop to another thread): ``handle_sync`` answers every WSGI request through here, and
most requests never wait. The coroutine runs in a real task (so ``asyncio.timeout``, anyio cancel scopes
and httpx work in it), but that task's first step is run in place rather than by a turn of the loop; only
a coroutine that does wait is handed to ``run_until_complete``. A loop turn costs tens of µs, a third of a
WSGI request's engine time.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from novu_framework.errors import BlockingCallInEventLoopError

T = TypeVar("T")

_running_loop = asyncio._get_running_loop  # the C getter: no exception raised when there is none
_set_running_loop = asyncio._set_running_loop
_local = threading.local()


def on_event_loop() -> bool:
    """Whether the calling thread runs an event loop right now."""
    return _running_loop() is not None


def on_thread_loop() -> bool:
    """Whether the loop running now is the calling thread's own, i.e. the caller runs under :func:`run_blocking`."""
    holder: _ThreadLoop | None = getattr(_local, "holder", None)
    return holder is not None and _running_loop() is holder.loop


def ensure_not_on_loop(what: str, instead: str) -> None:
    """Raise :class:`BlockingCallInEventLoopError` when called from a thread that runs an event loop.

    ``what`` is the blocking call (``"Workflow.trigger_sync"``), ``instead`` the coroutine method to
    await there (``"Workflow.trigger"``).
    """
    if _running_loop() is not None:
        raise BlockingCallInEventLoopError(what, instead)


class _ThreadLoop:
    """One thread's event loop, closed when the thread ends (its thread-local goes)."""

    def __init__(self) -> None:
        # The standard library's loop whatever policy the application installed (uvloop's, say):
        # the fast path below steps its ready queue, and this loop never serves a socket.
        self.loop = asyncio.DefaultEventLoopPolicy().new_event_loop()
        # Where the loop keeps its ready callbacks; ``None`` would only take the slower path.
        self.ready: Any = getattr(self.loop, "_ready", None)

    def close(self) -> None:
        loop = self.loop
        if loop.is_closed():
            return
        try:
            left = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in left:
                task.cancel()
            if left:
                loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()

    def __del__(self) -> None:
        # Collected while the interpreter goes, or on a thread that runs another loop (garbage is
        # collected wherever it happens to be): nothing can run on this loop any more, only close it.
        if sys.is_finalizing() or _running_loop() is not None:
            self.loop.close()
            return
        self.close()


def _thread_loop() -> _ThreadLoop:
    holder: _ThreadLoop | None = getattr(_local, "holder", None)
    if holder is None or holder.loop.is_closed():
        holder = _local.holder = _ThreadLoop()
    return holder


def run_blocking(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end on the calling thread's event loop and return its result.

    The caller has checked with :func:`ensure_not_on_loop` that the thread runs no loop (``run_blocking``
    closes the coroutine and raises ``RuntimeError`` if it does). The coroutine runs in a task; its first
    step runs at once, in place, and the loop is only run if it waits. Interrupted while it waits
    (``KeyboardInterrupt``), the task is cancelled and let finish its clean-up before the interrupt
    goes on.
    """
    if _running_loop() is not None:
        coroutine.close()
        raise RuntimeError("run_blocking() was called from a running event loop")
    holder = _thread_loop()
    loop, ready = holder.loop, holder.ready
    before = -1 if ready is None else len(ready)
    task = asyncio.Task(coroutine, loop=loop)
    if before >= 0 and len(ready) == before + 1:
        handle = ready.pop()  # the task's first step, just scheduled: run it now
        _set_running_loop(loop)
        try:
            handle._run()
        finally:
            _set_running_loop(None)
        if task.done():
            return task.result()
    try:
        return loop.run_until_complete(task)
    except BaseException:
        if not task.done():
            task.cancel()
            loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        raise


def close_thread_loop() -> None:
    """Close the calling thread's event loop, if it has one: tasks left on it are cancelled and let
    finish first. The next :func:`run_blocking` on this thread makes a new one."""
    holder: _ThreadLoop | None = getattr(_local, "holder", None)
    if holder is not None:
        del _local.holder
        holder.close()
