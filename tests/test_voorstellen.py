"""The deviations propose the next scenario (issue 13): single parameter changes ranked by how many more besluiten
the advies would match (engine/voorstellen.py), on crafted casussen with recorded besluiten."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.core import Engine
from engine.scenario import scenario_uit
from engine.voorstellen import BRONFEIT_TEKST, ONVEILIG_TEKST, kandidaten, overeenkomst, zoek_voorstellen
from rules import PARAMETER_DIR, SOURCE, standaard_engine
from tests.test_taal import hunspell_nl  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]

# One cooperating mother and one child, extramuraal, no intieme terreur, no acute danger; the matrix cell is
# set per test (midden x beperkt = pakket 2, hoog x beperkt = pakket 3, laag x onvoldoende = pakket 2).
BASIS: dict[str, Any] = {
    "casus_id": "T-0",
    "peildatum": "2026-12-01",
    "woonplaats": "rotterdam",
    "leden": [
        {"id": "moeder", "leeftijd": 34, "rollen": ["slachtoffer"], "in_beeld": True, "meewerkend": True},
        {"id": "kind1", "leeftijd": 7, "rollen": ["getuige"]},
    ],
    "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "vormen": ["psychisch"],
               "intieme_terreur": False},
    "veiligheid": {"niveau": "midden", "acuut": False},
    "vaardigheden": "beperkt",
    "woonsituatie": {"dakloos": False, "zelfstandig_wonen_veilig": True, "nabijheid_24u_nodig": False},
    "bestaande_wmo_zorg": "geen",
    "inzet": {"verwachte_duur_maanden": 12, "specialistisch": True},
    "signalen": [],
}


def casus(i: int, niveau: str = "midden", vaardigheden: str = "beperkt", **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASIS)
    data["casus_id"] = f"T-{i}"
    data["veiligheid"]["niveau"] = niveau
    data["vaardigheden"] = vaardigheden
    data.update(changes)
    return data


def besluit(pakket: int | None, perceel: str | None = "extramuraal", route: str = "hg_arrangement") -> dict[str, Any]:
    return {"route": route, "perceel": perceel, "pakket": pakket}


def paren(n: int, pakket: int, start: int = 0, **cel: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(casus(start + i, **cel), besluit(pakket)) for i in range(n)]


def voorstel(result: Any, pad: str, nieuw: int) -> Any:
    found = [v for v in result.voorstellen if v.kandidaat.pad == pad and v.kandidaat.nieuw == nieuw]
    assert len(found) == 1, [(v.kandidaat.pad, v.kandidaat.nieuw) for v in result.voorstellen]
    return found[0]


def test_a_match_is_route_perceel_and_pakket() -> None:
    advies = {"route": "hg_arrangement", "perceel": "extramuraal", "pakket": 2, "vrije_trede": True}
    assert overeenkomst(advies, {"route": "hg_arrangement", "perceel": "extramuraal", "pakket": 2, "maatwerk": ["x"]})
    assert not overeenkomst(advies, besluit(2, perceel="semimuraal"))
    assert not overeenkomst(advies, besluit(3))
    assert not overeenkomst(advies, besluit(None, None, "basishulp_wijkteam"))
    assert overeenkomst({"route": "basishulp_wijkteam", "perceel": None, "pakket": None},
                        besluit(None, None, "basishulp_wijkteam"))


def test_changing_one_matrix_cell_wins_the_besluiten_that_deviate_there() -> None:
    # 4 households at midden x beperkt (pakket 2 by the matrix) were all given pakket 3.
    result = zoek_voorstellen(paren(4, 3), standaard_engine())
    assert result.vergeleken == 4 and result.overeenkomend == 0
    assert result.afwijkend == {"route": 0, "perceel": 0, "pakket": 4} and result.meest_afwijkend == ["pakket"]
    beste = result.voorstellen[0]
    assert (beste.kandidaat.pad, beste.kandidaat.oud, beste.kandidaat.nieuw) == ("pakket_matrix.midden.beperkt", 2, 3)
    assert (beste.meer, beste.minder, beste.overeenkomend_na, beste.gewijzigd) == (4, 0, 4, 4)
    assert beste.velden == ("pakket",) and beste.onveilig == 0 and not beste.waarschuwingen
    # extramuraal, 1 counted adult and 1 child: pakket 2 = 1,5 + 2 = 3,5 uur, pakket 3 = 3 + 3 = 6 uur a week;
    # +2,5 uur x 4 households = +10 uur a week, x 52 weeks (12 months) = +520 uur over the looptijd.
    assert beste.uren_per_week == pytest.approx(10.0) and beste.uren_looptijd == pytest.approx(520.0)
    assert beste.kosten is None  # no tariff is set
    assert beste.scenario["parameters"] == {"pakket_matrix.midden.beperkt": 3}
    assert scenario_uit(beste.scenario, standaard_engine()).parameters == {"pakket_matrix.midden.beperkt": 3}
    assert "_" not in beste.kandidaat.tekst and beste.kandidaat.tekst.endswith("pakket 3 in plaats van pakket 2.")
    # The 4 casussen differ only in their id: evaluated once per candidate, not four times.
    assert result.evaluaties <= result.doorzocht


def test_a_candidate_that_also_loses_besluiten_counts_both() -> None:
    # 4 at midden x beperkt given pakket 3, 2 at the same cell given pakket 2 (the advies): raising the cell wins 4
    # and loses 2.
    result = zoek_voorstellen(paren(4, 3) + paren(2, 2, start=10), standaard_engine())
    v = voorstel(result, "pakket_matrix.midden.beperkt", 3)
    assert (v.meer, v.minder, v.netto, v.overeenkomend_na, v.gewijzigd) == (4, 2, 2, 4, 6)
    assert result.overeenkomend == 2


def test_ranked_by_net_gain_then_fewer_losses() -> None:
    # laag x onvoldoende (pakket 2) -> 3 wins 3 and loses none; midden x beperkt -> 3 wins 4 and loses 1: both net 3.
    data = paren(3, 3, niveau="laag", vaardigheden="onvoldoende") + paren(4, 3, start=10) + paren(1, 2, start=20)
    result = zoek_voorstellen(data, standaard_engine())
    top = [(v.kandidaat.pad, v.kandidaat.nieuw, v.meer, v.minder) for v in result.voorstellen[:2]]
    assert top == [("pakket_matrix.laag.onvoldoende", 3, 3, 0), ("pakket_matrix.midden.beperkt", 3, 4, 1)]
    netto = [v.netto for v in result.voorstellen if not v.onveilig]
    assert netto == sorted(netto, reverse=True)


def test_a_change_that_lightens_high_risk_households_is_flagged_and_ranked_after_the_safe_ones() -> None:
    # hoog x beperkt (pakket 3) given pakket 2 in 5 households: lowering the cell wins 5 but lightens the advies
    # of households at a high risk. midden x beperkt given pakket 3 in 3 households: a safe gain of 3.
    data = paren(5, 2, niveau="hoog") + paren(3, 3, start=10)
    result = zoek_voorstellen(data, standaard_engine())
    onveilig = voorstel(result, "pakket_matrix.hoog.beperkt", 2)
    assert onveilig.meer == 5 and onveilig.onveilig == 5 and onveilig.waarschuwingen == [ONVEILIG_TEKST]
    veilig = voorstel(result, "pakket_matrix.midden.beperkt", 3)
    assert veilig.onveilig == 0 and veilig.meer == 3
    volgorde = [(v.kandidaat.pad, v.kandidaat.nieuw) for v in result.voorstellen]
    assert volgorde.index(("pakket_matrix.midden.beperkt", 3)) < volgorde.index(("pakket_matrix.hoog.beperkt", 2))
    assert all(not v.onveilig for v in result.voorstellen[:volgorde.index(("pakket_matrix.hoog.beperkt", 2))])


def test_lowering_the_minimum_for_intieme_terreur_is_flagged() -> None:
    # laag x voldoende = pakket 1, raised to 2 by intieme terreur; given pakket 1 in 5 households.
    data = [(casus(i, niveau="laag", vaardigheden="voldoende",
                   geweld={**BASIS["geweld"], "intieme_terreur": True}), besluit(1)) for i in range(5)]
    result = zoek_voorstellen(data, standaard_engine())
    v = voorstel(result, "intieme_terreur.minimum_pakket", 1)
    assert v.meer == 5 and v.onveilig == 5 and ONVEILIG_TEKST in v.waarschuwingen


def test_a_raise_for_high_risk_households_is_not_flagged() -> None:
    # hoog x voldoende = pakket 2, given pakket 3: raising is never a safety risk.
    result = zoek_voorstellen(paren(5, 3, niveau="hoog", vaardigheden="voldoende"), standaard_engine())
    v = voorstel(result, "pakket_matrix.hoog.voldoende", 3)
    assert v.meer == 5 and v.onveilig == 0 and not v.waarschuwingen


def test_no_candidate_when_nothing_deviates() -> None:
    result = zoek_voorstellen(paren(4, 2) + paren(3, 3, niveau="hoog"), standaard_engine())
    assert result.overeenkomend == result.vergeleken == 7
    assert result.voorstellen == [] and result.doorzocht == 0 and result.meest_afwijkend == []
    assert zoek_voorstellen([], standaard_engine()).voorstellen == []


def test_a_seed_fact_is_said_so() -> None:
    # Existing semimurale Wmo care: HG pakket 1 alongside it (a seed fact, 001 §3.2); given pakket 2 in 5.
    data = [(casus(i, bestaande_wmo_zorg="semimuraal"), besluit(2)) for i in range(5)]
    result = zoek_voorstellen(data, standaard_engine())
    v = voorstel(result, "bestaande_wmo_zorg.pakket", 2)
    assert v.meer == 5 and v.bronfeit and any("001 §3.2" in w for w in v.waarschuwingen)


def test_what_is_searched_comes_from_the_tree_and_its_value_types() -> None:
    engine = standaard_engine()
    gezocht = {(k.pad, k.nieuw) for k in kandidaten(engine.tree.resolve(engine.tree.versions[-1]))}
    cellen = {(f"pakket_matrix.{n}.{v}", p) for n in ("laag", "midden", "hoog")
              for v in ("voldoende", "beperkt", "onvoldoende") for p in (1, 2, 3)}
    basis = engine.tree.resolve(engine.tree.versions[-1])
    assert {c for c in cellen if basis.get(c[0]) != c[1]} <= gezocht  # every cell to each other pakket
    assert {("vrije_trede.meer_dan_kinderen", 2), ("vrije_trede.meer_dan_kinderen", 4)} <= gezocht  # +-1
    assert {("intieme_terreur.minimum_pakket", 1), ("intieme_terreur.minimum_pakket", 3)} <= gezocht
    assert {("toegang.minimale_duur_maanden", 11), ("toegang.minimale_duur_maanden", 13)} <= gezocht
    paden = {pad for pad, _ in gezocht}
    assert not any(p.startswith(("leeftijd.", "uren.", "tarieven.", "treden.", "trede_diensturen.")) for p in paden)
    assert "semi_intramuraal.pleger_extramuraal_aandeel" not in paden  # a share: cost, not agreement


def test_a_change_the_engine_refuses_is_never_proposed() -> None:
    # Pakket 1 semimuraal has no hours (001 §3.2): lowering the minimum to 1 is refused, even when besluiten ask it.
    data = [(casus(i, niveau="laag", vaardigheden="voldoende",
                   woonsituatie={**BASIS["woonsituatie"], "nabijheid_24u_nodig": True}),
             besluit(1, "semimuraal")) for i in range(5)]
    result = zoek_voorstellen(data, standaard_engine())
    assert result.geweigerd >= 1
    assert not any(v.kandidaat.pad == "semi_intramuraal.minimum_pakket" for v in result.voorstellen)


def test_a_stored_casus_the_model_refuses_is_skipped() -> None:
    result = zoek_voorstellen([({"casus_id": "oud"}, besluit(2)), *paren(2, 3)], standaard_engine())
    assert result.overgeslagen == 1 and result.vergeleken == 2


def test_the_cost_follows_the_tariffs(tmp_path: Path) -> None:
    kopie = tmp_path / "parameters"
    shutil.copytree(PARAMETER_DIR, kopie)
    tarieven = yaml.safe_load((kopie / "tarieven.yaml").read_text(encoding="utf-8"))
    tarieven["begeleiding_volwassenen"]["extramuraal"]["values"] = {"2021-09-01": [50, 60, 70]}
    (kopie / "tarieven.yaml").write_text(yaml.safe_dump(tarieven, allow_unicode=True), encoding="utf-8")
    result = zoek_voorstellen(paren(4, 3), Engine(SOURCE, kopie))
    v = voorstel(result, "pakket_matrix.midden.beperkt", 3)
    # adults only priced: pakket 2 = 1,5 uur x 60 = 90, pakket 3 = 3 uur x 70 = 210 euro a week; +120 x 4 = +480,
    # x 52 weeks = +24.960 over the looptijd.
    assert v.kosten == pytest.approx({"per_week": 480.0, "looptijd": 24960.0})


def _bibliotheek() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The library casussen with besluiten one pakket lighter at a high risk and heavier elsewhere."""
    engine = standaard_engine()
    found = []
    for pad in sorted((ROOT / "casussen").glob("*.yaml")):
        data = yaml.safe_load(pad.read_text(encoding="utf-8"))["casus"]
        advies = engine.advies_voor(data)
        b = besluit(advies["pakket"], advies["perceel"], advies["route"])
        if advies["pakket"]:
            b["pakket"] = max(1, advies["pakket"] - 1) if data["veiligheid"]["niveau"] == "hoog" \
                else min(3, advies["pakket"] + 1)
        found.append((data, b))
    return found


