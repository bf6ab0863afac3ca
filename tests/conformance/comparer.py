"""Compare a bridge's recording with the reference's, case by case (recordings from ``recorder.py``).

A case passes when the two answers are identical after the tolerances below; a deviation case (listed
in ``data/deviations.json``, where the reference is buggy or unsafe) passes when our answer meets its
``expect`` instead. Tolerances, applied to both sides:

* ``content-type``: the media type only; ``novu-framework-server`` and ``novu-framework-sdk``: any
  non-empty value; ``user-agent``: any ``<name>:v<version>``; health-check ``sdkVersion``: any
  non-empty string;
* numbers compare by value (``1 == 1.0``), booleans never equal numbers; object key order is ignored,
  array order is kept.

``expect`` keys: ``status``; ``headers`` (after the tolerances); ``code``; ``message`` (exact);
``messageContains`` (case-insensitive substrings); ``bodyKeys`` (the exact key set); ``body`` (JSON
path -> value, paths as ``$.a.b``, ``$.a[0]``, ``$['odd.key']``); ``outputs``; ``dataStartsWith``
(``data`` is a list starting with these entries); ``dataMinLength``.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().with_name("data")
MAX_PROBLEMS = 25
EXPECT_KEYS = frozenset(
    {"status", "headers", "code", "message", "messageContains", "bodyKeys", "body", "outputs"}
    | {"dataStartsWith", "dataMinLength"}
)
_USER_AGENT = re.compile(r"[A-Za-z0-9_.@/\-]+:v\S+")
_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\[\"((?:[^\"\\]|\\.)*)\"\]")


class RecordingError(ValueError):
    """A recording or deviations file that cannot be used."""


@dataclass
class Outcome:
    """One case: its id, the deviation it falls under (if any) and what differed."""

    case: str
    deviation: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def tolerant(result: dict[str, Any]) -> dict[str, Any]:
    """The answer with the tolerated differences erased (the request description dropped)."""
    out = copy.deepcopy(result)
    out.pop("request", None)
    headers = out.get("headers") or {}
    if isinstance(headers.get("content-type"), str):
        headers["content-type"] = headers["content-type"].split(";")[0].strip().lower()
    for name in ("novu-framework-server", "novu-framework-sdk"):
        if isinstance(headers.get(name), str) and headers[name].strip():
            headers[name] = "<any>"
    if isinstance(headers.get("user-agent"), str) and _USER_AGENT.fullmatch(headers["user-agent"]):
        headers["user-agent"] = "<name>:v<version>"
    body = out.get("body")
    health = isinstance(body, dict) and "frameworkVersion" in body and "discovered" in body
    if health and isinstance(body.get("sdkVersion"), str) and body["sdkVersion"].strip():
        body["sdkVersion"] = "<any>"
    return out


def _show(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[: limit - 20]}... ({len(text)} chars)"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def differences(expected: Any, actual: Any, path: str, out: list[str]) -> None:
    """Append a line per difference between two JSON values (at most ``MAX_PROBLEMS``)."""
    if len(out) >= MAX_PROBLEMS:
        return
    where = path or "(root)"
    if _is_number(expected) and _is_number(actual):
        if expected != actual:
            out.append(f"  {where}: expected {_show(expected)}, got {_show(actual)}")
    elif type(expected) is not type(actual):
        out.append(
            f"  {where}: expected {_show(expected)} ({type(expected).__name__}), "
            f"got {_show(actual)} ({type(actual).__name__})"
        )
    elif isinstance(expected, dict):
        for key, value in expected.items():
            sub = f"{path}.{key}" if path else key
            if key in actual:
                differences(value, actual[key], sub, out)
            else:
                out.append(f"  {sub}: missing (expected {_show(value)})")
        for key in actual.keys() - expected.keys():
            out.append(f"  {f'{path}.{key}' if path else key}: unexpected key (got {_show(actual[key])})")
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            out.append(f"  {where}: expected {len(expected)} items, got {len(actual)}")
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            differences(left, right, f"{path}[{index}]", out)
    elif expected != actual:
        if isinstance(expected, str) and isinstance(actual, str) and max(len(expected), len(actual)) > 60:
            at = next(
                (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
                min(len(expected), len(actual)),
            )
            lo = max(0, at - 30)
            out.append(
                f"  {where}: strings differ at index {at}: expected ...{_show(expected[lo : at + 40])} "
                f"got ...{_show(actual[lo : at + 40])}"
            )
        else:
            out.append(f"  {where}: expected {_show(expected)}, got {_show(actual)}")


def compare_answers(expected: dict[str, Any] | None, actual: dict[str, Any] | None) -> list[str]:
    """Exact comparison of two answers to one case, under the tolerances."""
    if expected is None or actual is None:
        return [f"  case is absent from the {'reference' if expected is None else 'candidate'} recording"]
    if expected.get("error") or actual.get("error"):
        return [f"  transport error: reference {expected.get('error')!r}, candidate {actual.get('error')!r}"]
    out: list[str] = []
    differences(tolerant(expected), tolerant(actual), "", out)
    return out


def parse_path(path: str) -> list[str | int]:
    """``$.a.b[0]['odd.key']`` -> ``["a", "b", 0, "odd.key"]``."""
    if not path.startswith("$"):
        raise RecordingError(f"JSON path {path!r} must start with '$'")
    parts: list[str | int] = []
    position = 1
    while position < len(path):
        match = _PATH_STEP.match(path, position)
        if match is None:
            raise RecordingError(f"cannot read JSON path {path!r} at offset {position}")
        name, index, single, double = match.groups()
        if index is not None:
            parts.append(int(index))
        elif name is not None:
            parts.append(name)
        else:
            parts.append(re.sub(r"\\(.)", r"\1", single if single is not None else double))
        position = match.end()
    return parts


def _lookup(node: Any, parts: list[str | int]) -> tuple[bool, Any]:
    for part in parts:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False, None
        elif not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def check_expectation(expect: dict[str, Any], actual: dict[str, Any] | None) -> list[str]:
    """What of a deviation case's ``expect`` our answer does not meet."""
    if actual is None:
        return ["  case is absent from the candidate recording"]
    if actual.get("error"):
        return [f"  transport error: {actual['error']!r}"]
    got = tolerant(actual)
    out: list[str] = []
    if "status" in expect and got.get("status") != expect["status"]:
        out.append(f"  status: expected {expect['status']}, got {got.get('status')}")
    if "headers" in expect:
        wanted = tolerant({"headers": dict(expect["headers"])})["headers"]
        for name, value in wanted.items():
            if (got.get("headers") or {}).get(name) != value:
                out.append(
                    f"  headers.{name}: expected {_show(value)}, got {_show(got['headers'].get(name))}"
                )
    body = got.get("body")
    if expect.keys() - {"status", "headers", "body"} and not isinstance(body, dict):
        text = got.get("bodyText")
        out.append(f"  body: expected a JSON object, got {_show(body if text is None else text)}")
        return out
    if "code" in expect and body.get("code") != expect["code"]:
        out.append(f"  body.code: expected {_show(expect['code'])}, got {_show(body.get('code'))}")
    if "message" in expect:
        differences(expect["message"], body.get("message"), "body.message", out)
    for fragment in expect.get("messageContains", []):
        message = body.get("message")
        if not isinstance(message, str) or fragment.lower() not in message.lower():
            out.append(f"  body.message: expected to contain {_show(fragment)}, got {_show(message)}")
    if "bodyKeys" in expect and set(expect["bodyKeys"]) != set(body):
        out.append(f"  body keys: expected {sorted(expect['bodyKeys'])}, got {sorted(body)}")
    for path, value in (expect.get("body") or {}).items():
        found, node = _lookup(body, parse_path(path))
        if found:
            differences(value, node, f"body{path[1:]}", out)
        else:
            out.append(f"  body{path[1:]}: missing (expected {_show(value)})")
    if "outputs" in expect:
        if "outputs" in body:
            differences(expect["outputs"], body["outputs"], "body.outputs", out)
        else:
            out.append("  body.outputs: missing")
    if "dataStartsWith" in expect or "dataMinLength" in expect:
        data = body.get("data")
        if not isinstance(data, list):
            out.append(f"  body.data: expected a list, got {_show(data)}")
        else:
            for index, entry in enumerate(expect.get("dataStartsWith", [])):
                if index < len(data):
                    differences(entry, data[index], f"body.data[{index}]", out)
                else:
                    out.append(f"  body.data[{index}]: missing (expected {_show(entry)})")
            if len(data) < expect.get("dataMinLength", 0):
                out.append(
                    f"  body.data: expected at least {expect['dataMinLength']} entries, got {len(data)}"
                )
    return out[:MAX_PROBLEMS]


