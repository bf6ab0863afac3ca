"""The database schema, as an ordered list of migrations shared by SQLite and PostgreSQL.

Types are chosen so that one text works on both: ids and JSON are TEXT, times are BIGINT epoch
milliseconds, flags are INTEGER 0/1. Never edit a released migration: append a new one.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: triggers, runs, steps, deliveries, inbox, digests, throttles
    [
        """CREATE TABLE novu_triggers (
            transaction_id TEXT PRIMARY KEY,
            workflow_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            recipients TEXT NOT NULL,
            actor TEXT,
            overrides TEXT NOT NULL,
            context TEXT,
            created_at BIGINT NOT NULL
        )""",
        """CREATE TABLE novu_runs (
            id TEXT PRIMARY KEY,
            transaction_id TEXT NOT NULL REFERENCES novu_triggers (transaction_id),
            workflow_id TEXT NOT NULL,
            subscriber_id TEXT NOT NULL,
            subscriber TEXT NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            finished_at BIGINT,
            next_at BIGINT,
            lease_owner TEXT,
            lease_until BIGINT,
            claims INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            merged_into TEXT
        )""",
        "CREATE INDEX novu_runs_due ON novu_runs (next_at) WHERE next_at IS NOT NULL",
        "CREATE INDEX novu_runs_transaction ON novu_runs (transaction_id)",
        "CREATE INDEX novu_runs_subscriber ON novu_runs (subscriber_id, created_at)",
        "CREATE INDEX novu_runs_workflow ON novu_runs (workflow_id, created_at)",
        """CREATE TABLE novu_steps (
            run_id TEXT NOT NULL REFERENCES novu_runs (id),
            step_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            step_type TEXT NOT NULL,
            status TEXT NOT NULL,
            outputs TEXT NOT NULL,
            result TEXT,
            providers TEXT NOT NULL,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            started_at BIGINT NOT NULL,
            finished_at BIGINT,
            duration_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
            wait_until BIGINT,
            worker TEXT,
            PRIMARY KEY (run_id, step_id)
        )""",
        """CREATE TABLE novu_deliveries (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES novu_runs (id),
            step_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            provider TEXT NOT NULL,
            recipient TEXT,
            status TEXT NOT NULL,
            error TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )""",
        "CREATE INDEX novu_deliveries_run ON novu_deliveries (run_id)",
        """CREATE TABLE novu_delivery_attempts (
            delivery_id TEXT NOT NULL REFERENCES novu_deliveries (id),
            attempt INTEGER NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            response TEXT,
            started_at BIGINT NOT NULL,
            finished_at BIGINT,
            PRIMARY KEY (delivery_id, attempt)
        )""",
        """CREATE TABLE novu_inbox (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES novu_runs (id),
            step_id TEXT NOT NULL,
            transaction_id TEXT NOT NULL,
            workflow_id TEXT NOT NULL,
            subscriber_id TEXT NOT NULL,
            content TEXT NOT NULL,
            seen INTEGER NOT NULL DEFAULT 0,
            read INTEGER NOT NULL DEFAULT 0,
            seen_at BIGINT,
            read_at BIGINT,
            created_at BIGINT NOT NULL,
            UNIQUE (run_id, step_id)
        )""",
        "CREATE INDEX novu_inbox_subscriber ON novu_inbox (subscriber_id, created_at)",
        """CREATE TABLE novu_digests (
            id TEXT PRIMARY KEY,
            workflow_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            subscriber_id TEXT NOT NULL,
            digest_key TEXT NOT NULL,
            leader_run_id TEXT NOT NULL,
            status TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            closes_at BIGINT NOT NULL,
            closed_at BIGINT
        )""",
        """CREATE UNIQUE INDEX novu_digests_open
            ON novu_digests (workflow_id, step_id, subscriber_id, digest_key) WHERE status = 'open'""",
        "CREATE INDEX novu_digests_leader ON novu_digests (leader_run_id, step_id)",
        """CREATE TABLE novu_digest_events (
            digest_id TEXT NOT NULL REFERENCES novu_digests (id),
            run_id TEXT NOT NULL REFERENCES novu_runs (id),
            time BIGINT NOT NULL,
            PRIMARY KEY (digest_id, run_id)
        )""",
        """CREATE TABLE novu_throttle_hits (
            run_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            workflow_id TEXT NOT NULL,
            subscriber_id TEXT NOT NULL,
            throttle_key TEXT NOT NULL,
            time BIGINT NOT NULL,
            throttled INTEGER NOT NULL,
            execution_count INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_id)
        )""",
        "CREATE INDEX novu_throttle_hits_key ON novu_throttle_hits "
        "(workflow_id, step_id, subscriber_id, throttle_key, time)",
        "CREATE TABLE novu_locks (name TEXT PRIMARY KEY)",
    ],
    # 2: topics (a topic exists while it has subscribers; each subscription keeps the subscriber's data)
    [
        """CREATE TABLE novu_topic_subscribers (
            topic_key TEXT NOT NULL,
            subscriber_id TEXT NOT NULL,
            subscriber TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (topic_key, subscriber_id)
        )""",
    ],
    # 3: the Inbox API: archived state, and indexes for a subscriber's feed (newest first, id as the
    # tiebreak; the state and workflow columns ride along so that filters are checked in the index)
    # and for the unread and unseen counts
    [
        "ALTER TABLE novu_inbox ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE novu_inbox ADD COLUMN archived_at BIGINT",
        "DROP INDEX novu_inbox_subscriber",
        "CREATE INDEX novu_inbox_recent ON novu_inbox "
        "(subscriber_id, created_at, id, read, seen, archived, workflow_id)",
        "CREATE INDEX novu_inbox_feed ON novu_inbox (subscriber_id, archived, created_at, id, read, seen, workflow_id)",
        "CREATE INDEX novu_inbox_unread ON novu_inbox (subscriber_id, read, archived, workflow_id)",
        "CREATE INDEX novu_inbox_unseen ON novu_inbox (subscriber_id, seen, workflow_id)",
    ],
    # 4: control values saved for a step (used by local runs), and indexes for paging through runs
    [
        """CREATE TABLE novu_step_controls (
            workflow_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            controls TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (workflow_id, step_id)
        )""",
        "CREATE INDEX novu_runs_created ON novu_runs (created_at, id)",
        "CREATE INDEX novu_runs_status ON novu_runs (status, created_at, id)",
    ],
]
"""Migration ``n`` (1-based) brings the schema from version ``n - 1`` to ``n``."""

SCHEMA_VERSION = len(MIGRATIONS)
