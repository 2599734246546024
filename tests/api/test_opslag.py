"""Storing advies rows (api/opslag.py): every row whole or not at all, and each 200 only after the commit.

PostgreSQL: libpq connections on the event loop (api/pg_lus.py), rows grouped in one transaction when they queue
up, a broken connection replaced and its rows written again. SQLite: a Core INSERT in a worker thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import orjson
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api import audit
from api.auth import Principal
from api.db import make_engine, migrate
from api.models import nieuw_id, nu
from api.opslag import PostgresOpslag, SqlOpslag, maak_opslag
from api.pg_lus import LusVerbinding
from tests.api.conftest import Databases
from tests.api.helpers import auth, besluit_zoals, post_advies


def rij(**changes: Any) -> dict[str, Any]:
    advies = {"route": "hg", "uitleg": [{"tekst": "één stap", "bron": "HG-arrangement"}], "getal": 1.5}
    values: dict[str, Any] = {
        "id": nieuw_id(), "casus_id": "opslag-test", "aangemaakt": nu(), "key_id": "0123456789abcdef",
        "rol": "indicatiesteller", "ruleset_naam": "hg-rotterdam", "ruleset_versie": "2021-09-01",
        "ruleset_hash": "sha256:test", "route": "hg", "perceel": "extramuraal", "pakket": 2,
        "casus": orjson.Fragment(orjson.dumps({"casus_id": "opslag-test", "leden": []})),
        "advies": orjson.Fragment(orjson.dumps(advies)),
    }
    values.update(changes)
    return values


@pytest.fixture(scope="module")
def engine(databases: Databases) -> Iterator[tuple[str, Engine]]:
    url = databases.new()
    found = make_engine(url)
    migrate(found)
    yield url, found
    found.dispose()


def rijen(**changes: Any) -> dict[str, dict[str, Any]]:
    """An advies row and its audit line, as POST /v1/advies stores them."""
    advies = rij(**changes)
    regel = audit.regel("advies_gemaakt", Principal("0123456789abcdef", "indicatiesteller"), advies_id=advies["id"])
    return {"advies": advies, "audit": regel}


class Groepen:
    """Records the size of every transaction the opslag's connections send."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.groottes: list[int] = []
        stuur = LusVerbinding.stuur

        def opgenomen(verbinding: LusVerbinding, statements: Any) -> Any:
            self.groottes.append(len(statements))
            return stuur(verbinding, statements)

        monkeypatch.setattr(LusVerbinding, "stuur", opgenomen)


def audit_lines(engine: Engine, advies_id: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM audit WHERE advies_id = :id"),
                                                        {"id": advies_id})]


