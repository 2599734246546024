"""Scenarios: what is refused (with the field and a Dutch message), and the shipped scenarios."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import rules
from engine.casus import parse_casus
from engine.replay import ReplayTelling, replay_casus, scenario_rulesets
from engine.scenario import SCENARIO, Scenario, ScenarioFout, lees_scenario, scenario_uit
from rules import standaard_engine

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
CASUS_FILES = sorted((ROOT / "casussen").glob("*.yaml"))
CONTRACT_PADEN = re.compile(
    r"pakket_matrix\.\w+(\.\w+)?|uren\.\w+\.(volwassenen|kinderen)|vrije_trede\.meer_dan_kinderen"
    r"|intieme_terreur\.minimum_pakket|duur\.richtlijn_maanden|toegang\.minimale_duur_maanden"
)


def _fouten(data: object, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ScenarioFout) as caught:
        scenario_uit(data, kwargs.pop("engine", standaard_engine()), **kwargs)
    assert str(caught.value)  # the exception message lists the errors too
    return {f.veld: f.melding for f in caught.value.fouten}


def _scenario(**extra: Any) -> dict[str, Any]:
    return {"naam": "test", **extra}


# --------------------------------------------------------------------------- accepted


def test_contract_example_is_accepted() -> None:
    scenario = scenario_uit(
        {
            "naam": "ruimere-vrije-trede",
            "beschrijving": "Vrije trede al vanaf 3 kinderen; midden/voldoende wordt pakket 2",
            "parameters": {"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2},
            "regels_uit": [],
        }, standaard_engine()
    )
    assert scenario == Scenario(
        naam="ruimere-vrije-trede",
        beschrijving="Vrije trede al vanaf 3 kinderen; midden/voldoende wordt pakket 2",
        vraag="",
        bron="",
        parameters={"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2},
        regels_uit=(),
    )


def test_whole_tables_rules_off_and_peildatum_are_accepted() -> None:
    scenario = scenario_uit(
        _scenario(
            peildatum="2022-01-01",
            parameters={"pakket_matrix.laag": {"voldoende": 1, "beperkt": 2, "onvoldoende": 2}},
            regels_uit=["pakket.vrije_trede", "pakket.vrije_trede"],
        ), standaard_engine()
    )
    assert scenario.peildatum == dt.date(2022, 1, 1)
    assert scenario.regels_uit == ("pakket.vrije_trede",)  # a repeated id counts once


def test_validation_leaves_the_baseline_untouched() -> None:
    engine = standaard_engine()
    before = engine.tree.resolve(dt.date(2021, 9, 1)).canonical()
    scenario_uit(
        _scenario(parameters={"pakket_matrix.hoog.voldoende": 3, "uren.extramuraal.kinderen": [2, 3, 4]}), engine
    )
    assert engine.tree.resolve(dt.date(2021, 9, 1)).canonical() == before
    assert engine.ruleset(dt.date(2021, 9, 1)).params.get("pakket_matrix.hoog.voldoende") == 2


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize("data", [None, [], "naam: x", 3])
def test_not_a_mapping(data: object) -> None:
    assert "YAML- of JSON-object" in _fouten(data)[SCENARIO]


@pytest.mark.parametrize("data", [{}, {"naam": ""}, {"naam": None, "parameters": {}}])
def test_missing_or_empty_naam(data: object) -> None:
    assert _fouten(data) == {"naam": "verplicht veld ontbreekt: geef het scenario een naam"}


@pytest.mark.parametrize("naam", ["met spatie", 3, "x" * 65])
def test_invalid_naam(naam: object) -> None:
    assert "ongeldige naam" in _fouten({"naam": naam})["naam"]


def test_unknown_top_level_key_with_suggestion() -> None:
    fouten = _fouten(_scenario(parameter={"duur.richtlijn_maanden": 6}, opmerking="x"))
    assert fouten["parameter"] == "onbekend veld; niet toegestaan (controleer de spelling; bedoelt u 'parameters'?)"
    assert fouten["opmerking"] == "onbekend veld; niet toegestaan (controleer de spelling)"


@pytest.mark.parametrize("veld", ["beschrijving", "vraag", "bron"])
def test_texts_must_be_text(veld: str) -> None:
    assert _fouten(_scenario(**{veld: ["a"]})) == {veld: "moet tekst zijn"}


@pytest.mark.parametrize("value", [[], "duur.richtlijn_maanden: 6", 6])
def test_parameters_not_a_mapping(value: object) -> None:
    assert "moet een object zijn" in _fouten(_scenario(parameters=value))["parameters"]


@pytest.mark.parametrize(
    ("pad", "hint"),
    [
        ("pakket_matrix.hoog.slecht", ""),
        ("vrije_trede.meer_dan_kinderne", "; bedoelt u 'vrije_trede.meer_dan_kinderen'?"),
        ("uren.dagbehandeling.volwassenen", ""),
        ("bestaat_niet", ""),
    ],
)
def test_unknown_parameter_path(pad: str, hint: str) -> None:
    assert _fouten(_scenario(parameters={pad: 1})) == {f"parameters.{pad}": "onbekend parameterpad" + hint}


@pytest.mark.parametrize(
    ("pad", "value", "veld", "melding"),
    [
        ("pakket_matrix.hoog.beperkt", 4, "parameters.pakket_matrix.hoog.beperkt", "moet van 1 tot en met 3 zijn"),
        ("pakket_matrix.hoog.beperkt", "drie", "parameters.pakket_matrix.hoog.beperkt", "geheel getal"),
        ("pakket_matrix.hoog.beperkt", True, "parameters.pakket_matrix.hoog.beperkt", "geheel getal"),
        ("vrije_trede.meer_dan_kinderen", 2.5, "parameters.vrije_trede.meer_dan_kinderen", "geheel getal"),
        ("duur.richtlijn_maanden", 0, "parameters.duur.richtlijn_maanden", "van 1 tot en met 120"),
        ("uren.extramuraal.volwassenen", [1, 2], "parameters.uren.extramuraal.volwassenen", "lijst van 3 waarden"),
        ("uren.extramuraal.kinderen", [1, "x", 3], "parameters.uren.extramuraal.kinderen", "waarde 2: moet een getal"),
        # Shape: a table must keep its keys; a single value is no table.
        ("pakket_matrix.hoog", 3, "parameters.pakket_matrix.hoog", "verwacht een tabel met de sleutels"),
        ("pakket_matrix.hoog", {"voldoende": 2}, "parameters.pakket_matrix.hoog", "verwacht een tabel"),
        ("pakket_matrix.hoog.beperkt", {"a": 1}, "parameters.pakket_matrix.hoog.beperkt", "geen tabel"),
        (
            "pakket_matrix.hoog",
            {"voldoende": 2, "beperkt": 9, "onvoldoende": 3},
            "parameters.pakket_matrix.hoog.beperkt",
            "moet van 1 tot en met 3 zijn",
        ),
    ],
)
def test_wrong_value_names_the_path(pad: str, value: object, veld: str, melding: str) -> None:
    fouten = _fouten(_scenario(parameters={pad: value}))
    assert list(fouten) == [veld]
    assert melding in fouten[veld]


def test_pakket_1_semimuraal_needs_its_hours_and_treden() -> None:
    fouten = _fouten(_scenario(parameters={"semi_intramuraal.minimum_pakket": 1}))
    assert set(fouten) == {
        f"parameters.{tabel}.{perceel}.{sleutel}"
        for perceel in ("semimuraal", "intramuraal")
        for tabel, sleutels in (("uren", ("volwassenen", "kinderen")), ("treden", ("ondersteuning", "nachtelijk")))
        for sleutel in sleutels
    }
    assert fouten["parameters.uren.semimuraal.volwassenen"].startswith("pakket 1 kan semimuraal voorkomen")


@pytest.mark.parametrize("value", ["pakket.vrije_trede", {"pakket.vrije_trede": True}, 3])
def test_regels_uit_not_a_list(value: object) -> None:
    assert "moet een lijst van regel-id's zijn" in _fouten(_scenario(regels_uit=value))["regels_uit"]


def test_regels_uit_unknown_and_not_switchable_rules() -> None:
    fouten = _fouten(_scenario(regels_uit=["pakket.vrije_trede", "pakket.matrx", 7, "huishouden.samenstelling"]))
    assert fouten == {
        "regels_uit[1]": "onbekende regel 'pakket.matrx'; bedoelt u 'pakket.matrix'?",
        "regels_uit[2]": "moet een regel-id (tekst) zijn",
        "regels_uit[3]": "regel 'huishouden.samenstelling' kan niet uitgeschakeld worden",
    }


@pytest.mark.parametrize(
    ("peildatum", "melding"),
    [("2021-02-30", "ongeldige datum"), ("gisteren", "ongeldige datum"), ("2020-01-01", "geen regelset van kracht")],
)
def test_peildatum(peildatum: str, melding: str) -> None:
    assert melding in _fouten(_scenario(peildatum=peildatum))["peildatum"]


def test_validation_date_argument_is_used() -> None:
    assert "geen regelset van kracht" in _fouten(_scenario(), peildatum=dt.date(2019, 1, 1))["peildatum"]


def test_every_error_is_reported_at_once() -> None:
    fouten = _fouten(
        {
            "beschrijving": 1,
            "parametres": {},
            "parameters": {"pakket_matrix.hoog.beperkt": 0, "duur.richtlijn": 6, "duur.richtlijn_maanden": 6},
            "regels_uit": ["geen.regel"],
        }
    )
    assert set(fouten) == {
        "naam",
        "beschrijving",
        "parametres",
        "parameters.pakket_matrix.hoog.beperkt",
        "parameters.duur.richtlijn",
        "regels_uit[0]",
    }


# --------------------------------------------------------------------------- files


def test_lees_scenario_json_and_yaml(tmp_path: Path) -> None:
    data = {"naam": "kort", "parameters": {"duur.richtlijn_maanden": 6}}
    (tmp_path / "kort.json").write_text(json.dumps(data))
    (tmp_path / "kort.yaml").write_text(yaml.safe_dump(data))
    engine = standaard_engine()
    assert lees_scenario(tmp_path / "kort.json", engine) == lees_scenario(tmp_path / "kort.yaml", engine)
    assert lees_scenario(tmp_path / "kort.json", engine).parameters == {"duur.richtlijn_maanden": 6}


@pytest.mark.parametrize(
    ("name", "text", "melding"),
    [
        ("kapot.json", "{\"naam\": ", "ongeldige JSON op regel 1"),
        ("kapot.yaml", "naam: [x", "ongeldige YAML"),
        ("leeg.yaml", "", "YAML- of JSON-object"),
    ],
)
def test_lees_scenario_unreadable(tmp_path: Path, name: str, text: str, melding: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ScenarioFout) as caught:
        lees_scenario(tmp_path / name, standaard_engine())
    assert [f.veld for f in caught.value.fouten] == [SCENARIO]
    assert melding in caught.value.fouten[0].melding


def test_lees_scenario_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioFout) as caught:
        lees_scenario(tmp_path / "nergens.yaml", standaard_engine())
    assert "kan het bestand" in caught.value.fouten[0].melding


# --------------------------------------------------------------------------- shipped scenarios


def test_at_least_four_scenarios_including_the_contract_example() -> None:
    assert len(SCENARIO_FILES) >= 4
    assert "ruimere-vrije-trede.yaml" in {f.name for f in SCENARIO_FILES}


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_shipped_scenario_is_documented(path: Path) -> None:
    scenario = lees_scenario(path, standaard_engine())
    assert scenario.naam == path.stem
    assert scenario.beschrijving and scenario.vraag.endswith("?")
    assert re.fullmatch(r"00[0-4] [^;]+(; 00[0-4] [^;]+)*", scenario.bron), scenario.bron
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    velden = {"naam", "beschrijving", "vraag", "bron", "parameters", "regels_uit"}
    assert velden <= set(raw) <= {*velden, "regels_bij"}  # regels_bij: tests/test_scenario_regels.py


def test_contract_paths_are_used() -> None:
    used = {pad for path in SCENARIO_FILES for pad in lees_scenario(path, standaard_engine()).parameters}
    assert len({pad for pad in used if CONTRACT_PADEN.fullmatch(pad)}) >= 6


@pytest.fixture(scope="module")
def casussen() -> list[Any]:
    return [parse_casus(yaml.safe_load(p.read_text(encoding="utf-8"))["casus"]) for p in CASUS_FILES]


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_shipped_scenario_changes_the_library(path: Path, casussen: list[Any]) -> None:
    engine = standaard_engine()
    scenario = lees_scenario(path, standaard_engine())
    telling = ReplayTelling()
    for casus in casussen:
        telling.voeg_toe(*replay_casus(casus, *scenario_rulesets(engine, scenario, casus.peildatum)))
    rapport = telling.rapport(scenario)
    assert rapport["totaal"] == len(CASUS_FILES)
    assert 0 < rapport["gewijzigd"] < rapport["totaal"]
    assert rapport["waarschuwingen"] == []
    assert rapport["regels"]  # the changes are explained by rules that concluded otherwise


def test_switching_off_the_semi_intramural_minimum_needs_pakket_1_hours_there() -> None:
    """Without the rule, pakket 1 can occur semi/intramurally: a scenario must give its hours and treden."""
    fouten = _fouten(_scenario(regels_uit=["pakket.minimum_semi_intramuraal"]))
    assert "regel pakket.minimum_semi_intramuraal staat uit" in fouten["parameters.uren.semimuraal.volwassenen"]


def test_every_rule_that_can_be_switched_off_leaves_a_working_engine() -> None:
    """A scenario may switch off any rule it accepts; no casus of the library may then crash the evaluation."""
    engine = standaard_engine()
    for regel in (r for r in rules.RULES if r.uitschakelbaar):
        try:
            scenario = scenario_uit({"naam": "uit", "regels_uit": [regel.id]}, standaard_engine())
        except ScenarioFout:
            continue  # refused before anything runs, with its reason
        for pad in CASUS_FILES:
            casus = parse_casus(yaml.safe_load(pad.read_text(encoding="utf-8"))["casus"])
            advies = engine.advies(casus, engine.ruleset(casus.peildatum, regels_uit=scenario.regels_uit))
            assert regel.id not in {u["regel"] for u in advies["uitleg"]}
