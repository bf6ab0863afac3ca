"""Django for the test process: the shared configuration (``tests.servers.configure_django``) with the
contract suite's URLconf; the adapter itself needs nothing beyond the include()."""

from __future__ import annotations

from tests.servers import configure_django

URLCONF = f"{__package__}.django_urls"


def configure() -> None:
    """Configure Django once a process, the contract suite's URLconf at the root."""
    configure_django(URLCONF)
