"""``novu-framework dev``: finds workflows however a module exposes them, serves an open bridge on loopback."""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from novu_framework.cli import main
from novu_framework.devserver import dev_client, is_loopback
from novu_framework.runtime.loader import load_workflows
from tests.runtime.conftest import REPO
from tests.servers import free_port, novu_cli

WORKFLOW = """
from novu_framework import workflow

@workflow("{id}")
async def {name}(step):
    await step.in_app("inbox", lambda controls: {{"body": "{id}"}})
"""


def _app(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(body))
    return path


def test_workflows_are_found_however_the_module_exposes_them(tmp_path: Path) -> None:
    attrs = WORKFLOW.format(id="by-attribute", name="a")
    listed = "\n".join(
        [
            "from novu_framework import workflow",
            "def make(i):",
            "    async def body(step):",
            "        await step.in_app('inbox', lambda controls: {'body': 'x'})",
            "    return workflow(f'listed-{i}', body)",
            "WORKFLOWS = [make(1), make(2)]",
        ]
    )
    served = "\n".join(
        [
            "from fastapi import FastAPI",
            "from novu_framework import workflow",
            "from novu_framework_fastapi import serve",
            "async def body(step):",
            "    await step.in_app('inbox', lambda controls: {'body': 'x'})",
            "app = FastAPI()",
            "app.include_router(serve(workflows=[workflow('only-served', body)]), prefix='/api/novu')",
        ]
    )
    assert [w.id for w in load_workflows(str(_app(tmp_path, "ld_attrs", attrs)))] == ["by-attribute"]
    assert [w.id for w in load_workflows(str(_app(tmp_path, "ld_listed", listed)))] == [
        "listed-1",
        "listed-2",
    ]
    assert [w.id for w in load_workflows(str(_app(tmp_path, "ld_served", served)))] == ["only-served"]


def test_a_module_without_workflows_says_how_to_expose_them(tmp_path: Path) -> None:
    from novu_framework.runtime.loader import AppNotFoundError

    with pytest.raises(AppNotFoundError, match=r"WORKFLOWS.*serve"):
        load_workflows(str(_app(tmp_path, "ld_empty", "x = 1\n")))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)
    assert not dev_client(host).strict_authentication


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com", "::"])
def test_an_open_bridge_is_only_served_on_loopback(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.delenv("NOVU_API_KEY", raising=False)
    assert not is_loopback(host)
    with pytest.raises(ValueError, match="not a loopback address"):
        dev_client(host)
    assert dev_client(host, "a-real-key").strict_authentication  # with a key: signed requests only


def test_dev_on_a_public_host_without_a_key_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOVU_SECRET_KEY", raising=False)
    monkeypatch.delenv("NOVU_API_KEY", raising=False)
    code = main(["--db", str(tmp_path / "x.sqlite3"), "dev", "tests.runtime.apps", "--host", "0.0.0.0"])
    assert code == 2  # refused before anything listens, as a usage error
    assert "not a loopback address" in capsys.readouterr().err


def test_dev_serves_an_open_bridge_says_so_and_runs_the_worker(tmp_path: Path) -> None:
    served = _app(
        tmp_path,
        "ld_dev_app",
        """
        from fastapi import FastAPI
        from novu_framework import workflow
        from novu_framework_fastapi import serve

        @workflow("hello")
        async def hello(step):
            await step.in_app("inbox", lambda controls: {"body": "hi"})

        app = FastAPI()
        app.include_router(serve(workflows=[hello]), prefix="/api/novu")
        """,
    )
    db = str(tmp_path / "dev.sqlite3")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOVU_")}
    env["PYTHONPATH"] = str(REPO)
    cli = novu_cli("--db", db)
    server = subprocess.Popen(
        [*cli, "dev", str(served), "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/novu") as client:
            for _ in range(200):
                try:
                    health = client.get("", params={"action": "health-check"})
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert health.status_code == 200 and health.json()["discovered"]["workflows"] == 1
            # Unsigned, no key anywhere: accepted on loopback.
            execute = client.post(
                "",
                params={"action": "execute", "workflowId": "hello", "stepId": "inbox"},
                json={"payload": {}},
            )
            assert execute.status_code == 200 and execute.json()["outputs"] == {"body": "hi"}
        trigger = subprocess.run(
            [*cli, "trigger", "hello", "--to", "u1", "--app", str(served)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert trigger.returncode == 0, trigger.stderr
        for _ in range(100):
            inbox = subprocess.run(
                [*cli, "inbox", "u1"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
            )
            if "hi" in inbox.stdout:
                break
            time.sleep(0.2)
        assert " hi" in inbox.stdout  # delivered by dev's worker
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "OPEN BRIDGE" in err and "unsigned requests are accepted" in err
    assert "no secret key is set" not in err  # the app's own strict bridge is not what dev serves
