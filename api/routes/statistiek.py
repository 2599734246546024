"""GET /v1/statistiek/afwijkingen: aggregates of professionals' deviations, never individual advies.

`bereken_afwijkingen` is the computation; the API route and the web page "Afwijkingen" both call it.

Differencing: suppressing small counts is not enough when one can compare the figures before and after a
single besluit (exactly the rules of that advies gained one). So the figures are released in batches: they
count only the besluiten and reviews from before a release point, a Monday 00:00 (Europe/Amsterdam), and the
release point moves on to a later Monday only once at least `minimum` besluiten were made since the previous
one. Two successive releases then differ by at least `minimum` besluiten, never by one household's.
With a minimum of 1 (disclosure control off) every besluit counts at once.

Honest attribution: a deviation on a field (route, perceel, pakket, maatwerk) counts only against the rules
that fired in that advies and concluded or fed that field, as `engine.herkomst` derives from the rules
themselves; a rule that no longer exists in the ruleset concluded nothing that can be shown, and is not blamed.

The professionals' reasons (besluit `reden`, review `toelichting` and per-step comments, screened for
identifiers when stored) are shown per field and per rule only when their group counts at least `minimum`
besluiten or reviews; never with an advies or casus id, a date or who; without duplicates and in alphabetical
order, so neither the order nor a repeat links a reason to a household. They are screened once more with the
current screener (a text it now refuses is left out), and the casus id or advies id of the advies a reason
belongs to is blanked out should a professional have typed it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session, select

from api import audit
from api.auth import Principal
from api.deps import SessionDep, rollen
from api.models import AdviesRecord, BesluitRecord, ReviewRecord, nu, utc
from api.onderdrukking import Onderdrukking
from api.schemas import Afwijkingen, FoutAntwoord, RegelAfwijking, VeldAfwijking, VeldRegel
from engine.herkomst import Herkomst, herkomst
from engine.persoonsgegevens import in_tekst
from rules import standaard_engine

__all__ = ["router", "bereken_afwijkingen", "vrijgave", "VELDEN", "herkomst_van_de_regels"]

VELDEN = ("route", "perceel", "pakket", "maatwerk")  # what a besluit records (api/routes/besluiten.py)
WEGGELATEN = "[nummer weggelaten]"

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


@functools.cache
def herkomst_van_de_regels() -> Herkomst:
    """The dependency graph of the shipped rules (the same in every ruleset version: versions differ in
    parameters only), built once per process."""
    return herkomst(standaard_engine().source.rules, VELDEN)


def _schoon(tekst: str | None, geheimen: Iterable[str]) -> str | None:
    """A reason as shown: whitespace folded and the advies' own ids blanked out (None when empty)."""
    if tekst is None or not (schoon := " ".join(tekst.split())):
        return None
    for geheim in geheimen:
        if geheim:
            schoon = re.sub(re.escape(geheim), WEGGELATEN, schoon, flags=re.IGNORECASE)
    return schoon


@functools.lru_cache(maxsize=100_000)
def _veilig(tekst: str) -> bool:
    """The current screener finds no personal data in `tekst` (remembered: a stored reason never changes, and
    screening costs a few tenths of a millisecond)."""
    return in_tekst(tekst) is None


def _lijst(teksten: list[str]) -> list[str]:
    """Distinct texts (ignoring case) in alphabetical order, nothing about who wrote them or when; a text the
    current screener refuses is left out."""
    uniek: dict[str, str] = {}
    for tekst in teksten:
        uniek.setdefault(tekst.casefold(), tekst)
    return [uniek[k] for k in sorted(uniek) if _veilig(uniek[k])]


class _Telling:
    """The released besluiten and reviews, counted per field and per rule, with their reasons."""

    def __init__(self, graaf: Herkomst) -> None:
        self.graaf = graaf
        self.besluiten = self.afwijkend = 0
        self.per_veld: Counter[str] = Counter()
        self.per_regel: Counter[str] = Counter()  # besluiten on an advies in which the rule fired
        self.afwijkend_regel: Counter[str] = Counter()  # of those: deviating on a field the rule concluded or fed
        self.regel_veld: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.redenen_veld: defaultdict[str, list[str]] = defaultdict(list)
        self.redenen_regel: defaultdict[str, list[str]] = defaultdict(list)
        self.oneens: Counter[str] = Counter()  # reviews with a step of the rule judged oneens
        self.toelichtingen_regel: defaultdict[str, list[str]] = defaultdict(list)
        self.reviews_oneens = 0  # reviews that disagree with the rationale as a whole
        self.toelichtingen: list[str] = []

    def besluit(self, besluit: BesluitRecord, geheimen: tuple[str, ...]) -> None:
        self.besluiten += 1
        self.afwijkend += bool(besluit.afwijkingen)
        self.per_veld.update(besluit.afwijkingen)
        reden = _schoon(besluit.reden, geheimen)
        for veld in besluit.afwijkingen:
            if reden:
                self.redenen_veld[veld].append(reden)
        for regel in set(besluit.regels):
            self.per_regel[regel] += 1
            velden = [v for v in besluit.afwijkingen if regel in self.graaf.velden.get(v, frozenset())]
            if velden:
                self.afwijkend_regel[regel] += 1
                self.regel_veld[regel].update(velden)
                if reden:
                    self.redenen_regel[regel].append(reden)

    def review(self, review: ReviewRecord, geheimen: tuple[str, ...]) -> None:
        oneens = {s["regel"] for s in review.stappen if s["oordeel"] == "oneens"}
        self.oneens.update(oneens)
        for stap in review.stappen:
            if stap["oordeel"] == "oneens" and (tekst := _schoon(stap.get("toelichting"), geheimen)):
                self.toelichtingen_regel[stap["regel"]].append(tekst)
        if review.oordeel == "oneens":
            self.reviews_oneens += 1
            if tekst := _schoon(review.toelichting, geheimen):
                self.toelichtingen.append(tekst)


