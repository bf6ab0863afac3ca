"""Development sessions: ``nox -s tests lint typecheck conformance bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "core", "tests"]
nox.options.reuse_existing_virtualenvs = True

FRAMEWORK_EXTRAS = {"fastapi": "fastapi", "flask": "flask", "django": "django"}


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the core."""
    session.install("-e", ".[dev]")
    session.run("mypy")
    session.run(
        "mypy",
        "--strict",
        "--explicit-package-bases",
        "novu_framework_fastapi",
        "novu_framework_flask",
        "novu_framework_django",
        "examples",
        "scripts/demo.py",
    )


@nox.session
def core(session: nox.Session) -> None:
    """The core's tests with no web framework installed: proves the core imports cleanly on its own."""
    session.install("-e", ".", "pytest", "pytest-asyncio", "hypothesis", "jsonschema")
    session.run("pytest", "-q", "tests/core", "tests/schema", "tests/templating", "tests/sanitize")


@nox.session
@nox.parametrize("framework", list(FRAMEWORK_EXTRAS))
def adapter(session: nox.Session, framework: str) -> None:
    """The contract suite for one framework, with only that framework installed."""
    session.install("-e", f".[{FRAMEWORK_EXTRAS[framework]}]", "uvicorn", "httpx", "pytest", "pytest-asyncio")
    session.run("pytest", "-q", "tests/adapters", "-k", framework)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-q", *session.posargs)


@nox.session
def conformance(session: nox.Session) -> None:
    """The public conformance battery through every adapter."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-q", "tests/conformance")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against the TypeScript reference measured in the same run."""
    session.install("-e", ".[dev]")
    session.run("bash", "scripts/install-reference.sh", external=True)
    for script in (
        "benchmarks/execute.py",
        "benchmarks/cold_start.py",
        "benchmarks/adapters.py",
        "benchmarks/runtime_throughput.py",
        "benchmarks/runtime_digest.py",
    ):
        session.run("python", script)


@nox.session
def bench_ci(session: nox.Session) -> None:
    """The short benchmark lane: fails when a ratio to the reference regresses past its target."""
    session.install("-e", ".[dev]")
    session.run("bash", "scripts/install-reference.sh", external=True)
    session.run("python", "benchmarks/ci.py", *session.posargs)
