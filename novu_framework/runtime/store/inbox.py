"""The SQL of the Inbox API: a subscriber's feed filtered and paged, counts, changes of state (one
message or many in one statement), and new messages in commit order for the real-time channel.

Every query and change names the subscriber: a message id alone never reaches another's inbox.
Workflow-level filters (tags, severity) arrive as a set of workflow ids, resolved by the caller from
the registered workflows; a ``data`` filter is matched in Python on the rows the SQL selects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from novu_framework.jsonutil import loads
from novu_framework.runtime.records import InboxMessage
from novu_framework.runtime.store.rows import Row, fetch_all, fetch_one, record

T = TypeVar("T")

NOTIFY_CHANNEL = "novu_inbox"
"""The PostgreSQL ``LISTEN`` channel: one notification (the message id) per in-app message committed."""

COLUMNS = (
    "id, subscriber_id, workflow_id, transaction_id, run_id, step_id, content, seen, read, seen_at, read_at, "
    "created_at, archived, archived_at"
)

ACTIONS = ("read", "unread", "archive", "unarchive", "seen")

# What each change sets (Novu's transitions: reading sees, archiving reads, unreading unarchives).
_SET = {
    "read": "read = 1, read_at = COALESCE(read_at, ?), seen = 1, seen_at = COALESCE(seen_at, ?)",
    "unread": "read = 0, read_at = NULL, archived = 0, archived_at = NULL",
    "archive": "archived = 1, archived_at = COALESCE(archived_at, ?), read = 1, "
    "read_at = COALESCE(read_at, ?), seen = 1, seen_at = COALESCE(seen_at, ?)",
    "unarchive": "archived = 0, archived_at = NULL",
    "seen": "seen = 1, seen_at = COALESCE(seen_at, ?)",
}
# In bulk, only rows the change would alter are touched.
_BULK_ONLY = {
    "read": " AND read = 0",
    "unread": " AND read = 1",
    "archive": " AND archived = 0",
    "unarchive": " AND archived = 1",
    "seen": " AND seen = 0",
    "read-archive": " AND read = 1 AND archived = 0",
}
_SCAN_CHUNK = 500
COUNT_CAP = 100
"""Counts stop at 100, as on the platform (``<Inbox />`` shows "99+")."""


@dataclass(frozen=True)
class WorkflowSet:
    """Messages of these workflows (``exclude=False``) or of any other workflow (``exclude=True``)."""

    ids: frozenset[str]
    exclude: bool = False


@dataclass(frozen=True)
class InboxFilter:
    """One filter of the feed; None means "any"."""

    read: bool | None = None
    seen: bool | None = None
    archived: bool | None = None
    workflows: WorkflowSet | None = None
    data: dict[str, Any] | None = None
    nothing: bool = False  # matches no message (e.g. ``snoozed=true``: nothing is snoozed locally)


def message(row: Row) -> InboxMessage:
    return record(InboxMessage, row, content=loads, seen=bool, read=bool, created_at=int, archived=bool)


def _count(cursor: Any) -> int:
    row = fetch_one(cursor)
    return 0 if row is None else int(row["n"])


def data_matches(wanted: dict[str, Any], content: dict[str, Any]) -> bool:
    """Novu's ``data`` filter: every key equal; a list matches a list with the same items, or contains
    the message's scalar value."""
    data = content.get("data")
    if not isinstance(data, dict):
        return not wanted
    for key, value in wanted.items():
        have = data.get(key)
        if isinstance(value, list):
            if isinstance(have, list):
                if len(have) != len(value) or any(v not in have for v in value):
                    return False
            elif have not in value:
                return False
        elif key not in data or have != value or isinstance(have, bool) != isinstance(value, bool):
            return False
    return True


