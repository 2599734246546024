"""A replay over stored adviezen without a database: the stored-voor shortcut (engine.replay.replay_opgeslagen),
the besluiten counts of ReplayTelling and their merge, decoding a stored advies without its explanation
(api.opgeslagen.zonder_uitleg), the period in Amsterdam days, the parts, and the report's disclosure control
(api.replay_onderdrukking)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest

import engine.replay as replay_module
from api.herindicatie import ten_opzichte_van, ten_opzichte_van_tekst
from api.opgeslagen import OpgeslagenAdvies, Periode, delen, zonder_uitleg
from api.replay_onderdrukking import onderdruk
from engine.casus import Casus, parse_casus
from engine.evaluate import evaluate
from engine.replay import ReplayTelling, besluit_klopt, replay_opgeslagen, scenario_rulesets, telling_over
from engine.scenario import scenario_uit
from rules import standaard_engine
from tests.api.helpers import CASUSSEN, load_casus

PAKKET_3 = {"naam": "midden-voldoende-3", "parameters": {"pakket_matrix.midden.voldoende": 3}}


def _casus(naam: str) -> Casus:
    return parse_casus(load_casus(next(p for p in CASUSSEN if p.stem == naam)))


@pytest.fixture
def geteld(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes of the rulesets replay_opgeslagen evaluates with."""
    gezien: list[str] = []

    def tellend(casus: Casus, ruleset: Any) -> dict[str, Any]:
        gezien.append(ruleset.hash)
        return evaluate(casus, ruleset)

    monkeypatch.setattr(replay_module, "evaluate", tellend)
    return gezien


def _rulesets(casus: Casus) -> tuple[Any, Any]:
    engine = standaard_engine()
    return scenario_rulesets(engine, scenario_uit(PAKKET_3, engine), casus.peildatum)


def test_a_stored_advies_of_the_base_ruleset_is_the_advies_before(geteld: list[str]) -> None:
    casus = _casus("eigen-07")  # pakket 3 before and after: the scenario changes nothing here
    basis, anders = _rulesets(casus)
    opgeslagen = evaluate(casus, basis)
    voor, na, gebruikt = replay_opgeslagen(casus, opgeslagen, basis.hash, basis, anders)
    assert gebruikt and voor is opgeslagen and geteld == [anders.hash]  # only the scenario evaluated
    assert na == evaluate(casus, anders)


def test_a_stored_advies_of_another_ruleset_is_evaluated_again(geteld: list[str]) -> None:
    casus = _casus("eigen-07")
    basis, anders = _rulesets(casus)
    opgeslagen = {**evaluate(casus, basis), "pakket": 1}  # as an older ruleset might have advised
    voor, _, gebruikt = replay_opgeslagen(casus, opgeslagen, "sha256:een-oudere-regelset", basis, anders)
    assert not gebruikt and voor["pakket"] == 3 and sorted(geteld) == sorted([anders.hash, basis.hash])


def test_a_stored_advies_without_explanation_is_evaluated_again_only_when_it_changes(geteld: list[str]) -> None:
    gelijk, anders_casus = _casus("eigen-07"), _casus("eigen-06")  # eigen-06: pakket 2 before, 3 after
    for casus, opnieuw in ((gelijk, False), (anders_casus, True)):
        geteld.clear()
        basis, anders = _rulesets(casus)
        opgeslagen = evaluate(casus, basis)
        kaal = {k: v for k, v in opgeslagen.items() if k != "uitleg"}
        voor, na, gebruikt = replay_opgeslagen(casus, kaal, basis.hash, basis, anders)
        assert gebruikt is not opnieuw
        assert ("uitleg" in voor) is opnieuw  # the rules that concluded otherwise need the explanation
        # with `met_uitleg` (switched-off or added rules are counted) a stored advies without one is not used
        _, _, gebruikt = replay_opgeslagen(casus, kaal, basis.hash, basis, anders, met_uitleg=True)
        assert not gebruikt
        # the counts are those of evaluating both sides
        via_opslag, direct = ReplayTelling(), ReplayTelling()
        via_opslag.voeg_toe(voor, na)
        direct.voeg_toe(evaluate(casus, basis), evaluate(casus, anders))
        assert via_opslag.rapport("s")["velden"] == direct.rapport("s")["velden"]
        assert via_opslag.rapport("s")["regels"] == direct.rapport("s")["regels"]


