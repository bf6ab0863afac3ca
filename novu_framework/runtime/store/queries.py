"""The store's SQL, named: one text for both databases, rendered once per dialect by :func:`render`.

Statements are written with ``?`` placeholders and two markers, ``{FOR_UPDATE}`` and
``{SKIP_LOCKED}``; :func:`render` turns them into the dialect's spelling (``%s``, ``FOR UPDATE [SKIP
LOCKED]`` on PostgreSQL, nothing on SQLite, whose write transactions already exclude each other).
Those three are all the two databases differ by, so plain named strings stay readable and cheap;
SQLAlchemy Core would be the next step only if that list grows (upserts and ``RETURNING`` are written
the same on both). Statements built from parts (``IN`` lists, multi-row ``VALUES``, optional filters)
are assembled by their callers from the heads named here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from novu_framework.runtime.store.connection import Dialect


def render(sql: str, dialect: Dialect) -> str:
    """``sql`` as ``dialect`` spells it."""
    if "{" in sql:
        sql = sql.replace("{FOR_UPDATE}", dialect.for_update).replace("{SKIP_LOCKED}", dialect.skip_locked)
    if dialect.placeholder != "?":
        sql = sql.replace("?", dialect.placeholder)
    return sql


def equal_to(pairs: tuple[tuple[str, Any], ...]) -> tuple[list[str], list[Any]]:
    """``column = ?`` conditions for the ``(column, value)`` pairs whose value is given, and their values."""
    given = [(column, value) for column, value in pairs if value is not None]
    return [f"{column} = ?" for column, _ in given], [value for _, value in given]


# --- columns (read by name through rows.py) -------------------------------------------------------

RUN_COLUMNS = (
    "r.id, r.transaction_id, r.workflow_id, r.subscriber_id, r.subscriber, t.payload, r.status, r.error, "
    "r.created_at, r.updated_at, r.finished_at, r.next_at, r.merged_into, r.failures"
)
STEP_COLUMNS = (
    "run_id, step_id, step_type, position, status, outputs, result, providers, error, attempts, started_at, "
    "finished_at, duration_ms, wait_until, worker"
)
DELIVERY_COLUMNS = "id, run_id, step_id, channel, provider, recipient, status, error"
ATTEMPT_COLUMNS = "delivery_id, attempt, status, error, started_at, finished_at, response"

# --- migrations -----------------------------------------------------------------------------------

CREATE_SCHEMA_TABLE = "CREATE TABLE IF NOT EXISTS novu_schema (version INTEGER NOT NULL)"
SCHEMA_VERSION = "SELECT version FROM novu_schema"
INSERT_SCHEMA_VERSION = "INSERT INTO novu_schema (version) VALUES (?)"
UPDATE_SCHEMA_VERSION = "UPDATE novu_schema SET version = ?"

# --- triggers -------------------------------------------------------------------------------------

TAKEN_TRANSACTION_IDS = "SELECT transaction_id FROM novu_triggers WHERE transaction_id"  # + IN (...)
INSERT_TRIGGERS = (
    "INSERT INTO novu_triggers (transaction_id, workflow_id, payload, recipients, actor, overrides, context, "
    "created_at)"
)  # + VALUES ...
INSERT_RUNS = (
    "INSERT INTO novu_runs (id, transaction_id, workflow_id, subscriber_id, subscriber, status, created_at, "
    "updated_at, next_at)"
)  # + VALUES ...

# --- claims and leases ----------------------------------------------------------------------------

# A held run's next_at is its lease expiry, so "due" also covers runs whose worker died.
CLAIM = (
    "UPDATE novu_runs SET status = ?, lease_owner = ?, lease_until = ?, next_at = ?, updated_at = ?, "
    "claims = claims + 1 WHERE id IN (SELECT id FROM novu_runs WHERE next_at IS NOT NULL AND next_at <= ? "
    "ORDER BY next_at LIMIT ?{SKIP_LOCKED}) RETURNING id"
)
NEXT_DUE = "SELECT MIN(next_at) AS next_at FROM novu_runs WHERE next_at IS NOT NULL"
FENCE = (
    "UPDATE novu_runs SET lease_until = ?, next_at = ?, updated_at = ? "
    "WHERE id = ? AND lease_owner = ? AND status = ?"
)
RELEASE = (
    "UPDATE novu_runs SET status = ?, next_at = ?, lease_owner = NULL, lease_until = NULL, "
    "error = CASE WHEN ? = 1 THEN NULL ELSE COALESCE(?, error) END, finished_at = ?, "
    "merged_into = COALESCE(?, merged_into), updated_at = ? WHERE id = ?"
)
RELEASE_FENCE = " AND lease_owner = ? AND status = ?"  # appended to RELEASE to check the lease
SET_FAILURES = "UPDATE novu_runs SET failures = ? WHERE id = ?"
UPSERT_STEP = (
    "INSERT INTO novu_steps (run_id, step_id, position, step_type, status, outputs, result, providers, "
    "error, attempts, started_at, finished_at, duration_ms, wait_until, worker) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step_id) DO UPDATE SET "
    "status = excluded.status, outputs = excluded.outputs, result = excluded.result, "
    "providers = excluded.providers, error = excluded.error, attempts = excluded.attempts, "
    "finished_at = excluded.finished_at, duration_ms = excluded.duration_ms, "
    "wait_until = excluded.wait_until, worker = excluded.worker"
)
INSERT_INBOX = (
    "INSERT INTO novu_inbox (id, run_id, step_id, transaction_id, workflow_id, subscriber_id, content, "
    "created_at) SELECT ?, id, ?, transaction_id, workflow_id, subscriber_id, ?, ? "
    "FROM novu_runs WHERE id = ? ON CONFLICT (run_id, step_id) DO NOTHING"
)
UPSERT_DELIVERY = (
    "INSERT INTO novu_deliveries (id, run_id, step_id, channel, provider, recipient, status, error, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
    "status = excluded.status, error = excluded.error, provider = excluded.provider, "
    "recipient = excluded.recipient, updated_at = excluded.updated_at"
)
UPSERT_ATTEMPT = (
    "INSERT INTO novu_delivery_attempts (delivery_id, attempt, status, error, response, started_at, "
    "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id, attempt) DO UPDATE SET "
    "status = excluded.status, error = excluded.error, response = excluded.response, "
    "finished_at = excluded.finished_at"
)

# --- loading runs (heads: + IN (...)) -------------------------------------------------------------

RUNS_BY_ID = (
    f"SELECT {RUN_COLUMNS}, t.actor, t.overrides, t.context FROM novu_runs r "
    "JOIN novu_triggers t ON t.transaction_id = r.transaction_id WHERE r.id"
)
STEPS_OF_RUNS = f"SELECT {STEP_COLUMNS} FROM novu_steps WHERE run_id"
STEPS_ORDER = " ORDER BY run_id, position"
INBOX_STATE_OF_RUNS = "SELECT run_id, step_id, seen, read, seen_at, read_at FROM novu_inbox WHERE run_id"
DELIVERY_STATE_OF_RUNS = (
    "SELECT d.run_id, d.step_id, d.status, (SELECT COUNT(*) FROM novu_delivery_attempts a "
    "WHERE a.delivery_id = d.id) AS attempts FROM novu_deliveries d WHERE d.run_id"
)

# --- named locks ----------------------------------------------------------------------------------

INSERT_LOCK = "INSERT INTO novu_locks (name) VALUES (?) ON CONFLICT (name) DO NOTHING"
TAKE_LOCK = "SELECT name FROM novu_locks WHERE name = ?{FOR_UPDATE}"

# --- digests --------------------------------------------------------------------------------------

OPEN_DIGEST = (
    "SELECT id, leader_run_id FROM novu_digests WHERE workflow_id = ? AND step_id = ? AND subscriber_id = ? "
    "AND digest_key = ? AND status = 'open'{FOR_UPDATE}"
)
INSERT_DIGEST_EVENT = (
    "INSERT INTO novu_digest_events (digest_id, run_id, time) VALUES (?, ?, ?) "
    "ON CONFLICT (digest_id, run_id) DO NOTHING"
)
RECENT_DIGEST_EVENT = (
    "SELECT 1 AS found FROM novu_digest_events v JOIN novu_digests d ON d.id = v.digest_id "
    "WHERE d.workflow_id = ? AND d.step_id = ? AND d.subscriber_id = ? AND d.digest_key = ? "
    "AND v.time >= ? AND v.run_id <> ? LIMIT 1"
)
INSERT_DIGEST = (
    "INSERT INTO novu_digests (id, workflow_id, step_id, subscriber_id, digest_key, leader_run_id, status, "
    "opened_at, closes_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
DIGEST_LED_AT_STEP = (
    "SELECT id, workflow_id, step_id, subscriber_id, digest_key FROM novu_digests "
    "WHERE leader_run_id = ? AND step_id = ?"
)
CLOSE_OPEN_DIGEST = (
    "UPDATE novu_digests SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'"
)
CLOSE_DIGEST = "UPDATE novu_digests SET status = 'closed', closed_at = ? WHERE id = ?"
DIGEST_EVENTS = (
    "SELECT v.run_id, v.time, t.payload FROM novu_digest_events v JOIN novu_runs r ON r.id = v.run_id "
    "JOIN novu_triggers t ON t.transaction_id = r.transaction_id WHERE v.digest_id = ? "
    "ORDER BY v.time, v.run_id"
)
OPEN_DIGESTS_LED = (
    "SELECT id, step_id, closes_at, workflow_id, subscriber_id, digest_key FROM novu_digests "
    "WHERE leader_run_id = ? AND status = 'open'"
)
DELETE_DIGEST_EVENT = "DELETE FROM novu_digest_events WHERE digest_id = ? AND run_id = ?"
DIGEST_HEIR = (
    "SELECT v.run_id FROM novu_digest_events v JOIN novu_runs r ON r.id = v.run_id "
    "WHERE v.digest_id = ? AND r.status = ? ORDER BY v.time, v.run_id LIMIT 1"
)
SET_DIGEST_LEADER = "UPDATE novu_digests SET leader_run_id = ? WHERE id = ?"
WAKE_HEIR = (
    "UPDATE novu_runs SET status = ?, next_at = ?, merged_into = NULL, finished_at = NULL, updated_at = ? "
    "WHERE id = ?"
)
WAKE_HEIR_STEP = (
    "UPDATE novu_steps SET status = 'waiting', wait_until = ?, finished_at = NULL "
    "WHERE run_id = ? AND step_id = ?"
)
REPOINT_MERGED = "UPDATE novu_runs SET merged_into = ? WHERE merged_into = ? AND status = ?"

# --- throttles ------------------------------------------------------------------------------------

THROTTLE_DONE = "SELECT throttled, execution_count FROM novu_throttle_hits WHERE run_id = ? AND step_id = ?"
THROTTLE_COUNT = (
    "SELECT COUNT(*) AS hits FROM novu_throttle_hits WHERE workflow_id = ? AND step_id = ? "
    "AND subscriber_id = ? AND throttle_key = ? AND time >= ? AND throttled = 0"
)
INSERT_THROTTLE_HIT = (
    "INSERT INTO novu_throttle_hits (run_id, step_id, workflow_id, subscriber_id, throttle_key, time, "
    "throttled, execution_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)

# --- cancel and history ---------------------------------------------------------------------------

UNFINISHED_RUNS = "SELECT id FROM novu_runs WHERE transaction_id = ? AND status IN (?, ?, ?){FOR_UPDATE}"
CANCEL_RUN = (
    "UPDATE novu_runs SET status = ?, next_at = NULL, lease_owner = NULL, lease_until = NULL, "
    "finished_at = ?, updated_at = ? WHERE id = ?"
)
HISTORY_RUNS = f"SELECT {RUN_COLUMNS} FROM novu_runs r JOIN novu_triggers t ON t.transaction_id = r.transaction_id"  # + WHERE ... ORDER BY r.created_at DESC, r.id LIMIT ?
DELIVERIES_OF_RUNS = f"SELECT {DELIVERY_COLUMNS} FROM novu_deliveries WHERE run_id"
DELIVERIES_ORDER = " ORDER BY created_at, id"
ATTEMPTS_OF_DELIVERIES = f"SELECT {ATTEMPT_COLUMNS} FROM novu_delivery_attempts WHERE delivery_id"
ATTEMPTS_ORDER = " ORDER BY delivery_id, attempt"
STATUS_COUNTS = "SELECT status, COUNT(*) AS runs FROM novu_runs"  # + [WHERE workflow_id = ?] GROUP BY

# --- topics ---------------------------------------------------------------------------------------

TOPIC_MEMBERS_KNOWN = "SELECT subscriber_id FROM novu_topic_subscribers WHERE topic_key = ? AND subscriber_id"
UPSERT_TOPIC_MEMBERS = "INSERT INTO novu_topic_subscribers (topic_key, subscriber_id, subscriber, created_at)"
UPSERT_TOPIC_MEMBERS_TAIL = (
    " ON CONFLICT (topic_key, subscriber_id) DO UPDATE SET subscriber = excluded.subscriber"
)
DELETE_TOPIC_MEMBERS = "DELETE FROM novu_topic_subscribers WHERE topic_key = ? AND subscriber_id"
TOPIC_MEMBERS = "SELECT topic_key, subscriber FROM novu_topic_subscribers WHERE topic_key"
TOPIC_MEMBERS_ORDER = " ORDER BY topic_key, created_at, subscriber_id"
