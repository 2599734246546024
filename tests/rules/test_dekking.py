"""Coverage of the YAML rule cases: every rule is shown firing and not firing, in its own family's file."""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

import rules

HERE = Path(__file__).parent
YAML_FILES = sorted(HERE.glob("test_*.yaml"))
RULE_IDS = {r.id for r in rules.RULES}
FAMILY = {r.id: r.then.__module__.rpartition(".")[2] for r in rules.RULES}
# The anchor fires on every valid casus by design (it asserts the household fact that every
# evaluation starts from), so no case can show it not firing; it must still be shown firing.
ALWAYS_FIRES = {rules.SOURCE.anchor}


@functools.cache
def _cases(path: Path) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is present
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return list(data["gevallen"])


def _mentions(*, include_xfail: bool) -> dict[str, dict[str, set[str]]]:
    """{file stem: {"vuurt": ids, "vuurt_niet": ids}}. An xfail case proves nothing, so it only
    counts when `include_xfail` (for the check on unknown ids)."""
    found: dict[str, dict[str, set[str]]] = {}
    for path in YAML_FILES:
        per_key: dict[str, set[str]] = defaultdict(set)
        for case in _cases(path):
            if "xfail" in case and not include_xfail:
                continue
            for key in ("vuurt", "vuurt_niet"):
                per_key[key].update(case.get(key, []))
        found[path.stem] = per_key
    return found


def _union(found: dict[str, dict[str, set[str]]], key: str) -> set[str]:
    return set().union(*(per_key[key] for per_key in found.values()))


def test_the_anchor_is_a_rule_that_cannot_be_switched_off() -> None:
    assert ALWAYS_FIRES <= RULE_IDS
    assert all(not r.uitschakelbaar for r in rules.RULES if r.id in ALWAYS_FIRES)


def test_there_is_one_yaml_file_per_rule_family() -> None:
    families = {f"test_{family}" for family in FAMILY.values()}
    assert families == {path.stem for path in YAML_FILES}


def test_every_rule_is_shown_firing_and_not_firing() -> None:
    found = _mentions(include_xfail=False)
    never_fires = sorted(RULE_IDS - _union(found, "vuurt"))
    never_silent = sorted(RULE_IDS - ALWAYS_FIRES - _union(found, "vuurt_niet"))
    assert never_fires == [], f"rules in no case's `vuurt`: {never_fires}"
    assert never_silent == [], f"rules in no case's `vuurt_niet`: {never_silent}"


def test_every_rule_is_covered_in_the_file_of_its_own_family() -> None:
    found = _mentions(include_xfail=False)
    missing = []
    for rule_id, family in sorted(FAMILY.items()):
        per_key = found.get(f"test_{family}", {})
        if rule_id not in per_key.get("vuurt", set()):
            missing.append(f"{rule_id}: not in `vuurt` of test_{family}.yaml")
        if rule_id not in ALWAYS_FIRES and rule_id not in per_key.get("vuurt_niet", set()):
            missing.append(f"{rule_id}: not in `vuurt_niet` of test_{family}.yaml")
    assert missing == []


def test_no_case_names_an_unknown_rule() -> None:
    unknown = {
        f"{stem}.yaml: {rule_id}"
        for stem, per_key in _mentions(include_xfail=True).items()
        for ids in per_key.values()
        for rule_id in ids - RULE_IDS
    }
    assert sorted(unknown) == []


def test_no_case_expects_the_anchor_not_to_fire() -> None:
    assert _union(_mentions(include_xfail=True), "vuurt_niet") & ALWAYS_FIRES == set()