def test_a_changed_casus_takes_the_explanation_from_the_stored_text_instead_of_evaluating_again(
        geteld: list[str]) -> None:
    casus = _casus("eigen-06")  # pakket 2 before, 3 after
    basis, anders = _rulesets(casus)
    opgeslagen = evaluate(casus, basis)
    tekst = orjson.dumps(opgeslagen)
    geteld.clear()
    voor, na, gebruikt = replay_opgeslagen(casus, zonder_uitleg(tekst), basis.hash, basis, anders,
                                           heel=lambda: orjson.loads(tekst))
    assert gebruikt and geteld == [anders.hash] and voor == opgeslagen  # the scenario alone evaluated
    via_tekst, direct = ReplayTelling(), ReplayTelling()
    via_tekst.voeg_toe(voor, na)
    direct.voeg_toe(evaluate(casus, basis), evaluate(casus, anders))
    assert via_tekst.rapport("s")["regels"] == direct.rapport("s")["regels"] != {}
    # a whole text without an explanation (another shape) still has the advies before evaluated again
    geteld.clear()
    _, _, gebruikt = replay_opgeslagen(casus, zonder_uitleg(tekst), basis.hash, basis, anders,
                                       heel=lambda: zonder_uitleg(tekst))
    assert not gebruikt and sorted(geteld) == sorted([anders.hash, basis.hash])


def test_a_besluit_matches_on_route_perceel_and_pakket() -> None:
    advies = {"route": "hg_arrangement", "perceel": "extramuraal", "pakket": 2, "vrije_trede": False}
    assert besluit_klopt(("hg_arrangement", "extramuraal", 2), advies)
    assert not besluit_klopt(("hg_arrangement", "extramuraal", 3), advies)
    assert not besluit_klopt(("hg_arrangement", "semimuraal", 2), advies)
    assert not besluit_klopt(("basishulp_wijkteam", None, None), advies)
    assert besluit_klopt(("buiten_scope", None, None), {"route": "buiten_scope", "perceel": None, "pakket": None})


def test_besluiten_are_counted_before_and_after_and_merge_across_parts() -> None:
    voor = {"route": "hg_arrangement", "perceel": "extramuraal", "pakket": 2}
    na = {**voor, "pakket": 3}
    besluiten = [("hg_arrangement", "extramuraal", 2), ("hg_arrangement", "extramuraal", 3),
                 ("hg_arrangement", "extramuraal", 3), ("hg_arrangement", "semimuraal", 1)]
    heel, delen_ = ReplayTelling(), [ReplayTelling(besluiten=[0, 0, 0]), ReplayTelling(besluiten=[0, 0, 0])]
    for i, besluit in enumerate(besluiten):
        heel.voeg_besluit_toe(besluit, voor, na)
        delen_[i % 2].voeg_besluit_toe(besluit, voor, na)
    assert heel.rapport("s")["besluiten"] == {"vergeleken": 4, "overeenkomend_voor": 1, "overeenkomend_na": 2}
    samen = ReplayTelling()
    for deel in delen_:
        samen.voeg_samen(deel)
    assert samen.besluiten == heel.besluiten == [4, 1, 2]
    assert "besluiten" not in telling_over([]).rapport("s")  # a replay without besluiten has no such block


def test_zonder_uitleg_decodes_the_stored_advies_without_its_explanation() -> None:
    casus = _casus("eigen-06")
    advies = {**standaard_engine().advies(casus), "vorig_advies_id": None}
    verwacht = {k: v for k, v in advies.items() if k != "uitleg"}
    assert zonder_uitleg(orjson.dumps(advies)) == verwacht
    assert zonder_uitleg(orjson.dumps(advies).decode()) == verwacht
    # a step whose text holds the very separator (escaped quotes inside a string): still decoded right
    lastig = {**advies, "uitleg": [{"regel": "x", "tekst": '],"ruleset": {'}, *advies["uitleg"]]}
    assert zonder_uitleg(orjson.dumps(lastig)) == verwacht
    # another shape (no ruleset after the explanation): decoded whole, the explanation left out
    anders = {"route": "x", "uitleg": [{"regel": "a"}], "pakket": 1}
    assert zonder_uitleg(orjson.dumps(anders)) == {"route": "x", "pakket": 1}


