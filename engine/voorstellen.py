"""The deviations propose the next scenario: single parameter changes ranked by the besluiten they would match.

Given stored casussen with the professional's latest besluit, `zoek_voorstellen` tries every single change of
a parameter that can move route, perceel or pakket, re-evaluates the casussen it can touch and counts how many
besluiten the advies matches before and after (`overeenkomst`: route, perceel and pakket equal).

Which changes are tried follows from the parameter tree and its value types, not from a list of names:
- every leaf whose value is a whole number of a value type that refuses fractions (a pakket, a number of
  children, a number of months): on a small scale (at most `_KLEINE_SCHAAL` allowed values, the pakketten 1-3)
  every other allowed value, otherwise one step down and one up, within the type's range; a cell of a table
  (the pakket matrix) is a leaf of its own;
- not tried: value types that take fractions or lists (hours, shares, tariffs: they change the cost, not the
  agreement, and are shown as the effect of each candidate), and ages (`_NIET_GEZOCHT`: the Jeugdwet's age
  limits are law, not policy);
- a change whose scenario the engine refuses (`engine.scenario.scenario_uit`, e.g. pakket 1 semimuraal where
  it has no hours) is dropped; a change that makes no more besluiten match is not proposed.

Cost: one compilation per candidate (~6 ms; 31 candidates with the project's parameters) and one evaluation
(~1 ms for a library casus, ~5 ms for a generated household, on the shared development machine) per distinct
casus the candidate can touch; 1,000 generated adviezen with 30 % deviating besluiten took 29 s (5,520
evaluations) with a minimum gain of 5. Identical casussen are evaluated once. A casus is re-evaluated for a
candidate only when its base evaluation read that parameter, or when the parameter is part of a rule's
condition (it could make a rule fire that did not): a parameter read only in a rule's action cannot change a
casus whose rules never read it (tests/test_voorstellen.py checks this against evaluating everything). The
casussen with a deviating besluit go first: only they can gain, so a candidate below the minimum gain is
dropped before the others are evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson

from engine.casus import Casus, parse_casus
from engine.errors import CasusFout
from engine.evaluate import evaluate
from engine.scenario import ScenarioFout, scenario_uit
from engine.taal import label
from engine.valuetypes import VALUE_TYPES

if TYPE_CHECKING:
    from engine.core import Engine
    from engine.parameters import ParameterNode, Parameters

__all__ = ["OVEREENKOMST_VELDEN", "Kandidaat", "Voorstel", "Voorstellen", "kandidaten", "overeenkomst",
           "zoek_voorstellen"]

OVEREENKOMST_VELDEN = ("route", "perceel", "pakket")
"""A besluit matches its advies when these fields are equal (also the replay's `besluiten` block)."""

_KLEINE_SCHAAL = 5  # a value type with at most this many allowed whole numbers is searched whole
_VENSTER = 6  # how far the allowed range of a value type is probed around the value in force
_NIET_GEZOCHT = frozenset({"leeftijd"})  # value types that are law, never a policy proposal
_PERCEEL_GEWICHT = {"extramuraal": 1, "semimuraal": 2, "intramuraal": 3}
_ENKELVOUD = {"maanden": "maand", "kinderen": "kind", "gezinsleden": "gezinslid"}

ONVEILIG_TEKST = (
    "Let op: met dit voorstel krijgen huishoudens met acuut gevaar, een hoog veiligheidsrisico of intieme terreur "
    "een lichter advies (een lager pakket, een lichter perceel of geen HG-arrangement meer). Neem het alleen over "
    "na beoordeling door een HG-deskundige."
)
BRONFEIT_TEKST = (
    "Deze waarde staat zo in de bron ({bron}); een andere waarde wijkt af van het vastgestelde arrangement en "
    "vraagt een besluit van de gemeente."
)


def overeenkomst(advies: Mapping[str, Any], besluit: Mapping[str, Any]) -> bool:
    """Whether the besluit indicated what the advies advised: route, perceel and pakket equal."""
    return all(advies.get(veld) == besluit.get(veld) for veld in OVEREENKOMST_VELDEN)


@dataclass(frozen=True)
class Kandidaat:
    """One single change of one parameter value."""

    pad: str
    oud: int
    nieuw: int
    node: ParameterNode
    cel: str  # the cell of a table parameter ("" for a plain one)

    @property
    def tekst(self) -> str:
        """The change in words: 'Minimaal pakket bij intieme terreur: pakket 3 in plaats van pakket 2.'"""
        cel = f", {' / '.join(label(k) for k in self.cel.split('.'))}" if self.cel else ""
        return f"{self.node.beschrijving}{cel}: {_met_eenheid(self.node, self.nieuw)} in plaats van " \
               f"{_met_eenheid(self.node, self.oud)}."

    def scenario(self) -> dict[str, Any]:
        """The contract's scenario for this change (naam, beschrijving, bron, parameters)."""
        naam = f"voorstel-{self.pad}-{self.nieuw}"[:64]
        return {"naam": naam, "beschrijving": f"{self.tekst} Voorgesteld uit de afwijkingen van de besluiten.",
                "bron": self.node.bron, "parameters": {self.pad: self.nieuw}}


def _met_eenheid(node: ParameterNode, waarde: int) -> str:
    eenheid = node.eenheid
    if eenheid == "pakket":
        return f"pakket {waarde}"
    if not eenheid:
        return str(waarde)
    return f"{waarde} {_ENKELVOUD.get(eenheid, eenheid) if waarde == 1 else eenheid}"


def _toegestaan(type_naam: str, waarde: Any) -> bool:
    return VALUE_TYPES[type_naam](waarde) is None


def _stappen(type_naam: str, huidig: int) -> list[int]:
    """The values a whole-number parameter is tried at (see the module)."""
    onder = []
    for waarde in range(huidig - 1, huidig - _VENSTER - 1, -1):
        if not _toegestaan(type_naam, waarde):
            break
        onder.append(waarde)
    boven = []
    for waarde in range(huidig + 1, huidig + _VENSTER + 1):
        if not _toegestaan(type_naam, waarde):
            break
        boven.append(waarde)
    if len(onder) + len(boven) + 1 <= _KLEINE_SCHAAL:
        return sorted(onder + boven)
    return onder[:1] + boven[:1]


def kandidaten(basis: Parameters) -> list[Kandidaat]:
    """Every single change searched, from the parameter tree and its value types, in tree order."""
    found: list[Kandidaat] = []
    for pad, waarde in basis.leaves():
        node, cel = basis.node_for(pad)
        if node.type in _NIET_GEZOCHT or isinstance(waarde, bool) or not isinstance(waarde, int):
            continue
        if _toegestaan(node.type, waarde + 0.5):  # a type that takes fractions: hours, shares, amounts
            continue
        found.extend(Kandidaat(pad, waarde, nieuw, node, cel) for nieuw in _stappen(node.type, waarde))
    return found


@dataclass(frozen=True)
class Voorstel:
    """A candidate with what it would do to the stored casuïstiek (raw counts: the API suppresses small ones)."""

    kandidaat: Kandidaat
    scenario: dict[str, Any]
    meer: int  # besluiten that would match and do not now
    minder: int  # besluiten that match now and would not
    overeenkomend_na: int
    gewijzigd: int  # stored adviezen whose route, perceel or pakket would change
    velden: tuple[str, ...]  # which of route, perceel, pakket would change
    uren_per_week: float  # change of the weekly hours, summed over the adviezen
    uren_looptijd: float  # change of the hours over the looptijd
    kosten: dict[str, float] | None  # change of the cost (per_week, looptijd) when a tariff is set
    onveilig: int  # adviezen of high-risk households that would become lighter
    bronfeit: bool  # the value is a seed fact, not a policy choice

    @property
    def netto(self) -> int:
        return self.meer - self.minder

    @property
    def waarschuwingen(self) -> list[str]:
        found = [ONVEILIG_TEKST] if self.onveilig else []
        if self.bronfeit:
            found.append(BRONFEIT_TEKST.format(bron=self.kandidaat.node.bron))
        return found


@dataclass
class Voorstellen:
    """The result of a search: the agreement now, where it deviates, and the ranked proposals."""

    vergeleken: int = 0
    overeenkomend: int = 0
    afwijkend: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OVEREENKOMST_VELDEN, 0))
    voorstellen: list[Voorstel] = field(default_factory=list)
    doorzocht: int = 0  # candidates evaluated
    geweigerd: int = 0  # candidates whose scenario the engine refuses
    evaluaties: int = 0  # casus x candidate evaluations
    overgeslagen: int = 0  # stored casussen the current model refuses

    @property
    def meest_afwijkend(self) -> list[str]:
        """The fields on which besluiten deviate, most deviations first."""
        return [v for v in sorted(self.afwijkend, key=lambda v: (-self.afwijkend[v], OVEREENKOMST_VELDEN.index(v)))
                if self.afwijkend[v]]


