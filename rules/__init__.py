"""The Rotterdam HG ruleset: rule families in reasoning order, fact schemas, dated parameters."""

from __future__ import annotations

from pathlib import Path

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

__all__ = ["NAAM", "PARAMETER_DIR", "RULES", "SOURCE"]

NAAM = "hg-rotterdam"
PARAMETER_DIR = Path(__file__).parent / "parameters"
RULES = collect([
    toegang, waarschuwingen, huishouden, perceel, pakket, ketenzorg, budget, onderdelen, maatwerk,
    resultaatgebieden, signalen,
])
SOURCE = RuleSource(naam=NAAM, rules=RULES, schemas=SCHEMAS, facts=casus_feiten, anchor="huishouden.samenstelling")
