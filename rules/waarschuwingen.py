"""Waarschuwingen: input that is allowed but implausible or contradictory, named instead of silently used.

A warning never changes the advice; it asks the indicatiesteller to check the input (domain.md, round
two). They are given on every route and are not explanation steps: they are about the input, not a
conclusion. Which combinations are implausible is a beleidskeuze.
"""

from __future__ import annotations

import bisect
from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from rules.fasen import Fase
from rules.feiten import VORMEN

GEEN_VORM = F.vorm_fysiek == False  # noqa: E712
for _vorm in VORMEN[1:]:
    GEEN_VORM = GEEN_VORM & (getattr(F, f"vorm_{_vorm}") == False)  # noqa: E712


VOLGORDE = ("acuut_bij_laag_risico", "intieme_terreur_niet_structureel", "geen_geweldsvorm",
            "verlengde_jeugdhulp_buiten_leeftijd", "dakloos_en_zelfstandig_wonen_veilig", "geen_slachtoffer")


def _waarschuwing(w: Work, code: str, velden: list[str], tekst: str, lid: int = 0) -> None:
    """Add the warning in its place: codes in VOLGORDE, one member's before the next (the engine fires the
    activations of one rule on several members in no guaranteed order)."""
    lijst = w.lists.setdefault("waarschuwingen", [])
    sleutel = (VOLGORDE.index(code), lid)
    plek = bisect.bisect_right([(VOLGORDE.index(x["code"]), x.get("_lid", 0)) for x in lijst], sleutel)
    lijst.insert(plek, {"code": code, "velden": velden, "tekst": tekst, "_lid": lid})


@rule("waarschuwing.acuut_bij_laag_risico", bron="000 Leidende principes", beleidskeuze=True,
      fase=Fase.WAARSCHUWING, casus=fact("casus", (F.acuut == True) & (F.niveau == "laag")))  # noqa: E712
def acuut_bij_laag_risico(w: Work, casus: dict[str, Any]) -> None:
    """Acuut gevaar past niet bij een laag veiligheidsrisico: een van beide klopt waarschijnlijk niet."""
    _waarschuwing(w, "acuut_bij_laag_risico", ["veiligheid.acuut", "veiligheid.niveau"],
                  "Er is acuut gevaar aangegeven, maar het veiligheidsrisico staat op laag. Controleer beide: bij "
                  "acuut gevaar is het veiligheidsrisico meestal hoog, en het pakket hangt ervan af.")


@rule("waarschuwing.intieme_terreur_niet_structureel", bron="001 §1", beleidskeuze=True, fase=Fase.WAARSCHUWING,
      casus=fact("casus", (F.intieme_terreur == True) & (F.structureel == False)))  # noqa: E712
def intieme_terreur_niet_structureel(w: Work, casus: dict[str, Any]) -> None:
    """Intieme terreur (dwangmatige controle) is per definitie een patroon; zonder structurele onveiligheid
    is er geen toegang tot het arrangement (001 §1)."""
    _waarschuwing(w, "intieme_terreur_niet_structureel", ["geweld.intieme_terreur", "geweld.structureel"],
                  "Er is intieme terreur aangegeven, maar de onveiligheid staat op niet structureel. Dwangmatige "
                  "controle is een patroon; controleer of de onveiligheid toch structureel is, want daar hangt de "
                  "toegang tot het arrangement van af.")


@rule("waarschuwing.geen_geweldsvorm", bron="000 Definitie", beleidskeuze=True, fase=Fase.WAARSCHUWING,
      casus=fact("casus", GEEN_VORM))
def geen_geweldsvorm(w: Work, casus: dict[str, Any]) -> None:
    """Zonder enige vorm van geweld is niet na te gaan om welk huiselijk geweld het gaat (000 Definitie)."""
    _waarschuwing(w, "geen_geweldsvorm", ["geweld.vormen"],
                  "Er is geen vorm van geweld aangegeven. Vul in welk geweld er speelt (bijvoorbeeld fysiek, "
                  "psychisch of eergerelateerd): daar hangt af welke hulp veilig is.")


@rule("waarschuwing.verlengde_jeugdhulp_buiten_leeftijd", bron="000 noot 3", beleidskeuze=True,
      fase=Fase.WAARSCHUWING,
      lid=fact("lid", (F.verlengde_jeugdhulp == True) & (  # noqa: E712
          (F.leeftijd < P("leeftijd.volwassen_vanaf")) | (F.leeftijd >= P("leeftijd.verlengde_jeugdhulp_tot")))))
def verlengde_jeugdhulp_buiten_leeftijd(w: Work, lid: dict[str, Any]) -> None:
    """Verlengde jeugdhulp is er van 18 tot 23 jaar (000 noot 3); daarbuiten heeft de aanduiding geen betekenis."""
    i = lid["volgorde"]
    van, tot = w.param("leeftijd.volwassen_vanaf"), w.param("leeftijd.verlengde_jeugdhulp_tot")
    gevolg = "is al een kind" if lid["leeftijd"] < van else "telt als volwassene"
    _waarschuwing(w, "verlengde_jeugdhulp_buiten_leeftijd", [f"leden[{i}].verlengde_jeugdhulp", f"leden[{i}].leeftijd"],
                  f"Bij {lid['lid']} ({lid['leeftijd']} jaar) is verlengde jeugdhulp aangegeven, maar die bestaat "
                  f"alleen van {van} tot {tot} jaar. Dit gezinslid {gevolg}; controleer de leeftijd.", lid=i)


@rule("waarschuwing.dakloos_en_zelfstandig_wonen_veilig", bron="001 §1", beleidskeuze=True, fase=Fase.WAARSCHUWING,
      casus=fact("casus", (F.dakloos == True) & (F.zelfstandig_wonen_veilig == True)))  # noqa: E712
def dakloos_en_zelfstandig_wonen_veilig(w: Work, casus: dict[str, Any]) -> None:
    """Een dakloos huishouden woont niet zelfstandig; of het veilig zelfstandig kan wonen, bepaalt het perceel."""
    _waarschuwing(w, "dakloos_en_zelfstandig_wonen_veilig", ["woonsituatie.dakloos",
                                                              "woonsituatie.zelfstandig_wonen_veilig"],
                  "Het huishouden is dakloos, maar zelfstandig wonen staat op veilig. Controleer of het huishouden "
                  "veilig zelfstandig kan wonen: daar hangt het perceel van af.")


@rule("waarschuwing.geen_slachtoffer", bron="002 §1.3", beleidskeuze=True, fase=Fase.HUISHOUDEN,
      huishouden=fact("huishouden", F.slachtoffers == 0))
def geen_slachtoffer(w: Work, huishouden: dict[str, Any]) -> None:
    """Het arrangement is er voor slachtoffers, plegers en anderen die bij het geweld betrokken zijn (002 §1.3);
    zonder slachtoffer is niet duidelijk wie bescherming nodig heeft."""
    _waarschuwing(w, "geen_slachtoffer", ["leden"],
                  "Geen enkel gezinslid heeft de rol slachtoffer. Controleer de rollen: de hulp en de veiligheid "
                  "worden rond het slachtoffer georganiseerd.")
