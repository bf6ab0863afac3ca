"""Pattern searches bounded in time, Unicode property escapes, and formats that stay linear."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from novu_framework.js.regex import translate
from novu_framework.schema import compile_schema, jsregex
from novu_framework.schema.formats import FORMATS
from novu_framework.schema.jsregex import (
    RegexTimeoutError,
    compile_js_regex,
    regex_time_budget,
    set_regex_timeout,
)

EVIL = "a" * 40 + "b"


@pytest.fixture
def timeout() -> Iterator[None]:
    before = jsregex.regex_timeout()
    yield
    set_regex_timeout(before)


def test_a_runaway_search_times_out() -> None:
    started = time.perf_counter()
    with pytest.raises(RegexTimeoutError) as caught:
        compile_js_regex("^(a|a)+$").search(EVIL)
    assert time.perf_counter() - started < 1
    assert caught.value.pattern == "^(a|a)+$"


def test_a_pattern_timeout_is_a_validation_error_at_the_field() -> None:
    schema = compile_schema(
        {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(a|a)+$"}}}
    )
    result = schema.validate({"code": EVIL})
    assert not result.ok
    [error] = result.errors
    assert error["path"] == "/code"
    assert error["message"] == (
        'must match pattern "^(a|a)+$" (gave up: matching took longer than 20 ms; see NOVU_REGEX_TIMEOUT_MS)'
    )
    assert schema.validate({"code": "aaaa"}).ok


def test_property_name_timeouts_name_the_property() -> None:
    pattern_properties = compile_schema(
        {"type": "object", "patternProperties": {"^(a|a)+$": {"type": "string"}}}
    )
    [error] = pattern_properties.validate({EVIL: "x"}).errors
    assert error["path"] == "/" + EVIL
    additional = compile_schema(
        {"type": "object", "patternProperties": {"^(a|a)+$": {}}, "additionalProperties": {"type": "number"}}
    )
    errors = additional.validate({EVIL: 1}).errors
    assert errors and all(error["path"] == "/" + EVIL and "gave up" in error["message"] for error in errors)


def test_every_search_of_one_validation_shares_the_time_limit() -> None:
    items = {"type": "array", "items": {"type": "string", "pattern": "^(a|a)+$"}}
    schema = compile_schema({"type": "object", "properties": {"codes": items}})
    started = time.perf_counter()
    result = schema.validate({"codes": [EVIL] * 200})
    assert time.perf_counter() - started < 2  # 200 searches of 20 ms each would take 4 s
    assert len(result.errors) >= 1


def test_the_timeout_is_configurable(timeout: None) -> None:
    set_regex_timeout(0.001)
    started = time.perf_counter()
    with pytest.raises(RegexTimeoutError) as caught:
        compile_js_regex("^(a|a)+$").search(EVIL)
    assert caught.value.timeout == 0.001
    assert time.perf_counter() - started < 0.5
    with pytest.raises(ValueError, match="positive"):
        set_regex_timeout(0)


def test_the_budget_runs_out_for_later_searches() -> None:
    pattern = compile_js_regex("^(a|a)+$")
    with regex_time_budget():
        with pytest.raises(RegexTimeoutError):
            pattern.search(EVIL)
        with pytest.raises(RegexTimeoutError):
            compile_js_regex("^x$").search("x")
    assert compile_js_regex("^x$").search("x")


def _progress_while(search: Callable[[], object]) -> tuple[int, float]:
    """Loop iterations this thread makes while ``search`` runs in another thread, and how long it ran."""
    finished = threading.Event()

    def run() -> None:
        with contextlib.suppress(RegexTimeoutError):
            search()
        finished.set()

    worker = threading.Thread(target=run)
    started = time.perf_counter()
    worker.start()
    count = 0
    while not finished.is_set():
        count += 1
    worker.join()
    return count, time.perf_counter() - started


def test_a_long_search_does_not_hold_the_gil(timeout: None) -> None:
    set_regex_timeout(0.3)
    pattern = compile_js_regex("^(a|a)+$")
    ours, ours_time = _progress_while(lambda: pattern.search(EVIL))
    # The standard library's engine holds the GIL: this thread barely moves while it backtracks.
    held, held_time = _progress_while(lambda: re.search("^(a|a)+$", "a" * 21 + "b"))
    assert ours / ours_time > 3 * (held / held_time), (ours, ours_time, held, held_time)


@pytest.mark.parametrize(
    ("pattern", "matching", "other"),
    [
        ("^\\p{L}+$", "Ωmega", "a1"),
        ("^\\p{Lu}", "Édith", "édith"),
        ("^\\p{Script=Greek}+$", "αβγ", "abc"),
        ("^[\\p{N}_]+$", "12_٣", "1a"),
        ("^\\P{L}+$", "123", "a"),
    ],
)
def test_unicode_property_escapes(pattern: str, matching: str, other: str) -> None:
    compiled = compile_js_regex(pattern)
    assert compiled.search(matching)
    assert not compiled.search(other)


# ajv-formats 2.1.1's ``url`` (dist/formats.js), flags ``iu``: backtracking, cubic in the length of its input.
AJV_FORMATS_URL = (
    r"^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})"
    r"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}"
    r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)"
    r"(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?"
    r"(?:\/[^\s]*)?$"
)
AJV_URL = regex.compile(translate(AJV_FORMATS_URL), regex.IGNORECASE)


@settings(max_examples=2000, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "ftp://", "HTTP://", "http:/", "mailto:", ""]),
    st.lists(st.sampled_from([*"ab1.-@:/xé?#%", "\u3000", " ", "192.", "10.", "255"]), max_size=12).map(
        "".join
    ),
)
def test_the_linear_url_check_agrees_with_ajv_formats(scheme: str, rest: str) -> None:
    value = scheme + rest
    assert FORMATS["url"].validate(value) == (AJV_URL.search(value) is not None)  # type: ignore[misc]


@pytest.mark.parametrize("piece", [":", "@", "a.", "a@", "@h/", "a-", "1."])
def test_the_url_check_is_linear(piece: str) -> None:
    check = FORMATS["url"].validate
    assert check is not None

    def cost(size: int) -> float:
        value = "http://" + piece * (size // len(piece)) + "\u3000!"
        started = time.perf_counter()
        check(value)
        return time.perf_counter() - started

    small, large = min(cost(20_000) for _ in range(3)), min(cost(160_000) for _ in range(3))
    assert large < 40 * small + 0.02, (small, large)  # 8x the input; quadratic would be 64x
