"""The work budget of rendering one step's controls: time, loop iterations, characters, templates, nesting.

Step controls come from the dashboard and template data from end users, so a template is hostile input.
All the templates of one step share one :class:`RenderBudget`, created from :class:`RenderLimits` when
rendering starts; exceeding any limit raises :class:`RenderLimitError` naming the limit. Rendering runs
inline (on the event loop under ASGI), so the time limit is a deadline checked while rendering: between
templates, at every loop iteration, filter call and output write, and while parsing.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from novu_framework.templating.errors import TemplateCompileError

__all__ = [
    "RenderBudget",
    "RenderLimitError",
    "RenderLimits",
    "budget_scope",
    "current_budget",
    "default_render_limits",
    "end_budget",
    "start_budget",
]

_ENV_PREFIX = "NOVU_RENDER_"


@dataclass(frozen=True)
class RenderLimits:
    """Limits on rendering all the controls of one step (one ``execute`` or ``preview``).

    Each can be set here, or in the environment as ``NOVU_RENDER_<NAME>`` (``NOVU_RENDER_TIME_MS=80``);
    the defaults are far beyond what a notification renders.
    """

    time_ms: float = 25.0
    """Time for parsing and rendering every control of the step (the first half wall-clock, the rest CPU
    time of the rendering thread, so that a busy machine does not fail a render)."""
    loop_iterations: int = 100_000
    """``for`` / ``tablerow`` iterations, summed over every loop of every control."""
    output_chars: int = 4 * 1024 * 1024
    """Characters written by the step's templates, summed (outputs and ``capture`` blocks)."""
    string_chars: int = 4 * 1024 * 1024
    """Length of any single string a filter builds (``replace``, ``append``, ``join``, ``date`` padding...)."""
    templates: int = 1_000
    """Distinct templates compiled for one step (a template already cached costs nothing)."""
    nesting_depth: int = 32
    """Depth of parentheses and brackets inside one tag or output expression."""
    expression_chars: int = 8_192
    """Length of one tag or output expression (``{% if ... %}``, ``{{ ... }}``)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"RenderLimits.{item.name} must be a positive number, got {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RenderLimits:
        """Defaults overridden by ``NOVU_RENDER_<NAME>`` variables (``NOVU_RENDER_LOOP_ITERATIONS``)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            name = _ENV_PREFIX + item.name.upper()
            text = environ.get(name)
            if text is None:
                continue
            try:
                values[item.name] = float(text) if item.type == "float" else int(text)
            except ValueError:
                raise ValueError(f"{name}={text!r} is not a number") from None
        return cls(**values)


@functools.cache
def default_render_limits() -> RenderLimits:
    """The limits from the environment, read once per process."""
    return RenderLimits.from_env()


_UNITS = {
    "time_ms": "ms",
    "loop_iterations": "loop iterations",
    "output_chars": "characters of output",
    "string_chars": "characters in one string",
    "templates": "distinct templates",
    "nesting_depth": "levels of nested parentheses or brackets",
    "expression_chars": "characters in one expression",
}


class RenderLimitError(TemplateCompileError):
    """Rendering a step's controls went over one of its :class:`RenderLimits` (``name``: ``RenderLimitError``).

    ``limit`` is the field name (``"loop_iterations"``), ``maximum`` its value, ``control`` the JSON pointer
    of the control being rendered (filled in as the error leaves the controls).
    """

    def __init__(self, limit: str, maximum: float) -> None:
        self.limit = limit
        self.maximum = maximum
        self.control = ""
        super().__init__("RenderLimitError", self.describe())

    def describe(self) -> str:
        maximum = int(self.maximum) if float(self.maximum).is_integer() else self.maximum
        where = f"control `{self.control or '/'}`" if self.control else "the controls"
        env = _ENV_PREFIX + self.limit.upper()
        return (
            f"rendering {where} exceeded the render limit `{self.limit}` ({maximum} {_UNITS[self.limit]} "
            f"per step; raise it with RenderLimits({self.limit}=...) or {env})"
        )

    def inside(self, segment: str) -> RenderLimitError:
        """Prefix the control path with ``segment`` (a pointer segment such as ``/body``)."""
        self.control = segment + self.control
        self.message = self.describe()
        self.args = (self.message,)
        return self


