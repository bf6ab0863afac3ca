"""Identifiers of triggers and runs: UUIDs that begin with the time (version 7, RFC 9562).

Rows keyed by them are appended near the end of their indexes instead of anywhere in them, so a
burst of inserts touches few pages; 74 random bits keep them unique across processes.
"""

from __future__ import annotations

import os
import time

_VARIANT = "89ab"


def new_id() -> str:
    """A new version 7 UUID as text (``0190f0c2-8f4e-7a3b-9c1d-0123456789ab``)."""
    ms = f"{time.time_ns() // 1_000_000:012x}"
    r = os.urandom(10).hex()
    return f"{ms[:8]}-{ms[8:]}-7{r[:3]}-{_VARIANT[int(r[3], 16) & 3]}{r[4:7]}-{r[8:]}"
