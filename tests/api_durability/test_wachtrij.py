"""Replays over the stored adviezen on the PostgreSQL job queue (api/wachtrij.py), with real processes: two
`hg-advies serve` processes without queue workers of their own (HG_WACHTRIJ_WERKERS=0) and one `hg-advies worker`
on one database. PostgreSQL only: skipped without HG_TEST_POSTGRES_URL (CI sets it, .ci/run)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from api.models import ReplayJobRecord
from api.opgeslagen import AMSTERDAM
from api.replay_jobs import voer_uit_opgeslagen
from bench.api_load import Server
from bench.kill_test import eigen_schema
from tests.api.helpers import CASUSSEN, besluit_zoals, load_casus

pytestmark = pytest.mark.durability
POSTGRES_ENV = "HG_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parents[2]
SLEUTELS = {"indicatiesteller": "indica-wachtrij-0123456789abcdef", "beleidsmaker": "beleid-wachtrij-0123456789abcdef",
            "beheerder": "beheer-wachtrij-0123456789abcdef"}
SCENARIO = {"naam": "alles-pakket-3", "beschrijving": "Elk pakket in de matrix wordt 3",
            "parameters": {f"pakket_matrix.{r}.{v}": 3 for r in ("laag", "midden", "hoog")
                           for v in ("onvoldoende", "voldoende")}}
DAG = dt.date(2026, 3, 2)  # the adviezen of the first test
FOUT_DAG = dt.date(2025, 5, 1)  # the adviezen whose replay fails
GROOT_DAG = dt.date(2024, 9, 1)  # the larger set of the stop-and-restart test


def _kop(rol: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {SLEUTELS[rol]}"}


class Werker:
    """`hg-advies worker --processen 1` in its own session."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        exe = shutil.which("hg-advies", path=str(Path(sys.executable).parent)) or "hg-advies"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([exe, "worker", "--processen", "1"], cwd=ROOT, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True,
                                         env={**os.environ, "HG_DATABASE_URL": self.database_url})

    def kinderen(self) -> set[int]:
        """The worker's processes (the parent's children)."""
        assert self.proc is not None
        pad = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(p) for p in pad.read_text().split()} if pad.exists() else set()

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM to the parent only (as a service manager does); its exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)


@dataclass
class Omgeving:
    url: str
    a: Server
    b: Server
    werker: Werker
    db: Engine


@pytest.fixture(scope="module")
def omgeving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Omgeving]:
    basis = os.environ.get(POSTGRES_ENV)
    if not basis:
        pytest.skip(f"PostgreSQL only: {POSTGRES_ENV} is not set "
                    f"(e.g. {POSTGRES_ENV}=$(scripts/postgres.sh hg_advies_test))")
    tmp = tmp_path_factory.mktemp("wachtrij")
    vorige = os.environ.get("HG_WACHTRIJ_WERKERS")
    os.environ["HG_WACHTRIJ_WERKERS"] = "0"  # the services defer only: the worker below does the work
    with eigen_schema(basis) as url:
        a = Server(url, SLEUTELS, workers=1, log=tmp / "a.log")
        b = Server(url, SLEUTELS, workers=1, log=tmp / "b.log")
        werker = Werker(url, tmp / "werker.log")
        db = create_engine(url, poolclass=NullPool)
        try:
            a.start()
            b.start()
            werker.start()
            yield Omgeving(url, a, b, werker, db)
        finally:
            werker.stop()
            a.stop()
            b.stop()
            db.dispose()
            if vorige is None:
                os.environ.pop("HG_WACHTRIJ_WERKERS", None)
            else:
                os.environ["HG_WACHTRIJ_WERKERS"] = vorige


