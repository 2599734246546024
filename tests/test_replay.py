"""Replay: comparing two advies, counting a replay, merging partial counts, the report, and a held-out
check of the whole replay against the independent oracle (tests/oracle.py)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.casus import parse_casus
from engine.replay import (
    CONTRACT_VELDEN,
    CasusVerschil,
    ReplayTelling,
    contract_waarde,
    replay_casus,
    rulesets_per_peildatum,
    scenario_rulesets,
    vergelijk,
)
from engine.scenario import Scenario, scenario_uit
from rules import standaard_engine
from tests import oracle
from tests.strategies import casussen

CASUS_FILES = sorted((Path(__file__).resolve().parent.parent / "casussen").glob("*.yaml"))


def _uitleg(*stappen: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"regel": r, "conclusie": c, "omdat": [], "bron": "002 §1.5", "beleidskeuze": True, "tekst": "."}
            for r, c in stappen]


BASIS: dict[str, Any] = {
    "casus_id": "VJ-2020-1",
    "route": "hg_arrangement",
    "indicerende_instantie": "wijkteam",
    "directe_veiligheid_eerst": False,
    "perceel": "extramuraal",
    "pakket": 1,
    "vrije_trede": False,
    "naast_bestaande_wmo_zorg": False,
    "budget": {
        "volwassenen": [{"lid": "moeder", "uur_per_week": 0.75}],
        "kinderen": {"toegekend_aan": "zoon", "aantal": 1, "uur_per_week": 1.5},
        "totaal_uur_per_week": 2.25,
        "pleger_extramuraal_uur_per_week": None,
        "treden": {"semimurale_ondersteuning": None, "intramurale_ondersteuning": None,
                   "nachtelijke_ondersteuning": None},
        "verblijf": None,
    },
    "onderdelen": ["casusregie", "slachtofferhulp"],
    "uitgesloten_onderdelen": [],
    "maatwerk": [],
    "signaleringen": [{"code": "pleger_niet_meewerkend", "tekst": "...", "regel": "signalen.pleger_niet_meewerkend"}],
    "duur_maanden": 12,
    "uitleg": _uitleg(
        ("perceel.extramuraal", "extramuraal"),
        ("pakket.matrix", "pakket 1"),
        ("pakket.vastgesteld", "pakket 1"),
        ("budget.volwassenen", "1 × 0,75 uur per week"),
        ("budget.kinderen", "kinderen: 1,5 uur per week"),
        ("duur.richtlijn", "12 maanden"),
    ),
    "ruleset": {"naam": "hg-rotterdam", "versie": "2021-09-01", "hash": "sha256:basis"},
}


def _pakket_2(advies: dict[str, Any]) -> dict[str, Any]:
    """The same household with pakket 2 (matrix changed): 1.5 h per adult + 2 h for the children."""
    na = copy.deepcopy(advies)
    na["pakket"] = 2
    na["budget"]["volwassenen"][0]["uur_per_week"] = 1.5
    na["budget"]["kinderen"]["uur_per_week"] = 2.0
    na["budget"]["totaal_uur_per_week"] = 3.5  # 1.5 + 2
    na["uitleg"] = _uitleg(
        ("perceel.extramuraal", "extramuraal"),
        ("pakket.matrix", "pakket 2"),
        ("pakket.vastgesteld", "pakket 2"),
        ("budget.volwassenen", "1 × 1,5 uur per week"),
        ("budget.kinderen", "kinderen: 2 uur per week"),
        ("duur.richtlijn", "12 maanden"),
    )
    na["ruleset"] = {**advies["ruleset"], "hash": "sha256:scenario"}
    return na


# --------------------------------------------------------------------------- vergelijk


def test_unchanged_advies_is_no_difference() -> None:
    na = copy.deepcopy(BASIS)
    na["ruleset"]["hash"] = "sha256:anders"  # another ruleset alone is no change of the advies
    na["signaleringen"][0]["tekst"] = "andere tekst"  # signals are compared by code
    assert vergelijk(BASIS, na) is None


def test_changed_pakket_lists_the_fields_and_rules() -> None:
    verschil = vergelijk(BASIS, _pakket_2(BASIS))
    assert verschil == CasusVerschil(
        casus_id="VJ-2020-1",
        wijzigingen={
            "pakket": [1, 2],
            "budget.volwassenen": [[{"lid": "moeder", "uur_per_week": 0.75}], [{"lid": "moeder", "uur_per_week": 1.5}]],
            "budget.kinderen.uur_per_week": [1.5, 2.0],
            "budget.totaal_uur_per_week": [2.25, 3.5],
        },
        regels=["pakket.matrix", "pakket.vastgesteld", "budget.volwassenen", "budget.kinderen"],
    )
    assert verschil.as_dict()["wijzigingen"]["pakket"] == [1, 2]


def test_rules_appearing_and_disappearing_in_reasoning_order() -> None:
    voor = copy.deepcopy(BASIS)
    voor["uitleg"] = _uitleg(("a.een", "x"), ("b.alleen_voor", "y"), ("c.beide", "z"), ("e.laatste", "q"))
    voor["signaleringen"] = []
    na = copy.deepcopy(BASIS)
    na["uitleg"] = _uitleg(("a.een", "x"), ("c.beide", "z"), ("d.alleen_na", "w"), ("e.laatste", "anders"))
    verschil = vergelijk(voor, na)
    assert verschil is not None
    assert verschil.wijzigingen == {"signaleringen": [[], ["pleger_niet_meewerkend"]]}
    assert verschil.regels == ["b.alleen_voor", "d.alleen_na", "e.laatste"]


def test_repeated_rule_compares_all_its_conclusions() -> None:
    voor, na = copy.deepcopy(BASIS), copy.deepcopy(BASIS)
    voor["uitleg"] = _uitleg(("lid.kind", "zoon is een kind"), ("lid.kind", "dochter is een kind"))
    na["uitleg"] = _uitleg(("lid.kind", "zoon is een kind"))
    na["duur_maanden"] = 18
    verschil = vergelijk(voor, na)
    assert verschil is not None and verschil.regels == ["lid.kind"]


def test_arrangement_disappearing_names_the_nested_fields() -> None:
    na = {**copy.deepcopy(BASIS), "route": "basishulp_wijkteam", "perceel": None, "pakket": None, "budget": None,
          "onderdelen": [], "duur_maanden": None}
    verschil = vergelijk(BASIS, na)
    assert verschil is not None
    assert verschil.wijzigingen["budget.totaal_uur_per_week"] == [2.25, None]
    assert verschil.wijzigingen["budget.kinderen.toegekend_aan"] == ["zoon", None]
    assert "budget.treden.nachtelijke_ondersteuning" not in verschil.wijzigingen  # null on both sides
    assert list(verschil.wijzigingen)[:3] == ["route", "perceel", "pakket"]


def test_contract_velden_cover_every_oracle_field() -> None:
    """Every field of the oracle's advies (the contract) is compared, nested budget fields included."""
    casus = oracle.with_defaults(yaml.safe_load(CASUS_FILES[-1].read_text(encoding="utf-8"))["casus"])
    advies = oracle.advies(casus, oracle.load_params(casus["peildatum"]))
    flat = {k for k in advies if k not in ("casus_id", "budget")}
    flat |= {f"budget.{k}" for k, v in advies["budget"].items() if not isinstance(v, dict)}
    flat |= {f"budget.{k}.{s}" for k, v in advies["budget"].items() if isinstance(v, dict) for s in v}
    flat |= {"budget.kinderen.toegekend_aan", "budget.kinderen.aantal", "budget.kinderen.uur_per_week",
             "budget.verblijf.volwassen_clienten", "budget.verblijf.meekomende_kinderen"}
    # budget.kosten is null without tariffs; a replay compares its two amounts
    flat = (flat - {"budget.kosten"}) | {"budget.kosten.per_week", "budget.kosten.looptijd"}
    assert flat == set(CONTRACT_VELDEN)
    assert contract_waarde(BASIS, "budget.verblijf.meekomende_kinderen") is None


