"""Storing a new advies row: the one write on the hot path (POST /v1/advies), kept lean.

PostgreSQL: a few writer threads per server process, each with its own synchronous psycopg connection,
take rows from a queue and insert them with one prepared statement; the request awaits a future that
the writer resolves once the row is committed (its WAL flushed, as synchronous_commit requires), so
every 200 is durable. Rows that queue up while a writer is busy go in together, in one transaction
(group commit): one round trip and one WAL flush for the lot. Measured per insert of vj-2020-1's row:
psycopg's asyncio interface ~590 µs of CPU, its synchronous one ~185 µs, ~160 µs per row in groups
of five (same machine, same minute); the thread hand-off costs far less than the difference.

Connections are opened at start-up (opening one in the middle of a request cost p99 ~10 ms). A
writer whose connection breaks (server restart) reconnects and writes its rows again, one by one; a
row whose id is then already present was committed before the break, and counts as stored. A row that
collides with a stored idempotency key (`api/idempotentie.py`) fails its request with `IdempotentieBezet`,
its whole statement rolled back: the request then answers with the stored answer.

Any other database (the embedded SQLite) gets a SQLAlchemy Core INSERT in a worker thread. Both write
exactly the columns of `AdviesRecord`'s table, so the ORM model stays the one description of the row.

The one read on the hot path is here too: `vorige`, the newest stored advies of a casus (herindicatie,
api/herindicatie.py), looked up on every POST while the engine evaluates. On PostgreSQL a few reader threads
with their own synchronous connections answer it with a statement prepared on each connection, executed
through libpq itself (`pgconn.exec_prepared`, psycopg's low-level interface; the GIL is released while it
waits), the advies as text decoded by orjson. Through SQLAlchemy's pool in a worker thread it cost a pool
checkout, a pre-ping, a rollback and the stdlib JSON decoder, together more CPU than the evaluation itself
(bench-api: 217/s against 480-500/s without the lookup, 2026-12-01); psycopg's `execute` still cost ~130 µs
of CPU per lookup, libpq's ~50 µs (same machine, same minute). SQLite reads it with SQLAlchemy Core in a
worker thread.
"""

from __future__ import annotations

import asyncio
import functools
import queue
import threading
from collections.abc import Mapping
from typing import Any, Protocol

import orjson
import psycopg
from psycopg import pq
from sqlalchemy import JSON, Engine, Integer, Table, insert, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from api import idempotentie
from api.models import AdviesRecord, AuditRecord, IdempotentieRecord
from api.opgeslagen import OpgeslagenAdvies

__all__ = ["AdviesOpslag", "maak_opslag", "TABELLEN"]

# The tables a write may touch, in the order their rows are inserted (a row's parent first).
TABELLEN: dict[str, Table] = {
    "advies": AdviesRecord.__table__,  # type: ignore[attr-defined]  # SQLModel sets it on table models
    "audit": AuditRecord.__table__,  # type: ignore[attr-defined]
    "idempotentie": IdempotentieRecord.__table__,  # type: ignore[attr-defined]  # with an Idempotency-Key
}


@functools.cache
def _kolommen(tabel: Table) -> tuple[str, ...]:
    """The columns a row gives: all but a generated integer key (the audit line's id)."""
    return tuple(c.name for c in tabel.columns if not (c.primary_key and isinstance(c.type, Integer)))


@functools.cache
def _json_kolommen(tabel: Table) -> frozenset[str]:
    return frozenset(c.name for c in tabel.columns if isinstance(c.type, JSON))


class AdviesOpslag(Protocol):
    async def open(self) -> None: ...

    async def bewaar(self, rijen: Mapping[str, dict[str, Any]]) -> None:
        """Insert one row per table (names of `TABELLEN`: the advies and its audit line, ...) in one transaction
        and commit; raises when they are not stored. JSON columns take any value orjson encodes, an
        `orjson.Fragment` (JSON encoded already) included."""

    async def vorige(self, casus_id: str, key_id: str | None) -> tuple[str, Mapping[str, Any]] | None:
        """The newest stored advies of this casus, of this key only when `key_id` is given: (its id, the
        advies), or None. One query on the index (casus_id, aangemaakt)."""

    async def sluit(self) -> None: ...


