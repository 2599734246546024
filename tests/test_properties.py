"""Properties over random valid casussen: the engine agrees with the plain-Python oracle field by field,
and the invariants of domain.md hold whatever the input."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from hypothesis import HealthCheck, given, settings

from engine import standaard_engine
from engine.casus import parse_casus
from tests import oracle
from tests.strategies import casussen

CONTRACT_VELDEN = (
    "casus_id",
    "route",
    "indicerende_instantie",
    "directe_veiligheid_eerst",
    "perceel",
    "pakket",
    "vrije_trede",
    "naast_bestaande_wmo_zorg",
    "onderdelen",
    "uitgesloten_onderdelen",
    "duur_maanden",
)
BUDGET_VELDEN = (
    "volwassenen",
    "kinderen",
    "totaal_uur_per_week",
    "pleger_extramuraal_uur_per_week",
    "treden",
    "verblijf",
)
PROFILE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _params(peildatum: dt.date) -> dict[str, Any]:
    return oracle.load_params(peildatum)


def _engine_advies(raw: dict[str, Any]) -> dict[str, Any]:
    return standaard_engine().advies(parse_casus(raw))


def _oracle_advies(raw: dict[str, Any]) -> dict[str, Any]:
    casus = oracle.with_defaults(raw)
    peildatum = dt.date.fromisoformat(str(casus["peildatum"]))
    return oracle.advies(casus, _params(peildatum))


@PROFILE
@given(casussen())
def test_engine_agrees_with_oracle(raw: dict[str, Any]) -> None:
    got, want = _engine_advies(raw), _oracle_advies(raw)
    for veld in CONTRACT_VELDEN:
        assert got[veld] == want[veld], veld
    if want["budget"] is None:
        assert got["budget"] is None
    else:
        for veld in BUDGET_VELDEN:
            assert got["budget"][veld] == want["budget"][veld], f"budget.{veld}"
    assert [m["resultaatgebied"] for m in got["maatwerk"]] == want["maatwerk"]
    assert sorted(s["code"] for s in got["signaleringen"]) == sorted(want["signaleringen"])


@PROFILE
@given(casussen())
def test_invariants(raw: dict[str, Any]) -> None:
    advies = _engine_advies(raw)
    budget = advies["budget"]
    if advies["route"] != "hg_arrangement":
        assert budget is None and advies["perceel"] is None and advies["pakket"] is None
        assert advies["onderdelen"] == [] and advies["maatwerk"] == []
        return
    assert advies["pakket"] in (1, 2, 3)
    if advies["perceel"] in ("semimuraal", "intramuraal"):
        assert advies["pakket"] != 1, "pakket 1 bestaat niet semi-/intramuraal"
    if raw["geweld"].get("intieme_terreur"):
        assert "systeemgerichte_hulp" not in advies["onderdelen"]
        assert {"onderdeel": "systeemgerichte_hulp", "reden": "intieme terreur"} in advies["uitgesloten_onderdelen"]
    assert "casusregie" in advies["onderdelen"]
    uren = [v["uur_per_week"] for v in budget["volwassenen"]]
    if budget["kinderen"]:
        uren.append(budget["kinderen"]["uur_per_week"])
    assert all(u >= 0 for u in uren)
    assert abs(budget["totaal_uur_per_week"] - sum(uren)) < 1e-9
    if budget["pleger_extramuraal_uur_per_week"] is not None:
        assert 0 <= budget["pleger_extramuraal_uur_per_week"] <= sum(v["uur_per_week"] for v in budget["volwassenen"])


@PROFILE
@given(casussen())
def test_every_conclusion_is_explained(raw: dict[str, Any]) -> None:
    advies = _engine_advies(raw)
    regels = [u["regel"] for u in advies["uitleg"]]
    for entry in advies["uitleg"]:
        assert set(entry) >= {"regel", "conclusie", "omdat", "bron", "beleidskeuze", "tekst"}
        assert entry["omdat"] and entry["bron"] and entry["tekst"].strip()
    assert any(r.startswith("toegang.") or r == "scope.buiten_huiselijke_kring" for r in regels)
    if advies["route"] == "hg_arrangement":
        for prefix in ("perceel.", "pakket.vastgesteld", "duur.richtlijn", "onderdelen.casusregie"):
            assert any(r.startswith(prefix) for r in regels), prefix
    for signaal in advies["signaleringen"]:
        assert signaal["regel"] in regels
    beleid = [u for u in advies["uitleg"] if u["beleidskeuze"]]
    assert all("beleidskeuze" in u["tekst"] for u in beleid)
