"""Storing a new advies row: the one write on the hot path (POST /v1/advies), kept lean.

PostgreSQL: libpq connections driven by the event loop itself (api/pg_lus.py: non-blocking pipeline mode, the
loop watching each socket), opened at start-up: two writers per server process and a reader. A request encodes
its row's parameters (psycopg's Transformer), queues the row and awaits a future that is resolved once the row
is committed (its WAL flushed, as synchronous_commit requires), so every 200 is durable. An idle writer takes
the row at once, in the request's own step; rows that queue up while both writers wait for a commit go in
together, in one transaction (group commit: one round trip and one WAL flush for the lot, at most `groep`).
Every statement is prepared when a connection opens: on a writer one insert per combination of tables (data-
modifying CTEs, so a row and its audit line are one atomic statement), on the reader the lookup below.

Until 2026-12-02 writer and reader threads with synchronous connections did this; the hop to the thread and
back (waking it, and the thread getting the GIL from the busy event loop) took most of a request's time under
load: p50 0.7-1.1 ms and p99 15-18 ms to reach the thread, while the database answered in 0.5 ms. On the loop,
`make bench-api` went from p99 84-124 ms to 37 ms, and the server's CPU from 1.0 to 0.8 cores at 500/s
(docs/decisions.md, "The hot path").

Failures: a group that fails (one bad row) is rolled back whole and its rows are written again one by one, so
one bad row fails only its own request. A writer whose connection breaks (server restart) is replaced and the
rows it had in flight are written again, each alone: committed or not was unknown, and a row whose id is then
already present was committed by the lost attempt (ids are random), so it counts as stored. A row that
collides with a stored idempotency key (`api/idempotentie.py`) fails its request with `IdempotentieBezet`, its
whole statement rolled back: the request then answers with the stored answer. A row whose connection breaks a
second time, or that waits while no connection can be opened, fails with psycopg's OperationalError (503,
api/storingen.py); nothing of it is stored.

Any other database (the embedded SQLite) gets a SQLAlchemy Core INSERT in a worker thread. Both write
exactly the columns of `AdviesRecord`'s table, so the ORM model stays the one description of the row.

The one read on the hot path is here too: `vorige`, the newest stored advies of a casus (herindicatie,
api/herindicatie.py), looked up on every POST while the engine evaluates, on the reader connection (pipelined:
lookups do not wait for each other's answers, nor for a writer's commit), the advies as text decoded by orjson
only when needed (api/opgeslagen.py). A broken reader connection is replaced once per lookup. Through
SQLAlchemy's pool in a worker thread the lookup cost more CPU than the evaluation itself (bench-api: 217/s
against 480-500/s without it, 2026-12-01). SQLite reads it with SQLAlchemy Core in a worker thread.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
import psycopg
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer
from sqlalchemy import JSON, Engine, Integer, Table, insert, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from api import idempotentie
from api.models import AdviesRecord, AuditRecord, IdempotentieRecord
from api.opgeslagen import OpgeslagenAdvies
from api.pg_lus import LusVerbinding

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
# The herindicatie lookup, with and without the key filter (two statements, so each has its own plan).
_VORIGE = (f"SELECT id, advies::text FROM {_ADVIES.name} WHERE casus_id = $1{{}} "
           "ORDER BY aangemaakt DESC LIMIT 1")
_VORIGE_VAN_SLEUTEL, _VORIGE_VAN_ALLEN = b"hg_vorige_van_sleutel", b"hg_vorige_van_allen"
_APPLICATIE = "hg-advies-opslag"  # application_name of the opslag's connections (pg_stat_activity)
_TEKST, _BINAIR = PyFormat.TEXT, PyFormat.BINARY


def _sql(tabellen: tuple[str, ...]) -> str:
    """One statement that inserts a row into each table: data-modifying CTEs, so it is atomic and takes one
    round trip (`WITH r0 AS (INSERT ...) INSERT ...`), with libpq's numbered parameters."""
    delen, nummer = [], 0
    for naam in tabellen:
        tabel = TABELLEN[naam]
        kolommen, json_kolommen = _kolommen(tabel), _json_kolommen(tabel)
        waarden = []
        for k in kolommen:
            nummer += 1
            waarden.append(f"${nummer}::json" if k in json_kolommen else f"${nummer}")
        delen.append(f"INSERT INTO {tabel.name} ({', '.join(kolommen)}) VALUES ({', '.join(waarden)})")
    ctes = ", ".join(f"r{i} AS ({deel})" for i, deel in enumerate(delen[:-1]))
    return f"WITH {ctes} {delen[-1]}" if ctes else delen[-1]


def _insert_naam(tabellen: tuple[str, ...]) -> bytes:
    return ("hg_insert_" + "_".join(tabellen)).encode()


