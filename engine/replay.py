"""Policy replay: compare the advies before and after a scenario, and count the differences.

`vergelijk` compares two advies of one casus on the contract fields (`CONTRACT_VELDEN`, nested budget
fields as dotted names) and names the rules whose conclusions changed. `ReplayTelling` accumulates a
replay in constant memory apart from the changed casussen, merges partial results of several
processes, and renders the contract's replay report.

Choices where the contract is silent:
- A casus counts as changed when a contract field changed; a rule that concludes differently
  without changing the advies (e.g. a minimum that is no longer needed) does not make it changed.
- In `verdeling`, a null value (no perceel or pakket without an arrangement) is counted under "geen";
  both sides list the same keys (0 where a value does not occur), "geen" last.
- List fields are compared by their codes: `signaleringen` and `waarschuwingen` by `code`, `maatwerk` by
  `resultaatgebied`, `uitgesloten_onderdelen` by `onderdeel` (their texts follow from the code),
  `resultaatgebieden` by resultaatgebied, member and trede.
- `regels_effect` (a scenario's added and switched-off rules): in how many casussen each concluded, an added rule
  in the advies after, a switched-off rule in the advies before (a stored advies without its `uitleg` does not
  count), with a warning for one that never did.
- The report adds the hours over the looptijd (`uren_looptijd`) and, where tariffs are set on either side,
  the cost per week and over the looptijd (`kosten`, with how many adviezen were priced, and priced only in
  part); `kosten` is null when no tariff is set.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engine.casus import Casus, parse_casus
from engine.evaluate import evaluate
from engine.scenario import Scenario

if TYPE_CHECKING:
    import datetime as dt

    from engine.core import Engine
    from engine.ruleset import CompiledRuleset

__all__ = [
    "CONTRACT_VELDEN",
    "andere_regels",
    "BESLUIT_VELDEN",
    "besluit_klopt",
    "replay_opgeslagen",
    "redeneervolgorde",
    "GEEN",
    "VERDEELD",
    "CasusVerschil",
    "ReplayTelling",
    "contract_waarde",
    "replay_casus",
    "rulesets_per_peildatum",
    "scenario_rulesets",
    "telling_over",
    "vergelijk",
]

CONTRACT_VELDEN: tuple[str, ...] = (
    "route",
    "indicerende_instantie",
    "directe_veiligheid_eerst",
    "perceel",
    "pakket",
    "vrije_trede",
    "naast_bestaande_wmo_zorg",
    "budget.volwassenen",
    "budget.kinderen.toegekend_aan",
    "budget.kinderen.aantal",
    "budget.kinderen.uur_per_week",
    "budget.totaal_uur_per_week",
    "budget.pleger_extramuraal_uur_per_week",
    "budget.treden.semimurale_ondersteuning",
    "budget.treden.intramurale_ondersteuning",
    "budget.treden.nachtelijke_ondersteuning",
    "budget.verblijf.volwassen_clienten",
    "budget.verblijf.meekomende_kinderen",
    "onderdelen",
    "uitgesloten_onderdelen",
    "maatwerk",
    "signaleringen",
    "duur_maanden",
    "budget.looptijd.weken",
    "budget.looptijd.uren",
    "budget.kosten.per_week",
    "budget.kosten.looptijd",
    "fase",
    "resultaatgebieden",
    "waarschuwingen",
)
"""The advies fields a replay compares; nested fields as dotted paths (null when a parent is null)."""

VERDEELD = ("route", "perceel", "pakket", "vrije_trede")
"""The fields whose distribution the report shows (`verdeling`)."""

GEEN = "geen"
"""The `verdeling` key for a null value."""

_CODES = {"signaleringen": "code", "maatwerk": "resultaatgebied", "uitgesloten_onderdelen": "onderdeel",
          "waarschuwingen": "code"}


_VELD_TOP = tuple((veld, veld.split(".")[0]) for veld in CONTRACT_VELDEN)
_TOPVELDEN = frozenset(top for _, top in _VELD_TOP)


@functools.lru_cache(maxsize=256)
def _pad(veld: str) -> tuple[str, ...]:
    return tuple(veld.split("."))


def contract_waarde(advies: Mapping[str, Any], veld: str) -> Any:
    """The value of a (dotted) contract field; list fields in `_CODES` as their codes."""
    value: Any = advies
    for key in _pad(veld):
        if value is None:
            return None
        value = value.get(key)
    if veld == "resultaatgebieden" and value is not None:  # who and which trede matter, not the label
        return [f"{g['resultaatgebied']}:{g['voor']}:{g['trede']}" for g in value]
    code = _CODES.get(veld)
    if code is not None and value is not None:
        return [item[code] if isinstance(item, Mapping) else item for item in value]
    return value


def _conclusies(advies: Mapping[str, Any]) -> dict[str, list[str]]:
    """Rule id -> its conclusions, in the order the rules first concluded (reasoning order)."""
    found: dict[str, list[str]] = {}
    for stap in advies.get("uitleg") or ():
        found.setdefault(stap["regel"], []).append(stap["conclusie"])
    return found


def redeneervolgorde(voor: list[str], na: list[str]) -> list[str]:
    """Both reasoning orders as one: `na`'s order, with `voor`-only ids after their predecessor."""
    order = list(na)
    positie = -1
    for regel in voor:
        if regel in order:
            positie = order.index(regel)
        else:
            positie += 1
            order.insert(positie, regel)
    return order


