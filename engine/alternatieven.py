"""What would change the advies: the smallest single input changes that give another route, perceel or pakket.

Each candidate is one change of one input field, applied with `engine.wat_als.pas_toe` (so it is
validated by the same model, and `hg-advies wat-als --zet veld=waarde` replays it exactly) and
evaluated by the same engine under the same ruleset. A candidate is reported when the route, the
perceel, the pakket or the vrije trede differs from the base advies. The vrije trede counts as a
change of pakket: it replaces the fixed pakket by a budget op maat (001 §3.1), although `pakket`
keeps the reference pakket; without it a child more or less could never change the outcome.

The candidates (value sets come from the Casus model's Literal types; no policy number is used):
- `veiligheid.niveau`, `vaardigheden`: every other value of the ordered scale (the Literal's order);
- the yes/no assessments `geweld.binnen_huiselijke_kring`, `geweld.structureel`,
  `geweld.intieme_terreur`, `veiligheid.acuut`, `inzet.specialistisch`: reversed;
- the household situation: `woonsituatie.dakloos`, `.zelfstandig_wonen_veilig`,
  `.nabijheid_24u_nodig` reversed; every other value of `bestaande_wmo_zorg`; one child more
  (`leden[n]`, the youngest child's age) when there are children; the youngest child removed
  (`leden[i]` = null) when there is another member.
Not varied: per-member flags and roles, `woonplaats`, `vormen`, `signalen` (they shape onderdelen and
signaleringen, not route, perceel or pakket) and `inzet.verwachte_duur_maanden` (no natural step).

"Smallest" is the order of the result, by `maat` (1 = smallest), then the field's place in the
Casus model, then the number of steps on the scale, then the value's place in its Literal:
1. one step on an ordered scale (`veiligheid.niveau`, `vaardigheden`);
2. a yes/no assessment of the violence, the safety or the help reversed;
3. two or more steps on an ordered scale;
4. a change of the household's situation (housing, existing Wmo care, a child more or less).
Of several changes of one field with the same consequence, only the smallest is reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel

from engine.casus import Casus, Lid
from engine.errors import CasusFout
from engine.evaluate import evaluate
from engine.ruleset import CompiledRuleset
from engine.wat_als import PadFout, pas_toe

if TYPE_CHECKING:
    from engine.core import Engine

__all__ = ["GEVOLG_VELDEN", "advies_met_alternatieven", "alternatieven"]

log = logging.getLogger(__name__)

GEVOLG_VELDEN = ("route", "perceel", "pakket", "vrije_trede")
"""The advies fields whose change makes an alternative, in the order `gevolg` lists them."""

STAP, OMSLAG, SPRONG, HUISHOUDEN = 1, 2, 3, 4

_SCHALEN = {"veiligheid.niveau": "veiligheidsrisico", "vaardigheden": "vaardigheden"}
_KEUZES = {"bestaande_wmo_zorg": "bestaande Wmo-zorg"}
# How each value is said after "Met": "Met een hoog veiligheidsrisico", "Met beperkte vaardigheden".
_ZEG = {
    ("veiligheid.niveau", "laag"): "Met een laag veiligheidsrisico",
    ("veiligheid.niveau", "midden"): "Met een verhoogd veiligheidsrisico",
    ("veiligheid.niveau", "hoog"): "Met een hoog veiligheidsrisico",
    ("vaardigheden", "voldoende"): "Met voldoende vaardigheden",
    ("vaardigheden", "beperkt"): "Met beperkte vaardigheden",
    ("vaardigheden", "onvoldoende"): "Met onvoldoende vaardigheden",
    ("bestaande_wmo_zorg", "geen"): "Zonder bestaande Wmo-zorg",
    ("bestaande_wmo_zorg", "semimuraal"): "Met bestaande semimurale Wmo-zorg",
    ("bestaande_wmo_zorg", "intramuraal"): "Met bestaande intramurale Wmo-zorg",
}
# path -> (rank, text when true, text when false); the texts are conditions ending in a verb or a noun
_JA_NEE: dict[str, tuple[int, str, str]] = {
    "geweld.binnen_huiselijke_kring": (
        OMSLAG, "Als het geweld binnen de huiselijke kring valt,", "Als het geweld buiten de huiselijke kring valt,"),
    "geweld.structureel": (OMSLAG, "Als het geweld structureel is,", "Als het geweld niet structureel is,"),
    "geweld.intieme_terreur": (OMSLAG, "Met intieme terreur", "Zonder intieme terreur"),
    "veiligheid.acuut": (OMSLAG, "Bij acuut gevaar", "Zonder acuut gevaar"),
    "inzet.specialistisch": (
        OMSLAG, "Als specialistische hulp nodig is,", "Als geen specialistische hulp nodig is,"),
    "woonsituatie.dakloos": (HUISHOUDEN, "Als het huishouden dakloos is,", "Als het huishouden niet dakloos is,"),
    "woonsituatie.zelfstandig_wonen_veilig": (
        HUISHOUDEN, "Als zelfstandig wonen veilig is,", "Als zelfstandig wonen niet veilig is,"),
    "woonsituatie.nabijheid_24u_nodig": (
        HUISHOUDEN, "Als 24-uursondersteuning in de nabijheid nodig is,",
        "Als geen 24-uursondersteuning in de nabijheid nodig is,"),
}
_ROUTES = {
    "hg_arrangement": "een HG-arrangement",
    "basishulp_wijkteam": "basishulp door het wijkteam",
    "buiten_scope": "buiten scope (strafrechtelijke aanpak)",
}


def _veldvolgorde(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every field of the model as a dotted path, in declaration order (nested models flattened)."""
    paden: list[str] = []
    for naam, info in model.model_fields.items():
        pad = f"{prefix}{naam}"
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paden.extend(_veldvolgorde(annotation, f"{pad}."))
        else:
            paden.append(pad)
    return paden


