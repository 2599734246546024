"""Rules added by a scenario (`regels_bij`): what is refused and where, each consequence firing and not firing,
safety that wins over a scenario, the ruleset hash, `regels_effect` in the replay report and how it is shown,
the shipped example, and the Dutch of every text the added rules write."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
from rich.console import Console

from api.schemas import Resultaatgebied
from engine.casus import parse_casus
from engine.context import BELEIDSKEUZE_ZIN
from engine.evaluate import evaluate
from engine.regels_bij import MAATWERK
from engine.replay import ReplayTelling, replay_casus, scenario_rulesets
from engine.scenario import Scenario, ScenarioFout, lees_scenario, scenario_uit
from rapport.html import html, rapport_delen
from rapport.tekst import tabel
from rules import standaard_engine
from rules.bronnen import passages
from tests.test_taal import Spelling, _code, _onbekend, _zonder_leden, domeinwoorden, hunspell_nl  # noqa: F401  # fixture

ROOT = Path(__file__).resolve().parent.parent
VOORBEELD = ROOT / "scenarios" / "ggz-zwaarder.yaml"

GGZ = {
    "id": "scenario.ggz_zwaarder",
    "wanneer": {"signalen": {"bevat": "ggz"}, "veiligheid.niveau": {"in": ["midden", "hoog"]}},
    "dan": {"minimum_pakket": 3},
    "tekst": "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3.",
    "bron": "003 §3.4",
}


def regel(**anders: Any) -> dict[str, Any]:
    """The contract's example rule with some fields replaced."""
    return {**copy.deepcopy(GGZ), **anders}


def scenario(*regels: dict[str, Any], **extra: Any) -> Scenario:
    return scenario_uit({"naam": "proef", "regels_bij": list(regels), **extra}, standaard_engine())


def fouten(*regels: Any) -> dict[str, str]:
    with pytest.raises(ScenarioFout) as caught:
        scenario_uit({"naam": "proef", "regels_bij": list(regels)}, standaard_engine())
    return {f.veld: f.melding for f in caught.value.fouten}


def gezin(**extra: Any) -> dict[str, Any]:
    """Mother (victim) and father (perpetrator), both taking part, and one child; midden/voldoende: pakket 1."""
    casus: dict[str, Any] = {
        "casus_id": "PROEF-1", "peildatum": "2021-09-01",
        "leden": [{"id": "moeder", "leeftijd": 35, "rollen": ["slachtoffer"]},
                  {"id": "vader", "leeftijd": 37, "rollen": ["pleger"]},
                  {"id": "kind", "leeftijd": 6, "rollen": ["getuige"]}],
        "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "vormen": ["fysiek"]},
        "veiligheid": {"niveau": "midden"}, "vaardigheden": "voldoende",
    }
    for pad, waarde in extra.items():
        *ouders, laatste = pad.split("__")
        plek = casus
        for deel in ouders:
            plek = plek.setdefault(deel, {})
        plek[laatste] = waarde
    return casus


def advies(raw: dict[str, Any], *regels: dict[str, Any], regels_uit: tuple[str, ...] = ()) -> dict[str, Any]:
    casus = parse_casus(raw)
    s = scenario(*regels, regels_uit=list(regels_uit))
    return evaluate(casus, standaard_engine().ruleset(casus.peildatum, regels_uit=s.regels_uit,
                                                       regels_bij=s.regels_bij))


def stappen(a: dict[str, Any], regel_id: str) -> list[dict[str, Any]]:
    return [s for s in a["uitleg"] if s["regel"] == regel_id]


def codes(a: dict[str, Any], veld: str, sleutel: str) -> list[str]:
    return [x[sleutel] for x in a[veld]]


# --------------------------------------------------------------------------- validation, by place