@dataclass(frozen=True)
class CasusVerschil:
    """One changed casus: the changed contract fields ([voor, na]) and the rules that concluded otherwise."""

    casus_id: str | None
    wijzigingen: dict[str, list[Any]]
    regels: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"casus_id": self.casus_id, "wijzigingen": self.wijzigingen, "regels": self.regels}


def vergelijk(voor: Mapping[str, Any], na: Mapping[str, Any]) -> CasusVerschil | None:
    """The difference between two advies of one casus, or None when no contract field changed."""
    wijzigingen: dict[str, list[Any]] = {}
    gelijk = {top for top in _TOPVELDEN if voor.get(top) == na.get(top)}  # equal as a whole: skip its fields
    for veld, top in _VELD_TOP:
        if top in gelijk:
            continue
        oud, nieuw = contract_waarde(voor, veld), contract_waarde(na, veld)
        if oud != nieuw:
            wijzigingen[veld] = [oud, nieuw]
    if not wijzigingen:
        return None
    return CasusVerschil(na.get("casus_id", voor.get("casus_id")), wijzigingen, andere_regels(voor, na))


def andere_regels(voor: Mapping[str, Any], na: Mapping[str, Any]) -> list[str]:
    """The rules whose conclusions differ between two advies, in reasoning order (none when the steps are
    equal, the usual case of a herindicatie)."""
    if voor.get("uitleg") == na.get("uitleg"):
        return []
    c_voor, c_na = _conclusies(voor), _conclusies(na)
    return [r for r in redeneervolgorde(list(c_voor), list(c_na)) if c_voor.get(r) != c_na.get(r)]


def _sleutel(value: Any) -> str:
    if value is None:
        return GEEN
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@functools.lru_cache(maxsize=4096, typed=True)
def _decimaal(getal: float | int) -> Decimal:
    """A number of an advies as the Decimal it is written as (hours and euros repeat: cached)."""
    return Decimal(repr(getal))


def _uren(advies: Mapping[str, Any], veld: str = "budget.totaal_uur_per_week") -> Decimal:
    totaal = contract_waarde(advies, veld)
    return Decimal(0) if totaal is None else _decimaal(totaal)


def _kosten(advies: Mapping[str, Any]) -> tuple[Decimal, Decimal, int, int]:
    """(euro per week, euro over the looptijd, 1 if priced, 1 if priced only in part) of one advies."""
    kosten = contract_waarde(advies, "budget.kosten")
    if not kosten:
        return Decimal(0), Decimal(0), 0, 0
    return (_decimaal(kosten["per_week"]), _decimaal(kosten["looptijd"]), 1,
            0 if kosten.get("volledig", True) else 1)


def _voor_na(voor: Decimal, na: Decimal) -> dict[str, float]:
    return {"voor": float(voor), "na": float(na), "verschil": float(na - voor)}


def _getal(value: Decimal) -> float:
    return float(value)


