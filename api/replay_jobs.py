"""Policy replay runs for POST /v1/replay: executed in a separate process, state kept in the database.

A replay is CPU work (two evaluations per casus), so it never runs in a server process: each server
process has one replay process (spawned, so it inherits none of the server's threads or connections)
that runs the jobs one after another. The job row is the only shared state: any server process
answers status and report requests, whichever started the job. The runner writes its progress
every few hundred casussen; a job whose runner stopped writing (the server was restarted) is reported
as failed when it is next looked at. Uploaded casussen live only in the job's process memory.

A replay over the stored adviezen (`voer_uit_opgeslagen`) is split into parts (api/opgeslagen.py `Deel`: the
period and a range of advies ids) that `os.cpu_count()` part processes, spawned by the replay process for that
job, each read and replay (`replay_deel`): at ~1 ms of CPU per casus one core cannot replay 100,000 within a
minute. Each part process adds its progress to the job row after every batch, and stops when the replay process
that started it is gone (the server stopped). `replay_deel` takes only plain data, so it can become the task of
a job queue.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update

from api.db import make_engine
from api.models import ReplayJobRecord, nu, utc
from api.proces import na_het_laden

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from engine.replay import ReplayTelling
    from engine.scenario import Scenario

__all__ = ["ReplayUitvoerder", "voer_uit", "voer_uit_opgeslagen", "replay_deel", "verlopen", "na_herstart"]

VOORTGANG_ELKE = 250  # casussen between progress writes
STIL_BEZIG = dt.timedelta(minutes=2)  # a running job silent this long has lost its runner
STIL_WACHTEND = dt.timedelta(hours=6)  # a queued job this old will not run any more
DELEN_PER_PROCES = 4  # parts per part process of a stored replay: a slower part does not leave a core idle


class ReplayUitvoerder:
    """The replay process of one server process (started on the first job)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._pool: ProcessPoolExecutor | None = None
        self.gestopt: list[Any] = []  # the processes stop() terminated (for tests)

    def start(self, job_id: str, scenario: dict[str, Any], casussen: list[dict[str, Any]]) -> None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
        self._pool.submit(voer_uit, self.database_url, job_id, scenario, casussen)

    def start_opgeslagen(self, job_id: str, scenario: dict[str, Any], periode: dict[str, Any], minimum: int) -> None:
        """Queue a replay over the stored adviezen of `periode` (api.opgeslagen.Periode.as_dict); on PostgreSQL
        it goes to the shared job queue (api/wachtrij.py) instead of this process' replay process."""
        from api import wachtrij

        if wachtrij.gebruikt(self.database_url):
            wachtrij.stel_uit(self.database_url, job_id, scenario, periode, minimum)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
        self._pool.submit(voer_uit_opgeslagen, self.database_url, job_id, scenario, periode, minimum)

    def stop(self) -> None:
        """Stop the replay process with the server: a running job is abandoned (it is reported as failed
        once it has been silent for STIL_BEZIG), queued jobs are cancelled. Without terminating it, the
        server's exit would wait for the running job to finish."""
        if self._pool is not None:
            processen = list(getattr(self._pool, "_processes", {}).values())  # CPython's executor keeps them here
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proces in processen:
                proces.terminate()
            for proces in processen:  # SIGTERM can be held off (e.g. while the child is still starting up)
                proces.join(timeout=3)
                if proces.is_alive():
                    proces.kill()
                    proces.join(timeout=3)
            self.gestopt = processen
            self._pool = None


def _zet(db: Engine, job_id: str, **waarden: Any) -> None:
    with db.begin() as conn:
        conn.execute(update(ReplayJobRecord.__table__).where(  # type: ignore[attr-defined]
            ReplayJobRecord.__table__.c.id == job_id).values(bijgewerkt=nu(), **waarden))  # type: ignore[attr-defined]


def voer_uit(database_url: str, job_id: str, scenario_data: dict[str, Any], casussen: list[dict[str, Any]]) -> None:
    """Run one job (in the replay process): replay every casus, write progress, then the report."""
    from engine.casus import parse_casus
    from engine.replay import ReplayTelling, replay_casus, rulesets_per_peildatum
    from engine.scenario import scenario_uit
    from rules import standaard_engine

    db = make_engine(database_url)
    try:
        _zet(db, job_id, status="bezig")
        engine = standaard_engine()
        scenario = scenario_uit(scenario_data, engine)
        telling = ReplayTelling()
        rulesets = rulesets_per_peildatum(engine, scenario)
        for i, data in enumerate(casussen, start=1):
            casus = parse_casus(data)  # validated when the job was accepted; parsed again here
            basis, anders = rulesets(casus.peildatum)
            voor, na = replay_casus(casus, basis, anders)
            telling.voeg_toe(voor, na)
            if i % VOORTGANG_ELKE == 0:
                _zet(db, job_id, gedaan=i)
        _zet(db, job_id, status="klaar", gedaan=len(casussen), rapport=telling.rapport(scenario))
    except Exception as exc:  # noqa: BLE001  # any failure ends the job visibly, never silently
        _zet(db, job_id, status="mislukt", fout=f"de berekening is mislukt: {type(exc).__name__}: {exc}"[:2000])
        raise
    finally:
        db.dispose()


