"""The PostgreSQL job queue of replays over the stored adviezen (procrastinate 3.x), shared by every service replica
and every `hg-advies worker` process on one database.

With PostgreSQL, `POST /v1/replay` with `"bron": "opgeslagen"` defers one coordinator task (`hg:verdeel`) instead
of running the job in the service's own replay process. The coordinator splits the job into parts
(api.opgeslagen.delen), writes one empty `replay_deel` row per part and defers one part task (`hg:deel`) each. A
part task replays its part with api.replay_jobs.replay_deel and writes its counts (ReplayTelling.naar_dict, without
casus ids) and which process ran it into its own row; the part that finds no empty row left (under a lock on the
job row, so exactly one) merges the counts, builds the report with the same code as the local runner
(api.replay_jobs.rapport_opgeslagen: disclosure control included), writes it to the job and deletes the part rows.

Failures: a part that raises fails the job visibly (status `mislukt`, a Dutch reason) and the other parts of that
job stop at their start. Only a lost database connection and a worker that stops (SIGTERM/SIGINT, `JobAborted`)
are retried, up to MAX_POGINGEN attempts: a part is idempotent (it overwrites its own row; only the progress
counter `gedaan` can run ahead until the report sets it). A deterministic error is not retried. A worker that
was killed (SIGKILL, power) leaves its part `doing`: every worker looks for such stalled jobs (no heartbeat for
VASTGELOPEN seconds) at its start and every minute after, and requeues them.

The job stays `wachtend` until its first part starts (its parts may wait behind another job's), then `bezig`; a
running part writes its progress after every batch. A job `bezig` that no part has written to for
api.replay_jobs.STIL_BEZIG (2 minutes: every worker stopped mid-job and none restarted) is reported failed when
next read, as a local job whose runner stopped is.

Uploaded casussen stay in the process that received them (never written to the database, as before) and the
library replays stay there too (35 casussen: the queue would only add latency); SQLite has no queue at all.

Workers: a part is CPU-bound Python, and one asyncio worker runs its sync tasks in one thread, so one worker
process uses one core. `hg-advies worker --processen N` runs N single-job worker processes (default: one per
core); each service process runs HG_WACHTRIJ_WERKERS (default 1, 0 = none) such processes next to its replay
process, so one service alone still finishes its jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import socket
import time
from typing import TYPE_CHECKING, Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, JobAborted
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from api.models import ReplayDeelRecord, ReplayJobRecord, nu, utc

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

__all__ = ["WACHTRIJ", "Werkers", "gebruikt", "maak_app", "open_taken", "sluit", "stel_uit", "voeg_samen", "werk",
           "werkers_uit_omgeving"]

WACHTRIJ = "replay"  # the queue's name
MAX_POGINGEN = 3  # attempts of a part when its connection was lost or its worker stopped
AFBREKEN_NA = 10.0  # seconds a stopping worker lets its part run on before asking it to stop (it is retried)
VASTGELOPEN = 30.0  # seconds without a heartbeat after which a running part's worker is taken as gone
HERSTEL_ELKE = 60.0  # seconds between looks for stalled parts
DELEN_PER_KERN = 4  # parts per core of the coordinating machine: a slow part does not leave a worker idle
_JOB = ReplayJobRecord.__table__  # type: ignore[attr-defined]
_DEEL = ReplayDeelRecord.__table__  # type: ignore[attr-defined]
_LOG = logging.getLogger("hg_advies.wachtrij")
_TIJDELIJK = (OperationalError, JobAborted)  # retried; anything else fails the job

taken = procrastinate.Blueprint()


def gebruikt(database_url: str) -> bool:
    """Whether replays over the stored adviezen go to the queue: on PostgreSQL only."""
    return make_url(database_url).get_backend_name() == "postgresql"


def werkers_uit_omgeving() -> int:
    """HG_WACHTRIJ_WERKERS: queue worker processes per service process (default 1; 0: none, for deployments
    with separate `hg-advies worker` processes). ValueError with a Dutch reason for a wrong value."""
    waarde = os.environ.get("HG_WACHTRIJ_WERKERS", "").strip()
    if not waarde:
        return 1
    if not waarde.isdigit() or int(waarde) > 64:
        raise ValueError(f"HG_WACHTRIJ_WERKERS: verwacht een geheel getal van 0 tot en met 64, niet '{waarde[:20]}'")
    return int(waarde)


_APPS: dict[str, procrastinate.App] = {}
_GEOPEND: set[str] = set()  # apps opened synchronously (to defer from a service process)


def maak_app(database_url: str) -> procrastinate.App:
    """The queue on the service's database (one App per database and process)."""
    if database_url not in _APPS:
        conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        connector = procrastinate.PsycopgConnector(conninfo=conninfo, min_size=1, max_size=4,
                                                   kwargs={"application_name": "hg-advies wachtrij"})
        app = procrastinate.App(connector=connector)
        app.add_tasks_from(taken, namespace="hg")
        _APPS[database_url] = app
    return _APPS[database_url]


