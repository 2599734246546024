"""Policy replay runs for POST /v1/replay: executed in a separate process, state kept in the database.

A replay is CPU work (two evaluations per casus), so it never runs in a server process: each server
process has one replay process (spawned, so it inherits none of the server's threads or connections)
that runs the jobs one after another. The job row is the only shared state: any server process
answers status and report requests, whichever started the job. The runner writes its progress
every few hundred casussen; a job whose runner stopped writing (the server was restarted) is reported
as failed when it is next looked at. Uploaded casussen live only in the job's process memory.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy import Engine, update

from api.db import make_engine
from api.models import ReplayJobRecord, nu, utc

__all__ = ["ReplayUitvoerder", "voer_uit", "verlopen", "na_herstart"]

VOORTGANG_ELKE = 250  # casussen between progress writes
STIL_BEZIG = dt.timedelta(minutes=2)  # a running job silent this long has lost its runner
STIL_WACHTEND = dt.timedelta(hours=6)  # a queued job this old will not run any more


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
    from engine.replay import ReplayTelling, replay_casus, scenario_rulesets
    from engine.scenario import scenario_uit
    from rules import standaard_engine

    db = make_engine(database_url)
    try:
        _zet(db, job_id, status="bezig")
        engine = standaard_engine()
        scenario = scenario_uit(scenario_data, engine)
        telling = ReplayTelling()
        for i, data in enumerate(casussen, start=1):
            casus = parse_casus(data)  # validated when the job was accepted; parsed again here
            basis, anders = scenario_rulesets(engine, scenario, casus.peildatum)
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


HERSTART = "de dienst is herstart voordat deze berekening klaar was; start het scenario opnieuw"


def na_herstart(db: Engine) -> int:
    """At the service's start, before any worker runs: every job still queued or running lost its replay
    process with the previous run, so it is failed now (not left 'wachtend' for hours). Returns how many."""
    tabel = ReplayJobRecord.__table__  # type: ignore[attr-defined]
    with db.begin() as conn:
        result = conn.execute(update(tabel).where(tabel.c.status.in_(("wachtend", "bezig"))).values(
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
