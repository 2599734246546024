"""Help text under every field of "Advies aanvragen" (issue 12): api/web/hulpteksten.yaml and the rendered form agree.

The form page is read as the browser gets it (the TestClient, signed in as indicatiesteller) and parsed with the
standard library's HTML parser. Its fields are every named input (not the hidden ones), select and textarea, and
every fieldset with an id (the radio and checkbox groups, the household); a member row's field `leden-2-leeftijd`
is the file's `gezinslid.leeftijd`. Then, in both directions: no field without help, no help for a field the form
does not have; every help is described to assistive technology (aria-describedby, next to any error) and every id
it names exists; every cited source has its seed passage (engine.bronnen); the loader refuses what it must.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web import hulpteksten as h
from rules.bronnen import bron_voluit, passages
from tests.web.conftest import aanmelden, csrf
from tests.web.test_pages import FORMULIER

ROOT = Path(__file__).resolve().parents[2]
LID = re.compile(r"leden-(\d+)-(.+)")
ZIN = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")  # a sentence ends where a capital follows a full stop


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    tekst: str = ""


class Pagina(HTMLParser):
    """Every element with its attributes; the text of the paragraphs (the help and its source)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elementen: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elementen.append(element)
        if tag == "p":
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.tekst += data

    @property
    def ids(self) -> dict[str, Element]:
        return {e.attrs["id"]: e for e in self.elementen if "id" in e.attrs}


def lees(html: str) -> Pagina:
    pagina = Pagina()
    pagina.feed(html)
    pagina.close()
    return pagina


def velden(pagina: Pagina) -> set[str]:
    """The names of the fields a professional fills in: named controls (not hidden) and fieldsets with an id."""
    namen = {e.attrs["name"] for e in pagina.elementen if e.tag in ("input", "select", "textarea")
             and e.attrs.get("name") and e.attrs.get("type") != "hidden"}
    return namen | {e.attrs["id"] for e in pagina.elementen if e.tag == "fieldset" and e.attrs.get("id")}


def sleutel(naam: str) -> tuple[str, str]:
    """A form name as the file's (groep, veld): `leden-2-leeftijd` -> ('gezinslid', 'leeftijd')."""
    lid = LID.fullmatch(naam)
    return ("gezinslid", lid[2]) if lid else ("velden", naam)


def in_bestand(teksten: h.Hulpteksten) -> set[tuple[str, str]]:
    return {("velden", v) for v in teksten.velden} | {("gezinslid", v) for v in teksten.gezinslid}


