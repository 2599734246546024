"""GET /v1/rulesets and GET /v1/rulesets/{naam}/parameters: versions, hashes and the parameter tree."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.auth import Principal
from api.deps import ApiFout, rollen
from api.schemas import FoutAntwoord, RulesetInfo, RulesetParameters, RulesetVersie
from engine.parameters import GeenRegelsetFout
from rules import standaard_engine

router = APIRouter(tags=["regelset"])
IEDEREEN = ("indicatiesteller", "hg_deskundige", "beleidsmaker")


@router.get("/v1/rulesets", summary="Regelsets met hun versies en hashes", response_model=list[RulesetInfo],
            responses={401: {"model": FoutAntwoord}})
def rulesets(wie: Annotated[Principal, Depends(rollen(*IEDEREEN))]) -> list[RulesetInfo]:
    engine = standaard_engine()
    versies = [RulesetVersie(versie=v, hash=engine.ruleset(v).hash) for v in engine.tree.versions]
    return [RulesetInfo(naam=engine.source.naam, versies=versies)]


@router.get("/v1/rulesets/{naam}/parameters", summary="De parameters van een regelset, met hun bron",
            response_model=RulesetParameters,
            responses={401: {"model": FoutAntwoord}, 404: {"model": FoutAntwoord}, 422: {"model": FoutAntwoord}})
def parameters(
    naam: str, wie: Annotated[Principal, Depends(rollen(*IEDEREEN))],
    peildatum: Annotated[dt.date | None, Query(description="Standaard: vandaag")] = None,
) -> dict[str, Any]:
    engine = standaard_engine()
    if naam != engine.source.naam:
        raise ApiFout(404, "naam", f"onbekende regelset '{naam[:64]}'")
    try:
        ruleset = engine.ruleset(peildatum or dt.date.today())
    except GeenRegelsetFout as exc:
        raise ApiFout(422, "peildatum", str(exc)) from exc
    tree = {pad: {"waarde": ruleset.params.get(pad), **node.metadata(),
                  "geldig_vanaf": node.in_force(ruleset.params.versie)[0].isoformat()}  # type: ignore[index]
            for pad, node in sorted(engine.tree.nodes.items())}
    return {"naam": naam, "versie": ruleset.versie, "hash": ruleset.hash, "parameters": tree}
