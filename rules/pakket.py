"""Pakket zwaarte: the matrix, its minimums, pakket 1 alongside Wmo care, and the vrije trede."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from engine.taal import PERCEEL_BIJVOEGLIJK, RISICO
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")


def _kandidaat(w: Work, bron: str, pakket: int) -> None:
    w.data.setdefault("pakket_kandidaten", []).append((bron, pakket))
    w.assert_fact(t="pakket_kandidaat", bron=bron, pakket=pakket)


@rule(
    "pakket.matrix",
    bron="002 §1.5",
    beleidskeuze=True,
    fase=Fase.PAKKET_BASIS,
    niveau="hoofdlijn",
    perceel=fact("perceel", F.naast_bestaande_wmo_zorg == False),  # noqa: E712
    casus=fact("casus"),
)
def matrix(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """De zwaarte van het pakket volgt uit de combinatie van veiligheid en vaardigheden/leerbaarheid:
    het ontbreken van vaardigheden verzwaart (een rustige situatie kan snel escaleren), aanwezige
    vaardigheden kunnen een dreigende situatie verlichten (002 §1.5). De tabel is een beleidskeuze:
    de wegingstabel van bijlage 4 is niet gepubliceerd."""
    niveau, vaardigheden = casus["niveau"], casus["vaardigheden"]
    pakket = w.param(f"pakket_matrix.{niveau}.{vaardigheden}")
    _kandidaat(w, "matrix", pakket)
    w.conclude(
        f"pakket {pakket}",
        [f"veiligheid.niveau = {niveau}", f"vaardigheden = {vaardigheden}"],
        f"Het veiligheidsrisico is {RISICO[niveau]} en de vaardigheden en leerbaarheid zijn {vaardigheden}. "
        f"Volgens de tabel van veiligheidsrisico en vaardigheden hoort daar pakket {pakket} bij.",
    )


@rule(
    "pakket.minimum_intieme_terreur",
    bron="003 §3.4",
    beleidskeuze=True,
    fase=Fase.PAKKET_MINIMUM,
    niveau="hoofdlijn",
    kandidaat=fact("pakket_kandidaat", (F.bron == "matrix") & (F.pakket < P("intieme_terreur.minimum_pakket"))),
    casus=fact("casus", F.intieme_terreur == True),  # noqa: E712
)
def minimum_intieme_terreur(w: Work, kandidaat: dict[str, Any], casus: dict[str, Any]) -> None:
    """Bij intieme terreur is intensieve bescherming en specialistische individuele hulp nodig en is
    systeemgerichte hulp uitgesloten (000 Doelen 3, Eisen 9; 003 §3.4 profiel 1); daarom minimaal
    het ingestelde pakket (beleidskeuze)."""
    minimum = w.param("intieme_terreur.minimum_pakket")
    _kandidaat(w, "intieme_terreur", minimum)
    w.conclude(
        f"minimaal pakket {minimum}",
        ["geweld.intieme_terreur = true", f"pakket (matrix) = {kandidaat['pakket']}"],
        f"Er is sprake van intieme terreur (dwangmatige controle). Dat vraagt intensieve bescherming en "
        f"specialistische hulp; daarom wordt pakket {kandidaat['pakket']} verhoogd naar pakket {minimum}.",
    )


@rule(
    "pakket.minimum_semi_intramuraal",
    bron="001 §3.2",
    beleidskeuze=False,
    fase=Fase.PAKKET_MINIMUM,
    niveau="hoofdlijn",
    kandidaat=fact("pakket_kandidaat", (F.bron == "matrix") & (F.pakket < P("semi_intramuraal.minimum_pakket"))),
    perceel=fact("perceel", F.perceel.isin("semimuraal", "intramuraal")),
)
def minimum_semi_intramuraal(w: Work, kandidaat: dict[str, Any], perceel: dict[str, Any]) -> None:
    """Bij semi- en intramurale HG-arrangementen is gekozen voor pakket 2 of 3: pakket 1 is niet van
    toepassing op deze (zware) doelgroep (001 §3.2)."""
    minimum = w.param("semi_intramuraal.minimum_pakket")
    _kandidaat(w, "semi_intramuraal", minimum)
    w.conclude(
        f"minimaal pakket {minimum}",
        [f"perceel = {perceel['perceel']}", f"pakket (matrix) = {kandidaat['pakket']}"],
        f"Bij {PERCEEL_BIJVOEGLIJK[perceel['perceel']]} ondersteuning bestaat pakket 1 niet; pakket "
        f"{kandidaat['pakket']} wordt verhoogd naar pakket {minimum}.",
    )


@rule(
    "pakket.bestaande_wmo_zorg",
    bron="001 §3.2",
    beleidskeuze=True,
    fase=Fase.PAKKET_BASIS,
    niveau="hoofdlijn",
    perceel=fact("perceel", F.naast_bestaande_wmo_zorg == True),  # noqa: E712
)
def bestaande_wmo_zorg(w: Work, perceel: dict[str, Any]) -> None:
    """Naast reguliere semi-/intramurale Wmo-ondersteuning kan HG pakket 1 worden geïndiceerd, indien nodig
    (001 §3.2). Dat het advies dit pakket altijd voorstelt, is een beleidskeuze."""
    pakket = w.param("bestaande_wmo_zorg.pakket")
    _kandidaat(w, "bestaande_wmo_zorg", pakket)
    w.conclude(
        f"pakket {pakket} naast de Wmo-zorg",
        ["naast_bestaande_wmo_zorg = true"],
        f"Naast de bestaande semi- of intramurale Wmo-ondersteuning kan HG pakket {pakket} worden geïndiceerd, "
        "indien nodig: specialistische ondersteuning bij huiselijk geweld zonder dat het gezin van plek hoeft te "
        "wisselen.",
    )


@rule("pakket.vastgesteld", bron="002 §1.5; 001 §3.2", beleidskeuze=False, fase=Fase.PAKKET_VAST,
      niveau="hoofdlijn", perceel=fact("perceel"))
def vastgesteld(w: Work, perceel: dict[str, Any]) -> None:
    """Het pakket is het hoogste van de matrix en de minima; naast bestaande Wmo-zorg is het pakket 1."""
    kandidaten: list[tuple[str, int]] = w.data.get("pakket_kandidaten", [])
    if not kandidaten:
        return
    wmo = [p for bron, p in kandidaten if bron == "bestaande_wmo_zorg"]
    pakket = wmo[0] if wmo else max(p for _, p in kandidaten)
    w.set("pakket", pakket)
    w.assert_fact(t="pakket", pakket=pakket, perceel=perceel["perceel"])
    w.conclude(
        f"pakket {pakket}",
        [f"{bron}: pakket {p}" for bron, p in kandidaten],
        f"Het geadviseerde pakket is pakket {pakket}, {perceel['perceel']}.",
    )


@rule(
    "pakket.vrije_trede",
    bron="001 §3.1",
    beleidskeuze=True,
    fase=Fase.VRIJE_TREDE,
    niveau="hoofdlijn",
    pakket=fact("pakket", F.perceel == "extramuraal"),
    huishouden=fact("huishouden", F.kinderen > P("vrije_trede.meer_dan_kinderen")),
)
def vrije_trede(w: Work, pakket: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Past de indeling in een vast pakket niet, bijvoorbeeld bij grote gezinnen met meer dan 3 kinderen,
    dan kan een vrije trede met een budget op maat worden toegepast, bepaald door de indicatiesteller
    (001 §3.1). Dat het advies de vrije trede voorstelt bij meer dan het ingestelde aantal kinderen, is een
    beleidskeuze: de bron geeft het als voorbeeld en laat de beslissing aan de indicatiesteller."""
    grens = w.param("vrije_trede.meer_dan_kinderen")
    w.set("vrije_trede", True)
    w.conclude(
        "vrije trede",
        [f"aantal kinderen = {huishouden['kinderen']}", "perceel = extramuraal"],
        f"Binnen het gezin zijn er {huishouden['kinderen']} kinderen, meer dan {grens}. De bron noemt een groot "
        "gezin als voorbeeld waarbij een vast pakket niet past; de indicatiesteller kan dan een vrije trede met "
        "een budget op maat toepassen en beslist daar zelf over. Het budget van pakket "
        f"{pakket['pakket']} staat hieronder als referentie.",
    )