def stel_uit(database_url: str, job_id: str, scenario: dict[str, Any], periode: dict[str, Any], minimum: int) -> None:
    """Defer a stored replay (its job row exists, `wachtend`) to the queue; when that fails, the job is failed
    visibly and the error raised."""
    app = maak_app(database_url)
    try:
        if database_url not in _GEOPEND:  # the service's synchronous connection pool, opened on first use
            app.open()
            _GEOPEND.add(database_url)
        app.configure_task("hg:verdeel", queue=WACHTRIJ).defer(
            database_url=database_url, job_id=job_id, scenario=scenario, periode=periode, minimum=minimum)
    except Exception:
        db = _db(database_url)
        _zet(db, job_id, status="mislukt", fout="de berekening kon niet in de wachtrij worden gezet; probeer het "
             "over enkele minuten opnieuw")
        raise


def sluit() -> None:
    """Close the connection pools `stel_uit` opened (at the service's stop)."""
    for url in list(_GEOPEND):
        _APPS[url].close()
        _GEOPEND.discard(url)


def open_taken(db: Engine) -> set[str]:
    """The replay jobs with a queue task still to do or running (they survive a service restart)."""
    if db.dialect.name != "postgresql":
        return set()
    with db.connect() as conn:
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
            return set()
        rijen = conn.execute(text("SELECT DISTINCT args->>'job_id' FROM procrastinate_jobs "
                                  "WHERE status IN ('todo', 'doing') AND queue_name = :q"), {"q": WACHTRIJ})
        return {r[0] for r in rijen if r[0]}


@taken.task(name="verdeel", queue=WACHTRIJ, retry=procrastinate.RetryStrategy(
    max_attempts=MAX_POGINGEN, wait=2, retry_exceptions={OperationalError}))
def verdeel(database_url: str, job_id: str, scenario: dict[str, Any], periode: dict[str, Any], minimum: int) -> None:
    """The coordinator: split the job into parts, one empty row and one part task each."""
    from api.opgeslagen import Periode, delen

    db = _db(database_url)
    if _status(db, job_id) not in ("wachtend", "bezig"):
        return  # failed or deleted meanwhile
    aantal = max(2, os.cpu_count() or 1) * DELEN_PER_KERN
    stukken = delen(Periode.uit_dict(periode), aantal)
    with db.begin() as conn:  # a retried coordinator starts the parts afresh
        conn.execute(delete(_DEEL).where(_DEEL.c.job_id == job_id))
        conn.execute(_DEEL.insert(), [{"job_id": job_id, "nummer": i} for i in range(len(stukken))])
        # still `wachtend` until its first part starts: a job whose parts wait behind another job's is not silent
        conn.execute(update(_JOB).where(_JOB.c.id == job_id).values(gedaan=0, bijgewerkt=nu()))
    app = maak_app(database_url)
    for i, stuk in enumerate(stukken):
        with contextlib.suppress(AlreadyEnqueued):  # a retried coordinator: that part is still waiting
            app.configure_task("hg:deel", queue=WACHTRIJ, queueing_lock=f"{job_id}:{i}").defer(
                database_url=database_url, job_id=job_id, scenario=scenario, periode=periode, minimum=minimum,
                deel=stuk.as_dict(), nummer=i, delen=len(stukken))


@taken.task(name="deel", queue=WACHTRIJ, pass_context=True, retry=procrastinate.RetryStrategy(
    max_attempts=MAX_POGINGEN, wait=1, retry_exceptions=set(_TIJDELIJK)))
