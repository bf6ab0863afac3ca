"""Calling the user's functions: sync or async, with the arguments they ask for."""

from __future__ import annotations

import contextvars
import functools
import inspect
import textwrap
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import anyio.from_thread
import anyio.to_thread

T = TypeVar("T")

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


async def call_user(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a user function from async code: await it if async, else run it in a worker thread.

    On a thread that may block anyway (``BLOCKING_ALLOWED``), a sync function is called in place.
    """
    if is_async_callable(fn):
        return await fn(*args)
    if BLOCKING_ALLOWED.get():
        result = fn(*args)
    else:
        result = await anyio.to_thread.run_sync(functools.partial(fn, *args))
    if inspect.isawaitable(result):
        return await result
    return result


async def call_user_from_worker_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a user function from a worker thread (a ``def`` handler's): sync inline, async on the loop.

    Never suspends, so the step coroutine of a ``def`` handler can be driven with :func:`drive`.
    """
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
