"""Upgrades with data: the schema is built at the first migration and every table is filled with rows; then it
is upgraded one migration at a time to the newest, each table that a migration adds is filled as soon as it
exists, and at the end every row ever written is read back unchanged (columns added later may be there too).
A migration that rewrites a stored advies, or loses a row, fails this (the second test proves that with a
migration made for the purpose). On SQLite and, with HG_TEST_POSTGRES_URL, on PostgreSQL.

The rows are made from the reflected columns (type, length, foreign keys), not from the models of today: a
table as it was at its migration. The `advies` rows carry a real casus and advies (the engine's)."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from api.db import MIGRATIONS, make_engine
from rules import standaard_engine
from tests.api.conftest import BACKENDS, POSTGRES_ENV, Databases
from tests.api.helpers import casus

RIJEN = 2  # per table
EIGEN_VAN = "procrastinate_"  # the job queue's own tables: its rows are transient jobs, its schema its own


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    import os

    url = os.environ.get(POSTGRES_ENV) if request.param == "postgresql" else None
    if request.param == "postgresql" and not url:
        pytest.skip(f"PostgreSQL variant: {POSTGRES_ENV} is not set")
    found = Databases(request.param, tmp_path, url)
    yield found
    found.drop_all()


def _config(script_location: Path, conn: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = conn
    return config


def _revisies(script_location: Path) -> list[str]:
    script = ScriptDirectory(str(script_location))
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


_ECHT: dict[str, Any] = {}


def _echt_advies() -> tuple[dict[str, Any], dict[str, Any]]:
    if not _ECHT:
        data = casus(casus_id="MIG-1")
        _ECHT["casus"] = orjson.loads(orjson.dumps(data))
        _ECHT["advies"] = standaard_engine().advies_voor(data)
    return _ECHT["casus"], _ECHT["advies"]


def _waarde(tabel: sa.Table, kolom: sa.Column[Any], i: int, ouders: dict[str, list[dict[str, Any]]]) -> Any:
    for fk in kolom.foreign_keys:
        ouder = ouders[fk.column.table.name][i]
        return ouder[fk.column.name]
    soort = kolom.type
    if tabel.name == "advies" and kolom.name in ("casus", "advies"):
        echt_casus, echt_advies = _echt_advies()
        return echt_casus if kolom.name == "casus" else echt_advies
    if isinstance(soort, sa.Enum) and soort.enums:
        return soort.enums[i % len(soort.enums)]
    if isinstance(soort, sa.Boolean):
        return i % 2 == 0
    if isinstance(soort, sa.Integer):
        return i + 1
    if isinstance(soort, sa.Float | sa.Numeric):
        return 1.5 + i
    if isinstance(soort, sa.DateTime):
        return dt.datetime(2026, 11, 2, 10, 0, i, tzinfo=dt.UTC)
    if isinstance(soort, sa.Date):
        return dt.date(2026, 11, 2 + i)
    if isinstance(soort, sa.JSON):
        return {"waarde": [i, "één"], "tekst": "cliënt"}
    if isinstance(soort, sa.LargeBinary):
        return bytes([i, 0, 255])
    if isinstance(soort, sa.String):  # also Text
        tekst = f"{tabel.name[:6]}{kolom.name[:6]}{i}"
        return tekst[: soort.length] if soort.length else tekst
    raise AssertionError(f"{tabel.name}.{kolom.name}: no test value for type {soort!r}")


def _vul(conn: sa.Connection, tabel: sa.Table, ouders: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    kolommen = [k for k in tabel.columns if k.identity is None and k.computed is None]  # those the database makes
    rijen = [{k.name: _waarde(tabel, k, i, ouders) for k in kolommen} for i in range(RIJEN)]
    conn.execute(tabel.insert(), rijen)
    return rijen


def _lees(conn: sa.Connection, naam: str) -> list[dict[str, Any]]:
    tabel = sa.Table(naam, sa.MetaData(), autoload_with=conn)
    volgorde = list(tabel.primary_key.columns) or list(tabel.columns)
    return [dict(r._mapping) for r in conn.execute(sa.select(tabel).order_by(*volgorde))]


def upgrade_met_gegevens(url: str, script_location: Path) -> list[str]:
    """Build, fill and upgrade as the module says; the differences found (empty: nothing lost or changed)."""
    engine = make_engine(url)
    gevuld: dict[str, list[dict[str, Any]]] = {}  # table -> its rows as read back right after filling
    try:
        for revisie in _revisies(script_location):
            with engine.begin() as conn:
                command.upgrade(_config(script_location, conn), revisie)
            with engine.begin() as conn:
                metadata = sa.MetaData()
                metadata.reflect(conn)
                for tabel in metadata.sorted_tables:  # parents first: a foreign key finds its rows
                    if tabel.name in gevuld or tabel.name == "alembic_version" or tabel.name.startswith(EIGEN_VAN):
                        continue
                    _vul(conn, tabel, gevuld)
                    gevuld[tabel.name] = _lees(conn, tabel.name)
        verschillen = []
        with engine.connect() as conn:
            for naam, voor in gevuld.items():
                na = _lees(conn, naam)
                if len(na) != len(voor):
                    verschillen.append(f"{naam}: {len(voor)} rows before, {len(na)} after")
                    continue
                anders = sorted({k for oud, nieuw in zip(voor, na, strict=True) for k in oud if oud[k] != nieuw.get(k)})
                if anders:
                    verschillen.append(f"{naam}: columns {anders} changed")
        return verschillen
    finally:
        engine.dispose()


def test_every_row_survives_every_migration(databases: Databases) -> None:
    assert len(_revisies(MIGRATIONS)) >= 10
    assert upgrade_met_gegevens(databases.new(), MIGRATIONS) == []


def test_a_migration_that_rewrites_a_stored_advies_is_found(databases: Databases, tmp_path: Path) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = _revisies(MIGRATIONS)[-1]
    (scripts / "versions" / "9999_herschrijf.py").write_text(textwrap.dedent(f'''
        """A bad migration, for this test only: it rewrites every stored advies."""
        from alembic import op

        revision = "9999"
        down_revision = "{head}"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.execute("UPDATE advies SET advies = casus")


        def downgrade() -> None:
            pass
    '''), encoding="utf-8")
    verschillen = upgrade_met_gegevens(databases.new(), scripts)
    assert verschillen == ["advies: columns ['advies'] changed"]
