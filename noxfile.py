"""Development sessions: ``nox -s lint typecheck core tests conformance bench``, and the lanes CI runs.

``nox -s minimums`` runs the suite on exactly the version floors pyproject.toml declares (the oldest
supported Python); ``nox -s python-3.10 python-3.11 python-3.12 python-3.13`` run a representative part
of the suite (see ``PYTHON_LANE_TESTS``) on each Python with the newest dependencies;
``nox -s "adapter(framework='flask')"`` runs the adapter tests with only that framework installed.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "core", "tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
FRAMEWORK_EXTRAS = {"fastapi": "fastapi", "flask": "flask", "django": "django"}
RUNTIME_EXTRAS = ("fastapi", "flask", "django", "postgres", "inbox")
# What the suite needs beyond the package: no version pinned, so the floors lane pins only ours.
TEST_TOOLS = ["pytest>=8", "pytest-asyncio>=0.23", "hypothesis>=6.100", "aiosmtpd>=1.4", "jsonschema>=4.21", "gunicorn>=22", "playwright>=1.65"]  # fmt: skip
# The per-Python lanes: every area whose code differs by interpreter (the core's engine, the ported
# validator and sanitiser, templating, the runtime's store and threads, the adapters on real servers,
# the command line and the docs), leaving out what repeats the same Python code at length: the
# conformance battery (run in full by the main suite and the floors lane), the differential corpora
# against Node, and the load and fault-injection tests marked slow.
PYTHON_LANE_TESTS = [
    "tests/core",
    "tests/schema",
    "tests/templating",
    "tests/sanitize",
    "tests/runtime",
    "tests/adapters",
    "tests/api_client",
    "tests/architecture",
    "tests/adversarial",
    "tests/inbox/test_http.py",
    "tests/studio/test_api.py",
    "--deselect=tests/templating/test_differential.py",
    "-m",
    "not slow and not postgres",
]


def _find_python(version: str) -> str | None:
    """A working Python ``version``: a pyenv build ($PYENV_ROOT, default ~/.pyenv), else ``python3.X`` on
    PATH (a pyenv shim there may name a version that is not selected, so each candidate is tried)."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")))
    candidates.reverse()
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == str(tuple(int(p) for p in version.split("."))):
            return candidate
    return None


def _floors() -> list[str]:
    """``name==floor`` for every dependency and runtime extra of pyproject.toml."""
    try:
        import tomllib
    except ImportError:  # nox itself on Python 3.10
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    items = list(project["dependencies"])
    for extra in RUNTIME_EXTRAS:
        items += project["optional-dependencies"][extra]
    pins = []
    for item in items:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+(?:\[[^\]]*\])?)\s*>=\s*([0-9][0-9.]*).*", item)
        if match is None:
            raise ValueError(f"pyproject.toml: {item!r} has no >= floor")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def _require_python(session: nox.Session, version: str) -> None:
    if _find_python(version) is None:
        session.error(
            f"Python {version} was not found (looked for python{version} on PATH and in pyenv's versions). "
            f"Install it, for example with `pyenv install {version}`."
        )


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
    """The adapter tests with only one framework installed (the others' tests skip, saying why)."""
    session.install("-e", f".[{FRAMEWORK_EXTRAS[framework]}]", "uvicorn", "httpx", "pytest", "pytest-asyncio")
    session.run("pytest", "-q", "-rs", "tests/adapters", "-k", f"{framework} or guard")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-q", *session.posargs)


def _minimums(session: nox.Session) -> None:
    floors = _floors()
    session.log("floors: " + " ".join(floors))
    session.install(*floors, *TEST_TOOLS)
    session.install("--no-deps", "-e", ".")
    # Nothing newer slipped in through another package's requirements.
    session.run("python", "-c", _CHECK_PINS, *floors)
    session.run("pytest", "-q", "-p", "no:cacheprovider", *session.posargs)


_CHECK_PINS = """
import re
import sys
from importlib.metadata import version

def release(text):
    parts = tuple(int(p) for p in re.match(r"[0-9.]*[0-9]", text).group(0).split("."))
    return parts + (0,) * (4 - len(parts))

bad = []
for pin in sys.argv[1:]:
    name, floor = pin.split("==")
    name = name.split("[")[0]
    if release(version(name)) != release(floor):
        bad.append(f"{name} {version(name)} (floor {floor})")
sys.exit("not the floors: " + ", ".join(bad) if bad else 0)
"""


@nox.session(python=_find_python(PYTHONS[0]) or PYTHONS[0])
def minimums(session: nox.Session) -> None:
    """The whole suite on Python 3.10 with every dependency at exactly its declared floor."""
    _require_python(session, PYTHONS[0])
    _minimums(session)


def _python_lane(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("pytest", "-q", "-p", "no:cacheprovider", *(session.posargs or PYTHON_LANE_TESTS))


def _make_python_lane(version: str) -> None:
    @nox.session(python=_find_python(version) or version, name=f"python-{version}")
    def lane(session: nox.Session) -> None:
        """A representative part of the suite on one Python, newest dependencies."""
        _require_python(session, version)
        _python_lane(session)


for _version in PYTHONS:
    _make_python_lane(_version)


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
        "benchmarks/http_load.py",
        "benchmarks/memory.py",
        "benchmarks/runtime_burst.py",
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run with nox: nox -s minimums")
