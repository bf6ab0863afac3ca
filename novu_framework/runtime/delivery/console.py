"""The default provider: writes each message to a stream (standard output unless told otherwise)."""

from __future__ import annotations

import sys
import threading
from typing import Any, TextIO

from novu_framework.js.json import dumps
from novu_framework.runtime.delivery.base import Message


class ConsoleProvider:
    """Prints ``[channel] to <recipient>: <outputs as JSON>`` — for development and tests."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    async def send(self, message: Message) -> dict[str, Any]:
        stream = self._stream or sys.stdout
        line = (
            f"[novu {message.channel}] to {message.recipient or message.subscriber.get('subscriberId')}: "
            f"{dumps(message.outputs).decode('utf-8')}\n"
        )
        with self._lock:
            stream.write(line)
            stream.flush()
        return {"id": message.idempotency_key}
