"""The Inbox API's routes, free of any web framework: a request (method, path, query, headers, body)
in, a JSON response out. The ASGI and WSGI apps are thin wrappers around :meth:`InboxApi.handle`."""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from novu_framework.constants import ChannelStepType
from novu_framework.inbox import filters as F
from novu_framework.inbox.filters import InboxRequestError, bad
from novu_framework.inbox.serialize import notification, public_id, stored_id
from novu_framework.inbox.tokens import TokenSigner, hash_ok
from novu_framework.js.json import JsonParseError, dumps, loads
from novu_framework.runtime.local import Runtime
from novu_framework.runtime.records import InboxMessage
from novu_framework.runtime.store.sql import SqlStore

# The order in which the Inbox API lists a preference's channels.
_PREFERENCE_CHANNELS: tuple[str, ...] = tuple(
    channel.value
    for channel in (
        ChannelStepType.EMAIL,
        ChannelStepType.SMS,
        ChannelStepType.IN_APP,
        ChannelStepType.CHAT,
        ChannelStepType.PUSH,
    )
)

logger = logging.getLogger("novu_framework.inbox")

PREFIX = "/v1/inbox"
MAX_BODY_BYTES = 64 * 1024
MAX_SUBSCRIBER_ID = 256
CORS_HEADERS = (
    "authorization, content-type, novu-api-version, novu-client-version, "
    "novu-application-identifier, user-agent"
)
CORS_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"

Changed = Callable[[str, InboxMessage | None], Awaitable[None]]
"""Told after every change of a subscriber's inbox (with the new message, when one arrived)."""


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


def _json(status: int, value: Any) -> Response:
    body = dumps(value)
    return Response(status, body, [("content-type", "application/json; charset=utf-8")])


def _error(status: int, message: str) -> Response:
    names = {
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        500: "Internal Server Error",
    }
    return _json(status, {"statusCode": status, "message": message, "error": names.get(status, "Error")})


