"""The actions of rules added by a scenario (`engine.regels_bij`, compiled by `engine.scenario_regels`): what each
consequence does, and why.

They work through the mechanisms of the project's own rules: a `pakket_kandidaat` for a minimum (the
deciding rule takes the highest), the `onderdelen` and `uitgesloten_onderdelen` lists and an `uitgesloten`
fact (so specialistische individuele hulp follows an excluded systeemgerichte hulp, 000 Eisen 9), the
`maatwerk` and `signaleringen` lists and the `vrije_trede` slot. Where a safety rule or the seed says
otherwise, that wins and the explanation says so (docs/decisions.md, "Rules added by a scenario").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.context import Work
from engine.regels_bij import TELLING, RegelBij
from engine.rule import Rule
from engine.taal import PERCEEL_BIJVOEGLIJK, label, met_hoofdletter, opsomming, telwoord

__all__ = ["activeer", "signaleer", "tel", "toepassen", "beletsel"]

SYSTEEM = "systeemgerichte_hulp"
_GEACTIVEERD = "scenario_regels"  # w.data: the added rules whose condition held, in firing (= regels_bij) order
_DOOR = "deze regel van het scenario"


def _zin(tekst: str) -> str:
    tekst = tekst.strip()
    return tekst if tekst[-1:] in ".!?" else tekst + "."


def _kind(lid: Any, volwassen_vanaf: int, verlengd_tot: int) -> bool:
    return bool(lid.leeftijd < volwassen_vanaf or (lid.verlengde_jeugdhulp and lid.leeftijd < verlengd_tot))


def tel(w: Work, casus: dict[str, Any]) -> None:
    """The two counts of the contract, before the pakket is decided: children in beeld (under 18, or 18-22 with
    verlengde jeugdhulp) and counted adults (the others, in beeld and meewerkend), as rules/huishouden.py
    counts them later for the budget."""
    vanaf, tot = w.param("leeftijd.volwassen_vanaf"), w.param("leeftijd.verlengde_jeugdhulp_tot")
    leden = w.casus.leden
    kinderen = sum(1 for lid in leden if _kind(lid, vanaf, tot) and lid.in_beeld)
    geteld = sum(1 for lid in leden if not _kind(lid, vanaf, tot) and lid.in_beeld and lid.meewerkend)
    w.assert_fact(t=TELLING, aantal_kinderen=kinderen, aantal_volwassenen_geteld=geteld)


def activeer(regel: RegelBij) -> Callable[..., None]:
    """The action of an added rule: remember that it holds; apply its pakket minimum now (before the pakket is
    decided), its other consequences later."""

    def action(w: Work, **feiten: dict[str, Any]) -> None:
        w.data.setdefault(_GEACTIVEERD, []).append(regel)
        if regel.dan.minimum_pakket is not None:
            _minimum(w, regel, regel.dan.minimum_pakket, feiten["perceel"])

    return action


def _minimum(w: Work, regel: RegelBij, minimum: int, perceel: dict[str, Any]) -> None:
    if perceel["naast_bestaande_wmo_zorg"]:
        pakket = w.param("bestaande_wmo_zorg.pakket")
        w.conclude(f"pakket {pakket} blijft naast de Wmo-zorg", [*regel.omdat(), "naast_bestaande_wmo_zorg = true"],
                   f"{_zin(regel.tekst)} Naast de bestaande Wmo-zorg blijft het HG-pakket {pakket} (001 §3.2); "
                   f"{_DOOR} verandert het pakket daarom niet.")
        return
    w.data.setdefault("pakket_kandidaten", []).append((regel.id, minimum))
    w.assert_fact(t="pakket_kandidaat", bron=regel.id, pakket=minimum)
    w.conclude(f"minimaal pakket {minimum}", regel.omdat(),
               f"{_zin(regel.tekst)} Volgens {_DOOR} is minimaal pakket {minimum} nodig.")


def _geactiveerd(w: Work) -> list[RegelBij]:
    found: list[RegelBij] = w.data.get(_GEACTIVEERD, [])
    return found


def toepassen(regels: Mapping[str, Rule]) -> Callable[..., None]:
    """The support rule after the onderdelen and maatwerk: each added rule's arrangement consequences, in order,
    explained under the added rule's own id."""

    def action(w: Work, route: dict[str, Any]) -> None:
        assert w.session is not None
        for regel in _geactiveerd(w):
            if regel.dan.later:
                w.begin(regels[regel.id], w.session, {})
                titels, zinnen = _gevolgen(w, regel)
                w.conclude("regel van het scenario: " + opsomming(titels), regel.omdat(),
                           " ".join([_zin(regel.tekst), *zinnen]))

    return action


def _gevolgen(w: Work, regel: RegelBij) -> tuple[list[str], list[str]]:
    titels: list[str] = []
    zinnen: list[str] = []
    dan = regel.dan
    if dan.vrije_trede:
        titels.append("vrije trede")
        if w.slots.get("vrije_trede"):
            zinnen.append("De vrije trede was al van toepassing.")
        else:
            w.set("vrije_trede", True)
            w.data["vrije_trede_door_scenario"] = True  # the samenvatting names why (engine.samenvatting)
            pakket = w.slots.get("pakket")
            referentie = f"; het budget van pakket {pakket} staat hieronder als referentie" if pakket else ""
            zinnen.append(f"Volgens {_DOOR} kan de indicatiesteller een vrije trede met een budget op maat "
                          f"toepassen en beslist daar zelf over{referentie}.")
    for onderdeel in dan.onderdeel_bij:
        titel, zin = _erbij(w, onderdeel)
        titels.append(titel)
        zinnen.append(zin)
    for onderdeel, reden in dan.onderdeel_uit:
        titels.append(f"geen {label(onderdeel)}")
        zinnen.append(_eruit(w, onderdeel, reden))
    for gebied in dan.maatwerk_bij:
        titels.append(f"maatwerk: {label(gebied)}")
        zinnen.append(_maatwerk(w, gebied))
    return titels, zinnen


