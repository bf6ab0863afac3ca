"""Every helper of ``novu_framework.js`` against Node, on generated JSON-like values.

The values include what JSON cannot carry but Python code can hold (NaN, ±Infinity, -0), integers past
2**53, nested arrays and objects with array-index-like keys, and strings with lone or paired surrogates.
One Node process answers for the whole module.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from novu_framework.js import json as js_json
from novu_framework.js import values
from novu_framework.js.numbers import number_to_string
from novu_framework.js.objects import deep_copy, object_keys
from novu_framework.js.strings import join_surrogate_pairs
from novu_framework.templating import js as template_js
from tests.js.oracle import NodeOracle, utf16

# Characters JavaScript treats specially: surrogate halves (alone or paired), an astral character, JSON
# escapes, JavaScript whitespace, and digits so that numeric text and index-like keys turn up.
_CHARS = st.one_of(
    st.sampled_from(
        ["\ud83d", "\ude80", "\ud83d\ude80", "\U0001f680", '"', "\\", "\x00", "\x1f", "\n", "\u2028"]
    ),
    st.sampled_from([" ", "\t", "\u00a0", "\ufeff", "\u3000", "0", "1", "9", ".", "e", "-", "+", "x", "b"]),
    st.characters(codec="utf-8"),
)
_TEXT = st.lists(_CHARS, max_size=8).map("".join)
_NUMERIC_TEXT = st.one_of(
    st.from_regex(
        r"\s?[+-]?(\d{0,4}\.?\d{0,3}([eE][+-]?\d{1,3})?|Infinity|0[xXoObB][0-9a-fA-F]{0,4})\s?",
        fullmatch=True,
    ),
    st.integers().map(str),
    st.floats().map(repr),
)
# Keys with their surrogate pairs joined: "\ud83d\ude80" and "🚀" are two Python keys but one JavaScript key,
# and JSON text (``loads``) always gives the joined form.
_KEYS = st.one_of(
    _TEXT.map(join_surrogate_pairs),
    st.sampled_from(["0", "1", "01", "10", "2", "-1", "1.5", "4294967294", "4294967295", "a", "length"]),
    st.integers(min_value=0, max_value=2**33).map(str),
)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**60), max_value=2**60),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e21, 1e-7, 123456789012345680000.0, 2**53, 2**53 + 1, 5e-324]),
)
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT, _NUMERIC_TEXT)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)
# Pairs: integers within 2**53, where Python's exact integers and JavaScript's doubles agree (D7).
_SAFE_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    _NUMERIC_TEXT,
)
_SAFE_VALUES = st.recursive(
    _SAFE_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=6,
)
_PAIRS = st.one_of(
    st.tuples(_SAFE_VALUES, _SAFE_VALUES),
    _SAFE_VALUES.map(lambda v: (v, v)),
    _SAFE_VALUES.map(lambda v: (v, deep_copy(v))),
    st.tuples(_SAFE_SCALARS, _SAFE_SCALARS),
)

_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def node() -> Iterator[NodeOracle]:
    oracle = NodeOracle()
    yield oracle
    oracle.close()


@_SETTINGS
@given(value=JSON_VALUES)
def test_typeof_truthiness_and_number_predicates(node: NodeOracle, value: Any) -> None:
    answer = node.describe(value)
    assert values.typeof(value) == answer["typeof"]
    assert values.truthy(value) is answer["truthy"]
    assert template_js.js_truthy(value) is answer["truthy"]
    assert values.is_number(value) is (answer["typeof"] == "number")
    assert template_js.is_number(value) is (answer["typeof"] == "number")
    if not (isinstance(value, int) and abs(value) >= 2**1024):
        # Past the largest double Node holds Infinity; an exact integer stays a finite integer here (D7).
        assert values.is_finite_number(value) is answer["finite"]
        assert values.is_integer(value) is answer["integer"]


@_SETTINGS
@given(value=JSON_VALUES)
def test_string_and_number_conversions(node: NodeOracle, value: Any) -> None:
    answer = node.describe(value)
    assert utf16(values.to_string(value)) == utf16(answer["string"])
    assert number_to_string(values.to_number(value)) == answer["number"]
    assert number_to_string(template_js.to_number(value)) == answer["number"]


@_SETTINGS
@given(value=JSON_VALUES)
def test_json_stringify(node: NodeOracle, value: Any) -> None:
    answer = node.describe(value)
    assert utf16(js_json.stringify(value)) == utf16(answer["json"])
    assert utf16(js_json.stringify_value(value, "  ") or "") == utf16(answer["json2"])


@_SETTINGS
@given(value=_SAFE_VALUES)
def test_template_string_and_json_filter(node: NodeOracle, value: Any) -> None:
    # Templates print integers exactly (D7); within 2**53 that is what Node prints.
    answer = node.describe(value)
    assert utf16(template_js.js_str(value)) == utf16(answer["string"])
    assert utf16(template_js.json_stringify(value) or "") == utf16(answer["json"])
    assert utf16(template_js.json_stringify(value, 2) or "") == utf16(answer["json2"])


@_SETTINGS
@given(value=st.dictionaries(_KEYS, _SCALARS, max_size=8))
def test_object_keys_order(node: NodeOracle, value: dict[str, Any]) -> None:
    answer = node.describe(value)
    assert [utf16(key) for key in object_keys(value)] == [utf16(key) for key in answer["keys"]]


@_SETTINGS
@given(value=JSON_VALUES)
def test_deep_copy_is_structured_clone(node: NodeOracle, value: Any) -> None:
    copy = deep_copy(value)
    assert utf16(js_json.stringify(copy)) == utf16(node.describe(value)["clone"])
    if isinstance(value, (list, dict)):
        assert copy is not value


def _node_order(answer: dict[str, Any]) -> int | None:
    if answer["lt"]:
        return -1
    if answer["gt"]:
        return 1
    return 0 if answer["le"] and answer["ge"] else None


@_SETTINGS
@given(pair=_PAIRS)
def test_strict_equality_and_comparison(node: NodeOracle, pair: tuple[Any, Any]) -> None:
    left, right = pair
    answer = node.compare(left, right)
    # Node receives copies: an array or object compared with itself is ``===`` only on this side.
    same_object = left is right and isinstance(left, (list, dict))
    assert values.strict_equal(left, right) is (answer["strict"] or same_object)
    assert values.compare(left, right) == _node_order(answer)
    assert template_js.compare(left, right) == _node_order(answer)


@_SETTINGS
@given(pair=_PAIRS)
def test_deep_equal_is_fast_deep_equal(node: NodeOracle, pair: tuple[Any, Any]) -> None:
    answer = node.compare(*pair)
    if answer["deep"] is None:
        pytest.skip("fast-deep-equal is not installed (scripts/install-reference.sh installs it with ajv)")
    assert values.deep_equal(*pair) is answer["deep"]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -0.0, 2**80, -(10**400)])
def test_the_numbers_json_cannot_carry_reach_node(node: NodeOracle, value: float) -> None:
    # The tagged transport is what makes the generated cases meaningful: check it once, plainly.
    assert node.describe(value)["string"] == number_to_string(value)