_VOLGORDE = {pad: i for i, pad in enumerate(_veldvolgorde(Casus))}


def _annotation(pad: str) -> Any:
    model: type[BaseModel] = Casus
    *ouders, naam = pad.split(".")
    for ouder in ouders:
        model = model.model_fields[ouder].annotation  # type: ignore[assignment]  # a nested model
    return model.model_fields[naam].annotation


def waarden(pad: str) -> tuple[str, ...]:
    """The values of a Literal-typed field of the casus, in their declared order."""
    return tuple(get_args(_annotation(pad)))


@dataclass(frozen=True)
class _Kandidaat:
    veld: str
    waarde: Any
    sleutel: tuple[int, int, int, int]  # (maat, field order, steps, value order): smaller first
    voorwaarde: str  # the Dutch condition the text starts with


def _waarde(document: Mapping[str, Any], pad: str) -> Any:
    node: Any = document
    for key in pad.split("."):
        node = node[key]
    return node


def _keuzes(document: Mapping[str, Any], pad: str, label: str, geordend: bool) -> Iterator[_Kandidaat]:
    opties = waarden(pad)
    huidig = opties.index(_waarde(document, pad))
    for i, optie in enumerate(opties):
        if i == huidig:
            continue
        stappen = abs(i - huidig)
        maat = (STAP if stappen == 1 else SPRONG) if geordend else HUISHOUDEN
        yield _Kandidaat(pad, optie, (maat, _VOLGORDE[pad], stappen, i), _ZEG.get((pad, optie), f"Met {label} {optie}"))


def _ja_nee(document: Mapping[str, Any], pad: str) -> _Kandidaat:
    maat, als_ja, als_nee = _JA_NEE[pad]
    nieuw = not _waarde(document, pad)
    return _Kandidaat(pad, nieuw, (maat, _VOLGORDE[pad], 1, 0), als_ja if nieuw else als_nee)


def _is_kind(lid: Lid, params: Callable[[str], Any]) -> bool:
    """Whether the rules count a member as a child of the household (the same parameters as
    rules/huishouden.py; a child who is not in beeld is outside the household)."""
    if not lid.in_beeld:
        return False
    if lid.leeftijd < params("leeftijd.volwassen_vanaf"):
        return True
    return bool(lid.verlengde_jeugdhulp and lid.leeftijd < params("leeftijd.verlengde_jeugdhulp_tot"))


def _nieuw_id(casus: Casus) -> str:
    bezet = {lid.id for lid in casus.leden}
    nummer = 1
    while (kandidaat := "extra-kind" if nummer == 1 else f"extra-kind-{nummer}") in bezet:
        nummer += 1
    return kandidaat