class InboxApi:
    """The Inbox API of ``runtime``, for Novu's front-end clients (``@novu/js``, ``<Inbox />``).

    ``secret`` signs session tokens (default: ``NOVU_SECRET_KEY``, else a random key per process, so
    tokens do not survive a restart or reach another process). ``hmac_key``: when given, a session
    needs ``subscriberHash`` = hex HMAC-SHA256(hmac_key, subscriberId), as on the platform with HMAC
    enabled; without it anyone who can reach the API can open a session for any subscriber id.
    ``application_identifier``: when given, a session must name it. ``cors_origins``: ``"*"`` or the
    origins allowed to call from a browser.
    """

    def __init__(
        self,
        runtime: Runtime,
        *,
        secret: str | bytes | None = None,
        hmac_key: str | None = None,
        application_identifier: str | None = None,
        cors_origins: str | Sequence[str] = "*",
        signer: TokenSigner | None = None,
    ) -> None:
        if not isinstance(runtime.store, SqlStore):
            raise TypeError(
                f"the Inbox API needs the runtime's SQL store (SQLite or PostgreSQL), not {runtime.store!r}"
            )
        self.runtime = runtime
        self.hmac_key = hmac_key
        self.application_identifier = application_identifier
        self.cors_origins = cors_origins if isinstance(cors_origins, str) else tuple(cors_origins)
        self.signer = signer or TokenSigner(
            secret if secret is not None else os.environ.get("NOVU_SECRET_KEY")
        )
        self.listeners: list[Changed] = []

    @property
    def store(self) -> SqlStore:
        store = self.runtime.store
        if not isinstance(store, SqlStore):
            raise TypeError("the Inbox API needs the runtime's SQL store (SQLite or PostgreSQL)")
        return store

    # --- entry point -----------------------------------------------------------------------------

    async def handle(
        self, method: str, path: str, query_string: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        """Answer one request; ``path`` starts at ``/v1/inbox`` (or below it); header names lowercase."""
        origin = headers.get("origin")
        if method == "OPTIONS":
            response = Response(204)
        else:
            try:
                response = await self._route(method, path, query_string, headers, body)
            except InboxRequestError as exc:
                response = _error(exc.status, exc.message)
            except Exception:
                logger.exception("inbox API: %s %s failed", method, path)
                response = _error(500, "Internal server error (see the server's log)")
        response.headers.extend(self.cors_headers(origin))
        return response

    def cors_headers(self, origin: str | None) -> list[tuple[str, str]]:
        """The CORS headers of an answer to a request from ``origin``."""
        if self.cors_origins == "*":
            allowed = "*"
        elif origin is not None and origin in self.cors_origins:
            allowed = origin
        else:
            return [("vary", "Origin")]
        return [
            ("access-control-allow-origin", allowed),
            ("access-control-allow-methods", CORS_METHODS),
            ("access-control-allow-headers", CORS_HEADERS),
            ("access-control-max-age", "600"),
            ("vary", "Origin"),
        ]

    async def _route(
        self, method: str, path: str, query_string: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        if path.startswith(PREFIX):
            path = path[len(PREFIX) :]
        parts = [unquote(p) for p in path.strip("/").split("/")] if path.strip("/") else []
        if len(body) > MAX_BODY_BYTES:
            raise InboxRequestError(413, f"the request body must be at most {MAX_BODY_BYTES} bytes")
        try:
            query = parse_qs(query_string, keep_blank_values=True, max_num_fields=200, errors="strict")
        except (ValueError, UnicodeDecodeError):
            raise bad("the query string must be at most 200 UTF-8 parameters") from None
        await self.runtime.ready()
        if parts == ["session"]:
            _allow(method, "POST")
            return await self.session(_body(body))
        if not parts or parts[0] not in ("notifications", "preferences"):
            raise InboxRequestError(404, f"Cannot {method} {PREFIX}{path}")
        subscriber = self._subscriber(headers)
        if parts == ["preferences"]:
            _allow(method, "GET")
            return self.preferences()
        if parts == ["notifications"]:
            _allow(method, "GET")
            return await self.list_notifications(subscriber, query)
        if parts == ["notifications", "count"]:
            _allow(method, "GET")
            return await self.count(subscriber, query)
        if (
            len(parts) == 2
            and parts[0] == "notifications"
            and parts[1] in ("seen", "read", "archive", "read-archive")
        ):
            _allow(method, "POST")
            return await self.bulk(subscriber, parts[1], _body(body))
        if (
            len(parts) == 3
            and parts[0] == "notifications"
            and parts[2] in ("read", "unread", "archive", "unarchive")
        ):
            _allow(method, "PATCH")
            return await self.mark(subscriber, parts[1], parts[2])
        raise InboxRequestError(404, f"Cannot {method} {PREFIX}{path}")

    def _subscriber(self, headers: Mapping[str, str]) -> str:
        auth = headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            raise InboxRequestError(401, "Authorization header with a session token (Bearer) is required")
        subscriber = self.signer.subscriber(auth[7:].strip())
        if subscriber is None:
            raise InboxRequestError(401, "The session token is invalid or expired")
        return subscriber

    # --- routes ----------------------------------------------------------------------------------

    async def session(self, body: Any) -> Response:
        if not isinstance(body, dict):
            raise bad("the body must be a JSON object")
        app_id = body.get("applicationIdentifier")
        if self.application_identifier is not None and app_id != self.application_identifier:
            raise bad("Please provide a valid application identifier")
        sub = body.get("subscriber")
        subscriber_id = sub.get("subscriberId") if isinstance(sub, dict) else sub
        if subscriber_id in (None, "") and isinstance(body.get("subscriberId"), str):
            subscriber_id = body["subscriberId"]  # deprecated form
        if not isinstance(subscriber_id, str) or not subscriber_id.strip():
            raise bad("subscriber.subscriberId must be a non-empty string")
        if not _text(subscriber_id):
            raise bad("subscriber.subscriberId must be valid Unicode text")
        if len(subscriber_id) > MAX_SUBSCRIBER_ID:
            raise bad(f"subscriber.subscriberId must be at most {MAX_SUBSCRIBER_ID} characters")
        if self.hmac_key is not None and not hash_ok(
            self.hmac_key, subscriber_id, body.get("subscriberHash")
        ):
            raise bad("Please provide a valid HMAC hash")
        counts, _ = await self.badges(subscriber_id)
        return _json(
            201,
            {
                "data": {
                    "token": self.signer.issue(subscriber_id),
                    "totalUnreadCount": counts["total"],
                    "unreadCount": counts,
                    "removeNovuBranding": True,
                    "isDevelopmentMode": False,
                    "maxSnoozeDurationHours": 0,
                    "contextKeys": [],
                }
            },
        )

    async def list_notifications(self, subscriber: str, query: Mapping[str, list[str]]) -> Response:
        echo, limit, after, offset = F.list_query(query)
        after_id = None if after is None else stored_id(after)
        if after is not None and after_id is None:
            raise bad(f"after must be the id of a notification, got {after!r}")
        page = await self.store.inbox_page(
            subscriber, F.store_filter(echo, self.runtime.workflows), limit, after_id, offset
        )
        if page is None:
            raise bad(f"after: no notification with id {after!r} in this inbox")
        messages, more = page
        data = [notification(m, self.runtime.workflows.get(m.workflow_id)) for m in messages]
        return _json(200, {"data": data, "hasMore": more, "filter": echo})

    async def count(self, subscriber: str, query: Mapping[str, list[str]]) -> Response:
        echoes = F.count_filters(query)
        wfs = self.runtime.workflows
        counts = await self.store.inbox_counts(subscriber, [F.store_filter(e, wfs) for e in echoes])
        return _json(200, {"data": [{"count": n, "filter": e} for n, e in zip(counts, echoes, strict=True)]})

    async def mark(self, subscriber: str, public: str, action: str) -> Response:
        message_id = stored_id(public)
        found = None
        if message_id is not None:
            found = await self.store.inbox_mark(subscriber, message_id, action, self.runtime.clock())
        if found is None:
            raise InboxRequestError(404, f"Notification with id: {public} is not found.")
        await self.changed(subscriber)
        return _json(200, {"data": notification(found, self.runtime.workflows.get(found.workflow_id))})

    async def bulk(self, subscriber: str, action: str, body: Any) -> Response:
        echo, ids = F.bulk_body(body, with_ids=action == "seen")
        now = self.runtime.clock()
        if ids is not None:
            if ids:  # an empty list changes nothing, as on the platform
                stored = [s for s in (stored_id(i) for i in ids) if s is not None]
                await self.store.inbox_mark_where(subscriber, action, now, ids=stored)
                await self.changed(subscriber)
        else:
            flt = F.store_filter(echo, self.runtime.workflows)
            await self.store.inbox_mark_where(subscriber, action, now, flt)
            await self.changed(subscriber)
        return Response(204)

    def preferences(self) -> Response:
        channels = _PREFERENCE_CHANNELS
        out: list[dict[str, Any]] = [
            {"level": "global", "enabled": True, "channels": dict.fromkeys(channels, True)}
        ]
        for wf in self.runtime.workflows.values():
            prefs = wf.preferences
            every = (prefs.get("all") or {}).get("enabled", True)
            per = prefs.get("channels") or {}
            out.append(
                {
                    "level": "template",
                    "enabled": bool(every),
                    "channels": {c: bool((per.get(c) or {}).get("enabled", every)) for c in channels},
                    "workflow": {
                        "id": wf.id,
                        "identifier": wf.id,
                        "name": wf.name or wf.id,
                        "critical": bool((prefs.get("all") or {}).get("readOnly", False)),
                        "tags": list(wf.tags),
                        "severity": wf.severity,
                    },
                }
            )
        return _json(200, {"data": out})

    # --- counts and change notices ---------------------------------------------------------------

    async def badges(self, subscriber: str) -> tuple[dict[str, Any], int]:
        """The unread counts (``{total, severity}``) and the unseen count of a subscriber."""
        per_workflow, unseen = await self.store.inbox_badges(subscriber)
        return F.severity_counts(per_workflow, self.runtime.workflows), unseen

    async def changed(self, subscriber: str, message: InboxMessage | None = None) -> None:
        for listener in list(self.listeners):
            try:
                await listener(subscriber, message)
            except Exception:
                logger.exception("inbox API: a change listener failed")


def _text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \ud800 escape
        return False
    return True


def _allow(method: str, expected: str) -> None:
    if method != expected:
        raise InboxRequestError(405, f"{method} is not allowed here; use {expected}")


def _body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return loads(raw)
    except JsonParseError:
        raise bad("the body must be JSON") from None


__all__ = ["InboxApi", "Response", "public_id"]