_ADVIES = TABELLEN["advies"]
# The herindicatie lookup, with and without the key filter (two statements, so each has its own plan),
# prepared by name on every reader connection.
_VORIGE = (f"SELECT id, advies::text FROM {_ADVIES.name} WHERE casus_id = $1{{}} "
           "ORDER BY aangemaakt DESC LIMIT 1")
_VORIGE_VAN_SLEUTEL, _VORIGE_VAN_ALLEN = b"hg_vorige_van_sleutel", b"hg_vorige_van_allen"
_VOORBEREID = {_VORIGE_VAN_SLEUTEL: _VORIGE.format(" AND key_id = $2").encode(),
               _VORIGE_VAN_ALLEN: _VORIGE.format("").encode()}
_APPLICATIE = "hg-advies-opslag"  # application_name of the writers' connections (pg_stat_activity)
_Klus = tuple[str, tuple[Any, ...], asyncio.Future[None]]  # the statement, its values, the request waiting
_Vraag = tuple[bytes, tuple[bytes, ...], asyncio.Future[Any]]  # a prepared statement, its values, who waits


def _sql(tabellen: tuple[str, ...]) -> str:
    """One statement that inserts a row into each table: data-modifying CTEs, so it is atomic and takes one
    round trip (`WITH r0 AS (INSERT ...) INSERT ...`)."""
    delen = []
    for naam in tabellen:
        tabel = TABELLEN[naam]
        kolommen, json_kolommen = _kolommen(tabel), _json_kolommen(tabel)
        waarden = ", ".join("%s::json" if k in json_kolommen else "%s" for k in kolommen)
        delen.append(f"INSERT INTO {tabel.name} ({', '.join(kolommen)}) VALUES ({waarden})")
    ctes = ", ".join(f"r{i} AS ({deel})" for i, deel in enumerate(delen[:-1]))
    return f"WITH {ctes} {delen[-1]}" if ctes else delen[-1]


