"""engine.alternatieven: every reported alternative is confirmed by the independent oracle, and every
single change the oracle says would change route, perceel, pakket or vrije trede is reported."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from engine.alternatieven import GEVOLG_VELDEN, advies_met_alternatieven, alternatieven
from engine.casus import MAX_LEDEN, parse_casus
from engine.evaluate import evaluate
from engine.wat_als import pas_toe
from rules import standaard_engine
from tests import oracle
from tests.strategies import casussen
from tests.voorbeelden import VOORBEELD

CASUS_FILES = sorted((Path(__file__).resolve().parent.parent / "casussen").glob("*.yaml"))

# The single changes a what-if may consider, written out here apart from the engine's own list.
SCHALEN = {"veiligheid.niveau": ("laag", "midden", "hoog"), "vaardigheden": ("voldoende", "beperkt", "onvoldoende")}
KEUZES = {"bestaande_wmo_zorg": ("geen", "semimuraal", "intramuraal")}
JA_NEE = (
    "geweld.binnen_huiselijke_kring", "geweld.structureel", "geweld.intieme_terreur", "veiligheid.acuut",
    "inzet.specialistisch", "woonsituatie.dakloos", "woonsituatie.zelfstandig_wonen_veilig",
    "woonsituatie.nabijheid_24u_nodig",
)
# The words by which the Dutch text names each field.
WOORDEN = {
    "veiligheid.niveau": "veiligheidsrisico", "vaardigheden": "vaardigheden", "bestaande_wmo_zorg": "wmo-zorg",
    "geweld.binnen_huiselijke_kring": "huiselijke kring", "geweld.structureel": "structureel",
    "geweld.intieme_terreur": "intieme terreur", "veiligheid.acuut": "acuut",
    "inzet.specialistisch": "specialistische hulp", "woonsituatie.dakloos": "dakloos",
    "woonsituatie.zelfstandig_wonen_veilig": "zelfstandig wonen", "woonsituatie.nabijheid_24u_nodig": "nabijheid",
    "leden": "kind",
}
ROUTE_WOORDEN = {"hg_arrangement": "HG-arrangement", "basishulp_wijkteam": "basishulp", "buiten_scope": "buiten scope"}
LEDEN_PAD = re.compile(r"leden\[(\d+)\]")


@functools.cache
def params_op(peildatum: str) -> dict[str, Any]:
    return oracle.load_params(dt.date.fromisoformat(peildatum))


def bibliotheek(pad: Path) -> dict[str, Any]:
    casus: dict[str, Any] = yaml.safe_load(pad.read_text(encoding="utf-8"))["casus"]
    return casus


def met(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VOORBEELD)
    data.update(changes)
    return data


def kind(lid_id: str, leeftijd: int) -> dict[str, Any]:
    return {"id": lid_id, "leeftijd": leeftijd, "rollen": ["getuige"]}


def bereken(data: dict[str, Any]) -> list[dict[str, Any]]:
    casus = parse_casus(copy.deepcopy(data))
    return alternatieven(casus, standaard_engine().ruleset(casus.peildatum))


# --- the oracle's side, independent of engine/ ------------------------------------------------------


def zet_los(full: dict[str, Any], veld: str, waarde: Any) -> dict[str, Any]:
    """The casus (defaults filled in) with one change; `leden[i]` = None removes, `leden[n]` appends."""
    changed = copy.deepcopy(full)
    match = LEDEN_PAD.fullmatch(veld)
    if match:
        index = int(match.group(1))
        if waarde is None:
            del changed["leden"][index]
        else:
            assert index == len(changed["leden"])
            changed["leden"].append(copy.deepcopy(waarde))
        return oracle.with_defaults(changed)
    *ouders, naam = veld.split(".")
    node = changed
    for ouder in ouders:
        node = node[ouder]
    assert naam in node, veld
    node[naam] = waarde
    return changed


def uitkomst(full: dict[str, Any]) -> dict[str, Any]:
    advies = oracle.advies(full, params_op(full["peildatum"]))
    return {veld: advies[veld] for veld in GEVOLG_VELDEN}


def gevolg(basis: dict[str, Any], anders: dict[str, Any]) -> dict[str, list[Any]]:
    return {v: [basis[v], anders[v]] for v in GEVOLG_VELDEN if basis[v] != anders[v]}


def enkele_wijzigingen(full: dict[str, Any]) -> list[tuple[str, Any, int]]:
    """(veld, waarde, steps) of every single change considered, by the test's own reading."""
    found: list[tuple[str, Any, int]] = []
    for veld, opties in {**SCHALEN, **KEUZES}.items():
        *ouders, naam = veld.split(".")
        node = full
        for ouder in ouders:
            node = node[ouder]
        huidig = opties.index(node[naam])
        found.extend((veld, optie, abs(i - huidig)) for i, optie in enumerate(opties) if i != huidig)
    for veld in JA_NEE:
        sectie, naam = veld.split(".")
        found.append((veld, not full[sectie][naam], 1))
    leeftijd = params_op(full["peildatum"])["leeftijd"]
    kinderen = [
        (i, lid) for i, lid in enumerate(full["leden"])
        if lid["leeftijd"] < leeftijd["volwassen_vanaf"]
        or (lid["verlengde_jeugdhulp"] and lid["leeftijd"] < leeftijd["verlengde_jeugdhulp_tot"])
    ]
    if kinderen:
        index, jongste = min(kinderen, key=lambda item: item[1]["leeftijd"])
        if len(full["leden"]) < MAX_LEDEN:
            extra = {"id": "extra-kind-test", "leeftijd": jongste["leeftijd"],
                     "verlengde_jeugdhulp": jongste["verlengde_jeugdhulp"]}
            found.append((f"leden[{len(full['leden'])}]", extra, 1))
        if len(full["leden"]) > 1:
            found.append((f"leden[{index}]", None, 1))
    return found