def _where(subscriber_id: str, match: InboxFilter) -> tuple[str, list[Any]]:
    sql = "subscriber_id = ?"
    params: list[Any] = [subscriber_id]
    for column, value in (("read", match.read), ("seen", match.seen), ("archived", match.archived)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(int(value))
    if match.workflows is not None:
        ids = sorted(match.workflows.ids)
        if ids:
            marks = ", ".join("?" * len(ids))
            sql += f" AND workflow_id {'NOT IN' if match.workflows.exclude else 'IN'} ({marks})"
            params.extend(ids)
        elif not match.workflows.exclude:
            sql += " AND 1 = 0"
    if match.nothing:
        sql += " AND 1 = 0"
    return sql, params


class _Database(Protocol):
    """The parts of :class:`~novu_framework.runtime.store.connection.Database` this module uses."""

    @property
    def dialect(self) -> Any: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def read(self, fn: Callable[[], T]) -> T: ...

    async def call(self, fn: Callable[[], T]) -> T: ...

    async def transact(self, fn: Callable[[], T], weight: int = 1) -> T: ...

    def each_in(
        self, head: str, params: Sequence[Any], values: Sequence[Any], tail: str = "", size: int = 500
    ) -> Iterator[Any]: ...


class InboxQueries:
    """Mixed into the SQL store: the Inbox API's reads and changes, and commit notifications."""

    _inbox_wakers: list[Callable[[], None]]
    _inbox_wakers_lock: threading.Lock

    # --- commit notifications --------------------------------------------------------------------

    def on_inbox_commit(self, waker: Callable[[], None]) -> Callable[[], None]:
        """Call ``waker`` (from a database thread) whenever in-app messages are written by this store
        object: once that transaction commits, they are readable. Returns a function that unregisters
        it. Other processes' writes are found by :meth:`inbox_since` (SQLite) or ``LISTEN`` (PostgreSQL).
        """
        if not hasattr(self, "_inbox_wakers"):
            self._inbox_wakers = []
            self._inbox_wakers_lock = threading.Lock()
        with self._inbox_wakers_lock:
            self._inbox_wakers.append(waker)

        def remove() -> None:
            with self._inbox_wakers_lock:
                if waker in self._inbox_wakers:
                    self._inbox_wakers.remove(waker)

        return remove

    def _inbox_written(self: _Database, ids: Sequence[str]) -> None:
        """Called inside the transaction that inserts in-app messages ``ids``."""
        if self.dialect.name == "postgres":
            for message_id in ids:  # delivered to listeners when (and only if) the transaction commits
                self.execute("SELECT pg_notify(?, ?)", (NOTIFY_CHANNEL, message_id))
        wakers: list[Callable[[], None]] = getattr(self, "_inbox_wakers", [])
        for waker in list(wakers):
            waker()

    # --- reads -----------------------------------------------------------------------------------

    def _scan(
        self: _Database, subscriber_id: str, match: InboxFilter, after: tuple[int, str] | None
    ) -> Iterator[Row]:
        """Rows matching ``match`` newest first (after the position ``after``), read a chunk at a time."""
        where, params = _where(subscriber_id, match)
        position = after
        while True:
            sql = f"SELECT {COLUMNS} FROM novu_inbox WHERE {where}"
            args = list(params)
            if position is not None:
                sql += " AND (created_at, id) < (?, ?)"
                args.extend(position)
            rows = fetch_all(
                self.execute(f"{sql} ORDER BY created_at DESC, id DESC LIMIT ?", (*args, _SCAN_CHUNK))
            )
            yield from rows
            if len(rows) < _SCAN_CHUNK:
                return
            position = (int(rows[-1]["created_at"]), rows[-1]["id"])

    async def inbox_page(
        self: _Database,
        subscriber_id: str,
        match: InboxFilter,
        limit: int,
        after: str | None = None,
        offset: int = 0,
    ) -> tuple[list[InboxMessage], bool] | None:
        """Up to ``limit`` messages newest first, after the message ``after`` (None if it is not one of
        this subscriber's), skipping ``offset``; and whether more follow."""

        def run() -> tuple[list[InboxMessage], bool] | None:
            position: tuple[int, str] | None = None
            if after is not None:
                row = fetch_one(
                    self.execute(
                        "SELECT created_at, id FROM novu_inbox WHERE id = ? AND subscriber_id = ?",
                        (after, subscriber_id),
                    )
                )
                if row is None:
                    return None
                position = (int(row["created_at"]), row["id"])
            if match.data is None:
                where, params = _where(subscriber_id, match)
                sql = f"SELECT {COLUMNS} FROM novu_inbox WHERE {where}"
                if position is not None:
                    sql += " AND (created_at, id) < (?, ?)"
                    params.extend(position)
                sql += " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
                rows = fetch_all(self.execute(sql, (*params, limit + 1, offset)))
            else:
                wanted, rows, skip = match.data, [], offset
                for row in InboxQueries._scan(self, subscriber_id, match, position):
                    if data_matches(wanted, loads(row["content"])):
                        if skip:
                            skip -= 1
                            continue
                        rows.append(row)
                        if len(rows) > limit:
                            break
            return [message(r) for r in rows[:limit]], len(rows) > limit

        return await self.call(lambda: self.read(run))

    async def inbox_counts(
        self: _Database, subscriber_id: str, filters: Sequence[InboxFilter], cap: int = COUNT_CAP
    ) -> list[int]:
        """How many messages match each filter, up to ``cap``."""

        def count(match: InboxFilter) -> int:
            if match.data is None:
                where, params = _where(subscriber_id, match)
                sql = f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM novu_inbox WHERE {where} LIMIT ?) capped"
                return _count(self.execute(sql, (*params, cap)))
            wanted, found = match.data, 0
            for row in InboxQueries._scan(self, subscriber_id, match, None):
                if data_matches(wanted, loads(row["content"])):
                    found += 1
                    if found >= cap:
                        break
            return found

        return await self.call(lambda: self.read(lambda: [count(match) for match in filters]))

    async def inbox_badges(
        self: _Database, subscriber_id: str, cap: int = COUNT_CAP
    ) -> tuple[dict[str, int], int]:
        """Unread (not archived) messages per workflow, and the number of unseen ones, up to ``cap``
        messages each."""

        def run() -> tuple[dict[str, int], int]:
            rows = fetch_all(
                self.execute(
                    "SELECT workflow_id FROM novu_inbox WHERE subscriber_id = ? AND read = 0 AND archived = 0 "
                    "LIMIT ?",
                    (subscriber_id, cap),
                )
            )
            unseen = _count(
                self.execute(
                    "SELECT COUNT(*) AS n FROM (SELECT 1 FROM novu_inbox WHERE subscriber_id = ? AND seen = 0 "
                    "LIMIT ?) capped",
                    (subscriber_id, cap + 1),
                )
            )
            per_workflow: dict[str, int] = {}
            for row in rows:
                per_workflow[row["workflow_id"]] = per_workflow.get(row["workflow_id"], 0) + 1
            return per_workflow, unseen

        return await self.call(lambda: self.read(run))

    async def inbox_messages(self: _Database, ids: Sequence[str]) -> list[InboxMessage]:
        """The messages with these ids that exist (any subscriber; for the real-time channel)."""

        def run() -> list[InboxMessage]:
            found: list[InboxMessage] = []
            for cursor in self.each_in(f"SELECT {COLUMNS} FROM novu_inbox WHERE id", (), list(ids)):
                found.extend(message(r) for r in fetch_all(cursor))
            return found

        return await self.call(lambda: self.read(run))

    async def inbox_since(
        self: _Database, rowid: int | None, limit: int = 500
    ) -> tuple[int, list[InboxMessage]]:
        """SQLite only: messages inserted after ``rowid`` (None: none, just the current last rowid), in
        commit order, and the rowid to ask from next time."""

        def run() -> tuple[int, list[InboxMessage]]:
            if rowid is None:
                last = fetch_one(self.execute("SELECT MAX(rowid) AS last FROM novu_inbox"))
                return int((last or {}).get("last") or 0), []
            rows = fetch_all(
                self.execute(
                    f"SELECT rowid AS position, {COLUMNS} FROM novu_inbox WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (rowid, limit),
                )
            )
            return (int(rows[-1]["position"]) if rows else rowid), [message(r) for r in rows]

        return await self.call(lambda: self.read(run))

    # --- changes ---------------------------------------------------------------------------------

    async def inbox_mark(
        self: _Database, subscriber_id: str, message_id: str, action: str, now: int
    ) -> InboxMessage | None:
        """Apply ``action`` (read, unread, archive, unarchive, seen) to one of the subscriber's messages;
        the message as it is now, or None if the subscriber has no message with this id."""
        sets = _SET[action]
        params = [now] * sets.count("?")

        def run() -> InboxMessage | None:
            row = fetch_one(
                self.execute(
                    f"UPDATE novu_inbox SET {sets} WHERE id = ? AND subscriber_id = ? RETURNING {COLUMNS}",
                    (*params, message_id, subscriber_id),
                )
            )
            return None if row is None else message(row)

        return await self.transact(run)

    async def inbox_mark_where(
        self: _Database,
        subscriber_id: str,
        action: str,
        now: int,
        match: InboxFilter | None = None,
        ids: Sequence[str] | None = None,
    ) -> int:
        """Apply ``action`` (or ``read-archive``: archive those read) to the subscriber's messages that
        match ``match``, or that have one of ``ids``; returns how many changed."""
        sets = _SET["archive" if action == "read-archive" else action]
        params: list[Any] = [now] * sets.count("?")
        only = _BULK_ONLY[action]

        def run() -> int:
            if ids is not None:
                head = f"UPDATE novu_inbox SET {sets} WHERE subscriber_id = ?{only} AND id"
                cursors = self.each_in(head, (*params, subscriber_id), list(dict.fromkeys(ids)))
                return sum(max(0, int(c.rowcount)) for c in cursors)
            flt = match or InboxFilter()
            where, args = _where(subscriber_id, flt)
            if flt.data is None:
                cur = self.execute(f"UPDATE novu_inbox SET {sets} WHERE {where}{only}", (*params, *args))
                return max(0, int(cur.rowcount))
            wanted = flt.data
            scan = InboxQueries._scan(self, subscriber_id, flt, None)
            chosen = [row["id"] for row in scan if data_matches(wanted, loads(row["content"]))]
            head = f"UPDATE novu_inbox SET {sets} WHERE subscriber_id = ?{only} AND id"
            return sum(max(0, int(c.rowcount)) for c in self.each_in(head, (*params, subscriber_id), chosen))

        return await self.transact(run)

    # --- the local Runtime's inbox -----------------------------------------------------------------

    async def inbox(self: _Database, subscriber_id: str, unread_only: bool, limit: int) -> list[InboxMessage]:
        """The subscriber's messages, newest first (only unread ones with ``unread_only``)."""

        def run() -> list[InboxMessage]:
            extra = " AND read = 0" if unread_only else ""
            rows = self.execute(
                f"SELECT {COLUMNS} FROM novu_inbox WHERE subscriber_id = ?{extra} "
                "ORDER BY created_at DESC, id LIMIT ?",
                (subscriber_id, limit),
            )
            return [message(r) for r in fetch_all(rows)]

        return await self.call(run)

    async def mark_inbox(
        self: _Database, message_id: str, now: int, seen: bool | None, read: bool | None
    ) -> InboxMessage | None:
        """Set a message's seen and read flags (reading also sees); the message, or None if unknown."""

        def run() -> InboxMessage | None:
            seen_ = True if read else seen
            for column, value in (("seen", seen_), ("read", read)):
                if value is not None:
                    self.execute(
                        f"UPDATE novu_inbox SET {column} = ?, {column}_at = CASE WHEN ? = 1 "
                        f"THEN COALESCE({column}_at, ?) ELSE NULL END WHERE id = ?",
                        (int(value), int(value), now, message_id),
                    )
            row = fetch_one(self.execute(f"SELECT {COLUMNS} FROM novu_inbox WHERE id = ?", (message_id,)))
            return None if row is None else message(row)

        return await self.transact(run)
