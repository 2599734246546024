"""Database access: the SQLAlchemy engine for HG_DATABASE_URL, migrations on start-up, sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import Session

__all__ = ["make_engine", "migrate", "sessions"]

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 7_400_221  # pg_advisory_lock key: one migrating process at a time


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


SQLITE_TIMEOUT = 5  # seconds a write waits for a locked SQLite file (was 30: a request hung that long)


def make_engine(url: str) -> Engine:
    # hide_parameters: an error message never carries the statement's values (a casus, an advies) into a log
    json_options = {"json_serializer": _json, "json_deserializer": orjson.loads, "hide_parameters": True}
    if url.startswith("sqlite"):
        # A locked file waits at most SQLITE_TIMEOUT seconds, then the request gets a 503 (api/storingen.py).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_TIMEOUT},
                               **json_options)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]  # SQLAlchemy event signature
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")  # a 200 means the advies survives a crash
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # As many pooled connections as request threads (anyio's default limit is 40): no connection is opened
    # and closed per request under load.
    return create_engine(url, pool_size=40, max_overflow=0, pool_timeout=30, pool_pre_ping=True, **json_options)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent; serialised across processes on PostgreSQL)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def sessions(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