@dataclass
class _Groep:
    """Identical casussen (apart from their id), evaluated once; one besluit per stored advies."""

    casus: Casus
    besluiten: list[Mapping[str, Any]]
    basis: dict[str, Any] = field(default_factory=dict)
    gelezen: frozenset[str] = frozenset()
    risico: bool = False
    afwijkend: bool = False  # a besluit of these casussen deviates from the base advies


def _groepen(paren: Iterable[tuple[Casus | Mapping[str, Any], Mapping[str, Any]]]) -> tuple[list[_Groep], int]:
    groepen: dict[bytes, _Groep] = {}
    overgeslagen = 0
    for casus, besluit in paren:
        try:
            parsed = casus if isinstance(casus, Casus) else parse_casus(dict(casus))
        except CasusFout:
            overgeslagen += 1
            continue
        data = parsed.model_dump(mode="json")
        data.pop("casus_id", None)
        sleutel = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        groep = groepen.get(sleutel)
        if groep is None:
            groep = groepen[sleutel] = _Groep(parsed, [])
        groep.besluiten.append(besluit)
    return list(groepen.values()), overgeslagen


def _hoog_risico(casus: Casus) -> bool:
    """Acute danger, a high safety risk or intieme terreur: a lighter advies here is a safety matter."""
    return bool(casus.veiligheid.acuut or casus.veiligheid.niveau == "hoog" or casus.geweld.intieme_terreur)