def test_pruning_gives_the_same_proposals_as_evaluating_everything() -> None:
    data = _bibliotheek()
    snel = zoek_voorstellen(data, standaard_engine())
    alles = zoek_voorstellen(data, standaard_engine(), volledig=True)
    assert snel.voorstellen and snel.voorstellen == alles.voorstellen
    assert snel.evaluaties < alles.evaluaties


def onbekende_woorden(teksten: list[str]) -> list[str]:
    """The words of `teksten` that Dutch does not accept (hunspell nl_NL and the reviewed domain words, as
    tests/test_taal.py)."""
    from tests.test_taal import Spelling, _onbekend, domeinwoorden

    vinder = _onbekend(Spelling(domeinwoorden()), teksten)
    return sorted({woord for tekst in teksten for woord in vinder(tekst)})


def test_every_proposal_text_is_dutch(hunspell_nl: None) -> None:  # noqa: F811  (the fixture)
    engine = standaard_engine()
    alle = kandidaten(engine.tree.resolve(engine.tree.versions[-1]))
    teksten = [k.scenario()["beschrijving"] for k in alle] + [ONVEILIG_TEKST, BRONFEIT_TEKST.format(bron="001 §3.2")]
    assert not [t for t in teksten if "_" in t]  # no internal code
    assert onbekende_woorden(teksten) == []
    assert "1 gezinslid in plaats van 2 gezinsleden" in " ".join(teksten)  # singular and plural


