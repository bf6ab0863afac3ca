from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api_client.recording_server import RecordingServer


@pytest.fixture
def api() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    try:
        yield server
    finally:
        server.stop()