def _lichter(voor: Mapping[str, Any], na: Mapping[str, Any]) -> bool:
    """The HG-arrangement lost, a lighter perceel, or a lower pakket."""
    if voor.get("route") != "hg_arrangement":
        return False
    if na.get("route") != "hg_arrangement":
        return True
    if _PERCEEL_GEWICHT.get(na.get("perceel") or "", 0) < _PERCEEL_GEWICHT.get(voor.get("perceel") or "", 0):
        return True
    return int(na.get("pakket") or 0) < int(voor.get("pakket") or 0)


def _getal(advies: Mapping[str, Any], *pad: str) -> Decimal:
    waarde: Any = advies
    for sleutel in pad:
        if not isinstance(waarde, Mapping):
            return Decimal(0)
        waarde = waarde.get(sleutel)
    return Decimal(0) if waarde is None or isinstance(waarde, bool) else Decimal(repr(waarde))


def _raakt(pad: str, paden: Iterable[str]) -> bool:
    """Whether `pad` is one of `paden`, inside one, or holds one."""
    return any(p == pad or p.startswith(f"{pad}.") or pad.startswith(f"{p}.") for p in paden)


def _rangorde(v: Voorstel) -> tuple[Any, ...]:
    """Safe before unsafe (beleidskeuze), then net gain, then fewer losses, then a policy choice before a seed
    fact, then the smaller step, then the tree's order of path and value."""
    k = v.kandidaat
    return (v.onveilig > 0, -v.netto, v.minder, v.bronfeit, abs(k.nieuw - k.oud), k.pad, k.nieuw)


def zoek_voorstellen(
    paren: Iterable[tuple[Casus | Mapping[str, Any], Mapping[str, Any]]],
    engine: Engine,
    peildatum: dt.date | None = None,
    *,
    minimum_winst: int = 1,
    volledig: bool = False,
) -> Voorstellen:
    """Rank the single parameter changes by how many more besluiten the advies would match (see the module).

    `paren` are (casus, besluit) pairs, one per stored advies with its latest besluit (`route`, `perceel`,
    `pakket`); candidates come from the parameters in force on `peildatum` (default: the newest version); each
    casus is evaluated on its own peildatum, before and with the change. A candidate that makes fewer than
    `minimum_winst` more besluiten match is not proposed; it is dropped as soon as the casussen with a deviating
    besluit (evaluated first: only they can gain) show that, before the others are evaluated. `volledig`
    re-evaluates every casus for every candidate (no pruning: to check the pruning)."""
    groepen, overgeslagen = _groepen(paren)
    uitkomst = Voorstellen(overgeslagen=overgeslagen)
    versie = engine.tree.versions[-1] if peildatum is None else engine.version_for(peildatum)
    for groep in groepen:
        ruleset = engine.ruleset(groep.casus.peildatum)
        groep.basis = evaluate(groep.casus, ruleset)
        groep.gelezen = frozenset(p for stap in groep.basis.get("uitleg") or () for p in stap.get("parameters", {}))
        groep.risico = _hoog_risico(groep.casus)
        for besluit in groep.besluiten:
            uitkomst.vergeleken += 1
            uitkomst.overeenkomend += overeenkomst(groep.basis, besluit)
            groep.afwijkend |= not overeenkomst(groep.basis, besluit)
            for veld in OVEREENKOMST_VELDEN:
                uitkomst.afwijkend[veld] += groep.basis.get(veld) != besluit.get(veld)
    if uitkomst.overeenkomend == uitkomst.vergeleken:
        return uitkomst  # nothing deviates: no change can make more besluiten match
    groepen.sort(key=lambda g: not g.afwijkend)  # the deviating casussen first: only they can gain
    rulesets = {id(r): r for r in (engine.ruleset(g.casus.peildatum) for g in groepen)}
    voorwaarden = {p for r in rulesets.values() for params in r.condition_params.values() for p in params}
    for kandidaat in kandidaten(engine.tree.resolve(versie)):
        scenario = kandidaat.scenario()
        try:
            scenario_uit(scenario, engine, versie)
        except ScenarioFout:
            uitkomst.geweigerd += 1
            continue
        uitkomst.doorzocht += 1
        voorstel = _probeer(kandidaat, scenario, groepen, engine, volledig or _raakt(kandidaat.pad, voorwaarden),
                            max(1, minimum_winst), uitkomst)
        if voorstel is not None:
            uitkomst.voorstellen.append(voorstel)
    uitkomst.voorstellen.sort(key=_rangorde)
    return uitkomst


