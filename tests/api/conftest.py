"""Fixtures for the HTTP service tests: the app with one key per role, on SQLite and on PostgreSQL.

Every test module runs once per database kind (`sqlite`, `postgresql`). The PostgreSQL variant runs
only when HG_TEST_POSTGRES_URL is set (an SQLAlchemy URL of a database the tests may use, e.g. the
output of `scripts/postgres.sh hg_advies_test`); otherwise it is skipped with that reason.

Speed: one app (and one database, migrated once on start-up) per module and database kind; before each
test the tables are emptied, so tests do not see each other's rows. On PostgreSQL each database is a
schema of its own (`hgtest_<random>`, selected through the connection's search_path), created empty
before the app migrates it and dropped afterwards, so parallel runs (pytest-xdist, CI jobs) sharing
one PostgreSQL database never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from api.app import create_app
from api.pogingen import van
from api.settings import Settings
from tests.api.helpers import API_KEYS, TABLES

POSTGRES_ENV = "HG_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


class Databases:
    """Fresh, empty databases of one kind: SQLite files in a temporary directory, or PostgreSQL schemas."""

    def __init__(self, kind: str, directory: Path, postgres_url: str | None = None) -> None:
        self.kind = kind
        self.directory = directory
        self.postgres_url = postgres_url
        self.schemas: list[str] = []

    def new(self) -> str:
        """The SQLAlchemy URL of a new, empty database."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.directory / f'hg-advies-{uuid.uuid4().hex[:8]}.sqlite'}"
        assert self.postgres_url is not None
        schema = f"hgtest_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        self.schemas.append(schema)
        url = make_url(self.postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.kind != "postgresql":
            return
        with self._admin() as conn:
            for schema in self.schemas:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.schemas.clear()

    @contextmanager
    def _admin(self) -> Iterator[Connection]:
        assert self.postgres_url is not None
        engine = create_engine(self.postgres_url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    kind: str = request.param
    postgres_url = None
    if kind == "postgresql":
        postgres_url = os.environ.get(POSTGRES_ENV)
        if not postgres_url:
            pytest.skip(f"PostgreSQL variant: {POSTGRES_ENV} is not set "
                        f"(e.g. {POSTGRES_ENV}=$(scripts/postgres.sh hg_advies_test))")
    found = Databases(kind, tmp_path_factory.mktemp(f"db-{kind}"), postgres_url)
    yield found
    found.drop_all()


@pytest.fixture(scope="module")
def database_url(databases: Databases) -> str:
    return databases.new()


def new_app(database_url: str) -> FastAPI:
    # The statistics tests count single besluiten; disclosure control itself is tested with the default
    # (tests/api/test_onderdrukking.py).
    return create_app(Settings(database_url=database_url, api_keys=API_KEYS, minimum_aantal=1))


@pytest.fixture(scope="module")
def app(database_url: str) -> FastAPI:
    return new_app(database_url)


@pytest.fixture(scope="module")
def module_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:  # runs the lifespan: migrations, engine warm-up
        yield client


@pytest.fixture
def client(module_client: TestClient, app: FastAPI) -> TestClient:
    """The module's client, on empty tables."""
    with app.state.db.begin() as conn:  # DELETE: on these few rows faster than TRUNCATE on PostgreSQL
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    van(app).vergeet()  # and the failed key attempts in memory: no test locks the next one out
    return module_client


@pytest.fixture
def start_app() -> Callable[[str], AbstractContextManager[TestClient]]:
    """Start a separate app on a given database URL (for restarts); leaving the block shuts it down."""

    @contextmanager
    def start(url: str) -> Iterator[TestClient]:
        with TestClient(new_app(url)) as client:
            yield client

    return start


@pytest.fixture
def standaard(database_url: str) -> Iterator[TestClient]:
    """An app with the default disclosure minimum (5), on the module's database with empty tables (the `app`
    fixture uses a minimum of 1)."""
    settings = Settings(database_url=database_url, api_keys=API_KEYS)
    assert settings.minimum_aantal == 5
    with TestClient(create_app(settings)) as client:
        with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
            for table in TABLES:
                conn.exec_driver_sql(f"DELETE FROM {table}")
        yield client
