"""Hand-checked tests of the test oracle itself, Hypothesis invariants it must keep, and the engine's cost
agreeing with it under tariffs set by a scenario (the shipped tariffs are empty)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.casus import parse_casus
from rules import standaard_engine
from tests import oracle
from tests.strategies import casussen
from tests.test_properties import verschillen

PEILDATUM = dt.date(2021, 9, 1)
ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@functools.cache
def params_on(peildatum: str) -> dict[str, Any]:
    return oracle.load_params(dt.date.fromisoformat(peildatum))


def gezin(
    *,
    niveau: str,
    vaardigheden: str,
    zelfstandig_wonen_veilig: bool = True,
    nabijheid_24u_nodig: bool = False,
    kinderen: tuple[int, ...] = (7,),
    **extra: Any,
) -> dict[str, Any]:
    """Two counted adults (victim and perpetrator, both cooperating) with children."""
    casus = {
        "casus_id": "TEST-1",
        "peildatum": PEILDATUM.isoformat(),
        "leden": [
            {"id": "moeder", "leeftijd": 35, "rollen": ["slachtoffer"]},
            {"id": "vader", "leeftijd": 37, "rollen": ["pleger"]},
        ]
        + [{"id": f"kind{i}", "leeftijd": age, "rollen": ["getuige"]} for i, age in enumerate(kinderen, 1)],
        "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "vormen": ["fysiek"]},
        "veiligheid": {"niveau": niveau},
        "vaardigheden": vaardigheden,
        "woonsituatie": {
            "zelfstandig_wonen_veilig": zelfstandig_wonen_veilig,
            "nabijheid_24u_nodig": nabijheid_24u_nodig,
        },
    }
    casus.update(extra)
    return oracle.with_defaults(casus)


def run(casus: dict[str, Any]) -> dict[str, Any]:
    return oracle.advies(casus, params_on(casus["peildatum"]))


# --------------------------------------------------------------------------- parameters


def test_load_params_reads_the_contract_paths() -> None:
    params = oracle.load_params(PEILDATUM)
    assert params["pakket_matrix"]["hoog"]["beperkt"] == 3
    assert params["pakket_matrix"]["laag"]["voldoende"] == 1
    assert params["uren"]["semimuraal"]["volwassenen"] == [None, 1, 1.5]
    assert params["uren"]["extramuraal"]["kinderen"] == [1.5, 2, 3]
    assert params["vrije_trede"]["meer_dan_kinderen"] == 3
    assert params["intieme_terreur"]["minimum_pakket"] == 2
    assert params["duur"]["richtlijn_maanden"] == 12
    assert params["toegang"]["minimale_duur_maanden"] == 12
    assert params["treden"]["intramuraal"]["nachtelijk"] == [None, 3, 3]


def test_load_params_takes_the_latest_value_in_force(tmp_path: Any) -> None:
    (tmp_path / "vrije_trede.yaml").write_text(
        "meer_dan_kinderen:\n  values:\n    2021-09-01: 3\n    2023-01-01: 2\n    2030-01-01: 1\n",
        encoding="utf-8",
    )
    assert oracle.load_params(dt.date(2022, 12, 31), tmp_path)["vrije_trede"]["meer_dan_kinderen"] == 3
    assert oracle.load_params(dt.date(2023, 1, 1), tmp_path)["vrije_trede"]["meer_dan_kinderen"] == 2
    with pytest.raises(LookupError):
        oracle.load_params(dt.date(2021, 8, 31), tmp_path)


def test_with_defaults_fills_every_contract_default() -> None:
    casus = oracle.with_defaults(
        {
            "casus_id": "X",
            "leden": [{"id": "a", "leeftijd": 30}],
            "geweld": {"binnen_huiselijke_kring": True, "structureel": True},
            "veiligheid": {"niveau": "laag"},
            "vaardigheden": "voldoende",
        }
    )
    assert casus["peildatum"] == dt.date.today().isoformat()
    assert casus["woonplaats"] == "rotterdam"
    assert casus["leden"][0] == {
        "id": "a",
        "leeftijd": 30,
        "rollen": ["gezinslid"],
        "in_beeld": True,
        "meewerkend": True,
        "verlengde_jeugdhulp": False,
        "woont_buiten_gemeente": False,
    }
    assert casus["geweld"]["intieme_terreur"] is False and casus["geweld"]["vormen"] == []
    assert casus["veiligheid"]["acuut"] is False
    assert casus["woonsituatie"] == {
        "dakloos": False,
        "zelfstandig_wonen_veilig": True,
        "nabijheid_24u_nodig": False,
    }
    assert casus["bestaande_wmo_zorg"] == "geen"
    assert casus["inzet"] == {"verwachte_duur_maanden": 12, "specialistisch": False}
    assert casus["signalen"] == []


# --------------------------------------------------------------------------- the seed's printed tables


@pytest.mark.parametrize(
    ("niveau", "vaardigheden", "pakket", "totaal"),
    [
        ("laag", "voldoende", 1, 3.0),  # 2 x 0.75 + 1.5 (001 §3.1, "Totaal gezin 3 uur")
        ("midden", "beperkt", 2, 5.0),  # 2 x 1.5 + 2
        ("hoog", "beperkt", 3, 9.0),  # 2 x 3 + 3
    ],
)
def test_seed_table_extramuraal(niveau: str, vaardigheden: str, pakket: int, totaal: float) -> None:
    result = run(gezin(niveau=niveau, vaardigheden=vaardigheden))
    assert (result["perceel"], result["pakket"]) == ("extramuraal", pakket)
    assert result["budget"]["totaal_uur_per_week"] == totaal


@pytest.mark.parametrize(
    ("woonsituatie", "perceel"),
    [({"nabijheid_24u_nodig": True}, "semimuraal"), ({"zelfstandig_wonen_veilig": False}, "intramuraal")],
)
@pytest.mark.parametrize(
    ("niveau", "vaardigheden", "pakket", "totaal", "pleger"),
    [
        # matrix 1, raised to 2: 2 x 1 + 2 = 4 (001 §3.2, "Totaal gezin 4 uur"); pleger 1/2 x 2 x 1 = 1
        ("laag", "voldoende", 2, 4.0, 1.0),
        # 2 x 1.5 + 3 = 6 ("Totaal gezin 6 uur"); pleger 1/2 x 2 x 1.5 = 1.5
        ("hoog", "onvoldoende", 3, 6.0, 1.5),
    ],
)
def test_seed_table_semi_en_intramuraal(
    woonsituatie: dict[str, bool],
    perceel: str,
    niveau: str,
    vaardigheden: str,
    pakket: int,
    totaal: float,
    pleger: float,
) -> None:
    result = run(gezin(niveau=niveau, vaardigheden=vaardigheden, **woonsituatie))
    assert (result["perceel"], result["pakket"]) == (perceel, pakket)
    assert result["budget"]["totaal_uur_per_week"] == totaal
    # The cooperating perpetrator may receive half of the adults' hours extramurally.
    assert result["budget"]["pleger_extramuraal_uur_per_week"] == pleger


def test_intramuraal_treden_en_verblijf() -> None:
    result = run(gezin(niveau="hoog", vaardigheden="voldoende", zelfstandig_wonen_veilig=False, kinderen=(3, 9)))
    assert result["pakket"] == 2
    assert result["budget"]["treden"] == {
        "semimurale_ondersteuning": None,
        "intramurale_ondersteuning": 2,
        "nachtelijke_ondersteuning": 3,
    }
    # The perpetrator does not stay: one adult client, two accompanying children.
    assert result["budget"]["verblijf"] == {"volwassen_clienten": 1, "meekomende_kinderen": 2}


def test_youngest_child_tie_goes_to_the_first_in_input_order() -> None:
    casus = gezin(niveau="midden", vaardigheden="beperkt", kinderen=(9, 4, 4))
    kinderen = run(casus)["budget"]["kinderen"]
    assert kinderen == {"toegekend_aan": "kind2", "aantal": 3, "uur_per_week": 2.0}


def test_verlengde_jeugdhulp_counts_as_child_until_23() -> None:
    casus = gezin(niveau="midden", vaardigheden="beperkt", kinderen=())
    casus["leden"] += [
        {
            **casus["leden"][0],
            "id": "dochter",
            "leeftijd": 22,
            "verlengde_jeugdhulp": True,
            "rollen": ["getuige"],
        },
        {
            **casus["leden"][0],
            "id": "zoon",
            "leeftijd": 23,
            "verlengde_jeugdhulp": True,
            "rollen": ["getuige"],
        },
    ]
    budget = run(casus)["budget"]
    assert budget["kinderen"] == {"toegekend_aan": "dochter", "aantal": 1, "uur_per_week": 2.0}
    assert [entry["lid"] for entry in budget["volwassenen"]] == ["moeder", "vader", "zoon"]


def test_more_than_three_children_extramuraal_is_vrije_trede_with_reference_budget() -> None:
    result = run(gezin(niveau="midden", vaardigheden="beperkt", kinderen=(1, 3, 5, 7)))
    assert result["vrije_trede"] is True and result["pakket"] == 2
    assert result["budget"]["totaal_uur_per_week"] == 5.0


def test_buiten_scope_decides_nothing_else() -> None:
    casus = gezin(niveau="hoog", vaardigheden="onvoldoende", signalen=["ggz", "schulden"])
    casus["geweld"]["binnen_huiselijke_kring"] = False
    casus["veiligheid"]["acuut"] = True
    result = run(casus)
    assert result["route"] == "buiten_scope"
    assert result["signaleringen"] == ["crisis_directe_veiligheid", "strafrechtelijke_aanpak"]
    assert result["budget"] is None and result["maatwerk"] == [] and result["onderdelen"] == []


def test_trace_names_the_rules_that_fired() -> None:
    trace: list[str] = []
    casus = gezin(niveau="laag", vaardigheden="voldoende", nabijheid_24u_nodig=True)
    oracle.advies(casus, params_on(casus["peildatum"]), trace)
    assert "pakket.minimum_semi_intramuraal" in trace and "budget.treden_semimuraal" in trace
    assert "budget.verblijf" not in trace


# --------------------------------------------------------------------------- round two (decisions.md, issue 10)


def _lid(lid_id: str, leeftijd: int, *rollen: str, **extra: Any) -> dict[str, Any]:
    return {"id": lid_id, "leeftijd": leeftijd, "rollen": list(rollen) or ["gezinslid"], **extra}


def huishouden(*leden: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The gezin() casus (laag/voldoende, extramuraal) with these members instead."""
    casus = gezin(niveau="laag", vaardigheden="voldoende", **extra)
    casus["leden"] = oracle.with_defaults({**casus, "leden": list(leden)})["leden"]
    return casus


