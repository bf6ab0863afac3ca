"""Email and in-app outputs through every adapter: a meta refresh to a script URL loses its target (D14)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .render_servers import BACKENDS, execute, running

VECTORS = [
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<META HTTP-EQUIV=Refresh CONTENT=\"0; URL = 'JaVa&#x09;ScRiPt:alert(1)'\">",
    '<meta content="1,vbscript:msgbox(1)" http-equiv=" refresh ">',
    '<meta http-equiv="refresh" content="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    yield from running(request.param)


@pytest.mark.parametrize("workflow_id", ["adv-email", "adv-inbox"])
@pytest.mark.parametrize("vector", VECTORS)
def test_a_script_refresh_loses_its_target(server: str, workflow_id: str, vector: str) -> None:
    with httpx.Client(timeout=20) as http:
        response = execute(
            http, server, workflow_id, {"payload": {}, "controls": {"body": f"<p>hi</p>{vector}"}}
        )
    assert response.status_code == 200, response.text
    body = response.json()["outputs"]["body"]
    assert "<meta http-equiv=" in body
    assert "content" not in body.lower()
    assert body.startswith("<p>hi</p>")


@pytest.mark.parametrize("workflow_id", ["adv-email", "adv-inbox"])
def test_a_safe_refresh_is_kept(server: str, workflow_id: str) -> None:
    vector = '<meta http-equiv="refresh" content="5;url=https://example.com/next">'
    with httpx.Client(timeout=20) as http:
        response = execute(http, server, workflow_id, {"payload": {}, "controls": {"body": vector}})
    assert (
        response.json()["outputs"]["body"]
        == '<meta http-equiv="refresh" content="5;url=https://example.com/next" />'
    )