# --------------------------------------------------------------------------- ReplayTelling


def _basishulp(casus_id: str) -> dict[str, Any]:
    return {**copy.deepcopy(BASIS), "casus_id": casus_id, "route": "basishulp_wijkteam", "perceel": None,
            "pakket": None, "budget": None, "onderdelen": [], "duur_maanden": None, "uitleg": []}


def _paren() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    a = {**copy.deepcopy(BASIS), "casus_id": "A"}
    b = {**copy.deepcopy(BASIS), "casus_id": "B"}
    b["budget"]["totaal_uur_per_week"] = 0.1  # decimals that floats cannot add exactly
    c = _basishulp("C")
    d = {**copy.deepcopy(BASIS), "casus_id": "D"}
    d["budget"]["totaal_uur_per_week"] = 0.2
    return [(a, _pakket_2(a)), (b, b), (c, c), (d, _pakket_2(d))]


def test_totals_and_distributions() -> None:
    telling = ReplayTelling()
    for voor, na in _paren():
        telling.voeg_toe(voor, na)
    rapport = telling.rapport("matrix")
    assert (rapport["totaal"], rapport["gewijzigd"]) == (4, 2)
    assert rapport["verdeling"]["pakket"] == {"voor": {"1": 3, "2": 0, "geen": 1}, "na": {"1": 1, "2": 2, "geen": 1}}
    assert rapport["verdeling"]["perceel"] == {"voor": {"extramuraal": 3, "geen": 1},
                                               "na": {"extramuraal": 3, "geen": 1}}
    assert rapport["verdeling"]["route"]["na"] == {"basishulp_wijkteam": 1, "hg_arrangement": 3}
    # voor: 2.25 + 0.1 + 0 + 0.2 = 2.55 exactly (float addition gives 2.5500000000000003)
    # na:   3.5 + 0.1 + 0 + 3.5 = 7.1
    assert rapport["uren_per_week"] == {"voor": 2.55, "na": 7.1, "verschil": 4.55}
    assert rapport["velden"] == {"pakket": 2, "budget.volwassenen": 2, "budget.kinderen.uur_per_week": 2,
                                 "budget.totaal_uur_per_week": 2}
    assert rapport["regels"]["pakket.matrix"] == 2
    assert [c["casus_id"] for c in rapport["casussen"]] == ["A", "D"]
    assert rapport["casussen"][1]["wijzigingen"]["budget.totaal_uur_per_week"] == [0.2, 3.5]
    assert rapport["ruleset"] == {"voor": ["sha256:basis"], "na": ["sha256:basis", "sha256:scenario"]}
    assert rapport["waarschuwingen"] == []


