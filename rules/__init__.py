"""The Rotterdam HG ruleset: rule families in reasoning order, fact schemas, dated parameters."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from engine.rule import collect
from engine.ruleset import RuleSource
from rules import (
    budget,
    huishouden,
    ketenzorg,
    maatwerk,
    onderdelen,
    pakket,
    perceel,
    resultaatgebieden,
    signalen,
    toegang,
    waarschuwingen,
)
from rules.feiten import SCHEMAS, casus_feiten

__all__ = ["NAAM", "PARAMETER_DIR", "RULES", "SOURCE", "standaard_engine"]

if TYPE_CHECKING:
    from engine.core import Engine

NAAM = "hg-rotterdam"
PARAMETER_DIR = Path(__file__).parent / "parameters"
RULES = collect([
    toegang, waarschuwingen, huishouden, perceel, pakket, ketenzorg, budget, onderdelen, maatwerk,
    resultaatgebieden, signalen,
])
SOURCE = RuleSource(naam=NAAM, rules=RULES, schemas=SCHEMAS, facts=casus_feiten, anchor="huishouden.samenstelling",
                    bronnen=Path(__file__).parent / "bronnen.yaml")


@cache
def standaard_engine() -> Engine:
    """The engine with these rules and parameters, built once per process (`engine/` never imports `rules`:
    it is given its rules, parameters and sources here)."""
    from engine.core import Engine

    return Engine(SOURCE, PARAMETER_DIR)
