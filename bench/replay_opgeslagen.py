"""Benchmark: a replay over N stored adviezen in PostgreSQL, through the service (issue 13, done-when: 100,000
in under 60 s on the 2-core development machine).

`make bench-replay-opgeslagen` (or `python -m bench.replay_opgeslagen --aantal 100000`):

1. starts PostgreSQL with `scripts/postgres.sh hg_advies_bench_replay` (root) or takes `--database-url`, and
   empties that database (its name must hold "bench"); starts `hg-advies serve` on it (migrations);
2. fills it in bulk (COPY, not through HTTP) with N stored adviezen of synthetic casussen (`cli.genereer`),
   each with its own casus id and a time in the year before, and a besluit for a share of them (`--besluiten`,
   default 30 %; one in five of those deviates on the pakket). The adviezen are computed by the real engine, but
   only `--verschillend` (default 500) distinct casussen are evaluated and reused with distinct casus ids: an
   evaluation costs ~1 ms, the filling is not what is measured. The replay does not know or use that reuse;
   every casus is evaluated under the scenario;
3. measures reading alone: every stored advies of the replay read once, in this process (`api.opgeslagen.lees`);
4. runs POST /v1/replay `{"bron": "opgeslagen"}` with the scenario below as the beleidsmaker and polls its status
   until it is done; checks the report (every casus replayed, no casus id in it);
5. prints in Dutch: the total time, the reading time, evaluations per second, the time the replay's processes
   spent reading and computing, the cores used by the service and PostgreSQL, and the machine's speed
   (`ijkmeting`, before and after) as bench/api_load.py does.
Exit code 1 when the check fails, and with --streng also when the target (60 s) is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import orjson

from bench.api_load import IJK_RUSTIG_MS, Server, cpu_snapshot, cpu_verdeling, ijkmeting, leeg_database, postgres_url

DOEL_SECONDEN = 60.0
DATABASE = "hg_advies_bench_replay"
SCENARIO = {"naam": "ruimere-vrije-trede", "beschrijving": "Vrije trede al vanaf 3 kinderen; midden/voldoende "
            "wordt pakket 2", "parameters": {"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2},
            "regels_uit": []}
_ADVIES_KOLOMMEN = ("id", "casus_id", "aangemaakt", "key_id", "rol", "ruleset_naam", "ruleset_versie",
                    "ruleset_hash", "route", "perceel", "pakket", "casus", "advies")
_BESLUIT_KOLOMMEN = ("id", "advies_id", "aangemaakt", "key_id", "rol", "route", "perceel", "pakket", "maatwerk",
                     "afwijkingen", "regels", "reden")


def _basis(verschillend: int, seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """`verschillend` synthetic casussen as stored (the parsed model) with their advies by the real engine."""
    from cli.genereer import synthetische_casussen
    from engine.casus import parse_casus
    from rules import standaard_engine

    engine = standaard_engine()
    paren = []
    for data in synthetische_casussen(verschillend, seed):
        casus = parse_casus(data)
        advies = engine.advies(casus)
        advies.update(vorig_advies_id=None, ten_opzichte_van_vorige=None)
        paren.append((casus.model_dump(mode="json"), advies))
    return paren


def vul(url: str, aantal: int, verschillend: int, aandeel_besluiten: float, seed: int) -> tuple[int, float]:
    """Insert `aantal` stored adviezen and besluiten with COPY; returns (besluiten, seconds)."""
    import psycopg
    from sqlalchemy.engine import make_url

    begin = time.perf_counter()
    rng = random.Random(seed)
    basis = _basis(verschillend, seed)
    u = make_url(url)
    conninfo = f"host={u.host} port={u.port or 5432} dbname={u.database} user={u.username} password={u.password}"
    eind = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    besluiten = 0
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY advies ({', '.join(_ADVIES_KOLOMMEN)}) FROM STDIN") as copy:
            advies_rijen: list[tuple[str, dict[str, Any], dt.datetime]] = []
            for i in range(aantal):
                casus, advies = basis[i % len(basis)]
                casus_id = f"BENCH-{i:07d}"
                advies_id = uuid.uuid4().hex
                moment = eind - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
                ruleset = advies["ruleset"]
                copy.write_row((advies_id, casus_id, moment, "benchkey", "indicatiesteller", ruleset["naam"],
                                ruleset["versie"], ruleset["hash"], advies["route"], advies["perceel"],
                                advies["pakket"], orjson.dumps({**casus, "casus_id": casus_id}).decode(),
                                orjson.dumps({**advies, "casus_id": casus_id}).decode()))
                if rng.random() < aandeel_besluiten:
                    advies_rijen.append((advies_id, advies, moment))
        with cur.copy(f"COPY besluit ({', '.join(_BESLUIT_KOLOMMEN)}) FROM STDIN") as copy:
            for advies_id, advies, moment in advies_rijen:
                afwijkend = rng.random() < 0.2 and advies["pakket"] is not None
                pakket = (advies["pakket"] % 3) + 1 if afwijkend else advies["pakket"]
                regels = sorted({s["regel"] for s in advies.get("uitleg") or ()})
                copy.write_row((uuid.uuid4().hex, advies_id, moment + dt.timedelta(days=1), "benchkey",
                                "indicatiesteller", advies["route"], advies["perceel"], pakket,
                                orjson.dumps([m["resultaatgebied"] for m in advies["maatwerk"]]).decode(),
                                orjson.dumps(["pakket"] if afwijkend else []).decode(), orjson.dumps(regels).decode(),
                                "Zwaarder of lichter pakket past beter bij dit gezin." if afwijkend else None))
                besluiten += 1
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE advies")
        conn.execute("VACUUM ANALYZE besluit")
    return besluiten, time.perf_counter() - begin


def alleen_lezen(url: str) -> tuple[int, float]:
    """Every stored advies of the replay read once, in this process: (number, seconds)."""
    from api.db import make_engine
    from api.opgeslagen import Periode, delen, lees

    db = make_engine(url)
    try:
        begin = time.perf_counter()
        aantal = sum(len(batch) for deel in delen(Periode(), 1) for batch in lees(db, deel))
        return aantal, time.perf_counter() - begin
    finally:
        db.dispose()


def _vraag(methode: str, url: str, sleutel: str, body: Any = None) -> Any:
    data = None if body is None else orjson.dumps(body)
    verzoek = urllib.request.Request(url, data=data, method=methode, headers={
        "Authorization": f"Bearer {sleutel}", "Content-Type": "application/json"})
    with urllib.request.urlopen(verzoek, timeout=60) as antwoord:
        return orjson.loads(antwoord.read())


def replay(server: Server, sleutel: str) -> tuple[dict[str, Any], float, dict[str, float]]:
    """POST /v1/replay over the stored adviezen, poll until done: (report, seconds, cores per part)."""
    cpu_voor = cpu_snapshot()
    begin = time.perf_counter()
    job = _vraag("POST", f"{server.url}/v1/replay", sleutel, {"scenario": SCENARIO, "bron": "opgeslagen"})
    while True:
        status = _vraag("GET", f"{server.url}{job['status_url']}", sleutel)
        if status["status"] in ("klaar", "mislukt"):
            break
        time.sleep(0.25)
    seconden = time.perf_counter() - begin
    cpu = cpu_verdeling(cpu_voor, cpu_snapshot(), server.pgid, 0.0)
    if status["status"] != "klaar":
        raise SystemExit(f"de replay is mislukt: {status['fout']}")
    return _vraag("GET", f"{server.url}{job['rapport_url']}", sleutel), seconden, cpu


def _getal(waarde: float, decimalen: int = 1) -> str:
    tekst = f"{waarde:,.{decimalen}f}"
    return tekst.replace(",", " ").replace(".", ",").replace(" ", ".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aantal", type=int, default=100_000, help="opgeslagen adviezen (standaard 100.000)")
    parser.add_argument("--verschillend", type=int, default=500, help="verschillende casussen die echt worden "
                        "beoordeeld bij het vullen (standaard 500)")
    parser.add_argument("--besluiten", type=float, default=0.3, help="aandeel adviezen met een besluit (0,3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="serverprocessen (standaard 2)")
    parser.add_argument("--database-url", help="een bestaande, lege database (naam met 'bench'); zonder: "
                        "scripts/postgres.sh")
    parser.add_argument("--streng", action="store_true", help="exitcode 1 als het doel (60 s) niet wordt gehaald")
    args = parser.parse_args(argv)

    url = args.database_url or postgres_url(DATABASE)
    leeg_database(url)
    sleutels = {"beleidsmaker": f"beleid-{secrets.token_urlsafe(18)}",
                "beheerder": f"beheer-{secrets.token_urlsafe(18)}"}
    log = Path(tempfile.gettempdir()) / f"hg-bench-replay-opgeslagen-{uuid.uuid4().hex[:8]}.log"
    server = Server(url, sleutels, workers=args.workers, log=log)
    server.start()
    try:
        besluiten, vul_s = vul(url, args.aantal, args.verschillend, args.besluiten, args.seed)
        print(f"Gevuld: {_getal(args.aantal, 0)} opgeslagen adviezen ({args.verschillend} verschillende casussen, "
              f"elk advies met een eigen casus-id) en {_getal(besluiten, 0)} besluiten in {_getal(vul_s)} s.")
        ijk_voor = ijkmeting()
        gelezen, lees_s = alleen_lezen(url)
        rapport, seconden, cpu = replay(server, sleutels["beleidsmaker"])
        ijk_na = ijkmeting()
    finally:
        server.stop()
    uitvoering = rapport.get("uitvoering") or {}
    tekst = orjson.dumps(rapport).decode()
    goed = (rapport.get("totaal") == args.aantal and gelezen == args.aantal and "casussen" not in rapport
            and "BENCH-" not in tekst)
    totaal = int(rapport.get("totaal") or 0)
    b = rapport.get("besluiten") or {}
    print(f"Replay over {_getal(rapport.get('totaal') or 0, 0)} opgeslagen adviezen (scenario {SCENARIO['naam']}, "
          f"{uitvoering.get('processen')} processen, {uitvoering.get('delen')} delen): {_getal(seconden)} s van "
          f"verzoek tot rapport (doel: minder dan {_getal(DOEL_SECONDEN, 0)} s).")
    print(f"  gewijzigd: {rapport.get('gewijzigd')}; besluiten vergeleken {b.get('vergeleken')}, overeenkomend voor "
          f"{b.get('overeenkomend_voor')}, na {b.get('overeenkomend_na')}")
    if uitvoering.get("beoordelingen"):
        beoordelingen = int(uitvoering["beoordelingen"])
        print(f"  beoordelingen: {_getal(beoordelingen, 0)} ({_getal(beoordelingen / seconden, 0)} per seconde; het "
              f"opgeslagen advies is de uitkomst vóór waar het met de huidige regels is gemaakt)")
    print(f"  casussen per seconde: {_getal(totaal / seconden, 0)}; het opgeslagen advies als uitkomst vóór: "
          f"{uitvoering.get('opgeslagen_advies_als_voor')}")
    if uitvoering.get("wachtrij"):
        print(f"  via de wachtrij (uitgevoerd door {len(uitvoering.get('uitgevoerd_door') or [])} werkers): "
              f"{_getal(float(uitvoering.get('wachttijd_seconden', 0)), 2)} s van verzoek tot het eerste deel, "
              f"samenvoegen {_getal(float(uitvoering.get('samenvoegen_seconden', 0)), 2)} s")
    print(f"  alleen lezen, één proces: {_getal(gelezen, 0)} adviezen in {_getal(lees_s)} s "
          f"({_getal(gelezen / lees_s, 0)} per seconde)")
    print(f"  in de replay, opgeteld over de processen: lezen {_getal(float(uitvoering.get('lezen_seconden', 0)))} s, "
          f"rekenen {_getal(float(uitvoering.get('rekenen_seconden', 0)))} s; taak zelf "
          f"{_getal(float(uitvoering.get('duur_seconden', 0)))} s")
    print(f"  kernen in gebruik (gemiddeld): dienst en replay {_getal(cpu['server'], 2)}, PostgreSQL "
          f"{_getal(cpu['postgresql'], 2)}, overig {_getal(cpu['overig'], 2)}")
    cpu_s = (cpu["server"] + cpu["postgresql"]) * seconden  # CPU seconds of the service, its replay and PostgreSQL
    print(f"  rekentijd van dienst, replay en PostgreSQL samen: {_getal(cpu_s)} s CPU "
          f"({_getal(1000 * cpu_s / max(totaal, 1), 2)} ms per casus); met twee vrije kernen zou dat ongeveer "
          f"{_getal(cpu_s / 2)} s duren (de machine werd ook door anderen gebruikt: overig {_getal(cpu['overig'], 2)} "
          f"kernen)")
    print(f"  rekensnelheid van de machine (ijkopdracht, lager is sneller): {_getal(ijk_voor, 0)} ms vóór, "
          f"{_getal(ijk_na, 0)} ms na de meting (op een rustige machine ~{IJK_RUSTIG_MS} ms)")
    if not goed:
        print("FOUT: niet elke casus is opnieuw beoordeeld, of het rapport noemt casussen", file=sys.stderr)
        return 1
    if args.streng and seconden >= DOEL_SECONDEN:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
