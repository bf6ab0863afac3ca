"""The version floors: one table in the code, the same in pyproject.toml, and the guards that use it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from novu_framework import requirements
from novu_framework.requirements import FLOORS, release, require

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_EXTRAS = ("fastapi", "flask", "django", "postgres", "inbox")


def _declared() -> dict[tuple[str, str | None], str]:
    """(distribution, extra) -> the ">=" floor pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found: dict[tuple[str, str | None], str] = {}
    sources = [(None, project["dependencies"])]
    sources += [(extra, project["optional-dependencies"][extra]) for extra in RUNTIME_EXTRAS]
    for extra, items in sources:
        for item in items:
            match = re.fullmatch(
                r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)(?:\s*,\s*<\s*[0-9.]+)?(?:\s*;.*)?",
                item,
            )
            assert match, f"pyproject.toml: {item!r} does not declare a floor as name>=version"
            found[(match.group(1).lower(), extra)] = match.group(2)
    return found


def test_the_table_and_pyproject_agree() -> None:
    table = {(f.distribution, f.extra): f.minimum for f in FLOORS}
    assert table == _declared()


def test_every_floor_says_why() -> None:
    assert all(f.why and f.display for f in FLOORS)


@pytest.mark.parametrize(("text", "parts"), [("4.2.8", (4, 2, 8)), ("0.110.1rc1", (0, 110, 1)), ("2", (2,))])
def test_release(text: str, parts: tuple[int, ...]) -> None:
    assert release(text) == parts


def test_a_missing_or_old_dependency_names_the_floor_and_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(requirements, "version", lambda name: "0.110.0")
    with pytest.raises(ImportError) as old:
        require("fastapi", "novu_framework_fastapi")
    assert str(old.value) == (
        "novu_framework_fastapi needs FastAPI >= 0.110.1, but FastAPI 0.110.0 is installed. "
        'Upgrade it with: pip install -U "novu-framework[fastapi]"'
    )
    monkeypatch.setitem(sys.modules, "django", None)  # how Python marks a module that cannot be imported
    with pytest.raises(ImportError, match=r"needs Django >= 4\.2, which is not installed.*\[django\]"):
        require("django", "novu_framework_django")
    monkeypatch.setattr(requirements, "version", lambda name: "0.110.1")
    require("fastapi", "novu_framework_fastapi")  # exactly the floor is enough


@pytest.mark.parametrize(
    ("adapter", "distribution", "old"),
    [("fastapi", "fastapi", "0.100.0"), ("flask", "flask", "2.2.5"), ("django", "django", "4.1.13")],
)
def test_each_adapter_guards_with_the_table(adapter: str, distribution: str, old: str) -> None:
    pytest.importorskip(distribution, reason=f"{distribution} is not installed in this environment")
    code = (
        "import importlib.metadata as m\n"
        "real = m.version\n"
        f"m.version = lambda name: {old!r} if name == {distribution!r} else real(name)\n"
        "try:\n"
        f"    import novu_framework_{adapter}\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    floor = requirements.BY_NAME[distribution]
    assert f"needs {floor.display} >= {floor.minimum}, but {floor.display} {old} is installed" in done.stdout
