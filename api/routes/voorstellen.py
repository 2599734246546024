"""GET /v1/scenarios/voorstellen: the deviations of the stored besluiten propose the next scenario.

`bereken_voorstellen` is the computation; the API route and the page "Voorstellen" both call it. It takes the
latest besluit per advies from before the release point of GET /v1/statistiek/afwijkingen (`vrijgave`: the
figures move on in batches of at least HG_MINIMUM_AANTAL besluiten, so two snapshots never differ by one
household), optionally only adviezen made in a period (dates inclusive, Europe/Amsterdam), and lets
`engine.voorstellen.zoek_voorstellen` rank the single parameter changes. Disclosure control: a count from 1 up
to the minimum - 1 is null with its path in `onderdrukt`; a change is proposed only when it makes at least the
minimum of besluiten match (a proposal never rests on fewer households than a figure may show); no casus id.

The search is CPU work (1-5 ms per casus and candidate it re-evaluates, `engine.voorstellen`): it runs in a
worker thread, never on the event loop, and its result is kept per release point, period, minimum and ruleset
(`_BEWAARD` results per process), so a page view repeats nothing until new besluiten are released.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from api import audit
from api.auth import Principal
from api.deps import ApiFout, alleen_parameters, rollen
from api.models import AdviesRecord, BesluitRecord, nu, utc
from api.onderdrukking import Onderdrukking
from api.opgeslagen import Periode, nieuwste_ids
from api.routes.statistiek import AMSTERDAM, vrijgave
from api.schemas import FoutAntwoord, Voorstel, VoorstelKosten, VoorstellenAntwoord, VoorstelScenario
from engine.voorstellen import OVEREENKOMST_VELDEN, Voorstellen, zoek_voorstellen
from rules import standaard_engine

__all__ = ["router", "bereken_voorstellen", "lees_periode"]

router = APIRouter(tags=["scenarios"])
_PARAMETERS = ("van", "tot")
_BEWAARD = 8  # results kept in memory (per release point, period and ruleset)
_cache: OrderedDict[tuple[Any, ...], VoorstellenAntwoord] = OrderedDict()
_slot = threading.Lock()


@router.get("/v1/scenarios/voorstellen", summary="Welke enkele parameterwijziging brengt het advies dichter bij "
            "de besluiten", response_model=VoorstellenAntwoord,
            responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}, 422: {"model": FoutAntwoord}})
async def voorstellen(
    request: Request,
    wie: Annotated[Principal, Depends(rollen("beleidsmaker"))],
    van: Annotated[str | None, Query(description="Adviezen vanaf deze dag (JJJJ-MM-DD)")] = None,
    tot: Annotated[str | None, Query(description="Adviezen tot en met deze dag (JJJJ-MM-DD)")] = None,
) -> VoorstellenAntwoord:
    """Alleen aantallen, geen casus of besluit afzonderlijk. Per advies telt het laatste besluit, van vóór het
    vrijgavemoment van het afwijkingsoverzicht (`vrijgegeven_tot`). Elk voorstel is één wijziging van één
    parameter met een kant-en-klaar scenario om af te spelen; het best passende voorstel eerst, voorstellen die
    huishoudens met een hoog risico een lichter advies geven na de veilige."""
    alleen_parameters(request, *_PARAMETERS)
    periode = lees_periode(van, tot)
    await audit.leg_vast(request, "voorstellen_gelezen", wie, status=200)
    return await run_in_threadpool(_bereken, request, periode)


def _bereken(request: Request, periode: tuple[dt.date | None, dt.date | None]) -> VoorstellenAntwoord:
    with Session(request.app.state.db) as session:
        return bereken_voorstellen(session, request.app.state.minimum_aantal, *periode)


def lees_periode(van: str | None, tot: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The period as dates; ApiFout 422 naming the field for a date that cannot be read or an empty period."""
    datums: list[dt.date | None] = []
    for veld, tekst in (("van", van), ("tot", tot)):
        if not tekst:
            datums.append(None)
            continue
        try:
            datums.append(dt.date.fromisoformat(tekst))
        except ValueError:
            raise ApiFout(422, veld, "ongeldige datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-01-31") from None
    begin, eind = datums
    if begin and eind and eind < begin:
        raise ApiFout(422, "tot", "de periode eindigt vóór ze begint; 'tot' moet op of na 'van' liggen")
    return begin, eind


def _dagbegin(dag: dt.date) -> dt.datetime:
    return dt.datetime.combine(dag, dt.time(), AMSTERDAM).astimezone(dt.UTC)


