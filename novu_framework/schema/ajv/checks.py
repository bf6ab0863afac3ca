"""Compiled checks and their errors: how ajv's generated code reports errors and runs keywords in order.

A check takes the data and returns ``None`` when it is valid, else a tuple of ``(instancePath, message)``
errors (ajv's ``lib/compile/errors.ts`` builds the same two fields). In first-error mode a sequence of
checks stops at the first one that fails, as ajv's generated code does with ``if (errors === 0)`` guards;
in all-errors mode every check runs and the errors add up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from novu_framework.schema.pointer import pointer_segment

__all__ = [
    "Check",
    "Errors",
    "chain",
    "check_each",
    "error",
    "only_type",
    "prefix",
    "sequence",
    "type_only_check",
]

Errors = tuple[tuple[str, str], ...]
Check = Callable[[Any], "Errors | None"]


def error(message: str) -> Errors:
    """One error at the data itself."""
    return (("", message),)


def prefix(errors: Errors, segment: str) -> Errors:
    """``errors`` of a child, moved under the child's pointer ``segment``."""
    return tuple((segment + path, message) for path, message in errors)


def sequence(checks: Sequence[Check | None], all_errors: bool) -> Check | None:
    """The checks one after the other (``None`` entries skipped); ``None`` when nothing is left to check."""
    steps = tuple(c for c in checks if c is not None)
    if not all_errors:
        return chain(steps)
    if len(steps) <= 1:
        return steps[0] if steps else None

    def run_all(data: Any) -> Errors | None:
        out: Errors = ()
        for step in steps:
            errors = step(data)
            if errors:
                out += errors
        return out or None

    return run_all


def chain(steps: Sequence[Check]) -> Check | None:
    """First-error sequence: the first step that fails ends it."""
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2:
        first, second = steps

        def run_two(data: Any) -> Errors | None:
            return first(data) or second(data)

        return run_two
    table = tuple(steps)

    def run(data: Any) -> Errors | None:
        for step in table:
            errors = step(data)
            if errors:
                return errors
        return None

    return run


def check_each(sub: Check, keys: Callable[[Any], Iterable[str | int]], all_errors: bool) -> Check:
    """``sub`` on ``data[key]`` for each key that ``keys(data)`` gives (lazily, in order), each child's errors
    under its pointer segment: the first failing child's in first-error mode, every child's otherwise."""

    def run(data: Any) -> Errors | None:
        collected: Errors = ()
        for key in keys(data):
            errors = sub(data[key])
            if errors:
                prefixed = prefix(errors, pointer_segment(key))
                if not all_errors:
                    return prefixed
                collected += prefixed
        return collected or None

    return run


def type_only_check(cls: type, type_error: Errors) -> Check:
    """A check that only tests ``isinstance(data, cls)``; :func:`only_type` recognizes it."""

    def run(data: Any) -> Errors | None:
        return None if isinstance(data, cls) else type_error

    run.only_type = (cls, type_error)  # type: ignore[attr-defined]
    return run


def only_type(check: Check) -> tuple[type, Errors] | None:
    """The class and error of a :func:`type_only_check` (array items of one class are then tested in one
    loop, without a call per item), else ``None``."""
    found: tuple[type, Errors] | None = getattr(check, "only_type", None)
    return found
