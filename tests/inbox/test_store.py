"""The store's Inbox queries on SQLite and a real PostgreSQL: scoping to one subscriber, filters,
paging by creation time with the id as tiebreak, bulk changes, and the migration from version 2."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from novu_framework.runtime import Runtime, open_store
from novu_framework.runtime.store.inbox import InboxFilter, WorkflowSet
from novu_framework.runtime.store.schema import MIGRATIONS, SCHEMA_VERSION
from novu_framework.runtime.store.sql import SqlStore
from tests.inbox.apps import WORKFLOWS


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlStore]:
    if request.param == "sqlite":
        url = str(tmp_path / "inbox.sqlite3")
    else:
        url = request.getfixturevalue("postgres").fresh_database()
    s: Any = open_store(url)
    await s.migrate()
    yield s
    await s.close()


async def insert(store: SqlStore, rows: list[tuple[str, str, str, int]], body: Any = None) -> None:
    """Rows (id, subscriber, workflow, created_at) straight into the tables."""

    def run() -> None:
        for mid, sub, wf, created in rows:
            store.execute(
                "INSERT INTO novu_triggers VALUES (?, ?, '{}', '[]', NULL, '{}', NULL, ?)",
                (f"t-{mid}", wf, created),
            )
            store.execute(
                "INSERT INTO novu_runs (id, transaction_id, workflow_id, subscriber_id, subscriber, status, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, '{}', 'completed', ?, ?)",
                (f"r-{mid}", f"t-{mid}", wf, sub, created, created),
            )
            content = body or {"body": mid, "data": {"k": int(created) % 2, "tags": ["a", "b"]}}
            store.execute(
                "INSERT INTO novu_inbox (id, run_id, step_id, transaction_id, workflow_id, subscriber_id, "
                "content, created_at) VALUES (?, ?, 's', ?, ?, ?, ?, ?)",
                (mid, f"r-{mid}", f"t-{mid}", wf, sub, __import__("json").dumps(content), created),
            )

    await store.call(lambda: store.write(run))


async def test_pages_newest_first_with_the_id_as_tiebreak(store: SqlStore) -> None:
    # m2 and m3 share a millisecond: the larger id comes first, and paging after either is exact.
    await insert(
        store,
        [
            ("m1", "a", "comment", 1),
            ("m2", "a", "comment", 2),
            ("m3", "a", "news", 2),
            ("m4", "a", "news", 3),
            ("x1", "b", "comment", 5),
        ],
    )
    everything = InboxFilter()
    page = await store.inbox_page("a", everything, 2)
    assert page is not None and [m.id for m in page[0]] == ["m4", "m3"] and page[1] is True
    page = await store.inbox_page("a", everything, 2, after="m3")
    assert page is not None and [m.id for m in page[0]] == ["m2", "m1"] and page[1] is False
    page = await store.inbox_page("a", everything, 10, offset=3)
    assert page is not None and [m.id for m in page[0]] == ["m1"]
    assert await store.inbox_page("a", everything, 2, after="x1") is None  # b's message is no cursor for a
    news = InboxFilter(workflows=WorkflowSet(frozenset({"news"})))
    not_news = InboxFilter(workflows=WorkflowSet(frozenset({"news"}), exclude=True))
    assert await store.inbox_counts("a", [everything, news, not_news, InboxFilter(nothing=True)]) == [
        4,
        2,
        2,
        0,
    ]
    data = InboxFilter(data={"k": 0})
    page = await store.inbox_page("a", data, 10)
    assert page is not None and [m.id for m in page[0]] == ["m3", "m2"]
    assert await store.inbox_counts(
        "a", [data, InboxFilter(data={"tags": ["b", "a"]}), InboxFilter(data={"k": [1]})]
    ) == [2, 4, 2]


async def test_every_change_is_scoped_to_the_subscriber(store: SqlStore) -> None:
    await insert(store, [("m1", "a", "comment", 1), ("m2", "a", "news", 2), ("x1", "b", "comment", 3)])
    assert await store.inbox_mark("a", "x1", "read", 10) is None  # b's message, a's token
    read = await store.inbox_mark("a", "m1", "read", 10)
    assert read is not None and read.read and read.seen and read.read_at == 10 and read.seen_at == 10
    archived = await store.inbox_mark("a", "m1", "archive", 20)
    assert (
        archived is not None and archived.archived and archived.archived_at == 20 and archived.read_at == 10
    )
    unread = await store.inbox_mark("a", "m1", "unread", 30)
    assert unread is not None and not unread.read and not unread.archived and unread.seen
    assert await store.inbox_mark_where("a", "read", 40) == 2  # one statement over a's unread
    assert await store.inbox_mark_where("a", "seen", 40, ids=["x1"]) == 0
    assert await store.inbox_mark_where("a", "read-archive", 50) == 2
    [x1] = await store.inbox_messages(["x1"])
    assert not x1.read and not x1.seen and not x1.archived
    badges, unseen = await store.inbox_badges("b")
    assert badges == {"comment": 1} and unseen == 1
    assert await store.inbox_badges("a") == ({}, 0)


async def test_migration_from_version_2_keeps_messages(tmp_path: Path) -> None:
    path = str(tmp_path / "v2.sqlite3")
    old: Any = open_store(path)

    def create_v2() -> None:
        old.execute("CREATE TABLE novu_schema (version INTEGER NOT NULL)")
        for statements in MIGRATIONS[:2]:
            for statement in statements:
                old.execute(statement)
        old.execute("INSERT INTO novu_schema (version) VALUES (2)")
        old.execute("INSERT INTO novu_triggers VALUES ('t1', 'comment', '{}', '[]', NULL, '{}', NULL, 1)")
        old.execute(
            "INSERT INTO novu_runs (id, transaction_id, workflow_id, subscriber_id, subscriber, status, "
            "created_at, updated_at) VALUES ('r1', 't1', 'comment', 'a', '{}', 'completed', 1, 1)"
        )
        old.execute(
            "INSERT INTO novu_inbox (id, run_id, step_id, transaction_id, workflow_id, subscriber_id, content, "
            "read, read_at, created_at) VALUES ('r1:s', 'r1', 's', 't1', 'comment', 'a', '{\"body\":\"hi\"}', 1, 5, 1)"
        )

    await old.call(lambda: old.write(create_v2))
    await old.close()
    runtime = Runtime(WORKFLOWS, store=path)
    try:
        await runtime.ready()
        store: Any = runtime.store
        version = await store.call(lambda: store.execute("SELECT version FROM novu_schema").fetchall())
        assert [tuple(v) for v in version] == [(SCHEMA_VERSION,)] and SCHEMA_VERSION >= 3
        page = await store.inbox_page("a", InboxFilter(archived=False), 10)
        assert [(m.id, m.read, m.read_at, m.archived) for m in page[0]] == [("r1:s", True, 5, False)]
        indexes = await store.call(
            lambda: store.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'novu_inbox'"
            ).fetchall()
        )
        names = {row[0] for row in indexes}
        assert {"novu_inbox_feed", "novu_inbox_unread", "novu_inbox_unseen", "novu_inbox_recent"} <= names
        assert "novu_inbox_subscriber" not in names
    finally:
        await runtime.close()


async def test_counts_stop_at_a_hundred_as_on_the_platform(store: SqlStore) -> None:
    await insert(store, [(f"m{i:03d}", "a", "comment" if i % 2 else "news", i) for i in range(130)])
    assert await store.inbox_counts(
        "a", [InboxFilter(), InboxFilter(data={"k": 0}), InboxFilter(read=True)]
    ) == [100, 65, 0]
    per_workflow, unseen = await store.inbox_badges("a")
    assert sum(per_workflow.values()) == 100 and unseen == 101  # one more than the cap: "has more"


async def test_feed_and_counts_are_index_ranges_on_sqlite(tmp_path: Path) -> None:
    """No full scan and no sort: each query of the feed and the badges walks one index range."""
    store: Any = open_store(str(tmp_path / "plans.sqlite3"))
    await store.migrate()
    await insert(store, [(f"m{i}", "a" if i % 3 else "b", "comment", i) for i in range(300)])
    await store.call(lambda: store.execute("ANALYZE"))
    from novu_framework.runtime.store.inbox import COLUMNS

    queries = {
        "novu_inbox_feed": f"SELECT {COLUMNS} FROM novu_inbox WHERE subscriber_id = 'a' AND archived = 0 "
        "AND (created_at, id) < (100, 'm99') ORDER BY created_at DESC, id DESC LIMIT 11",
        "novu_inbox_recent": f"SELECT {COLUMNS} FROM novu_inbox WHERE subscriber_id = 'a' AND read = 0 "
        "ORDER BY created_at DESC, id DESC LIMIT 11",
        "novu_inbox_unread": "SELECT workflow_id FROM novu_inbox WHERE subscriber_id = 'a' AND read = 0 "
        "AND archived = 0 LIMIT 100",
        "novu_inbox_unseen": "SELECT COUNT(*) FROM (SELECT 1 FROM novu_inbox WHERE subscriber_id = 'a' "
        "AND seen = 0 LIMIT 101) capped",
    }
    try:
        for index, sql in queries.items():
            plan = " | ".join(
                r[3]
                for r in await store.call(lambda q=sql: store.execute("EXPLAIN QUERY PLAN " + q).fetchall())
            )
            assert f"INDEX {index} (subscriber_id=?" in plan and "TEMP B-TREE" not in plan, plan
    finally:
        await store.close()
