"""The render budget: each limit on its own, its error, its configuration, and what stays free."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from novu_framework import Client, RenderLimits
from novu_framework.templating import RenderLimitError, render_controls, render_string
from novu_framework.templating.limits import budget_scope

DATA: dict[str, Any] = {"payload": {"long": "x" * 1000, "items": list(range(50)), "name": "Ada"}}


def _limit_hit(controls: Any, limits: RenderLimits | None = None) -> RenderLimitError:
    with pytest.raises(RenderLimitError) as caught:
        render_controls(controls, DATA, limits)
    return caught.value


def test_loop_iterations_are_counted_over_every_loop_of_the_step() -> None:
    limits = RenderLimits(loop_iterations=1000)
    loop = "{% for i in (1..400) %}{% endfor %}"
    assert render_controls({"a": loop, "b": loop}, DATA, limits) == {"a": "", "b": ""}
    error = _limit_hit({"a": loop, "b": loop, "c": loop}, limits)
    assert (error.limit, error.control, error.maximum) == ("loop_iterations", "/c", 1000)


def test_nested_loops_count_every_inner_iteration() -> None:
    nested = "{% for i in (1..40) %}{% for j in (1..40) %}{% endfor %}{% endfor %}"
    assert render_string(nested, DATA, RenderLimits(loop_iterations=40 + 40 * 40)) == ""
    with pytest.raises(RenderLimitError):
        render_string(nested, DATA, RenderLimits(loop_iterations=40 + 40 * 40 - 1))


def test_a_range_used_as_an_array_counts_as_iterations() -> None:
    assert _limit_hit({"x": "{{ (1..100000000) | join }}"}).limit == "loop_iterations"
    assert _limit_hit({"x": "{{ (1..100000000) }}"}).limit == "loop_iterations"
    assert render_string("{{ (1..5) | join: '-' }}", DATA) == "1-2-3-4-5"


def test_output_is_counted_over_every_control_including_direct_templates() -> None:
    limits = RenderLimits(output_chars=2500)
    assert len(render_controls(["{{ payload.long }}"] * 2, DATA, limits)[1]) == 1000
    error = _limit_hit(["{{ payload.long }}"] * 3, limits)
    assert (error.limit, error.control) == ("output_chars", "/2")


def test_capture_counts_as_output() -> None:
    template = "{% for i in (1..100) %}{% capture c %}{{ payload.long }}{% endcapture %}{% endfor %}"
    assert _limit_hit({"x": template}, RenderLimits(output_chars=50_000)).limit == "output_chars"


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'now' | date: '%999999999d' }}",
        "{{ 'now' | date: '%99999999999999999999999d' }}",
        "{% assign s = 'ab' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
        "{{ payload.long | replace: 'x', payload.long }}",
        "{{ payload.long | replace: '', payload.long }}",
        "{{ payload.long | prepend: payload.long | prepend: payload.long | prepend: payload.long | append: payload.long }}",
        "{{ payload.items | join: payload.long }}",
    ],
)
def test_intermediate_strings_are_bounded_before_they_are_built(template: str) -> None:
    started = time.perf_counter()
    assert _limit_hit({"x": template}, RenderLimits(string_chars=3000)).limit == "string_chars"
    assert time.perf_counter() - started < 1


def test_strings_within_the_limit_are_built() -> None:
    assert render_string("{{ 'ab' | replace: '', '-' }}", DATA) == "a-b"
    assert render_string("{{ '2024-01-02' | date: '%5d' }}", DATA) == "00002"


def test_distinct_templates_compiled_per_step() -> None:
    controls = {
        f"k{index}": f"{{{{ payload.name | append: '{index}-{time.time_ns()}' }}}}" for index in range(30)
    }
    error = _limit_hit(controls, RenderLimits(templates=20))
    assert (error.limit, error.control) == ("templates", "/k20")
    # Compiled once, they are cached: rendering them again compiles nothing.
    first = dict(list(controls.items())[:20])
    render_controls(first, DATA, RenderLimits(templates=20))
    with budget_scope(RenderLimits(templates=1)) as budget:
        render_controls(first, DATA)
    assert budget.templates == 0


def test_nesting_depth_and_expression_length() -> None:
    nested = "{{ " + "(" * 40 + "1..2" + ")" * 40 + " }}"
    assert _limit_hit({"x": nested}).limit == "nesting_depth"
    assert (
        _limit_hit({"x": "{{ '" + "(" * 100 + "' }}"}, RenderLimits(expression_chars=50)).limit
        == "expression_chars"
    )
    # Parentheses inside a string literal are not nesting.
    assert render_string("{{ '" + "(" * 100 + "' | size }}", DATA) == "100"


def test_time_is_bounded_in_loops_without_output() -> None:
    busy = "{% for i in (1..99000) %}{% if i > 5 and i < 3 or i == 7 %}{% endif %}{% endfor %}" * 6
    started = time.perf_counter()
    error = _limit_hit({"body": busy}, RenderLimits(time_ms=20))
    assert error.limit == "time_ms"
    assert time.perf_counter() - started < 1


def test_time_is_bounded_while_parsing() -> None:
    huge = "<p>{{ payload.name | upcase }}</p>{% if x %}y{% endif %}" * 50_000 + f"{time.time_ns()}"
    started = time.perf_counter()
    assert _limit_hit({"body": huge}, RenderLimits(time_ms=20)).limit == "time_ms"
    assert time.perf_counter() - started < 1.5


def test_a_template_interrupted_by_the_budget_is_not_cached_as_broken() -> None:
    template = "{% for i in (1..10) %}{{ i }}{% endfor %}" * 30 + f"{time.time_ns()}"
    with pytest.raises(RenderLimitError):
        render_string(template, DATA, RenderLimits(time_ms=0.001))
    assert render_string(template, DATA).startswith("12345678910")


def test_the_error_names_the_control_and_says_how_to_raise_the_limit() -> None:
    error = _limit_hit(
        {"nested": {"list": ["ok", "{% for i in (1..5000) %}{% endfor %}"]}},
        RenderLimits(loop_iterations=100),
    )
    assert error.control == "/nested/list/1"
    assert str(error) == (
        "rendering control `/nested/list/1` exceeded the render limit `loop_iterations` (100 loop iterations "
        "per step; raise it with RenderLimits(loop_iterations=...) or NOVU_RENDER_LOOP_ITERATIONS)"
    )
    assert error.name == "RenderLimitError"
    assert (
        _limit_hit(
            {"a/b~c": "{% for i in (1..5000) %}{% endfor %}"}, RenderLimits(loop_iterations=100)
        ).control
        == "/a~1b~0c"
    )


def test_limits_from_the_environment() -> None:
    limits = RenderLimits.from_env({"NOVU_RENDER_TIME_MS": "80", "NOVU_RENDER_LOOP_ITERATIONS": "5"})
    assert (limits.time_ms, limits.loop_iterations, limits.output_chars) == (
        80.0,
        5,
        RenderLimits().output_chars,
    )
    with pytest.raises(ValueError, match="NOVU_RENDER_TEMPLATES='many' is not a number"):
        RenderLimits.from_env({"NOVU_RENDER_TEMPLATES": "many"})
    with pytest.raises(ValueError, match=r"RenderLimits\.loop_iterations must be a positive number"):
        RenderLimits(loop_iterations=0)


def test_the_client_carries_its_limits() -> None:
    limits = RenderLimits(loop_iterations=7)
    assert Client(secret_key="sk", render_limits=limits).render_limits is limits
    assert Client(secret_key="sk").render_limits == RenderLimits.from_env()


def test_a_normal_step_stays_far_below_every_default() -> None:
    controls = {
        "subject": "Welcome {{ payload.name | upcase }}",
        "body": "{% for item in payload.items %}<li>{{ item | plus: 1 }}</li>{% endfor %}{{ payload.long | truncate: 20 }}",
    }
    with budget_scope(RenderLimits()) as budget:
        render_controls(controls, DATA)
    assert budget.loops == 50
    assert budget.output < 1000


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=1200),
)
def test_the_iteration_budget_is_the_sum_of_the_loops(lengths: list[int], limit: int) -> None:
    controls = {f"c{index}": f"{{% for i in (1..{n}) %}}{{% endfor %}}" for index, n in enumerate(lengths)}
    total = sum(lengths)
    if total <= limit:
        assert render_controls(controls, DATA, RenderLimits(loop_iterations=limit)) == dict.fromkeys(
            controls, ""
        )
    else:
        assert _limit_hit(controls, RenderLimits(loop_iterations=limit)).limit == "loop_iterations"
