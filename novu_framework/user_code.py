"""Calling the user's functions: sync or async, with the arguments they ask for."""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import textwrap
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar, TypeVar

import anyio.from_thread
import anyio.to_thread

T = TypeVar("T")

logger = logging.getLogger("novu_framework")

SYNC_CALL_BUDGET_MS = 20.0
"""How long a sync user function may run in place on the event loop before it is reported."""

BLOCKING_ALLOWED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "novu_blocking_allowed", default=False
)
"""True while the engine runs on a thread that may block (a WSGI worker via ``handle_sync``)."""

HANDLER_ARGUMENTS = ("step", "payload", "subscriber", "environment", "controls", "context")


def is_async_callable(fn: Any) -> bool:
    """True for ``async def`` functions, including ones wrapped by ``functools.partial`` or a class."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(type(fn).__call__)


class CallSite:
    """Where a user function runs (workflow, step, role), for the once-per-site slow-call warning."""

    __slots__ = ("role", "step_id", "workflow_id")

    _reported: ClassVar[set[tuple[str, str, str]]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, workflow_id: str, step_id: str | None, role: str) -> None:
        self.workflow_id = workflow_id
        self.step_id = step_id
        self.role = role

    def report_blocking(self, elapsed_ms: float) -> None:
        """Log a warning the first time this site's sync function overruns the budget."""
        key = (self.workflow_id, self.step_id or "", self.role)
        with self._lock:
            if key in self._reported:
                return
            self._reported.add(key)
        where = f"of step {self.step_id!r} " if self.step_id else ""
        logger.warning(
            "novu-framework: the sync %s %sin workflow %r blocked the event loop for %.1f ms "
            "(budget %.0f ms); make it `async def`, or pass offload=True to the step or the workflow "
            "to run it in a worker thread",
            self.role,
            where,
            self.workflow_id,
            elapsed_ms,
            SYNC_CALL_BUDGET_MS,
        )


def _call_in_place(fn: Callable[..., Any], args: tuple[Any, ...], site: CallSite | None) -> Any:
    """Call a sync user function on this thread; one that overruns the budget is reported for ``site``
    (unless the thread may block)."""
    started = time.perf_counter()
    result = fn(*args)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if elapsed_ms > SYNC_CALL_BUDGET_MS and site is not None and not BLOCKING_ALLOWED.get():
        site.report_blocking(elapsed_ms)
    return result


async def call_user(
    fn: Callable[..., Any], *args: Any, offload: bool = False, site: CallSite | None = None
) -> Any:
    """Call a user function from async code.

    ``async def`` functions are awaited. A sync function is called in place, like any other call
    (the cost of a call, not of a thread hop); one that runs longer than ``SYNC_CALL_BUDGET_MS``
    is reported once per ``site``. With ``offload`` it runs in a worker thread instead, unless the
    calling thread may block anyway (``BLOCKING_ALLOWED``, a WSGI worker).
    """
    if is_async_callable(fn):
        return await fn(*args)
    if offload and not BLOCKING_ALLOWED.get():
        result = await anyio.to_thread.run_sync(functools.partial(fn, *args))
    else:
        result = _call_in_place(fn, args, site)
    if inspect.isawaitable(result):
        return await result
    return result


SYNC_HANDLER_IN_PLACE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "novu_sync_handler_in_place", default=False
)
"""True while a ``def`` handler runs in place on the event loop's thread (not in a worker thread)."""


class NeedsWorkerThread(BaseException):
    """A ``def`` handler running in place met a function it can only call from a worker thread.

    A ``BaseException``, so a handler's ``except Exception`` cannot stop it; the handler is run
    again in a worker thread.
    """


async def call_user_from_sync_handler(
    fn: Callable[..., Any], *args: Any, offload: bool = False, site: CallSite | None = None
) -> Any:
    """Call a user function of a ``def`` handler's step: sync in place, async on the event loop.

    Never suspends, so the step coroutine of a ``def`` handler can be driven with :func:`drive`.
    In place on the event loop's thread (``SYNC_HANDLER_IN_PLACE``) an ``async def`` or offloaded
    function raises :class:`NeedsWorkerThread` before it is called; from a worker thread it is run
    on the event loop and waited for, and a sync one past the budget is reported like in
    :func:`call_user`.
    """
    if SYNC_HANDLER_IN_PLACE.get():
        if is_async_callable(fn) or (offload and not BLOCKING_ALLOWED.get()):
            raise NeedsWorkerThread()
        result = _call_in_place(fn, args, site)
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise NeedsWorkerThread()
        return result
    if is_async_callable(fn):
        return anyio.from_thread.run(functools.partial(fn, *args))
    result = fn(*args)
    if inspect.isawaitable(result):
        return anyio.from_thread.run(_await, result)
    return result


async def _await(awaitable: Any) -> Any:
    return await awaitable


def drive(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends to completion, synchronously."""
    try:
        coroutine.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a step of a def workflow handler suspended; this is a bug in novu-framework")


def source_of(fn: Any) -> str:
    """The Python source of ``fn`` for discover's ``code`` fields, or ``""`` when unavailable."""
    if fn is None or isinstance(fn, (dict, BaseException)):
        return ""
    try:
        return textwrap.dedent(inspect.getsource(fn)).strip()
    except (OSError, TypeError):
        return ""


def handler_parameters(handler: Callable[..., Any], workflow_id: str) -> tuple[tuple[str, ...], bool]:
    """The argument names a workflow handler asks for, and whether it takes ``**kwargs``.

    Raises ``TypeError`` naming the parameter when the handler asks for something the framework
    cannot give (it would otherwise fail on the first request).
    """
    signature = inspect.signature(handler)
    names: list[str] = []
    var_kw = False
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            var_kw = True
        elif param.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        elif param.name in HANDLER_ARGUMENTS:
            if param.kind is inspect.Parameter.POSITIONAL_ONLY:
                raise TypeError(
                    f"workflow {workflow_id!r}: parameter {param.name!r} of the handler must not be "
                    "positional-only; the framework passes arguments by name"
                )
            names.append(param.name)
        elif param.default is inspect.Parameter.empty:
            raise TypeError(
                f"workflow {workflow_id!r}: the handler asks for {param.name!r}, "
                "which the framework does not "
                f"provide; a workflow handler may take any of {', '.join(HANDLER_ARGUMENTS)}"
            )
    return tuple(HANDLER_ARGUMENTS if var_kw else names), var_kw


def annotation_of(handler: Callable[..., Any], name: str) -> Any:
    """The resolved type annotation of one handler parameter, or ``None``."""
    try:
        hints = inspect.get_annotations(handler, eval_str=True)
    except Exception:  # an unresolvable forward reference must not break definition
        hints = getattr(handler, "__annotations__", {})
    return hints.get(name)
