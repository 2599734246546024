"""The casus input model: defaults, every refusal with its path and Dutch message, parsing."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from engine.casus import Casus, parse_casus, parse_casus_json, parse_opgeslagen_casus
from engine.errors import CasusFout, Fout, format_path, translate_validation_error
from tests.voorbeelden import VOORBEELD

try:  # tests/ is a plain directory that pytest puts on sys.path ...
    from strategies import casussen
except ModuleNotFoundError:  # ... or a package, when someone adds tests/__init__.py
    from tests.strategies import casussen

ONBEKEND = "onbekend veld; niet toegestaan (controleer de spelling)"
SUGGESTIE = "onbekend veld; niet toegestaan (controleer de spelling; bedoelt u '{}'?)"
ONTBREEKT = "verplicht veld ontbreekt"
GEHEEL_GETAL = "moet een geheel getal zijn"
BOOLEAN = "moet true of false zijn"
LEEFTIJD_BEREIK = "moet tussen 0 en 120 liggen"
DATUM = "ongeldige datum; gebruik JJJJ-MM-DD"
PSEUDONIEM = (
    "ongeldige id; gebruik een pseudoniem van 1 tot 64 tekens: letters, cijfers, punt, "
    "liggend streepje of koppelteken (geen spaties)"
)
WAARDEN = "moet een van de volgende waarden zijn: "
DUUR_BEREIK = "moet tussen 1 en 120 liggen"
LIJST = "moet een lijst zijn (waarden tussen [ ])"
OBJECT = "moet een object zijn (velden tussen { })"
ROLLEN = "slachtoffer, pleger, getuige, gezinslid"
VORMEN = "fysiek, psychisch, seksueel, verwaarlozing, stalking, schadelijke_traditionele_praktijken"
SIGNALEN = (
    "schulden, dagbesteding, nachtelijke_ondersteuning, ggz, lvb, verslaving, vechtscheiding, "
    "kindproblematiek, hoge_stress"
)
NIET_OBJECT = "de casus moet een JSON- of YAML-object zijn (velden tussen { }), "


MINIMAAL: dict[str, Any] = {  # only the required fields
    "casus_id": "VJ-1",
    "leden": [{"id": "moeder", "leeftijd": 36}],
    "geweld": {"binnen_huiselijke_kring": True, "structureel": True},
    "veiligheid": {"niveau": "hoog"},
    "vaardigheden": "beperkt",
}


def minimaal(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAAL)
    data.update(changes)
    return data


def met(change: Callable[[dict[str, Any]], object], basis: dict[str, Any] = MINIMAAL) -> dict[str, Any]:
    data = copy.deepcopy(basis)
    change(data)
    return data


def fouten(data: object) -> list[tuple[str, str]]:
    with pytest.raises(CasusFout) as info:
        parse_casus(data)
    return [(f.veld, f.melding) for f in info.value.fouten]


# --- valid input and defaults ---------------------------------------------------------------------


def test_contract_example_is_read_as_written() -> None:
    casus = parse_casus(VOORBEELD)
    assert casus.casus_id == "VJ-2020-1"
    assert casus.peildatum == dt.date(2021, 9, 1)
    assert [lid.id for lid in casus.leden] == ["moeder", "vader", "zoon"]
    assert casus.leden[1].meewerkend is False
    assert casus.geweld.vormen == ["fysiek", "psychisch"]
    assert casus.inzet.specialistisch is True
    # Dumped back to JSON it is the example, with the members' defaults filled in.
    standaard = {
        "in_beeld": True,
        "meewerkend": True,
        "verlengde_jeugdhulp": False,
        "woont_buiten_gemeente": False,
        "verblijft_mee": None,  # absent: the rules apply domain.md's default
    }
    assert casus.model_dump(mode="json") == {
        **VOORBEELD,
        "leden": [standaard | lid for lid in VOORBEELD["leden"]],
    }


def test_defaults_of_the_contract_apply() -> None:
    voor = dt.date.today()
    casus = parse_casus(MINIMAAL)
    assert voor <= casus.peildatum <= dt.date.today()
    assert casus.woonplaats == "rotterdam"
    assert casus.vaardigheden == "beperkt"
    assert casus.bestaande_wmo_zorg == "geen"
    assert casus.signalen == []
    lid = casus.leden[0]
    assert lid.rollen == ["gezinslid"]
    assert (lid.in_beeld, lid.meewerkend) == (True, True)
    assert (lid.verlengde_jeugdhulp, lid.woont_buiten_gemeente) == (False, False)
    assert casus.geweld.vormen == []
    assert casus.geweld.intieme_terreur is False
    assert casus.veiligheid.acuut is False
    w = casus.woonsituatie
    assert (w.dakloos, w.zelfstandig_wonen_veilig, w.nabijheid_24u_nodig) == (False, True, False)
    assert (casus.inzet.verwachte_duur_maanden, casus.inzet.specialistisch) == (12, False)


def test_partial_nested_objects_get_defaults_for_the_rest() -> None:
    casus = parse_casus(minimaal(woonsituatie={"dakloos": True}, inzet={"specialistisch": True}))
    assert (casus.woonsituatie.dakloos, casus.woonsituatie.zelfstandig_wonen_veilig) == (True, True)
    assert (casus.inzet.verwachte_duur_maanden, casus.inzet.specialistisch) == (12, True)


def test_duplicate_values_are_counted_once_in_first_occurrence_order() -> None:
    data = met(lambda d: d["leden"][0].update(rollen=["pleger", "slachtoffer", "pleger"]))
    data["geweld"]["vormen"] = ["stalking", "fysiek", "stalking", "fysiek"]
    data["signalen"] = ["ggz", "schulden", "ggz"]
    casus = parse_casus(data)
    assert casus.leden[0].rollen == ["pleger", "slachtoffer"]
    assert casus.geweld.vormen == ["stalking", "fysiek"]
    assert casus.signalen == ["ggz", "schulden"]


def test_yaml_date_object_is_accepted_as_peildatum() -> None:
    data = yaml.safe_load("casus_id: VJ-1\npeildatum: 2021-09-01\n")
    assert data["peildatum"] == dt.date(2021, 9, 1)  # the loader made a date, not a string
    casus = parse_casus(minimaal(**data))
    assert casus.peildatum == dt.date(2021, 9, 1)


def test_thirty_members_and_64_character_ids_are_allowed() -> None:
    leden = [{"id": f"kind.{i}", "leeftijd": i} for i in range(30)]
    casus = parse_casus(minimaal(casus_id="a" * 64, leden=leden))
    assert len(casus.leden) == 30


def test_counts_members_per_role() -> None:
    casus = parse_casus(VOORBEELD)
    assert casus.counts == {"leden": 3, "slachtoffer": 1, "pleger": 1, "getuige": 1, "gezinslid": 0}


def test_casus_is_frozen() -> None:
    casus = parse_casus(MINIMAAL)
    with pytest.raises(ValidationError):
        casus.casus_id = "ander"


@given(casussen())
def test_every_valid_casus_from_the_strategy_parses(data: dict[str, Any]) -> None:
    assert parse_casus(data).casus_id == data["casus_id"]


@given(st.integers(0, 120))
def test_any_age_from_0_to_120_is_accepted(leeftijd: int) -> None:
    assert parse_casus(met(lambda d: d["leden"][0].update(leeftijd=leeftijd))).leden[0].leeftijd == leeftijd


# --- refusals: one field each ---------------------------------------------------------------------

EENENDERTIG = [{"id": f"kind.{i}", "leeftijd": 9} for i in range(31)]
WEG = object()  # as a value: delete the field


def zet(data: dict[str, Any], pad: str, waarde: object) -> dict[str, Any]:
    """`data` with the value at `pad` (`leden[0].leeftijd`) replaced, or deleted for WEG."""
    keys: list[Any] = [int(k[1:-1]) if k.startswith("[") else k for k in re.findall(r"\[\d+\]|[^.\[\]]+", pad)]
    data = copy.deepcopy(data)
    target: Any = data
    for key in keys[:-1]:
        target = target[key]
    if waarde is WEG:
        del target[keys[-1]]
    else:
        target[keys[-1]] = waarde
    return data


def op(pad: str, waarde: object, melding: str, veld: str | None = None) -> tuple[str, object, str, str]:
    """A refusal: set `waarde` at `pad`; the error is at `veld` (by default `pad` itself)."""
    return pad, waarde, veld or pad, melding


def _id(value: object) -> str:
    """A test id that is the same in every process (pytest-xdist compares them)."""
    return "weg" if value is WEG else repr(value)[:30]


REFUSALS = [
    # unknown fields, also typos, at every level
    op("onbekend", 1, ONBEKEND),
    op("leden[0].leeftjid", 3, SUGGESTIE.format("leeftijd")),
    op("geweld.structureell", True, SUGGESTIE.format("structureel")),
    op("veiligheid.extra", {"a": 1}, ONBEKEND),
    # missing required fields
    op("casus_id", WEG, ONTBREEKT),
    op("vaardigheden", WEG, ONTBREEKT),
    op("leden[0].leeftijd", WEG, ONTBREEKT),
    op("leden[0].id", WEG, ONTBREEKT),
    op("geweld.structureel", WEG, ONTBREEKT),
    op("geweld.binnen_huiselijke_kring", WEG, ONTBREEKT),
    op("veiligheid.niveau", WEG, ONTBREEKT),
    # ranges
    op("leden[0].leeftijd", 121, LEEFTIJD_BEREIK),
    op("leden[0].leeftijd", -1, LEEFTIJD_BEREIK),
    op("leden[0].leeftijd", 10**40, LEEFTIJD_BEREIK),
    op("inzet", {"verwachte_duur_maanden": 0}, DUUR_BEREIK, "inzet.verwachte_duur_maanden"),
    op("inzet", {"verwachte_duur_maanden": 121}, DUUR_BEREIK, "inzet.verwachte_duur_maanden"),
    # enumerations
    op("veiligheid.niveau", "Hoog", WAARDEN + "laag, midden, hoog"),
    op("vaardigheden", "goed", WAARDEN + "voldoende, beperkt, onvoldoende"),
    op("woonplaats", "Rotterdam", WAARDEN + "rotterdam, regiogemeente, elders"),
    op("bestaande_wmo_zorg", "ja", WAARDEN + "geen, semimuraal, intramuraal"),
    op("leden[0].rollen", ["gezinslid", "dader"], WAARDEN + ROLLEN, "leden[0].rollen[1]"),
    op("geweld.vormen", ["digitaal"], WAARDEN + VORMEN, "geweld.vormen[0]"),
    op("signalen", ["ggz", "lvb", "armoede"], WAARDEN + SIGNALEN, "signalen[2]"),
    # strict integers
    op("leden[0].leeftijd", 36.0, GEHEEL_GETAL),
    op("leden[0].leeftijd", 1e-05, GEHEEL_GETAL),
    op("leden[0].leeftijd", "36", GEHEEL_GETAL),
    op("leden[0].leeftijd", True, GEHEEL_GETAL),
    op("leden[0].leeftijd", None, GEHEEL_GETAL),
    op("inzet", {"verwachte_duur_maanden": 12.0}, GEHEEL_GETAL, "inzet.verwachte_duur_maanden"),
    # strict booleans
    op("geweld.structureel", "true", BOOLEAN),
    op("geweld.structureel", 1, BOOLEAN),
    op("veiligheid.acuut", "ja", BOOLEAN),
    op("leden[0].meewerkend", 0, BOOLEAN),
    op("woonsituatie", {"dakloos": None}, BOOLEAN, "woonsituatie.dakloos"),
    # structure
    op("leden", [], "minstens één gezinslid is verplicht"),
    op("leden", EENENDERTIG, "te veel gezinsleden: hoogstens 30 toegestaan"),
    op("leden", {"id": "moeder", "leeftijd": 36}, LIJST),
    op("leden", ["moeder"], OBJECT, "leden[0]"),
    op("leden[0].rollen", [], "minstens één rol is verplicht (slachtoffer, pleger, getuige of gezinslid)"),
    op("leden[0].rollen", "pleger", LIJST),
    op("signalen", None, LIJST),
    op("geweld", None, OBJECT),
    op("veiligheid", "hoog", OBJECT),
    op("casus_id", 2020, "moet tekst zijn (zet de waarde zo nodig tussen aanhalingstekens)"),
    # pseudonyms
    op("casus_id", "", PSEUDONIEM),
    op("casus_id", "a" * 65, PSEUDONIEM),
    op("casus_id", "VJ 2020 1", PSEUDONIEM),
    op("casus_id", "VJ/2020", PSEUDONIEM),
    op("casus_id", "VJ-1\n", PSEUDONIEM),
    op("casus_id", "zoë", PSEUDONIEM),
    op("leden[0].id", "Jan Jansen", PSEUDONIEM),
    # peildatum
    op("peildatum", "2021-9-1", DATUM),
    op("peildatum", "01-09-2021", DATUM),
    op("peildatum", "20210901", DATUM),
    op("peildatum", "2021-09-01T00:00:00", DATUM),
    op("peildatum", 20210901, DATUM),
    op("peildatum", None, DATUM),
    op("peildatum", "2021-02-30", "ongeldige datum; deze dag bestaat niet (gebruik JJJJ-MM-DD)"),
    op("peildatum", dt.datetime(2021, 9, 1), "ongeldige datum; gebruik JJJJ-MM-DD zonder tijd"),
]


@pytest.mark.parametrize(("pad", "waarde", "veld", "melding"), REFUSALS, ids=_id)
def test_refused_with_path_and_message(pad: str, waarde: object, veld: str, melding: str) -> None:
    assert fouten(zet(MINIMAAL, pad, waarde)) == [(veld, melding)]


def test_a_key_that_is_not_text_is_refused() -> None:
    data: dict[Any, Any] = {**MINIMAAL, 1: "x"}
    assert fouten(data) == [
        ("1", "ongeldige veldnaam: een veldnaam moet tekst zijn (zet hem zo nodig tussen aanhalingstekens)")
    ]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_is_refused_as_age(leeftijd: float) -> None:
    assert fouten(met(lambda d: d["leden"][0].update(leeftijd=leeftijd))) == [("leden[0].leeftijd", GEHEEL_GETAL)]


@given(st.integers().filter(lambda n: not 0 <= n <= 120))
def test_any_integer_outside_0_120_is_refused_as_age(leeftijd: int) -> None:
    assert fouten(met(lambda d: d["leden"][0].update(leeftijd=leeftijd))) == [("leden[0].leeftijd", LEEFTIJD_BEREIK)]


@pytest.mark.parametrize("data", [[], "casus", None, 3, True])
def test_input_that_is_not_an_object_is_one_error(data: object) -> None:
    [(veld, melding)] = fouten(data)
    assert veld == "(casus)"
    assert melding.startswith(NIET_OBJECT)


# --- duplicate member ids -------------------------------------------------------------------------


def test_duplicate_member_ids_are_refused_at_each_repeat() -> None:
    leden = [{"id": i, "leeftijd": 30} for i in ("moeder", "vader", "moeder", "vader", "moeder")]
    assert fouten(minimaal(leden=leden)) == [
        ("leden[2].id", "id 'moeder' komt meer dan eens voor"),
        ("leden[3].id", "id 'vader' komt meer dan eens voor"),
        ("leden[4].id", "id 'moeder' komt meer dan eens voor"),
    ]


def test_duplicate_member_ids_are_found_even_when_a_member_is_invalid() -> None:
    leden = [{"id": "moeder", "leeftijd": 36}, {"id": "moeder", "leeftijd": 36.5}]
    assert fouten(minimaal(leden=leden)) == [
        ("leden[1].leeftijd", GEHEEL_GETAL),
        ("leden[1].id", "id 'moeder' komt meer dan eens voor"),
    ]


def test_duplicate_member_ids_are_reported_once_when_another_field_fails() -> None:
    leden = [{"id": "moeder", "leeftijd": 36}, {"id": "moeder", "leeftijd": 6}]
    assert fouten(minimaal(leden=leden, vaardigheden="x")) == [
        ("leden[1].id", "id 'moeder' komt meer dan eens voor"),
        ("vaardigheden", WAARDEN + "voldoende, beperkt, onvoldoende"),
    ]


def test_model_validate_refuses_duplicate_ids_too() -> None:
    data = minimaal(leden=[{"id": "zoon", "leeftijd": 3}, {"id": "zoon", "leeftijd": 5}])
    with pytest.raises(ValidationError) as info:
        Casus.model_validate(data)
    assert translate_validation_error(info.value, Casus) == [Fout("leden[1].id", "id 'zoon' komt meer dan eens voor")]


# --- several errors together, and the error object ------------------------------------------------


def test_all_errors_are_reported_together_in_document_order() -> None:
    data = minimaal(peildatum="1-9-2021", signalen=["ggz", "stress"])
    data["leden"] = [{"id": "moeder", "leeftijd": "36", "roll": ["slachtoffer"]}, {"leeftijd": 6}]
    data["geweld"] = {"structureel": "ja"}
    del data["vaardigheden"]
    assert fouten(data) == [
        ("peildatum", DATUM),
        ("leden[0].leeftijd", GEHEEL_GETAL),
        ("leden[0].roll", SUGGESTIE.format("rollen")),
        ("leden[1].id", ONTBREEKT),
        ("geweld.binnen_huiselijke_kring", ONTBREEKT),
        ("geweld.structureel", BOOLEAN),
        ("vaardigheden", ONTBREEKT),
        ("signalen[1]", WAARDEN + SIGNALEN),
    ]


def test_casus_fout_carries_the_casus_id_and_serialises_for_a_batch_line() -> None:
    with pytest.raises(CasusFout) as info:
        parse_casus(minimaal(casus_id="VJ-7", vaardigheden="x"))
    fout = info.value
    assert fout.casus_id == "VJ-7"
    assert isinstance(fout, ValueError)
    assert fout.as_dict() == {
        "casus_id": "VJ-7",
        "fouten": [
            {
                "veld": "vaardigheden",
                "melding": "moet een van de volgende waarden zijn: voldoende, beperkt, onvoldoende",
            }
        ],
    }
    assert str(fout) == "vaardigheden: moet een van de volgende waarden zijn: voldoende, beperkt, onvoldoende"


@pytest.mark.parametrize("casus_id", [None, 12, "Jan Jansen", "111222333"])
def test_casus_fout_has_no_casus_id_when_it_is_not_a_safe_pseudonym(casus_id: object) -> None:
    data = minimaal(vaardigheden="x")
    if casus_id is None:
        del data["casus_id"]
    else:
        data["casus_id"] = casus_id
    with pytest.raises(CasusFout) as info:
        parse_casus(data)
    assert info.value.casus_id is None


def test_refused_values_are_never_echoed() -> None:
    data = minimaal(casus_id="Jan Jansen", vaardigheden="Piet Pietersen")
    data["leden"][0]["rollen"] = ["Klaas Klaassen"]
    with pytest.raises(CasusFout) as info:
        parse_casus(data)
    for naam in ("Jan", "Piet", "Klaas"):
        assert naam not in str(info.value)
    with pytest.raises(ValidationError) as raw:  # pydantic's own message hides the input too
        Casus.model_validate(data)
    assert "Piet" not in str(raw.value)


# --- JSON -----------------------------------------------------------------------------------------


def test_parse_casus_json_reads_bytes_and_str() -> None:
    import orjson

    raw = orjson.dumps(VOORBEELD)
    assert parse_casus_json(raw) == parse_casus_json(raw.decode()) == parse_casus(VOORBEELD)


@pytest.mark.parametrize(
    ("raw", "melding"),
    [
        (b"", "ongeldige JSON op regel 1, kolom 1: de invoer is leeg"),
        (b'{"casus_id": "VJ-1",', "ongeldige JSON op regel 1, kolom 21: onverwacht einde van de invoer"),
        (
            b'{\n  "a": 1,\n}',
            "ongeldige JSON op regel 2, kolom 9: komma na het laatste element is niet toegestaan",
        ),
        (
            b'{"a": tru}',
            "ongeldige JSON op regel 1, kolom 7: onleesbare tekst (technisch: invalid literal, expected 'true')",
        ),
    ],
)
def test_invalid_json_names_the_position(raw: bytes, melding: str) -> None:
    with pytest.raises(CasusFout) as info:
        parse_casus_json(raw)
    assert info.value.fouten == [Fout("(casus)", melding)]


def test_json_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(CasusFout) as info:
        parse_casus_json(b"[1, 2]")
    assert info.value.fouten == [Fout("(casus)", NIET_OBJECT + "geen lijst")]


# --- error translation ----------------------------------------------------------------------------


def test_format_path() -> None:
    assert format_path(("leden", 1, "leeftijd")) == "leden[1].leeftijd"
    assert format_path(("signalen", 2)) == "signalen[2]"
    assert format_path(("geweld", "structureel")) == "geweld.structureel"
    assert format_path(()) == "(casus)"


def test_unknown_pydantic_error_types_get_a_dutch_generic_message_with_the_code() -> None:
    exc = ValidationError.from_exception_data("Casus", [{"type": "uuid_type", "loc": ("casus_id",), "input": 1}])
    assert translate_validation_error(exc, Casus) == [Fout("casus_id", "ongeldige waarde (foutcode uuid_type)")]


def test_a_stored_casus_parsed_from_its_text_is_the_casus_that_was_stored() -> None:
    """parse_opgeslagen_casus (pydantic's JSON mode) gives what decoding and validating gives, for the library and
    600 synthetic casussen as the service stores them; a stored text that no longer validates is a CasusFout."""
    import orjson

    from cli.genereer import synthetische_casussen
    from tests.api.helpers import CASUSSEN, load_casus

    for data in [*(load_casus(p) for p in CASUSSEN), *synthetische_casussen(600, 11)]:
        casus = parse_casus(data)
        opgeslagen = orjson.dumps(casus.model_dump(mode="json"))
        assert parse_opgeslagen_casus(opgeslagen) == casus == parse_opgeslagen_casus(opgeslagen.decode())
        assert parse_opgeslagen_casus(opgeslagen).model_dump(mode="json") == casus.model_dump(mode="json")
    with pytest.raises(CasusFout) as fout:
        parse_opgeslagen_casus(b'{"casus_id": "oud-1", "leden": "geen lijst"}')
    assert any(f.veld == "leden" for f in fout.value.fouten)