@dataclass
class ReplayTelling:
    """Running totals of a replay; only changed casussen are kept. Mergeable across processes.

    `voeg_toe` numbers casussen in arrival order unless given a `volgnummer` (the casus' position in
    the whole input). `voeg_samen` of counts without volgnummers treats `andere` as the casussen that
    follow these; with volgnummers, changed casussen are ordered by them.
    """

    totaal: int = 0
    uren_voor: Decimal = Decimal(0)
    uren_na: Decimal = Decimal(0)
    # hours over the looptijd, and cost: [per week, over the looptijd, priced adviezen, partly priced] per side
    looptijd_voor: Decimal = Decimal(0)
    looptijd_na: Decimal = Decimal(0)
    kosten_voor: list[Any] = field(default_factory=lambda: [Decimal(0), Decimal(0), 0, 0])
    kosten_na: list[Any] = field(default_factory=lambda: [Decimal(0), Decimal(0), 0, 0])
    verdeling: dict[str, tuple[Counter[str], Counter[str]]] = field(
        default_factory=lambda: {veld: (Counter(), Counter()) for veld in VERDEELD}
    )
    velden: Counter[str] = field(default_factory=Counter)
    regels: Counter[str] = field(default_factory=Counter)
    rulesets: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))
    # rule id -> in how many casussen it concluded something, before and after (for `regels_effect`)
    gevuurd: tuple[Counter[str], Counter[str]] = field(default_factory=lambda: (Counter(), Counter()))
    casussen: list[tuple[int, CasusVerschil]] = field(default_factory=list)
    expliciet: bool | None = None  # whether volgnummers were given (None: nothing added yet)
    # recorded besluiten compared (a replay over stored adviezen): [vergeleken, overeenkomend voor, na]; None: not
    besluiten: list[int] | None = None

    @property
    def gewijzigd(self) -> int:
        return len(self.casussen)

    def voeg_toe(
        self, voor: Mapping[str, Any], na: Mapping[str, Any], volgnummer: int | None = None
    ) -> CasusVerschil | None:
        """Count one casus (its advies before and after); return its difference, if any."""
        self._stijl(volgnummer is not None)
        nummer = self.totaal if volgnummer is None else volgnummer
        self.totaal += 1
        for veld, (telling_voor, telling_na) in self.verdeling.items():
            telling_voor[_sleutel(contract_waarde(voor, veld))] += 1
            telling_na[_sleutel(contract_waarde(na, veld))] += 1
        self.uren_voor += _uren(voor)
        self.uren_na += _uren(na)
        self.looptijd_voor += _uren(voor, "budget.looptijd.uren")
        self.looptijd_na += _uren(na, "budget.looptijd.uren")
        for totaal, advies in ((self.kosten_voor, voor), (self.kosten_na, na)):
            for i, waarde in enumerate(_kosten(advies)):
                totaal[i] += waarde
        for side, advies in zip(self.rulesets, (voor, na), strict=True):
            ruleset = advies.get("ruleset") or {}
            if ruleset.get("hash"):
                side.add(ruleset["hash"])
        for telling, advies in zip(self.gevuurd, (voor, na), strict=True):
            telling.update({stap["regel"] for stap in advies.get("uitleg") or ()})
        verschil = vergelijk(voor, na)
        if verschil is not None:
            self.velden.update(list(verschil.wijzigingen))
            self.regels.update(verschil.regels)
            self.casussen.append((nummer, verschil))
        return verschil

    def voeg_besluit_toe(self, besluit: tuple[Any, ...], voor: Mapping[str, Any], na: Mapping[str, Any]) -> None:
        """Count one recorded besluit, (route, perceel, pakket), against the advies before and after."""
        if self.besluiten is None:
            self.besluiten = [0, 0, 0]
        self.besluiten[0] += 1
        self.besluiten[1] += besluit_klopt(besluit, voor)
        self.besluiten[2] += besluit_klopt(besluit, na)

    def voeg_samen(self, andere: ReplayTelling) -> None:
        """Add the counts of `andere` (e.g. another process's share) to these."""
        if andere.expliciet is not None:
            self._stijl(andere.expliciet)
        verschuiving = 0 if self.expliciet else self.totaal
        self.casussen.extend((nummer + verschuiving, verschil) for nummer, verschil in andere.casussen)
        self.totaal += andere.totaal
        self.uren_voor += andere.uren_voor
        self.uren_na += andere.uren_na
        self.looptijd_voor += andere.looptijd_voor
        self.looptijd_na += andere.looptijd_na
        for mijn, hun in ((self.kosten_voor, andere.kosten_voor), (self.kosten_na, andere.kosten_na)):
            for i, waarde in enumerate(hun):
                mijn[i] += waarde
        for veld, (telling_voor, telling_na) in self.verdeling.items():
            telling_voor.update(andere.verdeling[veld][0])
            telling_na.update(andere.verdeling[veld][1])
        self.velden.update(andere.velden)
        self.regels.update(andere.regels)
        for mine, theirs in zip(self.rulesets, andere.rulesets, strict=True):
            mine.update(theirs)
        for mijn_telling, hun_telling in zip(self.gevuurd, andere.gevuurd, strict=True):
            mijn_telling.update(hun_telling)
        if andere.besluiten is not None:
            self.besluiten = [a + b for a, b in zip(self.besluiten or [0, 0, 0], andere.besluiten, strict=True)]

    def naar_dict(self, casus_ids: bool = True) -> dict[str, Any]:
        """These counts as JSON-ready data (`uit_dict` reads them back): e.g. a queue part's share, stored
        until the job merges it. `casus_ids=False` leaves the casus ids of the changed casussen out (a
        replay over the stored adviezen lists none, so they need not be written anywhere)."""
        return {
            "totaal": self.totaal,
            "uren": [str(self.uren_voor), str(self.uren_na)],
            "looptijd": [str(self.looptijd_voor), str(self.looptijd_na)],
            "kosten": [[str(k[0]), str(k[1]), k[2], k[3]] for k in (self.kosten_voor, self.kosten_na)],
            "verdeling": {veld: [dict(v), dict(n)] for veld, (v, n) in self.verdeling.items()},
            "velden": dict(self.velden),
            "regels": dict(self.regels),
            "rulesets": [sorted(s) for s in self.rulesets],
            "gevuurd": [dict(t) for t in self.gevuurd],
            "casussen": [[nummer, {**verschil.as_dict(), "casus_id": verschil.casus_id if casus_ids else None}]
                         for nummer, verschil in self.casussen],
            "expliciet": self.expliciet,
            "besluiten": self.besluiten,
        }

    @classmethod
    def uit_dict(cls, data: Mapping[str, Any]) -> ReplayTelling:
        """The counts `naar_dict` wrote."""
        telling = cls(
            totaal=data["totaal"],
            uren_voor=Decimal(data["uren"][0]), uren_na=Decimal(data["uren"][1]),
            looptijd_voor=Decimal(data["looptijd"][0]), looptijd_na=Decimal(data["looptijd"][1]),
            kosten_voor=[Decimal(data["kosten"][0][0]), Decimal(data["kosten"][0][1]), *data["kosten"][0][2:]],
            kosten_na=[Decimal(data["kosten"][1][0]), Decimal(data["kosten"][1][1]), *data["kosten"][1][2:]],
            velden=Counter(data["velden"]), regels=Counter(data["regels"]),
            rulesets=(set(data["rulesets"][0]), set(data["rulesets"][1])),
            gevuurd=(Counter(data["gevuurd"][0]), Counter(data["gevuurd"][1])),
            casussen=[(nummer, CasusVerschil(v["casus_id"], v["wijzigingen"], v["regels"]))
                      for nummer, v in data["casussen"]],
            expliciet=data["expliciet"],
            besluiten=data["besluiten"],
        )
        for veld, (voor, na) in data["verdeling"].items():
            telling.verdeling[veld] = (Counter(voor), Counter(na))
        return telling

    def _stijl(self, expliciet: bool) -> None:
        if self.expliciet is None:
            self.expliciet = expliciet
        elif self.expliciet != expliciet:
            raise ValueError("volgnummers are given for some casussen but not for others")

    def rapport(self, scenario: Scenario | str) -> dict[str, Any]:
        """The contract's replay report (`hg-advies replay --format json`), with extra fields."""
        report: dict[str, Any] = {"scenario": scenario if isinstance(scenario, str) else scenario.naam}
        if isinstance(scenario, Scenario):
            report.update(
                beschrijving=scenario.beschrijving,
                vraag=scenario.vraag,
                bron=scenario.bron,
                parameters=scenario.parameters,
                regels_uit=list(scenario.regels_uit),
                regels_bij=[r.as_dict() for r in scenario.regels_bij],
                peildatum=scenario.peildatum.isoformat() if scenario.peildatum else None,
            )
        report.update(
            totaal=self.totaal,
            gewijzigd=self.gewijzigd,
            verdeling={veld: _verdeling(*self.verdeling[veld]) for veld in VERDEELD},
            uren_per_week={
                "voor": _getal(self.uren_voor),
                "na": _getal(self.uren_na),
                "verschil": _getal(self.uren_na - self.uren_voor),
            },
            uren_looptijd=_voor_na(self.looptijd_voor, self.looptijd_na),
            kosten=self._kosten(),
            velden={veld: self.velden[veld] for veld in CONTRACT_VELDEN if self.velden[veld]},
            regels=dict(sorted(self.regels.items(), key=lambda item: (-item[1], item[0]))),
            ruleset={"voor": sorted(self.rulesets[0]), "na": sorted(self.rulesets[1])},
            regels_effect=self.regels_effect(scenario) if isinstance(scenario, Scenario) else {},
            waarschuwingen=self._waarschuwingen(scenario if isinstance(scenario, Scenario) else None),
            casussen=[v.as_dict() for _, v in sorted(self.casussen, key=lambda item: item[0])],
        )
        if self.besluiten is not None:
            report["besluiten"] = dict(zip(("vergeleken", "overeenkomend_voor", "overeenkomend_na"), self.besluiten,
                                           strict=True))
        return report

    def _kosten(self) -> dict[str, Any] | None:
        """Cost before and after, in euros; None when no advies on either side has a tariff."""
        if not (self.kosten_voor[2] or self.kosten_na[2]):
            return None
        return {
            "per_week": _voor_na(self.kosten_voor[0], self.kosten_na[0]),
            "looptijd": _voor_na(self.kosten_voor[1], self.kosten_na[1]),
            "geprijsd": {"voor": self.kosten_voor[2], "na": self.kosten_na[2]},
            "onvolledig": {"voor": self.kosten_voor[3], "na": self.kosten_na[3]},
            "valuta": "EUR",
        }

    def regels_effect(self, scenario: Scenario) -> dict[str, dict[str, Any]]:
        """Per added rule (in the advies after) and switched-off rule (in the advies before): in how many
        casussen it concluded something, and a warning when it never did."""
        effect: dict[str, dict[str, Any]] = {}
        for soort, zijde, ids in (("toegevoegd", 1, [r.id for r in scenario.regels_bij]),
                                  ("uitgezet", 0, list(scenario.regels_uit))):
            for regel_id in ids:
                keer = self.gevuurd[zijde][regel_id]
                effect[regel_id] = {"soort": soort, "gevuurd": keer,
                                    "waarschuwing": None if keer or not self.totaal else
                                    _nooit_gevuurd(soort, regel_id, self.totaal)}
        return effect

    def _waarschuwingen(self, scenario: Scenario | None = None) -> list[str]:
        if self.totaal == 0:
            return ["Er zijn geen casussen vergeleken: de casusbibliotheek is leeg."]
        found: list[str] = []
        if scenario is not None:
            found.extend(e["waarschuwing"] for e in self.regels_effect(scenario).values() if e["waarschuwing"])
        if self.gewijzigd == 0:
            found.append(
                f"Het scenario verandert geen enkel advies in deze {self.totaal} casussen. Controleer of de "
                "gewijzigde parameters en regels op deze casussen van toepassing zijn."
            )
        if self.rulesets[0] and self.rulesets[0] == self.rulesets[1]:
            found.append(
                "Het scenario levert dezelfde regelset op als de basis (zelfde hash): de nieuwe waarden zijn "
                "gelijk aan de huidige."
            )
        return found