@pytest.mark.parametrize(("regels", "veld", "stukje"), [
    ([regel(wanneer={"signaal": {"bevat": "ggz"}})], "regels_bij[0].wanneer.signaal", "bedoelt u 'signalen'"),
    ([regel(wanneer={"leden.rollen": {"bevat": "pleger"}})], "regels_bij[0].wanneer.leden.rollen",
     "afzonderlijke gezinsleden"),
    ([regel(wanneer={"casus_id": {"gelijk": "X"}})], "regels_bij[0].wanneer.casus_id", "niets over het huishouden"),
    ([regel(wanneer={"signalen": {"bevatt": "ggz"}})], "regels_bij[0].wanneer.signalen", "onbekende toets 'bevatt'"),
    ([regel(wanneer={"veiligheid.niveau": {"min": "midden"}})], "regels_bij[0].wanneer.veiligheid.niveau",
     "past niet bij dit veld"),
    ([regel(wanneer={"signalen": {"bevat": "gg"}})], "regels_bij[0].wanneer.signalen", "ongeldige waarde"),
    ([regel(wanneer={"geweld.structureel": {"gelijk": "ja"}})], "regels_bij[0].wanneer.geweld.structureel",
     "true of false"),
    ([regel(wanneer={"inzet.verwachte_duur_maanden": {"min": 0}})],
     "regels_bij[0].wanneer.inzet.verwachte_duur_maanden", "buiten 1 tot en met 120"),
    ([regel(wanneer={"aantal_kinderen": {"min": 4, "max": 2}})], "regels_bij[0].wanneer.aantal_kinderen",
     "nooit gelden"),
    ([regel(wanneer={"aantal_kinderen": {"gelijk": True}})], "regels_bij[0].wanneer.aantal_kinderen",
     "geheel getal"),
    ([regel(wanneer={"vaardigheden": {"in": "beperkt"}})], "regels_bij[0].wanneer.vaardigheden", "lijst"),
    ([regel(wanneer={"vaardigheden": "beperkt"})], "regels_bij[0].wanneer.vaardigheden", "toetsen"),
    ([regel(wanneer=["signalen"])], "regels_bij[0].wanneer", "object"),
    ([regel(dan={"minimum_pakkett": 3})], "regels_bij[0].dan.minimum_pakkett", "bedoelt u 'minimum_pakket'"),
    ([regel(), regel(id="scenario.twee", dan={"minimum_pakket": 4})], "regels_bij[1].dan.minimum_pakket",
     "1, 2 of 3"),
    ([regel(dan={"minimum_pakket": True})], "regels_bij[0].dan.minimum_pakket", "1, 2 of 3"),
    ([regel(dan={})], "regels_bij[0].dan", "gevolgen"),
    ([regel(dan={"onderdeel_bij": "systeemhulp"})], "regels_bij[0].dan.onderdeel_bij", "ongeldig onderdeel"),
    ([regel(dan={"onderdeel_uit": {"onderdeel": "casusregie", "reden": "proef"}})], "regels_bij[0].dan.onderdeel_uit",
     "kan niet uit"),
    ([regel(dan={"onderdeel_uit": {"onderdeel": "specialistische_individuele_hulp", "reden": "proef"}})],
     "regels_bij[0].dan.onderdeel_uit", "kan niet uit"),
    ([regel(dan={"onderdeel_uit": {"onderdeel": "plegerhulp"}})], "regels_bij[0].dan.onderdeel_uit", "reden"),
    ([regel(dan={"onderdeel_uit": {"onderdeel": "plegerhulp", "reden": "mevrouw Jansen wil dit niet"}})],
     "regels_bij[0].dan.onderdeel_uit", "persoonsnaam"),
    ([regel(dan={"onderdeel_uit": "plegerhulp"})], "regels_bij[0].dan.onderdeel_uit", "onderdeel en reden"),
    ([regel(dan={"onderdeel_bij": "plegerhulp", "onderdeel_uit": {"onderdeel": "plegerhulp", "reden": "x"}})],
     "regels_bij[0].dan.onderdeel_bij", "ook in onderdeel_uit"),
    ([regel(dan={"maatwerk_bij": "verblijf"})], "regels_bij[0].dan.maatwerk_bij", "ongeldig resultaatgebied"),
    ([regel(dan={"signalering": {"code": "GGZ!", "tekst": "Let op."}})], "regels_bij[0].dan.signalering",
     "ongeldige code"),
    ([regel(dan={"signalering": {"code": "ggz_zwaar"}})], "regels_bij[0].dan.signalering", "code en tekst"),
    ([regel(dan={"vrije_trede": False})], "regels_bij[0].dan.vrije_trede", "regels_uit"),
    ([regel(id="ggz_zwaarder")], "regels_bij[0].id", "begin met 'scenario.'"),
    ([regel(id=None)], "regels_bij[0].id", "verplicht"),
    ([regel(), regel()], "regels_bij[1].id", "komt al voor in regels_bij[0]"),
    ([regel(tekst="")], "regels_bij[0].tekst", "verplicht"),
    ([regel(tekst="Voor de familie Jansen minimaal pakket 3.")], "regels_bij[0].tekst", "persoonsnaam"),
    ([regel(tekst="Cliënt met BSN 111222333 krijgt pakket 3.")], "regels_bij[0].tekst", "BSN"),
    ([regel(bron="geboren 12-03-1985")], "regels_bij[0].bron", "datum"),
    ([regel(bron=None)], "regels_bij[0].bron", "verplicht"),
    ([regel(als={"signalen": {"bevat": "ggz"}})], "regels_bij[0].als", "onbekend veld"),
    (["scenario.ggz"], "regels_bij[0]", "object"),
])
def test_a_problem_is_named_by_its_place(regels: list[Any], veld: str, stukje: str) -> None:
    gevonden = fouten(*regels)
    assert veld in gevonden, gevonden
    assert stukje in gevonden[veld]


