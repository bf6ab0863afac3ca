"""WSGI entry point (``manage.py runserver``, gunicorn): the bridge runs as a synchronous view."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge_site.settings")
application = get_wsgi_application()
