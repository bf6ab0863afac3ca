"""What a channel provider receives and how it reports failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from novu_framework.constants import ChannelStepType

PROVIDER_CHANNELS: tuple[str, ...] = tuple(
    channel.value for channel in ChannelStepType if channel is not ChannelStepType.IN_APP
)
"""The channels a :class:`Provider` sends (in-app messages go to the subscriber's inbox instead)."""


@dataclass(frozen=True)
class Message:
    """One message for one channel step of one run.

    ``idempotency_key`` is the same for every attempt of this message: a provider that passes it on
    (as SMTP's Message-ID, or an API's idempotency header) lets the receiver drop a repeat.
    """

    channel: str
    idempotency_key: str
    transaction_id: str
    workflow_id: str
    step_id: str
    subscriber: dict[str, Any]
    outputs: dict[str, Any]
    providers: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    attempt: int = 1

    @property
    def recipient(self) -> str | None:
        """The subscriber's address on this channel (email for email, phone for sms, id otherwise)."""
        if self.channel == ChannelStepType.EMAIL:
            return _text(self.subscriber.get("email"))
        if self.channel == ChannelStepType.SMS:
            return _text(self.subscriber.get("phone"))
        return _text(self.subscriber.get("subscriberId"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class DeliveryError(Exception):
    """A provider could not deliver; ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Provider(Protocol):
    """Sends messages of one channel. ``name`` is recorded with every delivery."""

    name: str

    async def send(self, message: Message) -> dict[str, Any]:
        """Deliver ``message``; return what the receiver answered (recorded), raise DeliveryError on "
        "failure."""
        ...
