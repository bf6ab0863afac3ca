"""The SQL store, shared by SQLite and PostgreSQL: the :class:`Store` calls, each one transaction.

Each call hands one function of a domain module (:mod:`.triggers`, :mod:`.leases`, :mod:`.digests`,
:mod:`.throttles`, :mod:`.history`, :mod:`.topics`, :mod:`.migrations`; the Inbox API's in
:mod:`.inbox`) to the plumbing of :mod:`.connection`: ``transact`` for writes (group-committed),
``call`` + ``read`` for reads. The SQL itself is in :mod:`.queries`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from typing import Any

from novu_framework._sync import ensure_not_on_loop
from novu_framework.runtime.records import RunRecord
from novu_framework.runtime.store import digests, history, leases, migrations, throttles, topics, triggers
from novu_framework.runtime.store.base import (
    Commit,
    DigestedRun,
    DigestEntry,
    DigestOutcome,
    NewTrigger,
    RunQuery,
    RunState,
    ThrottleEntry,
    ThrottleOutcome,
)
from novu_framework.runtime.store.connection import Connection, Database, Dialect, Merge
from novu_framework.runtime.store.inbox import InboxQueries

__all__ = ["Connection", "Dialect", "SqlStore"]


class SqlStore(InboxQueries, Database):
    """The store on any DB-API database described by a :class:`Dialect`."""

    def migrate_sync(self) -> None:
        """Create or upgrade the schema (safe to run from several processes at once); blocking, so not
        on an event loop's thread: ``await`` :meth:`migrate` there."""
        ensure_not_on_loop("SqlStore.migrate_sync", "SqlStore.migrate")
        migrations.migrate(self)

    async def migrate(self) -> None:
        await self.call(self.migrate_sync)

    def insert_trigger(self, trigger: NewTrigger) -> asyncio.Future[bool]:
        return self.queue_merged(self._trigger_merge, triggers.rows_of(trigger))

    @functools.cached_property
    def _trigger_merge(self) -> Merge:
        # One bound method for every trigger queued (a new one each would be one more object apiece).
        return self._insert_triggers

    def _insert_triggers(self, batch: list[triggers.TriggerRows]) -> list[bool]:
        return triggers.insert(self, batch)

    async def claim(self, owner: str, now: int, lease_ms: int, limit: int) -> list[str]:
        return await self.transact(lambda: leases.claim(self, owner, now, lease_ms, limit))

    async def claim_runs(self, owner: str, now: int, lease_ms: int, limit: int) -> list[RunState]:
        return await self.transact(
            lambda: leases.load_many(self, leases.claim(self, owner, now, lease_ms, limit))
        )

    async def next_due(self) -> int | None:
        return await self.call(lambda: leases.next_due(self))

    async def commit(self, commit: Commit) -> None:
        await self.transact(lambda: leases.commit(self, commit))

    async def digest_enter(self, entry: DigestEntry) -> DigestOutcome:
        return await self.transact(lambda: digests.enter(self, entry))

    async def digest_events(
        self, run_id: str, step_id: str, owner: str, now: int, lease_ms: int, prior: Commit | None = None
    ) -> list[DigestedRun]:
        return await self.transact(lambda: digests.close(self, run_id, step_id, owner, now, lease_ms, prior))

    async def throttle_hit(self, entry: ThrottleEntry) -> ThrottleOutcome:
        return await self.transact(lambda: throttles.hit(self, entry))

    async def cancel(self, transaction_id: str, now: int) -> int:
        return await self.transact(lambda: history.cancel(self, transaction_id, now))

    async def runs(self, query: RunQuery) -> list[RunRecord]:
        return await self.call(lambda: self.read(lambda: history.runs(self, query)))

    async def status_counts(self, workflow_id: str | None = None) -> dict[str, int]:
        return await self.call(lambda: history.status_counts(self, workflow_id))

    async def topic_add(self, topic_key: str, subscribers: Sequence[dict[str, Any]], now: int) -> int:
        return await self.transact(
            lambda: topics.add(self, topic_key, subscribers, now), weight=max(1, len(subscribers) // 8)
        )

    async def topic_remove(self, topic_key: str, subscriber_ids: Sequence[str]) -> int:
        return await self.transact(lambda: topics.remove(self, topic_key, subscriber_ids))

    async def topic_members(self, topic_keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        return await self.call(lambda: self.read(lambda: topics.members(self, topic_keys)))