def test_regels_bij_must_be_a_list() -> None:
    with pytest.raises(ScenarioFout) as caught:
        scenario_uit({"naam": "proef", "regels_bij": GGZ}, standaard_engine())
    assert [f.veld for f in caught.value.fouten] == ["regels_bij"]


def test_every_problem_is_reported_at_once() -> None:
    gevonden = fouten(regel(wanneer={"signaal": {}}), regel(id="scenario.b", dan={"maatwerk_bij": "x"}))
    assert set(gevonden) == {"regels_bij[0].wanneer.signaal", "regels_bij[1].dan.maatwerk_bij"}


def test_a_refused_text_is_never_echoed() -> None:
    gevonden = fouten(regel(tekst="Voor de familie Jansen minimaal pakket 3."))
    assert "Jansen" not in json.dumps(gevonden)


def test_the_contract_example_is_accepted_and_validates_to_itself() -> None:
    s = scenario(GGZ, regel(id="scenario.alles", wanneer={"aantal_kinderen": {"min": 1}, "geweld.vormen": {"niet": [
        "stalking"]}}, dan={"onderdeel_uit": [{"onderdeel": "plegerhulp", "reden": "proef"}], "onderdeel_bij": [
            "kindgerichte_hulp"], "signalering": {"code": "proef", "tekst": "Let op."}, "vrije_trede": True,
            "maatwerk_bij": "dagbesteding"}))
    assert [r.id for r in s.regels_bij] == ["scenario.ggz_zwaarder", "scenario.alles"]
    assert s.regels_bij[0].as_dict() == GGZ
    opnieuw = scenario(*[r.as_dict() for r in s.regels_bij])
    assert opnieuw.regels_bij == s.regels_bij
    assert len({*s.regels_bij, *opnieuw.regels_bij}) == 2  # validated rules are values (hashable)


def test_the_maatwerk_vocabulary_is_the_contracts() -> None:
    assert get_args(Resultaatgebied) == MAATWERK


# --------------------------------------------------------------------------- each consequence, firing and not


