"""Screening of values (issue 11): ids and free text carry no BSN, date, postcode, phone number, e-mail, IBAN,
document number, street with a house number or personal name; role words and ordinary Dutch pass.

The refused values are the `privacy-value` and `privacy-text` FAIL lines of
../shared/findings/attacks-2026-12.log; the values that must pass are the issue's own examples.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.persoonsgegevens as pg
from engine.casus import parse_casus
from engine.errors import CasusFout
from engine.persoonsgegevens import SOORTEN, in_id, in_tekst
from engine.scenario import ScenarioFout, scenario_uit
from rules import standaard_engine

IDS_GEWEIGERD = {
    "Jansen": "naam", "mevrouw.Jansen": "naam", "Fatima.Yilmaz": "naam", "Jan.Jansen": "naam",
    "mevrouw-Jansen": "naam", "Mohammed": "naam", "JANSEN-1": "naam", "Yılmaz": "naam",
    "123.456.782": "bsn", "1234.56.782": "bsn", "123-456-782": "bsn", "123456782": "bsn",
    "1985-03-12": "datum", "12-03-1985": "datum", "12.03.1985": "datum",
    "3011AB": "postcode", "3011-AB": "postcode", "3011ab": "postcode",
    "0612345678": "telefoon", "+31612345678": "telefoon", "06-12345678": "telefoon",
    "Coolsingel-40": "adres", "Hoofdweg_12a": "adres",
    "NL91ABNA0417164300": "iban",
    "j.jansen_gmail.com": "email", "jansen.hotmail": "email",
    "AB1234567": "document",
    "Jan\u200bsen": "naam",  # a zero-width space inside a name
    "\uff2a\uff41\uff4e\uff53\uff45\uff4e": "naam",  # full-width letters (NFKC)
}
IDS_TOEGESTAAN = (
    "moeder", "vader", "kind1", "kind_2", "kind.1", "ex-partner", "oma", "opa", "grootouder", "zoon", "dochter",
    "slachtoffer", "pleger", "partner", "baby", "buurman", "stiefvader", "extra-kind",
    "RT-2026-0412", "VJ-2020-1", "EIGEN-37", "SYNTH-2021-0000001", "GROOT-17", "casus-2026-88",
    "toegang-langer-dan-een-jaar", "ruimere-vrije-trede",
)
TEKSTEN_GEWEIGERD = {
    "mevrouw Jansen, BSN 123456782, Coolsingel 40": "bsn",
    "mail j.jansen@example.nl": "email",
    "bel 06-12345678 of +31 6 1234 5678": "telefoon",
    "geboren 12-03-1985, 3011 AB Rotterdam": "datum",
    "woont op 3011 AB, vlak bij het station": "postcode",
    "BSN 123.456.782": "bsn",
    "IBAN NL91ABNA0417164300": "iban",
    "IBAN NL91 ABNA 0417 1643 00 van de moeder": "iban",
    "Gesprek gehad met Fatima Yilmaz.": "naam",
    "De moeder zegt dat Jansen blijft dreigen.": "naam",
    "dhr. de Vries werkt niet mee": "naam",
    "Volgens mevrouw J. Bakker is het veilig.": "naam",
    "geboren op 12 maart 1985": "datum",
    "Woont aan de Coolsingel 40.": "adres",
    "Gesprek met Ja\u200bnsen gehad.": "naam",
}
TEKSTEN_TOEGESTAAN = (
    "Pleger blijft dreigen; zwaarder pakket nodig.",
    "Moeder wil geen opvang, ze is bang dat het escaleert; de roos in de tuin is vernield.",
    "Ik ben het oneens: intieme terreur is niet vastgesteld.",
    "Veilig Thuis heeft een veiligheidsplan; Rotterdam regelt de opvang.",
    "Pakket 3 in plaats van 2 omdat het risico hoog is.",
    "In 2021 en 2022 was er ook geweld.",
    "Zie 001 §3.1: de uren per week zijn 0,75 per volwassene.",
    "Trede 2 is 224 diensturen per week.",
    "Casus RT-2026-0412 besproken in het MDO.",
    "Niet onderzocht",
)


@pytest.mark.parametrize(("waarde", "soort"), IDS_GEWEIGERD.items(), ids=list(IDS_GEWEIGERD))
def test_an_id_with_personal_data_is_refused(waarde: str, soort: str) -> None:
    assert in_id(waarde) == soort


@pytest.mark.parametrize("waarde", IDS_TOEGESTAAN)
def test_role_words_and_case_numbers_pass(waarde: str) -> None:
    assert in_id(waarde) is None


@pytest.mark.parametrize(("tekst", "soort"), TEKSTEN_GEWEIGERD.items(), ids=list(TEKSTEN_GEWEIGERD))
def test_a_text_with_personal_data_is_refused(tekst: str, soort: str) -> None:
    assert in_tekst(tekst) == soort


@pytest.mark.parametrize("tekst", TEKSTEN_TOEGESTAAN)
def test_ordinary_dutch_sentences_pass(tekst: str) -> None:
    assert in_tekst(tekst) is None


def _casus(casus_id: str = "RT-2026-0412", lid_id: str = "moeder") -> dict[str, object]:
    return {"casus_id": casus_id, "leden": [{"id": lid_id, "leeftijd": 36, "rollen": ["slachtoffer"]}],
            "geweld": {"binnen_huiselijke_kring": True, "structureel": True, "vormen": ["fysiek"]},
            "veiligheid": {"niveau": "hoog"}, "vaardigheden": "beperkt"}


@pytest.mark.parametrize(("veld", "casus"), [
    ("casus_id", _casus(casus_id="Fatima.Yilmaz")),
    ("leden[0].id", _casus(lid_id="mevrouw-Jansen")),
    ("casus_id", _casus(casus_id="12-03-1985")),
])
def test_the_casus_error_names_the_field_and_the_kind_never_the_value(veld: str, casus: dict[str, object]) -> None:
    with pytest.raises(CasusFout) as info:
        parse_casus(casus)
    [fout] = info.value.fouten
    assert fout.veld == veld
    assert fout.melding.startswith("lijkt een ") and any(s in fout.melding for s in SOORTEN.values())
    for deel in ("Fatima", "Yilmaz", "Jansen", "1985"):
        assert deel not in fout.melding
    assert info.value.as_dict().get("casus_id") in (None, "RT-2026-0412")  # a refused id is never echoed


def test_a_scenario_text_or_name_with_personal_data_is_refused_by_its_place() -> None:
    with pytest.raises(ScenarioFout) as info:
        scenario_uit({"naam": "mevrouw-Jansen", "beschrijving": "Zoals besproken met dhr. de Vries",
                      "vraag": "Bel 06-12345678 voor vragen", "bron": "001 §3.1"}, standaard_engine())
    velden = {f.veld: f.melding for f in info.value.fouten}
    assert set(velden) == {"naam", "beschrijving", "vraag"}
    assert "persoonsnaam" in velden["naam"] and "telefoonnummer" in velden["vraag"]
    assert "06-12345678" not in str(velden)


def test_case_numbers_are_not_taken_for_a_bsn_however_their_digits_add_up() -> None:
    """'RT-2026-01234' has 9 digits; about 1 in 11 such numbers passes the elfproef. A BSN is written as
    9 digits or grouped 3-3-3 or 4-2-3, so these are case numbers."""
    nummers = [f"RT-2026-{i:05d}" for i in range(20_000)]
    assert [n for n in nummers if in_id(n)] == []
    assert in_tekst("Zie casus RT-2026-01234 en RT-2026-00191.") is None


# --- the fast forms of the id checks find what the plain ones find ---------------------------------------

_PLAIN_STRAAT = re.compile(rf"[A-Za-z]+(?:{pg._STRAAT})[._\-]?[0-9]{{1,4}}[A-Za-z]?(?![0-9])", re.IGNORECASE)
_STUKKEN = st.sampled_from(["straat", "Laan", "kade", "gmail", "hotmail.com", "ZIGGO", "kpnplanet.nl", "com", "nl",
                            "eu", "Jansen", "dan", "1234AB", "12", "7", "Kerkstraat12", "x", "_", "-", ".", "\n"])


_VOORBEELDEN = ["x.eu", "a-org", "jan.hotmail.com", "kpnplanet", "home\n", "ziggo_nl", "de-gmail", "gmail_", "home-\n",
                "mijnkerkstraat12", "Dorpslaan-7b", "Binnenhof.1234", "nergens", "eu-1"]


@pytest.mark.parametrize("voorbeeld", _VOORBEELDEN)
def test_the_fast_checks_on_examples(voorbeeld: str) -> None:
    test_the_street_and_mail_domain_checks_agree_with_their_plain_patterns.hypothesis.inner_test(voorbeeld)
    assert pg._mail_domein(voorbeeld) or pg._ID_STRAAT.search(voorbeeld) or voorbeeld in ("nergens", "eu-1")


@settings(max_examples=2_000)
@given(st.lists(st.one_of(_STUKKEN, st.text(alphabet="abcKLM09._-@", max_size=6)), max_size=6).map("".join))
def test_the_street_and_mail_domain_checks_agree_with_their_plain_patterns(tekst: str) -> None:
    assert (pg._ID_STRAAT.search(tekst) is not None) == (_PLAIN_STRAAT.search(tekst) is not None)
    assert pg._mail_domein(tekst) == (pg._MAILDOMEIN.search(tekst) is not None)
