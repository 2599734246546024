"""Failed key attempts per client address, limited for the API and the sign-in page, shared between the
worker processes of one service and between instances on one database.

A wrong key (a key that was looked up and not found; not a missing or malformed header) counts as a failed
attempt of the client's address (`request.client.host`: behind a proxy named in `HG_TRUSTED_PROXIES`, the
forwarded address uvicorn applied; nobody else can choose it). After `MAX_POGINGEN` failures within
`VENSTER`, every request of that address that carries a key (even a valid one) and every sign-in is refused
with 429 and `Retry-After` before its key is looked up, until the failures have left the window.

How the count is shared without a database round trip on the hot path:
- each process keeps a sliding window per address in memory: its own failures block at once;
- every failure is also stored as a row of `aanmeldpoging` (address and time), off the event loop, together
  with its audit line; a database that is down never fails the request (the failure is logged);
- a background thread of each process refreshes, once a second (`VERVERSEN`), the set of addresses whose
  stored failures within the window reach the maximum, across all processes, and deletes rows that left the
  window (at most once a minute, `OPRUIMEN`). A request only reads that set (a dict lookup).
So with N processes an address gets at most about MAX_POGINGEN + N × (what it sends in one refresh interval)
tries, and never more than N × MAX_POGINGEN, per window. A successful page sign-in forgets this process's
own count, not the stored rows, so the holder of one valid key cannot reset the shared count while guessing
another.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from starlette.concurrency import run_in_threadpool

from api.audit import schrijf_in
from api.models import AanmeldpogingRecord, nu, utc

__all__ = ["MAX_POGINGEN", "VENSTER", "VERVERSEN", "OPRUIMEN", "Pogingen", "van", "melding", "documenteer"]

log = logging.getLogger("hg_advies.pogingen")

MAX_POGINGEN = 10  # failed key attempts per address ...
VENSTER = 15 * 60.0  # ... within this many seconds (a sliding window)
VERVERSEN = 1.0  # seconds between two refreshes of the shared set of blocked addresses
OPRUIMEN = 60.0  # seconds between two deletions of rows that left the window
ADRESSEN = 10_000  # addresses kept in memory per process (the oldest is forgotten beyond)

TABEL = AanmeldpogingRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models


def melding(wacht: float) -> str:
    """The Dutch message for a blocked address, with the wait in whole minutes."""
    minuten = math.ceil(wacht / 60) if wacht > 0 else 1
    return (f"te veel mislukte pogingen met een sleutel vanaf dit adres; probeer het over {minuten} "
            f"{'minuut' if minuten == 1 else 'minuten'} opnieuw")


class Pogingen:
    """Failed key attempts per client address: a sliding window in this process, and (with a database) the
    addresses blocked by the failures of every process, refreshed in the background (thread-safe, bounded
    memory).

    `verversen=None` starts no background thread (tests call `ververs()` themselves)."""

    def __init__(self, db: Engine | None = None, *, maximum: int = MAX_POGINGEN, venster: float = VENSTER,
                 adressen: int = ADRESSEN, verversen: float | None = VERVERSEN, opruimen: float = OPRUIMEN) -> None:
        self.db, self.maximum, self.venster, self.adressen = db, maximum, venster, adressen
        self.verversen, self.opruimen = verversen, opruimen
        self._mislukt: dict[str, deque[float]] = {}  # address -> monotonic times of this process's failures
        self._gedeeld: Mapping[str, float] = {}  # address -> wall-clock time its shared block ends (replaced whole)
        self._slot = threading.Lock()
        self._generatie = 0  # bumped by vergeet(): a refresh that started before it is discarded
        self._opgeruimd = -math.inf
        self._storing = False  # the last refresh failed (logged once, not every second)
        self._stop = threading.Event()
        self._draad: threading.Thread | None = None

    # --- the decision (every request with a key: no database, no lock unless the address failed) ----------

    def geblokkeerd(self, adres: str) -> float:
        """Seconds until this address may try again (0: it may now)."""
        wacht = 0.0
        einde = self._gedeeld.get(adres)
        if einde is not None:
            wacht = einde - time.time()
        if adres in self._mislukt:
            nu_ = time.monotonic()
            with self._slot:
                tijden = self._actueel(adres, nu_)
                if len(tijden) >= self.maximum:
                    wacht = max(wacht, tijden[-self.maximum] + self.venster - nu_)
        return max(0.0, wacht)

    def _actueel(self, adres: str, nu_: float) -> deque[float]:
        tijden = self._mislukt.get(adres, deque())
        while tijden and tijden[0] <= nu_ - self.venster:
            tijden.popleft()
        return tijden

    # --- recording a failure -------------------------------------------------------------------------------

    def mislukt(self, adres: str) -> None:
        """Count a failure in this process (immediate; `registreer` also stores it for the other processes)."""
        nu_ = time.monotonic()
        with self._slot:
            if adres not in self._mislukt and len(self._mislukt) >= self.adressen:
                self._mislukt.pop(next(iter(self._mislukt)))  # forget the oldest address
            tijden = self._actueel(adres, nu_)
            tijden.append(nu_)
            self._mislukt[adres] = tijden

    async def registreer(self, adres: str, *regels: dict[str, Any]) -> None:
        """A failed attempt: counted here at once, then stored with its audit lines (`api.audit.regel`) off the
        event loop. Never raises: a database that is down costs the shared count this row, not the answer."""
        self.mislukt(adres)
        if self.db is not None:
            await run_in_threadpool(self._bewaar, adres, regels)

    def _bewaar(self, adres: str, regels: tuple[dict[str, Any], ...]) -> None:
        assert self.db is not None
        try:
            with self.db.begin() as conn:
                conn.execute(insert(TABEL), {"adres": adres[:64], "tijd": nu()})
                schrijf_in(conn, *regels)
        except Exception as error:  # noqa: BLE001  (never fail the refusal; the message could carry values)
            log.warning("mislukte sleutelpoging niet opgeslagen: %s", type(error).__name__)

    def gelukt(self, adres: str) -> None:
        """A successful page sign-in: forget this process's count of the address (the stored rows stay)."""
        with self._slot:
            self._mislukt.pop(adres, None)

    def vergeet(self) -> None:
        """Forget every count in memory, here and shared (tests, between two tests on emptied tables)."""
        with self._slot:
            self._mislukt.clear()
            self._gedeeld = {}
            self._generatie += 1

    # --- the shared set, refreshed in the background ----------------------------------------------------

    def ververs(self) -> None:
        """Read the addresses whose stored failures within the window reach the maximum (across processes),
        and, when due, delete the rows that left the window. Never raises (a failure is logged once)."""
        if self.db is None:
            return
        generatie = self._generatie
        try:
            grens = nu() - dt.timedelta(seconds=self.venster)
            rang = func.row_number().over(partition_by=TABEL.c.adres, order_by=TABEL.c.tijd.desc()).label("rang")
            recent = select(TABEL.c.adres, TABEL.c.tijd, rang).where(TABEL.c.tijd > grens).subquery()
            # The maximum-th newest failure of an address: the block ends when it leaves the window.
            vraag = select(recent.c.adres, recent.c.tijd).where(recent.c.rang == self.maximum)
            with self.db.connect() as conn:
                rijen = conn.execute(vraag).all()
            gedeeld = {adres: utc(tijd).timestamp() + self.venster for adres, tijd in rijen}
            if time.monotonic() >= self._opgeruimd + self.opruimen:
                self.ruim_op()
        except Exception as error:  # noqa: BLE001  (the refresher runs on; the message could carry values)
            if not self._storing:
                log.warning("gedeelde mislukte sleutelpogingen niet gelezen: %s", type(error).__name__)
            self._storing = True
            return
        if self._storing:
            log.info("gedeelde mislukte sleutelpogingen weer gelezen")
        self._storing = False
        with self._slot:
            if generatie == self._generatie:
                self._gedeeld = gedeeld

    def ruim_op(self) -> int:
        """Delete the stored failures that left the window; the number deleted."""
        assert self.db is not None
        self._opgeruimd = time.monotonic()
        grens = nu() - dt.timedelta(seconds=self.venster)
        with self.db.begin() as conn:
            return conn.execute(delete(TABEL).where(TABEL.c.tijd <= grens)).rowcount

    def start(self) -> None:
        """Start the background refresher (with a database and an interval; once)."""
        if self.db is None or self.verversen is None or self._draad is not None:
            return
        self._stop.clear()
        self._draad = threading.Thread(target=self._lus, name="hg-aanmeldpogingen", daemon=True)
        self._draad.start()

    def _lus(self) -> None:
        assert self.verversen is not None
        while True:
            self.ververs()
            if self._stop.wait(self.verversen):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._draad is not None:
            self._draad.join(timeout=10)
            self._draad = None


def van(app: Any) -> Pogingen:
    """The limiter of an application (`app.state.aanmeldpogingen`, made on start-up; without a start-up,
    one that counts in this process only)."""
    state = app.state
    pogingen = getattr(state, "aanmeldpogingen", None)
    if not isinstance(pogingen, Pogingen):
        pogingen = state.aanmeldpogingen = Pogingen()
    return pogingen


def documenteer(schema: dict[str, Any]) -> None:
    """Add the 429 answer to every `/v1/` operation of an OpenAPI document (each takes a key)."""
    antwoord = {"description": "Te veel mislukte pogingen met een sleutel vanaf dit adres",
                "headers": {"Retry-After": {"description": "seconden", "schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FoutAntwoord"}}}}
    if "FoutAntwoord" not in schema.get("components", {}).get("schemas", {}):
        return
    for pad, operaties in schema.get("paths", {}).items():
        if pad.startswith("/v1/"):
            for operatie in operaties.values():
                operatie.setdefault("responses", {}).setdefault("429", antwoord)
