"""Suite-wide policy: every skipped test is listed with its reason, and under CI a skip fails the run.

CI (``CI=true``) installs everything the tests need (``scripts/setup-tests.sh``), so there a skipped
test, or conformance answers read from the stored copy instead of regenerated from the reference,
means the run did not test what it claims: the run fails and the summary says which tests and why.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

_skipped: list[tuple[str, str]] = []


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr: Any = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _reason(report)))


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _skipped.append((report.nodeid, _reason(report)))


def _stored_answers_note() -> str | None:
    from tests.reference import reference_answers

    if reference_answers.cache_info().currsize == 0:
        return None
    return reference_answers().source


def _stored_answers_used() -> bool:
    from tests.reference import reference_answers

    return reference_answers.cache_info().currsize > 0 and not reference_answers().regenerated


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _under_ci() and (_skipped or _stored_answers_used()) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    note = _stored_answers_note()
    if note is not None:
        terminalreporter.write_sep("-", "conformance: the TypeScript reference's answers")
        terminalreporter.write_line(note)
    if _skipped:
        title = f"{len(_skipped)} skipped test(s)" + (": CI=true, so the run fails" if _under_ci() else "")
        terminalreporter.write_sep("-", title)
        for nodeid, reason in _skipped:
            terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}")
    if _under_ci() and _stored_answers_used():
        terminalreporter.write_line("CI=true: the conformance answers were not regenerated, so the run fails")
