"""What each framework's own machinery does with the adapters: URL checks, reversing, view choice."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator

import pytest

from .bridge_workflows import WORKFLOWS, make_client
from .signer import novu_signature


@pytest.fixture(scope="module")
def django_ready() -> Iterator[None]:
    from . import django_setup

    django_setup.configure()
    yield


# --- Django ------------------------------------------------------------------------------------


def test_django_system_checks_pass_for_the_include(django_ready: None) -> None:
    from django.core.checks import run_checks
    from django.urls import path

    assert run_checks(include_deployment_checks=False) == []
    # The same check does flag a plain leading-slash route, so the empty result above means something.
    naive = path("/", lambda request: None)
    assert [w.id for w in naive.check()] == ["urls.W002"]


def test_django_route_reverses_to_the_slashless_url(django_ready: None) -> None:
    from django.urls import reverse

    assert reverse("novu-bridge") == "/api/novu"


def test_django_resolves_a_sync_view_off_the_loop_and_an_async_view_on_it(django_ready: None) -> None:
    from django.urls import resolve

    sync_view = resolve("/api/novu").func
    assert not inspect.iscoroutinefunction(sync_view)
    assert getattr(sync_view, "csrf_exempt", False) is True

    async def on_loop() -> object:
        return resolve("/api/novu/").func

    async_view = asyncio.run(on_loop())
    assert inspect.iscoroutinefunction(async_view)
    assert getattr(async_view, "csrf_exempt", False) is True


@pytest.mark.parametrize("url", ["/api/novu", "/api/novu/"])
def test_django_test_clients_with_csrf_enforced(django_ready: None, url: str) -> None:
    from django.test import AsyncClient, Client

    body = b'{"payload": {"name": "Ada"}, "controls": {}, "state": []}'
    headers = {"novu-signature": novu_signature("sk_test_adapter_contract", body)}
    query = "?action=preview&workflowId=contract-welcome&stepId=inbox"
    response = Client(enforce_csrf_checks=True).post(
        url + query, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200, response.content
    assert response.json()["outputs"]["body"] == "Hi Ada, your free plan is ready"

    async def call() -> object:
        return await AsyncClient(enforce_csrf_checks=True).post(
            url + query, data=body, content_type="application/json", headers=headers
        )

    async_response = asyncio.run(call())
    assert async_response.status_code == 200  # type: ignore[attr-defined]
    assert async_response.json()["outputs"] == response.json()["outputs"]  # type: ignore[attr-defined]


# --- Flask -------------------------------------------------------------------------------------


def test_flask_blueprint_without_prefix_serves_the_root() -> None:
    from flask import Flask

    from novu_framework_flask import serve

    app = Flask("root")
    app.register_blueprint(serve(workflows=WORKFLOWS, client=make_client()))
    response = app.test_client().get("/?action=health-check")
    assert response.status_code == 200
    assert response.get_json()["discovered"]["workflows"] == len(WORKFLOWS)


def test_flask_two_bridges_in_one_app_by_blueprint_name() -> None:
    from flask import Flask

    from novu_framework import Client
    from novu_framework_flask import serve

    app = Flask("two")
    app.register_blueprint(serve(workflows=WORKFLOWS[:1], client=make_client()), url_prefix="/a")
    open_client = Client(secret_key="other", strict_authentication=False)
    app.register_blueprint(serve(workflows=WORKFLOWS, client=open_client), url_prefix="/b", name="novu_b")
    client = app.test_client()
    assert client.get("/a?action=health-check").get_json()["discovered"]["workflows"] == 1
    assert client.get("/b/?action=health-check").get_json()["discovered"]["workflows"] == len(WORKFLOWS)
    assert client.get("/a/?action=discover").status_code == 401
    assert client.get("/b?action=discover").status_code == 200


def test_flask_serve_refuses_two_workflows_with_one_id() -> None:
    from novu_framework import workflow
    from novu_framework.errors import WorkflowAlreadyExistsError
    from novu_framework_flask import serve

    async def handler(step: object) -> None:
        return None

    with pytest.raises(WorkflowAlreadyExistsError, match="contract-welcome"):
        serve(workflows=[*WORKFLOWS, workflow("contract-welcome", handler)], client=make_client())
