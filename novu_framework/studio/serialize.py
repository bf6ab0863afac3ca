"""Runtime records as the JSON the Studio page reads."""

from __future__ import annotations

import dataclasses
from typing import Any

from novu_framework.runtime.records import InboxMessage, RunRecord
from novu_framework.runtime.store.browse import RunRow, SentMessage


def run_row(row: RunRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def run_detail(run: RunRecord, merged: list[str]) -> dict[str, Any]:
    """A run with its steps in order, each step with its deliveries and their attempts."""
    out = dataclasses.asdict(run)
    by_step: dict[str, list[dict[str, Any]]] = {}
    for delivery in out.pop("deliveries"):
        by_step.setdefault(delivery["step_id"], []).append(delivery)
    for step in out["steps"]:
        step["deliveries"] = by_step.pop(step["step_id"], [])
    out["merged_runs"] = merged
    return out


def inbox_message(message: InboxMessage) -> dict[str, Any]:
    out = dataclasses.asdict(message)
    out.setdefault("archived", False)  # stores without archiving
    return out


def sent_message(message: SentMessage) -> dict[str, Any]:
    return dataclasses.asdict(message)
