"""Root URLconf of the contract suite's Django servers."""

from __future__ import annotations

from django.urls import include, path

from novu_framework_django import serve

from .bridge_workflows import WORKFLOWS, make_client

urlpatterns = [path("api/novu", include(serve(workflows=WORKFLOWS, client=make_client())))]