def test_a_stored_advies_decodes_its_explanation_only_when_asked_and_compares_it_as_text() -> None:
    advies = {**standaard_engine().advies(_casus("eigen-06")), "vorig_advies_id": None}
    opgeslagen = OpgeslagenAdvies(orjson.dumps(advies))
    assert opgeslagen.zonder_uitleg() == {k: v for k, v in advies.items() if k != "uitleg"}
    assert opgeslagen._heel is None and opgeslagen["route"] == advies["route"]  # no whole decode for a field
    assert opgeslagen.uitleg_gelijk(advies["uitleg"]) and opgeslagen._heel is None
    assert not opgeslagen.uitleg_gelijk(advies["uitleg"][1:]) and not opgeslagen.uitleg_gelijk(None)
    assert opgeslagen["uitleg"] == advies["uitleg"] and dict(opgeslagen) == advies and len(opgeslagen) == len(advies)
    assert opgeslagen.get("bestaat_niet") is None and "uitleg" in opgeslagen
    # another shape (no ruleset after the explanation): never judged equal on the text, decoded whole instead
    anders = OpgeslagenAdvies(orjson.dumps({"route": "x", "uitleg": [{"regel": "a"}], "pakket": 1}))
    assert not anders.uitleg_gelijk([{"regel": "a"}]) and anders["uitleg"] == [{"regel": "a"}]


@pytest.mark.parametrize("voor_naam", ["eigen-06", "vj-2020-1", "vj-2020-4"])
def test_the_herindicatie_difference_from_the_stored_text_is_the_one_from_the_decoded_advies(voor_naam: str) -> None:
    """ten_opzichte_van over the stored text (explanation compared as text) equals it over the decoded advies, for
    the same casus again (equal steps) and for every other casus of the library (other steps)."""
    engine = standaard_engine()
    voor = {**engine.advies(_casus(voor_naam)), "vorig_advies_id": None, "ten_opzichte_van_vorige": None}
    for pad in CASUSSEN:
        na = engine.advies(parse_casus(load_casus(pad)))
        assert ten_opzichte_van(OpgeslagenAdvies(orjson.dumps(voor)), na) == ten_opzichte_van(voor, na), pad.stem
        tekst = ten_opzichte_van_tekst(OpgeslagenAdvies(orjson.dumps(voor)), na, orjson.dumps(na))
        assert tekst == ten_opzichte_van(voor, na), pad.stem
    zelfde = engine.advies(_casus(voor_naam))
    assert ten_opzichte_van(OpgeslagenAdvies(orjson.dumps(voor)), zelfde)["regels"] == []
    opgeslagen = OpgeslagenAdvies(orjson.dumps(voor))
    assert opgeslagen.is_advies(orjson.dumps(zelfde)) and opgeslagen._heel is None  # the same text: not decoded
    assert not opgeslagen.is_advies(orjson.dumps({**zelfde, "pakket": 9}))
    assert ten_opzichte_van_tekst(opgeslagen, zelfde, orjson.dumps(zelfde)) == ten_opzichte_van(voor, zelfde)


def test_a_period_is_whole_days_in_amsterdam_with_tot_included() -> None:
    begin, einde = Periode(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).grenzen()
    assert begin == dt.datetime(2026, 2, 28, 23, tzinfo=dt.UTC)  # CET: UTC+1
    assert einde == dt.datetime(2026, 3, 31, 22, tzinfo=dt.UTC)  # 1 April 00:00 CEST (UTC+2), excluded
    assert Periode().grenzen() == (None, None)
    assert Periode.uit_dict(Periode(dt.date(2026, 1, 2)).as_dict()) == Periode(dt.date(2026, 1, 2))


def test_the_parts_cover_every_id_once() -> None:
    stukken = delen(Periode(), 8)
    assert len(stukken) == 8 and stukken[0].vanaf is None and stukken[-1].tot is None
    for a, b in zip(stukken, stukken[1:], strict=False):
        assert a.tot == b.vanaf
    for advies_id in ("00000000000000000000000000000000", "7fffffffffffffffffffffffffffffff", "ffff", "zz", ""):
        assert sum((d.vanaf is None or advies_id >= d.vanaf) and (d.tot is None or advies_id < d.tot)
                   for d in stukken) == 1
    assert delen(Periode(), 1)[0].as_dict() == {"periode": {"van": None, "tot": None}, "vanaf": None, "tot": None}