def _sla_op(omgeving: Omgeving, dag: dt.date, aantal: int = 12) -> list[str]:
    """Store `aantal` adviezen through service A, dated on `dag`, a besluit on every other (one deviating)."""
    ids: list[str] = []
    with httpx.Client(base_url=omgeving.a.url, timeout=30) as client:
        for i, pad in enumerate(CASUSSEN[:aantal]):
            casus = {**load_casus(pad), "casus_id": f"WR-{dag.toordinal()}-{i}"}
            antwoord = client.post("/v1/advies", json=casus, headers=_kop("indicatiesteller"))
            assert antwoord.status_code == 200, antwoord.text
            advies = antwoord.json()
            ids.append(advies["advies_id"])
            if i % 2 == 0:
                wijziging: dict[str, Any] = {}
                if i == 2 and advies.get("pakket"):
                    wijziging = {"pakket": advies["pakket"] % 3 + 1, "reden": "Een ander pakket past beter."}
                besluit = client.post(f"/v1/advies/{advies['advies_id']}/besluit",
                                      json=besluit_zoals(advies, **wijziging), headers=_kop("indicatiesteller"))
                assert besluit.status_code == 201, besluit.text
    moment = dt.datetime.combine(dag, dt.time(12), AMSTERDAM).astimezone(dt.UTC)
    with omgeving.db.begin() as conn:
        conn.execute(text("UPDATE advies SET aangemaakt = :m WHERE id = ANY(:ids)"), {"m": moment, "ids": ids})
    return ids


def _periode(dag: dt.date) -> dict[str, str]:
    return {"van": dag.isoformat(), "tot": dag.isoformat()}


def _post(server: Server, dag: dt.date) -> dict[str, Any]:
    antwoord = httpx.post(f"{server.url}/v1/replay", json={"scenario": SCENARIO, "bron": "opgeslagen",
                                                           "periode": _periode(dag)},
                          headers=_kop("beleidsmaker"), timeout=30)
    assert antwoord.status_code == 202, antwoord.text
    job: dict[str, Any] = antwoord.json()
    return job


def _wacht(server: Server, job: dict[str, Any], timeout: float = 120) -> dict[str, Any]:
    einde = time.monotonic() + timeout
    while time.monotonic() < einde:
        status: dict[str, Any] = httpx.get(f"{server.url}{job['status_url']}", headers=_kop("beleidsmaker"),
                                           timeout=30).json()
        if status["status"] in ("klaar", "mislukt"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"de replay is niet binnen {timeout:.0f} s klaar: {status}")


def _zonder_uitvoering(rapport: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rapport.items() if k != "uitvoering"}


def test_a_replay_posted_on_one_service_is_run_by_the_worker_and_read_on_the_other(omgeving: Omgeving) -> None:
    _sla_op(omgeving, DAG)
    job = _post(omgeving.a, DAG)
    status = _wacht(omgeving.b, job)  # polled on the other service
    assert status["status"] == "klaar", status
    assert status["gedaan"] == status["totaal"] == 12
    antwoord = httpx.get(f"{omgeving.b.url}{job['rapport_url']}", headers=_kop("beleidsmaker"), timeout=30)
    assert antwoord.status_code == 200, antwoord.text
    rapport = antwoord.json()
    uitvoering = rapport["uitvoering"]
    # the parts ran in the worker's processes, not in either service (they run no queue worker)
    pids = {int(door.rsplit(":", 1)[1]) for door in uitvoering["uitgevoerd_door"]}
    assert pids and pids <= omgeving.werker.kinderen(), (uitvoering, omgeving.werker.kinderen())
    assert uitvoering["wachtrij"] is True and uitvoering["delen"] >= 2
    assert 0 <= uitvoering["wachttijd_seconden"] <= uitvoering["duur_seconden"]
    with omgeving.db.connect() as conn:  # the parts' counts are gone once the report is written
        assert conn.execute(text("SELECT count(*) FROM replay_deel WHERE job_id = :j"),
                            {"j": job["job_id"]}).scalar() == 0

    # the same report as the local runner (the service's own replay process on SQLite) gives for these data
    lokaal = ReplayJobRecord(key_id="lokaal", scenario=SCENARIO["naam"], status="wachtend", totaal=12)
    with omgeving.db.begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert().values(  # type: ignore[attr-defined]
            id=lokaal.id, aangemaakt=lokaal.aangemaakt, bijgewerkt=lokaal.bijgewerkt, key_id=lokaal.key_id,
            scenario=lokaal.scenario, status=lokaal.status, totaal=lokaal.totaal, gedaan=0))
    voer_uit_opgeslagen(omgeving.url, lokaal.id, SCENARIO, _periode(DAG), 5, processen=1)
    with omgeving.db.connect() as conn:
        verwacht = conn.execute(text("SELECT rapport FROM replay_job WHERE id = :j"), {"j": lokaal.id}).scalar_one()
    assert verwacht is not None and verwacht.get("besluiten", {}).get("vergeleken") is not None
    assert _zonder_uitvoering(rapport) == _zonder_uitvoering(verwacht)


