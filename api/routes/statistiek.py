"""GET /v1/statistiek/afwijkingen: aggregates of professionals' deviations, never individual advies.

`bereken_afwijkingen` is the computation; the API route and the web page "Afwijkingen" both call it.

Differencing: suppressing small counts is not enough when one can compare the figures before and after a
single besluit (exactly the rules of that advies gained one). So the figures are released in batches: they
count only the besluiten and reviews from before a release point, a Monday 00:00 (Europe/Amsterdam), and the
release point moves on to a later Monday only once at least `minimum` besluiten were made since the previous
one. Two successive releases then differ by at least `minimum` besluiten, never by one household's.
With a minimum of 1 (disclosure control off) every besluit counts at once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session, select

from api import audit
from api.auth import Principal
from api.deps import SessionDep, rollen
from api.models import BesluitRecord, ReviewRecord, nu, utc
from api.schemas import Afwijkingen, FoutAntwoord, RegelAfwijking

__all__ = ["router", "bereken_afwijkingen", "vrijgave"]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

router = APIRouter(tags=["statistiek"])


@router.get("/v1/statistiek/afwijkingen", summary="Hoe vaak wijken besluiten af van het advies, en na welke regels",
            response_model=Afwijkingen, responses={401: {"model": FoutAntwoord}, 403: {"model": FoutAntwoord}})
def afwijkingen(request: Request, session: SessionDep,
                wie: Annotated[Principal, Depends(rollen("beleidsmaker"))]) -> Afwijkingen:
    """Per advies telt het laatste besluit. Alleen aantallen: geen advies, casus of besluit afzonderlijk; een
    aantal onder HG_MINIMUM_AANTAL wordt niet getoond (null, het pad staat in `onderdrukt`). De cijfers worden
    per week bijgewerkt, en pas als er sindsdien minstens HG_MINIMUM_AANTAL besluiten bij zijn gekomen
    (`vrijgegeven_tot`): zo verraadt een vergelijking van twee standen nooit één besluit."""
    audit.schrijf(request.app.state.db, audit.regel("statistiek_gelezen", wie, request, status=200))
    return bereken_afwijkingen(session, request.app.state.minimum_aantal)


def _maandag(moment: dt.datetime) -> dt.datetime:
    """Monday 00:00 in Amsterdam of the week of `moment`, in UTC."""
    lokaal = moment.astimezone(AMSTERDAM)
    dag = (lokaal - dt.timedelta(days=lokaal.weekday())).date()
    return dt.datetime.combine(dag, dt.time(), AMSTERDAM).astimezone(dt.UTC)


def _volgende_maandag(moment: dt.datetime) -> dt.datetime:
    """The Monday 00:00 (Amsterdam) after the week of `moment` (a week is 167 or 169 hours around DST)."""
    return _maandag(_maandag(moment) + dt.timedelta(days=7, hours=12))


def vrijgave(tijden: list[dt.datetime], minimum: int, tot: dt.datetime) -> dt.datetime | None:
    """The release point for besluiten made at `tijden` (UTC, sorted), now being `tot`: None means no delay
    (minimum 1). Greedy over the Mondays up to now: a Monday becomes the release point when at least
    `minimum` besluiten fall between it and the previous release point."""
    if minimum <= 1:
        return None
    punt = dt.datetime.min.replace(tzinfo=dt.UTC)  # nothing released yet
    if not tijden:
        return punt
    maandag = _volgende_maandag(tijden[0])
    laatste = _maandag(tot)
    i = 0
    while maandag <= laatste:
        j = i
        while j < len(tijden) and tijden[j] < maandag:
            j += 1
        if j - i >= minimum:
            punt, i = maandag, j
        maandag = _volgende_maandag(maandag)
    return punt


class _Onderdrukking:
    """Disclosure control: a count from 1 to minimum - 1 becomes None and its path is recorded."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        self.paden: list[str] = []

    def aantal(self, waarde: int, pad: str) -> int | None:
        if 0 < waarde < self.minimum:
            self.paden.append(pad)
            return None
        return waarde

    @staticmethod
    def aandeel(teller: int | None, noemer: int | None) -> float | None:
        if teller is None or noemer is None:
            return None  # a share of a suppressed count would reveal it
        return round(teller / noemer, 4) if noemer else 0.0


def bereken_afwijkingen(session: Session, minimum: int = 1) -> Afwijkingen:
    """The deviation aggregates: the latest besluit per advies, per field and per rule that shaped the advies,
    with the HG-deskundigen's disagreements per rule; counts below `minimum` suppressed."""
    alle = list(session.exec(select(BesluitRecord).order_by(BesluitRecord.aangemaakt)))  # type: ignore[arg-type]
    punt = vrijgave([utc(b.aangemaakt) for b in alle], minimum, nu())
    laatste: dict[str, BesluitRecord] = {}
    for besluit in alle:
        if punt is None or utc(besluit.aangemaakt) < punt:
            laatste[besluit.advies_id] = besluit
    per_veld: Counter[str] = Counter()
    per_regel: Counter[str] = Counter()
    afwijkend_regel: Counter[str] = Counter()
    for besluit in laatste.values():
        per_veld.update(besluit.afwijkingen)
        per_regel.update(besluit.regels)
        if besluit.afwijkingen:
            afwijkend_regel.update(besluit.regels)
    oneens: Counter[str] = Counter()
    for review in session.exec(select(ReviewRecord)):
        if punt is not None and utc(review.aangemaakt) >= punt:
            continue
        oneens.update(s["regel"] for s in review.stappen if s["oordeel"] == "oneens")
    o = _Onderdrukking(minimum)
    besluiten = o.aantal(len(laatste), "besluiten")
    afwijkend = o.aantal(sum(1 for b in laatste.values() if b.afwijkingen), "afwijkend")
    per_veld_getoond = {v: o.aantal(per_veld[v], f"per_veld.{v}") for v in ("route", "perceel", "pakket", "maatwerk")}
    # A rule the HG-deskundigen disagree with is a signal even while no besluit on its advies exists yet.
    regels = []
    for r in sorted(per_regel.keys() | oneens.keys()):
        regel_besluiten = o.aantal(per_regel[r], f"per_regel.{r}.besluiten")
        regel_afwijkend = o.aantal(afwijkend_regel[r], f"per_regel.{r}.afwijkend")
        regels.append(RegelAfwijking(regel=r, besluiten=regel_besluiten, afwijkend=regel_afwijkend,
                                     aandeel=o.aandeel(regel_afwijkend, regel_besluiten),
                                     reviews_oneens=o.aantal(oneens[r], f"per_regel.{r}.reviews_oneens")))
    regels.sort(key=lambda r: (-(r.aandeel or 0.0), -(r.afwijkend or 0), r.regel))
    return Afwijkingen(besluiten=besluiten, afwijkend=afwijkend, aandeel_afwijkend=o.aandeel(afwijkend, besluiten),
                       per_veld=per_veld_getoond, per_regel=regels, minimum_aantal=minimum, onderdrukt=o.paden,
                       vrijgegeven_tot=None if punt is None or punt.year == 1 else punt)