def test_minimum_pakket_raises_the_pakket_and_is_explained_as_a_policy_choice() -> None:
    a = advies(gezin(signalen=["ggz"]), GGZ)
    assert a["pakket"] == 3  # matrix midden/voldoende = 1, raised to 3
    (stap,) = stappen(a, "scenario.ggz_zwaarder")
    assert stap["conclusie"] == "minimaal pakket 3"
    assert stap["beleidskeuze"] is True and stap["niveau"] == "hoofdlijn" and stap["bron"] == "003 §3.4"
    assert stap["tekst"].startswith(GGZ["tekst"]) and stap["tekst"].endswith(BELEIDSKEUZE_ZIN)
    assert stap["omdat"] == ["signalen bevat ggz", "veiligheid.niveau in midden, hoog"]
    vastgesteld = stappen(a, "pakket.vastgesteld")[0]
    assert "scenario.ggz_zwaarder: pakket 3" in vastgesteld["omdat"]
    assert "verhoogd vanwege een regel van het scenario" in a["samenvatting"]
    assert a["budget"]["totaal_uur_per_week"] == 9.0  # 3 + 3 per adult, 3 for the children (pakket 3)


@pytest.mark.parametrize("raw", [
    gezin(signalen=["ggz"], veiligheid={"niveau": "laag"}),  # niveau not in [midden, hoog]
    gezin(signalen=["lvb"]),  # no ggz
    gezin(signalen=["ggz"], geweld={"binnen_huiselijke_kring": True, "structureel": False}),  # basishulp
])
def test_minimum_pakket_does_not_fire_when_the_condition_or_route_does_not_hold(raw: dict[str, Any]) -> None:
    a = advies(raw, GGZ)
    assert stappen(a, "scenario.ggz_zwaarder") == []
    assert a["pakket"] == advies(raw)["pakket"]


def test_a_lower_minimum_changes_nothing() -> None:
    a = advies(gezin(signalen=["ggz"], vaardigheden="onvoldoende"), regel(dan={"minimum_pakket": 2}))
    assert a["pakket"] == 3  # matrix midden/onvoldoende = 3
    assert "regel van het scenario" not in a["samenvatting"]


def test_next_to_existing_wmo_care_the_pakket_stays_and_the_step_says_so() -> None:
    a = advies(gezin(signalen=["ggz"], bestaande_wmo_zorg="semimuraal"), GGZ)
    assert a["pakket"] == 1 and a["naast_bestaande_wmo_zorg"] is True
    (stap,) = stappen(a, "scenario.ggz_zwaarder")
    assert "verandert het pakket daarom niet" in stap["tekst"]


VRIJ = regel(id="scenario.vrije_trede_semimuraal", wanneer={"aantal_kinderen": {"min": 2}},
             dan={"vrije_trede": True}, tekst="Ook semimuraal een vrije trede bij twee of meer kinderen.",
             bron="001 §3.1")


def test_vrije_trede_semimurally() -> None:
    twee = gezin(woonsituatie={"nabijheid_24u_nodig": True})
    twee["leden"].append({"id": "kind2", "leeftijd": 9})
    a = advies(twee, VRIJ)
    assert a["perceel"] == "semimuraal" and a["vrije_trede"] is True
    assert "volgens een regel van het scenario kan de indicatiesteller een vrije trede" in a["samenvatting"]
    assert advies(gezin(woonsituatie={"nabijheid_24u_nodig": True}), VRIJ)["vrije_trede"] is False  # one child


def test_counts_follow_the_household_children_in_beeld_and_counted_adults() -> None:
    raw = gezin()
    raw["leden"] += [{"id": "kind2", "leeftijd": 9, "in_beeld": False},  # placed out of home: not counted
                     {"id": "student", "leeftijd": 20, "verlengde_jeugdhulp": True}]  # a child
    telt = regel(wanneer={"aantal_kinderen": {"gelijk": 2}, "aantal_volwassenen_geteld": {"gelijk": 2}})
    assert advies(raw, telt)["pakket"] == 3
    raw["leden"][1]["meewerkend"] = False  # the father no longer counts
    assert advies(raw, telt)["pakket"] == 1


def test_onderdeel_bij_adds_and_is_not_added_without_anyone_to_receive_it() -> None:
    bij = regel(wanneer={}, dan={"onderdeel_bij": "specialistische_individuele_hulp"})
    assert "specialistische_individuele_hulp" in advies(gezin(), bij)["onderdelen"]
    kind = regel(wanneer={}, dan={"onderdeel_bij": ["kindgerichte_hulp", "opvoedondersteuning"]})
    zonder = gezin()
    zonder["leden"].pop()
    a = advies(zonder, kind)
    assert "kindgerichte_hulp" not in a["onderdelen"] and "opvoedondersteuning" not in a["onderdelen"]
    (stap,) = stappen(a, "scenario.ggz_zwaarder")
    assert "er zijn geen kinderen binnen het gezin" in stap["tekst"]