def _rapport(**overrides: Any) -> dict[str, Any]:
    rapport: dict[str, Any] = {
        "scenario": "s", "totaal": 40, "gewijzigd": 12,
        "verdeling": {"pakket": {"voor": {"1": 20, "2": 17, "3": 3}, "na": {"1": 20, "2": 10, "3": 10}}},
        "uren_per_week": {"voor": 400.0, "na": 410.0, "verschil": 10.0},
        "uren_looptijd": {"voor": 8000.0, "na": 8200.0, "verschil": 200.0}, "kosten": None,
        "velden": {"pakket": 12, "budget.totaal_uur_per_week": 2}, "regels": {"pakket.matrix": 12, "lid.kind": 1},
        "besluiten": {"vergeleken": 30, "overeenkomend_voor": 27, "overeenkomend_na": 20},
        "casussen": [{"casus_id": "RT-1", "wijzigingen": {}, "regels": []}], "waarschuwingen": [],
    }
    rapport.update(overrides)
    return rapport


def test_the_report_lists_no_casus_and_hides_small_counts_with_their_complement() -> None:
    r = onderdruk(_rapport(), 5)
    assert "casussen" not in r and "RT-1" not in orjson.dumps(r).decode()
    assert r["totaal"] == 40 and r["gewijzigd"] == 12 and r["minimum_aantal"] == 5
    # pakket 3 before (3) is small; alone it would follow from the total: pakket 2 (the smallest other) goes too
    assert r["verdeling"]["pakket"]["voor"] == {"1": 20, "2": None, "3": None}
    assert r["verdeling"]["pakket"]["na"] == {"1": 20, "2": 10, "3": 10}
    assert r["velden"] == {"pakket": 12, "budget.totaal_uur_per_week": None}
    assert r["regels"] == {"pakket.matrix": 12, "lid.kind": None}
    # 27 of 30 matched: the 3 that did not would follow from it
    assert r["besluiten"] == {"vergeleken": 30, "overeenkomend_voor": None, "overeenkomend_na": 20}
    assert r["uren_per_week"] == {"voor": 400.0, "na": 410.0, "verschil": 10.0}
    assert sorted(r["onderdrukt"]) == sorted([
        "verdeling.pakket.voor.3", "verdeling.pakket.voor.2", "velden.budget.totaal_uur_per_week",
        "regels.lid.kind", "besluiten.overeenkomend_voor"])


def test_a_sum_over_few_changed_casussen_is_hidden() -> None:
    r = onderdruk(_rapport(gewijzigd=2), 5)
    assert r["gewijzigd"] is None
    assert r["uren_per_week"] == {"voor": 400.0, "na": None, "verschil": None}
    assert r["uren_looptijd"] == {"voor": 8000.0, "na": None, "verschil": None}
    # nothing changed in the hours: nothing to hide there
    r = onderdruk(_rapport(gewijzigd=2, uren_per_week={"voor": 4.0, "na": 4.0, "verschil": 0.0}), 5)
    assert r["uren_per_week"]["na"] == 4.0
    # and 38 of 40 changed: the 2 unchanged ones would follow from the total
    assert onderdruk(_rapport(gewijzigd=38), 5)["gewijzigd"] is None


def test_with_a_minimum_of_one_nothing_is_hidden() -> None:
    r = onderdruk(_rapport(), 1)
    assert r["onderdrukt"] == [] and r["besluiten"]["overeenkomend_voor"] == 27 and "casussen" not in r


def test_counts_of_added_and_switched_off_rules_are_hidden_too() -> None:
    effect = {"scenario.x": {"soort": "toegevoegd", "gevuurd": 2, "waarschuwing": None},
              "lid.kind": {"soort": "uitgezet", "gevuurd": 0, "waarschuwing": "..."}}
    r = onderdruk(_rapport(regels_effect=effect), 5)
    assert r["regels_effect"]["scenario.x"]["gevuurd"] is None and r["regels_effect"]["lid.kind"]["gevuurd"] == 0
    assert "regels_effect.scenario.x.gevuurd" in r["onderdrukt"]
