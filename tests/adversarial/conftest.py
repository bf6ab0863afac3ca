"""Fixtures of the adversarial suite: every adapter's real server (the contract suite's harness), an
HTTP client, and the servers' log, which hostile input must leave free of tracebacks and errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from tests.adapters.servers import RunningServer, http_client, serving

BACKENDS = ["django-asgi", "django-wsgi", "fastapi", "flask"]

# Loggers that do not propagate to the root one (uvicorn's), besides the root itself.
_WATCHED = ("", "uvicorn")


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    """One real server per adapter on 127.0.0.1, serving the contract workflows (strict signatures)."""
    yield from serving(request.param)


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    yield from http_client()


class ServerLog(logging.Handler):
    """Every log record of the servers (they run in this process) and what they wrote to stderr."""

    def __init__(self, capfd: pytest.CaptureFixture[str]) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._capfd = capfd

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def problems(self) -> list[str]:
        """Tracebacks, errors and multi-line warnings: hostile input may cost one warning line at most."""
        found = []
        for record in self.records:
            text = record.getMessage()
            if record.exc_info or record.levelno >= logging.ERROR or "\n" in text:
                found.append(
                    f"{record.name} {record.levelname}: {text[:300]} (exc_info={bool(record.exc_info)})"
                )
        stderr = self._capfd.readouterr().err
        if "Traceback" in stderr or "Exception" in stderr:
            found.append(f"stderr: {stderr[-1500:]}")
        return found

    def assert_quiet(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


@pytest.fixture
def server_log(capfd: pytest.CaptureFixture[str]) -> Iterator[ServerLog]:
    log = ServerLog(capfd)
    loggers = [logging.getLogger(name) for name in _WATCHED]
    for logger in loggers:
        logger.addHandler(log)
    capfd.readouterr()  # what came before this test is not its doing
    try:
        yield log
    finally:
        for logger in loggers:
            logger.removeHandler(log)
