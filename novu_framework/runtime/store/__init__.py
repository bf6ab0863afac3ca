"""Persistence of the embedded runtime: the :class:`Store` interface and its SQLite and PostgreSQL forms."""

from __future__ import annotations

from novu_framework.runtime.store.base import RunQuery, Store
from novu_framework.runtime.store.postgres import PostgresStore
from novu_framework.runtime.store.sqlite import SqliteStore


def open_store(url: str) -> Store:
    """A store from a URL: ``postgresql://...`` / ``postgres://...``, or a SQLite path (``sqlite:///x.db``)."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        return SqliteStore(url[len("sqlite:///") :])
    return SqliteStore(url)


__all__ = ["PostgresStore", "RunQuery", "SqliteStore", "Store", "open_store"]