def test_onderdeel_uit_takes_out_and_specialist_help_follows_systeemgerichte_hulp() -> None:
    uit = regel(wanneer={"signalen": {"bevat": "vechtscheiding"}},
                dan={"onderdeel_uit": {"onderdeel": "systeemgerichte_hulp", "reden": "vechtscheiding"}})
    a = advies(gezin(signalen=["vechtscheiding"]), uit)
    assert "systeemgerichte_hulp" not in a["onderdelen"]
    assert a["uitgesloten_onderdelen"] == [{"onderdeel": "systeemgerichte_hulp", "reden": "vechtscheiding"}]
    assert "specialistische_individuele_hulp" in a["onderdelen"]
    (vervangend,) = stappen(a, "onderdelen.specialistische_individuele_hulp")
    assert "(vechtscheiding)" in vervangend["tekst"]
    b = advies(gezin(signalen=["hoge_stress"]), uit)
    assert "systeemgerichte_hulp" in b["onderdelen"] and b["uitgesloten_onderdelen"] == []


def test_onderdeel_uit_of_what_is_not_advised_changes_nothing() -> None:
    uit = regel(wanneer={}, dan={"onderdeel_uit": {"onderdeel": "opvoedondersteuning", "reden": "proef"}})
    zonder = gezin()
    zonder["leden"].pop()
    a = advies(zonder, uit)
    assert a["uitgesloten_onderdelen"] == []
    assert "werd al niet ingezet" in stappen(a, "scenario.ggz_zwaarder")[0]["tekst"]


def test_uit_wins_over_bij_in_either_order() -> None:
    uit = regel(id="scenario.uit", wanneer={}, dan={"onderdeel_uit": {"onderdeel": "plegerhulp", "reden": "proef"}})
    bij = regel(id="scenario.bij", wanneer={}, dan={"onderdeel_bij": "plegerhulp"})
    for volgorde in ((uit, bij), (bij, uit)):
        a = advies(gezin(), *volgorde)
        assert "plegerhulp" not in a["onderdelen"]
        assert a["uitgesloten_onderdelen"] == [{"onderdeel": "plegerhulp", "reden": "proef"}]


def test_maatwerk_bij_is_added_once_and_not_where_the_pakket_holds_it() -> None:
    mw = regel(wanneer={}, dan={"maatwerk_bij": ["toeleiding_schulddienstverlening", "nachtelijke_ondersteuning"]})
    a = advies(gezin(signalen=["schulden"]), mw)
    assert codes(a, "maatwerk", "resultaatgebied") == ["toeleiding_schulddienstverlening", "nachtelijke_ondersteuning"]
    assert [g["resultaatgebied"] for g in a["resultaatgebieden"]].count("nachtelijke_ondersteuning") == 2  # per adult
    semi = advies(gezin(woonsituatie={"nabijheid_24u_nodig": True}), mw)
    assert codes(semi, "maatwerk", "resultaatgebied") == ["toeleiding_schulddienstverlening"]
    assert "zit bij semimurale ondersteuning al in het pakket" in stappen(semi, "scenario.ggz_zwaarder")[0]["tekst"]
    assert advies(gezin(), regel(dan={"maatwerk_bij": "dagbesteding"}))["maatwerk"] == []  # condition false


SIGNAAL = regel(id="scenario.niet_structureel", wanneer={"geweld.structureel": {"gelijk": False}},
                dan={"signalering": {"code": "toch_structureel", "tekst": "Ga na of het geweld toch structureel is."}},
                tekst="Bij niet structureel geweld een extra controle.", bron="001 §1")


