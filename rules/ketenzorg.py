"""Where the household stands in the gefaseerde ketenzorg (004): directe veiligheid, stabiele veiligheid,
herstel. Acute danger sets `directe_veiligheid` (rules/toegang.py); the other two are read here from the
safety risk, on the HG-arrangement only. The mapping from risk to phase is a beleidskeuze."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, fact
from engine.rule import rule
from engine.taal import RISICO
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")


@rule("fase.stabiele_veiligheid", bron="004", beleidskeuze=True, fase=Fase.KETENZORG, niveau="hoofdlijn", route=HG,
      casus=fact("casus", (F.acuut == False) & F.niveau.isin("midden", "hoog")))  # noqa: E712
def stabiele_veiligheid(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Gefaseerde ketenzorg: eerst directe veiligheid, dan stabiele veiligheid, dan herstel (004). Zolang
    het veiligheidsrisico verhoogd of hoog is, staat het werken aan stabiele veiligheid voorop."""
    w.set("fase", "stabiele_veiligheid")
    w.conclude("fase: stabiele veiligheid", ["veiligheid.acuut = false", f"veiligheid.niveau = {casus['niveau']}"],
               f"Er is geen acuut gevaar, maar het veiligheidsrisico is {RISICO[casus['niveau']]}. Het huishouden is "
               "in de fase stabiele veiligheid: de hulp richt zich eerst op het stoppen van het geweld en op "
               "afspraken die de veiligheid blijvend maken; herstel van trauma komt daarna.")


@rule("fase.herstel", bron="004", beleidskeuze=True, fase=Fase.KETENZORG, niveau="hoofdlijn", route=HG,
      casus=fact("casus", (F.acuut == False) & (F.niveau == "laag")))  # noqa: E712
def herstel(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Gefaseerde ketenzorg: na directe en stabiele veiligheid volgt duurzaam herstel (004)."""
    w.set("fase", "herstel")
    w.conclude("fase: herstel", ["veiligheid.acuut = false", "veiligheid.niveau = laag"],
               "Er is geen acuut gevaar en het veiligheidsrisico is laag. Het huishouden is in de fase herstel: de "
               "hulp richt zich op het verwerken van wat er gebeurd is en op duurzaam herstel, terwijl de "
               "casusregie blijft volgen of het veilig blijft.")
