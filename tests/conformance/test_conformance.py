"""The conformance battery through every adapter, compared with the TypeScript reference's answers.

The reference's answers are recorded in the same session from the pinned reference (``reference/``)
when Node and the installed reference are here, else read from the stored copy ``data/golden.json``;
the terminal summary and every failure say which. Ours must equal them case by case, except the
deviation cases (``data/deviations.json``), which must meet their ``expect`` instead.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.catalogue_check import catalogue_problems
from tests.conformance.comparer import compare, load_deviations, report
from tests.conformance.recorder import js_stringify, record
from tests.reference import ReferenceAnswers, free_port, node_or_skip, reference_answers

ROOT = Path(__file__).resolve().parents[2]
SERVE = Path(__file__).with_name("serve.py")
DEVIATIONS = load_deviations()


@pytest.fixture(scope="module")
def reference() -> ReferenceAnswers:
    return reference_answers()


@contextmanager
def _serving(adapter: str) -> Iterator[tuple[str, str]]:
    strict, open_ = free_port(), free_port()
    command = [sys.executable, str(SERVE), "--adapter", adapter, "--strict-port", str(strict)]
    proc = subprocess.Popen(
        [*command, "--open-port", str(open_)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    try:
        line = proc.stdout.readline().strip()
        if line != "ready":
            pytest.fail(f"serve.py --adapter {adapter} did not become ready (said {line!r})")
        yield f"http://127.0.0.1:{strict}/api/novu", f"http://127.0.0.1:{open_}/api/novu"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _record_ours(adapter: str) -> dict[str, Any]:
    with _serving(adapter) as (strict_url, open_url):
        return record(strict_url, open_url)


def _failed(outcomes: Any) -> set[str]:
    return {outcome.case for outcome in outcomes if not outcome.passed}


@pytest.mark.parametrize("adapter", ["fastapi", "flask", "django", "django-asgi"])
def test_public_battery_passes_with_deviations(reference: ReferenceAnswers, adapter: str) -> None:
    ours = _record_ours(adapter)
    outcomes = compare(reference.recording, ours, DEVIATIONS)
    assert len(outcomes) == len(reference.results) == 124
    assert not _failed(outcomes), f"reference answers: {reference.source}\n{report(outcomes)[-20000:]}"
    checked, problems = catalogue_problems(ours["results"])
    assert checked > 0 and not problems, problems


def test_battery_without_deviations_fails_exactly_on_deviation_cases(reference: ReferenceAnswers) -> None:
    """Our answers differ from the reference's exactly where the deviations say."""
    outcomes = compare(reference.recording, _record_ours("fastapi"))
    assert _failed(outcomes) == set(DEVIATIONS), f"reference answers: {reference.source}"


def test_reference_fails_every_deviation_expectation() -> None:
    """Each deviation is a real difference: the reference's own answer does not meet its ``expect``."""
    node_or_skip("checking the deviations against the reference")
    answers = reference_answers()
    assert answers.regenerated
    outcomes = compare(answers.recording, answers.recording, DEVIATIONS)
    assert _failed(outcomes) == set(DEVIATIONS)


def test_stored_golden_equals_the_reference_recorded_now() -> None:
    """The stored copy used on machines without Node is what the reference answers today."""
    node_or_skip("checking the stored golden answers")
    answers = reference_answers()
    assert answers.regenerated
    stored = json.loads((ROOT / "tests" / "conformance" / "data" / "golden.json").read_text(encoding="utf-8"))
    outcomes = compare(stored, answers.recording)
    assert not _failed(outcomes), report(outcomes)


def test_catalogue_describes_the_reference_discover_document(reference: ReferenceAnswers) -> None:
    checked, problems = catalogue_problems(reference.results)
    assert checked == 35 and not problems, (reference.source, problems)


def test_catalogue_check_reports_a_changed_schema(reference: ReferenceAnswers) -> None:
    results = copy.deepcopy(reference.results)
    for answer in results.values():
        for wf in (answer.get("body") or {}).get("workflows") or []:
            if wf["workflowId"] == "oracle-digest":
                wf["payload"]["schema"]["required"] = []
    _, problems = catalogue_problems(results)
    assert problems and all("oracle-digest payload" in p for p in problems)


def test_comparer_reports_a_changed_answer_and_a_missing_case(reference: ReferenceAnswers) -> None:
    changed = copy.deepcopy(reference.recording)
    changed["results"]["health-check-open"]["status"] = 500
    del changed["results"]["discover-open-unsigned"]
    outcomes = {o.case: o for o in compare(reference.recording, changed)}
    assert outcomes["health-check-open"].problems == ["  status: expected 200, got 500"]
    assert "absent" in outcomes["discover-open-unsigned"].problems[0]
    assert sum(not o.passed for o in outcomes.values()) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"b": 1, "2": 2, "a": [1.0, -0.0, 1e21, 1.5e-7, 2**53 + 1]},
            '{"2":2,"b":1,"a":[1,0,1e+21,1.5e-7,9007199254740992]}',
        ),
        ({"10": 0, "9": 0, "x": None, "4294967295": 0}, '{"9":0,"10":0,"x":null,"4294967295":0}'),
        ('é\u2028\x00\ud800"\\\n', '"é\u2028\\u0000\\ud800\\"\\\\\\n"'),
        ([True, False, 0.1, 123456789012345680000.0], "[true,false,0.1,123456789012345680000]"),
    ],
)
def test_recorder_signs_over_javascript_json_stringify(value: Any, expected: str) -> None:
    assert js_stringify(value) == expected
