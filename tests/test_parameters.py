"""The parameter loader: the project's own files, the contract's paths, dated variants, refusals, overrides."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

import rules
from engine.casus import Casus, parse_casus
from engine.core import Engine
from engine.parameters import GeenRegelsetFout, ParameterFout, Parameters, ParameterTree, load_parameter_tree
from rules import standaard_engine
from tests.voorbeelden import VOORBEELD

FIXTURES = Path(__file__).parent / "fixtures"
EERSTE_VERSIE = dt.date(2021, 9, 1)



def _casus(**changes: Any) -> Casus:
    data = copy.deepcopy(VOORBEELD)
    data.update(changes)
    return parse_casus(data)


@pytest.fixture(scope="module")
def tree() -> ParameterTree:
    return load_parameter_tree(rules.PARAMETER_DIR)


@pytest.fixture(scope="module")
def basis(tree: ParameterTree) -> Parameters:
    return tree.resolve(EERSTE_VERSIE)


# --- the project's own parameter files ---------------------------------------------------------------


def test_project_parameters_load_from_the_first_version(tree: ParameterTree) -> None:
    assert tree.versions[0] == EERSTE_VERSIE
    assert tree.resolve(EERSTE_VERSIE).versie == EERSTE_VERSIE
    assert tree.resolve(dt.date(2030, 1, 1)).versie == tree.versions[-1]


def test_every_parameter_names_its_source_and_whether_it_is_a_policy_choice(tree: ParameterTree) -> None:
    for pad, node in tree.nodes.items():
        assert node.bron.strip(), pad
        assert isinstance(node.beleidskeuze, bool), pad
        assert node.beschrijving.strip(), pad
        assert node.eenheid.strip(), f"{pad}: no eenheid"
        if node.beleidskeuze:  # a policy default says why, since the sources do not
            assert node.toelichting.strip(), f"{pad}: beleidskeuze without toelichting"


def test_policy_choices_are_marked_as_such(tree: ParameterTree) -> None:
    assert tree.nodes["pakket_matrix"].beleidskeuze is True  # the weighting table (bijlage 4) is unpublished
    assert tree.nodes["intieme_terreur.minimum_pakket"].beleidskeuze is True  # the sources name no minimum
    assert tree.nodes["uren.extramuraal.volwassenen"].beleidskeuze is False  # a seed fact, 001 §3.1
    assert tree.nodes["pakket_matrix"].bron == "002 §1.5"


# The contract's parameter paths (contract.md, "Scenario") with their documented values.
CONTRACT_PADEN: list[tuple[str, Any]] = [
    ("pakket_matrix.laag.voldoende", 1),
    ("pakket_matrix.laag.beperkt", 1),
    ("pakket_matrix.laag.onvoldoende", 2),
    ("pakket_matrix.midden.voldoende", 1),
    ("pakket_matrix.midden.beperkt", 2),
    ("pakket_matrix.midden.onvoldoende", 3),
    ("pakket_matrix.hoog.voldoende", 2),
    ("pakket_matrix.hoog.beperkt", 3),
    ("pakket_matrix.hoog.onvoldoende", 3),
    # hours per week for pakket 1, 2, 3; null: the pakket does not exist in that perceel (001 §3.1, §3.2)
    ("uren.extramuraal.volwassenen", [0.75, 1.5, 3]),
    ("uren.extramuraal.kinderen", [1.5, 2, 3]),
    ("uren.semimuraal.volwassenen", [None, 1, 1.5]),
    ("uren.semimuraal.kinderen", [None, 2, 3]),
    ("uren.intramuraal.volwassenen", [None, 1, 1.5]),
    ("uren.intramuraal.kinderen", [None, 2, 3]),
    ("vrije_trede.meer_dan_kinderen", 3),
    ("intieme_terreur.minimum_pakket", 2),
    ("duur.richtlijn_maanden", 12),
    ("toegang.minimale_duur_maanden", 12),
]


@pytest.mark.parametrize(("pad", "waarde"), CONTRACT_PADEN)
def test_contract_path_exists_with_documented_value(basis: Parameters, pad: str, waarde: Any) -> None:
    assert basis.get(pad) == waarde
    assert basis.with_overrides({pad: waarde}).get(pad) == waarde  # and a scenario may set it


@pytest.mark.parametrize("pad", [p for p, _ in CONTRACT_PADEN if p.startswith("uren.")])
def test_hours_are_three_numbers_or_null(basis: Parameters, pad: str) -> None:
    uren = basis.get(pad)
    assert len(uren) == 3
    for x in uren:
        assert x is None or (isinstance(x, int | float) and not isinstance(x, bool))


def test_seed_tables_literally(basis: Parameters) -> None:
    # Treden per pakket (index 0 = pakket 1; null: pakket 1 does not exist semi/intramuraal), 001 §3.2.
    assert basis.get("treden.semimuraal.ondersteuning") == [None, 2, 3]
    assert basis.get("treden.semimuraal.nachtelijk") == [None, 2, 2]
    assert basis.get("treden.intramuraal.ondersteuning") == [None, 2, 3]
    assert basis.get("treden.intramuraal.nachtelijk") == [None, 3, 3]
    assert basis.get("semi_intramuraal.minimum_pakket") == 2
    assert basis.get("semi_intramuraal.pleger_extramuraal_aandeel") == 0.5
    assert basis.get("bestaande_wmo_zorg.pakket") == 1
    assert basis.get("leeftijd.volwassen_vanaf") == 18
    assert basis.get("leeftijd.verlengde_jeugdhulp_tot") == 23
    assert basis.get("tarieven.wo_aandeel_kinderen") == [5, 20, 50]
    assert basis.get("tarieven.overhead_kinderen") == 31.33
    assert basis.get("tarieven.begeleiding_volwassenen.extramuraal") == [None, None, None]  # not yet published
    assert basis.get("tarieven.verblijf_per_dag") is None


def test_trede_diensturen_per_week(basis: Parameters) -> None:
    ma_vr = basis.get("trede_diensturen.maandag_vrijdag")
    weekend = basis.get("trede_diensturen.weekend")
    assert ma_vr == [140, 160, 200]
    assert weekend == [56, 64, 80]
    # a week: 140 + 56 = 196 (trede 1), 160 + 64 = 224 (trede 2), 200 + 80 = 280 (trede 3)
    assert [a + b for a, b in zip(ma_vr, weekend, strict=True)] == [196, 224, 280]


def test_trede_diensturen_reach_the_advies() -> None:
    # midden x beperkt = pakket 2; not safe at home = intramuraal; treden 2 and 3 (nachtelijk) -> 224 and 280
    casus = _casus(
        veiligheid={"niveau": "midden"},
        geweld={**VOORBEELD["geweld"], "intieme_terreur": False},
        woonsituatie={"zelfstandig_wonen_veilig": False},
    )
    advies = standaard_engine().advies(casus)
    assert (advies["perceel"], advies["pakket"]) == ("intramuraal", 2)
    assert advies["budget"]["treden"]["intramurale_ondersteuning"] == 2
    assert advies["budget"]["treden"]["nachtelijke_ondersteuning"] == 3
    assert advies["budget"]["trede_diensturen_per_week"] == {
        "intramurale_ondersteuning": 224,
        "nachtelijke_ondersteuning": 280,
    }


# --- dated variants ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gedateerd() -> ParameterTree:
    return load_parameter_tree(FIXTURES / "parameters_gedateerd")


def test_dated_fixture_versions(gedateerd: ParameterTree) -> None:
    assert gedateerd.versions == [dt.date(2021, 9, 1), dt.date(2023, 1, 1), dt.date(2024, 7, 1)]


@pytest.mark.parametrize(
    ("peildatum", "meer_dan_kinderen", "uren", "versie"),
    [
        (dt.date(2021, 9, 1), 3, [0.75, 1.5, 3], dt.date(2021, 9, 1)),  # on the first version
        (dt.date(2022, 12, 31), 3, [0.75, 1.5, 3], dt.date(2021, 9, 1)),  # the day before the change
        (dt.date(2023, 1, 1), 2, [0.75, 1.5, 3], dt.date(2023, 1, 1)),  # on the change
        (dt.date(2024, 6, 30), 2, [0.75, 1.5, 3], dt.date(2023, 1, 1)),
        (dt.date(2024, 7, 1), 2, [1, 2, 3.5], dt.date(2024, 7, 1)),  # the second change (quoted first key)
        (dt.date(2099, 1, 1), 2, [1, 2, 3.5], dt.date(2024, 7, 1)),  # long after: the latest stays in force
    ],
)
def test_dated_variant_selects_value_and_version(
    gedateerd: ParameterTree, peildatum: dt.date, meer_dan_kinderen: int, uren: list[float], versie: dt.date
) -> None:
    params = gedateerd.resolve(peildatum)
    assert params.get("vrije_trede.meer_dan_kinderen") == meer_dan_kinderen
    assert params.get("uren.extramuraal.volwassenen") == uren
    assert params.get("duur.richtlijn_maanden") == 12  # unchanged throughout
    assert params.versie == versie


def test_peildatum_before_the_first_version_is_refused(gedateerd: ParameterTree) -> None:
    with pytest.raises(GeenRegelsetFout) as info:
        gedateerd.resolve(dt.date(2021, 8, 31))
    assert info.value.eerste == dt.date(2021, 9, 1)
    assert info.value.peildatum == dt.date(2021, 8, 31)
    assert "2021-09-01" in str(info.value)


def test_engine_picks_the_dated_variant_for_the_peildatum(tmp_path: Path) -> None:
    # The project's own parameters plus one dated variant: from 2024-01-01 the guideline is 6 months.
    for bestand in rules.PARAMETER_DIR.glob("*.yaml"):
        (tmp_path / bestand.name).write_text(bestand.read_text(encoding="utf-8"), encoding="utf-8")
    duur = yaml.safe_load((tmp_path / "duur.yaml").read_text(encoding="utf-8"))
    duur["richtlijn_maanden"]["values"][dt.date(2024, 1, 1)] = 6
    (tmp_path / "duur.yaml").write_text(yaml.safe_dump(duur, allow_unicode=True), encoding="utf-8")
    engine = Engine(rules.SOURCE, tmp_path)

    voor = engine.advies(_casus(peildatum="2023-12-31"))
    na = engine.advies(_casus(peildatum="2024-01-01"))
    assert (voor["duur_maanden"], voor["ruleset"]["versie"]) == (12, "2021-09-01")
    assert (na["duur_maanden"], na["ruleset"]["versie"]) == (6, "2024-01-01")
    assert voor["ruleset"]["hash"] != na["ruleset"]["hash"]
    with pytest.raises(GeenRegelsetFout):
        engine.ruleset(dt.date(2021, 8, 31))


# --- negative fixtures: each directory holds one broken YAML -----------------------------------------

# directory suffix -> (parameter path the error names, fragment of the path or None, fragment of the message)
FOUTEN: dict[str, tuple[str, str | None, str]] = {
    "bron_ontbreekt": ("duur.richtlijn_maanden", None, "'bron' ontbreekt"),
    "beleidskeuze_ontbreekt": ("duur.richtlijn_maanden", None, "'beleidskeuze' ontbreekt"),
    "beleidskeuze_tekst": ("duur.richtlijn_maanden", None, "true of false"),
    "values_ontbreekt": ("duur.richtlijn_maanden", None, "'values' ontbreekt"),
    "values_leeg": ("duur.richtlijn_maanden", None, "minstens één ingangsdatum"),
    "onbekend_type": ("duur.richtlijn_maanden", None, "onbekend type 'weken'"),
    "onbekende_sleutel": ("duur.richtlijn_maanden", None, "onbekende sleutel(s) in parameter: referentie"),
    "kale_waarde": ("duur.richtlijn_maanden", None, "verwacht een parameter"),
    "pakket_4": ("pakket_matrix", "hoog.onvoldoende", "van 1 tot en met 3"),
    "uren_lijst_van_2": ("uren.extramuraal.volwassenen", "2021-09-01", "lijst van 3 waarden"),
    "uren_tekst": ("uren.extramuraal.volwassenen", "2021-09-01", "waarde 2: moet een getal zijn"),
    "tekst_voor_geheel_getal": ("vrije_trede.meer_dan_kinderen", "2021-09-01", "geheel getal"),
    "float_voor_geheel_getal": ("vrije_trede.meer_dan_kinderen", "2021-09-01", "geheel getal"),
    "datum": ("duur.richtlijn_maanden", None, "ingangsdatum '2021-13-01' is geen datum"),
    "datum_tekst": ("duur.richtlijn_maanden", None, "is geen datum"),
    "yaml": ("duur.yaml", None, "geen geldige YAML"),
}


def test_every_negative_fixture_is_listed() -> None:
    mappen = {p.name.removeprefix("parameters_fout_") for p in FIXTURES.glob("parameters_fout_*") if p.is_dir()}
    assert mappen == set(FOUTEN)
    for naam in mappen:
        assert len(list((FIXTURES / f"parameters_fout_{naam}").glob("*.yaml"))) == 1, naam


@pytest.mark.parametrize("naam", sorted(FOUTEN))
def test_broken_parameter_file_is_refused_naming_the_path(naam: str) -> None:
    pad, in_pad, melding = FOUTEN[naam]
    with pytest.raises(ParameterFout) as info:
        load_parameter_tree(FIXTURES / f"parameters_fout_{naam}")
    assert info.value.pad.startswith(pad)
    if in_pad:
        assert in_pad in info.value.pad
    assert melding in info.value.melding
    assert str(info.value).startswith(f"{info.value.pad}: ")


def test_float_fixture_really_holds_a_float() -> None:
    # PyYAML reads a bare `1e-05` as text; the fixture must hold a float to prove what it claims.
    raw = yaml.safe_load((FIXTURES / "parameters_fout_float_voor_geheel_getal" / "vrije_trede.yaml").read_text())
    assert raw["meer_dan_kinderen"]["values"][dt.date(2021, 9, 1)] == 1e-05


# --- overrides (a scenario's changes on an immutable baseline) ---------------------------------------


def test_override_changes_only_that_value(tree: ParameterTree, basis: Parameters) -> None:
    voor = dict(basis.leaves())
    digest = basis.digest()
    scenario = basis.with_overrides({"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2})

    assert scenario.get("vrije_trede.meer_dan_kinderen") == 2
    assert scenario.get("pakket_matrix.midden.voldoende") == 2
    na = dict(scenario.leaves())
    assert {pad for pad in voor if voor[pad] != na[pad]} == {
        "vrije_trede.meer_dan_kinderen",
        "pakket_matrix.midden.voldoende",
    }
    assert scenario.overrides == {"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2}
    assert scenario.versie == basis.versie
    assert scenario.digest() != digest
    # the baseline and the tree it came from are untouched
    assert dict(basis.leaves()) == voor
    assert basis.digest() == digest
    assert basis.overrides == {}
    assert tree.resolve(EERSTE_VERSIE).digest() == digest


def test_override_value_is_copied(basis: Parameters) -> None:
    uren = [1, 2, 3]
    scenario = basis.with_overrides({"uren.extramuraal.volwassenen": uren})
    uren[0] = 99
    assert scenario.get("uren.extramuraal.volwassenen") == [1, 2, 3]


def test_override_a_whole_matrix_row(basis: Parameters) -> None:
    scenario = basis.with_overrides({"pakket_matrix.laag": {"voldoende": 2, "beperkt": 2, "onvoldoende": 3}})
    assert scenario.get("pakket_matrix.laag.voldoende") == 2
    assert scenario.get("pakket_matrix.hoog") == basis.get("pakket_matrix.hoog")


GEHELE_MATRIX = {
    "laag": {"voldoende": 1, "beperkt": 1, "onvoldoende": 2},
    "midden": {"voldoende": 1, "beperkt": 2, "onvoldoende": 3},
    "hoog": {"voldoende": 2, "beperkt": 3},  # onvoldoende is missing
}


@pytest.mark.parametrize(
    ("pad", "waarde", "fout_pad", "melding"),
    [
        ("vrije_trede.meer_dan_kinderenn", 2, "vrije_trede.meer_dan_kinderenn", "onbekend parameterpad"),
        ("bestaat.niet", 1, "bestaat.niet", "onbekend parameterpad"),
        ("pakket_matrix.extreem.voldoende", 1, "pakket_matrix.extreem.voldoende", "onbekend parameterpad"),
        ("pakket_matrix.laag.voldoende.x", 1, "pakket_matrix.laag.voldoende.x", "onbekend parameterpad"),
        ("vrije_trede.meer_dan_kinderen", "drie", "vrije_trede.meer_dan_kinderen", "geheel getal"),
        ("vrije_trede.meer_dan_kinderen", 2.5, "vrije_trede.meer_dan_kinderen", "geheel getal"),
        ("vrije_trede.meer_dan_kinderen", 1e-05, "vrije_trede.meer_dan_kinderen", "geheel getal"),
        ("vrije_trede.meer_dan_kinderen", True, "vrije_trede.meer_dan_kinderen", "geheel getal"),
        ("intieme_terreur.minimum_pakket", 4, "intieme_terreur.minimum_pakket", "van 1 tot en met 3"),
        ("pakket_matrix.midden.voldoende", 0, "pakket_matrix.midden.voldoende", "van 1 tot en met 3"),
        ("duur.richtlijn_maanden", None, "duur.richtlijn_maanden", "geheel getal"),
        ("uren.extramuraal.volwassenen", [1, 2], "uren.extramuraal.volwassenen", "lijst van 3 waarden"),
        ("uren.extramuraal.volwassenen", [1, 2, 3, 4], "uren.extramuraal.volwassenen", "lijst van 3 waarden"),
        ("uren.extramuraal.kinderen", 2, "uren.extramuraal.kinderen", "lijst van 3 waarden"),
        ("uren.extramuraal.kinderen", [1, "2", 3], "uren.extramuraal.kinderen", "waarde 2: moet een getal zijn"),
        ("uren.extramuraal.kinderen", [1, -2, 3], "uren.extramuraal.kinderen", "waarde 2"),
        ("uren.extramuraal.kinderen", [1, float("nan"), 3], "uren.extramuraal.kinderen", "eindig getal"),
        ("pakket_matrix.laag", {"voldoende": 1, "beperkt": 1}, "pakket_matrix.laag", "voldoende, beperkt, onvoldoende"),
        ("pakket_matrix.laag", {"voldoende": 1, "beperkt": 1, "onvoldoende": 2, "extra": 1}, "pakket_matrix.laag",
         "voldoende, beperkt, onvoldoende"),
        ("pakket_matrix.laag", 1, "pakket_matrix.laag", "voldoende, beperkt, onvoldoende"),
        ("pakket_matrix", GEHELE_MATRIX, "pakket_matrix.hoog", "voldoende, beperkt, onvoldoende"),
        ("duur.richtlijn_maanden", {"x": 12}, "duur.richtlijn_maanden", "geen tabel"),
        ("duur.richtlijn_maanden", {}, "duur.richtlijn_maanden", "geen tabel"),
    ],
)
def test_bad_override_is_refused_naming_the_path(
    basis: Parameters, pad: str, waarde: Any, fout_pad: str, melding: str
) -> None:
    digest = basis.digest()
    with pytest.raises(ParameterFout) as info:
        basis.with_overrides({"duur.richtlijn_maanden": 6, pad: waarde})  # one good, one bad: all refused
    assert info.value.pad == fout_pad
    assert melding in info.value.melding
    assert basis.digest() == digest
    assert basis.get("duur.richtlijn_maanden") == 12


def test_engine_refuses_a_bad_scenario() -> None:
    with pytest.raises(ParameterFout, match="pakket_matrix.midden.voldoende"):
        standaard_engine().ruleset(EERSTE_VERSIE, overrides={"pakket_matrix.midden.voldoende": 4})


# --- a tiny float override evaluates without crashing -------------------------------------------------

PAKKET_1 = {  # laag x voldoende = pakket 1 (no intieme terreur, so no minimum pakket 2)
    "veiligheid": {"niveau": "laag"},
    "vaardigheden": "voldoende",
    "geweld": {**VOORBEELD["geweld"], "intieme_terreur": False},
}
KLEIN = {"uren.extramuraal.volwassenen": [1e-05, 1.5, 3], "uren.extramuraal.kinderen": [1e-05, 2, 3]}


def test_tiny_float_hours_are_accepted_and_reach_the_budget() -> None:
    engine = standaard_engine()
    casus = _casus(**PAKKET_1)
    basis = engine.advies(casus)
    ruleset = engine.ruleset(casus.peildatum, overrides=KLEIN)
    assert ruleset.params.get("uren.extramuraal.volwassenen") == [1e-05, 1.5, 3]

    advies = engine.advies(casus, ruleset)
    assert advies["pakket"] == 1
    assert advies["budget"]["volwassenen"] == [{"lid": "moeder", "uur_per_week": 1e-05}]
    assert advies["budget"]["kinderen"]["uur_per_week"] == 1e-05
    assert advies["ruleset"]["hash"] != basis["ruleset"]["hash"]
    uitleg = {stap["regel"]: stap for stap in advies["uitleg"]}
    assert uitleg["budget.volwassenen"]["parameters"]["uren.extramuraal.volwassenen"] == [1e-05, 1.5, 3]
    assert orjson.loads(orjson.dumps(advies)) == advies  # still serialisable JSON

    # the baseline ruleset (cached in the same engine) is unchanged: 0.75 + 1.5 = 2.25 hours per week
    opnieuw = engine.advies(casus)
    assert opnieuw["budget"]["volwassenen"] == [{"lid": "moeder", "uur_per_week": 0.75}]
    assert opnieuw["budget"]["totaal_uur_per_week"] == 2.25
    assert opnieuw["ruleset"] == basis["ruleset"]


def test_tiny_float_total_matches_its_parts() -> None:
    # Rounding the total (but not its parts) to 4 decimals once gave 1e-05 + 1e-05 = 0.0.
    engine = standaard_engine()
    casus = _casus(**PAKKET_1)
    budget = engine.advies(casus, engine.ruleset(casus.peildatum, overrides=KLEIN))["budget"]
    delen = sum(v["uur_per_week"] for v in budget["volwassenen"]) + budget["kinderen"]["uur_per_week"]
    assert budget["totaal_uur_per_week"] == pytest.approx(delen, rel=1e-9, abs=0)  # 1e-05 + 1e-05 = 2e-05
