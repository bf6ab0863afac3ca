"""The Django URLconf of the adversarial suite: the contract suite's routes plus ``/adv/novu``."""

from __future__ import annotations

from tests.adapters.django_urls import urlpatterns as contract_urlpatterns
from tests.servers import django_bridge_path

from .render_servers import PREFIX, WORKFLOWS, make_client

urlpatterns = [*contract_urlpatterns, django_bridge_path(WORKFLOWS, make_client(), PREFIX)]
