"""The weekly budget: hours per counted adult and for the children, treden, verblijf, duration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.advies import som_uren
from engine.context import RuleError, Work
from engine.dsl import F, fact
from engine.rule import rule
from rules.fasen import Fase


def _uren(w: Work, perceel: str, voor: str, pakket: int) -> float:
    pad = f"uren.{perceel}.{voor}"
    uren = w.param(pad)[pakket - 1]
    if uren is None:
        raise RuleError(f"parameter {pad} heeft geen uren voor pakket {pakket}")
    return float(uren)


def _getal(x: float) -> str:
    return f"{x:g}".replace(".", ",")


@rule(
    "budget.volwassenen",
    bron="001 §3.1; 001 §3.2",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    pakket=fact("pakket"),
    huishouden=fact("huishouden", F.volwassenen_geteld > 0),
)
def volwassenen(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """De Wmo-maatwerkondersteuning wordt gesplitst toegekend per volwassene in het gezin; een
    volwassene die buiten beeld is of niet meewerkt telt niet mee (001 §3.1)."""
    uren = _uren(w, pakket["perceel"], "volwassenen", pakket["pakket"])
    geteld: list[dict[str, Any]] = w.data["geteld"]
    for lid in geteld:
        w.add("budget.volwassenen", {"lid": lid["lid"], "uur_per_week": uren})
    totaal = som_uren(*[uren] * len(geteld))
    w.conclude(
        f"{len(geteld)} × {_getal(uren)} uur per week",
        [f"pakket = {pakket['pakket']}", f"perceel = {pakket['perceel']}", f"getelde volwassenen = {len(geteld)}"],
        f"Begeleiding volwassenen: {_getal(uren)} uur per week per getelde volwassene "
        f"({', '.join(lid['lid'] for lid in geteld)}), samen {_getal(totaal)} uur per week.",
    )


@rule(
    "budget.kinderen",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    pakket=fact("pakket"),
    huishouden=fact("huishouden", F.kinderen > 0),
)
def kinderen(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """De jeugdhulp wordt, gezien het gezinsgerichte aspect, administratief toegekend aan het jongste
    kind: één budget voor alle kinderen, niet per kind (001 §3.1)."""
    uren = _uren(w, pakket["perceel"], "kinderen", pakket["pakket"])
    jongste = w.data["jongste"]
    aantal = huishouden["kinderen"]
    w.set("budget.kinderen", {"toegekend_aan": jongste["lid"], "aantal": aantal, "uur_per_week": uren})
    w.conclude(
        f"kinderen: {_getal(uren)} uur per week, toegekend aan {jongste['lid']}",
        [f"pakket = {pakket['pakket']}", f"perceel = {pakket['perceel']}", f"aantal kinderen = {aantal}",
         f"jongste kind = {jongste['lid']} ({jongste['leeftijd']} jaar)"],
        f"Begeleiding kinderen: één budget van {_getal(uren)} uur per week voor alle {aantal} kind(eren), "
        f"administratief toegekend aan het jongste kind ({jongste['lid']}).",
    )


@rule(
    "budget.pleger_extramuraal",
    bron="001 §3.2",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    pakket=fact("pakket", F.perceel.isin("semimuraal", "intramuraal")),
    huishouden=fact("huishouden", F.pleger_geteld == True),  # noqa: E712
)
def pleger_extramuraal(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """In semi- en intramurale pakketten neemt de pleger vaak niet deel aan de ondersteuning; de helft
    van de begeleiding voor volwassenen kan dan extramuraal voor de pleger worden ingezet (001 §3.2)."""
    aandeel = w.param("semi_intramuraal.pleger_extramuraal_aandeel")
    per_volwassene = _uren(w, pakket["perceel"], "volwassenen", pakket["pakket"])
    uren = som_uren(*[per_volwassene] * len(w.data["geteld"]))
    deel = float(Decimal(repr(uren)) * Decimal(repr(aandeel)))
    w.set("budget.pleger_extramuraal", deel)
    w.conclude(
        f"{_getal(deel)} uur per week extramuraal voor de pleger",
        [f"perceel = {pakket['perceel']}", "een getelde volwassene is pleger"],
        f"De pleger neemt meestal niet deel aan de {pakket['perceel']}e ondersteuning; van de {_getal(uren)} uur "
        f"begeleiding volwassenen kan {_getal(deel)} uur per week extramuraal aan de pleger besteed worden "
        "(dit is een deel van het budget, geen extra budget).",
    )


def _treden(w: Work, perceel: str, pakket: int) -> None:
    ondersteuning = w.param(f"treden.{perceel}.ondersteuning")[pakket - 1]
    nachtelijk = w.param(f"treden.{perceel}.nachtelijk")[pakket - 1]
    if ondersteuning is None or nachtelijk is None:
        raise RuleError(f"parameters treden.{perceel} hebben geen trede voor pakket {pakket}")
    sleutel = "semimurale_ondersteuning" if perceel == "semimuraal" else "intramurale_ondersteuning"
    treden = {"semimurale_ondersteuning": None, "intramurale_ondersteuning": None, "nachtelijke_ondersteuning": None}
    treden[sleutel] = ondersteuning
    treden["nachtelijke_ondersteuning"] = nachtelijk
    ma_vr, weekend = w.param("trede_diensturen.maandag_vrijdag"), w.param("trede_diensturen.weekend")
    diensturen = {sleutel: ma_vr[ondersteuning - 1] + weekend[ondersteuning - 1],
                  "nachtelijke_ondersteuning": ma_vr[nachtelijk - 1] + weekend[nachtelijk - 1]}
    w.set("budget.treden", treden)
    w.set("budget.trede_diensturen_per_week", diensturen)
    w.conclude(
        f"{perceel}e ondersteuning trede {ondersteuning}, nachtelijke ondersteuning trede {nachtelijk}",
        [f"perceel = {perceel}", f"pakket = {pakket}"],
        f"Bij pakket {pakket} {perceel} hoort {perceel}e ondersteuning in trede {ondersteuning} "
        f"({diensturen[sleutel]} diensturen per week in de voorziening) en nachtelijke ondersteuning in trede "
        f"{nachtelijk} ({diensturen['nachtelijke_ondersteuning']} diensturen per week). Sociaal en persoonlijk "
        "functioneren en ondersteuning bij zelfzorg en gezondheid zitten daarin inbegrepen.",
    )


@rule("budget.treden_semimuraal", bron="001 §3.2; 001 §3.3", beleidskeuze=False, fase=Fase.BUDGET,
      pakket=fact("pakket", F.perceel == "semimuraal"))
def treden_semimuraal(w: Work, pakket: dict[str, Any]) -> None:
    """Semimurale HG-arrangementen: semimurale ondersteuning trede 2 (pakket 2) of 3 (pakket 3) en
    nachtelijke ondersteuning trede 2; de treden zijn een personeelsbezetting (001 §3.2, §3.3)."""
    _treden(w, "semimuraal", pakket["pakket"])


@rule("budget.treden_intramuraal", bron="001 §3.2; 001 §3.3", beleidskeuze=False, fase=Fase.BUDGET,
      pakket=fact("pakket", F.perceel == "intramuraal"))
def treden_intramuraal(w: Work, pakket: dict[str, Any]) -> None:
    """Intramurale HG-arrangementen: intramurale ondersteuning trede 2 (pakket 2) of 3 (pakket 3) en
    nachtelijke ondersteuning trede 3 (001 §3.2, §3.3)."""
    _treden(w, "intramuraal", pakket["pakket"])


@rule("budget.verblijf", bron="001 §3.2", beleidskeuze=False, fase=Fase.BUDGET,
      pakket=fact("pakket", F.perceel == "intramuraal"))
def verblijf(w: Work, pakket: dict[str, Any]) -> None:
    """Intramuraal wordt het verblijf vergoed: een vast budget per volwassen cliënt en per meekomend
    kind (001 §3.2). De pleger neemt meestal niet deel aan de intramurale ondersteuning."""
    clienten = [lid for lid in w.data["geteld"] if not lid["pleger"]]
    kinderen = len(w.data["kinderen"])
    w.set("budget.verblijf", {"volwassen_clienten": len(clienten), "meekomende_kinderen": kinderen})
    w.conclude(
        f"verblijf voor {len(clienten)} volwassene(n) en {kinderen} kind(eren)",
        ["perceel = intramuraal", f"getelde volwassenen zonder plegerrol = {len(clienten)}",
         f"aantal kinderen = {kinderen}"],
        f"Intramuraal wordt het verblijf vergoed: een vast budget per volwassen cliënt ({len(clienten)}) en per "
        f"meekomend kind ({kinderen}). De pleger verblijft er doorgaans niet.",
    )


@rule("duur.richtlijn", bron="001 §3.1", beleidskeuze=False, fase=Fase.DUUR,
      route=fact("route", F.route == "hg_arrangement"))
def duur(w: Work, route: dict[str, Any]) -> None:
    """Als richtlijn duurt een HG-arrangement 1 jaar, met tussentijds op- en afschalen door de
    indicatiesteller; GGZ voor volwassenen gaat zo nodig via de Zorgverzekeringswet (001 §3.1)."""
    maanden = w.param("duur.richtlijn_maanden")
    w.set("duur_maanden", maanden)
    w.conclude(
        f"{maanden} maanden",
        ["route = hg_arrangement"],
        f"De richtlijn voor de duur is {maanden} maanden; de indicatiesteller kan tussentijds op- of afschalen.",
    )
