"""Sign bridge requests the way the Novu cloud does (independent of the package's own signing code)."""

from __future__ import annotations

import hashlib
import hmac
import time


def novu_signature(secret: str, body: bytes = b"{}", *, timestamp_ms: int | None = None) -> str:
    """``t=<ms>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``; GET requests are signed over ``{}``."""
    stamp = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    digest = hmac.new(secret.encode("utf-8"), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"