class PostgresOpslag:
    """Writer threads with synchronous psycopg connections, fed through a queue (see the module text)."""

    def __init__(self, url: str, schrijvers: int = 4, groep: int = 32, lezers: int = 2) -> None:
        self._conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._aantal = schrijvers
        self._lezers = lezers
        self._groep = groep  # at most this many rows per transaction
        self._wachtrij: queue.SimpleQueue[_Klus | None] = queue.SimpleQueue()
        self._leesrij: queue.SimpleQueue[_Vraag | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sqls: dict[tuple[str, ...], str] = {}

    async def open(self) -> None:
        self._loop = asyncio.get_running_loop()
        for i in range(self._aantal):  # connect here, so a database that cannot be reached stops the start-up
            conn = await self._loop.run_in_executor(None, self._verbind)
            thread = threading.Thread(target=self._schrijf, args=(conn,), name=f"hg-opslag-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)
        for i in range(self._lezers):
            conn = await self._loop.run_in_executor(None, self._verbind)
            thread = threading.Thread(target=self._lees, args=(conn,), name=f"hg-lezer-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    async def bewaar(self, rijen: Mapping[str, dict[str, Any]]) -> None:
        assert self._loop is not None, "open() first"
        tabellen = tuple(naam for naam in TABELLEN if naam in rijen)
        assert len(tabellen) == len(rijen), f"unknown table in {list(rijen)}"
        sql = self._sqls.get(tabellen) or self._sqls.setdefault(tabellen, _sql(tabellen))
        waarden = tuple(w for naam in tabellen for w in _waarden(TABELLEN[naam], rijen[naam]))
        klaar: asyncio.Future[None] = self._loop.create_future()
        self._wachtrij.put((sql, waarden, klaar))
        await klaar

    async def vorige(self, casus_id: str, key_id: str | None) -> tuple[str, Mapping[str, Any]] | None:
        assert self._loop is not None, "open() first"
        naam, waarden = ((_VORIGE_VAN_ALLEN, (casus_id.encode(),)) if key_id is None
                         else (_VORIGE_VAN_SLEUTEL, (casus_id.encode(), key_id.encode())))
        antwoord: asyncio.Future[Any] = self._loop.create_future()
        self._leesrij.put((naam, waarden, antwoord))
        rij = await antwoord
        return (rij[0].decode(), OpgeslagenAdvies(rij[1])) if rij is not None else None  # decoded as needed

    async def sluit(self) -> None:
        for _ in range(self._aantal):
            self._wachtrij.put(None)
        for _ in range(self._lezers):
            self._leesrij.put(None)
        for thread in self._threads:
            await asyncio.get_running_loop().run_in_executor(None, thread.join)
        self._threads.clear()

    # --- in the writer threads ---

    def _verbind(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10, application_name=_APPLICATIE)

    def _schrijf(self, conn: psycopg.Connection[Any]) -> None:
        while (klus := self._wachtrij.get()) is not None:
            klussen = [klus]
            while len(klussen) < self._groep:  # whatever queued up meanwhile joins this transaction
                try:
                    volgende = self._wachtrij.get_nowait()
                except queue.Empty:
                    break
                if volgende is None:
                    self._wachtrij.put(None)  # the stop signal is for after this group
                    break
                klussen.append(volgende)
            conn = self._schrijf_groep(conn, klussen)
        conn.close()

    def _schrijf_groep(self, conn: psycopg.Connection[Any], klussen: list[_Klus]) -> psycopg.Connection[Any]:
        try:
            if len(klussen) == 1:
                conn.execute(klussen[0][0], klussen[0][1], prepare=True)
            else:
                with conn.transaction(), conn.cursor() as cur:
                    for sql in dict.fromkeys(sql for sql, _, _ in klussen):  # one executemany per statement
                        cur.executemany(sql, [waarden for s, waarden, _ in klussen if s == sql])
        except psycopg.Error:
            # A group fails whole: write its rows one by one, so one bad row fails only its own request.
            for klus in klussen:
                conn = self._schrijf_een(conn, klus)
            return conn
        for _, _, klaar in klussen:
            self._meld(klaar, None)
        return conn

    def _schrijf_een(self, conn: psycopg.Connection[Any], klus: _Klus) -> psycopg.Connection[Any]:
        sql, waarden, klaar = klus
        fout: BaseException | None = None
        for _poging in range(2):
            if conn.broken or conn.closed:
                try:
                    conn = self._verbind()
                except psycopg.Error as exc:
                    fout = exc
                    continue
            try:
                conn.execute(sql, waarden, prepare=True)
                fout = None
                break
            except psycopg.errors.UniqueViolation as exc:
                # On the idempotency key: another request with the same key (or this one's failed attempt,
                # whose answer is the same) committed first; the whole statement is rolled back, and the
                # request answers with the stored answer (api/idempotentie.py).
                # Else a retry, after a failure: ids are random (uuid4), so present already means the failed
                # attempt had committed the rows before its answer was lost.
                fout = idempotentie.IdempotentieBezet() if idempotentie.is_botsing(exc) else None
                break
            except psycopg.Error as exc:
                fout = exc
        self._meld(klaar, fout)
        return conn

    def _lees(self, conn: psycopg.Connection[Any]) -> None:
        voorbereid = False  # the lookups are prepared on `conn`
        while (vraag := self._leesrij.get()) is not None:
            naam, waarden, antwoord = vraag
            rij, fout = None, None
            for _poging in range(2):  # a broken connection (server restart) is replaced once
                try:
                    if conn.broken or conn.closed:
                        conn, voorbereid = self._verbind(), False
                    if not voorbereid:
                        for sql_naam, sql in _VOORBEREID.items():
                            _uitkomst(conn, conn.pgconn.prepare(sql_naam, sql), pq.ExecStatus.COMMAND_OK)
                        voorbereid = True
                    res = _uitkomst(conn, conn.pgconn.exec_prepared(naam, waarden), pq.ExecStatus.TUPLES_OK)
                    rij, fout = ((res.get_value(0, 0), res.get_value(0, 1)) if res.ntuples else None), None
                    break
                except psycopg.Error as exc:
                    fout = exc
            self._meld(antwoord, fout, rij)
        conn.close()

    def _meld(self, klaar: asyncio.Future[Any], fout: BaseException | None, uitkomst: Any = None) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(_zet, klaar, fout, uitkomst)


def _uitkomst(conn: psycopg.Connection[Any], res: pq.abc.PGresult, verwacht: pq.ExecStatus) -> pq.abc.PGresult:
    """`res` of a libpq call when its status is `verwacht`; else psycopg's exception for it (an OperationalError
    when the connection broke: the request answers 503)."""
    if res.status == verwacht:
        return res
    if conn.pgconn.status == pq.ConnStatus.BAD:
        raise psycopg.OperationalError("de verbinding met de database is verbroken")
    raise psycopg.errors.error_from_result(res, encoding=conn.info.encoding)


def _waarden(tabel: Table, rij: dict[str, Any]) -> tuple[Any, ...]:
    json_kolommen = _json_kolommen(tabel)
    return tuple(orjson.dumps(rij[k]).decode() if k in json_kolommen else rij[k] for k in _kolommen(tabel))


def _zet(klaar: asyncio.Future[Any], fout: BaseException | None, uitkomst: Any) -> None:
    if klaar.done():  # the request is gone (client disconnected); the row is stored all the same
        return
    if fout is None:
        klaar.set_result(uitkomst)
    else:
        klaar.set_exception(fout)


class SqlOpslag:
    """A SQLAlchemy Core INSERT in a worker thread (the embedded SQLite, or any other database)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def open(self) -> None:
        return None

    def _bewaar(self, rijen: Mapping[str, dict[str, Any]]) -> None:
        try:
            with self._engine.begin() as conn:
                for naam, tabel in TABELLEN.items():
                    if naam in rijen:
                        conn.execute(insert(tabel), rijen[naam])
        except sa_exc.IntegrityError as exc:  # rolled back whole; the key of another request (api/idempotentie.py)
            if "idempotentie" in rijen and idempotentie.is_botsing(exc):
                raise idempotentie.IdempotentieBezet() from exc
            raise

    async def bewaar(self, rijen: Mapping[str, dict[str, Any]]) -> None:
        await run_in_threadpool(self._bewaar, rijen)

    def _vorige(self, casus_id: str, key_id: str | None) -> tuple[str, Mapping[str, Any]] | None:
        query = select(_ADVIES.c.id, _ADVIES.c.advies).where(_ADVIES.c.casus_id == casus_id)
        if key_id is not None:
            query = query.where(_ADVIES.c.key_id == key_id)
        with self._engine.connect() as conn:
            rij = conn.execute(query.order_by(_ADVIES.c.aangemaakt.desc()).limit(1)).first()
        return (rij.id, rij.advies) if rij is not None else None

    async def vorige(self, casus_id: str, key_id: str | None) -> tuple[str, Mapping[str, Any]] | None:
        return await run_in_threadpool(self._vorige, casus_id, key_id)

    async def sluit(self) -> None:
        return None


def maak_opslag(url: str, engine: Engine) -> AdviesOpslag:
    if engine.dialect.name == "postgresql":
        return PostgresOpslag(url)
    return SqlOpslag(engine)