def voer_uit_opgeslagen(database_url: str, job_id: str, scenario_data: dict[str, Any], periode: dict[str, Any],
                        minimum: int, processen: int | None = None) -> None:
    """Run a replay over the stored adviezen (in the replay process): the parts on `processen` part processes
    (default: every core), their counts merged, the report with disclosure control (api.replay_onderdrukking)."""
    from api.opgeslagen import Periode, delen
    from engine.replay import ReplayTelling
    from engine.scenario import scenario_uit
    from rules import standaard_engine

    db = make_engine(database_url)
    begin = time.perf_counter()
    try:
        _zet(db, job_id, status="bezig", gedaan=0)
        scenario = scenario_uit(scenario_data, standaard_engine())
        processen = processen or os.cpu_count() or 1
        telling = ReplayTelling(besluiten=[0, 0, 0])
        meting: dict[str, float] = {"lezen_seconden": 0.0, "rekenen_seconden": 0.0, "hergebruikt": 0,
                                    "niet_beoordeeld": 0, "beoordelingen": 0}
        with ProcessPoolExecutor(max_workers=processen, mp_context=mp.get_context("spawn")) as pool:
            taken = [pool.submit(replay_deel, database_url, job_id, scenario_data, deel.as_dict(), os.getpid())
                     for deel in delen(Periode.uit_dict(periode), processen * DELEN_PER_PROCES)]
            for taak in as_completed(taken):
                deel_telling, deel_meting = taak.result()
                telling.voeg_samen(deel_telling)
                for k, v in deel_meting.items():
                    meting[k] += v
        rapport = rapport_opgeslagen(telling, meting, scenario, periode, minimum)
        rapport["uitvoering"] = {  # how the work went (the benchmark reads it); times in seconds, CPU summed
            "processen": processen, "delen": len(taken), "duur_seconden": round(time.perf_counter() - begin, 3),
            "lezen_seconden": round(meting["lezen_seconden"], 3),
            "rekenen_seconden": round(meting["rekenen_seconden"], 3), "beoordelingen": int(meting["beoordelingen"]),
            "opgeslagen_advies_als_voor": "gebruikt" if meting["hergebruikt"] else "niet gebruikt"}
        gedaan = telling.totaal + int(meting["niet_beoordeeld"])  # adviezen stored since the count are in it
        _zet(db, job_id, status="klaar", gedaan=gedaan, totaal=gedaan, rapport=rapport)
    except Exception as exc:  # noqa: BLE001  # any failure ends the job visibly, never silently
        _zet(db, job_id, status="mislukt", fout=f"de berekening is mislukt: {type(exc).__name__}: {exc}"[:2000])
        raise
    finally:
        db.dispose()


def rapport_opgeslagen(telling: ReplayTelling, meting: Mapping[str, float], scenario: Scenario,
                       periode: dict[str, Any], minimum: int) -> dict[str, Any]:
    """The report of a replay over the stored adviezen from its merged counts, with disclosure control
    (api.replay_onderdrukking); the local runner and the queue (api/wachtrij.py) both build it here."""
    from api.replay_onderdrukking import onderdruk

    rapport = telling.rapport(scenario)
    rapport.update(bron="opgeslagen", periode=periode, niet_beoordeeld=int(meting["niet_beoordeeld"]))
    return onderdruk(rapport, minimum)


