"""Privacy screening: direct identifiers as keys at any depth, and BSN-like ids, are refused."""

from __future__ import annotations

import copy
from typing import Any, get_args

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from engine.casus import Casus, parse_casus
from engine.errors import CasusFout, Fout
from engine.identifiers import (
    DIRECT_IDENTIFIERS,
    is_direct_identifier,
    is_possible_bsn,
    normalise_key,
    screen_identifiers,
)

try:  # tests/ is a plain directory that pytest puts on sys.path ...
    from strategies import casussen
except ModuleNotFoundError:  # ... or a package, when someone adds tests/__init__.py
    from tests.strategies import casussen

MINIMAAL: dict[str, Any] = {
    "casus_id": "VJ-1",
    "leden": [{"id": "moeder", "leeftijd": 36}, {"id": "zoon", "leeftijd": 6}],
    "geweld": {"binnen_huiselijke_kring": True, "structureel": True},
    "veiligheid": {"niveau": "hoog"},
    "vaardigheden": "beperkt",
}

MOGELIJK_BSN = "mogelijk een BSN (9 cijfers die voldoen aan de elfproef); gebruik een pseudoniem"


def identificatie(key: str) -> str:
    return f"directe identificatie ('{key}') is niet toegestaan; de casus moet geanonimiseerd zijn"


def fouten(data: object) -> list[tuple[str, str]]:
    with pytest.raises(CasusFout) as info:
        parse_casus(data)
    return [(f.veld, f.melding) for f in info.value.fouten]


def casus(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAAL)
    data.update(changes)
    return data


# --- direct identifiers as keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "naam", "voornaam", "achternaam", "roepnaam", "bsn", "burgerservicenummer", "adres", "straat",
        "straatnaam", "huisnummer", "postcode", "woonadres", "geboortedatum", "geboortedag", "geb_datum",
        "telefoon", "telefoonnummer", "mobiel", "email", "e-mail", "emailadres", "iban", "rekeningnummer",
        "paspoort", "documentnummer", "kenteken", "ip",
    ],
)  # fmt: skip
def test_every_listed_word_is_a_direct_identifier(key: str) -> None:
    assert is_direct_identifier(key)
    assert normalise_key(key) in DIRECT_IDENTIFIERS


@pytest.mark.parametrize(
    "key",
    ["Geboorte_Datum", "GEBOORTEDATUM", "geboorte-datum", "geboorte datum", "Geb-Datum", "E-Mail", "e_mail",
     "Telefoon Nummer", "BSN", "Bsn", "Post_Code", "IBAN", "I-P", "achter naam"],
)  # fmt: skip
def test_spelling_case_underscores_dashes_and_spaces_do_not_matter(key: str) -> None:
    assert is_direct_identifier(key)