def test_a_part_that_fails_fails_the_job_visibly(omgeving: Omgeving) -> None:
    ids = _sla_op(omgeving, FOUT_DAG)
    with omgeving.db.begin() as conn:  # one stored advies is damaged: its part cannot be replayed
        conn.execute(text("UPDATE advies SET advies = '\"kapot\"' WHERE id = :i"), {"i": ids[3]})
    job = _post(omgeving.b, FOUT_DAG)
    status = _wacht(omgeving.a, job)
    assert status["status"] == "mislukt", status
    assert re.fullmatch(r"de berekening is mislukt in deel \d+ van \d+; de oorzaak staat in het logboek van de "
                        r"werker\. Start de replay opnieuw als die is verholpen\.", status["fout"]), status
    log = omgeving.werker.log.read_text(errors="replace")  # the cause, logged for the beheerder
    assert f"replay {job['job_id']}: part " in log and "Traceback" in log, log[-3000:]
    antwoord = httpx.get(f"{omgeving.a.url}{job['rapport_url']}", headers=_kop("beleidsmaker"), timeout=30)
    assert antwoord.status_code == 409
    assert antwoord.json()["fouten"][0]["melding"] == status["fout"]


def test_a_worker_stopped_mid_job_finishes_its_part_and_a_restarted_worker_finishes_the_job(
        omgeving: Omgeving) -> None:
    _sla_op(omgeving, GROOT_DAG)
    with omgeving.db.begin() as conn:  # 12 x 400 more adviezen of that day, each its own casus, copied in SQL
        conn.execute(text(
            "INSERT INTO advies (id, casus_id, aangemaakt, key_id, rol, ruleset_naam, ruleset_versie, ruleset_hash,"
            " route, perceel, pakket, casus, advies) SELECT md5(a.id || g::text), a.casus_id || '-' || g,"
            " a.aangemaakt, a.key_id, a.rol, a.ruleset_naam, a.ruleset_versie, a.ruleset_hash, a.route, a.perceel,"
            " a.pakket, a.casus, a.advies FROM advies a, generate_series(1, 400) g WHERE a.casus_id LIKE :p"),
            {"p": f"WR-{GROOT_DAG.toordinal()}-%"})
    totaal = 12 * 401
    job = _post(omgeving.a, GROOT_DAG)
    einde = time.monotonic() + 60
    with omgeving.db.connect() as conn:  # wait until the worker has finished a part
        while conn.execute(text("SELECT count(*) FROM replay_deel WHERE job_id = :j AND klaar IS NOT NULL"),
                           {"j": job["job_id"]}).scalar() == 0:
            assert time.monotonic() < einde, "geen deel klaar binnen 60 s"
            time.sleep(0.05)
    gestopt = time.monotonic()
    assert omgeving.werker.stop() == 0  # a clean exit: the part in progress was finished or handed back
    assert time.monotonic() - gestopt < 30
    with omgeving.db.connect() as conn:
        status = conn.execute(text("SELECT status FROM replay_job WHERE id = :j"), {"j": job["job_id"]}).scalar()
        open_ = conn.execute(text("SELECT count(*) FROM replay_deel WHERE job_id = :j AND telling IS NULL"),
                             {"j": job["job_id"]}).scalar()
    assert status == "bezig" and open_ > 0, (status, open_)  # stopped mid-job, nothing lost or failed
    omgeving.werker.start()
    status_ = _wacht(omgeving.b, job)
    assert status_["status"] == "klaar", status_
    assert status_["gedaan"] == status_["totaal"] == totaal
    rapport = httpx.get(f"{omgeving.b.url}{job['rapport_url']}", headers=_kop("beleidsmaker"), timeout=30).json()
    assert rapport["totaal"] == totaal
    assert rapport["besluiten"]["vergeleken"] == 6  # the copies have no besluit
