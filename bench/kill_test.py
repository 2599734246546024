"""Durability under a crash: kill -9 the server mid-load; every advies acknowledged with 200 must survive, and a
client that retries an unanswered request with its `Idempotency-Key` gets exactly one advies.

`python -m bench.kill_test [--rondes 3] [--clients 8] [--workers 2] [--sqlite | --database-url URL]`:

1. starts PostgreSQL (`scripts/postgres.sh hg_advies_kill`, emptied first), or uses a temporary SQLite
   file (--sqlite), or a database you name (--database-url; its `public` schema is left alone: the
   test works in a schema of its own, `kill_<random>`, dropped afterwards);
2. starts `hg-advies serve --workers N` on 127.0.0.1 in its own process group;
3. runs concurrent clients (threads, one keep-alive httpx client each) that POST the casussen of
   `casussen/`, each request with a casus_id of its own (`KILL-r<ronde>c<client>n<n>`) and an
   `Idempotency-Key` of its own, and record every advies_id answered with 200;
4. after a random 1-3 s of load sends SIGKILL to the whole process group (the uvicorn parent and its
   workers at once: no shutdown, no flush) and restarts the server; a client whose request got no answer
   (connection cut or refused, 503) sends the SAME request with the SAME key again until it is answered,
   as a client should; then the next round (--rondes);
5. after the last restart reads every acknowledged advies back with GET /v1/advies/{id} (beheerder key)
   and checks it is the casus that was posted, and counts the advies rows per casus_id in the database:
   each request must have exactly one, the one it was answered with (0 duplicates).

Prints the counts (acknowledged, found, lost — which must be 0 —, requests cut off by the kill and retried,
of which answered with the stored first answer, duplicates — which must be 0 —, rows stored); exit code 1
when an acknowledged advies is lost or wrong, a request has a duplicate, or the run fails. The whole run is
bounded (--uiterlijk seconds) and stops its server and clients itself.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from bench.api_load import Server, alle_casussen, leeg_database, nieuwe_sleutels, postgres_url, tel_adviezen

__all__ = ["Uitslag", "kill_test", "eigen_schema", "main"]


@dataclass
class Uitslag:
    rondes: int = 0
    bevestigd: dict[str, str] = field(default_factory=dict)  # advies_id -> casus_id, every 200 received
    gevonden: int = 0
    verloren: list[str] = field(default_factory=list)  # acknowledged, but not found after the restart
    verkeerd: list[str] = field(default_factory=list)  # found, but not the casus that was posted
    verzoeken: int = 0  # client requests sent (each with its own casus_id and Idempotency-Key)
    onderbroken: int = 0  # requests that got no (complete) answer because of the kill, and were sent again
    herhaald_antwoord: int = 0  # of those, answered with the stored first answer (`Idempotent-Replayed`)
    opgegeven: int = 0  # requests still unanswered at the end of the run (--uiterlijk)
    fouten_voor_kill: Counter[str] = field(default_factory=Counter)  # anything but 200 while the server ran
    fouten_na_kill: Counter[str] = field(default_factory=Counter)  # an HTTP answer but 200 (or 503) to a retry
    rijen: int = 0  # advies rows stored: one per answered request
    dubbel: list[str] = field(default_factory=list)  # casus_ids (requests) with more than one advies row
    afwijkend: list[str] = field(default_factory=list)  # requests whose one row is not the advies answered
    duur_s: float = 0.0

    @property
    def in_orde(self) -> bool:
        return (bool(self.bevestigd) and not self.verloren and not self.verkeerd and not self.fouten_voor_kill
                and not self.fouten_na_kill and not self.dubbel and not self.afwijkend and not self.opgegeven)

    def tekst(self) -> str:
        regels = [
            f"rondes met kill -9: {self.rondes}, duur {self.duur_s:.1f} s",
            f"bevestigd (200): {len(self.bevestigd)}, teruggevonden na herstart: {self.gevonden}, "
            f"verloren: {len(self.verloren)}, met verkeerde inhoud: {len(self.verkeerd)}",
            f"verzoeken: {self.verzoeken}, zonder antwoord door de kill en opnieuw gestuurd met dezelfde "
            f"Idempotency-Key: {self.onderbroken}, waarvan beantwoord met het eerder opgeslagen antwoord: "
            f"{self.herhaald_antwoord}; nooit beantwoord: {self.opgegeven}",
            f"opgeslagen rijen: {self.rijen}, dubbel opgeslagen verzoeken: {len(self.dubbel)}, "
            f"verzoeken met een ander advies dan beantwoord: {len(self.afwijkend)}",
        ]
        if self.fouten_voor_kill:
            regels.append("fouten terwijl de server draaide: "
                          + ", ".join(f"{n}× {f}" for f, n in self.fouten_voor_kill.most_common()))
        if self.fouten_na_kill:
            regels.append("foute antwoorden op een herhaling: "
                          + ", ".join(f"{n}× {f}" for f, n in self.fouten_na_kill.most_common()))
        if self.dubbel:
            regels.append("dubbel opgeslagen casus_ids: " + ", ".join(self.dubbel[:20]))
        if self.verloren:
            regels.append("verloren advies_ids: " + ", ".join(self.verloren[:20]))
        regels.append("IN ORDE" if self.in_orde else "NIET IN ORDE")
        return "\n".join(regels)


class _Belasting:
    """Client threads that POST casussen until stopped, retry an unanswered request with its key until it is
    answered, and keep every acknowledged advies_id (and which request it answered)."""

    def __init__(self, url: str, sleutel: str, clients: int, uitslag: Uitslag, rng: random.Random, ronde: int,
                 einde: float) -> None:
        self.url = url
        self.sleutel = sleutel
        self.uitslag = uitslag
        self.ronde = ronde
        self.einde = einde  # monotonic: a request still unanswered then is given up (and counted)
        self.casussen = [orjson.loads(body) for _, body in alle_casussen()]
        self.stop = threading.Event()
        self.gekild = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(c, rng.randrange(len(self.casussen))),
                                         daemon=True) for c in range(clients)]

    def __enter__(self) -> _Belasting:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def bevestigd(self) -> int:
        with self.lock:
            return len(self.uitslag.bevestigd)

    def _client(self, nummer: int, start: int) -> None:
        headers = {"Authorization": f"Bearer {self.sleutel}", "Content-Type": "application/json"}
        i = start
        with httpx.Client(base_url=self.url, headers=headers, timeout=10) as client:
            while not self.stop.is_set():
                casus_id = f"KILL-r{self.ronde}c{nummer}n{i - start}"  # one casus_id per request
                body = orjson.dumps({**self.casussen[i % len(self.casussen)], "casus_id": casus_id})
                i += 1
                with self.lock:
                    self.uitslag.verzoeken += 1
                self._verstuur(client, casus_id, body, uuid.uuid4().hex)

    def _verstuur(self, client: httpx.Client, casus_id: str, body: bytes, sleutel: str) -> None:
        """Send one request until it is answered: the same body with the same key after every failure."""
        onderbroken = False
        while True:
            try:
                antwoord = client.post("/v1/advies", content=body, headers={"Idempotency-Key": sleutel})
                if antwoord.status_code == 503:  # the database not reachable (yet): nothing stored, retry
                    raise httpx.TransportError("503")
                gelezen = orjson.loads(antwoord.content) if antwoord.status_code == 200 else None
                break
            except (httpx.HTTPError, orjson.JSONDecodeError) as exc:
                with self.lock:
                    if not self.gekild.is_set():
                        self.uitslag.fouten_voor_kill[type(exc).__name__] += 1
                    elif not onderbroken:
                        self.uitslag.onderbroken += 1
                onderbroken = True
                if time.monotonic() > self.einde:
                    with self.lock:
                        self.uitslag.opgegeven += 1
                    return
                time.sleep(0.05)  # the server is down: wait for its restart, then send the same request again
        with self.lock:
            if gelezen is not None and gelezen.get("casus_id") == casus_id:
                self.uitslag.bevestigd[gelezen["advies_id"]] = casus_id
                if antwoord.headers.get("idempotent-replayed") == "true":
                    self.uitslag.herhaald_antwoord += 1
            elif onderbroken:
                self.uitslag.fouten_na_kill[f"HTTP {antwoord.status_code}"] += 1
            else:
                self.uitslag.fouten_voor_kill[f"HTTP {antwoord.status_code}"] += 1


def _controleer(server: Server, uitslag: Uitslag) -> None:
    headers = {"Authorization": f"Bearer {server.sleutels['beheerder']}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10,
                      limits=httpx.Limits(max_connections=8)) as client:

        def lees(item: tuple[str, str]) -> str:
            advies_id, casus_id = item
            antwoord = client.get(f"/v1/advies/{advies_id}")
            if antwoord.status_code == 404:
                return "verloren"
            antwoord.raise_for_status()
            gelezen = antwoord.json()
            return "ok" if gelezen.get("advies_id") == advies_id and gelezen.get("casus_id") == casus_id else "verkeerd"

        items = sorted(uitslag.bevestigd.items())
        with ThreadPoolExecutor(8) as pool:
            for (advies_id, _), oordeel in zip(items, pool.map(lees, items), strict=True):
                if oordeel == "ok":
                    uitslag.gevonden += 1
                elif oordeel == "verloren":
                    uitslag.verloren.append(advies_id)
                else:
                    uitslag.verkeerd.append(advies_id)


def _tel_per_verzoek(url: str, uitslag: Uitslag) -> None:
    """Every request has its own casus_id: more than one advies row for one is a duplicate, and an answered
    request's one row must be the advies it was answered with."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            per_casus: dict[str, list[str]] = {}
            for advies_id, casus_id in conn.execute(text("SELECT id, casus_id FROM advies")):
                per_casus.setdefault(casus_id, []).append(advies_id)
    finally:
        engine.dispose()
    uitslag.dubbel = sorted(casus_id for casus_id, ids in per_casus.items() if len(ids) > 1)
    uitslag.afwijkend = sorted(casus_id for advies_id, casus_id in uitslag.bevestigd.items()
                               if per_casus.get(casus_id) != [advies_id])


