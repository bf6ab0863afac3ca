"""Creating and upgrading the schema of :mod:`.schema`, safely from several processes at once."""

from __future__ import annotations

from novu_framework.runtime.errors import MigrationError
from novu_framework.runtime.store import queries as q
from novu_framework.runtime.store.connection import Database
from novu_framework.runtime.store.rows import fetch_one
from novu_framework.runtime.store.schema import MIGRATIONS, SCHEMA_VERSION


def migrate(db: Database) -> None:
    """Apply the migrations this database lacks, in one write transaction on this thread."""

    def run() -> None:
        if db.dialect.migration_lock:
            db.execute(db.dialect.migration_lock)
        db.execute(q.CREATE_SCHEMA_TABLE)
        row = fetch_one(db.execute(q.SCHEMA_VERSION))
        version = 0 if row is None else int(row["version"])
        if version > SCHEMA_VERSION:
            raise MigrationError(
                f"The runtime database has schema version {version}, newer than this package's "
                f"{SCHEMA_VERSION}. Upgrade novu-framework."
            )
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        if row is None:
            db.execute(q.INSERT_SCHEMA_VERSION, (SCHEMA_VERSION,))
        elif version != SCHEMA_VERSION:
            db.execute(q.UPDATE_SCHEMA_VERSION, (SCHEMA_VERSION,))

    db.write(run)
