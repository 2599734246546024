"""Rules added by a scenario (`regels_bij`, `engine.regels_bij`) compiled into engine rules.

- the tests become durable-rules patterns on the `casus` fact (its fields and the booleans its lists are
  flattened into) and on a derived `scenario_telling` fact (`aantal_kinderen`, `aantal_volwassenen_geteld`),
  asserted at the first step by the support rule `regels_bij.telling`;
- every added rule checks its condition in the step of the pakket minimums, before the pakket is decided: a
  `minimum_pakket` becomes a `pakket_kandidaat` there (the deciding rule takes the highest);
- the other consequences are applied by the support rule `regels_bij.toepassen` after the project's
  onderdelen and maatwerk rules and before the resultaatgebieden are drawn up (vrije trede, onderdelen,
  maatwerk), and by `regels_bij.signalen` after the project's signals, in the order of `regels_bij`; each
  step is explained under the added rule's own id (`engine.scenario_gevolgen`).

A rule with a consequence in the arrangement applies within the HG-arrangement only; a rule with only a
signal also on basishulp. The step ids the order is taken from (`pakket.minimum_intieme_terreur`, ...) are
looked up in the rule source, so a source without them is refused instead of silently mis-ordered.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from engine import scenario_gevolgen as gevolgen
from engine.dsl import CompileError, Cond, F, Pattern, fact
from engine.regels_bij import PADEN, TELLING, TELLING_SCHEMA, Pad, RegelBij
from engine.rule import Rule

__all__ = ["compileer"]


# --------------------------------------------------------------------------- conditions


def _vergelijking(pad: Pad, toets: str, waarde: Any) -> Cond:
    """One test as a condition on its fact (values are validated: lists are non-empty)."""
    if pad.soort == "lijst":
        waarden = list(waarde) if isinstance(waarde, list | tuple) else [waarde]
        veld = {w: getattr(F, pad.veld + w) for w in pad.waarden}
        if toets == "bevat":
            return _en([veld[w] == True for w in waarden])  # noqa: E712
        if toets == "niet":
            return _en([veld[w] == False for w in waarden])  # noqa: E712
        if toets == "in":
            return _of([veld[w] == True for w in waarden])  # noqa: E712
        return _en([veld[w] == (w in waarden) for w in pad.waarden])  # gelijk: exactly these
    veld_ = getattr(F, pad.veld)
    if toets == "gelijk":
        return veld_ == waarde  # type: ignore[no-any-return]  # builds a condition
    if toets == "niet":
        return veld_ != waarde  # type: ignore[no-any-return]  # builds a condition
    if toets == "in":
        return veld_.isin(*waarde)  # type: ignore[no-any-return]
    if toets == "min":
        return veld_ >= waarde  # type: ignore[no-any-return]
    return veld_ <= waarde  # type: ignore[no-any-return]  # max


def _en(delen: list[Cond]) -> Cond:
    cond = delen[0]
    for deel in delen[1:]:
        cond = cond & deel
    return cond


def _of(delen: list[Cond]) -> Cond:
    cond = delen[0]
    for deel in delen[1:]:
        cond = cond | deel
    return cond


def _patronen(regel: RegelBij) -> dict[str, Pattern]:
    per_feit: dict[str, list[Cond]] = {}
    for pad, toets, waarde in regel.wanneer:
        p = PADEN[pad]
        per_feit.setdefault(p.feit, []).append(_vergelijking(p, toets, waarde))
    hg = regel.dan.in_arrangement
    patronen = {"route": fact("route", F.route == "hg_arrangement" if hg else F.route != "buiten_scope")}
    for feit, delen in per_feit.items():
        patronen["casus" if feit == "casus" else "telling"] = fact(feit, _en(delen))
    if regel.dan.minimum_pakket is not None:
        patronen["perceel"] = fact("perceel")
    return patronen


# --------------------------------------------------------------------------- the order of the steps


@dataclass(frozen=True)
class _Stappen:
    eerste: int
    minimum: int
    gevolgen: int
    signalen: int


def _stappen(bekend: Mapping[str, Rule]) -> _Stappen:
    def fase(regel_id: str) -> int:
        if regel_id not in bekend:
            raise CompileError(f"regels_bij: de regelset heeft geen regel {regel_id!r} om de volgorde aan te ontlenen")
        return bekend[regel_id].fase

    stappen = _Stappen(
        eerste=min(r.fase for r in bekend.values()),
        minimum=fase("pakket.minimum_intieme_terreur"),
        gevolgen=fase("maatwerk.toeleiding_schulddienstverlening"),
        signalen=fase("signalen.profiel_vechtscheiding"),
    )
    if not (stappen.minimum < fase("pakket.vastgesteld")
            and fase("onderdelen.specialistische_individuele_hulp") < stappen.gevolgen
            < fase("resultaatgebieden.beschikking")):
        raise CompileError("regels_bij: de volgorde van de regels past niet bij de toegevoegde regels")
    return stappen


@cache
def _code_hash() -> str:
    """The compiler's own code, so a change in how added rules act changes the ruleset hash."""
    teksten = [inspect.getsource(sys.modules[__name__]), inspect.getsource(gevolgen)]
    return hashlib.sha256("".join(teksten).encode()).hexdigest()


def compileer(regels: Sequence[RegelBij], bekend: Sequence[Rule]) -> tuple[list[Rule], dict[str, dict[str, type]]]:
    """The engine rules for `regels` (added rules, then support rules) and the fact schemas they add.

    `bekend` are the rule source's rules (also those a scenario switches off: they only give the order)."""
    if not regels:
        return [], {}
    stappen = _stappen({r.id: r for r in bekend})
    toegevoegd: dict[str, Rule] = {}
    for regel in regels:
        toegevoegd[regel.id] = Rule(
            id=regel.id, bron=regel.bron, beleidskeuze=True, fase=stappen.minimum,
            when=tuple(_patronen(regel).items()), then=gevolgen.activeer(regel), doc=regel.tekst,
            niveau="hoofdlijn", uitschakelbaar=False,
            source=orjson.dumps(regel.as_dict(), option=orjson.OPT_SORT_KEYS).decode() + _code_hash(),
        )
    steun = [
        Rule(id="regels_bij.telling", bron="", beleidskeuze=False, fase=stappen.eerste,
             when=(("casus", fact("casus")),), then=gevolgen.tel, doc="Telt kinderen en getelde volwassenen.",
             uitschakelbaar=False, source=_code_hash()),
        Rule(id="regels_bij.toepassen", bron="", beleidskeuze=False, fase=stappen.gevolgen,
             when=(("route", fact("route", F.route == "hg_arrangement")),), then=gevolgen.toepassen(toegevoegd),
             doc="Past de gevolgen van de toegevoegde regels toe.", uitschakelbaar=False, source=_code_hash()),
        Rule(id="regels_bij.signalen", bron="", beleidskeuze=False, fase=stappen.signalen,
             when=(("route", fact("route", F.route != "buiten_scope")),), then=gevolgen.signaleer(toegevoegd),
             doc="Geeft de signalen van de toegevoegde regels.", uitschakelbaar=False, source=_code_hash()),
    ]
    return [*toegevoegd.values(), *steun], {TELLING: dict(TELLING_SCHEMA)}

