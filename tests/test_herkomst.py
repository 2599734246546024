"""The dependency graph of the rules (engine/herkomst.py): derived from the rules' patterns and action source,
checked against what the rules actually read and write at run time, and refusing what it cannot follow."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

import engine.evaluate
from cli.genereer import synthetische_casussen
from engine.casus import Casus, parse_casus
from engine.context import Work
from engine.dsl import F, fact
from engine.herkomst import HerkomstFout, herkomst, toegang, veldkanalen
from engine.parameters import Parameters
from engine.rule import Rule, rule
from rules import RULES, standaard_engine

CASUSSEN = sorted((Path(__file__).parent.parent / "casussen").glob("*.yaml"))
VELDEN = ("route", "perceel", "pakket", "maatwerk")
GRAAF = herkomst(RULES, VELDEN)


# --- the dynamic cross-check ------------------------------------------------------------------------------


class _Opname(dict[str, Any]):
    """A part of the working memory (slots, lists, data) that records every key a rule reads or writes."""

    def __init__(self, werk: _OpnameWerk, soort: str) -> None:
        super().__init__()
        self._werk, self._soort = werk, soort

    def _lees(self, sleutel: str) -> None:
        self._werk.noteer("leest", f"{self._soort}:{sleutel}")

    def _schrijf(self, sleutel: str) -> None:
        self._werk.noteer("schrijft", f"{self._soort}:{sleutel}")

    def __getitem__(self, sleutel: str) -> Any:
        self._lees(sleutel)
        return super().__getitem__(sleutel)

    def get(self, sleutel: str, standaard: Any = None) -> Any:  # type: ignore[override]
        self._lees(sleutel)
        return super().get(sleutel, standaard)

    def __contains__(self, sleutel: object) -> bool:
        self._lees(str(sleutel))
        return super().__contains__(sleutel)

    def setdefault(self, sleutel: str, standaard: Any = None) -> Any:
        self._lees(sleutel)
        self._schrijf(sleutel)
        return super().setdefault(sleutel, standaard)

    def __setitem__(self, sleutel: str, waarde: Any) -> None:
        self._schrijf(sleutel)
        super().__setitem__(sleutel, waarde)

    def pop(self, sleutel: str, *standaard: Any) -> Any:  # type: ignore[override]
        self._schrijf(sleutel)
        return super().pop(sleutel, *standaard)

    def __iter__(self) -> Any:
        self._lees("*")  # reading the whole memory: never expected
        return super().__iter__()


class _OpnameWerk(Work):
    """The working memory, instrumented: per rule, what it read and wrote while its action ran."""

    def __init__(self, casus: Casus, params: Parameters) -> None:
        super().__init__(casus, params)
        self.nu: str | None = None
        self.intern = False  # Work's own methods read their slots: not the rule's reads
        self.slots, self.lists, self.data = _Opname(self, "slot"), _Opname(self, "lijst"), _Opname(self, "data")
        OPNAME["werk"].append(self)

    def noteer(self, soort: str, kanaal: str) -> None:
        if self.nu is not None and not self.intern:
            OPNAME[soort].setdefault(self.nu, set()).add(kanaal)  # type: ignore[union-attr]

    def begin(self, rule: Rule, session: Any, condition_params: dict[str, Any]) -> None:
        super().begin(rule, session, condition_params)
        self.nu = rule.id
        OPNAME["gevuurd"].setdefault(rule.id, set())  # type: ignore[union-attr]

    def set(self, slot: str, value: Any) -> None:
        self.intern = True
        try:
            super().set(slot, value)
        finally:
            self.intern = False
        self.noteer("schrijft", f"slot:{slot}")

    def add(self, slot: str, item: Any) -> None:
        self.intern = True
        try:
            super().add(slot, item)
        finally:
            self.intern = False
        self.noteer("schrijft", f"lijst:{slot}")

    def assert_fact(self, **fields: Any) -> None:
        self.noteer("schrijft", f"feit:{fields['t']}")
        super().assert_fact(**fields)


OPNAME: dict[str, Any] = {}


def _casussen() -> list[dict[str, Any]]:
    library = [yaml.safe_load(p.read_text(encoding="utf-8"))["casus"] for p in CASUSSEN]
    # The library, and a synthetic population for the rules it does not reach (cli/genereer.py, fixed seed).
    return library + list(itertools.islice(synthetische_casussen(600, seed=13), 600))


@pytest.fixture(scope="module")
def opname() -> dict[str, Any]:
    OPNAME.clear()
    OPNAME.update({"leest": {}, "schrijft": {}, "gevuurd": {}, "werk": []})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine.evaluate, "Work", _OpnameWerk)
        for data in _casussen():
            casus = parse_casus(data)
            werk = engine.evaluate.evaluate_work(casus, standaard_engine().ruleset(casus.peildatum))
            assert isinstance(werk, _OpnameWerk)
            werk.nu = None
    return dict(OPNAME)


def test_the_recording_sees_every_rule_fire(opname: dict[str, Any]) -> None:
    """Otherwise the cross-check below would not cover every rule."""
    assert set(opname["gevuurd"]) == {r.id for r in RULES}
    assert opname["werk"], "the instrumented working memory was used"


def test_every_write_at_run_time_is_in_the_rules_static_write_set(opname: dict[str, Any]) -> None:
    geschreven = opname["schrijft"]
    assert geschreven, "the recording saw writes"
    for regel, kanalen in geschreven.items():
        statisch = GRAAF.regels[regel].schrijft
        assert kanalen <= statisch, f"{regel} wrote {sorted(kanalen - statisch)} that the analysis missed"


def test_every_read_at_run_time_is_in_the_rules_static_read_set(opname: dict[str, Any]) -> None:
    """A read the analysis missed would hide a rule that fed another (a too small `velden`)."""
    gelezen = opname["leest"]
    assert gelezen
    for regel, kanalen in gelezen.items():
        statisch = GRAAF.regels[regel].leest
        assert kanalen <= statisch, f"{regel} read {sorted(kanalen - statisch)} that the analysis missed"


def test_the_static_sets_are_not_everything(opname: dict[str, Any]) -> None:
    """The check above cannot pass by a static set that holds every channel: writes are specific."""
    alle = set().union(*(t.schrijft for t in GRAAF.regels.values()))
    for regel, t in GRAAF.regels.items():
        assert len(t.schrijft) <= 6 < len(alle), regel
    assert GRAAF.regels["lid.kind"].schrijft == {"data:leden"}
    assert GRAAF.regels["pakket.matrix"].schrijft == {"feit:pakket_kandidaat", "data:pakket_kandidaten"}


# --- what concluded or fed each field ---------------------------------------------------------------------


PERCEEL_REGELS = {"perceel.extramuraal", "perceel.semimuraal", "perceel.intramuraal",
                  "perceel.naast_bestaande_wmo_zorg"}
ROUTE_REGELS = {"toegang.hg_arrangement", "toegang.basishulp", "scope.buiten_huiselijke_kring"}


def test_assemble_maps_the_advies_fields_to_their_slots() -> None:
    kanalen = veldkanalen()
    assert kanalen["route"] == {"slot:route"}
    assert kanalen["perceel"] == {"slot:perceel"}
    assert kanalen["pakket"] == {"slot:pakket"}
    assert kanalen["maatwerk"] == {"lijst:maatwerk"}
    assert "slot:budget.verblijf" in kanalen["budget"] and kanalen["casus_id"] == frozenset()


def test_a_perceel_deviation_counts_against_the_perceel_rules_and_what_feeds_them() -> None:
    perceel = GRAAF.velden["perceel"]
    assert perceel >= PERCEEL_REGELS
    assert "toegang.hg_arrangement" in perceel  # the route fact the perceel rules match on
    assert perceel == PERCEEL_REGELS | ROUTE_REGELS


@pytest.mark.parametrize("regel", ["lid.kind", "duur.richtlijn", "huishouden.samenstelling", "budget.volwassenen",
                                   "pakket.matrix", "pakket.vrije_trede", "signalen.profiel_ggz_lvb",
                                   "instantie.wijkteam", "veiligheid.directe_veiligheid_eerst"])
def test_a_perceel_deviation_does_not_count_against_rules_that_did_not_shape_it(regel: str) -> None:
    assert regel not in GRAAF.velden["perceel"]


def test_the_pakket_is_fed_by_the_matrix_its_minimums_and_the_perceel() -> None:
    pakket = GRAAF.velden["pakket"]
    assert {"pakket.matrix", "pakket.minimum_intieme_terreur", "pakket.minimum_semi_intramuraal",
            "pakket.bestaande_wmo_zorg", "pakket.vastgesteld"} <= pakket
    assert pakket >= PERCEEL_REGELS
    for regel in ("pakket.vrije_trede", "lid.kind", "duur.richtlijn", "budget.kinderen", "fase.herstel"):
        assert regel not in pakket, regel


def test_the_route_is_concluded_by_the_route_rules_only() -> None:
    assert GRAAF.velden["route"] == ROUTE_REGELS


def test_maatwerk_counts_the_rule_that_said_it_is_included_in_the_pakket() -> None:
    """`maatwerk.nachtelijke_ondersteuning_inbegrepen` writes nothing; it tests the same fact fields as
    `maatwerk.nachtelijke_ondersteuning` (its tegenhanger) and so concludes the same field, the other way."""
    maatwerk = GRAAF.velden["maatwerk"]
    assert {"maatwerk.dagbesteding", "maatwerk.toeleiding_schulddienstverlening", "maatwerk.nachtelijke_ondersteuning",
            "maatwerk.nachtelijke_ondersteuning_inbegrepen"} <= maatwerk
    assert GRAAF.regels["maatwerk.nachtelijke_ondersteuning_inbegrepen"].schrijft == frozenset()
    assert "pakket.matrix" not in maatwerk and "lid.kind" not in maatwerk
    assert GRAAF.velden_van("maatwerk.nachtelijke_ondersteuning_inbegrepen") == ("maatwerk",)


def test_velden_van_names_the_fields_in_order() -> None:
    assert GRAAF.velden_van("toegang.hg_arrangement") == VELDEN
    assert GRAAF.velden_van("pakket.matrix") == ("pakket",)
    assert GRAAF.velden_van("lid.kind") == ()
    assert GRAAF.velden_van("bestaat.niet") == ()


# --- the analysis on rules made for the test ---------------------------------------------------------------


def _schrijf_perceel(w: Work) -> None:
    w.set("perceel", "extramuraal")


def _verberg(w: Work, slot: str) -> None:
    getattr(w, "set")(slot, 1)  # noqa: B009  # the point: a write the analysis cannot see


@rule("test.bron", bron="-", beleidskeuze=False, fase=1, casus=fact("casus"))
def _bron(w: Work, casus: dict[str, Any]) -> None:
    w.assert_fact(t="tussen", waarde=1)


@rule("test.perceel", bron="-", beleidskeuze=False, fase=2, tussen=fact("tussen", F.waarde == 1))
def _perceel(w: Work, tussen: dict[str, Any]) -> None:
    s = w.slots
    if "perceel" not in s:
        _schrijf_perceel(w)


@rule("test.fase", bron="-", beleidskeuze=False, fase=2, tussen=fact("tussen", F.waarde == 1))
def _fase(w: Work, tussen: dict[str, Any]) -> None:
    w.set("fase", "herstel")


@rule("test.los", bron="-", beleidskeuze=False, fase=2, casus=fact("casus"))
def _los(w: Work, casus: dict[str, Any]) -> None:
    w.data["x"] = w.lists.get("y", [])


def test_a_fact_feeds_a_field_transitively_and_a_helper_is_followed() -> None:
    graaf = herkomst([_bron, _perceel, _fase, _los], ["perceel", "fase"])
    assert graaf.regels["test.perceel"].schrijft == {"slot:perceel"}  # through the helper
    assert graaf.regels["test.perceel"].leest == {"feit:tussen", "slot:perceel"}  # through the alias `s`
    assert graaf.velden["perceel"] == {"test.perceel", "test.bron"}
    assert graaf.velden["fase"] == {"test.fase", "test.bron"}
    assert toegang(_los).schrijft == {"data:x"} and toegang(_los).leest == {"feit:casus", "lijst:y"}


def _regel(actie: Any) -> Rule:
    return rule("test.fout", bron="-", beleidskeuze=False, fase=1, casus=fact("casus"))(actie)


def _fout_naam(w: Work, casus: dict[str, Any]) -> None:
    naam = "perceel"
    w.set(naam, 1)


def _fout_sessie(w: Work, casus: dict[str, Any]) -> None:
    assert w.session is not None
    w.session.assert_fact({"t": "route"})


def _fout_builtin(w: Work, casus: dict[str, Any]) -> None:
    print(dict(w.slots))


def _fout_verborgen(w: Work, casus: dict[str, Any]) -> None:
    _verberg(w, "perceel")


def _fout_geheel(w: Work, casus: dict[str, Any]) -> None:
    for sleutel in w.slots:
        print(sleutel)


def _fout_zonder_t(w: Work, casus: dict[str, Any]) -> None:
    w.assert_fact(**{"t": "route"})


@pytest.mark.parametrize("actie", [_fout_naam, _fout_sessie, _fout_builtin, _fout_verborgen, _fout_geheel,
                                   _fout_zonder_t], ids=lambda a: a.__name__)
def test_a_use_of_the_working_memory_it_cannot_follow_is_refused(actie: Any) -> None:
    with pytest.raises(HerkomstFout):
        toegang(_regel(actie))


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(HerkomstFout, match="geen veld"):
        herkomst(RULES, ["bestaat_niet"])


def test_the_graph_is_the_same_however_often_it_is_built() -> None:
    lezingen: defaultdict[str, set[frozenset[str]]] = defaultdict(set)
    for _ in range(2):
        for veld, regels in herkomst(RULES, VELDEN).velden.items():
            lezingen[veld].add(regels)
    assert all(len(v) == 1 for v in lezingen.values())
