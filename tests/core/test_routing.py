"""Where Workflow.trigger() sends a trigger: the NOVU_RUNTIME rule of docs/TRIGGER.md."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework import workflow
from novu_framework.errors import MissingSecretKeyError
from novu_framework.routing import (
    TriggerRoutingError,
    decide_route,
    is_placeholder_key,
    local_runtime,
    register_local_runtime,
)
from novu_framework.runtime import Runtime
from tests.api_client.recording_server import RecordingServer


@workflow("routed", payload_schema={"type": "object", "properties": {"n": {"type": "integer", "default": 1}}})
async def routed(step: Any) -> None:
    await step.in_app("inbox", lambda controls: {"body": "hi"})


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NOVU_RUNTIME", "NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_API_URL", "NOVU_BRIDGE_ORIGIN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def api(clean_env: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    clean_env.setenv("NOVU_API_URL", server.url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def local(tmp_path: Path) -> Any:
    runtime = Runtime([routed], store=str(tmp_path / "rt.sqlite3"))
    register_local_runtime(lambda: runtime)
    try:
        yield runtime
    finally:
        register_local_runtime(None)
        await runtime.close()


@pytest.mark.parametrize(
    ("env", "key", "target"),
    [
        ({}, None, "local"),
        ({}, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "cloud"),
        ({"NOVU_RUNTIME": "local"}, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "local"),
        ({"NOVU_RUNTIME": " Local "}, None, "local"),
        ({"NOVU_RUNTIME": "cloud"}, "a1b2c3d4e5f60718293a4b5c6d7e8f90", "cloud"),
        ({"NOVU_RUNTIME": ""}, None, "local"),
    ],
)
def test_the_rule(clean_env: pytest.MonkeyPatch, env: dict[str, str], key: str | None, target: str) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    if key:
        clean_env.setenv("NOVU_SECRET_KEY", key)
    route = decide_route()
    assert route.target == target
    assert route.reason  # always says why


def test_cloud_without_a_key_is_an_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NOVU_RUNTIME", "cloud")
    with pytest.raises(MissingSecretKeyError):
        decide_route()


def test_an_unknown_runtime_value_names_the_choices(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NOVU_RUNTIME", "prod")
    with pytest.raises(TriggerRoutingError, match=r"'prod'.*'local'.*'cloud'"):
        decide_route()


@pytest.mark.parametrize(
    "key", ["sk_...", "sk_", "dummy", "<your secret key>", "xxxx", "your-secret-key", " "]
)
def test_placeholders_are_recognised(key: str) -> None:
    assert is_placeholder_key(key)


@pytest.mark.parametrize(
    "key", ["a1b2c3d4e5f60718293a4b5c6d7e8f90", "sk-trigger", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"]
)
def test_real_looking_keys_are_not_placeholders(key: str) -> None:
    assert not is_placeholder_key(key)


async def test_a_placeholder_key_never_reaches_the_cloud_nor_runs_locally(
    api: RecordingServer, clean_env: pytest.MonkeyPatch, local: Runtime
) -> None:
    clean_env.setenv("NOVU_SECRET_KEY", "sk_...")
    with pytest.raises(TriggerRoutingError, match=r"placeholder.*NOVU_RUNTIME=local"):
        await routed.trigger(to="u1", payload={})
    assert api.requests == []
    assert await local.history() == []


async def test_no_key_runs_on_the_registered_local_runtime(
    api: RecordingServer, local: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="novu_framework"):
        result = await routed.trigger(to="u1", payload={})
    assert api.requests == []
    [run] = await local.history(transaction_id=result.transaction_id)
    assert run.payload == {"n": 1}  # validated once, by Workflow.trigger(), defaults applied
    await local.run_until_idle()
    assert [m.content["body"] for m in await local.inbox("u1")] == ["hi"]


async def test_runtime_local_wins_over_a_real_key(
    api: RecordingServer, clean_env: pytest.MonkeyPatch, local: Runtime
) -> None:
    clean_env.setenv("NOVU_SECRET_KEY", "a1b2c3d4e5f60718293a4b5c6d7e8f90")
    clean_env.setenv("NOVU_RUNTIME", "local")
    await routed.trigger(to="u1", payload={"n": 2})
    assert api.requests == []
    assert [r.payload for r in await local.history()] == [{"n": 2}]


async def test_a_real_key_goes_to_the_api(
    api: RecordingServer, clean_env: pytest.MonkeyPatch, local: Runtime
) -> None:
    clean_env.setenv("NOVU_SECRET_KEY", "a1b2c3d4e5f60718293a4b5c6d7e8f90")
    await routed.trigger(to="u1", payload={}, transaction_id="t-1")
    assert [(r.method, r.path) for r in api.requests] == [("POST", "/v1/events/trigger")]
    assert await local.history() == []


def test_without_registration_the_installed_entry_point_is_used(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from novu_framework.runtime import default as default_module

    clean_env.setenv("NOVU_RUNTIME_DB", str(tmp_path / "default.sqlite3"))
    clean_env.setenv("NOVU_RUNTIME_WORKER", "0")
    register_local_runtime(None)
    assert local_runtime() is default_module.default_runtime()
    default_module.shutdown_default_runtime()
