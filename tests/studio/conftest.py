from __future__ import annotations

from tests.runtime.conftest import FakeClock, clock, postgres  # noqa: F401  (fixtures shared with the runtime tests)