def test_round_two_parameters_are_read_with_their_fallbacks(tmp_path: Any) -> None:
    params = oracle.load_params(PEILDATUM)
    assert oracle.param(params, "systeemgerichte_hulp.minimum_deelnemers") == 2
    for perceel in ("extramuraal", "semimuraal", "intramuraal"):
        assert oracle.param(params, f"tarieven.begeleiding_volwassenen.{perceel}") in (None, [None, None, None])
        assert oracle.param(params, f"tarieven.begeleiding_kinderen.{perceel}") in (None, [None, None, None])
    assert oracle.param(params, "tarieven.trede_per_week") in (None, [None, None, None])
    assert oracle.param(params, "tarieven.verblijf_per_dag") is None
    # Without the files at all (a directory with only the old parameters): the same fallbacks.
    (tmp_path / "duur.yaml").write_text("richtlijn_maanden:\n  values:\n    2021-09-01: 12\n", encoding="utf-8")
    leeg = oracle.load_params(PEILDATUM, tmp_path)
    assert oracle.param(leeg, "systeemgerichte_hulp.minimum_deelnemers") == 2
    assert oracle.param(leeg, "tarieven.begeleiding_kinderen.semimuraal") is None
    with pytest.raises(KeyError):
        oracle.param(leeg, "duur.bestaat_niet")
    # A written file is read at the documented paths.
    (tmp_path / "tarieven.yaml").write_text(
        "begeleiding_volwassenen:\n  extramuraal:\n    values:\n      2021-09-01: [50, 60, 70]\n"
        "verblijf_per_dag:\n  values:\n    2021-09-01: 45.5\n",
        encoding="utf-8",
    )
    tarieven = oracle.load_params(PEILDATUM, tmp_path)
    assert oracle.param(tarieven, "tarieven.begeleiding_volwassenen.extramuraal") == [50, 60, 70]
    assert oracle.param(tarieven, "tarieven.verblijf_per_dag") == 45.5
    assert oracle.param(tarieven, "tarieven.trede_per_week") is None


