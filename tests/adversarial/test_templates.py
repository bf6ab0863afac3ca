"""Hostile step controls through every adapter on real servers: a clear 400 naming the control and the
limit, never a hang, and other requests (health-checks) keep being answered while the worst one renders."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from .render_servers import (
    BACKENDS,
    assert_health_checks_answered_during,
    execute,
    running,
)

# Each would run for seconds, or build hundreds of megabytes, without a budget.
SIX_LOOPS = "{% for i in (1..200000) %}{% endfor %}" * 6
BUSY_LOOPS = "{% for i in (1..90000) %}{% if i > 5 and i < 3 or i == 7 %}{% endif %}{% endfor %}" * 6
DATE_PAD = "{{ 'now' | date: '%999999999d' }}"
DOUBLING = "{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}"
REPLACE_EMPTY = (
    "{% assign s = 'abcdefghij' | append: 'abcdefghij' %}" + "{% assign s = s | replace: '', s %}" * 8
)
RANGE_JOIN = "{{ (1..100000000) | join }}"
NESTED_PARENS = "{{ " + "(" * 2000 + "1..2" + ")" * 2000 + " }}"

CASES = [
    (SIX_LOOPS, "loop_iterations"),
    (BUSY_LOOPS, "time_ms"),
    (DATE_PAD, "string_chars"),
    # Building strings of megabytes takes time: on a slow run the clock may stop these first.
    (DOUBLING, ("string_chars", "time_ms")),
    (REPLACE_EMPTY, ("string_chars", "time_ms")),
    (RANGE_JOIN, "loop_iterations"),
    (NESTED_PARENS, "nesting_depth"),
]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from running(request.param)


@pytest.mark.parametrize(
    ("template", "limit"), CASES, ids=[limit if isinstance(limit, str) else limit[0] for _, limit in CASES]
)
def test_a_runaway_control_is_a_clear_400(server: str, template: str, limit: str | tuple[str, ...]) -> None:
    started = time.perf_counter()
    with httpx.Client(timeout=20) as http:
        response = execute(http, server, "adv-render", {"payload": {}, "controls": {"body": template}})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "StepControlCompilationFailedError"
    assert body["data"]["name"] == "RenderLimitError"
    assert body["data"]["control"] == "/body"
    stopped_by = body["data"]["limit"]
    assert stopped_by in ((limit,) if isinstance(limit, str) else limit), body["data"]
    assert f"control `/body` exceeded the render limit `{stopped_by}`" in body["message"]
    assert elapsed < 5


def test_thousands_of_distinct_templates_are_refused(server: str) -> None:
    unique = time.time_ns()
    controls = {f"k{index}": f"{{{{ {index} | plus: {unique} }}}}" for index in range(1_001)}
    with httpx.Client(timeout=20) as http:
        response = execute(
            http, server, "adv-render", {"payload": {}, "controls": {"body": "x", "subject": "y"}}
        )
        assert response.status_code == 200, response.text
        response = execute(http, server, "adv-render-many", {"payload": {}, "controls": controls})
    assert response.status_code == 400, response.text
    data = response.json()["data"]
    # Compiling a thousand templates takes longer than the time budget on most machines: either refuses.
    assert data["name"] == "RenderLimitError" and data["limit"] in ("templates", "time_ms"), data
    assert data["control"].startswith("/k")


def test_health_checks_are_answered_while_the_worst_template_renders(server: str) -> None:
    body = {"payload": {}, "controls": {"body": BUSY_LOOPS}}
    assert_health_checks_answered_during(server, "adv-render", body)
