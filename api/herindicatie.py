"""The casus over time (herindicatie, contract "Additions (2026-12)"): a new advies is linked to the newest
stored advies of the same `casus_id` that the caller may read, and says how it differs from it.

`ten_opzichte_van_vorige` = `{"richting", "wijzigingen": {contract field: [voor, na]}, "regels": [...]}`:
`wijzigingen` are the changed contract fields, as in the replay report (engine.replay.vergelijk); `regels`
are the rules whose conclusions differ, in reasoning order. The direction (docs/decisions.md, a policy
choice) orders the outcomes by weight: basishulp by the wijkteam below the HG-arrangement; within the
HG-arrangement by perceel (extramuraal < semimuraal < intramuraal), then by pakket (1 < 2 < 3). Higher is
`opschalen`, lower `afschalen`, the same route, perceel and pakket `gelijk`; `anders` when the outcomes cannot
be ordered: a route `buiten_scope` on one side only, or the same weight with the vrije trede on one side only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, select

from api.auth import Principal
from api.models import AdviesRecord, BesluitRecord
from api.opgeslagen import OpgeslagenAdvies
from api.opslag import AdviesOpslag
from engine.replay import andere_regels, vergelijk

__all__ = ["richting", "ten_opzichte_van", "ten_opzichte_van_tekst", "vorige", "van_casus", "RICHTINGEN"]

RICHTINGEN = ("opschalen", "afschalen", "gelijk", "anders")
_ROUTE = {"basishulp_wijkteam": 0, "hg_arrangement": 1}
_PERCEEL = {"extramuraal": 1, "semimuraal": 2, "intramuraal": 3}
_ADVIES = AdviesRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
_BESLUIT = BesluitRecord.__table__  # type: ignore[attr-defined]


def _gewicht(advies: Mapping[str, Any]) -> tuple[int, int, int] | None:
    route = advies.get("route")
    if route not in _ROUTE:
        return None
    return _ROUTE[route], _PERCEEL.get(advies.get("perceel") or "", 0), int(advies.get("pakket") or 0)


def richting(voor: Mapping[str, Any], na: Mapping[str, Any]) -> str:
    """`opschalen`, `afschalen`, `gelijk` or `anders` from the earlier to the later advies (see the module)."""
    oud, nieuw = _gewicht(voor), _gewicht(na)
    if oud is None or nieuw is None:
        return "gelijk" if voor.get("route") == na.get("route") else "anders"
    if nieuw > oud:
        return "opschalen"
    if nieuw < oud:
        return "afschalen"
    return "gelijk" if bool(voor.get("vrije_trede")) == bool(na.get("vrije_trede")) else "anders"


def ten_opzichte_van(voor: Mapping[str, Any], na: Mapping[str, Any]) -> dict[str, Any]:
    """`ten_opzichte_van_vorige` of `na` against the earlier advies `voor` of the same casus."""
    if isinstance(voor, OpgeslagenAdvies) and voor.uitleg_gelijk(na.get("uitleg")):
        # the same steps (the usual herindicatie): no rule concluded otherwise, so the fields alone are compared,
        # without decoding the stored explanation
        voor, na = voor.zonder_uitleg(), {k: v for k, v in na.items() if k != "uitleg"}
    verschil = vergelijk(voor, na)  # with the rules when a contract field changed; else the rules alone
    return {"richting": richting(voor, na), "wijzigingen": verschil.wijzigingen if verschil else {},
            "regels": verschil.regels if verschil else andere_regels(voor, na)}


def ten_opzichte_van_tekst(voor: Mapping[str, Any], na: Mapping[str, Any], na_json: bytes) -> dict[str, Any]:
    """`ten_opzichte_van(voor, na)`, where `na_json` is `na` as JSON text: a stored advies that is the same advies
    (the same text, as after a herindicatie that changed nothing) is `gelijk` without being decoded."""
    if isinstance(voor, OpgeslagenAdvies) and voor.is_advies(na_json):
        return {"richting": "gelijk", "wijzigingen": {}, "regels": []}
    return ten_opzichte_van(voor, na)


def _eigen_sleutel(wie: Principal) -> str | None:
    """The key whose adviezen alone the caller may read (as GET /v1/advies/{id}): an indicatiesteller its own;
    None for the roles that read every advies."""
    return wie.key_id if wie.rol == "indicatiesteller" else None


def _mag_lezen(query: Any, wie: Principal) -> Any:
    sleutel = _eigen_sleutel(wie)
    return query if sleutel is None else query.where(_ADVIES.c.key_id == sleutel)


async def vorige(opslag: AdviesOpslag, casus_id: str, wie: Principal) -> tuple[str, Mapping[str, Any]] | None:
    """The newest stored advies of this casus that `wie` may read (as GET /v1/advies/{id}: an indicatiesteller
    its own): (its id, the advies), or None. One indexed query (api/opslag.py); none found for a new casus."""
    return await opslag.vorige(casus_id, _eigen_sleutel(wie))


def van_casus(db: Engine, casus_id: str, wie: Principal) -> list[dict[str, Any]]:
    """The adviezen of a casus that `wie` may read, oldest first: id, time, outcome, the link to the previous
    advies and how it differs, the latest besluit (or None) and the number of besluiten."""
    kolommen = (_ADVIES.c.id, _ADVIES.c.aangemaakt, _ADVIES.c.route, _ADVIES.c.perceel, _ADVIES.c.pakket,
                _ADVIES.c.advies)
    query = _mag_lezen(select(*kolommen).where(_ADVIES.c.casus_id == casus_id), wie)
    with db.connect() as conn:
        rijen = conn.execute(query.order_by(_ADVIES.c.aangemaakt, _ADVIES.c.id)).all()
        besluiten: dict[str, Any] = {}
        aantallen: dict[str, int] = {}
        if rijen:
            ids = [r.id for r in rijen]
            for rij in conn.execute(select(_BESLUIT).where(_BESLUIT.c.advies_id.in_(ids))
                                    .order_by(_BESLUIT.c.aangemaakt)):
                besluiten[rij.advies_id] = rij  # the latest counts
                aantallen[rij.advies_id] = aantallen.get(rij.advies_id, 0) + 1
    lijst = []
    for r in rijen:
        b = besluiten.get(r.id)
        lijst.append({
            "advies_id": r.id, "aangemaakt": r.aangemaakt, "route": r.route, "perceel": r.perceel,
            "pakket": r.pakket, "vrije_trede": bool(r.advies.get("vrije_trede")),
            "vorig_advies_id": r.advies.get("vorig_advies_id"),
            "ten_opzichte_van_vorige": r.advies.get("ten_opzichte_van_vorige"),
            "besluit": None if b is None else {
                "besluit_id": b.id, "aangemaakt": b.aangemaakt, "route": b.route, "perceel": b.perceel,
                "pakket": b.pakket, "maatwerk": list(b.maatwerk), "afwijkingen": list(b.afwijkingen),
                "reden": b.reden},
            "besluiten": aantallen.get(r.id, 0),
        })
    return lijst