def test_verblijft_mee_defaults() -> None:
    params = params_on(PEILDATUM.isoformat())
    leden = oracle.with_defaults(
        {
            **gezin(niveau="laag", vaardigheden="voldoende"),
            "leden": [
                _lid("kind", 5),
                _lid("uithuis", 7, in_beeld=False),
                _lid("moeder", 35, "slachtoffer"),
                _lid("vader", 37, "pleger"),
                _lid("beide", 40, "slachtoffer", "pleger"),
                _lid("weigert", 41, "slachtoffer", meewerkend=False),
                _lid("verlengd", 20, verlengde_jeugdhulp=True),
                _lid("vader2", 38, "pleger", verblijft_mee=True),
                _lid("kind2", 6, verblijft_mee=False),
            ],
        }
    )["leden"]
    assert "verblijft_mee" not in leden[0]  # with_defaults leaves it to the household
    assert [oracle.verblijft_mee(lid, params) for lid in leden] == [
        True,  # a child in beeld
        False,  # a child out of the picture
        True,  # a counted adult, not pleger-only
        False,  # pleger-only
        True,  # slachtoffer and pleger: a cliënt
        False,  # not counted
        True,  # 20 on verlengde jeugdhulp: a child in beeld
        True,  # an explicit value always wins
        False,
    ]


def test_child_out_of_the_picture_is_outside_the_household() -> None:
    # Four children of whom one placed out of home: three in beeld, no vrije trede; the youngest in beeld.
    casus = huishouden(
        _lid("moeder", 35, "slachtoffer"),
        _lid("baby", 1, in_beeld=False),
        _lid("kind1", 4),
        _lid("kind2", 6),
        _lid("kind3", 9),
    )
    trace: list[str] = []
    result = oracle.advies(casus, params_on(casus["peildatum"]), trace)
    assert result["vrije_trede"] is False
    assert result["budget"]["kinderen"] == {"toegekend_aan": "kind1", "aantal": 3, "uur_per_week": 1.5}
    assert trace.count("lid.kind") == 3 and trace.count("lid.kind_buiten_beeld") == 1
    # Only that child: no children's budget, no opvoedondersteuning or kindgerichte hulp; one deelnemer.
    result = run(huishouden(_lid("moeder", 35, "slachtoffer"), _lid("baby", 1, in_beeld=False)))
    assert result["budget"]["kinderen"] is None
    assert result["onderdelen"] == ["casusregie", "slachtofferhulp", "specialistische_individuele_hulp"]
    assert result["uitgesloten_onderdelen"] == [
        {"onderdeel": "systeemgerichte_hulp", "reden": "minder dan twee deelnemers"}
    ]