def beletsel(w: Work, onderdeel: str) -> str | None:
    """Why `onderdeel` cannot be added to this advies (a safety rule, or nobody to receive it), or None."""
    geteld: list[dict[str, Any]] = w.data.get("geteld", [])
    kinderen: list[dict[str, Any]] = w.data.get("kinderen", [])
    redenen: list[str] = []
    if onderdeel == SYSTEEM:
        geweld = w.casus.geweld
        minimum = w.param("systeemgerichte_hulp.minimum_deelnemers")
        if geweld.intieme_terreur:
            redenen.append("er is sprake van intieme terreur")
        if "schadelijke_traditionele_praktijken" in geweld.vormen:
            redenen.append("er is sprake van eergerelateerd geweld")
        if not geteld:
            redenen.append("er is geen volwassene die in beeld is en meewerkt")
        elif len(geteld) + len(kinderen) < minimum:
            redenen.append(f"er nemen minder dan {telwoord(minimum)} gezinsleden deel")
    elif onderdeel in ("opvoedondersteuning", "kindgerichte_hulp") and not kinderen:
        redenen.append("er zijn geen kinderen binnen het gezin")
    elif onderdeel == "opvoedondersteuning" and not geteld:
        redenen.append("er is geen ouder of verzorger die in beeld is en meewerkt")
    elif onderdeel == "slachtofferhulp" and not any(lid["slachtoffer"] for lid in geteld):
        redenen.append("er is geen volwassen slachtoffer dat in beeld is en meewerkt")
    elif onderdeel == "plegerhulp" and not any(lid["pleger"] for lid in geteld):
        redenen.append("er is geen volwassen pleger die in beeld is en meewerkt")
    if not redenen:
        eerder = [u["reden"] for u in w.lists.get("uitgesloten_onderdelen", []) if u["onderdeel"] == onderdeel]
        if eerder:
            redenen.append(f"het is uitgesloten ({opsomming(eerder)})")
    return opsomming(redenen) or None


def _erbij(w: Work, onderdeel: str) -> tuple[str, str]:
    naam = label(onderdeel)
    if onderdeel in w.lists.get("onderdelen", ()):
        return f"{naam} erbij", f"{met_hoofdletter(naam)} wordt al ingezet."
    reden = beletsel(w, onderdeel)
    if reden is not None:
        return (f"geen {naam}", f"{met_hoofdletter(naam)} wordt toch niet ingezet: {reden}. Die uitsluiting gaat "
                                f"voor {_DOOR}.")
    w.add("onderdelen", onderdeel)
    return f"{naam} erbij", f"{met_hoofdletter(naam)} wordt toegevoegd."


def _eruit(w: Work, onderdeel: str, reden: str) -> str:
    naam = label(onderdeel)
    onderdelen = w.lists.get("onderdelen", [])
    if onderdeel not in onderdelen:
        return f"{met_hoofdletter(naam)} werd al niet ingezet; {_DOOR} verandert daar niets aan."
    onderdelen.remove(onderdeel)
    w.add("uitgesloten_onderdelen", {"onderdeel": onderdeel, "reden": reden})
    if onderdeel == SYSTEEM:  # specialistische individuele hulp takes its place (rule onderdelen.specialistische_...)
        w.assert_fact(t="uitgesloten", onderdeel=onderdeel, reden=reden)
    return f"{met_hoofdletter(naam)} wordt niet ingezet: {reden}."


def _maatwerk(w: Work, gebied: str) -> str:
    naam = label(gebied)
    perceel = w.slots.get("perceel")
    if gebied == "nachtelijke_ondersteuning" and perceel in ("semimuraal", "intramuraal"):
        return (f"Nachtelijke ondersteuning zit bij {PERCEEL_BIJVOEGLIJK[perceel]} ondersteuning al in het pakket "
                "en wordt daarom geen maatwerk.")
    if any(m["resultaatgebied"] == gebied for m in w.lists.get("maatwerk", ())):
        return f"{met_hoofdletter(naam)} staat al als maatwerk in de indicatie."
    w.add("maatwerk", {"resultaatgebied": gebied, "trede": None, "reden": "regel van het scenario"})
    return (f"{met_hoofdletter(naam)} wordt als maatwerk aan de indicatie toegevoegd; de indicatiesteller bepaalt "
            "de trede.")


def signaleer(regels: Mapping[str, Rule]) -> Callable[..., None]:
    """The support rule after the project's signals: each added rule's signal, once per code."""

    def action(w: Work, route: dict[str, Any]) -> None:
        assert w.session is not None
        for regel in _geactiveerd(w):
            if regel.dan.signalering is None:
                continue
            code, tekst = regel.dan.signalering
            w.begin(regels[regel.id], w.session, {})
            if any(s["code"] == code for s in w.lists.get("signaleringen", ())):
                w.conclude("signaal van het scenario", regel.omdat(),
                           f"{_zin(regel.tekst)} Dit signaal wordt al gegeven: {_zin(tekst)}")
                continue
            w.add("signaleringen", {"code": code, "tekst": tekst, "regel": regel.id})
            w.conclude("signaal van het scenario", regel.omdat(), f"{_zin(regel.tekst)} Signaal: {_zin(tekst)}")

    return action
