"""The process-wide runtime that ``Workflow.trigger()`` uses for local triggers.

It is the package's ``novu_framework.local_runtime`` entry point (see ``novu_framework.routing``). Its worker
thread stops before the interpreter's own shutdown: it first runs what is due (so a script that triggers
and exits still delivers its immediate steps), then lets in-flight runs finish, so no run stays claimed
and no late work meets an executor that is already shut down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading

from novu_framework.runtime.local import Runtime

logger = logging.getLogger("novu_framework.runtime")

_lock = threading.Lock()
_runtime: Runtime | None = None
_thread: threading.Thread | None = None
_stopper: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None


def default_runtime() -> Runtime:
    """The process-wide :class:`Runtime`.

    Its store is ``NOVU_RUNTIME_DB`` (a SQLite path or a ``postgresql://`` URL; default
    ``./.novu/runtime.sqlite3``). Workflows register themselves when triggered. Unless
    ``NOVU_RUNTIME_WORKER`` is ``0``/``false``/``off`` (when separate ``novu-framework worker`` processes
    do the work), a worker runs in a background thread of this process.
    """
    global _runtime
    with _lock:
        if _runtime is None:
            _runtime = Runtime(
                store=os.environ.get("NOVU_RUNTIME_DB") or os.path.join(".novu", "runtime.sqlite3")
            )
            if os.environ.get("NOVU_RUNTIME_WORKER", "1").strip().lower() not in ("0", "false", "off", "no"):
                _start_thread(_runtime)
        return _runtime


def set_default_runtime(runtime: Runtime | None) -> None:
    """Make ``runtime`` the one this module hands out (``novu_framework.routing`` can also be given one)."""
    global _runtime
    with _lock:
        _runtime = runtime


def shutdown_default_runtime() -> None:
    """Stop the default runtime's worker thread and close its store (a new one is made on next use)."""
    global _runtime, _thread, _stopper
    with _lock:
        runtime, thread, stopper = _runtime, _thread, _stopper
        _runtime = _thread = _stopper = None
    if stopper is not None:
        loop, stop = stopper
        with contextlib.suppress(RuntimeError):  # the loop already ended
            loop.call_soon_threadsafe(stop.set)
    if thread is not None:
        thread.join(timeout=30)
    if runtime is not None:
        asyncio.run(runtime.close())


def _start_thread(runtime: Runtime) -> None:
    global _thread, _stopper
    # Made here, not in the thread, so that a shutdown right after the start still finds its stopper.
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    _stopper = (loop, stop)

    async def serve() -> None:
        await runtime.ready()
        await runtime.worker.serve(stop)
        await runtime.run_until_idle()  # what became due meanwhile; waits stay for the next worker

    def main() -> None:
        try:
            loop.run_until_complete(serve())
        except Exception:  # pragma: no cover - logged for the developer; triggers stay stored
            logger.exception("the embedded runtime's worker stopped")
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    _thread = threading.Thread(target=main, name="novu-runtime-worker", daemon=True)
    _thread.start()
    _stop_before_interpreter_shutdown()
    logger.info("novu-framework: embedded runtime worker started (store: %r)", runtime.store)


_hooked = False


def _stop_before_interpreter_shutdown() -> None:
    """Stop the worker when the main thread ends, before ``concurrent.futures`` refuses new work.

    ``atexit`` runs too late: the interpreter shuts executors down first. ``threading._register_atexit``
    is the hook ``concurrent.futures`` itself uses; hooks run newest first, so this one runs before it.
    """
    global _hooked
    if _hooked:
        return
    register = getattr(threading, "_register_atexit", None)
    if register is None:  # pragma: no cover - every supported CPython has it
        import atexit

        atexit.register(shutdown_default_runtime)
    else:
        register(shutdown_default_runtime)
    _hooked = True
