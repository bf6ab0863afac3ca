"""The real ``<Inbox />`` of @novu/js/ui 3.12.0 in headless Debian Chromium, on a page of another
origin, against the Inbox API of the test server: feed, bell count, a live message, a click that
reads an item. The UI bundle is built from node_modules (no CDN). Writes docs/images/inbox.png."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.inbox.clients import REPO, require_clients
from tests.inbox.conftest import Server
from tests.inbox.test_clients import seed

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def page_origin(tmp_path: Path) -> Iterator[str]:
    """The test page and its bundle on a static server of its own (another origin than the API)."""
    js = require_clients()
    folder = tmp_path / "page"
    subprocess.run(
        ["node", "build-page.mjs", str(folder)], cwd=js, check=True, timeout=120, capture_output=True
    )
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join(5)


def test_inbox_ui_in_chromium(make_server: Callable[..., Server], page_origin: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    server = make_server()
    seed(server)
    socket_url = server.url.replace("http://", "ws://")
    page = f"{page_origin}/index.html?backendUrl={server.url}&socketUrl={socket_url}&subscriber=sub-1"
    shot = tmp_path / "inbox.png"
    done = subprocess.run(
        ["node", "browser.mjs", page, server.url, str(shot)],
        cwd=require_clients(),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHROMIUM": CHROMIUM},
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    failed = [line for line in lines if line.get("ok") is False]
    assert not failed and done.returncode == 0, f"{failed}\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
    assert sum(1 for line in lines if line.get("ok")) >= 10
    assert shot.stat().st_size > 10_000
    if os.environ.get("NOVU_UPDATE_SCREENSHOT"):
        target = REPO / "docs" / "images" / "inbox.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
