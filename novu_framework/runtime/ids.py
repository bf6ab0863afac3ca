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
    return new_ids(1)[0]


def new_ids(count: int) -> list[str]:
    """``count`` new version 7 UUIDs (one clock reading and one call for random bytes for all)."""
    ms = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{ms[:8]}-{ms[8:]}-7"
    rand = os.urandom(10 * count).hex()
    ids = []
    for i in range(0, 20 * count, 20):
        r = rand[i : i + 20]
        ids.append(f"{head}{r[:3]}-{_VARIANT[int(r[3], 16) & 3]}{r[4:7]}-{r[8:]}")
    return ids
