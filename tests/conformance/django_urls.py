"""URLconf of the Django conformance instances (see serve.py)."""

from django.conf import settings
from django.urls import include, path

from novu_framework import Client
from novu_framework_django import serve
from tests.conformance.catalogue import WORKFLOWS

client = Client(
    secret_key="test-secret-key-oracle",
    api_url="http://127.0.0.1:9",
    strict_authentication=settings.NOVU_CONFORMANCE_STRICT,
)
urlpatterns = [path("api/novu", include(serve(workflows=WORKFLOWS, client=client)))]