def _contract_keys(model: type[BaseModel]) -> set[str]:
    keys = set(model.model_fields)
    for info in model.model_fields.values():
        for arg in (info.annotation, *get_args(info.annotation)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                keys |= _contract_keys(arg)
    return keys


def test_no_field_of_the_contract_is_an_identifier() -> None:
    # parse_casus screens only refused documents; this is what makes that safe.
    keys = _contract_keys(Casus)
    assert {"casus_id", "id", "woonplaats", "leeftijd", "nabijheid_24u_nodig", "specialistisch"} <= keys
    assert [key for key in keys if is_direct_identifier(key)] == []


@given(casussen())
def test_a_valid_casus_never_has_anything_to_screen(data: dict[str, Any]) -> None:
    assert screen_identifiers(data) == []


@pytest.mark.parametrize("key", ["naamloos", "adressen_bekend", "ipsum", "mail_verstuurd", "tip"])
def test_only_whole_keys_match_not_parts_of_words(key: str) -> None:
    assert not is_direct_identifier(key)


def test_identifier_at_the_top_level() -> None:
    assert fouten(casus(naam="x")) == [("naam", identificatie("naam"))]


def test_identifier_in_a_member() -> None:
    data = casus()
    data["leden"][1]["Geboorte_Datum"] = "2015-01-01"
    assert fouten(data) == [("leden[1].Geboorte_Datum", identificatie("Geboorte_Datum"))]


def test_identifier_in_a_nested_object() -> None:
    data = casus()
    data["geweld"]["Adres"] = "x"
    assert fouten(data) == [("geweld.Adres", identificatie("Adres"))]


def test_identifier_deep_inside_an_unknown_field_is_named_too() -> None:
    data = casus(extra={"gegevens": [{"a": 1}, {"BSN": "x"}, [[{"e-mail": "y"}]]]})
    assert screen_identifiers(data) == [
        Fout("extra.gegevens[1].BSN", identificatie("BSN")),
        Fout("extra.gegevens[2][0][0].e-mail", identificatie("e-mail")),
    ]
    # The unknown field itself is refused as well; identifiers below it are not repeated.
    assert fouten(data) == [
        ("extra.gegevens[1].BSN", identificatie("BSN")),
        ("extra.gegevens[2][0][0].e-mail", identificatie("e-mail")),
        ("extra", "onbekend veld; niet toegestaan (controleer de spelling)"),
    ]


def test_identifiers_everywhere_are_all_reported_in_document_order() -> None:
    data = casus(bsn="1", postcode="3011AA")
    data["leden"][0]["naam"] = "x"
    data["leden"][0]["telefoon"] = "x"
    data["leden"][1]["roepnaam"] = "x"
    assert fouten(data) == [
        ("leden[0].naam", identificatie("naam")),
        ("leden[0].telefoon", identificatie("telefoon")),
        ("leden[1].roepnaam", identificatie("roepnaam")),
        ("bsn", identificatie("bsn")),
        ("postcode", identificatie("postcode")),
    ]


def test_the_value_under_an_identifier_is_not_searched_or_echoed() -> None:
    data = casus(naam={"voornaam": "Jan", "achternaam": "Jansen"})
    assert fouten(data) == [("naam", identificatie("naam"))]
    with pytest.raises(CasusFout) as info:
        parse_casus(data)
    assert "Jan" not in str(info.value)


def test_identifier_errors_come_with_the_other_errors() -> None:
    data = casus(naam="x", vaardigheden="goed")
    assert fouten(data) == [
        ("naam", identificatie("naam")),
        ("vaardigheden", "moet een van de volgende waarden zijn: voldoende, beperkt, onvoldoende"),
    ]


def test_yaml_document_with_an_identifier() -> None:
    data = yaml.safe_load(
        """
        casus_id: VJ-1
        leden:
          - {id: moeder, leeftijd: 36, Voornaam: A}
        geweld: {binnen_huiselijke_kring: true, structureel: true}
        veiligheid: {niveau: hoog}
        vaardigheden: beperkt
        """
    )
    assert fouten(data) == [("leden[0].Voornaam", identificatie("Voornaam"))]


def test_a_cycle_made_with_yaml_aliases_ends() -> None:
    data = yaml.safe_load("&a {casus_id: VJ-1, zelf: *a, adres: x}")
    assert data["zelf"] is data
    assert screen_identifiers(data) == [Fout("adres", identificatie("adres"))]


def test_a_valid_casus_passes_the_screening() -> None:
    assert screen_identifiers(MINIMAAL) == []
    assert screen_identifiers([1, "naam", {"id": 3}]) == []


# --- BSN elfproef ---------------------------------------------------------------------------------

# 111222333: 9*1 + 8*1 + 7*1 + 6*2 + 5*2 + 4*2 + 3*3 + 2*3 - 1*3 = 66 = 6 * 11
# 123456782: 9*1 + 8*2 + 7*3 + 6*4 + 5*5 + 4*6 + 3*7 + 2*8 - 1*2 = 154 = 14 * 11
# 123456789: the same first eight, - 1*9 = 147 = 13 * 11 + 4
BSNS = ["111222333", "123456782", "999999990", "000000000"]
GEEN_BSNS = [
    "123456789",
    "111222334",
    "12345678",
    "1234567820",
    "12345678a",
    "１２３４５６７８２",
    " 11122233",
]


@pytest.mark.parametrize("value", BSNS)
def test_elfproef_positive(value: str) -> None:
    assert is_possible_bsn(value)


@pytest.mark.parametrize("value", GEEN_BSNS)
def test_elfproef_negative(value: str) -> None:
    assert not is_possible_bsn(value)


@given(st.text("0123456789", min_size=8, max_size=8))
def test_at_most_one_check_digit_completes_eight_digits(prefix: str) -> None:
    som = sum(w * int(c) for w, c in zip(range(9, 1, -1), prefix, strict=True))
    passing = [d for d in "0123456789" if is_possible_bsn(prefix + d)]
    assert passing == ([str(som % 11)] if som % 11 < 10 else [])


def test_bsn_as_casus_id_is_refused_and_not_echoed() -> None:
    with pytest.raises(CasusFout) as info:
        parse_casus(casus(casus_id="123456782"))
    assert info.value.fouten == [Fout("casus_id", MOGELIJK_BSN)]
    assert info.value.casus_id is None
    assert "123456782" not in str(info.value)


def test_bsn_as_member_id_is_refused() -> None:
    data = casus()
    data["leden"][1]["id"] = "111222333"
    assert fouten(data) == [("leden[1].id", MOGELIJK_BSN)]


def test_nine_digits_failing_the_elfproef_are_an_ordinary_id() -> None:
    data = casus(casus_id="123456789")
    data["leden"][0]["id"] = "111222334"
    parsed = parse_casus(data)
    assert (parsed.casus_id, parsed.leden[0].id) == ("123456789", "111222334")


def test_nine_digits_elsewhere_are_left_to_the_model() -> None:
    # Only ids are checked for a BSN; any other field holding one is an unknown field or a wrong value.
    assert screen_identifiers({"x": "123456782", "leden": [{"nummer": "123456782"}]}) == []
