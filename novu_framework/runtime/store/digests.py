"""Digest windows: a run entering a digest step leads a window or merges into the open one; closing a
window hands its events to the leader; a cancelled leader hands its windows over to the oldest run
merged into them. Run on the database thread inside a write transaction.
"""

from __future__ import annotations

from novu_framework.runtime.records import RunStatus
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.base import Commit, DigestedRun, DigestEntry, DigestOutcome, StepWrite
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.encoding import dump, parse
from novu_framework.runtime.store.leases import hold, lock_name, release, upsert_step
from novu_framework.runtime.store.rows import fetch_all, fetch_one


def _digest_lock(db: Database, workflow_id: str, step_id: str, subscriber_id: str, digest_key: str) -> None:
    # One lock row per digest key serialises arrivals and the window's close on PostgreSQL.
    lock_name(db, "digest:" + dump([workflow_id, step_id, subscriber_id, digest_key]))


def _step(
    entry: DigestEntry, status: str, *, wait_until: int | None = None, finished_at: int | None = None
) -> StepWrite:
    return StepWrite(
        step_id=entry.step_id,
        step_type=entry.step_type,
        position=entry.position,
        status=status,
        outputs=entry.outputs,
        providers={},
        started_at=entry.now,
        wait_until=wait_until,
        finished_at=finished_at,
    )


def enter(db: Database, entry: DigestEntry) -> DigestOutcome:
    """The run ``entry`` reaches a digest step: it leads a new window, joins the open one, or (nothing in
    its look-back window) goes on at once."""
    hold(db, entry.run_id, entry.owner, entry.now, entry.lease_ms, entry.prior)
    key = (entry.workflow_id, entry.step_id, entry.subscriber_id, entry.digest_key)
    _digest_lock(db, *key)
    row = fetch_one(db.execute(q.OPEN_DIGEST, key))
    if row is not None and row["leader_run_id"] != entry.run_id:
        db.execute(q.INSERT_DIGEST_EVENT, (row["id"], entry.run_id, entry.event_time))
        upsert_step(db, entry.run_id, _step(entry, "merged", finished_at=entry.now), entry.owner)
        release(db, entry.run_id, entry.now, RunStatus.MERGED.value, None, None, row["leader_run_id"])
        return DigestOutcome("merged", row["leader_run_id"])
    if row is not None:  # this run already leads the open window (re-entry after a crash)
        upsert_step(db, entry.run_id, _step(entry, "waiting", wait_until=entry.closes_at), entry.owner)
        release(db, entry.run_id, entry.now, RunStatus.WAITING.value, entry.closes_at, None, None)
        return DigestOutcome("lead", entry.run_id)
    immediate = False
    if entry.look_back_from is not None:
        immediate = (
            db.execute(q.RECENT_DIGEST_EVENT, (*key, entry.look_back_from, entry.run_id)).fetchone() is None
        )
    digest_id = f"{entry.run_id}:{entry.step_id}"
    db.execute(
        q.INSERT_DIGEST,
        (
            digest_id,
            *key,
            entry.run_id,
            "closed" if immediate else "open",
            entry.now,
            entry.now if immediate else entry.closes_at,
            entry.now if immediate else None,
        ),
    )
    db.execute(q.INSERT_DIGEST_EVENT, (digest_id, entry.run_id, entry.event_time))
    if immediate:
        return DigestOutcome("immediate", entry.run_id)
    upsert_step(db, entry.run_id, _step(entry, "waiting", wait_until=entry.closes_at), entry.owner)
    release(db, entry.run_id, entry.now, RunStatus.WAITING.value, entry.closes_at, None, None)
    return DigestOutcome("lead", entry.run_id)


def close(
    db: Database, run_id: str, step_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None
) -> list[DigestedRun]:
    """Close the window ``run_id`` leads at ``step_id`` (after applying ``prior`` under its lease) and
    return its events, oldest first."""
    hold(db, run_id, owner, now, lease_ms, prior)
    digest = fetch_one(db.execute(q.DIGEST_LED_AT_STEP, (run_id, step_id)))
    if digest is None:
        return []
    _digest_lock(db, digest["workflow_id"], digest["step_id"], digest["subscriber_id"], digest["digest_key"])
    db.execute(q.CLOSE_OPEN_DIGEST, (now, digest["id"]))
    return [
        DigestedRun(row["run_id"], int(row["time"]), parse(row["payload"]))
        for row in fetch_all(db.execute(q.DIGEST_EVENTS, (digest["id"],)))
    ]


def hand_over(db: Database, run_id: str, now: int) -> None:
    """A cancelled run that leads open digest windows passes them to the oldest run merged into
    them (its event leaves the window); a window with nobody left closes. No other event is lost."""
    for digest in fetch_all(db.execute(q.OPEN_DIGESTS_LED, (run_id,))):
        digest_id, step_id, closes_at = digest["id"], digest["step_id"], digest["closes_at"]
        _digest_lock(db, digest["workflow_id"], step_id, digest["subscriber_id"], digest["digest_key"])
        db.execute(q.DELETE_DIGEST_EVENT, (digest_id, run_id))
        heir = fetch_one(db.execute(q.DIGEST_HEIR, (digest_id, RunStatus.MERGED.value)))
        if heir is None:
            db.execute(q.CLOSE_DIGEST, (now, digest_id))
            continue
        heir_id = heir["run_id"]
        db.execute(q.SET_DIGEST_LEADER, (heir_id, digest_id))
        db.execute(q.WAKE_HEIR, (RunStatus.WAITING.value, closes_at, now, heir_id))
        db.execute(q.WAKE_HEIR_STEP, (closes_at, heir_id, step_id))
        db.execute(q.REPOINT_MERGED, (heir_id, run_id, RunStatus.MERGED.value))
