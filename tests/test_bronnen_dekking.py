"""rules/bronnen_dekking.yaml: every normative statement of the seeds is traced to rules, or says why not.

Per statement: exactly one of `regels` (rule ids that exist) or `niet_vertaald` (a reason); its `bron` (and
every `ook`) has a passage in rules/bronnen.yaml; its `passage` is verbatim in the seed document. And the
reverse: every rule is named by a statement, and every reference a rule cites is a statement's place.
The verbatim check skips, like tests/test_bronnen.py, when no seeds folder is next to this checkout.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

import rules
from rules import bronnen
from tests.test_bronnen import _data, _seed, needs_seeds, staat_in

REPO = Path(__file__).resolve().parents[1]
DEKKING = REPO / "rules" / "bronnen_dekking.yaml"
VERPLICHT = {"bron", "uitspraak", "passage"}
VELDEN = VERPLICHT | {"regels", "niet_vertaald", "toelichting", "ook"}


def _dekking() -> dict[str, Any]:
    raw = yaml.safe_load(DEKKING.read_text(encoding="utf-8"))
    assert isinstance(raw, dict), f"{DEKKING}: expected a mapping"
    return raw


UITSPRAKEN: list[dict[str, Any]] = list(_dekking().get("uitspraken") or [])
IDS = [f"{i:02d} {u.get('bron', '?') if isinstance(u, dict) else '?'}" for i, u in enumerate(UITSPRAKEN)]
per_uitspraak = pytest.mark.parametrize("uitspraak", UITSPRAKEN, ids=IDS)


def _regel_ids() -> set[str]:
    return {r.id for r in rules.RULES}


def _tekst(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --- the file ------------------------------------------------------------------------------------------


def test_file_shape() -> None:
    data = _dekking()
    assert set(data) == {"opgesteld", "beschrijving", "uitspraken"}, set(data)
    datetime.date.fromisoformat(str(data["opgesteld"]))
    assert _tekst(data["beschrijving"])
    assert isinstance(data["uitspraken"], list) and data["uitspraken"]


@per_uitspraak
def test_statement_fields(uitspraak: dict[str, Any]) -> None:
    assert isinstance(uitspraak, dict)
    assert VERPLICHT <= set(uitspraak) <= VELDEN, set(uitspraak) ^ VERPLICHT
    for veld in ("bron", "uitspraak", "passage"):
        assert _tekst(uitspraak[veld]), f"{veld} is empty"
    assert "…" not in uitspraak["passage"] and "..." not in uitspraak["passage"], "a passage is never shortened"
    if "toelichting" in uitspraak:
        assert _tekst(uitspraak["toelichting"]), "toelichting is empty"
    if "ook" in uitspraak:
        ook = uitspraak["ook"]
        assert isinstance(ook, list) and ook and all(_tekst(r) for r in ook), ook
        assert uitspraak["bron"] not in ook and len(set(ook)) == len(ook), ook


@per_uitspraak
def test_exactly_one_of_regels_or_niet_vertaald(uitspraak: dict[str, Any]) -> None:
    heeft_regels, heeft_reden = "regels" in uitspraak, "niet_vertaald" in uitspraak
    assert heeft_regels != heeft_reden, "give exactly one of `regels` or `niet_vertaald`"
    if heeft_regels:
        regels = uitspraak["regels"]
        assert isinstance(regels, list) and regels, "`regels` is a non-empty list of rule ids"
        assert all(_tekst(r) for r in regels), regels
        assert len(set(regels)) == len(regels), f"a rule is named twice: {regels}"
    else:
        assert _tekst(uitspraak["niet_vertaald"]), "`niet_vertaald` needs its reason"


def test_listed_once() -> None:
    for veld in ("uitspraak", "passage"):
        dubbel = [w for w, n in Counter(u[veld].strip() for u in UITSPRAKEN).items() if n > 1]
        assert not dubbel, f"statements listed twice ({veld}): {dubbel}"


def test_the_seeds_are_covered() -> None:
    per_document = Counter(u["bron"][:3] for u in UITSPRAKEN)
    assert set(per_document) <= {"000", "001", "002", "003", "004"}, per_document
    assert all(per_document[d] for d in ("000", "001", "002", "003", "004")), per_document


# --- rules: named ids exist, every rule is named --------------------------------------------------------


def test_every_named_rule_exists() -> None:
    bestaand = _regel_ids()
    ontbreekt: dict[str, list[str]] = defaultdict(list)
    for u in UITSPRAKEN:
        for regel in u.get("regels") or []:
            if regel not in bestaand:
                ontbreekt[regel].append(u["bron"])
    assert not ontbreekt, f"rule ids that are not in rules.RULES: {dict(sorted(ontbreekt.items()))}"


def test_every_rule_traces_to_a_statement() -> None:
    genoemd = {regel for u in UITSPRAKEN for regel in u.get("regels") or []}
    los = sorted(_regel_ids() - genoemd)
    assert not los, f"rules that no statement in rules/bronnen_dekking.yaml names: {los}"


def test_every_reference_a_rule_cites_is_a_statements_place() -> None:
    plekken = {u["bron"] for u in UITSPRAKEN} | {r for u in UITSPRAKEN for r in u.get("ook") or []}
    los: dict[str, list[str]] = defaultdict(list)
    for regel in rules.RULES:
        for deel in bronnen.onderdelen(regel.bron):
            if deel not in plekken:
                los[deel].append(regel.id)
    assert not los, f"references cited by rules that no statement lists as bron or ook: {dict(los)}"


# --- sources: a passage entry for each place, the passage verbatim in its seed --------------------------


@per_uitspraak
def test_bron_has_a_passage_entry(uitspraak: dict[str, Any]) -> None:
    documenten = _data()["documenten"]
    bron = uitspraak["bron"]
    assert bronnen.onderdelen(bron) == [bron], f"{bron!r}: one single reference, spelled as in rules/bronnen.yaml"
    assert bron[:3] in documenten, f"{bron}: unknown document number"
    for ref in [bron, *(uitspraak.get("ook") or [])]:
        (p,) = bronnen.passages(ref)
        assert p["tekst"], f"{ref}: add a passage to rules/bronnen.yaml"


@needs_seeds
@per_uitspraak
def test_passage_is_verbatim_in_its_seed(uitspraak: dict[str, Any]) -> None:
    bron = uitspraak["bron"]
    assert staat_in(uitspraak["passage"], _seed(bron[:3])), f"{bron}: passage is not verbatim in document {bron[:3]}"


@needs_seeds
def test_the_verbatim_check_rejects_a_changed_passage() -> None:
    for u in UITSPRAKEN[:10]:
        seed = _seed(u["bron"][:3])
        woorden = u["passage"].split()
        langste = max(range(len(woorden)), key=lambda i: len(woorden[i]))
        veranderd = " ".join([*woorden[:langste], woorden[langste][::-1] + "x", *woorden[langste + 1 :]])
        assert not staat_in(veranderd, seed), veranderd
