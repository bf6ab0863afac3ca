"""Session tokens and subscriber hashes.

A token is ``base64url(JSON {"sub", "exp"}) + "." + base64url(HMAC-SHA256(secret, first part))``:
stateless, so every process given the same secret accepts the tokens of the others. The client
treats it as opaque. (The standard library is enough for one HMAC; a JWT library would add a
dependency for no gain here.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable

DEFAULT_TTL_SECONDS = 15 * 24 * 3600  # the platform's subscriber tokens last 15 days


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """Issues and checks tokens naming one subscriber. ``secret`` None: a random one per process."""

    def __init__(
        self,
        secret: str | bytes | None = None,
        *,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if secret is None:
            secret = secrets.token_bytes(32)
        self._key = hashlib.sha256(b"novu-framework inbox token\0" + _bytes(secret)).digest()
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def issue(self, subscriber_id: str) -> str:
        payload = json.dumps(
            {"sub": subscriber_id, "exp": int(self._clock()) + self.ttl_seconds}, separators=(",", ":")
        ).encode()
        head = _b64(payload)
        return head + "." + _b64(hmac.new(self._key, head.encode(), hashlib.sha256).digest())

    def subscriber(self, token: str) -> str | None:
        """The subscriber a valid, unexpired token names; None for anything else."""
        if not isinstance(token, str) or len(token) > 4096 or token.count(".") != 1:
            return None
        head, signature = token.split(".")
        expected = _b64(hmac.new(self._key, head.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            payload = json.loads(_unb64(head))
        except ValueError:
            return None
        sub, exp = payload.get("sub"), payload.get("exp")
        if not isinstance(sub, str) or not sub or not isinstance(exp, int) or exp < self._clock():
            return None
        return sub


def subscriber_hash(hmac_key: str, subscriber_id: str) -> str:
    """The platform's subscriber hash: hex HMAC-SHA256 of the subscriber id under the secret key."""
    return hmac.new(hmac_key.encode(), subscriber_id.encode(), hashlib.sha256).hexdigest()


def hash_ok(hmac_key: str, subscriber_id: str, given: object) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, subscriber_hash(hmac_key, subscriber_id))


def _bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value