def test_report_shape_matches_the_contract() -> None:
    scenario = Scenario("ruimere-vrije-trede", "b", "v?", "001 §3.1", {"vrije_trede.meer_dan_kinderen": 2}, ())
    telling = ReplayTelling()
    for voor, na in _paren():
        telling.voeg_toe(voor, na)
    rapport = json.loads(json.dumps(telling.rapport(scenario)))  # JSON-ready
    assert {"scenario", "totaal", "gewijzigd", "verdeling", "uren_per_week", "casussen"} <= set(rapport)
    assert rapport["scenario"] == "ruimere-vrije-trede" and rapport["vraag"] == "v?"
    assert {"pakket", "perceel", "route"} <= set(rapport["verdeling"])
    assert all(set(v) == {"voor", "na"} for v in rapport["verdeling"].values())
    assert all(isinstance(n, int) for v in rapport["verdeling"].values() for side in v.values() for n in side.values())
    assert {"voor", "na"} <= set(rapport["uren_per_week"])
    assert all(set(c) == {"casus_id", "wijzigingen", "regels"} for c in rapport["casussen"])
    assert all(len(pair) == 2 for c in rapport["casussen"] for pair in c["wijzigingen"].values())


def test_merged_counts_equal_one_count() -> None:
    paren = _paren() * 3
    een = ReplayTelling()
    for voor, na in paren:
        een.voeg_toe(voor, na)
    # Chunks in input order (implicit numbering).
    delen = [ReplayTelling() for _ in range(3)]
    for i, (voor, na) in enumerate(paren):
        delen[i * 3 // len(paren)].voeg_toe(voor, na)
    samen = ReplayTelling()
    for deel in delen:
        samen.voeg_samen(deel)
    assert samen.rapport("s") == een.rapport("s")
    # Round-robin shares with explicit positions.
    rr = [ReplayTelling(), ReplayTelling()]
    for i, (voor, na) in enumerate(paren):
        rr[i % 2].voeg_toe(voor, na, volgnummer=i)
    rr[1].voeg_samen(rr[0])
    assert rr[1].rapport("s") == een.rapport("s")
    assert [c["casus_id"] for c in een.rapport("s")["casussen"]] == ["A", "D"] * 3


def test_mixed_numbering_is_refused() -> None:
    telling = ReplayTelling()
    telling.voeg_toe(BASIS, BASIS)
    with pytest.raises(ValueError, match="volgnummers"):
        telling.voeg_toe(BASIS, BASIS, volgnummer=1)


def test_memory_does_not_grow_with_unchanged_casussen() -> None:
    telling = ReplayTelling()
    for _ in range(1000):
        telling.voeg_toe(BASIS, BASIS)
    assert telling.casussen == [] and telling.totaal == 1000
    assert telling.uren_voor == Decimal("2250.00")


def test_no_op_scenario_warns() -> None:
    engine = standaard_engine()
    scenario = scenario_uit({"naam": "niets", "parameters": {"vrije_trede.meer_dan_kinderen": 3}}, standaard_engine())
    telling = ReplayTelling()
    for path in CASUS_FILES[:5]:
        casus = parse_casus(yaml.safe_load(path.read_text(encoding="utf-8"))["casus"])
        telling.voeg_toe(*replay_casus(casus, *scenario_rulesets(engine, scenario, casus.peildatum)))
    waarschuwingen = telling.rapport(scenario)["waarschuwingen"]
    assert len(waarschuwingen) == 2
    assert waarschuwingen[0].startswith("Het scenario verandert geen enkel advies in deze 5 casussen")
    assert "dezelfde regelset" in waarschuwingen[1]
    assert ReplayTelling().rapport("leeg")["waarschuwingen"] == [
        "Er zijn geen casussen vergeleken: de casusbibliotheek is leeg."
    ]


def test_rule_switched_off_changes_the_advies() -> None:
    engine = standaard_engine()
    scenario = scenario_uit({"naam": "geen-minimum", "regels_uit": ["pakket.minimum_intieme_terreur"]}, engine)
    casus = parse_casus({
        "casus_id": "IT", "peildatum": "2021-09-01", "leden": [{"id": "moeder", "leeftijd": 30,
                                                                 "rollen": ["slachtoffer"]}],
        "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "intieme_terreur": True},
        "veiligheid": {"niveau": "laag"}, "vaardigheden": "voldoende",
    })
    verschil = vergelijk(*replay_casus(casus, *scenario_rulesets(engine, scenario, casus.peildatum)))
    assert verschil is not None
    assert verschil.wijzigingen["pakket"] == [2, 1]
    assert verschil.regels == ["pakket.minimum_intieme_terreur", "pakket.vastgesteld", "budget.volwassenen",
                               "budget.looptijd"]


# --------------------------------------------------------------------------- held-out check against the oracle

HELD_OUT = {
    "matrix": {"pakket_matrix.midden.voldoende": 2, "pakket_matrix.laag.onvoldoende": 3},
    "matrix-tabel": {"pakket_matrix.hoog": {"voldoende": 1, "beperkt": 2, "onvoldoende": 3}},
    "vrije-trede": {"vrije_trede.meer_dan_kinderen": 1},
    "uren-volwassenen": {"uren.extramuraal.volwassenen": [1, 2.25, 2.5], "uren.intramuraal.volwassenen": [None, 2, 3]},
    "uren-kinderen": {"uren.semimuraal.kinderen": [None, 2.5, 3.75], "uren.extramuraal.kinderen": [0.5, 2, 3]},
    "intieme-terreur": {"intieme_terreur.minimum_pakket": 3},
}


@functools.cache
def _oracle_params(peildatum: str) -> dict[str, Any]:
    return oracle.load_params(peildatum)


def _override(params: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(params)
    for pad, value in overrides.items():
        *parents, last = pad.split(".")
        node = changed
        for key in parents:
            node = node[key]
        node[last] = copy.deepcopy(value)
    return changed


def _library() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))["casus"] for p in CASUS_FILES]


