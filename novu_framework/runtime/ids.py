"""Identifiers of triggers and runs: UUIDs that begin with the time (version 7, RFC 9562).

Rows keyed by them are appended near the end of their indexes instead of anywhere in them, so a
burst of inserts touches few pages. Within a process the ids are strictly increasing: the 12 bits
after the millisecond count up (RFC 9562 §6.2, method 1; when 4096 are taken in one millisecond the
next millisecond is borrowed). The last 62 bits are random per process, drawn again in a forked
child, so processes sharing a database never make the same id. No randomness is drawn per id, which
keeps a burst of triggers cheap; the ids are unique, not secret.
"""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_last_ms = -1
_seq = 0
_head = ""  # "tttttttt-tttt-7" for _last_ms
_tail = ""  # "-vrrr-rrrrrrrrrrrr": the variant and this process's random bits


# The id's end from its 12 counting bits on ("sss" + _tail), made once per value and process: the
# formatting costs more than the rest of an id.
_ends: list[str | None] = [None] * 0x1000


def _new_tail() -> None:
    global _tail
    r = os.urandom(8).hex()
    _tail = f"-{'89ab'[int(r[0], 16) & 3]}{r[1:4]}-{r[4:16]}"
    _ends[:] = [None] * 0x1000


_new_tail()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_tail)


def new_id() -> str:
    """A new version 7 UUID as text (``0190f0c2-8f4e-7a3b-9c1d-0123456789ab``)."""
    return new_ids(1)[0]


def _start_millisecond(ms: int) -> None:
    global _last_ms, _seq, _head
    hex_ms = f"{ms:012x}"
    _last_ms, _seq, _head = ms, 0, f"{hex_ms[:8]}-{hex_ms[8:]}-7"


def new_ids(count: int) -> list[str]:
    """``count`` new version 7 UUIDs, each greater than every id this process made before."""
    global _seq
    ms = time.time_ns() // 1_000_000
    with _lock:
        if ms > _last_ms:
            _start_millisecond(ms)
        ids = []
        for _ in range(count):
            if _seq > 0xFFF:  # the millisecond is used up: continue in the next one
                _start_millisecond(_last_ms + 1)
            end = _ends[_seq]
            if end is None:
                end = _ends[_seq] = f"{_seq:03x}{_tail}"
            ids.append(_head + end)
            _seq += 1
        return ids
