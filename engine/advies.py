"""Assembling the contract's advies from the working memory of an evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.casus import Casus
from engine.context import Work

__all__ = ["assemble", "ONDERDELEN", "som_uren"]

ONDERDELEN = (
    "casusregie",
    "slachtofferhulp",
    "plegerhulp",
    "systeemgerichte_hulp",
    "opvoedondersteuning",
    "kindgerichte_hulp",
    "specialistische_individuele_hulp",
)
_ORDER = {name: i for i, name in enumerate(ONDERDELEN)}
_NO_TREDEN = {"semimurale_ondersteuning": None, "intramurale_ondersteuning": None, "nachtelijke_ondersteuning": None}


def som_uren(*uren: float) -> float:
    """Hours added as the decimals they are written as: no 2.2500000000000004, and 1e-05 stays exact."""
    return float(sum((Decimal(repr(u)) for u in uren), Decimal(0)))


def _budget(slots: dict[str, Any], lists: dict[str, list[Any]]) -> dict[str, Any]:
    volwassenen = lists.get("budget.volwassenen", [])
    kinderen = slots.get("budget.kinderen")
    delen = [v["uur_per_week"] for v in volwassenen] + ([kinderen["uur_per_week"]] if kinderen else [])
    return {
        "volwassenen": volwassenen,
        "kinderen": kinderen,
        "totaal_uur_per_week": som_uren(*delen),
        "pleger_extramuraal_uur_per_week": slots.get("budget.pleger_extramuraal"),
        "treden": slots.get("budget.treden", dict(_NO_TREDEN)),
        "trede_diensturen_per_week": slots.get("budget.trede_diensturen_per_week", {}),
        "verblijf": slots.get("budget.verblijf"),
    }


def assemble(casus: Casus, work: Work, ruleset: dict[str, str]) -> dict[str, Any]:
    slots, lists = work.slots, work.lists
    arrangement = slots.get("route") == "hg_arrangement"
    return {
        "casus_id": casus.casus_id,
        "peildatum": casus.peildatum.isoformat(),
        "route": slots.get("route"),
        "indicerende_instantie": slots.get("indicerende_instantie"),
        "directe_veiligheid_eerst": slots.get("directe_veiligheid_eerst", False),
        "perceel": slots.get("perceel"),
        "pakket": slots.get("pakket"),
        "vrije_trede": slots.get("vrije_trede", False),
        "naast_bestaande_wmo_zorg": slots.get("naast_bestaande_wmo_zorg", False),
        "budget": _budget(slots, lists) if arrangement else None,
        "onderdelen": sorted(lists.get("onderdelen", []), key=_ORDER.__getitem__),
        "uitgesloten_onderdelen": lists.get("uitgesloten_onderdelen", []),
        "maatwerk": lists.get("maatwerk", []),
        "signaleringen": lists.get("signaleringen", []),
        "duur_maanden": slots.get("duur_maanden"),
        "uitleg": work.uitleg,
        "ruleset": ruleset,
    }