class RenderBudget:
    """What is left of the :class:`RenderLimits` while one step's controls render."""

    __slots__ = ("counted", "cpu_mark", "deadline", "limits", "loops", "output", "templates")

    def __init__(self, limits: RenderLimits) -> None:
        self.restart(limits)

    def restart(self, limits: RenderLimits) -> None:
        """Start over with ``limits`` (one object is reused for each render of a thread)."""
        self.limits = limits
        # The first half of the time limit is wall-clock (a cheap clock read at each check); past it, the
        # rest is counted in this thread's CPU time, so a render preempted by a busy machine is not failed.
        self.deadline = time.perf_counter() + limits.time_ms / 2000
        self.counted = -1.0
        self.cpu_mark = 0.0
        self.loops = 0
        self.output = 0
        self.templates = 0

    def check_time(self) -> None:
        if time.perf_counter() > self.deadline:
            self._past_deadline()

    def _past_deadline(self) -> None:
        limit = self.limits.time_ms / 1000
        cpu = time.thread_time()
        if self.counted < 0:
            self.counted = limit / 2
        else:
            self.counted += cpu - self.cpu_mark
        self.cpu_mark = cpu
        if self.counted >= limit:
            raise RenderLimitError("time_ms", self.limits.time_ms)
        self.deadline = time.perf_counter() + (limit - self.counted)

    def charge_output(self, chars: int) -> None:
        self.output += chars
        if self.output > self.limits.output_chars:
            raise RenderLimitError("output_chars", self.limits.output_chars)
        if time.perf_counter() > self.deadline:
            self._past_deadline()

    def charge_loop(self, iterations: int) -> None:
        self.loops += iterations
        if self.loops > self.limits.loop_iterations:
            raise RenderLimitError("loop_iterations", self.limits.loop_iterations)

    def charge_template(self) -> None:
        self.templates += 1
        if self.templates > self.limits.templates:
            raise RenderLimitError("templates", self.limits.templates)
        self.check_time()

    def check_string(self, chars: int) -> None:
        if chars > self.limits.string_chars:
            raise RenderLimitError("string_chars", self.limits.string_chars)
        if time.perf_counter() > self.deadline:
            self._past_deadline()

    def check_expression(self, text: str) -> None:
        """An expression's length and the nesting depth of its parentheses and brackets."""
        if len(text) > self.limits.expression_chars:
            raise RenderLimitError("expression_chars", self.limits.expression_chars)
        if text.count("(") + text.count("[") <= self.limits.nesting_depth:
            return
        depth = 0
        quote = ""
        for char in text:
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char in "([":
                depth += 1
                if depth > self.limits.nesting_depth:
                    raise RenderLimitError("nesting_depth", self.limits.nesting_depth)
            elif char in ")]":
                depth -= 1


class _Current(threading.local):
    # Rendering never awaits, so the render in progress is a property of the thread.
    budget: RenderBudget | None = None
    spare: RenderBudget | None = None


_current = _Current()


def current_budget() -> RenderBudget | None:
    """The budget of the render in progress on this thread, if any."""
    return _current.budget


def start_budget(limits: RenderLimits | None = None) -> RenderBudget:
    """Start a render on this thread (none may be in progress); call :func:`end_budget` when it ends."""
    budget = _current.spare
    if budget is None:
        budget = _current.spare = RenderBudget(limits or default_render_limits())
    else:
        budget.restart(limits or default_render_limits())
    _current.budget = budget
    return budget


def end_budget() -> None:
    """End the render started by :func:`start_budget`."""
    _current.budget = None


@contextmanager
def budget_scope(limits: RenderLimits | None = None) -> Iterator[RenderBudget]:
    """Render under one budget: the current one if a render is in progress, else a new one."""
    budget = _current.budget
    if budget is not None:
        yield budget
        return
    budget = RenderBudget(limits or default_render_limits())
    _current.budget = budget
    try:
        yield budget
    finally:
        _current.budget = None
