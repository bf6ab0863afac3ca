"""Errors the embedded runtime raises on its own (the core's errors cover payloads and workflows)."""

from __future__ import annotations

from novu_framework.errors import BadRequestError, ConflictError, NovuError


class PayloadTooLargeError(BadRequestError):
    """The trigger payload is larger than the runtime accepts."""

    status_code = 413
    code = "PayloadTooLargeError"

    def __init__(self, workflow_id: str, size: int, limit: int) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` was triggered with a payload of {size} bytes; the embedded "
            f"runtime accepts at most {limit} bytes. Send less data, or raise `max_payload_bytes`.",
            {"size": size, "limit": limit},
        )


class PayloadNotJsonError(BadRequestError):
    """A trigger holds values JSON cannot represent (NaN, a date object, a set, bytes, ...) in its
    payload, or in the field ``field`` names (``context``, ``overrides``, ``actor``, a subscriber)."""

    code = "PayloadNotJsonError"

    def __init__(self, workflow_id: str, reason: str, field: str = "payload") -> None:
        what = "a payload" if field == "payload" else f"`{field}`"
        super().__init__(
            f"Workflow with id: `{workflow_id}` was triggered with {what} that is not JSON: {reason}. "
            "Send plain JSON values (convert dates to ISO strings).",
            {"field": field, "reason": reason},
        )


class InvalidRecipientError(BadRequestError):
    """``to`` does not name a subscriber the embedded runtime can deliver to."""

    code = "InvalidRecipientError"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Invalid `to`: {detail}. Pass a subscriber id, a subscriber dict with `subscriberId` "
            '(or `subscriber_id`), a topic `{"type": "Topic", "topicKey": ...}`, or a list of those.'
        )


class DuplicateTransactionError(ConflictError):
    """A trigger reused a transaction id that the runtime has already accepted."""

    code = "DuplicateTransactionError"

    def __init__(self, transaction_id: str) -> None:
        super().__init__(
            f"A trigger with transaction id `{transaction_id}` was already accepted. "
            "Use a new transaction id (or none, and one is generated)."
        )


class LeaseLostError(NovuError):
    """This worker no longer holds the run: another worker took it over, or it was cancelled."""

    code = "LeaseLostError"


class MigrationError(NovuError):
    """The database schema is newer than this version of the package understands."""

    code = "MigrationError"


class StoreError(NovuError):
    """The runtime's database cannot be used: corrupt, read-only, full or missing. Says which file and
    what to do; the database's own error is kept as ``__cause__``."""

    code = "StoreError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
