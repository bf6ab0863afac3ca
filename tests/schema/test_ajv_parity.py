"""Differential test: our validator against the reference's own ajv (same options), one Node run.

For every case: the same compile error message, or the same validity, the same returned data (defaults,
removals) and an error list that starts with ajv's complete first-error list (deviation D13 adds the rest).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from novu_framework.schema import JsonSchema, SchemaCompileError
from tests.schema.ajv_cases import CASES
from tests.schema.generated_cases import generated_cases
from tests.schema.oracle import run_ajv

GENERATED = generated_cases(seed=20240601, count=500)
ALL_CASES = CASES + GENERATED


def _ours(schema: Any, data: Any) -> dict[str, Any]:
    try:
        result = JsonSchema(schema).validate(data)
    except SchemaCompileError as exc:
        return {"compileError": str(exc)}
    return {"ok": result.ok, "data": result.data, "errors": result.errors}


def _differences(cases: list[tuple[Any, Any]], answers: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for index, ((schema, data), ajv) in enumerate(zip(cases, answers, strict=True)):
        ours = _ours(schema, data)
        if "compileError" in ajv or "compileError" in ours:
            same = ajv.get("compileError") == ours.get("compileError")
        else:
            same = (
                ajv["ok"] == ours["ok"]
                and ajv["data"] == ours["data"]
                and ours["errors"][: len(ajv["errors"])] == ajv["errors"]
                and (ajv["ok"] or len(ours["errors"]) >= len(ajv["errors"]))
            )
        if not same:
            problems.append(
                f"case {index}: schema={json.dumps(schema)[:400]} data={json.dumps(data)}\n"
                f"  ajv : {json.dumps(ajv)[:400]}\n  ours: {json.dumps(ours, default=str)[:400]}"
            )
    return problems


@pytest.fixture(scope="module")
def ajv_answers() -> list[dict[str, Any]]:
    return run_ajv(ALL_CASES)


def test_hand_written_cases_match_ajv(ajv_answers: list[dict[str, Any]]) -> None:
    problems = _differences(CASES, ajv_answers[: len(CASES)])
    assert not problems, "\n".join(problems[:10])


def test_generated_cases_match_ajv(ajv_answers: list[dict[str, Any]]) -> None:
    problems = _differences(GENERATED, ajv_answers[len(CASES) :])
    assert not problems, "\n".join(problems[:10])


def test_the_corpus_exercises_both_outcomes_and_compile_errors(ajv_answers: list[dict[str, Any]]) -> None:
    valid = sum(1 for a in ajv_answers if a.get("ok") is True)
    invalid = sum(1 for a in ajv_answers if a.get("ok") is False)
    compile_errors = sum(1 for a in ajv_answers if "compileError" in a)
    multi = sum(1 for a in ajv_answers if len(a.get("errors", [])) > 1)
    assert min(valid, invalid, compile_errors, multi) >= 50, (valid, invalid, compile_errors, multi)
