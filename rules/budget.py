"""The weekly budget: hours per counted adult and for the children, treden, verblijf, duration, and the
budget over the looptijd with its cost where tariffs are set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.advies import som_uren, weektotaal
from engine.context import RuleError, Work
from engine.dsl import F, fact
from engine.rule import rule
from engine.taal import PERCEEL_BIJVOEGLIJK, aantal, euro, getal, opsomming, uren
from rules.fasen import Fase
from rules.huishouden import pleger_alleen
from rules.kosten import kosten

HG = fact("route", F.route == "hg_arrangement")


def uren_per_pakket(w: Work, perceel: str, voor: str, pakket: int) -> float:
    pad = f"uren.{perceel}.{voor}"
    waarde = w.param(pad)[pakket - 1]
    if waarde is None:
        raise RuleError(f"parameter {pad} heeft geen uren voor pakket {pakket}")
    return float(waarde)


@rule(
    "budget.volwassenen",
    bron="001 §3.1; 001 §3.2",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    niveau="hoofdlijn",
    pakket=fact("pakket"),
    huishouden=fact("huishouden", F.volwassenen_geteld > 0),
)
def volwassenen(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """De Wmo-maatwerkondersteuning wordt gesplitst toegekend per volwassene in het gezin; een
    volwassene die buiten beeld is of niet meewerkt telt niet mee (001 §3.1)."""
    per_volwassene = uren_per_pakket(w, pakket["perceel"], "volwassenen", pakket["pakket"])
    geteld: list[dict[str, Any]] = w.data["geteld"]
    for lid in geteld:
        w.add("budget.volwassenen", {"lid": lid["lid"], "uur_per_week": per_volwassene})
    totaal = som_uren(*[per_volwassene] * len(geteld))
    samen = f", samen {uren(totaal)} per week" if len(geteld) > 1 else ""
    w.conclude(
        f"begeleiding volwassenen: {uren(per_volwassene)} per week per volwassene",
        [f"pakket = {pakket['pakket']}", f"perceel = {pakket['perceel']}", f"getelde volwassenen = {len(geteld)}"],
        f"Begeleiding van volwassenen: {uren(per_volwassene)} per week voor elke volwassene die meetelt "
        f"({opsomming(lid['lid'] for lid in geteld)}){samen}.",
    )


@rule(
    "budget.kinderen",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    niveau="hoofdlijn",
    pakket=fact("pakket"),
    huishouden=fact("huishouden", F.kinderen > 0),
)
def kinderen(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """De jeugdhulp wordt, gezien het gezinsgerichte aspect, administratief toegekend aan het jongste
    kind binnen het gezin: één budget voor alle kinderen, niet per kind (001 §3.1)."""
    per_week = uren_per_pakket(w, pakket["perceel"], "kinderen", pakket["pakket"])
    jongste = w.data["jongste"]
    n = huishouden["kinderen"]
    w.set("budget.kinderen", {"toegekend_aan": jongste["lid"], "aantal": n, "uur_per_week": per_week})
    voor_wie = "het kind" if n == 1 else f"alle {n} kinderen samen"
    w.conclude(
        f"begeleiding kinderen: {uren(per_week)} per week, toegekend aan {jongste['lid']}",
        [f"pakket = {pakket['pakket']}", f"perceel = {pakket['perceel']}", f"aantal kinderen = {n}",
         f"jongste kind = {jongste['lid']} ({jongste['leeftijd']} jaar)"],
        f"Begeleiding van kinderen: één budget van {uren(per_week)} per week voor {voor_wie}, administratief "
        f"toegekend aan het jongste kind binnen het gezin ({jongste['lid']}).",
    )


@rule(
    "budget.pleger_extramuraal",
    bron="001 §3.2",
    beleidskeuze=False,
    fase=Fase.BUDGET,
    niveau="hoofdlijn",
    pakket=fact("pakket", F.perceel.isin("semimuraal", "intramuraal")),
    huishouden=fact("huishouden", F.pleger_alleen_geteld == True),  # noqa: E712
)
def pleger_extramuraal(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """In semi- en intramurale pakketten neemt de pleger vaak niet deel aan de ondersteuning; de helft
    van de begeleiding voor volwassenen kan dan extramuraal voor de pleger worden ingezet (001 §3.2).
    Een slachtoffer dat ook pleger is, is cliënt; en de helft is nooit meer dan de eigen begeleiding
    van de plegers (beleidskeuze, domain.md ronde twee)."""
    aandeel = w.param("semi_intramuraal.pleger_extramuraal_aandeel")
    per_volwassene = uren_per_pakket(w, pakket["perceel"], "volwassenen", pakket["pakket"])
    geteld: list[dict[str, Any]] = w.data["geteld"]
    plegers = [lid for lid in geteld if pleger_alleen(lid)]
    totaal = som_uren(*[per_volwassene] * len(geteld))
    helft = float(Decimal(repr(totaal)) * Decimal(repr(aandeel)))
    eigen = som_uren(*[per_volwassene] * len(plegers))
    deel = min(helft, eigen)
    w.set("budget.pleger_extramuraal", deel)
    wie = opsomming(lid["lid"] for lid in plegers)
    begrensd = (f" Dat is begrensd tot de eigen begeleiding van {wie} ({uren(eigen)}), want de helft "
                f"({uren(helft)}) zou meer zijn." if helft > eigen else "")
    w.conclude(
        f"{uren(deel)} per week extramuraal voor de pleger",
        [f"perceel = {pakket['perceel']}", "een getelde volwassene is alleen pleger"],
        f"De pleger ({wie}) neemt meestal niet deel aan de {PERCEEL_BIJVOEGLIJK[pakket['perceel']]} ondersteuning. "
        f"Van de {uren(totaal)} begeleiding van volwassenen kan {uren(deel)} per week extramuraal aan de pleger "
        f"besteed worden; dit is een deel van het budget, geen extra budget.{begrensd}",
    )


def _treden(w: Work, perceel: str, pakket: int) -> None:
    ondersteuning = w.param(f"treden.{perceel}.ondersteuning")[pakket - 1]
    nachtelijk = w.param(f"treden.{perceel}.nachtelijk")[pakket - 1]
    if ondersteuning is None or nachtelijk is None:
        raise RuleError(f"parameters treden.{perceel} hebben geen trede voor pakket {pakket}")
    sleutel = f"{PERCEEL_BIJVOEGLIJK[perceel]}_ondersteuning"
    treden = {"semimurale_ondersteuning": None, "intramurale_ondersteuning": None, "nachtelijke_ondersteuning": None}
    treden[sleutel] = ondersteuning
    treden["nachtelijke_ondersteuning"] = nachtelijk
    w.set("budget.treden", treden)
    soort = PERCEEL_BIJVOEGLIJK[perceel]
    w.conclude(
        f"{soort} ondersteuning in trede {ondersteuning}, nachtelijke ondersteuning in trede {nachtelijk}",
        [f"perceel = {perceel}", f"pakket = {pakket}"],
        f"Bij pakket {pakket} {perceel} hoort {soort} ondersteuning in trede {ondersteuning} en nachtelijke "
        f"ondersteuning in trede {nachtelijk}. Sociaal en persoonlijk functioneren en ondersteuning bij zelfzorg "
        "en gezondheid zitten daarin inbegrepen.",
    )


@rule("budget.treden_semimuraal", bron="001 §3.2; 001 §3.3", beleidskeuze=False, fase=Fase.BUDGET,
      niveau="hoofdlijn", pakket=fact("pakket", F.perceel == "semimuraal"))
def treden_semimuraal(w: Work, pakket: dict[str, Any]) -> None:
    """Semimurale HG-arrangementen: semimurale ondersteuning trede 2 (pakket 2) of 3 (pakket 3) en
    nachtelijke ondersteuning trede 2; de treden zijn een personeelsbezetting (001 §3.2, §3.3)."""
    _treden(w, "semimuraal", pakket["pakket"])


@rule("budget.treden_intramuraal", bron="001 §3.2; 001 §3.3", beleidskeuze=False, fase=Fase.BUDGET,
      niveau="hoofdlijn", pakket=fact("pakket", F.perceel == "intramuraal"))
def treden_intramuraal(w: Work, pakket: dict[str, Any]) -> None:
    """Intramurale HG-arrangementen: intramurale ondersteuning trede 2 (pakket 2) of 3 (pakket 3) en
    nachtelijke ondersteuning trede 3 (001 §3.2, §3.3)."""
    _treden(w, "intramuraal", pakket["pakket"])


@rule("budget.trede_diensturen", bron="001 §3.3", beleidskeuze=True, fase=Fase.DUUR,
      pakket=fact("pakket", F.perceel.isin("semimuraal", "intramuraal")))
def trede_diensturen(w: Work, pakket: dict[str, Any]) -> None:
    """De treden zijn een personeelsbezetting met een aantal diensturen per week (001 §3.3). Dat die
    diensturen ook voor de trede van de nachtelijke ondersteuning gelden, is een beleidskeuze."""
    treden: dict[str, int | None] | None = w.slots.get("budget.treden")
    if treden is None:  # the treden rules are switched off by a scenario
        return
    ma_vr, weekend = w.param("trede_diensturen.maandag_vrijdag"), w.param("trede_diensturen.weekend")
    diensturen = {soort: ma_vr[t - 1] + weekend[t - 1] for soort, t in treden.items() if t is not None}
    w.set("budget.trede_diensturen_per_week", diensturen)
    delen = [f"{soort.replace('_', ' ')} trede {treden[soort]}: {n} diensturen per week"
             for soort, n in diensturen.items()]
    w.conclude(
        "diensturen per trede",
        [f"{soort} = trede {t}" for soort, t in treden.items() if t is not None],
        f"Een trede is de personeelsbezetting van de voorziening: {opsomming(delen)}.",
    )


@rule("budget.verblijf", bron="001 §3.2", beleidskeuze=True, fase=Fase.BUDGET, niveau="hoofdlijn",
      pakket=fact("pakket", F.perceel == "intramuraal"))
def verblijf(w: Work, pakket: dict[str, Any]) -> None:
    """Intramuraal wordt het verblijf vergoed: een vast budget per volwassen cliënt en per meekomend
    kind (001 §3.2). Wie meekomt, is een beleidskeuze: standaard de kinderen binnen het gezin en de
    getelde volwassenen die niet alleen pleger zijn, tenzij de indicatiesteller anders opgeeft."""
    mee: set[str] = w.data["verblijven_mee"]
    clienten = [lid for lid in w.data["geteld"] if lid["lid"] in mee]
    kinderen_mee: list[dict[str, Any]] = w.data["kinderen_verblijf"]
    w.set("budget.verblijf", {"volwassen_clienten": len(clienten), "meekomende_kinderen": len(kinderen_mee)})
    wie = opsomming([lid["lid"] for lid in clienten] + [lid["lid"] for lid in kinderen_mee])
    w.conclude(
        f"verblijf voor {aantal(len(clienten), 'volwassen cliënt', 'volwassen cliënten')} en "
        f"{aantal(len(kinderen_mee), 'meekomend kind', 'meekomende kinderen')}",
        ["perceel = intramuraal", f"volwassen cliënten = {len(clienten)}", f"meekomende kinderen = {len(kinderen_mee)}"],
        f"Intramuraal wordt het verblijf vergoed, per volwassen cliënt en per meekomend kind: "
        f"{aantal(len(clienten), 'volwassen cliënt', 'volwassen cliënten')} en "
        f"{aantal(len(kinderen_mee), 'meekomend kind', 'meekomende kinderen')}"
        + (f" ({wie})." if wie else ".")
        + " Wie niet meekomt, zoals een pleger of een gezinslid dat thuis blijft, telt niet mee.",
    )


@rule("duur.richtlijn", bron="001 §3.1", beleidskeuze=True, fase=Fase.DUUR, niveau="hoofdlijn", route=HG)
def duur(w: Work, route: dict[str, Any]) -> None:
    """Als richtlijn duurt een HG-arrangement 1 jaar, met tussentijds op- en afschalen door de
    indicatiesteller (001 §3.1). Dat het advies altijd deze richtlijn als duur noemt, is een beleidskeuze."""
    maanden = w.param("duur.richtlijn_maanden")
    w.set("duur_maanden", maanden)
    w.conclude(
        f"{maanden} maanden",
        ["route = hg_arrangement"],
        f"De richtlijn voor de duur is {maanden} maanden; de indicatiesteller kan tussentijds op- of afschalen.",
    )


@rule("budget.looptijd", bron="001 §3.1 noot 2; 001 §4", beleidskeuze=True, fase=Fase.LOOPTIJD,
      niveau="hoofdlijn", route=HG)
def looptijd(w: Work, route: dict[str, Any]) -> None:
    """De uren bepalen alleen de omvang van het weekbudget: de gemeente indiceert resultaten, geen uren
    (001 §3.1 noot 2). Het budget over de looptijd is het weekbudget maal het aantal weken; de kosten
    volgen uit de tarieven (001 §4), zodra die zijn vastgesteld."""
    maanden = w.slots.get("duur_maanden")
    if maanden is None:  # duur.richtlijn is switched off by a scenario: no looptijd to speak of
        return
    per_week = weektotaal(w.slots, w.lists)
    weken = maanden * 52 / 12
    w.set("budget.looptijd", {"weken": weken, "uren": per_week * weken})
    berekend = kosten(w, maanden)
    w.set("budget.kosten", berekend)
    tekst = (f"Het weekbudget is {uren(per_week)}; over de looptijd van {maanden} maanden "
             f"({getal(weken)} weken) is dat {uren(per_week * weken)}. De uren bepalen alleen de omvang van het "
             "weekbudget: de gemeente indiceert resultaten, geen uren, en de aanbieder en het gezin bepalen samen "
             "hoe het budget wordt ingezet.")
    if berekend is None:
        tekst += " Er zijn nog geen tarieven vastgesteld, dus de kosten zijn niet berekend."
    else:
        tekst += (f" Met de vastgestelde tarieven kost dit {euro(berekend['per_week'])} per week en "
                  f"{euro(berekend['looptijd'])} over de looptijd")
        tekst += "." if berekend["volledig"] else (
            "; zonder tarief en dus niet meegerekend: " + opsomming(d.replace("_", " ") for d in berekend["zonder_tarief"])
            + ".")
    titel = f"{uren(per_week * weken)} over {maanden} maanden"
    if berekend is not None:
        titel += f", {euro(berekend['looptijd'])}"
    w.conclude(titel, [f"duur_maanden = {maanden}",
               f"totaal uur per week = {getal(per_week)}"], tekst)
