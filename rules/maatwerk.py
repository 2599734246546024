"""Maatwerk: Wmo resultaatgebieden added to the indication, per perceel (001 §3.1, §3.2)."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, fact
from engine.rule import rule
from engine.taal import PERCEEL_BIJVOEGLIJK, label
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")
TREDE_NOG_TE_BEPALEN = "de indicatiesteller bepaalt de trede"


def _maatwerk(w: Work, gebied: str, signaal: str, tekst: str) -> None:
    w.add("maatwerk", {"resultaatgebied": gebied, "trede": None, "reden": f"signaal {label(signaal)}"})
    w.conclude(f"maatwerk: {label(gebied)}", [f"signalen bevat {signaal}"],
               f"{tekst} Dit wordt als maatwerk aan de indicatie toegevoegd; {TREDE_NOG_TE_BEPALEN}.")


@rule("maatwerk.toeleiding_schulddienstverlening", bron="001 §3.1; 001 §3.2", beleidskeuze=False,
      fase=Fase.MAATWERK, niveau="hoofdlijn", perceel=fact("perceel"), casus=fact("casus", F.signaal_schulden == True))  # noqa: E712
def toeleiding_schulddienstverlening(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """Toeleiding naar schulddienstverlening kan bij elk perceel als maatwerk worden toegevoegd."""
    _maatwerk(w, "toeleiding_schulddienstverlening", "schulden",
              "Er zijn schulden: toeleiding naar schulddienstverlening.")


@rule("maatwerk.dagbesteding", bron="001 §3.1; 001 §3.2", beleidskeuze=False, fase=Fase.MAATWERK, niveau="hoofdlijn",
      perceel=fact("perceel"), casus=fact("casus", F.signaal_dagbesteding == True))  # noqa: E712
def dagbesteding(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """Dagbesteding kan bij elk perceel als maatwerk worden toegevoegd."""
    _maatwerk(w, "dagbesteding", "dagbesteding", "Er is behoefte aan dagbesteding.")


@rule("maatwerk.nachtelijke_ondersteuning", bron="001 §3.1", beleidskeuze=False, fase=Fase.MAATWERK, niveau="hoofdlijn",
      perceel=fact("perceel", F.perceel == "extramuraal"),
      casus=fact("casus", F.signaal_nachtelijke_ondersteuning == True))  # noqa: E712
def nachtelijke_ondersteuning(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """Extramuraal kan nachtelijke ondersteuning als maatwerk worden toegevoegd (001 §3.1)."""
    _maatwerk(w, "nachtelijke_ondersteuning", "nachtelijke_ondersteuning",
              "Er is nachtelijke ondersteuning nodig.")


@rule("maatwerk.nachtelijke_ondersteuning_inbegrepen", bron="001 §3.2", beleidskeuze=False, fase=Fase.MAATWERK,
      perceel=fact("perceel", F.perceel.isin("semimuraal", "intramuraal")),
      casus=fact("casus", F.signaal_nachtelijke_ondersteuning == True))  # noqa: E712
def nachtelijke_ondersteuning_inbegrepen(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """Semi-/intramuraal zit nachtelijke ondersteuning al in het pakket; alleen schulddienstverlening en
    dagbesteding kunnen als maatwerk worden toegevoegd (001 §3.2)."""
    w.conclude("nachtelijke ondersteuning zit in het pakket", ["signalen bevat nachtelijke_ondersteuning",
               f"perceel = {perceel['perceel']}"],
               f"Nachtelijke ondersteuning is nodig, maar zit bij {PERCEEL_BIJVOEGLIJK[perceel['perceel']]} "
               "ondersteuning al in het pakket; het is daarom geen maatwerk.")
