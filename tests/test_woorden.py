"""Every code in words from one place (engine/taal.py), and sources by document and section (engine/bronnen.py):
what the pages, the PDF and the replay report show instead of codes (issue 12, "Professional Dutch")."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from engine.replay import CONTRACT_VELDEN
from engine.taal import INVOERWAARDEN, LABELS, VELDNAMEN, invoerwaarde, label, veldnaam, waarde_in_woorden
from rapport.html import html
from rapport.tekst import tabel, verdelingswaarde
from rules.bronnen import bron_voluit

_CODE = re.compile(r"[a-z]+_[a-z_]+")


def test_every_field_the_report_and_the_herindicatie_compare_has_a_name() -> None:
    assert set(CONTRACT_VELDEN) <= set(VELDNAMEN), set(CONTRACT_VELDEN) - set(VELDNAMEN)
    assert set(VELDNAMEN) <= set(CONTRACT_VELDEN), "a name for a field that is not compared"


@pytest.mark.parametrize("woorden", [*LABELS.values(), *INVOERWAARDEN.values(), *VELDNAMEN.values()])
def test_no_name_is_a_code(woorden: str) -> None:
    assert not _CODE.search(woorden) and "." not in woorden and woorden == woorden.strip()


def test_field_names() -> None:
    assert veldnaam("vrije_trede") == "vrije trede"
    assert veldnaam("vrije_trede", hoofdletter=True) == "Vrije trede"
    assert veldnaam("budget.totaal_uur_per_week") == "uren per week"
    assert veldnaam("budget.iets_nieuws") == "budget, iets nieuws"  # unknown: its words, never the code


def test_values_in_words() -> None:
    assert label("hg_arrangement") == "HG-arrangement" and label("centrum_dakloosheid") == "Centrum Dakloosheid"
    assert label("iets_onbekends") == "iets onbekends"
    assert invoerwaarde("ggz") == "psychische problemen (ggz)" and invoerwaarde("buiten_scope") == label("buiten_scope")
    assert waarde_in_woorden(True) == "ja" and waarde_in_woorden(False) == "nee"
    assert waarde_in_woorden(None) == "geen" and waarde_in_woorden([]) == "geen"
    assert waarde_in_woorden(2.5) == "2,5" and waarde_in_woorden(3.0) == "3" and waarde_in_woorden(2) == "2"
    assert waarde_in_woorden(["casusregie", "plegerhulp"]) == "casusregie, plegerhulp"
    assert waarde_in_woorden("basishulp_wijkteam") == "basishulp door het wijkteam"
    assert waarde_in_woorden([{"lid": "moeder", "uur_per_week": 1.5}]) == "moeder 1,5"
    assert verdelingswaarde("true") == "ja" and verdelingswaarde("geen") == "geen"
    assert verdelingswaarde("semimuraal") == "semimuraal" and verdelingswaarde("2") == "2"


@pytest.mark.parametrize(("bron", "voluit"), [
    ("001 §3.1", "Bijlage 3. Pakketten HG-arrangementen, 3.1 Extramurale HG-arrangementen (001 §3.1)"),
    ("001 §3.1 noot 2", "Bijlage 3. Pakketten HG-arrangementen, 3.1 Extramurale HG-arrangementen, noot 2 "
                        "(001 §3.1 noot 2)"),
    ("000 Eisen 9", "Bijlage 2 Consultatiedocument richting HG-arrangementen, Eisen HG-arrangement, eis 9 "
                    "(000 Eisen 9)"),
    ("002 tabel 2", "Bijlage 1. Consultatiedocument HG-arrangementen, tabel 2 (002 tabel 2)"),
    ("001 §9.9", "Bijlage 3. Pakketten HG-arrangementen, paragraaf 9.9 (001 §9.9)"),  # no passage: the section
    ("beleidskeuze", "beleidskeuze"),  # not a document: as it is
    ("999 §1", "999 §1"),  # an unknown document number: as it is
])
def test_a_source_by_document_and_section_with_its_code(bron: str, voluit: str) -> None:
    assert bron_voluit(bron) == voluit


def test_several_sources_each_in_full() -> None:
    tekst = bron_voluit("000 Doelen 1-2; 001 §3.1")
    assert tekst.count("(000 Doelen 1)") == tekst.count("(000 Doelen 2)") == tekst.count("(001 §3.1)") == 1
    assert tekst.count("; ") == 2


_RAPPORT = {
    "scenario": "proef", "totaal": 2, "gewijzigd": 1,
    "verdeling": {"route": {"voor": {"hg_arrangement": 2}, "na": {"hg_arrangement": 1, "basishulp_wijkteam": 1}},
                  "vrije_trede": {"voor": {"false": 2}, "na": {"true": 1, "false": 1}}},
    "uren_per_week": {"voor": 6.0, "na": 4.5, "verschil": -1.5},
    "casussen": [{"casus_id": "P-1", "wijzigingen": {"route": ["hg_arrangement", "basishulp_wijkteam"],
                                                     "vrije_trede": [False, True]}, "regels": ["route.x"]}],
}


def test_the_report_shows_labels_and_field_names_not_codes() -> None:
    pagina = html(_RAPPORT)
    zichtbaar = re.sub(r"<[^>]+>", " ", pagina)
    assert "HG-arrangement" in zichtbaar and "basishulp door het wijkteam" in zichtbaar
    assert "Vrije trede" in zichtbaar and "ja" in zichtbaar
    for code in ("hg_arrangement", "basishulp_wijkteam", "vrije_trede", ">true<", ">false<"):
        assert code not in zichtbaar and code not in pagina.replace('"', " "), code


def test_the_terminal_table_shows_labels() -> None:
    console = Console(record=True, width=160)
    tabel(_RAPPORT, console)
    uit = console.export_text()
    assert "HG-arrangement" in uit and "basishulp door het wijkteam" in uit and "hg_arrangement" not in uit


@pytest.mark.parametrize(("soort", "begin"), [
    ("string_too_long", "maak de tekst korter"), ("string_pattern_mismatch", "haal de onzichtbare stuurtekens"),
    ("literal_error", "kies een van de genoemde waarden"), ("iets_anders", "controleer deze waarde"),
])
def test_a_form_error_says_what_to_do(soort: str, begin: str) -> None:
    from api.web.pagina import melding

    assert melding({"type": soort}).startswith(begin)


def test_the_report_shows_scenario_values_as_the_editor_does() -> None:
    pagina = html({**_RAPPORT, "parameters": {"tarieven.overhead_kinderen": 3.5, "uren.extra": [0.75, 1.5, 3]}})
    assert "= <code>3,5</code>" in pagina and "<code>[0,75; 1,5; 3]</code>" in pagina


def test_a_count_has_the_right_plural() -> None:
    from engine.taal import telling

    assert telling(1, "casus", "casussen") == "1 casus"
    assert telling(0, "casus", "casussen") == "0 casussen" and telling(3, "stap", "stappen") == "3 stappen"


def test_no_page_template_writes_a_count_before_a_fixed_plural() -> None:
    """'{{ n }} casussen' reads '1 casussen' for one: counts go through the `telling` filter."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "api" / "web" / "templates"
    meervouden = r"(adviezen|casussen|besluiten|reviews|stappen|kinderen|volwassenen|regels|dagen|weken|maanden)"
    for pad in templates.glob("*.html"):
        for regel in pad.read_text(encoding="utf-8").splitlines():
            assert not re.search(r"\}\}\s+" + meervouden + r"\b", regel), (pad.name, regel.strip()[:120])


@pytest.mark.parametrize(("melding", "sleutel", "opdracht"), [
    ("verplicht veld ontbreekt", "casus_id", "vul dit veld in"),
    ("verplicht veld ontbreekt", "veiligheid-niveau", "maak een keuze"),
    ("verplicht veld ontbreekt", "leden", "vul ten minste één gezinslid in, met een pseudoniem en een leeftijd"),
    ("moet tussen 0 en 120 liggen", "leden-0-leeftijd", "vul een getal van 0 tot en met 120 in"),
    ("moet minstens 1 zijn", "inzet-verwachte_duur_maanden", "vul een getal van ten minste 1 in"),
    ("moet een geheel getal zijn", "leden-0-leeftijd", "vul een heel getal in, zonder komma (bijvoorbeeld 36)"),
    ("moet een van de volgende waarden zijn: laag, midden, hoog", "veiligheid-niveau", "kies een van de mogelijkheden"),
    ("dit lijkt een BSN", "casus_id", "dit lijkt een BSN"),  # anything else as the model says it
])
def test_a_casus_error_on_the_form_says_what_to_do(melding: str, sleutel: str, opdracht: str) -> None:
    from api.web.formulier import als_opdracht

    assert als_opdracht(melding, sleutel) == opdracht