def _nooit_gevuurd(soort: str, regel_id: str, totaal: int) -> str:
    waar = "in de vergeleken casus niet" if totaal == 1 else f"in geen van de {totaal} casussen"
    if soort == "toegevoegd":
        return (f"De toegevoegde regel {regel_id} is {waar} van toepassing: controleer de voorwaarden (wanneer) en "
                "of de regel op deze casussen past.")
    return f"De uitgezette regel {regel_id} was {waar} van toepassing: uitzetten verandert hier niets."


def _verdeling(voor: Counter[str], na: Counter[str]) -> dict[str, dict[str, int]]:
    keys = sorted(set(voor) | set(na), key=lambda k: (k == GEEN, k))
    return {"voor": {k: voor[k] for k in keys}, "na": {k: na[k] for k in keys}}


def scenario_rulesets(
    engine: Engine, scenario: Scenario, peildatum: dt.date
) -> tuple[CompiledRuleset, CompiledRuleset]:
    """The base ruleset for a casus on `peildatum` and the scenario's (on its own peildatum, if set)."""
    basis = engine.ruleset(peildatum)
    anders = engine.ruleset(scenario.peildatum or peildatum, scenario.parameters, scenario.regels_uit,
                            scenario.regels_bij)
    return basis, anders


def rulesets_per_peildatum(
    engine: Engine, scenario: Scenario
) -> Callable[[dt.date], tuple[CompiledRuleset, CompiledRuleset]]:
    """`scenario_rulesets` for one scenario, remembered per peildatum: a replay asks for them once per casus,
    and finding them (two cache keys built from the scenario) costs more than a dict lookup."""
    gevonden: dict[dt.date, tuple[CompiledRuleset, CompiledRuleset]] = {}

    def voor(peildatum: dt.date) -> tuple[CompiledRuleset, CompiledRuleset]:
        paar = gevonden.get(peildatum)
        if paar is None:
            paar = gevonden[peildatum] = scenario_rulesets(engine, scenario, peildatum)
        return paar

    return voor