# The statements, prepared by name when a connection opens: on a writer the inserts of every combination of
# tables (in TABELLEN's order), on the reader the two lookups.
_COMBINATIES = [c for n in range(1, len(TABELLEN) + 1) for c in itertools.combinations(TABELLEN, n)]
_INSERTS: dict[bytes, bytes] = {_insert_naam(c): _sql(c).encode() for c in _COMBINATIES}
_LOOKUPS: dict[bytes, bytes] = {_VORIGE_VAN_SLEUTEL: _VORIGE.format(" AND key_id = $2").encode(),
                                _VORIGE_VAN_ALLEN: _VORIGE.format("").encode()}
_LEZER = -1  # the reader's slot; the writers' are 0, 1, ...


@dataclass(slots=True)
class _Rij:
    """One write (a row per table, one statement) waiting for its commit."""

    naam: bytes  # the prepared insert
    waarden: Sequence[Any]  # its parameters, encoded
    formaten: Sequence[pq.Format]
    klaar: asyncio.Future[None]
    alleen: bool = False  # in a transaction of its own: its group failed, or its connection broke
    herhaling: bool = False  # written again after its connection broke: an id already present was committed


class PostgresOpslag:
    """libpq connections on the event loop (api/pg_lus.py): writers with group commit and a reader."""

    def __init__(self, url: str, schrijvers: int = 2, groep: int = 32) -> None:
        self._conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._groep = groep  # at most this many rows per transaction
        self._schrijvers: list[LusVerbinding | None] = [None] * schrijvers
        self._lezer: LusVerbinding | None = None
        self._herstellingen: dict[int, asyncio.Future[LusVerbinding]] = {}  # slot (_LEZER: the reader) -> reconnection
        self._wachtrij: deque[_Rij] = deque()  # rows not yet sent, oldest first
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tx = Transformer()  # psycopg's own encoding of the parameters: text in UTF-8, bytes as binary
        self._gesloten = False

    async def open(self) -> None:
        self._loop = asyncio.get_running_loop()
        for i in range(len(self._schrijvers)):  # here, so a database that cannot be reached stops the start-up
            self._schrijvers[i] = await self._open_verbinding(i)
        self._lezer = await self._open_verbinding(_LEZER)

    async def bewaar(self, rijen: Mapping[str, dict[str, Any]]) -> None:
        await self._schrijf(self._rij(rijen))

    def _rij(self, rijen: Mapping[str, dict[str, Any]]) -> _Rij:
        assert self._loop is not None, "open() first"
        tabellen = tuple(naam for naam in TABELLEN if naam in rijen)
        assert len(tabellen) == len(rijen), f"unknown table in {list(rijen)}"
        waarden = [w for naam in tabellen for w in _waarden(TABELLEN[naam], rijen[naam])]
        parameters = self._tx.dump_sequence(waarden, [_BINAIR if isinstance(w, bytes) else _TEKST for w in waarden])
        formaten = self._tx.formats  # set by dump_sequence (a new list each time)
        assert formaten is not None
        return _Rij(_insert_naam(tabellen), parameters, formaten, self._loop.create_future())

    def _schrijf(self, rij: _Rij) -> asyncio.Future[None]:
        """Queue a row and send what an idle writer can take now; the future is done once it is committed."""
        if self._gesloten:
            raise psycopg.OperationalError("de opslag is gesloten")
        self._wachtrij.append(rij)
        self._verdeel()
        return rij.klaar

    async def vorige(self, casus_id: str, key_id: str | None) -> tuple[str, Mapping[str, Any]] | None:
        assert self._loop is not None, "open() first"
        naam, waarden = ((_VORIGE_VAN_ALLEN, (casus_id.encode(),)) if key_id is None
                         else (_VORIGE_VAN_SLEUTEL, (casus_id.encode(), key_id.encode())))
        for poging in range(2):  # a broken connection (server restart) is replaced once
            lezer = self._lezer
            if lezer is None or lezer.kapot:
                lezer = await asyncio.shield(self._herstel(_LEZER))
            try:
                (res,) = await lezer.stuur([(naam, waarden, None)])
            except psycopg.OperationalError:
                if poging:
                    raise
                continue
            if res.status != pq.ExecStatus.TUPLES_OK:
                raise lezer.fout(res)
            if not res.ntuples:
                return None
            advies_id, advies = res.get_value(0, 0), res.get_value(0, 1)  # both NOT NULL
            assert advies_id is not None and advies is not None
            return advies_id.decode(), OpgeslagenAdvies(advies)
        raise AssertionError("unreachable")

    async def sluit(self) -> None:
        self._gesloten = True
        for _ in range(1000):  # the rows of requests still being answered (normally none: uvicorn waited)
            if not self._wachtrij or not self._herstellingen and not self._gezond():
                break
            await asyncio.sleep(0.01)
        for taak in list(self._herstellingen.values()):
            taak.cancel()
        for verbinding in (*self._schrijvers, self._lezer):
            if verbinding is not None:
                await verbinding.sluit()
        fout = psycopg.OperationalError("de opslag is gesloten")
        while self._wachtrij:
            _zet(self._wachtrij.popleft().klaar, fout)

    # --- the writes: group commit over the writer connections ---

    def _gezond(self) -> list[LusVerbinding]:
        return [v for v in self._schrijvers if v is not None and not v.kapot]

    def _verdeel(self) -> None:
        """Send what waits to every idle writer: a group of the oldest rows in one transaction (one commit, one
        WAL flush), or one row alone when it must be."""
        for i, verbinding in enumerate(self._schrijvers):
            if not self._wachtrij:
                return
            if verbinding is None or verbinding.kapot:
                if not self._gesloten:
                    self._herstel(i)
                continue
            if verbinding.bezig:
                continue
            groep = [self._wachtrij.popleft()]
            while (not groep[0].alleen and self._wachtrij and len(groep) < self._groep
                   and not self._wachtrij[0].alleen):
                groep.append(self._wachtrij.popleft())
            klaar = verbinding.stuur([(r.naam, r.waarden, r.formaten) for r in groep])
            klaar.add_done_callback(functools.partial(self._geschreven, verbinding, groep))

    def _geschreven(self, verbinding: LusVerbinding, groep: list[_Rij],
                    klaar: asyncio.Future[list[pq.abc.PGresult]]) -> None:
        fout = klaar.exception()
        if fout is not None:  # the connection broke: committed or not is unknown, so each row is written again
            for rij in reversed(groep):
                if rij.herhaling:  # broke twice: the database is gone (503)
                    _zet(rij.klaar, fout)
                else:
                    rij.alleen = rij.herhaling = True
                    self._wachtrij.appendleft(rij)
        else:
            resultaten = klaar.result()
            mislukt = next((r for r in resultaten if r.status != pq.ExecStatus.COMMAND_OK), None)
            if mislukt is None:
                for rij in groep:
                    _zet(rij.klaar, None)
            elif len(groep) == 1:
                _zet(groep[0].klaar, _fout_van(groep[0], verbinding.fout(mislukt)))
            else:  # a group fails whole: its rows one by one, so one bad row fails only its own request
                for rij in reversed(groep):
                    rij.alleen = True
                    self._wachtrij.appendleft(rij)
        self._verdeel()

    def _herstel(self, slot: int) -> asyncio.Future[LusVerbinding]:
        """The new connection of a slot (`_LEZER`: the reader), opened when none is being opened: one attempt at a time
        per slot, started by whoever needs it (a request), so a database that is down costs no busy loop."""
        taak = self._herstellingen.get(slot)
        if taak is None:
            taak = self._herstellingen[slot] = asyncio.ensure_future(self._open_verbinding(slot))
            taak.add_done_callback(functools.partial(self._hersteld, slot))
        return taak

    def _hersteld(self, slot: int, taak: asyncio.Future[LusVerbinding]) -> None:
        self._herstellingen.pop(slot, None)
        if taak.cancelled():
            return
        fout = taak.exception()
        if fout is None:
            if slot == _LEZER:
                self._lezer = taak.result()
            else:
                self._schrijvers[slot] = taak.result()
                self._verdeel()
        elif slot != _LEZER and not self._gezond():  # nothing can write the rows that wait: they fail (503)
            while self._wachtrij:
                _zet(self._wachtrij.popleft().klaar, fout)

    async def _open_verbinding(self, slot: int) -> LusVerbinding:
        return await LusVerbinding.open(self._verbind, _LOOKUPS if slot == _LEZER else _INSERTS)

    def _verbind(self) -> psycopg.Connection[Any]:
        """A new connection (blocking: called in a worker thread)."""
        # UTF-8 on the wire whatever the server's default: the parameters are encoded so, the advies is read so
        return psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10, application_name=_APPLICATIE,
                               client_encoding="UTF8")


def _fout_van(rij: _Rij, fout: psycopg.Error) -> BaseException | None:
    """What a row that failed alone gets: None (stored) when it was written again after a broken connection and
    its id was present (the lost attempt had committed; ids are random), `IdempotentieBezet` on the idempotency
    key (another request with the same key committed first, or this one's lost attempt: the request answers with
    the stored answer, api/idempotentie.py), else the error itself."""
    if isinstance(fout, psycopg.errors.UniqueViolation):
        if idempotentie.is_botsing(fout):
            return idempotentie.IdempotentieBezet()
        if rij.herhaling:
            return None
    return fout


def _waarden(tabel: Table, rij: dict[str, Any]) -> tuple[Any, ...]:
    json_kolommen = _json_kolommen(tabel)
    return tuple(orjson.dumps(rij[k]).decode() if k in json_kolommen else rij[k] for k in _kolommen(tabel))


def _zet(klaar: asyncio.Future[Any], fout: BaseException | None) -> None:
    if klaar.done():  # the request is gone (client disconnected); the row is stored all the same
        return
    if fout is None:
        klaar.set_result(None)
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
