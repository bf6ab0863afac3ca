"""The PostgreSQL store (psycopg 3): several worker processes can share one database."""

from __future__ import annotations

from typing import Any

from novu_framework.errors import MissingDependencyError
from novu_framework.runtime.store.connection import Dialect
from novu_framework.runtime.store.sql import SqlStore


class PostgresStore(SqlStore):
    """The store on a PostgreSQL database given by a libpq connection string (``postgresql://...``).

    Due runs are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent workers never take
    the same run; ``threads`` connections serve the calls of this process.
    """

    def __init__(self, dsn: str, *, threads: int = 4) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingDependencyError("PostgreSQL store", ["psycopg[binary]"]) from exc
        self.dsn = dsn
        dialect = Dialect(
            name="postgres",
            placeholder="%s",
            begin_write="BEGIN",
            for_update=" FOR UPDATE",
            skip_locked=" FOR UPDATE SKIP LOCKED",
            migration_lock="SELECT pg_advisory_xact_lock(7311427)",
            integrity_errors=(psycopg.errors.IntegrityError,),
            max_params=65535,
        )

        def connect() -> Any:
            return psycopg.connect(dsn, autocommit=True)

        super().__init__(connect, dialect, threads=threads)

    def __repr__(self) -> str:
        return "PostgresStore(...)"
