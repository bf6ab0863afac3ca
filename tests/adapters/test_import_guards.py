"""Importing an adapter without its framework, or with one too old, fails with an error that says what to do.

Each case runs a fresh interpreter: the framework is hidden with a ``None`` entry in ``sys.modules`` (how
Python marks a module that cannot be imported), or shadowed by an older copy placed first on the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_flask_adapter_without_flask_names_the_extra() -> None:
    out = probe("novu_framework_flask", hidden=("flask",))
    assert out.startswith("ImportError:")
    assert "pip install novu-framework[flask]" in out


def test_django_adapter_without_django_names_the_extra() -> None:
    out = probe("novu_framework_django", hidden=("django",))
    assert out.startswith("ImportError:")
    assert "pip install novu-framework[django]" in out


def test_flask_adapter_refuses_flask_older_than_2_3(tmp_path: Path) -> None:
    # Package metadata of an older Flask found first on the path: what importlib.metadata reports.
    dist_info = tmp_path / "flask-2.2.5.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: Flask\nVersion: 2.2.5\n")
    out = probe("novu_framework_flask", first_on_path=tmp_path)
    assert out.startswith("ImportError:")
    assert "Flask >= 2.3" in out
    assert "Flask 2.2.5 is installed" in out
    assert "pip install -U novu-framework[flask]" in out


def test_django_adapter_refuses_django_older_than_4_2(tmp_path: Path) -> None:
    # A Django 4.1 package found first on the path.
    package = tmp_path / "django"
    package.mkdir()
    (package / "__init__.py").write_text(
        'VERSION = (4, 1, 13, "final", 0)\n\n\ndef get_version():\n    return "4.1.13"\n'
    )
    out = probe("novu_framework_django", first_on_path=tmp_path)
    assert out.startswith("ImportError:")
    assert "Django >= 4.2" in out
    assert "Django 4.1.13 is installed" in out
    assert "pip install -U novu-framework[django]" in out


def test_flask_adapter_imports_with_flask_installed() -> None:
    assert probe("novu_framework_flask") == "imported serve"


def test_django_adapter_imports_with_django_installed_and_no_settings() -> None:
    # probe() drops DJANGO_SETTINGS_MODULE and nothing calls settings.configure(): importing needs neither.
    assert probe("novu_framework_django") == "imported serve"


def test_fastapi_adapter_without_fastapi_names_the_extra() -> None:
    out = probe("novu_framework_fastapi", hidden=("fastapi",))
    assert out.startswith("ImportError:")
    assert "pip install novu-framework[fastapi]" in out


def test_fastapi_adapter_refuses_fastapi_older_than_0_100(tmp_path: Path) -> None:
    package = tmp_path / "fastapi"
    package.mkdir()
    (package / "__init__.py").write_text('__version__ = "0.95.2"\n')
    out = probe("novu_framework_fastapi", first_on_path=tmp_path)
    assert out.startswith("ImportError:")
    assert "FastAPI >= 0.100" in out and "FastAPI 0.95.2 is installed" in out


def test_fastapi_adapter_imports_with_fastapi_installed() -> None:
    assert probe("novu_framework_fastapi") == "imported serve"


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
