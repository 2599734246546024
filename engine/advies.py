"""Assembling the contract's advies from the working memory of an evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.casus import Casus
from engine.context import Work
from engine.samenvatting import samenvatting
from engine.taal import opsomming

__all__ = ["assemble", "ONDERDELEN", "som_uren", "weektotaal"]

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


def weektotaal(slots: dict[str, Any], lists: dict[str, list[Any]]) -> float:
    """The weekly budget in hours: the counted adults' hours plus the children's."""
    kinderen = slots.get("budget.kinderen")
    delen = [v["uur_per_week"] for v in lists.get("budget.volwassenen", [])]
    return som_uren(*delen, *([kinderen["uur_per_week"]] if kinderen else []))


def _budget(slots: dict[str, Any], lists: dict[str, list[Any]], totaal: float) -> dict[str, Any]:
    return {
        "volwassenen": lists.get("budget.volwassenen", []),
        "kinderen": slots.get("budget.kinderen"),
        "totaal_uur_per_week": totaal,
        "pleger_extramuraal_uur_per_week": slots.get("budget.pleger_extramuraal"),
        "treden": slots.get("budget.treden", dict(_NO_TREDEN)),
        "trede_diensturen_per_week": slots.get("budget.trede_diensturen_per_week", {}),
        "verblijf": slots.get("budget.verblijf"),
        "looptijd": slots.get("budget.looptijd"),
        "kosten": slots.get("budget.kosten"),
    }


def _uitgesloten(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    """One entry per excluded onderdeel, in the contract's onderdelen order; several reasons joined."""
    redenen: dict[str, list[str]] = {}
    for entry in entries:
        redenen.setdefault(entry["onderdeel"], []).append(entry["reden"])
    return [{"onderdeel": o, "reden": opsomming(redenen[o])} for o in sorted(redenen, key=_ORDER.__getitem__)]


def _openbaar(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry without the rules' private sort keys (`_lid`)."""
    return {k: v for k, v in entry.items() if not k.startswith("_")}


def assemble(casus: Casus, work: Work, ruleset: dict[str, str]) -> dict[str, Any]:
    slots, lists = work.slots, work.lists
    totaal = weektotaal(slots, lists) if slots.get("route") == "hg_arrangement" else None
    uitgesloten = _uitgesloten(lists.get("uitgesloten_onderdelen", []))
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
        "budget": None if totaal is None else _budget(slots, lists, totaal),
        "onderdelen": sorted(lists.get("onderdelen", []), key=_ORDER.__getitem__),
        "uitgesloten_onderdelen": uitgesloten,
        "maatwerk": lists.get("maatwerk", []),
        "signaleringen": lists.get("signaleringen", []),
        "duur_maanden": slots.get("duur_maanden"),
        "fase": slots.get("fase"),
        "resultaatgebieden": slots.get("resultaatgebieden", []),
        "waarschuwingen": [_openbaar(x) for x in lists.get("waarschuwingen", [])],
        "samenvatting": samenvatting(casus, work, totaal, uitgesloten),
        "uitleg": work.uitleg,
        "ruleset": ruleset,
    }
