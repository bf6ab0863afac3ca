"""Django settings for the test process only: the adapter itself needs nothing beyond the include()."""

from __future__ import annotations

import django
from django.conf import settings

URLCONF = f"{__package__}.django_urls"


def configure() -> None:
    """Configure Django once, with the middleware a real project has (CSRF and APPEND_SLASH included)."""
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="contract-suite-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        ROOT_URLCONF=URLCONF,
        APPEND_SLASH=True,
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
    )
    django.setup()