def _held_out(
    naam: str, population: list[dict[str, Any]], oracle_overrides: dict[str, Any] | None = None
) -> int:
    """Replay `population` under HELD_OUT[naam] and compare with the oracle; return the number changed."""
    engine = standaard_engine()
    scenario = scenario_uit({"naam": naam, "parameters": HELD_OUT[naam]}, standaard_engine())
    telling = ReplayTelling()
    expected_changed: list[str] = []
    uren = [Decimal(0), Decimal(0)]
    for i, raw in enumerate(population):
        raw = {**raw, "casus_id": f"C{i}"}  # drawn ids may repeat
        casus = parse_casus(raw)
        telling.voeg_toe(*replay_casus(casus, *scenario_rulesets(engine, scenario, casus.peildatum)))

        full = oracle.with_defaults(raw)
        params = _oracle_params(full["peildatum"])
        scenario_params = _override(params, oracle_overrides or HELD_OUT[naam])
        voor, na = oracle.advies(full, params), oracle.advies(full, scenario_params)
        if voor != na:
            expected_changed.append(raw["casus_id"])
        for j, advies in enumerate((voor, na)):
            if advies["budget"] is not None:
                uren[j] += Decimal(repr(advies["budget"]["totaal_uur_per_week"]))
    rapport = telling.rapport(scenario)
    assert [c["casus_id"] for c in rapport["casussen"]] == expected_changed
    assert rapport["uren_per_week"]["voor"] == float(uren[0])
    assert rapport["uren_per_week"]["na"] == float(uren[1])
    return len(expected_changed)