def verschil(namen: set[str], teksten: h.Hulpteksten) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(fields without help, help without a field)."""
    op_formulier = {sleutel(n) for n in namen}
    bestand = in_bestand(teksten)
    return op_formulier - bestand, bestand - op_formulier


@pytest.fixture
def formulier(client: TestClient) -> str:
    return aanmelden(client, "indicatiesteller").get("/advies/nieuw").text


# --- the form and the file agree -------------------------------------------------------------------------------


def test_every_field_has_help_and_every_help_a_field(formulier: str) -> None:
    namen = velden(lees(formulier))
    assert {"casus_id", "leden", "leden-0-leeftijd", "leden-2-rollen", "geweld-vormen", "signalen"} <= namen
    zonder_hulp, zonder_veld = verschil(namen, h.hulpteksten())
    assert not zonder_hulp, f"velden zonder hulptekst in api/web/hulpteksten.yaml: {sorted(zonder_hulp)}"
    assert not zonder_veld, f"hulpteksten voor velden die het formulier niet heeft: {sorted(zonder_veld)}"


def test_the_comparison_finds_a_field_without_help_and_help_without_a_field(formulier: str) -> None:
    """The check itself: a renamed field is both a field without help and a help without a field."""
    namen = velden(lees(formulier.replace('name="peildatum"', 'name="meetdatum"')))
    assert verschil(namen, h.hulpteksten()) == ({("velden", "meetdatum")}, {("velden", "peildatum")})
    namen = velden(lees(formulier.replace('name="leden-1-verlengde_jeugdhulp"', 'name="leden-1-jeugdzorg"')))
    assert verschil(namen, h.hulpteksten())[0] == {("gezinslid", "jeugdzorg")}


def test_each_field_is_described_by_its_help_under_its_label(formulier: str) -> None:
    pagina = lees(formulier)
    ids = pagina.ids
    namen = velden(pagina)
    rijen = {int(lid[1]) for n in namen if (lid := LID.fullmatch(n))}
    assert rijen == {0, 1, 2}, "every member row has its fields (and so its help)"
    for naam in sorted(namen):
        veld = ids.get(naam)  # the input, select or checkbox itself; for a radio or checkbox group, its fieldset
        assert veld is not None, f"{naam}: no element with id {naam!r} to describe"
        beschreven = veld.attrs.get("aria-describedby", "").split()
        assert f"hulp-{naam}" in beschreven, f"{naam}: aria-describedby {beschreven} lacks its help text"
        for verwijzing in beschreven:
            assert verwijzing in ids, f"{naam}: aria-describedby names {verwijzing!r}, which is not on the page"
        hulp = h.hulp(naam)
        assert hulp is not None
        alinea = ids[f"hulp-{naam}"]
        assert alinea.tag == "p" and " ".join(alinea.tekst.split()) == hulp.tekst, naam
    bronnen = [e for e in pagina.elementen if e.tag == "p" and e.attrs.get("class") == "hulpbron"]
    assert len(bronnen) == len(namen)
    assert all(" ".join(b.tekst.split()).startswith("Bron: ") for b in bronnen)


def test_help_comes_after_the_label_and_before_the_field(formulier: str) -> None:
    """'Under its label': the help paragraph stands between the label (or legend) and the control."""
    for naam in ("casus_id", "leden-0-leeftijd", "leden-1-verblijft_mee", "inzet-verwachte_duur_maanden"):
        label = formulier.index(f'<label for="{naam}"')
        assert label < formulier.index(f'id="hulp-{naam}"') < formulier.index(f'id="{naam}"'), naam
    for naam in ("woonplaats", "geweld-structureel", "veiligheid-niveau", "leden-0-rollen"):
        begin = formulier.index(f'<fieldset id="{naam}"')
        legende = formulier.index("</legend>", begin)
        assert legende < formulier.index(f'id="hulp-{naam}"') < formulier.index('<label class="vink">', legende), naam
    checkbox = formulier.index('id="veiligheid-acuut"')
    assert checkbox < formulier.index("</label>", checkbox) < formulier.index('id="hulp-veiligheid-acuut"')


def test_errors_and_help_share_aria_describedby(client: TestClient) -> None:
    """After a refused submit a field is described by its error and its help, ids separated by a space."""
    aanmelden(client, "indicatiesteller")
    data = {k: v for k, v in FORMULIER.items() if k != "veiligheid-niveau"} | {"leden-1-leeftijd": "oud"}
    response = client.post("/advies/nieuw", data={"csrf": csrf(client.get("/advies/nieuw").text), **data})
    assert response.status_code == 422
    pagina = lees(response.text)
    ids = pagina.ids
    assert ids["leden-1-leeftijd"].attrs["aria-describedby"] == "fout-leden-1-leeftijd hulp-leden-1-leeftijd"
    assert ids["veiligheid-niveau"].attrs["aria-describedby"] == "fout-veiligheid-niveau hulp-veiligheid-niveau"
    assert ids["casus_id"].attrs["aria-describedby"] == "hulp-casus_id hint-casus_id"
    for element in pagina.elementen:
        for verwijzing in element.attrs.get("aria-describedby", "").split():
            assert verwijzing in ids, verwijzing


# --- the texts and their sources --------------------------------------------------------------------------------


def _alle() -> list[tuple[str, h.Hulptekst]]:
    teksten = h.hulpteksten()
    return [*((f"velden.{v}", t) for v, t in teksten.velden.items()),
            *((f"gezinslid.{v}", t) for v, t in teksten.gezinslid.items())]


@pytest.mark.parametrize(("waar", "hulp"), _alle(), ids=[w for w, _ in _alle()])
def test_every_cited_seed_source_exists(waar: str, hulp: h.Hulptekst) -> None:
    if hulp.bron is None:
        assert not hulp.beleidskeuze and hulp.bron_in_woorden == h.ZONDER_BRON
        return
    for deel in passages(hulp.bron):
        assert deel["document"], f"{waar}: {deel['verwijzing']} names no known seed document"
        assert deel["tekst"], f"{waar}: {deel['verwijzing']} has no passage in rules/bronnen.yaml"
    assert hulp.bron_in_woorden == bron_voluit(hulp.bron)
    assert "(" + hulp.bron.split(";")[0].strip() in hulp.bron_in_woorden  # the code for experts, after the title


@pytest.mark.parametrize(("waar", "hulp"), _alle(), ids=[w for w, _ in _alle()])
def test_every_text_is_one_to_three_sentences_without_codes(waar: str, hulp: h.Hulptekst) -> None:
    zinnen = ZIN.split(hulp.tekst)
    assert 1 <= len(zinnen) <= 3, f"{waar}: {len(zinnen)} zinnen"
    assert hulp.tekst[-1] in ".?", waar
    assert "_" not in hulp.tekst and "§" not in hulp.tekst, waar


def test_the_seeds_speak_of_most_fields() -> None:
    """Only what the seeds cannot say (the pseudonyms and the date of the rules) is the service's own toelichting."""
    zonder = sorted(w for w, t in _alle() if t.bron is None)
    assert zonder == ["gezinslid.id", "velden.casus_id", "velden.peildatum"]


