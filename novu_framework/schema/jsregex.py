"""Pattern searches bounded in time: JavaScript patterns (ajv's ``new RegExp(pattern, "u")``) on ``regex``.

Patterns come from schemas and values from end users, and a backtracking engine can take exponential time
(``^(a|a)+$``). So every search runs with a time limit (:func:`set_regex_timeout`, ``NOVU_REGEX_TIMEOUT_MS``)
shared by all the searches of one validation (:func:`regex_time_budget`), and raises
:class:`RegexTimeoutError` when it runs out. ``regex`` releases the GIL while it matches, so a long search
does not stall the other threads of a threaded server either. (No linear-time engine covers JavaScript's
lookarounds and back-references, which schemas use.) The pattern is first translated to Python's syntax
and semantics by :func:`novu_framework.js.regex.translate`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from novu_framework.js.regex import JsRegexError, translate

if TYPE_CHECKING:
    import regex

__all__ = [
    "JsPattern",
    "JsRegexError",
    "RegexTimeoutError",
    "compile_js_regex",
    "js_regex_search",
    "regex_time_budget",
    "regex_timeout",
    "set_regex_timeout",
]


class RegexTimeoutError(Exception):
    """A search ran out of the time allowed to the validation it is part of."""

    def __init__(self, pattern: str, timeout: float) -> None:
        self.pattern = pattern
        self.timeout = timeout
        super().__init__(f"pattern /{pattern}/ took longer than {timeout * 1000:g} ms")


def _timeout_from_env() -> float:
    text = os.environ.get("NOVU_REGEX_TIMEOUT_MS")
    if text is None:
        return 0.02
    try:
        value = float(text) / 1000
    except ValueError:
        raise ValueError(f"NOVU_REGEX_TIMEOUT_MS={text!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"NOVU_REGEX_TIMEOUT_MS={text!r} must be positive")
    return value


_timeout = _timeout_from_env()
_deadline: ContextVar[float | None] = ContextVar("novu_regex_deadline", default=None)


def regex_timeout() -> float:
    """Seconds all the pattern searches of one validation may take together (default 0.02)."""
    return _timeout


def set_regex_timeout(seconds: float) -> None:
    """Change :func:`regex_timeout` for the process (also read from ``NOVU_REGEX_TIMEOUT_MS`` at import)."""
    global _timeout
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
        raise ValueError(f"the regex timeout must be a positive number of seconds, got {seconds!r}")
    _timeout = float(seconds)


@contextmanager
def regex_time_budget() -> Iterator[None]:
    """Share one :func:`regex_timeout` between every search made inside (one validation)."""
    if _deadline.get() is not None:
        yield
        return
    token = _deadline.set(time.perf_counter() + _timeout)
    try:
        yield
    finally:
        _deadline.reset(token)


class JsPattern:
    """A compiled JavaScript pattern whose searches are bounded in time."""

    __slots__ = ("compiled", "pattern")

    def __init__(self, pattern: str, compiled: regex.Pattern[str]) -> None:
        self.pattern = pattern
        self.compiled = compiled

    def search(self, text: str) -> regex.Match[str] | None:
        """``compiled.search(text)``; raises :class:`RegexTimeoutError` when the time allowed runs out."""
        deadline = _deadline.get()
        timeout = _timeout if deadline is None else deadline - time.perf_counter()
        if timeout <= 0:
            raise RegexTimeoutError(self.pattern, _timeout)
        try:
            return self.compiled.search(text, timeout=timeout)
        except TimeoutError:
            raise RegexTimeoutError(self.pattern, _timeout) from None


_cache: dict[tuple[str, bool], JsPattern] = {}


def compile_js_regex(pattern: str, *, unicode: bool = True) -> JsPattern:
    """Compile a JavaScript pattern; raises :class:`JsRegexError` when it cannot be used."""
    key = (pattern, unicode)
    compiled = _cache.get(key)
    if compiled is None:
        source = translate(pattern, unicode=unicode)
        import regex  # loaded with the first pattern: most bridges never compile one

        try:
            compiled = JsPattern(pattern, regex.compile(source))
        except (regex.error, OverflowError, RecursionError, ValueError) as exc:
            flag = "u" if unicode else ""
            raise JsRegexError(f"Invalid regular expression: /{pattern}/{flag}: {exc}") from exc
        _cache[key] = compiled
    return compiled


def js_regex_search(pattern: str) -> Callable[[str], bool]:
    """A predicate equivalent to JavaScript ``new RegExp(pattern, "u").test(value)``."""
    search = compile_js_regex(pattern).search
    return lambda value: search(value) is not None
