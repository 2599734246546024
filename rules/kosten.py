"""The cost of an advies from the dated tariffs (001 §4), which are empty until the municipality sets them.

Not a rule: `budget.looptijd` calls it. Each part of the weekly budget is priced only when its tariff
is set; the result says which applying parts had no tariff, so a partial cost is never mistaken for
the whole (docs/decisions.md, round two).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from engine.context import Work

__all__ = ["kosten"]

_CENT = Decimal("0.01")


def _d(x: float | int) -> Decimal:
    return Decimal(repr(x))


def _centen(x: Decimal) -> float:
    return float(x.quantize(_CENT, rounding=ROUND_HALF_UP))


def _delen(w: Work) -> list[tuple[str, Decimal, Decimal | None]]:
    """(part, quantity, euro per unit or None) for every part of the weekly budget that applies."""
    perceel, pakket = w.slots.get("perceel"), w.slots.get("pakket")
    delen: list[tuple[str, Decimal, Decimal | None]] = []
    if perceel is None or pakket is None:  # switched off by a scenario: nothing to price
        return delen

    def tarief(pad: str, index: int | None = None) -> Decimal | None:
        waarde = w.param(pad)
        if index is not None:
            waarde = waarde[index]
        return None if waarde is None else _d(waarde)

    volwassenen = sum((_d(v["uur_per_week"]) for v in w.lists.get("budget.volwassenen", [])), Decimal(0))
    if volwassenen > 0:
        delen.append(("begeleiding_volwassenen", volwassenen,
                      tarief(f"tarieven.begeleiding_volwassenen.{perceel}", pakket - 1)))
    kind = w.slots.get("budget.kinderen")
    if kind and kind["uur_per_week"] > 0:
        delen.append(("begeleiding_kinderen", _d(kind["uur_per_week"]),
                      tarief(f"tarieven.begeleiding_kinderen.{perceel}", pakket - 1)))
    treden = [t for t in (w.slots.get("budget.treden") or {}).values() if t is not None]
    if treden:
        per_trede = w.param("tarieven.trede_per_week")
        bedragen = [per_trede[t - 1] for t in treden]
        prijs = None if any(b is None for b in bedragen) else sum((_d(b) for b in bedragen), Decimal(0))
        delen.append(("treden", Decimal(1), prijs))
    verblijf = w.slots.get("budget.verblijf")
    if verblijf:
        personen = verblijf["volwassen_clienten"] + verblijf["meekomende_kinderen"]
        if personen > 0:
            per_dag = tarief("tarieven.verblijf_per_dag")
            delen.append(("verblijf", Decimal(personen * 7), per_dag))
    return delen


def kosten(w: Work, maanden: int) -> dict[str, Any] | None:
    """`budget.kosten` for the advies in the working memory, or None when no applying part has a tariff."""
    delen = _delen(w)
    geprijsd = [(hoeveel, prijs) for _, hoeveel, prijs in delen if prijs is not None]
    if not geprijsd:
        return None
    per_week = sum((hoeveel * prijs for hoeveel, prijs in geprijsd), Decimal(0)).quantize(_CENT, ROUND_HALF_UP)
    zonder = [naam for naam, _, prijs in delen if prijs is None]
    return {
        "per_week": float(per_week),
        "looptijd": _centen(per_week * maanden * 52 / 12),  # weeks exactly, as decimals
        "valuta": "EUR",
        "volledig": not zonder,
        "zonder_tarief": zonder,
    }