def deel(context: procrastinate.JobContext, database_url: str, job_id: str, scenario: dict[str, Any],
         periode: dict[str, Any], minimum: int, deel: dict[str, Any], nummer: int, delen: int) -> None:
    """One part: replay it, write its counts, and merge the job when it is the last."""
    from api.replay_jobs import replay_deel

    db = _db(database_url)
    with db.begin() as conn:
        loopt = conn.execute(update(_JOB).where(_JOB.c.id == job_id, _JOB.c.status.in_(("wachtend", "bezig")))
                             .values(status="bezig", bijgewerkt=nu())).rowcount
        if not loopt:
            return  # another part failed the job, or it was deleted: nothing to add
        conn.execute(update(_DEEL).where(_DEEL.c.job_id == job_id, _DEEL.c.nummer == nummer).values(
            begonnen=nu(), door=_door()))
    try:
        telling, meting = replay_deel(database_url, job_id, scenario, deel, None,
                                      stoppen=lambda: _stop(context))
    except Exception as exc:
        if isinstance(exc, _TIJDELIJK) and _nog_een_poging(context, exc):
            raise  # retried: the part overwrites its own row
        _LOG.exception("replay %s: part %d of %d failed", job_id, nummer + 1, delen)  # the cause, for the beheerder
        _zet(db, job_id, status="mislukt", fout=f"de berekening is mislukt in deel {nummer + 1} van {delen}; de "
             "oorzaak staat in het logboek van de werker. Start de replay opnieuw als die is verholpen.")
        raise
    with db.begin() as conn:
        conn.execute(update(_DEEL).where(_DEEL.c.job_id == job_id, _DEEL.c.nummer == nummer).values(
            telling=telling.naar_dict(casus_ids=False), meting=meting, door=_door(), klaar=nu()))
    voeg_samen(db, job_id, scenario, periode, minimum)


def _stop(context: procrastinate.JobContext) -> None:
    if context.should_abort():
        raise JobAborted("de werker stopt; dit deel wordt opnieuw uitgevoerd")


def _nog_een_poging(context: procrastinate.JobContext, exc: BaseException) -> bool:
    task, job = context.task, context.job
    if task is None or task.retry_strategy is None:
        return False
    return task.retry_strategy.get_retry_decision(exception=exc, job=job) is not None


def voeg_samen(db: Engine, job_id: str, scenario_data: dict[str, Any], periode: dict[str, Any], minimum: int) -> bool:
    """When every part of the job has written its counts: merge them, write the report and delete the parts.
    Exactly one part does it (the job row is locked). Returns whether this call did."""
    from api.replay_jobs import rapport_opgeslagen
    from engine.replay import ReplayTelling
    from engine.scenario import scenario_uit
    from rules import standaard_engine

    with db.begin() as conn:
        job = conn.execute(select(_JOB.c.status, _JOB.c.aangemaakt).where(_JOB.c.id == job_id)
                           .with_for_update()).first()
        if job is None or job.status != "bezig":
            return False
        rijen = conn.execute(select(_DEEL).where(_DEEL.c.job_id == job_id).order_by(_DEEL.c.nummer)).all()
        if not rijen or any(r.telling is None for r in rijen):
            return False
        begin = time.perf_counter()
        telling = ReplayTelling(besluiten=[0, 0, 0])
        meting: dict[str, float] = {"lezen_seconden": 0.0, "rekenen_seconden": 0.0, "hergebruikt": 0,
                                    "niet_beoordeeld": 0}
        for rij in rijen:
            telling.voeg_samen(ReplayTelling.uit_dict(rij.telling))
            for k, v in (rij.meting or {}).items():
                meting[k] = meting.get(k, 0) + v
        rapport = rapport_opgeslagen(telling, meting, scenario_uit(scenario_data, standaard_engine()), periode,
                                     minimum)
        aangemaakt = utc(job.aangemaakt)
        eerste = min(utc(r.begonnen) for r in rijen if r.begonnen is not None)
        door = sorted({r.door for r in rijen if r.door})
        rapport["uitvoering"] = {  # how the work went (the benchmark reads it); times in seconds, CPU summed
            "wachtrij": True, "processen": len(door), "delen": len(rijen),
            "duur_seconden": round((nu() - aangemaakt).total_seconds(), 3),
            "wachttijd_seconden": round((eerste - aangemaakt).total_seconds(), 3),  # from POST to the first part
            "samenvoegen_seconden": round(time.perf_counter() - begin, 3),
            "lezen_seconden": round(meting["lezen_seconden"], 3),
            "rekenen_seconden": round(meting["rekenen_seconden"], 3),
            "opgeslagen_advies_als_voor": "gebruikt" if meting["hergebruikt"] else "niet gebruikt",
            "uitgevoerd_door": door}
        conn.execute(update(_JOB).where(_JOB.c.id == job_id).values(
            status="klaar", gedaan=telling.totaal + int(meting["niet_beoordeeld"]), rapport=rapport, bijgewerkt=nu()))
        conn.execute(delete(_DEEL).where(_DEEL.c.job_id == job_id))
    return True


