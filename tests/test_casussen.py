"""The casussen library doubles as golden tests: each casus gives the advies it documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import rules
from engine.advies import assemble
from engine.casus import parse_casus
from engine.evaluate import evaluate_work
from rules import standaard_engine

CASUSSEN = sorted((Path(__file__).parent.parent / "casussen").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _run(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    casus = parse_casus(document["casus"])
    ruleset = standaard_engine().ruleset(casus.peildatum)
    work = evaluate_work(casus, ruleset)
    return assemble(casus, work, ruleset.identity()), work.fired


# Budget fields added in round two; a library entry written before them does not list them.
_BUDGET_ROUND_TWO = {"looptijd", "kosten"}


def _comparable(key: str, value: Any, expected: Any) -> Any:
    if key == "signaleringen":
        return sorted(s["code"] for s in value)
    if key == "waarschuwingen":
        return [w["code"] for w in value]
    if key == "maatwerk":
        return [m["resultaatgebied"] for m in value]
    if key == "resultaatgebieden":
        return [{k: v for k, v in r.items() if k != "naam"} for r in value]
    if key == "budget" and value is not None:
        left_out = {"trede_diensturen_per_week"}
        if isinstance(expected, dict):
            left_out |= _BUDGET_ROUND_TWO - expected.keys()
        return {k: v for k, v in value.items() if k not in left_out}
    return value


@pytest.mark.parametrize("path", CASUSSEN, ids=[p.stem for p in CASUSSEN])
def test_casus_gives_documented_advies(path: Path) -> None:
    document = _load(path)
    assert {"bron", "titel", "waarom", "casus", "verwacht"} <= set(document), "incomplete library entry"
    advies, _ = _run(document)
    for key, expected in document["verwacht"].items():
        if key == "signaleringen":
            expected = sorted(expected)
        assert key in advies, f"advies has no field {key}"
        assert _comparable(key, advies[key], expected) == expected, key


def test_library_has_the_five_verwey_jonker_casussen() -> None:
    ids = {_load(p)["casus"]["casus_id"] for p in CASUSSEN}
    assert {f"VJ-2020-{i}" for i in range(1, 6)} <= ids


def test_every_rule_fires_in_some_casus() -> None:
    fired: set[str] = set()
    for path in CASUSSEN:
        fired.update(_run(_load(path))[1])
    missing = sorted(r.id for r in rules.RULES if r.id not in fired)
    assert not missing, f"rules that fire in no casus: {missing}"
