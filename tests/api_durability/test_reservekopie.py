"""Backup and restore as the README describes them (section "Backup and restore"), with the tools it names:
SQLite's `.backup` (the sqlite3 command) and PostgreSQL's `pg_dump --format=custom` / `pg_restore`. A filled
database (adviezen, besluiten, reviews, audit lines, a herindicatie) is backed up, restored into a fresh
database, and every row of every table is read back equal; the service started on the restored database
serves each advies, its besluit, the history of the casus and the audit log.

PostgreSQL runs only with HG_TEST_POSTGRES_URL (as the API tests); its role must be allowed to create
databases (scripts/postgres.sh grants it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from tests.api.conftest import POSTGRES_ENV, new_app
from tests.api.helpers import auth, besluit_zoals, casus, post_advies


def _vul(client: TestClient) -> list[str]:
    """Adviezen of two casussen (one with a herindicatie), a deviating besluit with its reason, a review with
    per-step judgements; every request leaves audit lines. Returns the advies ids."""
    ids = []
    eerste = post_advies(client, casus(casus_id="RK-1"))
    tweede = post_advies(client, casus(casus_id="RK-1", veiligheid={"niveau": "hoog", "acuut": False}))
    derde = post_advies(client, casus(casus_id="RK-2"))
    ids += [eerste["advies_id"], tweede["advies_id"], derde["advies_id"]]
    anders = 3 if eerste["pakket"] != 3 else 2
    reden = "Het netwerk is kwetsbaarder dan de invoer laat zien."
    r = client.post(f"/v1/advies/{eerste['advies_id']}/besluit", headers=auth("indicatiesteller"),
                    json=besluit_zoals(eerste, pakket=anders, reden=reden))
    assert r.status_code == 201, r.text
    stappen = [{"regel": s["regel"], "oordeel": "oneens" if i == 0 else "eens", "toelichting": f"stap {i}"}
               for i, s in enumerate(derde["uitleg"][:2])]
    r = client.post(f"/v1/advies/{derde['advies_id']}/review", headers=auth("hg_deskundige"),
                    json={"oordeel": "oneens", "toelichting": "De matrix weegt te zwaar.", "stappen": stappen})
    assert r.status_code == 201, r.text
    for advies_id in ids:
        assert client.get(f"/v1/advies/{advies_id}", headers=auth("hg_deskundige")).status_code == 200
    return ids


def _tabellen(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (Alembic's own included), ordered, as plain values."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        result: dict[str, list[dict[str, Any]]] = {}
        with engine.connect() as conn:
            for naam, tabel in sorted(metadata.tables.items()):
                volgorde = list(tabel.primary_key.columns) or list(tabel.columns)
                result[naam] = [dict(r._mapping) for r in conn.execute(select(tabel).order_by(*volgorde))]
        return result
    finally:
        engine.dispose()


def _lees_terug(url: str, ids: list[str], voor: dict[str, list[dict[str, Any]]]) -> None:
    """The restored database holds the same rows, and the service serves them."""
    na = _tabellen(url)
    assert set(na) == set(voor)
    for naam, rijen in voor.items():
        assert na[naam] == rijen, f"table {naam} differs after the restore"
    assert {len(voor[t]) > 0 for t in ("advies", "besluit", "review", "audit")} == {True}
    with TestClient(new_app(url)) as client:
        for advies_id in ids:
            r = client.get(f"/v1/advies/{advies_id}", headers=auth("hg_deskundige"))
            assert r.status_code == 200 and r.json()["advies_id"] == advies_id
        geschiedenis = client.get("/v1/casussen/RK-1/adviezen", headers=auth("hg_deskundige")).json()
        assert [a["advies_id"] for a in geschiedenis["adviezen"]] == ids[:2]
        assert geschiedenis["adviezen"][0]["besluit"]["reden"].startswith("Het netwerk")
        audit = client.get("/v1/audit", headers=auth("beheerder")).json()["regels"]
        assert {ids[0], ids[1], ids[2]} <= {r.get("advies_id") for r in audit}


def test_sqlite_backup_and_restore(tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command (Debian's sqlite3) is not installed")
    bron = tmp_path / "hg-advies.sqlite"
    url = f"sqlite:///{bron}"
    with TestClient(new_app(url)) as client:
        ids = _vul(client)
        # the service keeps running while the backup is made: `.backup` copies a consistent snapshot (WAL)
        kopie = tmp_path / "reservekopie.sqlite"
        subprocess.run(["sqlite3", str(bron), f".backup '{kopie}'"], check=True, timeout=60)
    voor = _tabellen(url)
    hersteld = tmp_path / "hersteld" / "hg-advies.sqlite"
    hersteld.parent.mkdir()
    shutil.copyfile(kopie, hersteld)
    _lees_terug(f"sqlite:///{hersteld}", ids, voor)


@contextmanager
def _nieuwe_database(beheer_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards); its SQLAlchemy URL."""
    naam = f"hg_rk_{uuid.uuid4().hex[:10]}"
    beheer = create_engine(beheer_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with beheer.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {naam}"))
        try:
            yield make_url(beheer_url).set(database=naam).render_as_string(hide_password=False)
        finally:
            with beheer.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
    finally:
        beheer.dispose()


def _libpq(url: str) -> str:
    """The libpq URL of an SQLAlchemy URL (pg_dump and pg_restore do not know `postgresql+psycopg`)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_postgresql_backup_and_restore(tmp_path: Path) -> None:
    beheer_url = os.environ.get(POSTGRES_ENV)
    if not beheer_url:
        pytest.skip(f"{POSTGRES_ENV} is not set (e.g. {POSTGRES_ENV}=$(scripts/postgres.sh hg_advies_test))")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump and pg_restore (Debian's postgresql-client) are needed next to the server")
    dump = tmp_path / "hg-advies.dump"
    with _nieuwe_database(beheer_url) as bron_url, _nieuwe_database(beheer_url) as doel_url:
        with TestClient(new_app(bron_url)) as client:
            ids = _vul(client)
            # online: pg_dump reads one consistent snapshot while the service runs
            subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(bron_url)],
                           check=True, timeout=120)
        voor = _tabellen(bron_url)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(doel_url)}", str(dump)],
                       check=True, timeout=120)
        _lees_terug(doel_url, ids, voor)
