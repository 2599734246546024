"""api/onderdrukking.py: the one disclosure-control helper of the aggregates (replay, deviations, proposals)."""

from __future__ import annotations

from api.onderdrukking import Onderdrukking


def test_a_small_count_is_hidden_with_its_path_and_a_share_of_it_too() -> None:
    o = Onderdrukking(5)
    assert [o.aantal(0, "a"), o.aantal(4, "b"), o.aantal(5, "c"), o.aantal(12, "d")] == [0, None, 5, 12]
    assert o.paden == ["b"]
    assert o.aandeel(None, 10) is None and o.aandeel(3, None) is None and o.aandeel(5, 20) == 0.25
    assert o.aandeel(0, 0) == 0.0
    assert not o.klein(True) and not o.klein("3") and o.klein(1)


def test_a_group_that_adds_up_to_a_shown_total_hides_a_second_count() -> None:
    o = Onderdrukking(5)
    verdeling = {"1": 2, "2": 30, "3": 8}
    o.groep(verdeling, "verdeling.pakket.na", totaal=40)
    assert verdeling == {"1": None, "2": 30, "3": None}
    assert o.paden == ["verdeling.pakket.na.1", "verdeling.pakket.na.3"]
    o = Onderdrukking(5)
    besluiten = {"vergeleken": 40, "overeenkomend_na": 37}
    o.complement(besluiten, "overeenkomend_na", 40, "besluiten.overeenkomend_na")
    assert besluiten["overeenkomend_na"] is None  # 40 - 37 = 3 would be a small count
