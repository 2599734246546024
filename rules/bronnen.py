"""The project's sources: `rules/bronnen.yaml` (the seed passages the rules, parameters and scenarios cite),
looked up through `engine.bronnen`, and which references are in use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from engine.bronnen import Bronnen, laad_bronnen, onderdelen
from engine.parameters import load_parameter_tree
from rules import PARAMETER_DIR, RULES, SOURCE

__all__ = ["bron_voluit", "bronnen", "gebruikt", "onbekend", "onderdelen", "passages"]

SCENARIO_DIR = Path(__file__).parent.parent / "scenarios"  # the shipped examples, in a checkout


def bronnen() -> Bronnen:
    assert SOURCE.bronnen is not None
    return laad_bronnen(SOURCE.bronnen)


def passages(bron: str) -> list[dict[str, str]]:
    """For each part of `bron`: `verwijzing`, `document`, `kop` and `tekst` (`engine.bronnen.Bronnen`)."""
    return bronnen().passages(bron)


def bron_voluit(bron: str) -> str:
    """A source by document and section, with the reference code for experts (`engine.bronnen.Bronnen`)."""
    return bronnen().bron_voluit(bron)


def _scenario_bronnen(map_: Path) -> Iterable[str]:
    for pad in sorted(map_.glob("*.yaml")) + sorted(map_.glob("*.json")):
        try:
            raw: Any = yaml.safe_load(pad.read_text(encoding="utf-8"))  # JSON is YAML too
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(raw, Mapping) and isinstance(raw.get("bron"), str):
            yield raw["bron"]


def gebruikt() -> dict[str, list[str]]:
    """Every single reference cited by the rules, the parameter files and the scenarios, with where.

    The scenarios are those of the repository's scenarios/ folder, when it is there.
    """
    waar: dict[str, list[str]] = {}

    def noteer(bron: str, plek: str) -> None:
        for deel in onderdelen(bron):
            waar.setdefault(deel, []).append(plek)

    for r in RULES:
        noteer(r.bron, f"regel {r.id}")
    for pad, node in load_parameter_tree(PARAMETER_DIR).nodes.items():
        noteer(node.bron, f"parameter {pad}")
    if SCENARIO_DIR.is_dir():
        for bron in _scenario_bronnen(SCENARIO_DIR):
            noteer(bron, "scenario")
    return waar


def onbekend() -> list[str]:
    """The single references in use (rules, parameters, scenarios) that have no passage, sorted."""
    return sorted(deel for deel in gebruikt() if not passages(deel)[0]["tekst"])
