"""``TriggerResult``: what a trigger returns, whether it went to the Novu API or to the local runtime."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from novu_framework._sync import ensure_not_on_loop, run_blocking


@dataclass(frozen=True)
class TriggerResult:
    """The answer to a trigger and the way to cancel it.

    ``data`` is the answer in the Novu API's shape (``{"data": {"acknowledged", "status",
    "transactionId"}}``; from the API, its whole parsed answer), ``transaction_id`` the trigger's
    transaction id. :meth:`cancel` answers like the API's cancel: ``{"data": true}`` when a run was
    cancelled.
    """

    data: Any
    transaction_id: str
    canceller: Callable[[str], Awaitable[Any]] = field(repr=False, compare=False)

    async def cancel(self) -> Any:
        """Cancel what the trigger started and has not finished; the answer (``{"data": true}``)."""
        if not self.transaction_id:
            raise ValueError("this trigger has no transaction id, so it cannot be cancelled")
        return await self.canceller(self.transaction_id)

    def cancel_sync(self) -> Any:
        """Blocking twin of :meth:`cancel`, for threads without a running event loop."""
        ensure_not_on_loop("TriggerResult.cancel_sync", "TriggerResult.cancel")
        return run_blocking(self.cancel())