def test_a_signal_only_rule_applies_on_basishulp_but_not_outside_scope() -> None:
    basis = advies(gezin(geweld={"binnen_huiselijke_kring": True, "structureel": False}), SIGNAAL)
    assert basis["route"] == "basishulp_wijkteam"
    assert basis["signaleringen"][-1] == {"code": "toch_structureel", "regel": "scenario.niet_structureel",
                                          "tekst": "Ga na of het geweld toch structureel is."}
    buiten = advies(gezin(geweld={"binnen_huiselijke_kring": False, "structureel": False}), SIGNAAL)
    assert "toch_structureel" not in codes(buiten, "signaleringen", "code")
    assert stappen(buiten, "scenario.niet_structureel") == []


def test_a_signal_is_given_once_per_code() -> None:
    dubbel = regel(wanneer={"signalen": {"bevat": "ggz"}}, dan={"signalering": {"code": "ggz_via_zvw", "tekst": "X."}})
    a = advies(gezin(signalen=["ggz"]), dubbel)
    assert codes(a, "signaleringen", "code").count("ggz_via_zvw") == 1
    assert "wordt al gegeven" in stappen(a, "scenario.ggz_zwaarder")[0]["tekst"]


# --------------------------------------------------------------------------- safety wins


SYSTEEM = regel(id="scenario.systeem", wanneer={}, dan={"onderdeel_bij": "systeemgerichte_hulp"},
                tekst="Systeemgerichte hulp voor elk gezin.", bron="000 Doelen 3")
UITSLUITINGEN = ("onderdelen.systeemgerichte_hulp_uitgesloten",
                 "onderdelen.systeemgerichte_hulp_uitgesloten_eergerelateerd",
                 "onderdelen.systeemgerichte_hulp_uitgesloten_geen_volwassene",
                 "onderdelen.systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers")


def _een_deelnemer() -> dict[str, Any]:
    raw = gezin()
    raw["leden"] = raw["leden"][:1]
    return raw


@pytest.mark.parametrize(("raw", "reden"), [
    (gezin(geweld={"binnen_huiselijke_kring": True, "structureel": True, "intieme_terreur": True}), "intieme terreur"),
    (gezin(geweld={"binnen_huiselijke_kring": True, "structureel": True,
                   "vormen": ["schadelijke_traditionele_praktijken"]}), "eergerelateerd geweld"),
    (_een_deelnemer(), "minder dan twee gezinsleden"),
])
@pytest.mark.parametrize("uit", [(), UITSLUITINGEN], ids=["met-uitsluitingsregels", "uitsluitingsregels-uit"])
def test_an_added_rule_never_switches_on_systeemgerichte_hulp_where_safety_excludes_it(
    raw: dict[str, Any], reden: str, uit: tuple[str, ...]
) -> None:
    a = advies(raw, SYSTEEM, regels_uit=uit)
    assert "systeemgerichte_hulp" not in a["onderdelen"]
    (stap,) = stappen(a, "scenario.systeem")
    assert reden in stap["tekst"] and "gaat voor deze regel van het scenario" in stap["tekst"]
    assert stap["conclusie"] == "regel van het scenario: geen systeemgerichte hulp"


def test_where_a_system_approach_is_possible_the_rule_finds_it_advised_already() -> None:
    a = advies(gezin(), SYSTEEM)
    assert "systeemgerichte_hulp" in a["onderdelen"]
    assert "wordt al ingezet" in stappen(a, "scenario.systeem")[0]["tekst"]


# --------------------------------------------------------------------------- the ruleset and its hash


def test_added_rules_change_the_hash_and_equal_rules_share_the_compiled_ruleset() -> None:
    engine = standaard_engine()
    datum = parse_casus(gezin()).peildatum
    basis = engine.ruleset(datum)
    een = engine.ruleset(datum, regels_bij=scenario(GGZ).regels_bij)
    weer = engine.ruleset(datum, regels_bij=scenario(copy.deepcopy(GGZ)).regels_bij)
    ander = engine.ruleset(datum, regels_bij=scenario(regel(dan={"minimum_pakket": 2})).regels_bij)
    tekst = engine.ruleset(datum, regels_bij=scenario(regel(tekst="Andere uitleg.")).regels_bij)
    volgorde = [engine.ruleset(datum, regels_bij=scenario(*paar).regels_bij).hash
                for paar in ((GGZ, SIGNAAL), (SIGNAAL, GGZ))]
    assert een is weer
    assert len({basis.hash, een.hash, ander.hash, tekst.hash, *volgorde}) == 6
    assert "scenario.ggz_zwaarder" in een.rules and "scenario.ggz_zwaarder" not in basis.rules


