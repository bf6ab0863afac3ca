"""The Django URLconf of the adversarial suite: the contract suite's routes plus ``/adv/novu``."""

from __future__ import annotations

from django.urls import include, path

from novu_framework_django import serve
from tests.adapters.django_urls import urlpatterns as contract_urlpatterns

from .render_servers import WORKFLOWS, make_client

urlpatterns = [
    *contract_urlpatterns,
    path("adv/novu", include(serve(workflows=WORKFLOWS, client=make_client()))),
]
