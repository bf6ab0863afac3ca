"""Root URLconf of the contract suite's Django servers."""

from __future__ import annotations

from tests.servers import django_bridge_path

from .bridge_workflows import WORKFLOWS, make_client

urlpatterns = [django_bridge_path(WORKFLOWS, make_client())]
