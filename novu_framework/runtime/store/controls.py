"""Control values saved for workflow steps (table ``novu_step_controls``), used by local runs.

Kept apart from the run store since only the Studio writes them and the runner reads them; the functions
take the SQL store (SQLite or PostgreSQL) and go through its own connections and transactions.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from novu_framework.runtime.store.base import Store
from novu_framework.runtime.store.encoding import parse, to_json
from novu_framework.runtime.store.rows import fetch_all
from novu_framework.runtime.store.sql import SqlStore


class ControlsNotSupportedError(TypeError):
    """The store is not one of the SQL stores, which are the ones that keep control values."""


def _sql_store(store: Store) -> SqlStore:
    if not isinstance(store, SqlStore):
        raise ControlsNotSupportedError(
            f"saved step controls need the SQLite or PostgreSQL store, not {type(store).__name__}"
        )
    return store


async def saved_controls(store: Store, workflow_id: str) -> dict[str, dict[str, Any]]:
    """The control values saved for ``workflow_id``'s steps, by step id (empty for other stores)."""
    if not isinstance(store, SqlStore):
        return {}

    def run() -> dict[str, dict[str, Any]]:
        rows = fetch_all(
            store.execute(
                "SELECT step_id, controls FROM novu_step_controls WHERE workflow_id = ?", (workflow_id,)
            )
        )
        return {row["step_id"]: parse(row["controls"]) for row in rows}

    return await store.call(lambda: store.read(run))


async def save_controls(store: Store, workflow_id: str, step_id: str, controls: Mapping[str, Any]) -> None:
    """Save (replace) the control values of one step."""
    sql = _sql_store(store)
    text = to_json(dict(controls))
    now = int(time.time() * 1000)

    def run() -> None:
        sql.execute(
            "INSERT INTO novu_step_controls (workflow_id, step_id, controls, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (workflow_id, step_id) DO UPDATE SET controls = excluded.controls, "
            "updated_at = excluded.updated_at",
            (workflow_id, step_id, text, now),
        )

    await sql.transact(run)


async def delete_controls(store: Store, workflow_id: str, step_id: str) -> bool:
    """Forget the saved control values of one step (its defaults apply again); True if it had some."""
    sql = _sql_store(store)

    def run() -> bool:
        cursor = sql.execute(
            "DELETE FROM novu_step_controls WHERE workflow_id = ? AND step_id = ?", (workflow_id, step_id)
        )
        return int(cursor.rowcount) > 0

    return await sql.transact(run)