_DBS: dict[str, Engine] = {}


def _db(database_url: str) -> Engine:
    from api.db import make_engine

    if database_url not in _DBS:
        _DBS[database_url] = make_engine(database_url)
    return _DBS[database_url]


def _status(db: Engine, job_id: str) -> str | None:
    with db.connect() as conn:
        return conn.execute(select(_JOB.c.status).where(_JOB.c.id == job_id)).scalar()


def _zet(db: Engine, job_id: str, **waarden: Any) -> None:
    with db.begin() as conn:
        conn.execute(update(_JOB).where(_JOB.c.id == job_id).values(bijgewerkt=nu(), **waarden))


def _door() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def werk(database_url: str, gelijktijdig: int = 1, ouder: int | None = None) -> None:
    """Run one queue worker until SIGTERM (or, with `ouder`, until that process is gone): a part in progress gets
    AFBREKEN_NA seconds to finish, then stops at its next batch and is retried. SIGINT is ignored: a Ctrl-C
    reaches the whole process group, and the parent (service or `hg-advies worker`) passes one SIGTERM on
    (procrastinate's own handlers would take that second signal as "stop now" and cut the part off)."""
    app = maak_app(database_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    async with app.open_async():
        worker = asyncio.create_task(app.run_worker_async(
            queues=[WACHTRIJ], concurrency=gelijktijdig, name=f"hg-advies {_door()}", wait=True,
            shutdown_graceful_timeout=AFBREKEN_NA, delete_jobs="successful", install_signal_handlers=False,
            update_heartbeat_interval=VASTGELOPEN / 3, stalled_worker_timeout=VASTGELOPEN))
        volgende = 0.0
        while not worker.done():
            if time.monotonic() >= volgende:
                await _herstel(app)
                volgende = time.monotonic() + HERSTEL_ELKE
            if stop.is_set() or (ouder is not None and os.getppid() != ouder):
                worker.cancel()  # once: procrastinate turns it into its graceful stop
                break
            await asyncio.wait({worker}, timeout=0.5)
        with contextlib.suppress(asyncio.CancelledError):
            await worker


async def _herstel(app: procrastinate.App) -> None:
    """Requeue the parts whose worker stopped sending heartbeats (killed)."""
    try:
        for job in await app.job_manager.get_stalled_jobs(queue=WACHTRIJ, seconds_since_heartbeat=VASTGELOPEN):
            await app.job_manager.retry_job(job)
    except Exception:  # noqa: BLE001  # a failed look is tried again next time; the worker keeps working
        pass


def _werk_proces(database_url: str, gelijktijdig: int, ouder: int | None) -> None:
    asyncio.run(werk(database_url, gelijktijdig, ouder))


class Werkers:
    """Queue worker processes (spawned: they inherit no threads or connections), one job at a time each."""

    def __init__(self, database_url: str, aantal: int, gelijktijdig: int = 1, met_ouder: bool = True) -> None:
        self.database_url = database_url
        self.aantal = aantal
        self.gelijktijdig = gelijktijdig
        self.met_ouder = met_ouder
        self.processen: list[BaseProcess] = []

    def start(self) -> Werkers:
        ouder = os.getpid() if self.met_ouder else None
        context = mp.get_context("spawn")
        for _ in range(self.aantal):
            proces = context.Process(target=_werk_proces, args=(self.database_url, self.gelijktijdig, ouder),
                                     name="hg-advies wachtrij")
            proces.start()
            self.processen.append(proces)
        return self

    def stop(self, wacht: float = AFBREKEN_NA + 10) -> None:
        """SIGTERM to every worker (each lets its part finish or hands it back), then SIGKILL after `wacht`
        seconds (that part is requeued as stalled by the next worker)."""
        for proces in self.processen:
            if proces.is_alive():
                proces.terminate()
        einde = time.monotonic() + wacht
        for proces in self.processen:
            proces.join(timeout=max(0.1, einde - time.monotonic()))
            if proces.is_alive():
                proces.kill()
                proces.join(timeout=3)
        self.processen = []

    def wacht(self) -> None:
        for proces in self.processen:
            proces.join()

