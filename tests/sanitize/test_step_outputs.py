"""sanitize_step_outputs: which values are sanitised, and the conformance kit's exact expectations."""

from __future__ import annotations

import copy
from typing import Any

from novu_framework.sanitize import sanitize_step_outputs
from tests.conformance.catalogue import sanitized_inapp_outputs
from tests.sanitize.conftest import conformance_json, reference_results

# The defaults of oracle-sanitize's payload schema (catalogue.md §6).
PAYLOAD_HTML = (
    '<p onclick="steal()">Hi</p><script>alert(1)</script>'
    '<a href="https://example.com" target="_blank">link</a>'
)
PAYLOAD_TITLE = "Tom & Jerry <3"


def _expected_outputs(case_id: str) -> dict[str, Any]:
    deviation = conformance_json("deviations.json")["cases"].get(case_id)
    if deviation is not None:
        outputs: dict[str, Any] = deviation["expect"]["outputs"]
    else:
        outputs = reference_results()[case_id]["body"]["outputs"]
    return outputs


def _payload(case_id: str) -> dict[str, Any]:
    cases = {case["id"]: case for case in conformance_json("requests.json")["cases"]}
    payload: dict[str, Any] = cases[case_id]["body"]["payload"]
    return {"html": PAYLOAD_HTML, "title": PAYLOAD_TITLE, **payload}


def test_sanitize_email_rich_html() -> None:
    # catalogue.md §6, step `sanitized-email`
    payload = _payload("sanitize-email-rich-html")
    outputs = {
        "subject": payload["title"],
        "body": "<!DOCTYPE html><html><body>"
        + payload["html"]
        + '<img src="a.png" onerror="x()" alt="a"></body></html>',
    }
    assert sanitize_step_outputs(outputs) == _expected_outputs("sanitize-email-rich-html")


def test_sanitize_inapp_nested() -> None:
    # catalogue.md §6, step `sanitized-inapp`
    outputs = sanitized_inapp_outputs(_payload("sanitize-inapp-nested"))
    expected = _expected_outputs("sanitize-inapp-nested")
    result = sanitize_step_outputs(outputs)
    assert result == expected
    assert list(result) == list(expected) and list(result["data"]) == list(expected["data"])


def test_welcome_email_default_body() -> None:
    # catalogue.md §1.1: body = controls.body + "<hr/>" + controls.footer; the reference writes `<hr />`.
    expected = _expected_outputs("welcome-email-default")
    before, after = expected["body"].split("<hr />")
    raw = {"subject": expected["subject"], "body": before + "<hr/>" + after}
    assert sanitize_step_outputs(raw) == expected


def test_welcome_inapp_default_is_unchanged() -> None:
    expected = _expected_outputs("welcome-inapp-default")
    assert sanitize_step_outputs(copy.deepcopy(expected)) == expected


def test_subject_is_plain_text_only_at_the_top_level() -> None:
    outputs = {
        "subject": "A < B > C \"q\" 'a' &amp; &copy; <b>x</b>",
        "data": {"subject": "<b onclick=x>s</b> & t", "items": [{"subject": "a & b"}]},
    }
    assert sanitize_step_outputs(outputs) == {
        "subject": "A < B > C \"q\" 'a' &amp; &copy; <b>x</b>",
        "data": {"subject": "<b>s</b> &amp; t", "items": [{"subject": "a &amp; b"}]},
    }


def test_every_string_at_any_depth_and_nothing_else() -> None:
    outputs: dict[str, Any] = {
        "body": "<script>x</script>a & b",
        "count": 3,
        "ratio": 1.5,
        "flag": False,
        "missing": None,
        "empty": "",
        "list": ["<i>i</i>", None, 2, True, ["<u onclick=y>u</u>", ["a>b"]], {"k": "<p>p"}],
        "nested": {"deeper": {"deepest": "x < y"}, "empty": {}, "list": []},
    }
    assert sanitize_step_outputs(outputs) == {
        "body": "a &amp; b",
        "count": 3,
        "ratio": 1.5,
        "flag": False,
        "missing": None,
        "empty": "",
        "list": ["<i>i</i>", None, 2, True, ["<u>u</u>", ["a&gt;b"]], {"k": "<p>p</p>"}],
        "nested": {"deeper": {"deepest": "x &lt; y"}, "empty": {}, "list": []},
    }


def test_returns_a_new_dict_and_leaves_the_input_alone() -> None:
    outputs: dict[str, Any] = {"subject": "s", "body": "<b>x", "data": {"list": ["<i>y"]}}
    before = copy.deepcopy(outputs)
    result = sanitize_step_outputs(outputs)
    assert outputs == before
    assert result is not outputs and result["data"] is not outputs["data"]
    assert result["data"]["list"] is not outputs["data"]["list"]
    assert sanitize_step_outputs({}) == {}


def test_deep_nesting() -> None:
    deep: Any = "<b onclick=x>x"
    for level in range(50_000):
        deep = [deep] if level % 2 else {"k": deep}
    result: Any = sanitize_step_outputs({"data": deep})["data"]
    for level in reversed(range(50_000)):
        result = result[0] if level % 2 else result["k"]
    assert result == "<b>x</b>"