def replay_casus(
    casus: Casus | object, basis: CompiledRuleset, scenario: CompiledRuleset
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The advies of one casus under the base ruleset and under the scenario (parsed once)."""
    parsed = casus if isinstance(casus, Casus) else parse_casus(casus)
    return evaluate(parsed, basis), evaluate(parsed, scenario)


BESLUIT_VELDEN = ("route", "perceel", "pakket")
"""A recorded besluit matches an advies when these are equal (the contract's besluiten comparison)."""


def besluit_klopt(besluit: tuple[Any, ...], advies: Mapping[str, Any]) -> bool:
    """Whether a besluit's (route, perceel, pakket) equals the advies'."""
    return tuple(besluit) == tuple(advies.get(veld) for veld in BESLUIT_VELDEN)


def replay_opgeslagen(
    casus: Casus, opgeslagen: Mapping[str, Any], opgeslagen_hash: str, basis: CompiledRuleset,
    scenario: CompiledRuleset, met_uitleg: bool = False, heel: Callable[[], Mapping[str, Any]] | None = None,
) -> tuple[Mapping[str, Any], dict[str, Any], bool]:
    """(voor, na, stored advies used) for a stored advies of `casus`, `opgeslagen` made by the ruleset with hash
    `opgeslagen_hash`. When that is the base ruleset, the stored advies is the advies before (the same code and
    parameters give the same advies) and only the scenario is evaluated; otherwise both are.

    `opgeslagen` may lack its explanation (`uitleg`); when the scenario changes a contract field, naming the rules
    that concluded otherwise needs it: then `heel()` gives the stored advies whole (decoding its explanation costs
    a fifth of evaluating the casus again), or without `heel` the advies before is evaluated again. With
    `met_uitleg` (the replay counts rules' firings, e.g. switched-off or added rules) the explanation must be
    there: the stored advies is used only if it has one."""
    na = evaluate(casus, scenario)
    if opgeslagen_hash != basis.hash or (met_uitleg and "uitleg" not in opgeslagen):
        return evaluate(casus, basis), na, False
    if "uitleg" not in opgeslagen and vergelijk(opgeslagen, na) is not None:
        voor = heel() if heel is not None else None
        if voor is not None and "uitleg" in voor:
            return voor, na, True
        return evaluate(casus, basis), na, False
    return opgeslagen, na, True


def telling_over(paren: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> ReplayTelling:
    """A `ReplayTelling` over (voor, na) advies pairs, in order."""
    telling = ReplayTelling()
    for voor, na in paren:
        telling.voeg_toe(voor, na)
    return telling