def test_the_base_ruleset_is_unchanged_by_an_added_rule() -> None:
    raw = gezin(signalen=["ggz"])
    voor = advies(raw)
    scenario(GGZ)  # validating and compiling a scenario leaves the baseline as it was
    assert evaluate(parse_casus(raw), standaard_engine().ruleset(parse_casus(raw).peildatum)) == voor


# --------------------------------------------------------------------------- regels_effect


CASUSSEN = [gezin(signalen=["ggz"]), gezin(signalen=["ggz"], veiligheid={"niveau": "hoog"}), gezin(),
            gezin(woonsituatie={"nabijheid_24u_nodig": True})]


def _telling(s: Scenario, raws: list[dict[str, Any]]) -> ReplayTelling:
    telling = ReplayTelling()
    for raw in raws:
        casus = parse_casus(raw)
        telling.voeg_toe(*replay_casus(casus, *scenario_rulesets(standaard_engine(), s, casus.peildatum)))
    return telling


NOOIT = regel(id="scenario.nooit", wanneer={"aantal_kinderen": {"min": 20}}, dan={"vrije_trede": True})


def test_regels_effect_counts_added_rules_after_and_switched_off_rules_before() -> None:
    s = scenario(GGZ, NOOIT, regels_uit=["pakket.vrije_trede", "perceel.semimuraal"])
    rapport = _telling(s, CASUSSEN).rapport(s)
    effect = rapport["regels_effect"]
    assert effect["scenario.ggz_zwaarder"] == {"soort": "toegevoegd", "gevuurd": 2, "waarschuwing": None}
    assert effect["perceel.semimuraal"] == {"soort": "uitgezet", "gevuurd": 1, "waarschuwing": None}
    assert effect["scenario.nooit"]["gevuurd"] == 0
    assert effect["scenario.nooit"]["waarschuwing"] == (
        "De toegevoegde regel scenario.nooit is in geen van de 4 casussen van toepassing: controleer de voorwaarden "
        "(wanneer) en of de regel op deze casussen past.")
    assert effect["pakket.vrije_trede"]["waarschuwing"] == (
        "De uitgezette regel pakket.vrije_trede was in geen van de 4 casussen van toepassing: uitzetten verandert "
        "hier niets.")
    assert effect["scenario.nooit"]["waarschuwing"] in rapport["waarschuwingen"]
    assert effect["pakket.vrije_trede"]["waarschuwing"] in rapport["waarschuwingen"]
    assert rapport["regels_bij"] == [GGZ, NOOIT]
    eentje = _telling(s, CASUSSEN[2:3]).rapport(s)["regels_effect"]["scenario.nooit"]["waarschuwing"]
    assert "in de vergeleken casus niet van toepassing" in eentje


def test_regels_effect_merges_across_partial_results() -> None:
    s = scenario(GGZ, NOOIT, regels_uit=["perceel.semimuraal"])
    geheel = _telling(s, CASUSSEN)
    delen = _telling(s, CASUSSEN[:1])
    delen.voeg_samen(_telling(s, CASUSSEN[1:]))
    assert delen.rapport(s)["regels_effect"] == geheel.rapport(s)["regels_effect"]


def test_without_a_scenario_object_or_casussen_there_is_no_rule_warning() -> None:
    s = scenario(NOOIT)
    assert _telling(s, CASUSSEN).rapport("naam")["regels_effect"] == {}
    leeg = ReplayTelling().rapport(s)
    assert leeg["regels_effect"]["scenario.nooit"]["waarschuwing"] is None
    assert leeg["waarschuwingen"] == ["Er zijn geen casussen vergeleken: de casusbibliotheek is leeg."]