def _kinderen(casus: Casus, params: Callable[[str], Any]) -> Iterator[_Kandidaat]:
    kinderen = [(i, lid) for i, lid in enumerate(casus.leden) if _is_kind(lid, params)]
    if not kinderen:
        return
    index, jongste = min(kinderen, key=lambda item: item[1].leeftijd)  # first of equal ages, as the rules
    plek = _VOLGORDE["leden"]
    extra: dict[str, Any] = {"id": _nieuw_id(casus), "leeftijd": jongste.leeftijd}
    if jongste.verlengde_jeugdhulp:
        extra["verlengde_jeugdhulp"] = True
    yield _Kandidaat(f"leden[{len(casus.leden)}]", extra, (HUISHOUDEN, plek, 1, 0),
                     f"Met nog een kind van {jongste.leeftijd} jaar")
    if len(casus.leden) > 1:
        yield _Kandidaat(f"leden[{index}]", None, (HUISHOUDEN, plek, 1, 1),
                         f"Zonder het jongste kind ({jongste.id}, {jongste.leeftijd} jaar)")


def _kandidaten(casus: Casus, ruleset: CompiledRuleset) -> list[_Kandidaat]:
    document = casus.model_dump()
    found: list[_Kandidaat] = []
    for pad, label in _SCHALEN.items():
        found.extend(_keuzes(document, pad, label, geordend=True))
    for pad, label in _KEUZES.items():
        found.extend(_keuzes(document, pad, label, geordend=False))
    found.extend(_ja_nee(document, pad) for pad in _JA_NEE)
    found.extend(_kinderen(casus, ruleset.params.get))
    return sorted(found, key=lambda k: k.sleutel)


def _pakket(advies: Mapping[str, Any]) -> str:
    if advies.get("vrije_trede"):
        return f"een vrije trede (referentiepakket {advies.get('pakket')})"
    return f"pakket {advies.get('pakket')}"


def _uitkomst(advies: Mapping[str, Any], velden: Mapping[str, Any]) -> str:
    """The outcome in Dutch: the whole of it when the route changes, else the parts that change."""
    route = advies.get("route")
    if "route" in velden or route != "hg_arrangement":
        tekst = _ROUTES.get(str(route), str(route))
        if route == "hg_arrangement":
            tekst += f" ({advies.get('perceel')}, {_pakket(advies)})"
        return tekst
    delen = []
    if "perceel" in velden:
        delen.append(f"perceel {advies.get('perceel')}")
    if "pakket" in velden or "vrije_trede" in velden:
        delen.append(_pakket(advies))
    return ", ".join(delen)


def _gevolg(basis: Mapping[str, Any], anders: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {v: [basis.get(v), anders.get(v)] for v in GEVOLG_VELDEN if basis.get(v) != anders.get(v)}


def alternatieven(
    casus: Casus, ruleset: CompiledRuleset, advies: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The smallest single input changes that change route, perceel, pakket or vrije trede, smallest first.

    Each: `{"veld": dotted input path, "waarde": new value, "maat": 1-4, "gevolg": {field: [voor, na]},
    "tekst": Dutch sentence}`. `advies` is the casus' advies under `ruleset` (computed when not given).
    """
    basis = advies if advies is not None else evaluate(casus, ruleset)
    result: list[dict[str, Any]] = []
    gezien: set[tuple[str, str]] = set()  # (field, consequence) already reported by a smaller change
    for kandidaat in _kandidaten(casus, ruleset):
        try:
            anders = evaluate(pas_toe(casus, [(kandidaat.veld, kandidaat.waarde)]), ruleset)
        except (CasusFout, PadFout):
            continue  # a change the model refuses (e.g. a 31st member) is no alternative
        except Exception:  # a what-if must never break the advies it accompanies
            log.exception("alternatief %s=%r kon niet worden geëvalueerd", kandidaat.veld, kandidaat.waarde)
            continue
        gevolg = _gevolg(basis, anders)
        sleutel = (kandidaat.veld, repr(gevolg))
        if not gevolg or sleutel in gezien:
            continue
        gezien.add(sleutel)
        result.append({
            "veld": kandidaat.veld,
            "waarde": kandidaat.waarde,
            "maat": kandidaat.sleutel[0],
            "gevolg": gevolg,
            "tekst": f"{kandidaat.voorwaarde} zou dit {_uitkomst(anders, gevolg)} zijn "
                     f"in plaats van {_uitkomst(basis, gevolg)}.",
        })
    return result


def advies_met_alternatieven(engine: Engine, casus: Casus, *, alternatieven_erbij: bool = True) -> dict[str, Any]:
    """The advies of `casus` under the ruleset in force on its peildatum; with `alternatieven_erbij`, also the
    smallest single changes that would change it (one more evaluation per candidate change)."""
    ruleset = engine.ruleset(casus.peildatum)
    result = engine.advies(casus, ruleset)
    if alternatieven_erbij:
        result["alternatieven"] = alternatieven(casus, ruleset, result)
    return result
