"""Importing an adapter without its framework, or with one too old, fails with an error that says what to do.

Each case runs a fresh interpreter: the framework is hidden with a ``None`` entry in ``sys.modules`` (how
Python marks a module that cannot be imported), or shadowed by an older copy placed first on the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from novu_framework.requirements import BY_NAME

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
for name in {hidden!r}:
    sys.modules[name] = None
try:
    import {adapter}
except ImportError as exc:
    print("ImportError:", exc)
else:
    print("imported", {adapter}.serve.__name__)
"""


def probe(adapter: str, *, hidden: tuple[str, ...] = (), first_on_path: Path | None = None) -> str:
    paths = [str(first_on_path)] if first_on_path else []
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT)])
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(hidden=hidden, adapter=adapter)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _old_metadata(tmp_path: Path, name: str, old: str) -> Path:
    """Package metadata of an older release found first on the path: what importlib.metadata reports."""
    dist_info = tmp_path / f"{name.lower()}-{old}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {old}\n")
    return tmp_path


ADAPTERS = [
    # adapter, framework module, distribution name in metadata, a release older than the floor
    ("novu_framework_fastapi", "fastapi", "fastapi", "0.110.0"),
    ("novu_framework_flask", "flask", "Flask", "2.2.5"),
    ("novu_framework_django", "django", "Django", "4.1.13"),
]


@pytest.mark.parametrize(("adapter", "module", "dist", "old"), ADAPTERS)
def test_an_adapter_without_its_framework_names_the_extra(
    adapter: str, module: str, dist: str, old: str
) -> None:
    floor = BY_NAME[module]
    out = probe(adapter, hidden=(module,))
    assert out == (
        f"ImportError: {adapter} needs {floor.display} >= {floor.minimum}, which is not installed. "
        f'Install it with: pip install "novu-framework[{floor.extra}]"'
    )


@pytest.mark.parametrize(("adapter", "module", "dist", "old"), ADAPTERS)
def test_an_adapter_refuses_a_framework_older_than_the_floor(
    tmp_path: Path, adapter: str, module: str, dist: str, old: str
) -> None:
    pytest.importorskip(module, reason=f"{module} is not installed in this environment")
    floor = BY_NAME[module]
    out = probe(adapter, first_on_path=_old_metadata(tmp_path, dist, old))
    assert out == (
        f"ImportError: {adapter} needs {floor.display} >= {floor.minimum}, but {floor.display} {old} is "
        f'installed. Upgrade it with: pip install -U "novu-framework[{floor.extra}]"'
    )


@pytest.mark.parametrize(("adapter", "module", "dist", "old"), ADAPTERS)
def test_an_adapter_imports_with_its_framework_installed(
    adapter: str, module: str, dist: str, old: str
) -> None:
    # probe() drops DJANGO_SETTINGS_MODULE and nothing calls settings.configure(): importing needs neither.
    pytest.importorskip(module, reason=f"{module} is not installed in this environment")
    assert probe(adapter) == "imported serve"


def test_core_imports_no_web_framework() -> None:
    code = (
        "import sys\n"
        "for name in ('fastapi', 'starlette', 'flask', 'django', 'werkzeug'):\n"
        "    sys.modules[name] = None\n"
        "import novu_framework, novu_framework.testing, novu_framework.runtime\n"
        "print('core ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "core ok", result.stderr
