"""The perceel: extramuraal, semimuraal or intramuraal, or HG pakket 1 alongside existing Wmo care."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, fact
from engine.rule import rule
from engine.taal import PERCEEL_BIJVOEGLIJK
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")
GEEN_WMO = F.bestaande_wmo_zorg == "geen"


def _perceel(w: Work, perceel: str, naast: bool) -> None:
    w.set("perceel", perceel)
    w.set("naast_bestaande_wmo_zorg", naast)
    w.assert_fact(t="perceel", perceel=perceel, naast_bestaande_wmo_zorg=naast)


@rule(
    "perceel.naast_bestaande_wmo_zorg",
    bron="001 §3.2",
    beleidskeuze=True,
    fase=Fase.PERCEEL,
    niveau="hoofdlijn",
    route=HG,
    casus=fact("casus", F.bestaande_wmo_zorg.isin("semimuraal", "intramuraal")),
)
def naast_bestaande_wmo_zorg(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Ontvangen cliënten al semi-/intramurale ondersteuning bij een gecontracteerde Wmo-aanbieder en
    blijkt er huiselijk geweld te zijn, dan kan naast die ondersteuning HG pakket 1 worden
    geïndiceerd indien nodig; het gezin houdt zijn plek en zijn Wmo-arrangement (001 §3.2). Dat het
    advies dit altijd voorstelt, en dan extramuraal, is een beleidskeuze."""
    _perceel(w, "extramuraal", True)
    w.conclude(
        "extramuraal, naast de bestaande Wmo-zorg",
        [f"bestaande_wmo_zorg = {casus['bestaande_wmo_zorg']}"],
        f"Het huishouden ontvangt al {PERCEEL_BIJVOEGLIJK[casus['bestaande_wmo_zorg']]} Wmo-ondersteuning. Het "
        "houdt die plek en dat arrangement; de specialistische hulp bij huiselijk geweld kan daar, indien nodig, "
        "ambulant (extramuraal) naast komen. De indicatiesteller beoordeelt of dat nodig is.",
    )


@rule(
    "perceel.intramuraal",
    bron="002 §1.4",
    beleidskeuze=True,
    fase=Fase.PERCEEL,
    niveau="hoofdlijn",
    route=HG,
    casus=fact("casus", GEEN_WMO & (F.zelfstandig_wonen_veilig == False)),  # noqa: E712
)
def intramuraal(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Intramurale ondersteuning is voor wie vanwege de veiligheid tijdelijk niet zelfstandig kan wonen,
    met 24-uursondersteuning en toezicht (002 §1.4)."""
    _perceel(w, "intramuraal", False)
    w.conclude(
        "intramuraal",
        ["woonsituatie.zelfstandig_wonen_veilig = false"],
        "Zelfstandig wonen is op dit moment niet veilig; daarom intramurale ondersteuning: tijdelijk verblijf in "
        "een voorziening, met 24 uur per dag ondersteuning en toezicht.",
    )


@rule(
    "perceel.semimuraal",
    bron="002 §1.4",
    beleidskeuze=True,
    fase=Fase.PERCEEL,
    niveau="hoofdlijn",
    route=HG,
    casus=fact(
        "casus", GEEN_WMO & (F.zelfstandig_wonen_veilig == True) & (F.nabijheid_24u_nodig == True)  # noqa: E712
    ),
)
def semimuraal(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Semimurale ondersteuning is voor wie bij het zelfstandig wonen, vanwege de veiligheid,
    24 uur ondersteuning en toezicht in de nabijheid nodig heeft (002 §1.4)."""
    _perceel(w, "semimuraal", False)
    w.conclude(
        "semimuraal",
        ["woonsituatie.zelfstandig_wonen_veilig = true", "woonsituatie.nabijheid_24u_nodig = true"],
        "Het huishouden kan zelfstandig wonen, maar heeft voor de veiligheid 24 uur per dag ondersteuning in de "
        "nabijheid nodig; daarom semimurale ondersteuning.",
    )


@rule(
    "perceel.extramuraal",
    bron="002 §1.4",
    beleidskeuze=True,
    fase=Fase.PERCEEL,
    niveau="hoofdlijn",
    route=HG,
    casus=fact(
        "casus", GEEN_WMO & (F.zelfstandig_wonen_veilig == True) & (F.nabijheid_24u_nodig == False)  # noqa: E712
    ),
)
def extramuraal(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Extramurale ondersteuning wordt thuis of ambulant gegeven (002 §1.4)."""
    _perceel(w, "extramuraal", False)
    w.conclude(
        "extramuraal",
        ["woonsituatie.zelfstandig_wonen_veilig = true", "woonsituatie.nabijheid_24u_nodig = false"],
        "Zelfstandig wonen is veilig en er is geen 24-uursondersteuning in de nabijheid nodig; de hulp wordt "
        "thuis of ambulant gegeven (extramuraal).",
    )