def load_deviations(path: Path = DATA / "deviations.json") -> dict[str, dict[str, Any]]:
    """The deviation cases, checked for a usable ``expect`` each."""
    document = json.loads(path.read_text(encoding="utf-8"))
    cases = document.get("cases") if isinstance(document, dict) else None
    if not isinstance(cases, dict):
        raise RecordingError(f"{path}: no 'cases' object")
    for case, entry in cases.items():
        expect = entry.get("expect") if isinstance(entry, dict) else None
        if not isinstance(expect, dict) or not expect:
            raise RecordingError(f"{path}: case {case!r} has no 'expect' object")
        if expect.keys() - EXPECT_KEYS:
            raise RecordingError(
                f"{path}: case {case!r} has unknown expect keys {sorted(expect.keys() - EXPECT_KEYS)}"
            )
        for json_path in expect.get("body") or {}:
            parse_path(json_path)
    return cases


def results_of(recording: dict[str, Any]) -> dict[str, Any]:
    results = recording.get("results") if isinstance(recording, dict) else None
    if not isinstance(results, dict):
        raise RecordingError("not a recording: no 'results' object")
    return results


def compare(
    reference: dict[str, Any],
    candidate: dict[str, Any],
    deviations: dict[str, dict[str, Any]] | None = None,
) -> list[Outcome]:
    """Every case of either recording, the reference's order first."""
    expected, actual = results_of(reference), results_of(candidate)
    outcomes = []
    for case in [*expected, *(c for c in actual if c not in expected)]:
        entry = (deviations or {}).get(case)
        if entry is not None:
            problems = check_expectation(entry["expect"], actual.get(case))
            outcomes.append(Outcome(case, entry.get("deviation", "?"), problems))
        else:
            outcomes.append(Outcome(case, None, compare_answers(expected.get(case), actual.get(case))))
    return outcomes


