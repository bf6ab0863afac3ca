"""Where the project's copies of JavaScript semantics used to disagree with each other or with Node.

Each case asks Node for the answer and checks the place that had it wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.errors import ExecutionEventPayloadInvalidError
from novu_framework.js import json as js_json
from novu_framework.js import values
from novu_framework.templating import js as template_js
from novu_framework.testing import run_step
from tests.js.oracle import NodeOracle, utf16


@pytest.fixture(scope="module")
def node() -> Iterator[NodeOracle]:
    oracle = NodeOracle()
    yield oracle
    oracle.close()


@workflow("payload-truthiness", payload_schema={"type": "object", "additionalProperties": True})
async def _needs_payload(step: Any) -> None:
    await step.sms("only", lambda controls: {"body": "hi"})


@pytest.mark.parametrize("payload", [math.nan, 0, -0.0, "", False, None])
async def test_a_falsy_payload_is_missing_as_the_reference_says(node: NodeOracle, payload: Any) -> None:
    # The reference refuses `!event.payload`; the engine's own copy once held NaN truthy.
    assert node.describe(payload)["truthy"] is False
    await _needs_payload.discover()
    with pytest.raises(ExecutionEventPayloadInvalidError) as caught:
        await run_step(_needs_payload, "only", payload=payload)
    assert caught.value.data == {"message": "Event `payload` is required"}


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1.5, 3])
def test_is_number_and_is_finite_number_are_two_questions(node: NodeOracle, value: float) -> None:
    # ``is_number`` meant "finite" in the schema package and "typeof number" in the templates.
    answer = node.describe(value)
    assert values.is_number(value) is template_js.is_number(value) is (answer["typeof"] == "number")
    assert values.is_finite_number(value) is answer["finite"]


@pytest.mark.parametrize(
    "text", ["\ud83d\ude80", "a\ud83d\ude80\ud83d", "\ud83d\ud83d\ude80", "\ude80\ud83d"]
)
def test_every_json_stringify_writes_a_surrogate_pair_as_one_character(node: NodeOracle, text: str) -> None:
    # The templates' copy escaped both halves of a pair held as two code points; the signing copy did
    # not, and failed outright when a lone half stood beside a pair.
    expected = utf16(node.describe(text)["json"])
    assert utf16(js_json.stringify(text)) == expected
    assert utf16(template_js.json_stringify(text) or "") == expected
    assert utf16(template_js.print_value([text])) == utf16(node.describe([text])["json"].replace('"', "'"))


@pytest.mark.parametrize("text", ["\u0660", "\u0661\u0662", "\uff11", "1\u0660", "\u0967.5"])
def test_number_of_other_scripts_digits_is_nan(node: NodeOracle, text: str) -> None:
    # Python's ``float()`` reads Arabic-Indic and full-width digits; JavaScript's ``Number()`` does not.
    assert node.describe(text)["number"] == "NaN"
    assert math.isnan(values.to_number(text)) and math.isnan(template_js.to_number(text))
    assert template_js.compare(None, text) is None


@pytest.mark.parametrize(
    ("left", "right"),
    [("\ud83d\ude80", "🚀"), ("x\ud83d\ude80\ufeff", "x🚀\ufeff"), ("\ud83d", "\ude80"), ("🚀", "🚁")],
)
def test_a_surrogate_pair_and_the_character_it_encodes_are_one_string(
    node: NodeOracle, left: str, right: str
) -> None:
    # Python compares code points, JavaScript UTF-16 code units: `===`, `const` and `enum` once
    # told a pair written as two escapes from the character it encodes.
    answer = node.compare(left, right)
    assert values.strict_equal(left, right) is answer["strict"]
    assert values.deep_equal([left], [right]) is answer["strict"]