@pytest.mark.parametrize(
    ("rollen", "pleger_half", "volwassen_clienten"),
    [
        # Three counted adults P2 intramuraal (3 x 1 = 3 hours): half 1.5, capped at the pleger's own 1.
        ((("slachtoffer",), ("pleger",), ("gezinslid",)), 1.0, 2),
        # Two pleger-only adults of three: half 1.5 is below their own 2.
        ((("slachtoffer",), ("pleger",), ("pleger", "getuige")), 1.5, 1),
        # Slachtoffer and pleger is a cliënt: no extramural half, she stays.
        ((("slachtoffer", "pleger"), ("gezinslid",), ("slachtoffer",)), None, 3),
    ],
)
def test_three_adults_intramuraal_pleger_half_and_verblijf(
    rollen: tuple[tuple[str, ...], ...], pleger_half: float | None, volwassen_clienten: int
) -> None:
    casus = huishouden(
        *[_lid(f"v{i}", 30 + i, *r) for i, r in enumerate(rollen)],
        _lid("kind", 4),
        woonsituatie={"zelfstandig_wonen_veilig": False},
    )
    result = run(casus)
    assert (result["perceel"], result["pakket"]) == ("intramuraal", 2)
    assert result["budget"]["totaal_uur_per_week"] == 3 * 1.0 + 2.0
    assert result["budget"]["pleger_extramuraal_uur_per_week"] == pleger_half
    assert result["budget"]["verblijf"] == {"volwassen_clienten": volwassen_clienten, "meekomende_kinderen": 1}
    assert "plegerhulp" in result["onderdelen"]


def test_verblijf_follows_explicit_verblijft_mee() -> None:
    casus = huishouden(
        _lid("moeder", 35, "slachtoffer", verblijft_mee=False),
        _lid("vader", 37, "pleger", verblijft_mee=True),
        _lid("kind", 4, verblijft_mee=False),
        _lid("uithuis", 8, in_beeld=False, verblijft_mee=True),
        woonsituatie={"zelfstandig_wonen_veilig": False},
    )
    result = run(casus)
    assert result["budget"]["verblijf"] == {"volwassen_clienten": 1, "meekomende_kinderen": 1}
    # The pleger's half still follows the roles: 1/2 x 2 x 1 = 1, his own 1.
    assert result["budget"]["pleger_extramuraal_uur_per_week"] == 1.0
    assert {"resultaatgebied": "verblijf", "wet": "wmo", "voor": "vader", "trede": None} in result["resultaatgebieden"]
    assert {"resultaatgebied": "verblijf", "wet": "wmo", "voor": "kinderen", "trede": None} in result[
        "resultaatgebieden"
    ]
    assert not any(g["voor"] == "moeder" and g["resultaatgebied"] == "verblijf" for g in result["resultaatgebieden"])


@pytest.mark.parametrize(
    ("extra", "leden", "reden"),
    [
        ({"intieme_terreur": True}, 2, "intieme terreur"),
        ({"vormen": ["schadelijke_traditionele_praktijken"]}, 2, "eergerelateerd geweld"),
        (
            {"intieme_terreur": True, "vormen": ["schadelijke_traditionele_praktijken"]},
            2,
            "intieme terreur en eergerelateerd geweld",
        ),
        (
            {"intieme_terreur": True, "vormen": ["fysiek", "schadelijke_traditionele_praktijken"]},
            1,
            "intieme terreur, eergerelateerd geweld en minder dan twee deelnemers",
        ),
        ({"vormen": ["fysiek"]}, 1, "minder dan twee deelnemers"),
        ({"intieme_terreur": True}, 0, "intieme terreur en geen meewerkende volwassene"),
        ({}, 0, "geen meewerkende volwassene"),
        ({}, 2, None),
    ],
)
def test_systeemgerichte_hulp_exclusion_reasons(extra: dict[str, Any], leden: int, reden: str | None) -> None:
    alle = [_lid("moeder", 35, "slachtoffer"), _lid("vader", 37, "pleger")]
    gevraagd = alle[:leden] + [_lid(lid["id"], lid["leeftijd"], *lid["rollen"], in_beeld=False) for lid in alle[leden:]]
    casus = huishouden(*gevraagd)
    casus["geweld"].update(extra)
    result = run(casus)
    uitgesloten = [e for e in result["uitgesloten_onderdelen"] if e["onderdeel"] == "systeemgerichte_hulp"]
    if reden is None:
        assert uitgesloten == [] and "systeemgerichte_hulp" in result["onderdelen"]
        assert "specialistische_individuele_hulp" not in result["onderdelen"]
    else:
        assert uitgesloten == [{"onderdeel": "systeemgerichte_hulp", "reden": reden}]
        assert "specialistische_individuele_hulp" in result["onderdelen"]
        assert "systeemgerichte_hulp" not in result["onderdelen"]