@pytest.mark.parametrize("naam", sorted(HELD_OUT))
def test_held_out_library(naam: str) -> None:
    assert _held_out(naam, _library()) > 0  # the library exercises every held-out scenario


@pytest.mark.parametrize("naam", sorted(HELD_OUT))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(population=st.lists(casussen(), min_size=1, max_size=12))
def test_held_out_random_population(naam: str, population: list[dict[str, Any]]) -> None:
    _held_out(naam, population)


def test_held_out_check_can_fail() -> None:
    """The check notices a replay that differs from the oracle's: the engine replays minimum pakket 3,
    the oracle is given the baseline value 2 (a no-op), so the changed casussen cannot agree."""
    with pytest.raises(AssertionError):
        _held_out("intieme-terreur", _library(), oracle_overrides={"intieme_terreur.minimum_pakket": 2})


def test_scenario_peildatum_is_used_for_the_scenario_side() -> None:
    engine = standaard_engine()
    scenario = Scenario("later", "", "", "", {}, (), peildatum=dt.date(2030, 1, 1))
    basis, anders = scenario_rulesets(engine, scenario, dt.date(2021, 9, 1))
    assert basis is anders  # one version exists: the same compiled ruleset
    with pytest.raises(ValueError, match="geen regelset"):
        scenario_rulesets(engine, Scenario("vroeg", "", "", "", {}, (), dt.date(2000, 1, 1)), dt.date(2021, 9, 1))


def test_rulesets_per_peildatum_gives_scenario_rulesets_and_looks_each_date_up_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = standaard_engine()
    scenario = Scenario("ruimer", "", "", "", {"vrije_trede.meer_dan_kinderen": 2}, ())
    opzoeken = []
    echt = engine.ruleset
    monkeypatch.setattr(engine, "ruleset", lambda *a, **kw: (opzoeken.append(a[0]), echt(*a, **kw))[1])
    rulesets = rulesets_per_peildatum(engine, scenario)
    dagen = (dt.date(2021, 9, 1), dt.date(2022, 3, 4), dt.date(2021, 9, 1), dt.date(2022, 3, 4))
    gevonden = [rulesets(dag) for dag in dagen]
    assert sorted(opzoeken) == [dt.date(2021, 9, 1)] * 2 + [dt.date(2022, 3, 4)] * 2  # base and scenario, once
    assert gevonden == [scenario_rulesets(engine, scenario, dag) for dag in dagen]
    basis, anders = rulesets(dt.date(2021, 9, 1))
    assert basis is not anders and anders.params.get("vrije_trede.meer_dan_kinderen") == 2


def test_the_key_of_the_rules_in_force_is_the_general_form() -> None:
    import orjson

    engine = standaard_engine()
    dag = dt.date(2021, 9, 1)
    algemeen = (engine.version_for(dag), orjson.dumps({}, option=orjson.OPT_SORT_KEYS), (), orjson.dumps([]))
    assert engine._key(dag, None, (), ()) == engine._key(dag, {}, [], []) == algemeen
    assert engine.ruleset(dag) is engine.ruleset(dag, {}, (), ())