def replay_deel(database_url: str, job_id: str | None, scenario_data: dict[str, Any], deel: dict[str, Any],
                ouder: int | None = None, stoppen: Callable[[], object] | None = None
                ) -> tuple[ReplayTelling, dict[str, float]]:
    """Replay one part (api.opgeslagen.Deel.as_dict) of a stored replay: its counts and how long reading
    (queries and decoding) and replaying took, in seconds of this process. Adds its progress to the job
    `job_id` after every batch; stops when process `ouder` (the replay process) is gone."""
    from api.opgeslagen import Deel, lees
    from engine.casus import parse_opgeslagen_casus
    from engine.errors import CasusFout
    from engine.replay import ReplayTelling, replay_opgeslagen, rulesets_per_peildatum
    from engine.scenario import scenario_uit
    from rules import standaard_engine

    engine = standaard_engine()
    scenario = scenario_uit(scenario_data, engine)
    _rekenproces()
    # a switched-off or added rule's firings are counted from the explanations: then read the stored ones whole
    met_uitleg = bool(scenario.regels_uit) or bool(getattr(scenario, "regels_bij", None))
    db = _deel_db(database_url)
    telling = ReplayTelling(besluiten=[0, 0, 0])
    meting = {"lezen_seconden": 0.0, "rekenen_seconden": 0.0, "hergebruikt": 0.0, "niet_beoordeeld": 0.0,
              "beoordelingen": 0.0}
    batches = lees(db, Deel.uit_dict(deel), met_uitleg=met_uitleg)
    rulesets = rulesets_per_peildatum(engine, scenario)
    while True:
        t0 = time.perf_counter()
        batch = next(batches, None)
        t1 = time.perf_counter()
        meting["lezen_seconden"] += t1 - t0
        if batch is None:
            break
        if ouder is not None and os.getppid() != ouder:
            raise RuntimeError("het afspeelproces is gestopt")
        if stoppen is not None:
            stoppen()  # raises to stop this part, e.g. when its queue worker stops (api/wachtrij.py)
        for opgeslagen in batch:
            try:
                casus = parse_opgeslagen_casus(opgeslagen.casus)
            except CasusFout:  # stored under an older casus format that is no longer valid: counted, not replayed
                meting["niet_beoordeeld"] += 1
                continue
            basis, anders = rulesets(casus.peildatum)
            voor, na, hergebruikt = replay_opgeslagen(casus, opgeslagen.advies, opgeslagen.ruleset_hash, basis,
                                                      anders, met_uitleg, opgeslagen.heel)
            meting["hergebruikt"] += hergebruikt
            meting["beoordelingen"] += 1 if hergebruikt else 2
            telling.voeg_toe(voor, na)
            if opgeslagen.besluit is not None:
                telling.voeg_besluit_toe(opgeslagen.besluit, voor, na)
        meting["rekenen_seconden"] += time.perf_counter() - t1
        if job_id is not None:
            _tel_op(db, job_id, len(batch))
    return telling, meting


_DBS: dict[str, Engine] = {}
_VOORBEREID: list[int] = []  # the pid of this process once _rekenproces ran in it


def _rekenproces() -> None:
    """Once per process that replays parts, after the rules and parameters are loaded: api/proces.py. Measured on
    a part of 6.264 casussen, the collector's share went from 0,077 to 0,023 ms per casus (325 young-generation
    passes to 7). Only in a process made for the work (a part or queue worker process), never in one that does
    other things (a test run)."""
    if os.getpid() in _VOORBEREID or mp.parent_process() is None:
        return
    na_het_laden()
    _VOORBEREID.append(os.getpid())


def _deel_db(database_url: str) -> Engine:
    """One database engine per part process (its parts share it)."""
    if database_url not in _DBS:
        _DBS[database_url] = make_engine(database_url)
    return _DBS[database_url]


def _tel_op(db: Engine, job_id: str, aantal: int) -> None:
    tabel = ReplayJobRecord.__table__  # type: ignore[attr-defined]
    with db.begin() as conn:
        conn.execute(update(tabel).where(tabel.c.id == job_id).values(gedaan=tabel.c.gedaan + aantal, bijgewerkt=nu()))


HERSTART = "de dienst is herstart voordat deze berekening klaar was; start het scenario opnieuw"


def na_herstart(db: Engine) -> int:
    """At the service's start, before any worker runs: every job still queued or running lost its replay
    process with the previous run, so it is failed now (not left 'wachtend' for hours). Returns how many."""
    from api.wachtrij import open_taken

    tabel = ReplayJobRecord.__table__  # type: ignore[attr-defined]
    in_wachtrij = open_taken(db)  # jobs on the shared queue (PostgreSQL) live on without this service
    with db.begin() as conn:
        result = conn.execute(update(tabel).where(tabel.c.status.in_(("wachtend", "bezig")),
                                                  tabel.c.id.not_in(in_wachtrij)).values(
            status="mislukt", fout=HERSTART, bijgewerkt=nu()))
    return int(result.rowcount or 0)


def verlopen(job: ReplayJobRecord, nu_: dt.datetime) -> bool:
    """Whether a job that is not finished will never finish (its runner is gone)."""
    bijgewerkt = utc(job.bijgewerkt)
    if job.status == "bezig":
        return nu_ - bijgewerkt > STIL_BEZIG
    if job.status == "wachtend":
        return nu_ - bijgewerkt > STIL_WACHTEND
    return False
