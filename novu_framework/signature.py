"""HMAC verification of the ``novu-signature`` header (deviations D1 and D2)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Any

from novu_framework.constants import SIGNATURE_TOLERANCE_MS
from novu_framework.errors import (
    SignatureExpiredError,
    SignatureInvalidError,
    SignatureMismatchError,
    SignatureNotFoundError,
    SigningKeyNotFoundError,
)
from novu_framework.js.json import stringify as js_stringify

_TIMESTAMP = re.compile(r"t=([0-9]+)", re.ASCII)
_HASH = re.compile(r"v1=([0-9a-fA-F]+)", re.ASCII)

_NOT_PARSED: Any = object()

MAX_TIMESTAMP_DIGITS = 16
"""A millisecond timestamp has 13 digits until the year 2286; a longer one is never within tolerance,
and is refused as expired (as the reference does, whose ``Number()`` makes it huge) without parsing
it: Python refuses to parse integers of over 4300 digits at all."""


def sign(secret_key: str, timestamp_ms: int, signed_text: bytes | str) -> str:
    """The header value the Novu cloud sends: ``t=<ms>,v1=<hex HMAC-SHA256(secret, "<t>.<text>")>``."""
    text = signed_text.encode("utf-8") if isinstance(signed_text, str) else signed_text
    digest = hmac.new(secret_key.encode("utf-8"), str(timestamp_ms).encode() + b"." + text, hashlib.sha256)
    return f"t={timestamp_ms},v1={digest.hexdigest()}"


def verify(
    header: str,
    secret_key: str,
    *,
    raw_body: bytes,
    parsed_body: Any = _NOT_PARSED,
    is_post: bool,
    now_ms: int | None = None,
) -> None:
    """Raise the matching ``Signature*Error`` unless ``header`` authenticates the request.

    A POST is authenticated by an HMAC over the raw body bytes, or over JavaScript's ``JSON.stringify``
    of the parsed body (how the Novu cloud and the reference sign). An empty POST body and every
    other method are signed over ``{}``; a body that is not JSON can only be authenticated raw.
    """
    if not header:
        raise SignatureNotFoundError()
    if not secret_key:
        raise SigningKeyNotFoundError()
    parts = header.split(",")
    if len(parts) < 2:
        raise SignatureInvalidError()
    ts_match = _TIMESTAMP.fullmatch(parts[0].strip())
    hash_match = _HASH.fullmatch(parts[1].strip())
    if ts_match is None or hash_match is None:
        raise SignatureInvalidError()
    timestamp_text, received = ts_match.group(1), hash_match.group(1)
    current = int(time.time() * 1000) if now_ms is None else now_ms
    if (
        len(timestamp_text) > MAX_TIMESTAMP_DIGITS
        or abs(current - int(timestamp_text)) > SIGNATURE_TOLERANCE_MS
    ):
        raise SignatureExpiredError()

    key = secret_key.encode("utf-8")
    prefix = timestamp_text.encode("ascii") + b"."
    received_bytes = received.encode("ascii")

    def matches(text: bytes) -> bool:
        expected = hmac.new(key, prefix + text, hashlib.sha256).hexdigest().encode("ascii")
        return hmac.compare_digest(expected, received_bytes)

    if not is_post or not raw_body.strip():
        if not matches(b"{}"):
            raise SignatureMismatchError()
        return
    # The platform sends the bytes it signs: the raw body matches unless a proxy re-encoded it, and
    # only then is the canonical form (``JSON.stringify`` of the parsed body) computed. Knowing which
    # form matched tells a caller only about the body it sent itself.
    if matches(raw_body):
        return
    canonical: bytes | None = None
    if parsed_body is not _NOT_PARSED:
        try:
            canonical = js_stringify(parsed_body).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError, OverflowError, RecursionError):
            canonical = None
    if canonical is None or canonical == raw_body or not matches(canonical):
        raise SignatureMismatchError()