def test_regels_effect_is_shown_in_the_terminal_and_html() -> None:
    s = scenario(GGZ, NOOIT, regels_uit=["perceel.semimuraal"])
    rapport = _telling(s, CASUSSEN).rapport(s)
    console = Console(record=True, width=160)
    tabel(rapport, console)
    tekst = console.export_text()
    assert "Effect van de regels" in tekst and "scenario.nooit" in tekst and "2 casussen" in tekst
    assert "1 casus" in tekst
    pagina = html(rapport)
    assert 'id="kop-regels"' in pagina and "<code>scenario.nooit</code>" in pagina
    assert "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3." in pagina  # Regels bij
    assert "scenario.nooit" in str(rapport_delen(rapport)["regels_effect"])
    assert str(rapport_delen({**rapport, "regels_effect": {}})["regels_effect"]) == ""


# --------------------------------------------------------------------------- the shipped example


def test_the_shipped_example_validates_and_its_sources_resolve() -> None:
    s = lees_scenario(VOORBEELD, standaard_engine())
    assert [r.id for r in s.regels_bij] == ["scenario.ggz_zwaarder"]
    for r in s.regels_bij:
        assert all(deel["tekst"] for deel in passages(r.bron)), r.bron


def test_the_cli_replay_applies_added_rules(tmp_path: Path) -> None:
    invoer = tmp_path / "casussen.jsonl"
    invoer.write_text("".join(json.dumps({**c, "casus_id": f"P-{i}"}) + "\n" for i, c in enumerate(CASUSSEN)))
    uit = subprocess.run([str(Path(sys.executable).parent / "hg-advies"), "replay", "--scenario", str(VOORBEELD),
                          str(invoer), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, check=False, timeout=300)
    assert uit.returncode == 0, uit.stderr
    rapport = json.loads(uit.stdout)
    assert rapport["regels_effect"]["scenario.ggz_zwaarder"]["gevuurd"] == 2
    assert rapport["verdeling"]["pakket"]["na"]["3"] == 2


# --------------------------------------------------------------------------- Dutch


def _teksten() -> list[str]:
    """Every sentence the added rules write in the advies, over the consequences and conflicts above."""
    regels = [GGZ, VRIJ, SIGNAAL, SYSTEEM,
              regel(id="scenario.alles", wanneer={},
                    dan={"onderdeel_bij": ["kindgerichte_hulp", "slachtofferhulp", "plegerhulp", "opvoedondersteuning"],
                         "onderdeel_uit": {"onderdeel": "systeemgerichte_hulp", "reden": "vechtscheiding"},
                         "maatwerk_bij": ["dagbesteding", "nachtelijke_ondersteuning"], "vrije_trede": True,
                         "signalering": {"code": "ggz_via_zvw", "tekst": "Dubbel."}})]
    casussen = [*CASUSSEN, _een_deelnemer(), gezin(signalen=["ggz"], bestaande_wmo_zorg="intramuraal"),
                gezin(geweld={"binnen_huiselijke_kring": True, "structureel": False}),
                gezin(geweld={"binnen_huiselijke_kring": True, "structureel": True, "intieme_terreur": True})]
    zinnen: set[str] = set()
    for raw in casussen:
        a = advies(raw, *regels)
        zinnen.add(a["samenvatting"])
        for stap in a["uitleg"]:
            if stap["regel"].startswith("scenario."):
                zinnen.update((stap["conclusie"], stap["tekst"]))
        zinnen.update(u["reden"] for u in a["uitgesloten_onderdelen"])
    return sorted(_zonder_leden(z, ("moeder", "vader", "kind")) for z in zinnen)


def test_the_added_rules_write_no_internal_code() -> None:
    gevonden = {z: _code(z) for z in _teksten() if _code(z)}
    assert not gevonden


def test_the_added_rules_write_dutch(hunspell_nl: None) -> None:  # noqa: F811  # the fixture
    teksten = _teksten()
    onbekend = _onbekend(Spelling(domeinwoorden()), teksten)
    gevonden = {z: onbekend(z) for z in teksten if onbekend(z)}
    assert not gevonden