def test_the_file_is_package_data() -> None:
    """pyproject.toml ships api/web/hulpteksten.yaml with the api.web package (a wheel without it has no form)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patronen = pyproject["tool"]["setuptools"]["package-data"]["api.web"]
    assert any(fnmatch.fnmatch(h.BESTAND.name, p) for p in patronen), patronen
    assert h.BESTAND.parent == ROOT / "api" / "web"


# --- the loader refuses what it must ---------------------------------------------------------------------------


def _bestand(tmp_path: Path, velden: dict[str, Any]) -> Path:
    import yaml

    pad = tmp_path / "hulpteksten.yaml"
    pad.write_text(yaml.safe_dump({"velden": velden, "gezinslid": {"id": {"tekst": "Een pseudoniem."}}},
                                  allow_unicode=True), encoding="utf-8")
    return pad


def test_a_valid_file_loads(tmp_path: Path) -> None:
    teksten = h.lees(_bestand(tmp_path, {"casus_id": {"tekst": "Een  kenmerk.\n", "bron": "001 §3.1"}}))
    assert teksten.voor("casus_id") == h.Hulptekst("Een kenmerk.", "001 §3.1", False)
    assert teksten.voor("leden-7-id") == h.Hulptekst("Een pseudoniem.")
    assert teksten.voor("leden-7-naam") is None and teksten.voor("bsn") is None


@pytest.mark.parametrize(("veld", "melding"), [
    ({"tekst": "Verzonnen.", "bron": "001 §9.9"}, "'001 §9.9' heeft geen passage"),
    ({"tekst": "Verzonnen.", "bron": "001 §3.1; 005 §1"}, "'005 §1' heeft geen passage"),
    ({"tekst": "Verzonnen.", "bron": ""}, "bron moet een verwijzing zijn"),
    ({"tekst": "Telt bij in_beeld mee."}, "code ('_')"),
    ({"tekst": "Zie 001 §3.1."}, "code ('§')"),
    ({"tekst": "Zie veiligheid.niveau hoog."}, "code ('veiligheid.niveau')"),
    ({"tekst": "  "}, "tekst ontbreekt"),
    ({"tekst": "Een lezing.", "beleidskeuze": True}, "noemt dus een bron"),
    ({"tekst": "Een lezing.", "beleidskeuze": "ja", "bron": "001 §3.1"}, "beleidskeuze is true of false"),
    ({"tekst": "Goed.", "toelichting": "extra"}, "onbekende sleutel toelichting"),
    ("alleen tekst", "verwacht tekst"),
])
def test_the_loader_refuses_a_broken_entry(tmp_path: Path, veld: Any, melding: str) -> None:
    with pytest.raises(h.HulptekstFout, match=re.escape(melding)) as fout:
        h.lees(_bestand(tmp_path, {"casus_id": veld}))
    assert "velden.casus_id" in str(fout.value)


def test_the_loader_refuses_a_file_without_its_groups(tmp_path: Path) -> None:
    pad = tmp_path / "hulpteksten.yaml"
    pad.write_text("velden: {casus_id: {tekst: Goed.}}\n", encoding="utf-8")
    with pytest.raises(h.HulptekstFout, match="velden en gezinslid"):
        h.lees(pad)
    pad.write_text("velden: [\n", encoding="utf-8")
    with pytest.raises(h.HulptekstFout, match="niet te lezen"):
        h.lees(pad)
