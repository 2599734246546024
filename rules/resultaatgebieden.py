"""The resultaatgebieden the household is indicated on: what the beschikking contains (001 §2, §3).

The municipality indicates results, not hours (001 §3.1 note 2). For each counted adult the HG
resultaatgebied and, extramurally, the Wmo resultaatgebieden; semi/intramurally the ondersteuning and
nachtelijke ondersteuning with their treden and, intramurally, verblijf; for the children (granted to
the youngest child) the three Jeugd resultaatgebieden; each maatwerk resultaatgebied. How the
semi/intramural items and the maatwerk are assigned to members is a beleidskeuze (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import fact
from engine.rule import rule
from engine.taal import PERCEEL_BIJVOEGLIJK, aantal, label
from rules.fasen import Fase

JEUGD = ("jeugd_ondersteuning", "jeugd_behandeling", "jeugd_begeleiding_ouders_omgeving")


def _gebied(gebied: str, wet: str, voor: str, trede: int | None = None) -> dict[str, Any]:
    return {"resultaatgebied": gebied, "wet": wet, "voor": voor, "trede": trede, "naam": label(gebied)}


def gebieden(perceel: str, treden: dict[str, int | None], geteld: list[str], mee: set[str], kinderen: bool,
             kinderen_mee: int, maatwerk: list[str]) -> list[dict[str, Any]]:
    """The resultaatgebieden in the order of docs/decisions.md."""
    result: list[dict[str, Any]] = []
    for lid in geteld:
        result.append(_gebied("duurzame_veiligheid_herstel_systeemdynamiek", "wmo", lid))
        if perceel == "extramuraal":
            result.append(_gebied("sociaal_persoonlijk_functioneren", "wmo", lid))
            result.append(_gebied("ondersteuning_zelfzorg_gezondheid", "wmo", lid))
        elif lid in mee:  # the residential support is for who comes along (not a pleger-only partner)
            soort = f"{PERCEEL_BIJVOEGLIJK[perceel]}_ondersteuning"
            result.append(_gebied(soort, "wmo", lid, treden.get(soort)))
            result.append(_gebied("nachtelijke_ondersteuning", "wmo", lid, treden.get("nachtelijke_ondersteuning")))
            if perceel == "intramuraal":
                result.append(_gebied("verblijf", "wmo", lid))
    if kinderen:
        result.extend(_gebied(gebied, "jeugdwet", "kinderen") for gebied in JEUGD)
    if perceel == "intramuraal" and kinderen_mee:
        result.append(_gebied("verblijf", "wmo", "kinderen"))
    for gebied in maatwerk:
        result.extend(_gebied(gebied, "wmo", lid) for lid in geteld)
    return result


@rule("resultaatgebieden.beschikking", bron="001 §2; 001 §3.1; 001 §3.2", beleidskeuze=True,
      fase=Fase.RESULTAATGEBIEDEN, niveau="hoofdlijn", pakket=fact("pakket"))
def beschikking(w: Work, pakket: dict[str, Any]) -> None:
    """Het arrangement wordt toegekend op resultaatgebieden voor volwassenen en kinderen (001 §2, §3); de
    gemeente indiceert resultaten, geen uren (001 §3.1 noot 2)."""
    geteld = [lid["lid"] for lid in w.data["geteld"]]
    treden = w.slots.get("budget.treden") or {}
    maatwerk = [m["resultaatgebied"] for m in w.lists.get("maatwerk", [])]
    kinderen_mee = len(w.data["kinderen_verblijf"])
    lijst = gebieden(pakket["perceel"], treden, geteld, w.data["verblijven_mee"], bool(w.data["kinderen"]),
                     kinderen_mee, maatwerk)
    w.set("resultaatgebieden", lijst)
    volwassen = [g for g in lijst if g["voor"] != "kinderen"]
    kind = [g for g in lijst if g["voor"] == "kinderen"]
    delen = []
    if volwassen:
        delen.append(f"{aantal(len(volwassen), 'resultaatgebied', 'resultaatgebieden')} voor de volwassenen "
                     "die meetellen (Wmo)")
    if kind:
        delen.append(f"{aantal(len(kind), 'resultaatgebied', 'resultaatgebieden')} voor de kinderen "
                     "(toegekend aan het jongste kind)")
    w.conclude(
        aantal(len(lijst), "resultaatgebied", "resultaatgebieden"),
        [f"perceel = {pakket['perceel']}", f"getelde volwassenen = {len(geteld)}"],
        ("De beschikking noemt " + " en ".join(delen) + ". " if delen else "De beschikking noemt geen "
         "resultaatgebieden, omdat niemand meetelt. ")
        + "De gemeente indiceert resultaten, geen uren: de uren hierboven bepalen alleen de omvang van het budget.",
    )
