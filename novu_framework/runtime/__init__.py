"""The embedded local runtime: runs workflows durably without the Novu platform.

Triggers are persisted, then a worker runs each step through the core's execute path, replaying
earlier results as ``state``; delays, digests and throttles wait in the store, channel steps are
delivered (inbox, SMTP, providers) with retries, and everything is recorded. See ``docs/RUNTIME.md``.
"""

from __future__ import annotations

from novu_framework.runtime.default import default_runtime, set_default_runtime, shutdown_default_runtime
from novu_framework.runtime.delivery import (
    ConsoleProvider,
    DeliveryError,
    Message,
    Provider,
    SmtpEmailProvider,
    SmtpSettings,
)
from novu_framework.runtime.errors import (
    DuplicateTransactionError,
    InvalidRecipientError,
    PayloadNotJsonError,
    PayloadTooLargeError,
    StoreError,
)
from novu_framework.runtime.local import Runtime
from novu_framework.runtime.records import (
    AttemptRecord,
    DeliveryRecord,
    InboxMessage,
    RunRecord,
    RunStatus,
    StepRecord,
    StepStatus,
)
from novu_framework.runtime.scheduler import RetryPolicy
from novu_framework.runtime.store import PostgresStore, SqliteStore, Store, open_store
from novu_framework.trigger_result import TriggerResult

__all__ = [
    "AttemptRecord",
    "ConsoleProvider",
    "DeliveryError",
    "DeliveryRecord",
    "DuplicateTransactionError",
    "InboxMessage",
    "InvalidRecipientError",
    "Message",
    "PayloadNotJsonError",
    "PayloadTooLargeError",
    "PostgresStore",
    "Provider",
    "RetryPolicy",
    "RunRecord",
    "RunStatus",
    "Runtime",
    "SmtpEmailProvider",
    "SmtpSettings",
    "SqliteStore",
    "StepRecord",
    "StepStatus",
    "Store",
    "StoreError",
    "TriggerResult",
    "default_runtime",
    "open_store",
    "set_default_runtime",
    "shutdown_default_runtime",
]
