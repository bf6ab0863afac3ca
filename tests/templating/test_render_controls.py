"""render_controls / render_string: the structure of controls, errors, caching and translation markers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from novu_framework.templating import TemplateCompileError, render_controls, render_string
from novu_framework.templating import render as render_module
from novu_framework.templating.limits import budget_scope

CONTEXT: dict[str, Any] = {
    "payload": {"name": "Ada", "n": 5, "items": ["a", "b"], "text": "line1\nline2"},
    "subscriber": {"firstName": "Grace"},
    "context": None,
    "steps": {},
    "workflow": {"workflowId": "wf", "name": "WF", "tags": [], "severity": "none"},
}


def test_every_string_at_any_depth_is_rendered_and_other_values_are_kept() -> None:
    controls = {
        "subject": "Hi {{ payload.name }}",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "nested": {"deep": {"list": ["{{ payload.n }}", 7, None, ["{{ subscriber.firstName }}", False]]}},
        "empty": {},
        "none": [],
    }
    assert render_controls(controls, CONTEXT) == {
        "subject": "Hi Ada",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "nested": {"deep": {"list": ["5", 7, None, ["Grace", False]]}},
        "empty": {},
        "none": [],
    }


def test_returns_a_new_structure_and_leaves_the_input_alone() -> None:
    controls = {"a": ["{{ payload.name }}"], "b": {"c": "{{ payload.n }}"}}
    before = copy.deepcopy(controls)
    rendered = render_controls(controls, CONTEXT)
    assert controls == before
    assert rendered is not controls
    assert rendered["a"] is not controls["a"]
    rendered["b"]["c"] = "changed"
    assert controls["b"]["c"] == "{{ payload.n }}"


def test_object_keys_are_templates_too() -> None:
    assert render_controls({"{{ payload.name }}-key": "v", "plain": "w"}, CONTEXT) == {
        "Ada-key": "v",
        "plain": "w",
    }


def test_keys_rendering_to_the_same_text_keep_the_last_value() -> None:
    # As JSON.parse does with a repeated key in the reference's rendered document.
    rendered = render_controls({"{{ payload.name }}": 1, "Ada": 2}, CONTEXT)
    assert rendered == {"Ada": 2}


def test_top_level_scalars() -> None:
    assert render_controls("{{ payload.n | plus: 1 }}", CONTEXT) == "6"
    assert render_controls(42, CONTEXT) == 42
    assert render_controls(None, CONTEXT) is None


def test_newlines_of_values_stay_real_newlines() -> None:
    # D5: the reference escaped them for its JSON document; rendered value by value they are kept.
    assert render_string("{{ payload.text }}", CONTEXT) == "line1\nline2"
    assert render_string("{{ payload | json: 1 }}", {"payload": {"a": 1}}) == "{\n 'a': 1\n}"


def test_rendered_values_are_never_reparsed_as_json() -> None:
    # D5: quotes and backslashes in data come out exactly as they are.
    data = {"payload": {"s": 'a", "injected": "x \\ \\n end\\'}}
    assert render_controls({"v": "{{ payload.s }}"}, data) == {"v": 'a", "injected": "x \\ \\n end\\'}


def test_missing_context_keys_render_empty() -> None:
    assert render_string("[{{ payload.name }}|{{ steps.x.y }}|{{ nothing }}]", {}) == "[||]"


@pytest.mark.parametrize(
    ("template", "name"),
    [
        ("Hello {{ payload.reason", "TokenizationError"),
        ("{{ payload.name | }", "TokenizationError"),
        ("{% if payload.n > 1 %}no end", "ParseError"),
        ("{% unknown_tag %}", "ParseError"),
        ("{% endif %}", "ParseError"),
        ("{% for x %}{% endfor %}", "ParseError"),
        ("{{ payload.name | append }}", "RenderError"),
        ("{{ 'not base64!' | base64_decode }}", "RenderError"),
        ("{{ 1 | pluralize: 5 }}", "RenderError"),
    ],
)
def test_errors_carry_the_liquidjs_error_name(template: str, name: str) -> None:
    with pytest.raises(TemplateCompileError) as caught:
        render_string(template, CONTEXT)
    assert caught.value.name == name
    assert caught.value.message


def test_an_error_anywhere_in_the_controls_fails_the_whole_rendering() -> None:
    with pytest.raises(TemplateCompileError) as caught:
        render_controls({"ok": "{{ payload.name }}", "deep": [{"bad": "{% if %}"}]}, CONTEXT)
    assert caught.value.name == "TokenizationError"


def test_a_bad_key_fails_too() -> None:
    with pytest.raises(TemplateCompileError):
        render_controls({"{{ broken": "value"}, CONTEXT)


def test_a_cached_syntax_error_is_raised_every_time() -> None:
    for _ in range(3):
        with pytest.raises(TemplateCompileError) as caught:
            render_string("{{ cached.failure", CONTEXT)
        assert caught.value.name == "TokenizationError"


def test_templates_are_compiled_once() -> None:
    template = "Compiled once: {{ payload.name | upcase }} {% if payload.n %}{{ payload.n }}{% endif %}"
    render_string(template, CONTEXT)
    misses = render_module._compile.cache_info().misses
    controls = [template] * 5
    with budget_scope() as budget:
        for index in range(5):
            assert render_string(template, {"payload": {"name": f"x{index}", "n": index}}) == (
                f"Compiled once: X{index} " + (str(index) if index else "0")
            )
        render_controls(controls, CONTEXT)
    assert budget.templates == 0
    assert render_module._compile.cache_info().misses == misses


def test_text_without_liquid_is_returned_as_is() -> None:
    text = "Plain {text} with } and { and % and 100%"
    assert render_string(text, CONTEXT) is text


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ t.welcome }}", "{{t.welcome}}"),
        ("{{t.welcome}} {{  t.nested.key-1  }}", "{{t.welcome}} {{t.nested.key-1}}"),
        ("Liquid {{ payload.name }} and {{ t.ünïcode_2 }}", "Liquid Ada and {{t.ünïcode_2}}"),
        ("{{ 3 | pluralize: 't.apple', 't.apples' }}", "3 {{t.apples}}"),
        ("{{ 1 | pluralize: 't.apple', 't.apples' }}", "1 {{t.apple}}"),
        # Outside Liquid the reference rewrites a quoted key as well.
        ("Say 't.hello' to [T:raw]", "Say '{{t.hello}}' to {{t.raw}}"),
        # Not a bare marker: an ordinary (undefined) variable.
        ("[{{ t.key | upcase }}]", "[]"),
    ],
)
def test_translation_markers_survive(template: str, expected: str) -> None:
    assert render_string(template, CONTEXT) == expected


@given(
    st.text().filter(
        lambda text: "{{" not in text and "{%" not in text and "t." not in text and "[T:" not in text
    )
)
def test_any_text_without_liquid_or_markers_is_unchanged(text: str) -> None:
    assert render_string(text, CONTEXT) == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text("abcXYZ_-é 0", max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_controls_without_templates_come_back_equal(value: Any) -> None:
    assert render_controls(value, CONTEXT) == value


def test_big_integers_print_exactly() -> None:
    # D7: integers keep their exact value; other numbers print the JavaScript way.
    data = {"payload": {"big": 12345678901234567890, "f": 1e21, "small": 1e-7, "third": 0.1 + 0.2}}
    assert render_string(
        "{{ payload.big }}|{{ payload.f }}|{{ payload.small }}|{{ payload.third }}", data
    ) == ("12345678901234567890|1e+21|1e-7|0.30000000000000004")
    assert render_string("{{ payload }}", data) == (
        "{'big':12345678901234567890,'f':1e+21,'small':1e-7,'third':0.30000000000000004}"
    )


def test_size_counts_code_points_as_property_and_filter() -> None:
    # D8: the reference counted UTF-16 units (an emoji was 2).
    data = {"payload": {"s": "Zoë 😀 你好"}}
    assert render_string("{{ payload.s | size }} {{ payload.s.size }}", data) == "8 8"


def test_characters_beyond_the_basic_plane_are_never_split() -> None:
    data = {"payload": {"s": "😀ab👍"}}
    assert render_string("{{ payload.s | first }}{{ payload.s | last }}", data) == "😀👍"
    assert render_string("{{ payload.s | split: '' | join: '-' }}", data) == "😀-a-b-👍"
    assert render_string("{{ payload.s | slice: 0, 1 }}|{{ payload.s | truncate: 3, '' }}", data) == "😀|😀ab"
