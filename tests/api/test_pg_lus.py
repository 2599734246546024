"""A libpq connection on the event loop (api/pg_lus.py): transactions pipelined and answered in order, an error
rolling back its own transaction only, large statements flushed as the socket takes them, a break failing what
is in flight. PostgreSQL only (HG_TEST_POSTGRES_URL)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import pq
from sqlalchemy.engine import make_url

from api.pg_lus import LusVerbinding

URL = os.environ.get("HG_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="needs HG_TEST_POSTGRES_URL (a real PostgreSQL server)")

VOORBEREID = {
    b"t_in": b"INSERT INTO pg_lus_test (n, tekst) VALUES ($1, $2)",
    b"t_echo": b"SELECT $1::text",
    b"t_deel": b"SELECT 1 / $1::int",
    b"t_som": b"SELECT count(*), coalesce(sum(n), 0) FROM pg_lus_test",
    b"t_pid": b"SELECT pg_terminate_backend($1::int)",
    b"t_slaap": b"SELECT pg_sleep($1::float)",
}


def conninfo() -> str:
    assert URL is not None
    return make_url(URL).set(drivername="postgresql").render_as_string(hide_password=False)


def verbind() -> psycopg.Connection[Any]:
    return psycopg.connect(conninfo(), autocommit=True)


@pytest.fixture()
def tabel() -> Iterator[None]:
    with verbind() as conn:
        conn.execute("DROP TABLE IF EXISTS pg_lus_test")
        conn.execute("CREATE TABLE pg_lus_test (n int PRIMARY KEY, tekst text)")
    yield
    with verbind() as conn:
        conn.execute("DROP TABLE IF EXISTS pg_lus_test")


def waarde(res: pq.abc.PGresult, kolom: int = 0) -> str:
    found = res.get_value(0, kolom)
    assert found is not None
    return found.decode()


def test_transactions_are_pipelined_and_answered_in_order(tabel: None) -> None:
    async def work() -> list[list[pq.abc.PGresult]]:
        verbinding = await LusVerbinding.open(verbind, VOORBEREID)
        try:
            klaar = [verbinding.stuur([(b"t_echo", [str(i).encode()], None)]) for i in range(200)]
            assert verbinding.bezig > 1  # sent without waiting for the answers
            return list(await asyncio.gather(*klaar))
        finally:
            await verbinding.sluit()

    antwoorden = asyncio.run(work())
    assert [waarde(res) for (res,) in antwoorden] == [str(i) for i in range(200)]


def test_an_error_rolls_back_its_own_transaction_only(tabel: None) -> None:
    async def work() -> tuple[Any, ...]:
        verbinding = await LusVerbinding.open(verbind, VOORBEREID)
        try:
            goed = verbinding.stuur([(b"t_in", [b"1", b"een"], None), (b"t_in", [b"2", b"twee"], None)])
            fout = verbinding.stuur([(b"t_in", [b"3", b"drie"], None), (b"t_deel", [b"0"], None),
                                     (b"t_in", [b"4", b"vier"], None)])
            daarna = verbinding.stuur([(b"t_in", [b"5", b"vijf"], None)])
            som = verbinding.stuur([(b"t_som", [], None)])
            uitkomst = await asyncio.gather(goed, fout, daarna, som)
            return (*uitkomst, verbinding.fout(uitkomst[1][1]))
        finally:
            await verbinding.sluit()

    goed, fout, daarna, (som,), uitzondering = asyncio.run(work())
    assert [r.status for r in goed] == [pq.ExecStatus.COMMAND_OK] * 2
    assert [r.status for r in fout] == [pq.ExecStatus.COMMAND_OK, pq.ExecStatus.FATAL_ERROR,
                                        pq.ExecStatus.PIPELINE_ABORTED]
    assert isinstance(uitzondering, psycopg.errors.DivisionByZero)
    assert [r.status for r in daarna] == [pq.ExecStatus.COMMAND_OK]
    assert (waarde(som, 0), waarde(som, 1)) == ("3", "8")  # 1 + 2 + 5: the row 3 went with its transaction


def test_a_statement_larger_than_the_socket_buffer_is_flushed_as_it_takes_it(tabel: None) -> None:
    groot = ("x" * 1_000_000).encode()  # far beyond the socket buffer below: libpq's flush returns 1, the loop waits

    async def work() -> list[str]:
        verbinding = await LusVerbinding.open(verbind, VOORBEREID)
        try:
            with socket.socket(fileno=os.dup(verbinding._fd)) as sok:  # the same socket: a small send buffer
                sok.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            eerst = verbinding.stuur([(b"t_in", [b"1", groot], None)])
            assert verbinding._schrijft  # the loop sends the rest when the socket is writable
            dan = verbinding.stuur([(b"t_echo", [b"klaar"], None)])
            (a,), (b,) = await asyncio.gather(eerst, dan)
            assert not verbinding._schrijft
            return [pq.ExecStatus(a.status).name, waarde(b)]
        finally:
            await verbinding.sluit()

    assert asyncio.run(work()) == ["COMMAND_OK", "klaar"]
    with verbind() as conn:
        assert conn.execute("SELECT length(tekst) FROM pg_lus_test WHERE n = 1").fetchone() == (1_000_000,)


def test_a_break_fails_what_is_in_flight_and_tells_the_owner(tabel: None) -> None:
    gebroken: list[LusVerbinding] = []

    async def work() -> tuple[Any, Any, bool]:
        verbinding = await LusVerbinding.open(verbind, VOORBEREID, bij_breuk=gebroken.append)
        beul = await LusVerbinding.open(verbind, VOORBEREID)
        try:
            (echo,) = await verbinding.stuur([(b"t_echo", [b"a"], None)])
            assert waarde(echo) == "a"
            lang = verbinding.stuur([(b"t_slaap", [b"30"], None)])  # in flight when the backend is terminated
            await asyncio.sleep(0.1)
            (res,) = await beul.stuur([(b"t_pid", [str(verbinding.backend_pid).encode()], None)])
            assert waarde(res) == "t"
            onderweg = await asyncio.gather(lang, return_exceptions=True)
            na = await asyncio.gather(verbinding.stuur([(b"t_echo", [b"b"], None)]), return_exceptions=True)
            return onderweg[0], na[0], verbinding.kapot
        finally:
            await beul.sluit()
            await verbinding.sluit()

    onderweg, na, kapot = asyncio.run(asyncio.wait_for(work(), 20))
    assert kapot and isinstance(onderweg, psycopg.OperationalError) and isinstance(na, psycopg.OperationalError)
    assert len(gebroken) == 1


def test_sluit_waits_for_the_transactions_in_flight(tabel: None) -> None:
    async def work() -> list[Any]:
        verbinding = await LusVerbinding.open(verbind, VOORBEREID)
        klaar = [verbinding.stuur([(b"t_in", [str(i).encode(), b"t"], None)]) for i in range(50)]
        await verbinding.sluit()
        return [f.result()[0].status for f in klaar]

    assert asyncio.run(work()) == [pq.ExecStatus.COMMAND_OK] * 50
    with verbind() as conn:
        assert conn.execute("SELECT count(*) FROM pg_lus_test").fetchone() == (50,)


def test_a_statement_that_cannot_be_prepared_stops_the_opening() -> None:
    async def work() -> None:
        await LusVerbinding.open(verbind, {b"t_kapot": b"SELEKT 1"})

    with pytest.raises(psycopg.errors.SyntaxError):
        asyncio.run(work())
