"""In-app messages in the two shapes the Novu clients read: the Inbox API's notification (HTTP) and
the platform's stored message (the real-time ``notification_received`` event); and URL-safe ids."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from novu_framework.constants import ChannelStepType
from novu_framework.runtime.records import InboxMessage
from novu_framework.workflow import Workflow

_URL_SAFE = re.compile(r"[A-Za-z0-9._~:-]+")
_ENCODED = "~"  # run ids never start with it, so an encoded id cannot be taken for a raw one


def public_id(message_id: str) -> str:
    """The id the clients see: put in URL paths without encoding, so anything outside
    ``[A-Za-z0-9._~:-]`` (step ids are user strings) is base64url-encoded behind a ``~``."""
    if _URL_SAFE.fullmatch(message_id) and not message_id.startswith(_ENCODED):
        return message_id
    return _ENCODED + base64.urlsafe_b64encode(message_id.encode()).decode().rstrip("=")


def stored_id(public: str) -> str | None:
    """The stored id of a public id (None if it cannot be one)."""
    if not public.startswith(_ENCODED):
        return public if _URL_SAFE.fullmatch(public) else None
    text = public[1:]
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def iso(ms: int | None) -> str | None:
    """Epoch milliseconds as ISO 8601 with milliseconds and ``Z``, as the platform writes dates."""
    if ms is None:
        return None
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def workflow_info(workflow_id: str, wf: Workflow | None) -> dict[str, Any]:
    """The ``workflow`` object of a notification (a workflow no longer registered: its id alone)."""
    if wf is None:
        return {
            "id": workflow_id,
            "identifier": workflow_id,
            "name": workflow_id,
            "critical": False,
            "tags": [],
            "severity": "none",
        }
    critical = bool((wf.preferences.get("all") or {}).get("readOnly", False))
    return {
        "id": wf.id,
        "identifier": wf.id,
        "name": wf.name or wf.id,
        "critical": critical,
        "tags": list(wf.tags),
        "severity": wf.severity,
    }


def _action(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    out: dict[str, Any] = {"label": str(value.get("label", "")), "isCompleted": False}
    redirect = value.get("redirect")
    if isinstance(redirect, Mapping) and redirect.get("url"):
        out["redirect"] = {"url": redirect["url"], "target": redirect.get("target", "_self")}
    return out


def _redirect(value: Any) -> dict[str, Any] | None:
    if isinstance(value, Mapping) and value.get("url"):
        return {"url": value["url"], "target": value.get("target", "_self")}
    return None


def notification(msg: InboxMessage, wf: Workflow | None) -> dict[str, Any]:
    """The Inbox API's ``InboxNotification`` (list items and the answers of the PATCH routes)."""
    content = msg.content or {}
    info = workflow_info(msg.workflow_id, wf)
    out: dict[str, Any] = {
        "id": public_id(msg.id),
        "transactionId": msg.transaction_id,
        "body": str(content.get("body", "")),
        "to": {"id": msg.subscriber_id, "subscriberId": msg.subscriber_id},
        "isRead": msg.read,
        "isSeen": msg.seen,
        "isArchived": msg.archived,
        "isSnoozed": False,
        "snoozedUntil": None,
        "deliveredAt": [],
        "createdAt": iso(msg.created_at),
        "readAt": iso(msg.read_at),
        "firstSeenAt": iso(msg.seen_at),
        "archivedAt": iso(msg.archived_at),
        "channelType": ChannelStepType.IN_APP.value,
        "tags": info["tags"],
        "data": content.get("data") if isinstance(content.get("data"), Mapping) else {},
        "workflow": info,
        "severity": info["severity"],
    }
    if content.get("subject"):
        out["subject"] = str(content["subject"])
    if content.get("avatar"):
        out["avatar"] = str(content["avatar"])
    for key in ("primaryAction", "secondaryAction"):
        action = _action(content.get(key))
        if action is not None:
            out[key] = action
    redirect = _redirect(content.get("redirect"))
    if redirect is not None:
        out["redirect"] = redirect
    return out


def stored_message(msg: InboxMessage, wf: Workflow | None) -> dict[str, Any]:
    """The platform's stored message, which ``notification_received`` carries (the client maps it)."""
    content = msg.content or {}
    info = workflow_info(msg.workflow_id, wf)
    buttons = []
    for kind, key in (("primary", "primaryAction"), ("secondary", "secondaryAction")):
        action = content.get(key)
        if isinstance(action, Mapping):
            target = action.get("redirect")
            link: Mapping[str, Any] = target if isinstance(target, Mapping) else {}
            buttons.append(
                {
                    "type": kind,
                    "content": str(action.get("label", "")),
                    "url": link.get("url"),
                    "target": link.get("target"),
                }
            )
    redirect = _redirect(content.get("redirect"))
    cta: dict[str, Any] = {
        "type": "redirect",
        "data": redirect or {},
        "action": {"status": "pending", "buttons": buttons, "result": {}},
    }
    return {
        "_id": public_id(msg.id),
        "transactionId": msg.transaction_id,
        "content": str(content.get("body", "")),
        "subject": content.get("subject"),
        "read": msg.read,
        "seen": msg.seen,
        "archived": msg.archived,
        "snoozedUntil": None,
        "deliveredAt": [],
        "createdAt": iso(msg.created_at),
        "lastReadDate": iso(msg.read_at),
        "firstSeenDate": iso(msg.seen_at),
        "archivedAt": iso(msg.archived_at),
        "channel": ChannelStepType.IN_APP.value,
        "avatar": content.get("avatar"),
        "tags": info["tags"],
        "data": content.get("data") if isinstance(content.get("data"), Mapping) else {},
        "workflow": info,
        "severity": info["severity"],
        "subscriber": {"_id": msg.subscriber_id, "subscriberId": msg.subscriber_id},
        "cta": cta,
    }
