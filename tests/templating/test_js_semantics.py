"""JavaScript value semantics used by the templates (expected values are what Node prints)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from novu_framework.templating import js


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        (" 42 \n", 42),
        ("", 0),
        ("   ", 0),
        ("-1.5", -1.5),
        (".5", 0.5),
        ("5.", 5),
        ("1e3", 1000),
        ("-Infinity", -math.inf),
        ("0x1A", 26),
        ("0b101", 5),
        ("0o17", 15),
        ("\u00a012\u3000", 12),
    ],
)
def test_string_to_number(text: str, expected: float) -> None:
    assert js.string_to_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1_000", "inf", "nan", "1e", "--1", "0x", "-0x10", "1 2", "12px"])
def test_string_to_number_rejects_what_javascript_rejects(text: str) -> None:
    assert math.isnan(js.string_to_number(text))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        (js.UNDEFINED, 0),
        (True, 1),
        ("  7 ", 7),
        ("x", 0),
        ([], 0),
        ([5], 5),
        ([1, 2], 0),
        ({}, 0),
        (-0.0, 0),
    ],
)
def test_to_number_or_zero(value: Any, expected: float) -> None:
    assert js.to_number_or_zero(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (2.5, "2.5"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (0.1 + 0.2, "0.30000000000000004"),
        (12345678901234567890, "12345678901234567890"),
        (-0.0, "0"),
        (math.inf, "Infinity"),
        (math.nan, "NaN"),
    ],
)
def test_format_number(value: float, expected: str) -> None:
    assert js.format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        (None, ""),
        (js.UNDEFINED, ""),
        (js.NIL, "{}"),
        (True, "true"),
        (False, "false"),
        (3, "3"),
        ([], "[]"),
        ({}, "{}"),
        (["x", None, 1.5], "['x',null,1.5]"),
        ({"b": 1, "a": {"s": 'say "hi"'}}, "{'b':1,'a':{'s':'say \\'hi\\''}}"),
        ({"b": 1, "10": 2, "2": 3, "01": 4}, "{'2':3,'10':2,'b':1,'01':4}"),
        ({"keep": js.UNDEFINED, "x": [js.UNDEFINED]}, "{'x':[null]}"),
        ("line\nbreak", "line\nbreak"),
        ({"s": "line\nbreak"}, "{'s':'line\\nbreak'}"),
    ],
)
def test_print_value(value: Any, expected: str) -> None:
    assert js.print_value(value) == expected


def test_json_stringify_with_indentation() -> None:
    value = {"a": [1, {"b": None}], "c": {}}
    assert (
        js.json_stringify(value, 2)
        == '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {}\n}'
    )
    assert (
        js.json_stringify(value, "\t")
        == '{\n\t"a": [\n\t\t1,\n\t\t{\n\t\t\t"b": null\n\t\t}\n\t],\n\t"c": {}\n}'
    )
    assert js.json_stringify(value, 0) == '{"a":[1,{"b":null}],"c":{}}'
    assert js.json_stringify(value, -3) == js.json_stringify(value)
    assert js.json_stringify(js.UNDEFINED) is None
    assert js.json_stringify("\u2028\x01\ud800") == '"\u2028\\u0001\\ud800"'


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (1, 1.0, True),
        (1, "1", False),
        (True, 1, False),
        (None, None, True),
        (None, js.UNDEFINED, False),
        (js.NIL, None, True),
        (js.NIL, js.UNDEFINED, True),
        (js.NIL, 0, False),
        ([1, [2]], [1, [2]], True),
        ([1], [1, 2], False),
        (math.nan, math.nan, False),
        ("é", "é", True),
    ],
)
def test_strict_equals(left: Any, right: Any, expected: bool) -> None:
    assert js.strict_equals(left, right) is expected
    assert js.strict_equals(right, left) is expected


def test_objects_are_equal_only_to_themselves() -> None:
    obj = {"a": 1}
    assert js.strict_equals(obj, obj)
    assert not js.strict_equals(obj, {"a": 1})


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("10", 9, True),
        ("10", "9", False),
        (None, -1, True),
        (js.UNDEFINED, -1, False),
        ("abc", 1, False),
        ([10], 9, True),
        ("b", "a", True),
        ("\U0001f600", "\uffff", False),
        (True, 0, True),
    ],
)
def test_greater_than_coerces_like_javascript(left: Any, right: Any, expected: bool) -> None:
    assert js.less_than(right, left) is expected


def test_nil_empty_and_blank_are_never_ordered() -> None:
    assert not js.less_than(js.NIL, 1)
    assert not js.less_or_equal(1, js.NIL)


@pytest.mark.parametrize(
    ("obj", "key", "expected"),
    [
        ({"a": 1}, "a", 1),
        ({"size": "own"}, "size", "own"),
        ({"a": 1, "b": 2}, "size", 2),
        ({"1": "one"}, 1, "one"),
        ([1, 2, 3], -1, 3),
        ([1, 2, 3], "1", 2),
        ([1, 2, 3], "first", 1),
        ([1, 2, 3], "last", 3),
        ([1, 2, 3], "size", 3),
        ("Zoë 😀", "size", 5),
        ("abc", 0, "a"),
        (None, "anything", None),
    ],
)
def test_read_property(obj: Any, key: Any, expected: Any) -> None:
    assert js.read_property(obj, key) == expected


@pytest.mark.parametrize(
    ("obj", "key"),
    [({"a": 1}, "first"), ([1], 5), ([], "first"), ("abc", "first"), ("abc", -1), (5, "size"), (True, "x")],
)
def test_read_property_of_nothing_is_undefined(obj: Any, key: Any) -> None:
    with pytest.raises(KeyError):
        js.read_property(obj, key)


def test_javascript_truthiness_differs_from_liquid_truthiness() -> None:
    for value in (0, "", math.nan, None, js.UNDEFINED, False):
        assert not js.js_truthy(value)
    assert js.is_truthy(0) and js.is_truthy("")
    assert not js.is_truthy(None) and not js.is_truthy(js.NIL)
