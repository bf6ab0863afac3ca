#!/usr/bin/env python
"""The example workflows served by Django at http://127.0.0.1:4000/api/novu.

Run from the repository root (or anywhere, with the package installed):

    NOVU_SECRET_KEY=<your secret key> python examples/django/manage.py runserver 4000

Under ASGI instead (the bridge then runs as a native async view):

    NOVU_SECRET_KEY=<key> uvicorn --app-dir examples/django bridge_site.asgi:application --port 4000

Without the Novu cloud, add NOVU_STRICT_AUTHENTICATION_ENABLED=false to accept unsigned requests.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridge_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