def kill_test(database_url: str, *, rondes: int = 3, clients: int = 8, workers: int = 2,
              belasting_s: tuple[float, float] = (1.0, 3.0), min_bevestigd: int = 20, uiterlijk: float = 180.0,
              seed: int | None = None, log: Path | None = None) -> Uitslag:
    """Run the crash test against an empty database and return the counts (see the module docstring)."""
    rng = random.Random(seed)
    uitslag = Uitslag()
    start = time.monotonic()
    einde = start + uiterlijk
    server = Server(database_url, nieuwe_sleutels(), workers=workers, log=log)
    try:
        server.start()
        for ronde in range(1, rondes + 1):
            with _Belasting(server.url, server.sleutels["indicatiesteller"], clients, uitslag, rng, ronde,
                            einde) as belasting:
                # Load for a random while (and until a few advies are acknowledged), then kill the group.
                kill_op = time.monotonic() + rng.uniform(*belasting_s)
                voor = belasting.bevestigd()
                while (time.monotonic() < kill_op or belasting.bevestigd() - voor < min_bevestigd) \
                        and time.monotonic() < einde:
                    time.sleep(0.02)
                belasting.gekild.set()
                server.kill9()
                uitslag.rondes += 1
                # Same port, same database: a restart after a crash. The clients retry their unanswered
                # requests meanwhile, and are answered once it is up; leaving the block waits for them.
                server.start()
            if time.monotonic() > einde:
                break
        _controleer(server, uitslag)
    finally:
        server.stop()
    uitslag.rijen = tel_adviezen(database_url)
    _tel_per_verzoek(database_url, uitslag)
    uitslag.duur_s = time.monotonic() - start
    return uitslag