def test_minimum_deelnemers_is_a_parameter_and_the_reason_names_it() -> None:
    casus = gezin(niveau="laag", vaardigheden="voldoende", kinderen=())
    params = oracle.with_overrides(params_on(casus["peildatum"]), {"systeemgerichte_hulp.minimum_deelnemers": 3})
    assert oracle.advies(casus, params)["uitgesloten_onderdelen"] == [
        {"onderdeel": "systeemgerichte_hulp", "reden": "minder dan drie deelnemers"}
    ]
    assert run(casus)["uitgesloten_onderdelen"] == []


def test_one_adult_with_a_child_takes_part_together() -> None:
    result = run(huishouden(_lid("moeder", 35, "slachtoffer"), _lid("kind", 3)))
    assert "systeemgerichte_hulp" in result["onderdelen"] and result["uitgesloten_onderdelen"] == []


def test_no_counted_adult_children_only() -> None:
    casus = huishouden(
        _lid("moeder", 39, "pleger", meewerkend=False),
        _lid("zoon", 11, "slachtoffer"),
        _lid("oma", 70, "slachtoffer", meewerkend=False),
        signalen=["ggz", "schulden"],
        veiligheid={"niveau": "hoog", "acuut": True},
    )
    result = run(casus)
    assert result["onderdelen"] == ["casusregie", "kindgerichte_hulp", "specialistische_individuele_hulp"]
    assert result["uitgesloten_onderdelen"] == [
        {"onderdeel": "systeemgerichte_hulp", "reden": "geen meewerkende volwassene"},
        {"onderdeel": "opvoedondersteuning", "reden": "geen meewerkende ouder of verzorger"},
    ]
    assert result["signaleringen"] == [
        "crisis_directe_veiligheid",
        "geen_meewerkende_volwassene",
        "ggz_via_zvw",
        "pleger_niet_meewerkend",
        "slachtoffer_niet_meewerkend",
        "profiel_ggz_lvb",
    ]
    assert result["fase"] == "directe_veiligheid"
    # Maatwerk stays in maatwerk but has no resultaatgebied without a counted adult.
    assert result["maatwerk"] == ["toeleiding_schulddienstverlening"]
    assert result["resultaatgebieden"] == [
        {"resultaatgebied": naam, "wet": "jeugdwet", "voor": "kinderen", "trede": None}
        for naam in ("jeugd_ondersteuning", "jeugd_behandeling", "jeugd_begeleiding_ouders_omgeving")
    ]


def test_slachtoffer_niet_meewerkend_needs_in_beeld() -> None:
    casus = huishouden(
        _lid("moeder", 35, "slachtoffer", in_beeld=False, meewerkend=False), _lid("vader", 36, "gezinslid")
    )
    assert "slachtoffer_niet_meewerkend" not in run(casus)["signaleringen"]
    casus["leden"][0]["in_beeld"] = True
    assert "slachtoffer_niet_meewerkend" in run(casus)["signaleringen"]
    # Any age: a child victim who will not cooperate also raises it.
    casus = huishouden(_lid("moeder", 35, "gezinslid"), _lid("zoon", 15, "slachtoffer", meewerkend=False))
    assert "slachtoffer_niet_meewerkend" in run(casus)["signaleringen"]


def test_waarschuwingen_in_order_with_their_fields() -> None:
    casus = huishouden(
        _lid("a", 16, "getuige", verlengde_jeugdhulp=True),
        _lid("b", 20, "pleger", verlengde_jeugdhulp=True),
        _lid("c", 23, "pleger", verlengde_jeugdhulp=True),
        veiligheid={"niveau": "laag", "acuut": True},
        woonsituatie={"dakloos": True},
    )
    casus["geweld"].update(intieme_terreur=True, structureel=False, vormen=[])
    for route in ("basishulp_wijkteam", "buiten_scope"):
        casus["geweld"]["binnen_huiselijke_kring"] = route == "basishulp_wijkteam"
        result = run(casus)
        assert result["route"] == route
        assert result["waarschuwingen"] == [
            {"code": "acuut_bij_laag_risico", "velden": ["veiligheid.acuut", "veiligheid.niveau"]},
            {"code": "intieme_terreur_niet_structureel", "velden": ["geweld.intieme_terreur", "geweld.structureel"]},
            {"code": "geen_geweldsvorm", "velden": ["geweld.vormen"]},
            {
                "code": "verlengde_jeugdhulp_buiten_leeftijd",
                "velden": ["leden[0].verlengde_jeugdhulp", "leden[0].leeftijd"],
            },
            {
                "code": "verlengde_jeugdhulp_buiten_leeftijd",
                "velden": ["leden[2].verlengde_jeugdhulp", "leden[2].leeftijd"],
            },
            {
                "code": "dakloos_en_zelfstandig_wonen_veilig",
                "velden": ["woonsituatie.dakloos", "woonsituatie.zelfstandig_wonen_veilig"],
            },
            {"code": "geen_slachtoffer", "velden": ["leden"]},
        ]
        assert result["fase"] == "directe_veiligheid"
    assert run(gezin(niveau="laag", vaardigheden="voldoende"))["waarschuwingen"] == []


