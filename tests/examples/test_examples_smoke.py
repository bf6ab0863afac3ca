"""Each example starts with its documented command and serves the shared workflows at /api/novu."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.adapters.signer import novu_signature
from tests.servers import free_port, stop_process, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk_test_examples_smoke"

COMMANDS = {
    "fastapi": ["examples/fastapi/app.py"],
    "flask": ["examples/flask/app.py"],
    "django-runserver": ["examples/django/manage.py", "runserver", "127.0.0.1:{port}", "--noreload"],
    "django-uvicorn": [
        "-m", "uvicorn", "--app-dir", "examples/django", "bridge_site.asgi:application", "--port", "{port}",
    ],
}  # fmt: skip


@pytest.fixture(scope="module", params=sorted(COMMANDS))
def example(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOVU_", "DJANGO_", "PYTHONPATH"))}
    env |= {"NOVU_SECRET_KEY": SECRET, "PORT": str(port)}
    args = [arg.format(port=port) for arg in COMMANDS[request.param]]
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/api/novu"
    try:
        status = wait_until_answering(url, process, request.param, timeout=60, interval=0.1)
        assert status == 200, f"{request.param} answered the health-check with {status}"
        yield url
    finally:
        stop_process(process)


@pytest.mark.parametrize("slash", ["", "/"])
def test_health_check(example: str, slash: str) -> None:
    response = httpx.get(f"{example}{slash}?action=health-check", follow_redirects=False)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["discovered"] == {"workflows": 2, "steps": 5}


def test_discover_is_signed_and_lists_the_shared_workflows(example: str) -> None:
    assert httpx.get(f"{example}?action=discover").status_code == 401  # strict by default
    response = httpx.get(f"{example}?action=discover", headers={"novu-signature": novu_signature(SECRET)})
    assert response.status_code == 200
    workflows = {w["workflowId"]: w for w in response.json()["workflows"]}
    assert list(workflows) == ["welcome", "comment-digest"]
    assert [(s["stepId"], s["type"]) for s in workflows["welcome"]["steps"]] == [
        ("welcome-inbox", "in_app"),
        ("wait-a-day", "delay"),
        ("welcome-email", "email"),
    ]
    assert workflows["comment-digest"]["payload"]["schema"]["required"] == [
        "post_id",
        "post_title",
        "author_name",
        "comment",
    ]


def test_execute_the_comment_digest_email(example: str) -> None:
    comment = {"post_id": "p1", "post_title": "Launch", "author_name": "Bob", "comment": "Great <b>news</b>"}
    events = [
        {"id": f"job_{i}", "time": "2026-01-10T10:00:00.000Z", "payload": {**comment, "author_name": name}}
        for i, name in enumerate(["Bob", "Eve", "Bob"])
    ]
    state = [{"stepId": "collect-comments", "outputs": {"events": events}, "state": {"status": "completed"}}]
    body = json.dumps({"payload": comment, "controls": {"max_comments": 2}, "state": state}).encode()
    response = httpx.post(
        f"{example}?action=execute&workflowId=comment-digest&stepId=digest-email",
        content=body,
        headers={"content-type": "application/json", "novu-signature": novu_signature(SECRET, body)},
    )
    assert response.status_code == 200, response.text
    outputs = response.json()["outputs"]
    assert outputs["subject"] == "New comments on “Launch”"
    assert outputs["body"].startswith(
        "<p>3 new comments from 2 people:</p><ul><li><b>Bob</b>: Great &lt;b&gt;news"
    )
    assert outputs["body"].endswith("<p>…and 1 more.</p>")
