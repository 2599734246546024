"""Scope, direct safety, HG-arrangement or basishulp, and who indicates (steps 1-4 of the decision)."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from engine.taal import opsomming
from rules.fasen import Fase

# An HG-arrangement fits structural unsafety AND a need for long-term or more specialist help.
LANGDURIG_OF_SPECIALISTISCH = (
    (F.verwachte_duur_maanden >= P("toegang.minimale_duur_maanden"))
    | (F.specialistisch == True)  # noqa: E712
    | (F.zelfstandig_wonen_veilig == False)  # noqa: E712
    | (F.nabijheid_24u_nodig == True)  # noqa: E712
)
BINNEN = F.binnen_huiselijke_kring == True  # noqa: E712
ARRANGEMENT = BINNEN & (F.structureel == True) & LANGDURIG_OF_SPECIALISTISCH  # noqa: E712


@rule(
    "scope.buiten_huiselijke_kring",
    bron="002 §1.3",
    beleidskeuze=False,
    fase=Fase.SCOPE,
    niveau="hoofdlijn",
    casus=fact("casus", F.binnen_huiselijke_kring == False),  # noqa: E712
)
def buiten_huiselijke_kring(w: Work, casus: dict[str, Any]) -> None:
    """Geweld buiten de huiselijke kring (bijvoorbeeld op school) vraagt een strafrechtelijke aanpak
    en valt buiten het HG-arrangement (002 §1.3, 000 Definitie)."""
    w.set("route", "buiten_scope")
    w.assert_fact(t="route", route="buiten_scope")
    w.add("signaleringen", {
        "code": "strafrechtelijke_aanpak",
        "tekst": "Het geweld komt niet uit de huiselijke of familiekring: dit vraagt een strafrechtelijke aanpak "
        "(politie en justitie), geen HG-arrangement.",
        "regel": "scope.buiten_huiselijke_kring",
    })
    w.conclude(
        "buiten scope: strafrechtelijke aanpak",
        ["geweld.binnen_huiselijke_kring = false"],
        "Het geweld wordt niet gepleegd door iemand uit de huiselijke of familiekring. Huiselijk gaat over de "
        "relatie, niet over de plaats; dit valt buiten het HG-arrangement en vraagt een strafrechtelijke aanpak.",
    )


@rule(
    "veiligheid.directe_veiligheid_eerst",
    bron="000 Leidende principes; 004",
    beleidskeuze=False,
    fase=Fase.VEILIGHEID,
    niveau="hoofdlijn",
    casus=fact("casus", F.acuut == True),  # noqa: E712
)
def directe_veiligheid_eerst(w: Work, casus: dict[str, Any]) -> None:
    """Eerst directe veiligheid, dan stabiele veiligheid, dan duurzaam herstel (000, 004): bij acuut
    gevaar gaat crisisinterventie voor elk arrangement; het advies geldt voor de vervolghulp."""
    w.set("directe_veiligheid_eerst", True)
    w.set("fase", "directe_veiligheid")
    w.add("signaleringen", {
        "code": "crisis_directe_veiligheid",
        "tekst": "Acuut gevaar: eerst directe veiligheid (Veilig Thuis crisisdienst, crisisopvang, tijdelijk "
        "huisverbod). Dit advies geldt voor de hulp daarna.",
        "regel": "veiligheid.directe_veiligheid_eerst",
    })
    w.conclude(
        "directe veiligheid eerst",
        ["veiligheid.acuut = true"],
        "Er is acuut gevaar. Eerst moet de directe veiligheid geregeld worden (crisisdienst van Veilig Thuis, "
        "crisisopvang of een tijdelijk huisverbod); het huishouden is in de fase directe veiligheid. Het advies "
        "hieronder is voor de hulp daarna.",
    )


@rule(
    "toegang.hg_arrangement",
    bron="001 §1; 002 §1.6",
    beleidskeuze=True,
    fase=Fase.TOEGANG,
    niveau="hoofdlijn",
    casus=fact("casus", ARRANGEMENT),
)
def hg_arrangement(w: Work, casus: dict[str, Any]) -> None:
    """Een HG-arrangement past bij structurele onveiligheid en een onstabiele thuissituatie, én
    langdurige (richtlijn: 1 jaar of langer) of meer specialistische inzet, waaronder semi- of
    intramurale ondersteuning (001 §1, 002 §1.6). De combinatie is een beleidskeuze."""
    w.set("route", "hg_arrangement")
    w.assert_fact(t="route", route="hg_arrangement")
    minimum = w.param("toegang.minimale_duur_maanden")
    redenen, omdat = [], ["geweld.structureel = true"]
    if casus["verwachte_duur_maanden"] >= minimum:
        redenen.append(f"de hulp duurt naar verwachting {casus['verwachte_duur_maanden']} maanden "
                       f"(vanaf {minimum} maanden geldt de hulp als langdurig)")
        omdat.append(f"inzet.verwachte_duur_maanden = {casus['verwachte_duur_maanden']}")
    lezing = ""
    if casus["verwachte_duur_maanden"] >= minimum:
        lezing = (f" Dat langdurig hier {minimum} maanden of meer betekent, is een lezing van de bronnen: 001 §1 "
                  "noemt 1 jaar of langer, 002 §1.6 langer dan 1 jaar.")
    if casus["specialistisch"]:
        redenen.append("er is specialistische hulp nodig")
        omdat.append("inzet.specialistisch = true")
    if not casus["zelfstandig_wonen_veilig"]:
        redenen.append("zelfstandig wonen is niet veilig")
        omdat.append("woonsituatie.zelfstandig_wonen_veilig = false")
    if casus["nabijheid_24u_nodig"]:
        redenen.append("er is 24-uursondersteuning in de nabijheid nodig")
        omdat.append("woonsituatie.nabijheid_24u_nodig = true")
    w.conclude(
        "HG-arrangement",
        omdat,
        "Er is sprake van structurele onveiligheid en " + opsomming(redenen) + "; daarom past een "
        "HG-arrangement in plaats van kortdurende basishulp door het wijkteam." + lezing,
    )


@rule(
    "toegang.basishulp",
    bron="001 §1",
    beleidskeuze=True,
    fase=Fase.TOEGANG,
    niveau="hoofdlijn",
    casus=fact("casus", BINNEN & ~ARRANGEMENT),
)
def basishulp(w: Work, casus: dict[str, Any]) -> None:
    """Ondersteuning bij huiselijk geweld kan als basishulp kortdurend door het wijkteam worden
    gegeven; die is in principe na 6 tot 9 maanden afgerond (001 §1, noot 1)."""
    w.set("route", "basishulp_wijkteam")
    w.assert_fact(t="route", route="basishulp_wijkteam")
    if not casus["structureel"]:
        omdat = ["geweld.structureel = false"]
        reden = "de onveiligheid niet structureel is"
    else:
        minimum = w.param("toegang.minimale_duur_maanden")
        omdat = [
            f"inzet.verwachte_duur_maanden = {casus['verwachte_duur_maanden']}",
            "inzet.specialistisch = false",
            "woonsituatie.zelfstandig_wonen_veilig = true",
            "woonsituatie.nabijheid_24u_nodig = false",
        ]
        reden = (f"de hulp korter duurt dan {minimum} maanden, niet specialistisch is en er geen semi- of "
                 "intramurale ondersteuning nodig is")
    w.conclude(
        "basishulp door het wijkteam",
        omdat,
        f"Omdat {reden}, past kortdurende basishulp door het wijkteam (in principe binnen 6 tot 9 maanden "
        "afgerond) en geen HG-arrangement.",
    )


@rule(
    "instantie.stedelijk_loket",
    bron="001 §1",
    beleidskeuze=False,
    fase=Fase.INSTANTIE,
    casus=fact("casus", F.dakloos == True),  # noqa: E712
)
def stedelijk_loket(w: Work, casus: dict[str, Any]) -> None:
    """Indicaties voor dak- en thuisloze gezinnen worden gesteld door de stedelijke loketten (001 §1)."""
    w.set("indicerende_instantie", "stedelijk_loket")
    w.conclude(
        "indicatie door het stedelijk loket",
        ["woonsituatie.dakloos = true"],
        "Het huishouden is dak- of thuisloos; de indicatie wordt gesteld door de indicatiestellers van de "
        "stedelijke loketten.",
    )


@rule(
    "instantie.wijkteam",
    bron="001 §1",
    beleidskeuze=False,
    fase=Fase.INSTANTIE,
    casus=fact("casus", F.dakloos == False),  # noqa: E712
)
def wijkteam(w: Work, casus: dict[str, Any]) -> None:
    """Het wijkteam indiceert het HG-arrangement (001 §1)."""
    w.set("indicerende_instantie", "wijkteam")
    w.conclude(
        "indicatie door het wijkteam",
        ["woonsituatie.dakloos = false"],
        "Het huishouden is niet dak- of thuisloos; het wijkteam stelt de indicatie.",
    )