@pytest.mark.parametrize(
    ("niveau", "acuut", "structureel", "fase"),
    [
        ("laag", False, True, "herstel"),
        ("midden", False, True, "stabiele_veiligheid"),
        ("hoog", False, True, "stabiele_veiligheid"),
        ("laag", True, True, "directe_veiligheid"),
        ("hoog", False, False, None),  # basishulp
        ("midden", True, False, "directe_veiligheid"),
    ],
)
def test_fase(niveau: str, acuut: bool, structureel: bool, fase: str | None) -> None:
    casus = gezin(niveau=niveau, vaardigheden="beperkt", veiligheid={"niveau": niveau, "acuut": acuut})
    casus["geweld"]["structureel"] = structureel
    assert run(casus)["fase"] == fase


def test_resultaatgebieden_extramuraal_with_maatwerk() -> None:
    result = run(gezin(niveau="midden", vaardigheden="beperkt", signalen=["schulden", "dagbesteding"]))

    def gebied(naam: str, voor: str, wet: str = "wmo") -> dict[str, Any]:
        return {"resultaatgebied": naam, "wet": wet, "voor": voor, "trede": None}

    per_volwassene = (
        "duurzame_veiligheid_herstel_systeemdynamiek",
        "sociaal_persoonlijk_functioneren",
        "ondersteuning_zelfzorg_gezondheid",
    )
    jeugd = ("jeugd_ondersteuning", "jeugd_behandeling", "jeugd_begeleiding_ouders_omgeving")
    assert result["resultaatgebieden"] == [
        *[gebied(naam, "moeder") for naam in per_volwassene],
        *[gebied(naam, "vader") for naam in per_volwassene],
        *[gebied(naam, "kinderen", "jeugdwet") for naam in jeugd],
        gebied("toeleiding_schulddienstverlening", "moeder"),
        gebied("toeleiding_schulddienstverlening", "vader"),
        gebied("dagbesteding", "moeder"),
        gebied("dagbesteding", "vader"),
    ]


@pytest.mark.parametrize(
    ("woonsituatie", "ondersteuning", "treden"),
    [
        ({"nabijheid_24u_nodig": True}, "semimurale_ondersteuning", (3, 2)),
        ({"zelfstandig_wonen_veilig": False}, "intramurale_ondersteuning", (3, 3)),
    ],
)
def test_resultaatgebieden_semi_en_intramuraal(
    woonsituatie: dict[str, bool], ondersteuning: str, treden: tuple[int, int]
) -> None:
    result = run(gezin(niveau="hoog", vaardigheden="onvoldoende", **woonsituatie))
    moeder = [g for g in result["resultaatgebieden"] if g["voor"] == "moeder"]
    verwacht = [
        {
            "resultaatgebied": "duurzame_veiligheid_herstel_systeemdynamiek",
            "wet": "wmo",
            "voor": "moeder",
            "trede": None,
        },
        {"resultaatgebied": ondersteuning, "wet": "wmo", "voor": "moeder", "trede": treden[0]},
        {"resultaatgebied": "nachtelijke_ondersteuning", "wet": "wmo", "voor": "moeder", "trede": treden[1]},
    ]
    intramuraal = ondersteuning == "intramurale_ondersteuning"
    if intramuraal:
        verwacht.append({"resultaatgebied": "verblijf", "wet": "wmo", "voor": "moeder", "trede": None})
    assert moeder == verwacht
    # The perpetrator stays at home (pleger-only): no verblijf for him; the children come along.
    assert not any(g["resultaatgebied"] == "verblijf" and g["voor"] == "vader" for g in result["resultaatgebieden"])
    kinderen = [g["resultaatgebied"] for g in result["resultaatgebieden"] if g["voor"] == "kinderen"]
    assert kinderen == ["jeugd_ondersteuning", "jeugd_behandeling", "jeugd_begeleiding_ouders_omgeving"] + (
        ["verblijf"] if intramuraal else []
    )


def test_looptijd_and_no_cost_without_tariffs() -> None:
    budget = run(gezin(niveau="midden", vaardigheden="beperkt"))["budget"]
    assert budget["looptijd"] == {"weken": 52.0, "uren": 260.0}  # 12 x 52 / 12 weeks x 5 hours
    assert budget["kosten"] is None
    casus = gezin(niveau="midden", vaardigheden="beperkt")
    params = oracle.with_overrides(params_on(casus["peildatum"]), {"duur.richtlijn_maanden": 18})
    assert oracle.advies(casus, params)["budget"]["looptijd"] == {"weken": 78.0, "uren": 390.0}


TARIEVEN: dict[str, Any] = {
    "tarieven.begeleiding_volwassenen.extramuraal": [55.55, 60.0, 65.25],
    "tarieven.begeleiding_volwassenen.semimuraal": [None, 62.0, 66.0],
    "tarieven.begeleiding_volwassenen.intramuraal": [None, 60.0, 64.0],
    "tarieven.begeleiding_kinderen.extramuraal": [68.37, 70.0, 74.5],
    "tarieven.begeleiding_kinderen.semimuraal": [None, 71.0, 75.0],
    "tarieven.begeleiding_kinderen.intramuraal": [None, 70.0, 76.0],
    "tarieven.trede_per_week": [1000.0, 1200.0, 1500.0],
    "tarieven.verblijf_per_dag": 50.0,
}