def _paren(session: Session, minimum: int, van: dt.date | None, tot: dt.date | None
           ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], dt.datetime | None, str]:
    """(casus, besluit) per stored advies with its latest released besluit, the release point, and a digest of
    the besluit ids that identify this input (for the cache). The adviezen are those a replay over the stored
    adviezen of the period takes (`api.opgeslagen`: the newest advies per casus), so a proposal's "more
    besluiten matched" is what that replay of the proposal reports."""
    alle = list(session.exec(select(BesluitRecord).order_by(col(BesluitRecord.aangemaakt))))
    punt = vrijgave([utc(b.aangemaakt) for b in alle], minimum, nu())
    genomen = nieuwste_ids(session.get_bind(), Periode(van, tot))  # type: ignore[arg-type]
    laatste: dict[str, BesluitRecord] = {}
    for besluit in alle:
        if (punt is None or utc(besluit.aangemaakt) < punt) and besluit.advies_id in genomen:
            laatste[besluit.advies_id] = besluit
    paren: list[tuple[dict[str, Any], dict[str, Any]]] = []
    sleutel: list[str] = []
    ids = sorted(laatste)
    for i in range(0, len(ids), 500):
        query = select(AdviesRecord.id, AdviesRecord.casus, AdviesRecord.aangemaakt).where(
            col(AdviesRecord.id).in_(ids[i:i + 500]))
        for advies_id, casus, aangemaakt in session.exec(query):
            moment = utc(aangemaakt)
            if (van and moment < _dagbegin(van)) or (tot and moment >= _dagbegin(tot + dt.timedelta(days=1))):
                continue
            b = laatste[advies_id]
            paren.append((dict(casus), {veld: getattr(b, veld) for veld in OVEREENKOMST_VELDEN}))
            sleutel.append(b.id)
    return paren, punt, hashlib.sha256("\n".join(sorted(sleutel)).encode()).hexdigest()


def bereken_voorstellen(session: Session, minimum: int = 1, van: dt.date | None = None,
                        tot: dt.date | None = None) -> VoorstellenAntwoord:
    """The proposals over the stored adviezen (see the module); counts below `minimum` suppressed."""
    engine = standaard_engine()
    paren, punt, ids = _paren(session, minimum, van, tot)
    sleutel = (punt, van, tot, minimum, ids, engine.ruleset(dt.date.today()).identity().get("hash"))
    with _slot:
        gevonden = _cache.get(sleutel)
    if gevonden is not None:
        return gevonden
    antwoord = _antwoord(zoek_voorstellen(paren, engine, minimum_winst=minimum), minimum, punt, van, tot)
    with _slot:
        _cache[sleutel] = antwoord
        while len(_cache) > _BEWAARD:
            _cache.popitem(last=False)
    return antwoord


def _antwoord(uitkomst: Voorstellen, minimum: int, punt: dt.datetime | None, van: dt.date | None,
              tot: dt.date | None) -> VoorstellenAntwoord:
    o = Onderdrukking(minimum)
    lijst: list[Voorstel] = []
    for v in (v for v in uitkomst.voorstellen if v.meer >= minimum):
        i = len(lijst)
        k = v.kandidaat
        lijst.append(Voorstel(
            pad=k.pad, huidig=k.oud, nieuw=k.nieuw, tekst=k.tekst, bron=k.node.bron, beleidskeuze=k.node.beleidskeuze,
            velden=list(v.velden), meer=o.aantal(v.meer, f"voorstellen[{i}].meer"),
            minder=o.aantal(v.minder, f"voorstellen[{i}].minder"),
            overeenkomend_na=o.aantal(v.overeenkomend_na, f"voorstellen[{i}].overeenkomend_na"),
            gewijzigd=o.aantal(v.gewijzigd, f"voorstellen[{i}].gewijzigd"),
            uren_per_week=round(v.uren_per_week, 2), uren_looptijd=round(v.uren_looptijd, 2),
            kosten=VoorstelKosten(per_week=round(v.kosten["per_week"], 2), looptijd=round(v.kosten["looptijd"], 2))
            if v.kosten else None,
            veilig=not v.onveilig, waarschuwingen=v.waarschuwingen, scenario=VoorstelScenario(**v.scenario)))
    return VoorstellenAntwoord(
        besluiten=o.aantal(uitkomst.vergeleken, "besluiten"),
        overeenkomend=o.aantal(uitkomst.overeenkomend, "overeenkomend"),
        afwijkend={veld: o.aantal(n, f"afwijkend.{veld}") for veld, n in uitkomst.afwijkend.items()},
        meest_afwijkend=uitkomst.meest_afwijkend, voorstellen=lijst, doorzocht=uitkomst.doorzocht,
        periode={"van": van, "tot": tot}, minimum_aantal=minimum, onderdrukt=o.paden,
        vrijgegeven_tot=None if punt is None or punt.year == 1 else punt)