def report(outcomes: list[Outcome], *, quiet: bool = True) -> str:
    """``FAIL <case>`` with its differences (and ``PASS`` lines unless quiet), then ``N passed, M failed``."""
    lines = []
    for outcome in outcomes:
        label = f"{outcome.case}" + (f" (deviation {outcome.deviation})" if outcome.deviation else "")
        if outcome.problems:
            lines += [f"FAIL {label}", *outcome.problems]
        elif not quiet:
            lines.append(f"PASS {label}")
    failed = sum(not o.passed for o in outcomes)
    lines.append(f"{len(outcomes) - failed} passed, {failed} failed")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare a recording with the reference's recording.")
    parser.add_argument("reference", type=Path)
    parser.add_argument("candidate", type=Path)
    parser.add_argument("--deviations", type=Path, help="check these cases against their expect instead")
    parser.add_argument("--quiet", action="store_true", help="print failures and the summary only")
    args = parser.parse_args(argv)
    try:
        outcomes = compare(
            json.loads(args.reference.read_text(encoding="utf-8")),
            json.loads(args.candidate.read_text(encoding="utf-8")),
            load_deviations(args.deviations) if args.deviations else None,
        )
    except (OSError, ValueError) as exc:
        print(f"comparer: {exc}", file=sys.stderr)
        return 2
    print(report(outcomes, quiet=args.quiet))
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