def test_kosten_by_hand() -> None:
    casus = gezin(niveau="midden", vaardigheden="beperkt")  # extramuraal P2: 2 x 1.5 + 2 hours
    params = oracle.with_overrides(params_on(casus["peildatum"]), TARIEVEN)
    assert oracle.advies(casus, params)["budget"]["kosten"] == {
        "per_week": 320.0,  # 3 x 60 + 2 x 70
        "looptijd": 16640.0,  # x 52 weeks
        "valuta": "EUR",
        "volledig": True,
        "zonder_tarief": [],
    }
    # Intramuraal P2: 2 x 1 x 60 + 2 x 70 + treden 2 and 3 (1200 + 1500) + verblijf (1 + 2) x 7 x 50.
    casus = gezin(niveau="hoog", vaardigheden="voldoende", zelfstandig_wonen_veilig=False, kinderen=(3, 9))
    kosten = oracle.advies(casus, params)["budget"]["kosten"]
    assert (kosten["per_week"], kosten["looptijd"], kosten["volledig"]) == (4010.0, 208520.0, True)
    # Only the verblijf tariff set: the other applying parts are named.
    alleen_verblijf = oracle.with_overrides(params_on(casus["peildatum"]), {"tarieven.verblijf_per_dag": 50.0})
    assert oracle.advies(casus, alleen_verblijf)["budget"]["kosten"] == {
        "per_week": 1050.0,
        "looptijd": 54600.0,
        "valuta": "EUR",
        "volledig": False,
        "zonder_tarief": ["begeleiding_volwassenen", "begeleiding_kinderen", "treden"],
    }
    # A part that does not apply (no verblijf extramurally) never makes the cost incomplete, nor priced.
    extramuraal = gezin(niveau="midden", vaardigheden="beperkt")
    assert oracle.advies(extramuraal, alleen_verblijf)["budget"]["kosten"] is None
    # Cents: 1 adult P1 extramuraal 0.75 x 55.55 = 41.6625 plus 1.5 x 68.37 = 102.555: 144.2175, so 144.22.
    een = huishouden(_lid("moeder", 35, "slachtoffer"), _lid("kind", 4))
    kosten = oracle.advies(een, params)["budget"]["kosten"]
    assert (kosten["per_week"], kosten["looptijd"]) == (144.22, 7499.44)


# The engine under the same tariffs, set through its scenario overrides (as test_replay.py does for hours).
TARIEF_SCENARIOS: dict[str, dict[str, Any]] = {
    "alle": TARIEVEN,
    "deels": {
        "tarieven.begeleiding_kinderen.extramuraal": [68.37, 70.0, 74.5],
        "tarieven.begeleiding_volwassenen.intramuraal": [None, 60.0, 64.0],
        "tarieven.verblijf_per_dag": 47.33,
    },
}


@functools.cache
def engine_ruleset(peildatum: dt.date, scenario: str) -> Any:
    return standaard_engine().ruleset(peildatum, overrides=TARIEF_SCENARIOS[scenario])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(casussen(), st.sampled_from(sorted(TARIEF_SCENARIOS)))
def test_engine_agrees_with_oracle_under_tariffs(raw: dict[str, Any], scenario: str) -> None:
    casus = parse_casus(raw)
    got = standaard_engine().advies(casus, engine_ruleset(casus.peildatum, scenario))
    full = oracle.with_defaults(raw)
    want = oracle.advies(full, oracle.with_overrides(params_on(full["peildatum"]), TARIEF_SCENARIOS[scenario]))
    assert verschillen(got, want) == []


ROUND_TWO_RULE_IDS = (
    "lid.kind_buiten_beeld",
    "onderdelen.systeemgerichte_hulp_uitgesloten_eergerelateerd",
    "onderdelen.systeemgerichte_hulp_uitgesloten_geen_volwassene",
    "onderdelen.systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers",
    "onderdelen.opvoedondersteuning_uitgesloten",
    "signalen.geen_meewerkende_volwassene",
    "signalen.slachtoffer_niet_meewerkend",
    "fase.stabiele_veiligheid",
    "fase.herstel",
    "resultaatgebieden.beschikking",
    "budget.trede_diensturen",
    "budget.looptijd",
    *(f"waarschuwing.{code}" for code in oracle.WAARSCHUWING_ORDER),
)


def test_trace_names_the_round_two_rules() -> None:
    # One adult with a child placed out of home, eergerelateerd geweld, low risk.
    alleen = huishouden(_lid("moeder", 35, "slachtoffer"), _lid("baby", 1, in_beeld=False))
    alleen["geweld"]["vormen"] = ["schadelijke_traditionele_praktijken"]
    # Nobody cooperating, a child, intramuraal, high risk.
    niemand = huishouden(
        _lid("moeder", 39, "pleger", meewerkend=False),
        _lid("oma", 70, "slachtoffer", meewerkend=False),
        _lid("zoon", 11, "getuige"),
        woonsituatie={"zelfstandig_wonen_veilig": False},
        veiligheid={"niveau": "hoog"},
    )
    # Every waarschuwing (basishulp: not structureel).
    onwaarschijnlijk = huishouden(
        _lid("a", 16, "getuige", verlengde_jeugdhulp=True),
        veiligheid={"niveau": "laag", "acuut": True},
        woonsituatie={"dakloos": True},
    )
    onwaarschijnlijk["geweld"].update(intieme_terreur=True, structureel=False, vormen=[])
    trace: list[str] = []
    for casus in (alleen, niemand, onwaarschijnlijk):
        oracle.advies(casus, params_on(casus["peildatum"]), trace)
    assert [rule for rule in ROUND_TWO_RULE_IDS if rule not in trace] == []


