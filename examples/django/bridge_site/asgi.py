"""ASGI entry point (uvicorn, daphne): the bridge runs as a native async view."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge_site.settings")
application = get_asgi_application()