def stored(engine: Engine, advies_id: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM advies WHERE id = :id"), {"id": advies_id})]


def postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the connections on the event loop are PostgreSQL's")


async def with_opslag(url: str, engine: Engine, work: Any, **kwargs: Any) -> Any:
    opslag = PostgresOpslag(url, **kwargs) if kwargs else maak_opslag(url, engine)
    await opslag.open()
    try:
        return await work(opslag)
    finally:
        await opslag.sluit()


def test_a_row_is_stored_whole(engine: tuple[str, Engine]) -> None:
    url, db = engine
    both = rijen()
    values = both["advies"]
    asyncio.run(with_opslag(url, db, lambda o: o.bewaar(both)))
    (row,) = stored(db, values["id"])
    (line,) = audit_lines(db, values["id"])
    assert line["actie"] == "advies_gemaakt" and line["key_id"] == "0123456789abcdef"
    assert row["casus_id"] == "opslag-test" and row["pakket"] == 2 and row["perceel"] == "extramuraal"
    advies = row["advies"] if isinstance(row["advies"], dict) else orjson.loads(row["advies"])
    assert advies["uitleg"][0]["tekst"] == "één stap" and advies["getal"] == 1.5
    assert isinstance(maak_opslag(url, db), PostgresOpslag if db.dialect.name == "postgresql" else SqlOpslag)


def test_concurrent_rows_are_all_stored(engine: tuple[str, Engine]) -> None:
    url, db = engine
    values = [rijen() for _ in range(120)]

    async def work(opslag: Any) -> None:
        await asyncio.gather(*(opslag.bewaar(v) for v in values))

    asyncio.run(with_opslag(url, db, work))
    for v in values:
        assert len(stored(db, v["advies"]["id"])) == 1 and len(audit_lines(db, v["advies"]["id"])) == 1


def test_a_row_that_cannot_be_stored_fails_only_its_own_request(engine: tuple[str, Engine]) -> None:
    url, db = engine
    good, bad, also_good = rijen(), rijen(casus_id=None), rijen()  # casus_id is NOT NULL

    async def work(opslag: Any) -> list[Any]:
        return list(await asyncio.gather(*(opslag.bewaar(v) for v in (good, bad, also_good)),
                                         return_exceptions=True))

    outcome = asyncio.run(with_opslag(url, db, work))
    assert outcome[0] is None and outcome[2] is None
    assert isinstance(outcome[1], Exception)
    for ok in (good, also_good):
        assert len(stored(db, ok["advies"]["id"])) == 1 and len(audit_lines(db, ok["advies"]["id"])) == 1
    # all or nothing: the refused advies left no audit line either
    assert stored(db, bad["advies"]["id"]) == [] and audit_lines(db, bad["advies"]["id"]) == []


def test_a_group_with_a_bad_row_is_written_again_row_by_row(engine: tuple[str, Engine],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows that queued up go in one transaction; when that fails, each row is written on its own."""
    url, db = engine
    postgres_only(db)
    groepen = Groepen(monkeypatch)
    rows = [rijen(), rijen(), rijen(casus_id=None), rij(), rijen()]
    rows[3] = {"advies": rows[3]}  # an advies without audit line: another statement in the same group

    async def work(opslag: PostgresOpslag) -> list[Any]:
        # the first goes at once (the writer is idle); the other four queue up behind it and go together
        return list(await asyncio.gather(*(opslag.bewaar(v) for v in rows), return_exceptions=True))

    outcome = asyncio.run(with_opslag(url, db, work, schrijvers=1))
    assert groepen.groottes == [1, 4, 1, 1, 1, 1], groepen.groottes  # the group of four failed, then one by one
    assert isinstance(outcome[2], psycopg.errors.NotNullViolation)
    assert [o for i, o in enumerate(outcome) if i != 2] == [None] * 4
    for i in (0, 1, 3, 4):
        assert len(stored(db, rows[i]["advies"]["id"])) == 1
    assert len(audit_lines(db, rows[4]["advies"]["id"])) == 1 and audit_lines(db, rows[2]["advies"]["id"]) == []
    assert stored(db, rows[2]["advies"]["id"]) == []


def eigen_opslag(url: str, pids: list[int], **kwargs: Any) -> PostgresOpslag:
    """An opslag that records the backend pids of its connections (another test may have some open in the same
    database)."""

    class EigenOpslag(PostgresOpslag):
        def _verbind(self) -> Any:
            conn = super()._verbind()
            pids.append(conn.info.backend_pid)
            return conn

    return EigenOpslag(url, **kwargs)


def terminate(db: Engine, pids: list[int]) -> int:
    """The database drops these connections (as in a server restart)."""
    with db.connect() as conn:
        killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE pid = ANY(:pids)"), {"pids": list(pids)}).scalar_one()
        conn.commit()
    return int(killed)


def test_a_broken_connection_is_replaced_and_the_row_written(engine: tuple[str, Engine]) -> None:
    url, db = engine
    postgres_only(db)
    first, second = rijen(), rijen()
    pids: list[int] = []

    async def work() -> None:
        opslag = eigen_opslag(url, pids, schrijvers=1)
        await opslag.open()
        try:
            await opslag.bewaar(first)
            assert terminate(db, pids) == len(pids) == 1 + 1  # the writer's and the reader's
            await asyncio.sleep(0.2)  # the loop sees the connection close (or the write below finds it broken)
            await opslag.bewaar(second)
        finally:
            await opslag.sluit()

    asyncio.run(work())
    assert len(stored(db, first["advies"]["id"])) == 1 and len(stored(db, second["advies"]["id"])) == 1
    assert len(pids) == 3  # one new connection: the writer's


def test_rows_in_flight_when_the_connection_breaks_are_written_again(engine: tuple[str, Engine]) -> None:
    """Sent, not answered, then the connection breaks: committed or not is unknown, so each row is written again
    on a new connection (here they had not committed: they waited for a lock)."""
    url, db = engine
    postgres_only(db)
    values = [rijen() for _ in range(3)]
    pids: list[int] = []

    async def work() -> list[Any]:
        opslag = eigen_opslag(url, pids, schrijvers=1)
        await opslag.open()
        writer_pid = pids[0]
        try:
            with db.connect() as slot:
                slot.execute(text("LOCK TABLE advies IN EXCLUSIVE MODE"))  # the inserts wait for this transaction
                writes = asyncio.gather(*(opslag.bewaar(v) for v in values), return_exceptions=True)
                await asyncio.sleep(0.3)
                assert terminate(db, [writer_pid]) == 1
                await asyncio.sleep(0.3)
                slot.rollback()  # the lock goes; the rows written again go in
            return list(await writes)
        finally:
            await opslag.sluit()

    assert asyncio.run(work()) == [None, None, None]
    for v in values:
        assert len(stored(db, v["advies"]["id"])) == 1 and len(audit_lines(db, v["advies"]["id"])) == 1


def test_a_row_committed_before_its_answer_was_lost_counts_as_stored(engine: tuple[str, Engine]) -> None:
    """Written again after a broken connection, a row whose id is present was committed by the lost attempt; on a
    first attempt the same collision is an error."""
    url, db = engine
    postgres_only(db)
    values = rijen()

    async def work(opslag: PostgresOpslag) -> list[Any]:
        await opslag.bewaar(values)  # the "lost" first attempt: committed
        again = opslag._rij(values)
        again.alleen = again.herhaling = True
        first_time = opslag._rij(values)
        return list(await asyncio.gather(opslag._schrijf(again), opslag._schrijf(first_time), return_exceptions=True))

    again, first_time = asyncio.run(with_opslag(url, db, work, schrijvers=1))
    assert again is None and isinstance(first_time, psycopg.errors.UniqueViolation)
    assert len(stored(db, values["advies"]["id"])) == 1 and len(audit_lines(db, values["advies"]["id"])) == 1


def test_a_database_that_cannot_be_reached_fails_the_write_and_the_read(engine: tuple[str, Engine]) -> None:
    """Its connections dropped and no new one to be had: the request fails with psycopg's OperationalError (503,
    api/storingen.py), nothing is stored, and the opslag writes again once the database is back."""
    url, db = engine
    postgres_only(db)
    pids: list[int] = []
    down = [False]
    lost, later = rijen(), rijen()

    class Onbereikbaar(PostgresOpslag):
        def _verbind(self) -> Any:
            if down[0]:
                raise psycopg.OperationalError("connection refused")
            conn = super()._verbind()
            pids.append(conn.info.backend_pid)
            return conn

    async def work() -> tuple[Any, Any, Any]:
        opslag = Onbereikbaar(url, schrijvers=2)
        await opslag.open()
        try:
            down[0] = True
            assert terminate(db, pids) == 3
            await asyncio.sleep(0.2)
            write, read = await asyncio.gather(opslag.bewaar(lost), opslag.vorige("x", None), return_exceptions=True)
            down[0] = False
            (again,) = await asyncio.gather(opslag.bewaar(later), return_exceptions=True)
            return write, read, again
        finally:
            await opslag.sluit()

    write, read, again = asyncio.run(work())
    assert isinstance(write, psycopg.OperationalError) and isinstance(read, psycopg.OperationalError)
    assert again is None and stored(db, lost["advies"]["id"]) == [] and len(stored(db, later["advies"]["id"])) == 1


def test_postgres_compresses_the_json_with_lz4_when_it_can(engine: tuple[str, Engine]) -> None:
    _, db = engine
    postgres_only(db)
    with db.connect() as conn:
        versie = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        methods = dict(conn.execute(text(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'advies'::regclass "
            "AND attname IN ('casus', 'advies')")).all())
    if versie < 140000:
        pytest.skip("PostgreSQL < 14 has no lz4")
    assert methods == {"casus": "l", "advies": "l"}


def test_times_are_utc_with_z(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    assert advies["aangemaakt"].endswith("Z")
    gelezen = client.get(f"/v1/advies/{advies['advies_id']}", headers=auth("indicatiesteller")).json()
    assert gelezen["aangemaakt"] == advies["aangemaakt"]
    besluit = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit_zoals(advies),
                          headers=auth("indicatiesteller"))
    assert besluit.status_code == 201, besluit.text
    assert besluit.json()["aangemaakt"].endswith("Z")
    gegeven = dt.datetime.fromisoformat(advies["aangemaakt"])
    assert abs((gegeven - dt.datetime.now(dt.UTC)).total_seconds()) < 600


def test_vorige_is_the_newest_advies_of_the_casus_and_of_the_key_when_given(engine: tuple[str, Engine]) -> None:
    """The herindicatie lookup (PostgreSQL: the reader connection on the event loop; SQLite: a Core query in a
    worker thread)."""
    url, db = engine
    casus_id = "vorige-" + nieuw_id()[:8]
    begin = nu()
    oud = rijen(casus_id=casus_id, aangemaakt=begin - dt.timedelta(minutes=2))
    nieuw = rijen(casus_id=casus_id, aangemaakt=begin - dt.timedelta(minutes=1))
    ander = rijen(casus_id=casus_id, aangemaakt=begin, key_id="fedcba9876543210")

    async def work(opslag: Any) -> list[Any]:
        for v in (oud, nieuw, ander):
            await opslag.bewaar(v)
        return [await opslag.vorige(casus_id, "0123456789abcdef"), await opslag.vorige(casus_id, None),
                await opslag.vorige(casus_id, "0000000000000000"), await opslag.vorige("nooit-gezien", None)]

    eigen, alle, vreemd, geen = asyncio.run(with_opslag(url, db, work))
    assert eigen is not None and eigen[0] == nieuw["advies"]["id"]
    assert eigen[1]["uitleg"][0]["tekst"] == "één stap" and eigen[1]["getal"] == 1.5  # decoded, not text
    assert alle is not None and alle[0] == ander["advies"]["id"]
    assert vreemd is None and geen is None


def test_a_reader_whose_connection_broke_reconnects(engine: tuple[str, Engine]) -> None:
    url, db = engine
    postgres_only(db)
    values = rijen(casus_id="lezer-" + nieuw_id()[:8])
    pids: list[int] = []

    async def work() -> Any:
        opslag = eigen_opslag(url, pids, schrijvers=1)
        await opslag.open()
        try:
            await opslag.bewaar(values)
            terminate(db, pids)  # the database drops every connection of this opslag; no pause: the read may
            return await opslag.vorige(values["advies"]["casus_id"], None)  # find the reader broken or break on it
        finally:
            await opslag.sluit()

    found = asyncio.run(work())
    assert found is not None and found[0] == values["advies"]["id"]