# --------------------------------------------------------------------------- invariants


@settings(max_examples=400, deadline=None)
@given(casussen())
def test_oracle_invariants(raw: dict[str, Any]) -> None:
    casus = oracle.with_defaults(raw)
    params = params_on(casus["peildatum"])
    result = oracle.advies(casus, params)
    budget = result["budget"]

    assert ID_PATTERN.match(casus["casus_id"]) and result["casus_id"] == casus["casus_id"]
    assert result["indicerende_instantie"] in ("wijkteam", "stedelijk_loket")
    assert result["directe_veiligheid_eerst"] == casus["veiligheid"]["acuut"]
    assert ("crisis_directe_veiligheid" in result["signaleringen"]) == casus["veiligheid"]["acuut"]
    assert result["signaleringen"] == [c for c in oracle.SIGNAL_ORDER if c in result["signaleringen"]]
    assert result["onderdelen"] == [o for o in oracle.ONDERDELEN_ORDER if o in result["onderdelen"]]
    assert result["maatwerk"] == [m for m in oracle.MAATWERK_ORDER if m in result["maatwerk"]]

    assert [w["code"] for w in result["waarschuwingen"]] == [
        c for c in oracle.WAARSCHUWING_ORDER for w in result["waarschuwingen"] if w["code"] == c
    ]
    assert (result["fase"] == "directe_veiligheid") == casus["veiligheid"]["acuut"]

    if result["route"] != "hg_arrangement":
        assert budget is None and result["perceel"] is None and result["pakket"] is None
        assert result["onderdelen"] == [] and result["maatwerk"] == [] and result["duur_maanden"] is None
        assert result["resultaatgebieden"] == [] and result["fase"] in (None, "directe_veiligheid")
        return

    # Budget never negative, and the total is the sum of its parts.
    assert all(entry["uur_per_week"] > 0 for entry in budget["volwassenen"])
    kinder_uren = budget["kinderen"]["uur_per_week"] if budget["kinderen"] else 0.0
    assert budget["totaal_uur_per_week"] >= 0
    assert budget["totaal_uur_per_week"] == sum(e["uur_per_week"] for e in budget["volwassenen"]) + kinder_uren
    if budget["pleger_extramuraal_uur_per_week"] is not None:
        assert 0 <= budget["pleger_extramuraal_uur_per_week"] <= budget["totaal_uur_per_week"]

    # Pakket 1 never exists semi/intramurally.
    assert result["pakket"] in (1, 2, 3)
    if result["perceel"] in ("semimuraal", "intramuraal"):
        assert result["pakket"] >= 2 and not result["vrije_trede"]
    else:
        assert budget["verblijf"] is None and budget["treden"] == dict.fromkeys(budget["treden"])

    # No system-oriented help with intimate terror; it is excluded and replaced instead.
    uitgesloten = {entry["onderdeel"]: entry["reden"] for entry in result["uitgesloten_onderdelen"]}
    if casus["geweld"]["intieme_terreur"]:
        assert "systeemgerichte_hulp" not in result["onderdelen"]
        assert uitgesloten["systeemgerichte_hulp"].startswith("intieme terreur")
        assert result["pakket"] >= 2 or result["naast_bestaande_wmo_zorg"]
    assert ("specialistische_individuele_hulp" in result["onderdelen"]) == ("systeemgerichte_hulp" in uitgesloten)
    assert ("systeemgerichte_hulp" in result["onderdelen"]) != ("systeemgerichte_hulp" in uitgesloten)
    assert list(uitgesloten) == [o for o in ("systeemgerichte_hulp", "opvoedondersteuning") if o in uitgesloten]
    assert ("kindgerichte_hulp" in result["onderdelen"]) == (budget["kinderen"] is not None)
    assert ("geen_meewerkende_volwassene" in result["signaleringen"]) == (budget["volwassenen"] == [])

    # The budget over the looptijd; no tariffs are shipped, so no cost.
    assert budget["looptijd"]["weken"] == result["duur_maanden"] * 52 / 12
    assert budget["looptijd"]["uren"] == budget["totaal_uur_per_week"] * budget["looptijd"]["weken"]
    assert budget["kosten"] is None
    assert result["fase"] in ("directe_veiligheid", "stabiele_veiligheid", "herstel")
    assert {g["voor"] for g in result["resultaatgebieden"]} <= {e["lid"] for e in budget["volwassenen"]} | {"kinderen"}
    assert "casusregie" in result["onderdelen"]
    assert result["naast_bestaande_wmo_zorg"] == (casus["bestaande_wmo_zorg"] != "geen")
    if result["naast_bestaande_wmo_zorg"]:
        assert (result["perceel"], result["pakket"]) == ("extramuraal", 1)