def test_a_minimum_gain_drops_smaller_proposals_before_the_other_casussen_are_evaluated() -> None:
    # With intieme terreur at midden x beperkt: the cell -> 3 and its minimum -> 3 win 3 (a rule's condition: every
    # casus can change); laag x onvoldoende -> 3 wins 6; 4 households at hoog x beperkt agree.
    terreur = {**BASIS["geweld"], "intieme_terreur": True}
    data = ([(casus(i, geweld=terreur), besluit(3)) for i in range(3)]
            + paren(6, 3, start=10, niveau="laag", vaardigheden="onvoldoende")
            + [(casus(30 + i, niveau="hoog", leden=[*BASIS["leden"], {"id": f"kind{i + 2}", "leeftijd": i,
                                                                       "rollen": ["getuige"]}]), besluit(3))
               for i in range(4)])
    alle = zoek_voorstellen(data, standaard_engine())
    vijf = zoek_voorstellen(data, standaard_engine(), minimum_winst=5)
    assert voorstel(alle, "intieme_terreur.minimum_pakket", 3).meer == 3
    assert vijf.voorstellen and all(v.meer >= 5 for v in vijf.voorstellen)
    assert voorstel(vijf, "pakket_matrix.laag.onvoldoende", 3).meer == 6
    assert vijf.evaluaties < alle.evaluaties
