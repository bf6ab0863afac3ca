"""Novu's Inbox API served by the local runtime, for Novu's own front-end clients (``@novu/js``,
``<Inbox />``): HTTP routes under ``/v1/inbox`` and the socket.io real-time channel.

``inbox_app(runtime)`` is an ASGI app; ``with_inbox(bridge_app, inbox)`` serves it next to another
ASGI app on one origin; ``inbox_wsgi_app(runtime)`` is the HTTP part for WSGI servers.
"""

from __future__ import annotations

from novu_framework.inbox.asgi import InboxAsgi, inbox_app, with_inbox
from novu_framework.inbox.handlers import InboxApi
from novu_framework.inbox.serialize import public_id, stored_id
from novu_framework.inbox.tokens import TokenSigner, subscriber_hash
from novu_framework.inbox.wsgi import REALTIME_NEEDS_ASGI, inbox_wsgi_app, with_inbox_wsgi

__all__ = [
    "REALTIME_NEEDS_ASGI",
    "InboxApi",
    "InboxAsgi",
    "TokenSigner",
    "inbox_app",
    "inbox_wsgi_app",
    "public_id",
    "stored_id",
    "subscriber_hash",
    "with_inbox",
    "with_inbox_wsgi",
]