@contextlib.contextmanager
def eigen_schema(url: str) -> Iterator[str]:
    """A fresh PostgreSQL schema in the given database, selected through search_path; dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    schema = f"kill_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        yield make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rondes", type=int, default=3, help="keren kill -9 en herstarten (standaard 3)")
    parser.add_argument("--clients", type=int, default=8, help="gelijktijdige clients (standaard 8)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (standaard 2)")
    parser.add_argument("--seed", type=int, help="startwaarde voor de kill-momenten")
    parser.add_argument("--uiterlijk", type=float, default=180, help="maximale duur in seconden (standaard 180)")
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--sqlite", action="store_true", help="een tijdelijk SQLite-bestand in plaats van PostgreSQL")
    db.add_argument("--database-url", help="een bestaande PostgreSQL-database (de test werkt in een eigen schema)")
    args = parser.parse_args(argv)
    if args.rondes < 1 or args.clients < 1 or args.workers < 1:
        parser.error("--rondes, --clients en --workers moeten positief zijn")
    opties = {"rondes": args.rondes, "clients": args.clients, "workers": args.workers, "seed": args.seed,
              "uiterlijk": args.uiterlijk}
    with tempfile.TemporaryDirectory(prefix="hg-kill-") as tmp:
        log = Path(tmp) / "serve.log"
        try:
            if args.sqlite:
                url = f"sqlite:///{Path(tmp) / 'hg-advies.sqlite'}"
                print(f"database: SQLite ({url})")
                uitslag = kill_test(url, log=log, **opties)
            elif args.database_url:
                with eigen_schema(args.database_url) as url:
                    print(f"database: {args.database_url.split('@')[-1]}, eigen schema")
                    uitslag = kill_test(url, log=log, **opties)
            else:
                url = postgres_url("hg_advies_kill")
                leeg_database(url)
                print(f"database: PostgreSQL {url.split('@')[-1]} (geleegd)")
                uitslag = kill_test(url, log=log, **opties)
        except Exception:
            if log.exists():
                print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
            raise
    print(uitslag.tekst())
    return 0 if uitslag.in_orde else 1


if __name__ == "__main__":
    sys.exit(main())
