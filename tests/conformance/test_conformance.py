"""The public conformance battery, through every adapter, against the reference's recording.

Serves the catalogue with ``serve.py``, records it with the kit's ``record.py`` and compares the
recording with ``golden.json`` under ``deviations.json`` using the kit's ``compare.py``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KIT = Path(os.environ.get("NOVU_CONFORMANCE_KIT", ROOT.parent / "shared" / "conformance"))
SERVE = Path(__file__).with_name("serve.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def kit() -> Path:
    if not (KIT / "record.py").is_file():
        pytest.fail(f"conformance kit not found at {KIT}; set NOVU_CONFORMANCE_KIT to the kit's folder")
    return KIT


@contextmanager
def _serving(adapter: str) -> Iterator[tuple[str, str]]:
    strict, open_ = _free_port(), _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(SERVE),
            "--adapter",
            adapter,
            "--strict-port",
            str(strict),
            "--open-port",
            str(open_),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
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


def _record(kit: Path, urls: tuple[str, str], out: Path) -> None:
    strict_url, open_url = urls
    record = subprocess.run(
        [sys.executable, str(kit / "record.py"), "--cases", str(kit / "requests.json"),
         "--strict-url", strict_url, "--open-url", open_url, "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert record.returncode == 0, record.stdout + record.stderr


def _compare(kit: Path, recording: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(kit / "compare.py"),
            str(kit / "golden.json"),
            str(recording),
            "--quiet",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("adapter", ["fastapi", "flask", "django", "django-asgi"])
def test_public_battery_passes_with_deviations(kit: Path, adapter: str, tmp_path: Path) -> None:
    recording = tmp_path / "python.json"
    with _serving(adapter) as urls:
        _record(kit, urls, recording)
    compare = _compare(kit, recording, "--deviations", str(kit / "deviations.json"))
    summary = compare.stdout.strip().splitlines()[-1] if compare.stdout.strip() else ""
    assert compare.returncode == 0 and summary.endswith(" 0 failed"), compare.stdout[-20000:] + compare.stderr
    catalogue = subprocess.run(
        [sys.executable, str(kit / "check_catalogue.py"), str(recording)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert catalogue.returncode == 0, catalogue.stdout + catalogue.stderr


def test_battery_without_deviations_fails_exactly_on_deviation_cases(kit: Path, tmp_path: Path) -> None:
    """Our answers differ from the reference's exactly where DEVIATIONS.md says (the kit's self-test)."""
    recording = tmp_path / "python.json"
    with _serving("fastapi") as urls:
        _record(kit, urls, recording)
    compare = _compare(kit, recording)
    failed = {line.split()[1] for line in compare.stdout.splitlines() if line.startswith("FAIL ")}
    deviation_cases = set(json.loads((kit / "deviations.json").read_text())["cases"])
    assert failed == deviation_cases
