"""Hostile payloads against schema patterns and formats through every adapter on real servers: a
validation error naming the field in bounded time, never a hang or a 500, and a threaded server keeps
answering while a pathological pattern is being matched."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from .render_servers import (
    BACKENDS,
    PATTERN,
    assert_health_checks_answered_during,
    execute,
    running,
)

EVIL = "a" * 40 + "b"  # ^(a|a)+$ takes 2**40 steps to reject it


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from running(request.param)


def _errors(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "ExecutionEventPayloadInvalidError"
    return list(body["data"])


def test_a_pathological_pattern_is_a_validation_error_at_the_field(server: str) -> None:
    started = time.perf_counter()
    with httpx.Client(timeout=20) as http:
        response = execute(http, server, "adv-regex", {"payload": {"code": EVIL}, "controls": {}})
    assert time.perf_counter() - started < 5
    [error] = _errors(response)
    assert error["path"] == "/code"
    assert error["message"].startswith(f'must match pattern "{PATTERN}" (gave up: matching took longer than')


def test_a_pathological_property_name_is_an_error_at_that_property(server: str) -> None:
    with httpx.Client(timeout=20) as http:
        response = execute(http, server, "adv-regex", {"payload": {"tags": {EVIL: "x"}}, "controls": {}})
    errors = _errors(response)
    assert {error["path"] for error in errors} == {f"/tags/{EVIL}"}
    assert all("gave up" in error["message"] for error in errors)


def test_many_pathological_values_share_one_time_limit(server: str) -> None:
    payload = {"code": EVIL, "tags": {EVIL + "a" * index: "x" for index in range(50)}}
    started = time.perf_counter()
    with httpx.Client(timeout=20) as http:
        response = execute(http, server, "adv-regex", {"payload": payload, "controls": {}})
    assert time.perf_counter() - started < 5
    assert _errors(response)


def test_a_long_url_is_checked_in_linear_time(server: str) -> None:
    value = "http://" + ":" * 1_000_000 + "\u3000"
    started = time.perf_counter()
    with httpx.Client(timeout=20) as http:
        bad = execute(http, server, "adv-regex", {"payload": {"site": value}, "controls": {}})
        good = execute(
            http, server, "adv-regex", {"payload": {"site": "https://example.com/a"}, "controls": {}}
        )
    assert time.perf_counter() - started < 10
    [error] = _errors(bad)
    assert error == {"path": "/site", "message": 'must match format "url"'}
    assert good.status_code == 200, good.text


def test_valid_payloads_still_pass(server: str) -> None:
    with httpx.Client(timeout=20) as http:
        response = execute(
            http, server, "adv-regex", {"payload": {"code": "aaaa", "tags": {"aa": "x"}}, "controls": {}}
        )
    assert response.status_code == 200, response.text


def test_health_checks_are_answered_while_patterns_are_matched(server: str) -> None:
    assert_health_checks_answered_during(server, "adv-regex", {"payload": {"code": EVIL}, "controls": {}})