def bereken_afwijkingen(session: Session, minimum: int = 1, graaf: Herkomst | None = None) -> Afwijkingen:
    """The deviation aggregates: the latest released besluit per advies, per field and per rule that concluded
    or fed the deviating field, with the HG-deskundigen's disagreements per rule and the reasons per group;
    counts below `minimum` suppressed, and reasons of a group smaller than `minimum` too."""
    graaf = graaf or herkomst_van_de_regels()
    alle = list(session.exec(select(BesluitRecord).order_by(BesluitRecord.aangemaakt)))  # type: ignore[arg-type]
    punt = vrijgave([utc(b.aangemaakt) for b in alle], minimum, nu())
    laatste: dict[str, BesluitRecord] = {}
    for besluit in alle:
        if punt is None or utc(besluit.aangemaakt) < punt:
            laatste[besluit.advies_id] = besluit
    reviews = [r for r in session.exec(select(ReviewRecord)) if punt is None or utc(r.aangemaakt) < punt]
    casus_ids = dict(session.exec(select(AdviesRecord.id, AdviesRecord.casus_id)).all())

    def geheimen(advies_id: str) -> tuple[str, ...]:
        return advies_id, casus_ids.get(advies_id, "")

    t = _Telling(graaf)
    for besluit in laatste.values():
        t.besluit(besluit, geheimen(besluit.advies_id))
    for review in reviews:
        t.review(review, geheimen(review.advies_id))
    return _antwoord(t, minimum, punt)


def _antwoord(t: _Telling, minimum: int, punt: dt.datetime | None) -> Afwijkingen:
    o = Onderdrukking(minimum)

    def groep(teksten: list[str], aantal: int, pad: str) -> list[str] | None:
        if o.klein(aantal):  # the texts of too few besluiten or reviews are hidden with their count
            o.paden.append(pad)
            return None
        return _lijst(teksten)

    besluiten = o.aantal(t.besluiten, "besluiten")
    afwijkend = o.aantal(t.afwijkend, "afwijkend")
    per_veld = {v: o.aantal(t.per_veld[v], f"per_veld.{v}") for v in VELDEN}
    # A rule the HG-deskundigen disagree with is a signal even while no besluit on its advies exists yet.
    regels = []
    for r in sorted(t.per_regel.keys() | t.oneens.keys()):
        pad = f"per_regel.{r}"
        velden = t.graaf.velden_van(r)
        regel_besluiten = o.aantal(t.per_regel[r], f"{pad}.besluiten")
        regel_afwijkend = o.aantal(t.afwijkend_regel[r], f"{pad}.afwijkend")
        regels.append(RegelAfwijking(
            regel=r, besluiten=regel_besluiten, afwijkend=regel_afwijkend,
            aandeel=o.aandeel(regel_afwijkend, regel_besluiten),
            reviews_oneens=o.aantal(t.oneens[r], f"{pad}.reviews_oneens"), velden=list(velden),
            afwijkend_per_veld={v: o.aantal(t.regel_veld[r][v], f"{pad}.afwijkend_per_veld.{v}") for v in velden},
            redenen=groep(t.redenen_regel[r], t.afwijkend_regel[r], f"{pad}.redenen"),
            toelichtingen=groep(t.toelichtingen_regel[r], t.oneens[r], f"{pad}.toelichtingen")))
    regels.sort(key=lambda r: (-(r.aandeel or 0.0), -(r.afwijkend or 0), r.regel))
    velden_antwoord = []
    for v in VELDEN:
        veld_regels = []
        for r in sorted(t.graaf.velden[v] & t.per_regel.keys()):
            pad = f"velden.{v}.regels.{r}"
            n = o.aantal(t.per_regel[r], f"{pad}.besluiten")
            k = o.aantal(t.regel_veld[r][v], f"{pad}.afwijkend")
            veld_regels.append(VeldRegel(regel=r, besluiten=n, afwijkend=k, aandeel=o.aandeel(k, n)))
        veld_regels.sort(key=lambda r: (-(r.aandeel or 0.0), -(r.afwijkend or 0), r.regel))
        velden_antwoord.append(VeldAfwijking(
            veld=v, afwijkend=per_veld[v], aandeel=o.aandeel(per_veld[v], besluiten), regels=veld_regels,
            redenen=groep(t.redenen_veld[v], t.per_veld[v], f"velden.{v}.redenen")))
    return Afwijkingen(besluiten=besluiten, afwijkend=afwijkend, aandeel_afwijkend=o.aandeel(afwijkend, besluiten),
                       per_veld=per_veld, per_regel=regels, minimum_aantal=minimum, onderdrukt=o.paden,
                       vrijgegeven_tot=None if punt is None or punt.year == 1 else punt, velden=velden_antwoord,
                       review_toelichtingen=groep(t.toelichtingen, t.reviews_oneens, "review_toelichtingen"))