def _probeer(kandidaat: Kandidaat, scenario: dict[str, Any], groepen: Sequence[_Groep], engine: Engine,
             overal: bool, minimum_winst: int, uitkomst: Voorstellen) -> Voorstel | None:
    """The effect of one candidate, or None when it makes fewer than `minimum_winst` more besluiten match."""
    overrides = scenario["parameters"]
    meer = minder = na_totaal = gewijzigd = onveilig = 0
    velden: set[str] = set()
    uren = looptijd = kosten_week = kosten_looptijd = Decimal(0)
    geprijsd = False
    afwijkend = True
    for groep in groepen:
        if afwijkend and not groep.afwijkend:
            afwijkend = False  # the deviating casussen are done: the others can only lose
            if meer < minimum_winst:
                return None
        if not overal and not _raakt(kandidaat.pad, groep.gelezen):
            na_totaal += sum(overeenkomst(groep.basis, b) for b in groep.besluiten)
            continue
        uitkomst.evaluaties += 1
        voor = groep.basis
        na = evaluate(groep.casus, engine.ruleset(groep.casus.peildatum, overrides))
        aantal = len(groep.besluiten)
        for besluit in groep.besluiten:
            was, wordt = overeenkomst(voor, besluit), overeenkomst(na, besluit)
            meer += wordt and not was
            minder += was and not wordt
            na_totaal += wordt
        anders = {veld for veld in OVEREENKOMST_VELDEN if voor.get(veld) != na.get(veld)}
        if anders:
            velden |= anders
            gewijzigd += aantal
            onveilig += aantal if groep.risico and _lichter(voor, na) else 0
        uren += aantal * (_getal(na, "budget", "totaal_uur_per_week") - _getal(voor, "budget", "totaal_uur_per_week"))
        looptijd += aantal * (_getal(na, "budget", "looptijd", "uren") - _getal(voor, "budget", "looptijd", "uren"))
        if _geprijsd(voor) or _geprijsd(na):
            geprijsd = True
            kosten_week += aantal * (_getal(na, "budget", "kosten", "per_week")
                                     - _getal(voor, "budget", "kosten", "per_week"))
            kosten_looptijd += aantal * (_getal(na, "budget", "kosten", "looptijd")
                                         - _getal(voor, "budget", "kosten", "looptijd"))
    if meer < minimum_winst:
        return None
    return Voorstel(
        kandidaat=kandidaat, scenario=scenario, meer=meer, minder=minder, overeenkomend_na=na_totaal,
        gewijzigd=gewijzigd, velden=tuple(v for v in OVEREENKOMST_VELDEN if v in velden),
        uren_per_week=float(uren), uren_looptijd=float(looptijd),
        kosten={"per_week": float(kosten_week), "looptijd": float(kosten_looptijd)} if geprijsd else None,
        onveilig=onveilig, bronfeit=not kandidaat.node.beleidskeuze,
    )


def _geprijsd(advies: Mapping[str, Any]) -> bool:
    """Whether the advies has a cost (a tariff is set)."""
    budget = advies.get("budget")
    return isinstance(budget, Mapping) and budget.get("kosten") is not None
