"""The bridge at /api/novu (and /api/novu/): the include is all the Novu set-up Django needs."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from examples.workflows import WORKFLOWS
from novu_framework_django import serve


def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"bridge": "/api/novu"})


urlpatterns = [
    path("", index),
    path("api/novu", include(serve(workflows=WORKFLOWS))),
]
