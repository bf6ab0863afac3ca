"""The TypeScript reference as the tests use it: where it is installed, and its answers to the battery.

The reference (``reference/package-lock.json``) is installed by ``scripts/install-reference.sh`` into
``.reference/`` (or ``NOVU_REFERENCE_DIR``). Tests that run it call :func:`node_or_skip`; on a machine
without Node or without the installed reference they are skipped with the reason (and CI, which installs
both, fails on any skip: see ``tests/conftest.py``).

:func:`reference_answers` serves the conformance catalogue with the reference
(``reference/catalogue-server.mjs``) and records the battery against it, once per session, so the
golden answers are regenerated rather than trusted. Without Node it falls back to the stored copy,
``tests/conformance/data/golden.json``, and says so.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, http_status

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(os.environ.get("NOVU_REFERENCE_DIR") or ROOT / ".reference")
NODE_MODULES = REFERENCE_DIR / "node_modules"
CATALOGUE_SERVER = ROOT / "reference" / "catalogue-server.mjs"
STORED_GOLDEN = ROOT / "tests" / "conformance" / "data" / "golden.json"
VERSION = "2.9.0"


def missing_reason() -> str | None:
    """Why the reference cannot run here, or ``None`` when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (bash scripts/setup-tests.sh installs it)"
    manifest = NODE_MODULES / "@novu" / "framework" / "package.json"
    if not manifest.is_file():
        return (
            f"the TypeScript reference is not installed in {REFERENCE_DIR} (run scripts/install-reference.sh)"
        )
    version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if version != VERSION:
        return f"{manifest} is @novu/framework {version}, not {VERSION} (run scripts/install-reference.sh)"
    return None


def node_or_skip(purpose: str) -> str:
    """The ``node`` executable, or skip the test saying what it needed the reference for."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(f"{purpose} needs the TypeScript reference: {reason}")
    node = shutil.which("node")
    assert node is not None
    return node


def _healthy(url: str) -> bool:
    return http_status(f"{url}?action=health-check") == 200


@contextmanager
def serving_reference(timeout: float = 30.0) -> Iterator[tuple[str, str]]:
    """The catalogue on the reference: ``(strict_url, open_url)`` while the block runs."""
    node = node_or_skip("serving the conformance catalogue")
    strict, open_ = free_port(), free_port()
    env = {**os.environ, "NOVU_REFERENCE_DIR": str(REFERENCE_DIR)}
    urls = (f"http://127.0.0.1:{strict}/api/novu", f"http://127.0.0.1:{open_}/api/novu")
    # The reference logs every execution: into a file, as a pipe nobody reads would fill and block it.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [node, str(CATALOGUE_SERVER), str(strict), str(open_)], env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + timeout
            while not all(_healthy(url) for url in urls):
                if process.poll() is not None:
                    log.seek(0)
                    text = log.read()[-3000:].decode(errors="replace")
                    raise AssertionError(f"the reference server exited: {text}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"the reference server did not answer within {timeout:.0f} s")
                time.sleep(0.1)
            yield urls
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class ReferenceAnswers:
    """The reference's recording of the battery, and where it came from."""

    recording: dict[str, Any]
    regenerated: bool
    source: str

    @property
    def results(self) -> dict[str, Any]:
        results: dict[str, Any] = self.recording["results"]
        return results


@functools.lru_cache(maxsize=1)
def reference_answers() -> ReferenceAnswers:
    """Recorded from the reference in this run when it can run here, else the stored copy."""
    from tests.conformance.recorder import record

    reason = missing_reason()
    if reason is None:
        with serving_reference() as (strict_url, open_url):
            recording = record(strict_url, open_url)
        node = shutil.which("node")
        version = subprocess.run([str(node), "--version"], capture_output=True, text=True, check=False)
        source = (
            f"regenerated in this run: @novu/framework {VERSION} from {REFERENCE_DIR} "
            f"on Node {version.stdout.strip()}"
        )
        return ReferenceAnswers(recording, True, source)
    recording = json.loads(STORED_GOLDEN.read_text(encoding="utf-8"))
    source = f"stored copy {STORED_GOLDEN.relative_to(ROOT)} (not regenerated: {reason})"
    return ReferenceAnswers(recording, False, source)
