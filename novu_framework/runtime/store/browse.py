"""Read-only queries for browsing the runtime's records (the Studio): pages of runs, one run, a
subscriber's delivered messages.

Run pages use keyset paging on ``(created_at, id)``, newest first, so that a page costs the same on the
ten-thousandth page as on the first; the indexes of migration 3 serve every filter combination.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from novu_framework.runtime.delivery.base import PROVIDER_CHANNELS
from novu_framework.runtime.records import RunRecord
from novu_framework.runtime.store.base import RunQuery, Store
from novu_framework.runtime.store.encoding import parse
from novu_framework.runtime.store.queries import equal_to
from novu_framework.runtime.store.rows import fetch_all, fetch_one
from novu_framework.runtime.store.sql import SqlStore


class BrowseNotSupportedError(TypeError):
    """Browsing needs one of the SQL stores."""


def _sql_store(store: Store) -> SqlStore:
    if not isinstance(store, SqlStore):
        raise BrowseNotSupportedError(
            f"browsing runs needs the SQLite or PostgreSQL store, not {type(store).__name__}"
        )
    return store


@dataclass(frozen=True)
class RunFilter:
    """Which runs a page lists; times are epoch milliseconds (``since`` inclusive, ``until`` exclusive)."""

    workflow_id: str | None = None
    subscriber_id: str | None = None
    status: str | None = None
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class RunRow:
    """One line of a run list (no steps)."""

    id: str
    transaction_id: str
    workflow_id: str
    subscriber_id: str
    status: str
    error: str | None
    created_at: int
    updated_at: int
    finished_at: int | None
    next_at: int | None


@dataclass(frozen=True)
class RunPage:
    rows: list[RunRow]
    next: tuple[int, str] | None  # the (created_at, id) to continue after, if there are more


_ROW_COLUMNS = "id, transaction_id, workflow_id, subscriber_id, status, error, created_at, updated_at, finished_at, next_at"


async def run_page(store: Store, where: RunFilter, after: tuple[int, str] | None, limit: int) -> RunPage:
    """Up to ``limit`` runs matching ``where``, newest first, after the key ``after`` of a previous page."""
    sql = _sql_store(store)
    clauses, params = equal_to(
        (("workflow_id", where.workflow_id), ("subscriber_id", where.subscriber_id), ("status", where.status))
    )
    if where.since is not None:
        clauses.append("created_at >= ?")
        params.append(where.since)
    if where.until is not None:
        clauses.append("created_at < ?")
        params.append(where.until)
    if after is not None:
        # The first term bounds the index range; the second breaks ties on the same millisecond.
        clauses.append("created_at <= ? AND (created_at < ? OR id < ?)")
        params.extend([after[0], after[0], after[1]])
    clause = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    text = f"SELECT {_ROW_COLUMNS} FROM novu_runs{clause} ORDER BY created_at DESC, id DESC LIMIT ?"

    def run() -> RunPage:
        rows = [RunRow(**row) for row in fetch_all(sql.execute(text, (*params, limit + 1)))]
        more = len(rows) > limit
        rows = rows[:limit]
        return RunPage(rows, (rows[-1].created_at, rows[-1].id) if more and rows else None)

    return await sql.call(lambda: sql.read(run))


async def run_by_id(store: Store, run_id: str) -> RunRecord | None:
    """One run with its steps, deliveries and attempts."""
    sql = _sql_store(store)

    def find() -> Any:
        return fetch_one(sql.execute("SELECT transaction_id FROM novu_runs WHERE id = ?", (run_id,)))

    row = await sql.call(lambda: sql.read(find))
    if row is None:
        return None
    # A trigger has one run per subscriber: fetch them (few) and keep this one.
    for run in await store.runs(RunQuery(transaction_id=row["transaction_id"], limit=100_000)):
        if run.id == run_id:
            return run
    return None


async def merged_runs(store: Store, run_id: str) -> list[str]:
    """The runs whose events were digested into ``run_id``, oldest first."""
    sql = _sql_store(store)

    def run() -> list[str]:
        rows = sql.execute(
            "SELECT id FROM novu_runs WHERE merged_into = ? ORDER BY created_at, id", (run_id,)
        )
        return [r["id"] for r in fetch_all(rows)]

    return await sql.call(lambda: sql.read(run))


async def subscribers(store: Store, limit: int) -> list[tuple[str, int]]:
    """Subscribers that have runs, most recently triggered first, with their number of runs."""
    sql = _sql_store(store)

    def run() -> list[tuple[str, int]]:
        rows = sql.execute(
            "SELECT subscriber_id, COUNT(*) AS runs, MAX(created_at) AS latest FROM novu_runs "
            "GROUP BY subscriber_id ORDER BY MAX(created_at) DESC, subscriber_id LIMIT ?",
            (limit,),
        )
        return [(r["subscriber_id"], int(r["runs"])) for r in fetch_all(rows)]

    return await sql.call(lambda: sql.read(run))


@dataclass(frozen=True)
class SentMessage:
    """A message delivered (or being delivered) on an outside channel, with the step's outputs."""

    delivery_id: str
    run_id: str
    workflow_id: str
    step_id: str
    channel: str
    provider: str
    recipient: str | None
    status: str
    error: str | None
    created_at: int
    outputs: dict[str, Any]


async def outbox(
    store: Store, subscriber_id: str, limit: int, channels: Sequence[str] = PROVIDER_CHANNELS
) -> list[SentMessage]:
    """The email, sms, push and chat messages of a subscriber's runs, newest first."""
    sql = _sql_store(store)
    marks = ", ".join("?" * len(channels))
    text = (
        "SELECT d.id AS delivery_id, d.run_id, r.workflow_id, d.step_id, d.channel, d.provider, d.recipient, "
        "d.status, d.error, d.created_at, s.outputs FROM novu_runs r "
        "JOIN novu_deliveries d ON d.run_id = r.id "
        "LEFT JOIN novu_steps s ON s.run_id = d.run_id AND s.step_id = d.step_id "
        f"WHERE r.subscriber_id = ? AND d.channel IN ({marks}) ORDER BY d.created_at DESC, d.id LIMIT ?"
    )

    def run() -> list[SentMessage]:
        rows = fetch_all(sql.execute(text, (subscriber_id, *channels, limit)))
        return [SentMessage(**{**r, "outputs": parse(r["outputs"]) or {}}) for r in rows]

    return await sql.call(lambda: sql.read(run))