def check_tegen_orakel(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every alternative is confirmed by the oracle; every change the oracle sees is reported."""
    full = oracle.with_defaults(data)
    basis = uitkomst(full)
    alts = bereken(data)
    for alt in alts:
        anders = uitkomst(zet_los(full, alt["veld"], alt["waarde"]))
        assert anders != basis, alt
        assert alt["gevolg"] == gevolg(basis, anders), alt

    for veld, waarde, stappen in enkele_wijzigingen(full):
        anders = uitkomst(zet_los(full, veld, waarde))
        toegevoegd = LEDEN_PAD.fullmatch(veld) and waarde is not None  # the engine names the added child itself
        matches = [a for a in alts if a["veld"] == veld and (toegevoegd or a["waarde"] == waarde)]
        if anders == basis:
            assert not matches, (veld, waarde)
        elif not matches:
            # only left out when a smaller change of the same field has the same consequence
            assert stappen > 1 or veld in KEUZES, (veld, waarde)
            assert any(a["veld"] == veld and a["gevolg"] == gevolg(basis, anders) for a in alts), (veld, waarde)
        else:
            assert matches[0]["gevolg"] == gevolg(basis, anders)
    return alts


# --- library and hand-made casussen ------------------------------------------------------------------


@pytest.mark.parametrize("pad", CASUS_FILES, ids=[p.stem for p in CASUS_FILES])
def test_library_casus_alternatives_agree_with_the_oracle(pad: Path) -> None:
    check_tegen_orakel(bibliotheek(pad))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(casussen())
def test_random_casus_alternatives_agree_with_the_oracle(data: dict[str, Any]) -> None:
    check_tegen_orakel(data)


def test_contract_example_smallest_first() -> None:
    alts = check_tegen_orakel(VOORBEELD)
    assert [a["veld"] for a in alts] == [
        "veiligheid.niveau", "vaardigheden",  # one step on a scale
        "geweld.binnen_huiselijke_kring", "geweld.structureel",  # a yes/no reversed
        "woonsituatie.zelfstandig_wonen_veilig", "woonsituatie.nabijheid_24u_nodig", "bestaande_wmo_zorg",  # household
    ]
    assert [a["maat"] for a in alts] == [1, 1, 2, 2, 4, 4, 4]
    vaardigheden = alts[1]
    assert vaardigheden["waarde"] == "voldoende"
    assert vaardigheden["gevolg"] == {"pakket": [3, 2]}
    assert vaardigheden["tekst"] == "Met voldoende vaardigheden zou dit pakket 2 zijn in plaats van pakket 3."


def test_of_equal_consequences_only_the_smallest_change_is_reported() -> None:
    # geen -> semimuraal and geen -> intramuraal existing Wmo care both give pakket 1 alongside it
    alts = [a for a in check_tegen_orakel(VOORBEELD) if a["veld"] == "bestaande_wmo_zorg"]
    assert [a["waarde"] for a in alts] == ["semimuraal"]


def test_a_child_more_or_less_changes_the_vrije_trede() -> None:
    drie = met(leden=[*VOORBEELD["leden"][:2], kind("zoon", 6), kind("dochter", 4), kind("baby", 1)])
    meer = [a for a in check_tegen_orakel(drie) if a["veld"].startswith("leden")]
    assert [(a["veld"], a["gevolg"]) for a in meer] == [("leden[5]", {"vrije_trede": [False, True]})]
    assert meer[0]["waarde"]["leeftijd"] == 1  # the youngest child's age
    assert "vrije trede" in meer[0]["tekst"] and "kind van 1 jaar" in meer[0]["tekst"]

    vier = met(leden=[*drie["leden"], kind("tweeling", 1)])
    minder = [a for a in check_tegen_orakel(vier) if a["veld"].startswith("leden")]
    verwacht = [("leden[4]", None, {"vrije_trede": [True, False]})]
    assert [(a["veld"], a["waarde"], a["gevolg"]) for a in minder] == verwacht
    assert "jongste kind (baby" in minder[0]["tekst"]  # the first of equal ages, as the rules


def test_out_of_scope_can_only_change_by_the_domestic_circle() -> None:
    alts = check_tegen_orakel(bibliotheek(CASUS_FILES[0]))  # eigen-01: a trainer at the sports club
    assert [a["veld"] for a in alts] == ["geweld.binnen_huiselijke_kring"]
    assert alts[0]["gevolg"]["route"] == ["buiten_scope", "hg_arrangement"]


def test_no_alternative_for_a_member_change_the_casus_cannot_make() -> None:
    zonder_kinderen = met(leden=VOORBEELD["leden"][:2])
    assert not [a for a in check_tegen_orakel(zonder_kinderen) if a["veld"].startswith("leden")]
    alleen_een_kind = met(leden=[{"id": "dochter", "leeftijd": 16, "rollen": ["slachtoffer"]}])
    assert not [a for a in check_tegen_orakel(alleen_een_kind) if a["waarde"] is None]


def test_a_full_household_gets_no_31st_member_and_nothing_raises() -> None:
    leden = [*VOORBEELD["leden"], *(kind(f"kind-{i}", 10) for i in range(MAX_LEDEN - 3))]
    alts = check_tegen_orakel(met(leden=leden))
    assert len(leden) == MAX_LEDEN
    assert not [a for a in alts if a["veld"] == f"leden[{MAX_LEDEN}]"]


def test_texts_name_the_field_and_the_new_outcome() -> None:
    seen = set()
    for pad in CASUS_FILES:
        for alt in bereken(bibliotheek(pad)) + bereken(VOORBEELD):
            veld = "leden" if alt["veld"].startswith("leden") else alt["veld"]
            seen.add(veld)
            tekst = alt["tekst"]
            assert WOORDEN[veld] in tekst.lower(), alt
            assert tekst.endswith(".") and tekst[0].isupper()
            na = {k: v[1] for k, v in alt["gevolg"].items()}
            nieuw = tekst.split(" in plaats van ")[0]  # the new outcome comes first
            if "route" in na:
                assert ROUTE_WOORDEN[na["route"]] in nieuw, alt
            else:
                if "perceel" in na:
                    assert f"perceel {na['perceel']}" in nieuw, alt
                if na.get("vrije_trede"):
                    assert "vrije trede" in nieuw, alt
                elif "pakket" in na:
                    assert f"pakket {na['pakket']}" in nieuw, alt
    assert {"veiligheid.niveau", "vaardigheden", "geweld.structureel", "bestaande_wmo_zorg"} <= seen


def test_each_alternative_replays_with_wat_als_to_the_same_consequence() -> None:
    engine = standaard_engine()
    for pad in CASUS_FILES[:12]:
        casus = parse_casus(bibliotheek(pad))
        ruleset = engine.ruleset(casus.peildatum)
        basis = evaluate(casus, ruleset)
        for alt in alternatieven(casus, ruleset, basis):
            anders = evaluate(pas_toe(casus, [(alt["veld"], alt["waarde"])]), ruleset)
            assert {v: [basis[v], anders[v]] for v in alt["gevolg"]} == alt["gevolg"]


def test_deterministic_json_ready_and_only_on_request() -> None:
    engine = standaard_engine()
    casus = parse_casus(copy.deepcopy(VOORBEELD))
    eerste = advies_met_alternatieven(engine, casus)
    assert "alternatieven" not in engine.advies(casus)
    assert "alternatieven" not in advies_met_alternatieven(engine, casus, alternatieven_erbij=False)
    assert eerste["alternatieven"] == bereken(VOORBEELD) == advies_met_alternatieven(engine, casus)["alternatieven"]
    assert orjson.loads(orjson.dumps(eerste["alternatieven"])) == eerste["alternatieven"]
    assert {k for k in eerste if k != "alternatieven"} == set(engine.advies(casus))
    assert advies_met_alternatieven(engine, parse_casus(copy.deepcopy(VOORBEELD))) == eerste
