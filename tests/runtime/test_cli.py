"""The ``novu-framework`` command: trigger, history, inbox, and ``dev`` serving the bridge with a worker."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from novu_framework.cli import main
from tests.runtime.conftest import REPO
from tests.servers import free_port, novu_cli


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def trigger_order(
    capsys: pytest.CaptureFixture[str], db: str, payload: str, *options: str
) -> tuple[int, str, str]:
    """``novu-framework trigger order-shipped`` of the test app on ``db``, with ``options``."""
    return run_cli(
        capsys,
        "--db",
        db,
        "trigger",
        "order-shipped",
        "--payload",
        payload,
        "--app",
        "tests.runtime.apps",
        *options,
    )


def test_trigger_history_and_inbox(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.sqlite3")
    code, out, _ = trigger_order(
        capsys, db, '{"order_id": "C1"}', "--to", "sub-1", "--transaction-id", "txn-cli", "--run"
    )
    assert code == 0
    first_line, *rest = out.splitlines()
    assert json.loads(first_line) == {
        "data": {"acknowledged": True, "status": "processed", "transactionId": "txn-cli"}
    }
    assert "txn=txn-cli" in rest[0] and rest[0].endswith("completed")
    assert [line.split()[1:4] for line in rest[1:4]] == [
        ["inbox", "[in_app]", "completed"],
        ["summary", "[custom]", "completed"],
        ["email", "[email]", "skipped"],  # sub-1 has no email address
    ]

    code, out, _ = run_cli(capsys, "--db", db, "history", "--transaction-id", "txn-cli", "--json")
    [run] = json.loads(out)
    assert run["status"] == "completed" and run["payload"] == {"order_id": "C1", "amount": 1}
    assert [s["step_id"] for s in run["steps"]] == ["inbox", "summary", "email"]
    assert run["deliveries"][0]["attempts"][0]["status"] == "sent"

    code, out, _ = run_cli(capsys, "--db", db, "inbox", "sub-1")
    assert code == 0 and "new" in out and "Order C1 shipped" in out
    message_id = out.split()[2]
    code, out, _ = run_cli(capsys, "--db", db, "inbox", "sub-1", "--read", message_id, "--json")
    [message] = json.loads(out)
    assert message["read"] is True and message["seen"] is True
    code, out, _ = run_cli(capsys, "--db", db, "inbox", "sub-1", "--unread")
    assert out.strip() == "inbox of sub-1 is empty"
    code, out, _ = run_cli(capsys, "--db", db, "history", "--subscriber", "nobody")
    assert out.strip() == "no runs"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["trigger", "order-shipped", "--to", "s", "--payload", "{oops", "--app", "tests.runtime.apps"],
            2,
            "not valid JSON",
        ),
        (["trigger", "order-shipped", "--to", "s", "--payload", "{}"], 2, "pass --app MODULE"),
        (
            ["trigger", "nope", "--to", "s", "--payload", "{}", "--app", "tests.runtime.apps"],
            1,
            "`nope` does not exist",
        ),
        (
            ["trigger", "order-shipped", "--to", "s", "--payload", "{}", "--app", "tests.runtime.apps"],
            1,
            "invalid `payload`",
        ),
        (
            ["trigger", "order-shipped", "--to", "s", "--app", "tests.runtime.no_such_module"],
            1,
            "cannot import module",
        ),
        (["worker", "tests.runtime.conftest"], 1, "no workflow found"),
    ],
)
def test_bad_invocations_say_what_is_wrong(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.delenv("NOVU_APP", raising=False)
    got, out, err = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), *argv)
    assert got == code
    assert message in out + err
    assert not (tmp_path / "x.sqlite3").exists()  # nothing was stored


async def test_dev_serves_the_bridge_and_runs_the_worker(tmp_path: Path) -> None:
    db = str(tmp_path / "dev.sqlite3")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NOVU_STRICT_AUTHENTICATION_ENABLED": "false"}
    env.pop("NOVU_SECRET_KEY", None)
    server = subprocess.Popen(
        novu_cli("--db", db, "dev", "tests.runtime.apps", "--port", str(port)),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            health: Any = None
            for _ in range(100):
                try:
                    health = await client.get("/api/novu", params={"action": "health-check"})
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert health is not None and health.status_code == 200
            assert health.json()["discovered"]["workflows"] == 3
            discover = await client.get("/api/novu", params={"action": "discover"})
            assert sorted(w["workflowId"] for w in discover.json()["workflows"]) == [
                "burst-digest",
                "comment-digest",
                "order-shipped",
            ]

        from novu_framework.runtime import Runtime
        from tests.runtime.apps import order_shipped

        runtime = Runtime([order_shipped], store=db)
        try:
            result = await runtime.trigger(order_shipped, "sub-9", {"order_id": "D1"})
            for _ in range(100):
                [run] = await runtime.history(transaction_id=result.transaction_id)
                if run.status == "completed":
                    break
                time.sleep(0.1)
            assert run.status == "completed"
        finally:
            await runtime.close()
    finally:
        server.terminate()
        server.wait(10)
