"""The store's JSON: its shortcuts for the shapes every trigger stores write exactly what the standard
library's encoder writes (compact, non-ASCII escaped, any string, even a lone surrogate)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from novu_framework.runtime.store.encoding import dump, parse, to_json

_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF))


def _stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


@given(st.dictionaries(_TEXT, _TEXT, max_size=8))
def test_a_dict_of_text_is_written_as_the_encoder_writes_it(value: dict[str, str]) -> None:
    assert dump(value) == _stdlib(value) == to_json(value)
    assert parse(dump(value)) == value


_FLAT = _TEXT | st.integers(min_value=-(2**80), max_value=2**80)


@given(st.dictionaries(_TEXT, _FLAT, max_size=8))
def test_a_flat_payload_is_written_as_the_encoder_writes_it(value: dict[str, Any]) -> None:
    assert dump(value) == _stdlib(value)
    assert parse(dump(value)) == value


@given(st.lists(_FLAT, max_size=8))
def test_a_list_of_text_and_integers_is_written_as_the_encoder_writes_it(value: list[Any]) -> None:
    assert dump(value) == _stdlib(value)
    assert parse(dump(value)) == value


@pytest.mark.parametrize(
    "value",
    [{}, [], {"n": True}, ["a", False], {"nested": {"a": "b"}}, [None], {"a": "b", "c": [1.5, True]}, "text"],
)
def test_other_values_go_through_the_encoder(value: Any) -> None:
    assert dump(value) == _stdlib(value)


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError):
        dump([float("nan")])
    with pytest.raises(TypeError):
        dump({"when": object()})
