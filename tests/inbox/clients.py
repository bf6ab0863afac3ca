"""The pinned Node clients: installed by scripts/install-inbox-clients.sh into tests/inbox/js."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"
REPO = JS.parents[2]
VERSIONS = ("3.12.0", "3.19.2")


def require_clients() -> Path:
    """The folder with node_modules installed (installing them if needed); skips when Node is absent."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the real @novu/js clients cannot run")
    if not (JS / "node_modules" / "novu-js-3.12.0").is_dir():
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "install-inbox-clients.sh")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            pytest.skip(
                f"npm could not install the pinned clients (registry unreachable?): {done.stderr[-500:]}"
            )
    return JS
