"""Rules added by a scenario (`regels_bij`) agree with the oracle's independent reading of them, field by field,
over random valid casussen: held-out scenarios that together use every path kind, test and consequence, the
safety exclusions and conflicting rules."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from engine.casus import parse_casus
from engine.evaluate import evaluate
from engine.scenario import Scenario, scenario_uit
from rules import standaard_engine
from tests import oracle
from tests.strategies import casussen
from tests.test_properties import verschillen

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "ggz_zwaarder": [{
        "id": "scenario.ggz_zwaarder",
        "wanneer": {"signalen": {"bevat": "ggz"}, "veiligheid.niveau": {"in": ["midden", "hoog"]}},
        "dan": {"minimum_pakket": 3, "signalering": {"code": "ggz_fact_team", "tekst": "Betrek het FACT-team."}},
        "tekst": "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3.", "bron": "003 §3.4",
    }],
    "grote_gezinnen": [{
        "id": "scenario.vrije_trede_ook_semimuraal",
        "wanneer": {"aantal_kinderen": {"min": 2}, "woonsituatie.nabijheid_24u_nodig": {"gelijk": True}},
        "dan": {"vrije_trede": True, "onderdeel_bij": ["opvoedondersteuning", "kindgerichte_hulp"]},
        "tekst": "Ook semimuraal een vrije trede bij drie of meer kinderen.", "bron": "001 §3.1",
    }, {
        "id": "scenario.weinig_volwassenen",
        "wanneer": {"aantal_volwassenen_geteld": {"max": 1}, "aantal_kinderen": {"min": 1, "max": 4}},
        "dan": {"minimum_pakket": 2, "maatwerk_bij": "dagbesteding"},
        "tekst": "Een ouder alleen met kinderen krijgt minimaal pakket 2.", "bron": "001 §3.1",
    }],
    "vechtscheiding": [{
        "id": "scenario.vechtscheiding",
        "wanneer": {"signalen": {"bevat": ["vechtscheiding"]}},
        "dan": {"onderdeel_uit": {"onderdeel": "systeemgerichte_hulp", "reden": "vechtscheiding"},
                "maatwerk_bij": ["dagbesteding", "nachtelijke_ondersteuning"]},
        "tekst": "Bij een vechtscheiding geen gezamenlijke gesprekken.", "bron": "003 §3.4",
    }],
    "systeem_voor_iedereen": [{
        "id": "scenario.systeem_altijd",
        "dan": {"onderdeel_bij": "systeemgerichte_hulp"},
        "tekst": "Systeemgerichte hulp voor elk gezin.", "bron": "000 Doelen 3",
    }, {
        "id": "scenario.hulp_voor_iedereen",
        "wanneer": {"vaardigheden": {"niet": "voldoende"}},
        "dan": {"onderdeel_bij": ["slachtofferhulp", "plegerhulp", "specialistische_individuele_hulp"]},
        "tekst": "Individuele hulp voor iedereen bij beperkte vaardigheden.", "bron": "000 Eisen 9",
    }],
    "signalen_en_lijsten": [{
        "id": "scenario.geen_vorm",
        "wanneer": {"geweld.vormen": {"gelijk": []}, "inzet.verwachte_duur_maanden": {"min": 6, "max": 60}},
        "dan": {"signalering": {"code": "ggz_via_zvw", "tekst": "Dubbel signaal."}},
        "tekst": "Geen geweldsvorm opgegeven: let op.", "bron": "001 §1",
    }, {
        "id": "scenario.niet_structureel",
        "wanneer": {"geweld.structureel": {"gelijk": False}, "geweld.vormen": {"niet": ["fysiek", "seksueel"]}},
        "dan": {"signalering": {"code": "let_op_structureel", "tekst": "Ga na of het geweld toch structureel is."}},
        "tekst": "Niet structureel en geen lichamelijk geweld.", "bron": "001 §1",
    }, {
        "id": "scenario.stalking_of_seksueel",
        "wanneer": {"geweld.vormen": {"in": ["stalking", "seksueel"]}, "woonplaats": {"niet": "elders"},
                    "bestaande_wmo_zorg": {"in": ["geen", "semimuraal"]}},
        "dan": {"minimum_pakket": 3, "signalering": {"code": "let_op_structureel", "tekst": "Tweede keer."}},
        "tekst": "Stalking of seksueel geweld: minimaal pakket 3.", "bron": "003 §3.4",
    }],
    "tegenstrijdig": [{
        "id": "scenario.eruit",
        "wanneer": {"vaardigheden": {"in": ["voldoende", "beperkt"]}},
        "dan": {"onderdeel_uit": [{"onderdeel": "opvoedondersteuning", "reden": "voldoende vaardigheden"},
                                  {"onderdeel": "slachtofferhulp", "reden": "proef"}]},
        "tekst": "Minder onderdelen bij voldoende vaardigheden.", "bron": "000 Doelen 4",
    }, {
        "id": "scenario.erbij",
        "wanneer": {"veiligheid.acuut": {"niet": True}},
        "dan": {"onderdeel_bij": ["opvoedondersteuning", "slachtofferhulp"], "vrije_trede": True},
        "tekst": "Meer onderdelen zonder acuut gevaar.", "bron": "000 Doelen 4",
    }, {
        "id": "scenario.minder_systeem",
        "wanneer": {"aantal_kinderen": {"gelijk": 0}},
        "dan": {"onderdeel_uit": {"onderdeel": "systeemgerichte_hulp", "reden": "geen kinderen"},
                "onderdeel_bij": "kindgerichte_hulp"},
        "tekst": "Zonder kinderen geen systeemgerichte hulp.", "bron": "000 Doelen 3",
    }],
}


@cache
def _scenario(naam: str) -> Scenario:
    return scenario_uit({"naam": "regels-bij-proef", "regels_bij": SCENARIOS[naam]}, standaard_engine())


@cache
def _params(peildatum: dt.date) -> dict[str, Any]:
    return oracle.load_params(peildatum)


def _beide(naam: str, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    casus = parse_casus(raw)
    scenario = _scenario(naam)
    engine_advies = evaluate(casus, standaard_engine().ruleset(casus.peildatum, regels_bij=scenario.regels_bij))
    compleet = oracle.with_defaults(raw)
    trace: list[str] = []
    oracle_advies = oracle.advies(compleet, _params(casus.peildatum), trace, SCENARIOS[naam])
    return engine_advies, oracle_advies, trace


@pytest.mark.parametrize("naam", sorted(SCENARIOS))
@PROFILE
@given(raw=casussen())
def test_engine_agrees_with_oracle_on_added_rules(naam: str, raw: dict[str, Any]) -> None:
    engine_advies, oracle_advies, trace = _beide(naam, raw)
    assert verschillen(engine_advies, oracle_advies) == []
    # the added rules that hold are explained (a step under their own id), and no other added rule is
    toegevoegd = {r["id"] for r in SCENARIOS[naam]}
    uitgelegd = {stap["regel"] for stap in engine_advies["uitleg"]} & toegevoegd
    assert uitgelegd == set(trace) & toegevoegd
