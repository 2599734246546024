"""Saving scenarios on the pages, opening and downloading a version, and the form for an added rule (regels_bij),
with FastAPI's TestClient on SQLite and PostgreSQL: roles, CSRF, errors at their input, audit lines."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web import regelinvoer
from engine.scenario import lees_scenario
from rules import standaard_engine
from tests.api.helpers import auth, count, rows
from tests.test_taal import DOMEINWOORDEN, Spelling, _code, _onbekend, domeinwoorden
from tests.web.conftest import aanmelden, csrf

OPGESLAGEN = re.compile(r"^/scenarios/opgeslagen/([A-Za-z0-9._-]+)\?versie=(\d+)&opgeslagen=1$")
GGZ_VELDEN = {
    "rb-aantal": "1", "rb1-id": "scenario.ggz_zwaarder",
    "rb1-w-aantal": "2", "rb1-w1-veld": "signalen", "rb1-w1-toets": "bevat",
    "rb1-w1-waarde": "Psychische problemen (ggz)",
    "rb1-w2-veld": "veiligheid.niveau", "rb1-w2-toets": "in", "rb1-w2-waarde": "midden; hoog",
    "rb1-d-aantal": "2", "rb1-d1-soort": "minimum_pakket", "rb1-d1-waarde": "3",
    "rb1-d2-soort": "onderdeel_uit", "rb1-d2-waarde": "systeemgerichte hulp", "rb1-d2-toelichting": "ggz-problematiek",
    "rb1-tekst": "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3.", "rb1-bron": "003 §3.4",
}
GGZ_REGEL = {"id": "scenario.ggz_zwaarder",
             "wanneer": {"signalen": {"bevat": "ggz"}, "veiligheid.niveau": {"in": ["midden", "hoog"]}},
             "dan": {"minimum_pakket": 3, "onderdeel_uit": [{"onderdeel": "systeemgerichte_hulp",
                                                             "reden": "ggz-problematiek"}]},
             "tekst": "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3.", "bron": "003 §3.4"}


def _post(client: TestClient, pad: str, velden: dict[str, Any], van: str | None = None) -> Any:
    token = csrf(client.get(van or pad.split("#")[0]).text)
    return client.post(pad, data={"csrf": token, **velden}, follow_redirects=False)


def _sla_op(client: TestClient, velden: dict[str, Any], pad: str = "/scenarios/nieuw") -> tuple[str, int]:
    response = _post(client, pad, {**velden, "knop": "opslaan"})
    assert response.status_code == 303, _samenvatting(response.text)
    gevonden = OPGESLAGEN.match(response.headers["location"])
    assert gevonden, response.headers["location"]
    return gevonden.group(1), int(gevonden.group(2))


def _samenvatting(pagina: str) -> list[tuple[str, str]]:
    """The error summary: (field id, text) per link."""
    return [(veld, html.unescape(tekst)) for veld, tekst in
            re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', pagina)]


def _meldingen(pagina: str, veld: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(
        rf'<p class="fout" id="fout-{re.escape(veld)}(?:-\d+)?"><span class="verborgen">Fout: </span>([^<]+)</p>',
        pagina)]


def _waarde(pagina: str, veld_id: str) -> str:
    invoer = re.search(rf'<input[^>]*\bid="{re.escape(veld_id)}"[^>]*>', pagina)
    assert invoer, f"no input {veld_id}"
    gevonden = re.search(r'\bvalue="([^"]*)"', invoer.group(0))
    return html.unescape(gevonden.group(1)) if gevonden else ""


def _gekozen(pagina: str, veld_id: str) -> str:
    keuze = re.search(rf'<select id="{re.escape(veld_id)}".*?</select>', pagina, re.S)
    assert keuze, f"no select {veld_id}"
    gevonden = re.search(r'<option value="([^"]*)" selected>', keuze.group(0))
    return gevonden.group(1) if gevonden else ""


# --- saving, versions, opening, downloading --------------------------------------------------------------------


def test_save_from_the_editor_makes_versions_that_open_and_download(client: TestClient, tmp_path: Path) -> None:
    aanmelden(client, "beleidsmaker")
    editor = client.get("/scenarios/nieuw").text
    assert "ontwikkelaar" not in editor and "Scenario opslaan" in editor and 'value="opslaan"' in editor

    naam, versie = _sla_op(client, {"naam": "langer-traject", "beschrijving": "Langer traject",
                                    "par-duur-richtlijn_maanden": "18"})
    assert (naam, versie) == ("langer-traject", 1)
    pagina = client.get("/scenarios/opgeslagen/langer-traject?versie=1&opgeslagen=1").text
    assert "Het scenario is opgeslagen als versie 1." in pagina
    assert "Scenario langer-traject, versie 1" in pagina and _waarde(pagina, "par-duur-richtlijn_maanden") == "18"
    assert 'action="/scenarios/opgeslagen/langer-traject?versie=1"' in pagina

    # saved again from its own page, with another value: version 2; version 1 is kept
    assert _sla_op(client, {"naam": "langer-traject", "par-duur-richtlijn_maanden": "24"},
                   "/scenarios/opgeslagen/langer-traject?versie=1") == ("langer-traject", 2)
    nieuwste = client.get("/scenarios/opgeslagen/langer-traject").text
    assert "U bekijkt versie 2 van 2." in nieuwste and _waarde(nieuwste, "par-duur-richtlijn_maanden") == "24"
    assert 'href="/scenarios/opgeslagen/langer-traject?versie=1">Versie 1 openen</a>' in nieuwste
    assert "Het scenario is opgeslagen" not in nieuwste
    oud = client.get("/scenarios/opgeslagen/langer-traject?versie=1").text
    assert _waarde(oud, "par-duur-richtlijn_maanden") == "18" and "U bekijkt versie 1 van 2." in oud
    assert _waarde(oud, "beschrijving") == "Langer traject"

    bestand = client.get("/scenarios/opgeslagen/langer-traject/v1.yaml")
    assert bestand.status_code == 200
    assert bestand.headers["content-disposition"] == 'attachment; filename="langer-traject-v1.yaml"'
    assert yaml.safe_load(bestand.text) == {"naam": "langer-traject", "beschrijving": "Langer traject",
                                            "parameters": {"duur.richtlijn_maanden": 18}, "regels_uit": []}
    (tmp_path / "s.yaml").write_text(bestand.text, encoding="utf-8")
    assert lees_scenario(tmp_path / "s.yaml", standaard_engine()).parameters == {"duur.richtlijn_maanden": 18}
    assert 'href="/scenarios/opgeslagen/langer-traject/v2.yaml" download' in nieuwste

    lijst = client.get("/scenarios").text
    assert "Opgeslagen scenario's" in lijst and "Voorbeeldscenario's van het project" in lijst
    assert 'href="/scenarios/opgeslagen/langer-traject"' in lijst and "de nieuwste van 2 versies" in lijst
    # the API sees the same versions
    api = client.get("/v1/scenarios/langer-traject", headers=auth("beleidsmaker")).json()
    assert api["versie"] == 2 and [v["versie"] for v in api["versies"]] == [2, 1]


def test_a_shipped_example_saved_becomes_a_version_of_its_own_and_the_file_stays(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    voorbeeld = Path(__file__).resolve().parents[2] / "scenarios" / "ruimere-vrije-trede.yaml"
    voor = voorbeeld.read_text(encoding="utf-8")
    pagina = client.get("/scenarios/ruimere-vrije-trede").text
    assert "voorbeeldscenario van het project" in pagina
    velden = {"naam": "ruimere-vrije-trede", "par-vrije_trede-meer_dan_kinderen": "2",
              "par-pakket_matrix-midden-voldoende": "2"}
    assert _sla_op(client, velden, "/scenarios/ruimere-vrije-trede") == ("ruimere-vrije-trede", 1)
    assert voorbeeld.read_text(encoding="utf-8") == voor


def test_an_invalid_scenario_is_not_saved_and_the_error_is_at_its_field(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    response = _post(client, "/scenarios/nieuw", {"naam": "met spatie", "par-duur-richtlijn_maanden": "0",
                                                  "knop": "opslaan"})
    assert response.status_code == 422
    velden = [veld for veld, _ in _samenvatting(response.text)]
    assert "naam" in velden and "par-duur-richtlijn_maanden" in velden
    assert any("ongeldige naam" in m.lower() for m in _meldingen(response.text, "naam"))
    assert count(app, "scenario") == 0


def test_saving_needs_the_csrf_token_and_the_role(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    zonder = client.post("/scenarios/nieuw", data={"naam": "x", "knop": "opslaan"}, follow_redirects=False)
    assert zonder.status_code == 403 and "Verzoek geweigerd" in zonder.text
    _sla_op(client, {"naam": "x"})
    aanmelden(client, "hg_deskundige")
    for pad in ("/scenarios/opgeslagen/x", "/scenarios/opgeslagen/x/v1.yaml"):
        geweigerd = client.get(pad)
        assert geweigerd.status_code == 403 and "Geen toegang" in geweigerd.text
    geweigerd = client.post("/scenarios/opgeslagen/x", data={"csrf": csrf(client.get("/").text), "naam": "x",
                                                            "knop": "opslaan"}, follow_redirects=False)
    assert geweigerd.status_code == 403
    assert count(app, "scenario") == 1
    client.cookies.clear()
    assert client.get("/scenarios/opgeslagen/x", follow_redirects=False).status_code in (302, 303)


def test_unknown_names_and_versions_are_dutch_404_pages(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    onbekend = client.get("/scenarios/opgeslagen/bestaat-niet")
    assert onbekend.status_code == 404 and "Er is geen opgeslagen scenario met de naam" in html.unescape(onbekend.text)
    _sla_op(client, {"naam": "x"})
    geen_versie = client.get("/scenarios/opgeslagen/x/v3.yaml")
    assert geen_versie.status_code == 404 and "heeft alleen versie 1" in html.unescape(geen_versie.text)
    assert client.get("/scenarios/opgeslagen/x?versie=3").status_code == 404


def test_the_pages_write_their_reads_to_the_audit_log(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    vanaf = max((r["id"] for r in rows(app, "audit")), default=0)
    _sla_op(client, {"naam": "x"})
    client.get("/scenarios/opgeslagen/x")
    client.get("/scenarios/opgeslagen/x/v1.yaml")
    client.get("/scenarios")
    acties = [(r["actie"], r["object_id"]) for r in rows(app, "audit") if r["id"] > vanaf
              and r["actie"].startswith("scenario")]
    assert acties == [("scenario_opgeslagen", "x/v1"), ("scenario_gelezen", "x/v1"), ("scenario_gelezen", "x/v1"),
                      ("scenarios_gelezen", None)]


# --- the form for an added rule ----------------------------------------------------------------------------------


def test_rows_are_added_and_rules_removed_without_losing_what_was_typed(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    leeg = client.get("/scenarios/nieuw").text
    assert 'id="rb1"' not in leeg and 'value="regel-bij"' in leeg
    een = _post(client, "/scenarios/nieuw", {"naam": "proef", "rb-aantal": "0", "knop": "regel-bij"})
    assert een.status_code == 200 and 'id="rb1-id"' in een.text and _waarde(een.text, "rb1-id") == "scenario."
    assert _waarde(een.text, "naam") == "proef" and not _samenvatting(een.text)

    velden = {"naam": "proef", **GGZ_VELDEN}
    meer = _post(client, "/scenarios/nieuw", {**velden, "knop": "rb1-voorwaarde-bij"})
    assert meer.status_code == 200
    assert _waarde(meer.text, "rb1-w1-waarde") == "Psychische problemen (ggz)" and _gekozen(meer.text, "rb1-w1-veld") \
        == "signalen"
    assert _waarde(meer.text, "rb1-w3-waarde") == "" and 'name="rb1-w-aantal" value="3"' in meer.text
    # the value hint follows the chosen field
    assert "Een van: laag; midden; hoog." in meer.text
    gevolg = _post(client, "/scenarios/nieuw", {**velden, "knop": "rb1-gevolg-bij"})
    assert 'name="rb1-d-aantal" value="3"' in gevolg.text and _waarde(gevolg.text, "rb1-d2-toelichting") == \
        "ggz-problematiek"
    weg = _post(client, "/scenarios/nieuw", {**velden, "knop": "rb1-weg"})
    assert 'id="rb1"' not in weg.text and 'name="rb-aantal" value="0"' in weg.text
    assert count(app, "scenario") == 0 and count(app, "replay_job") == 0  # editing buttons store and run nothing


def test_the_form_writes_the_contracts_regels_bij_and_reads_it_back_in_words(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    _sla_op(client, {"naam": "ggz-zwaarder", **GGZ_VELDEN})
    opgeslagen = client.get("/v1/scenarios/ggz-zwaarder", headers=auth("beleidsmaker")).json()["scenario"]
    assert opgeslagen["regels_bij"] == [GGZ_REGEL]

    pagina = client.get("/scenarios/opgeslagen/ggz-zwaarder").text
    assert _waarde(pagina, "rb1-id") == "scenario.ggz_zwaarder"
    assert _gekozen(pagina, "rb1-w1-veld") == "signalen" and _gekozen(pagina, "rb1-w1-toets") == "bevat"
    assert _waarde(pagina, "rb1-w1-waarde") == "psychische problemen (ggz)"
    assert _gekozen(pagina, "rb1-w2-toets") == "in" and _waarde(pagina, "rb1-w2-waarde") == "midden; hoog"
    assert _gekozen(pagina, "rb1-d1-soort") == "minimum_pakket" and _waarde(pagina, "rb1-d1-waarde") == "3"
    assert _waarde(pagina, "rb1-d2-waarde") == "systeemgerichte hulp"
    assert _waarde(pagina, "rb1-d2-toelichting") == "ggz-problematiek"
    assert '<details class="regels" id="regels_bij" open>' in pagina
    # saved again unchanged from its page: the same rule, as version 2
    velden = {"naam": "ggz-zwaarder", **GGZ_VELDEN}
    assert _sla_op(client, velden, "/scenarios/opgeslagen/ggz-zwaarder?versie=1")[1] == 2
    tweede = client.get("/v1/scenarios/ggz-zwaarder", headers=auth("beleidsmaker")).json()["scenario"]
    assert tweede["regels_bij"] == [GGZ_REGEL]


def test_a_scenario_with_an_added_rule_is_replayed(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    response = _post(client, "/scenarios/nieuw", {"naam": "ggz-zwaarder", **GGZ_VELDEN})
    assert response.status_code == 303 and response.headers["location"].startswith("/replay/")


@pytest.mark.parametrize(("wijziging", "veld", "woord"), [
    ({"rb1-w1-waarde": "gzg"}, "rb1-w1-waarde", "onbekende waarde 'gzg'; kies uit: schulden"),
    ({"rb1-w1-veld": ""}, "rb1-w1-veld", "Kies het casusveld"),
    ({"rb1-w1-toets": "min"}, "rb1-w1-waarde", "past niet bij dit veld"),  # the engine's check, at the value
    ({"rb1-w2-veld": "aantal_kinderen", "rb1-w2-toets": "min", "rb1-w2-waarde": "40"}, "rb1-w2-waarde",
     "buiten 0 tot en met 30"),
    ({"rb1-w2-toets": "gelijk"}, "rb1-w2-waarde", "één waarde"),
    ({"rb1-id": "ggz"}, "rb1-id", "scenario."),
    ({"rb1-tekst": ""}, "rb1-tekst", "Verplicht"),
    ({"rb1-bron": "Mevrouw Jansen zei het"}, "rb1-bron", "persoonsgegevens"),
    ({"rb1-d1-waarde": "4"}, "rb1-d1-waarde", "1, 2 of 3"),
    ({"rb1-d1-waarde": "drie"}, "rb1-d1-waarde", "geheel getal"),
    ({"rb1-d2-toelichting": ""}, "rb1-d2-toelichting", "reden"),
    ({"rb1-d2-waarde": "hulp"}, "rb1-d2-waarde", "onbekende waarde"),
    ({"rb1-d2-soort": "minimum_pakket", "rb1-d2-waarde": "2"}, "rb1-d2-soort", "staat al in deze regel"),
    ({"rb1-w1-veld": "", "rb1-w1-waarde": "", "rb1-w2-veld": "", "rb1-w2-waarde": ""}, "rb1-w1-veld",
     "minstens één voorwaarde"),
])
def test_an_error_in_an_added_rule_is_shown_at_its_input_in_dutch(
        client: TestClient, app: FastAPI, wijziging: dict[str, str], veld: str, woord: str) -> None:
    aanmelden(client, "beleidsmaker")
    response = _post(client, "/scenarios/nieuw", {"naam": "proef", **GGZ_VELDEN, **wijziging, "knop": "opslaan"})
    assert response.status_code == 422
    meldingen = _meldingen(response.text, veld)
    assert any(woord.lower() in m.lower() for m in meldingen), (meldingen, _samenvatting(response.text))
    assert veld in [v for v, _ in _samenvatting(response.text)]
    assert re.search(rf'id="{re.escape(veld)}"[^>]*aria-invalid="true"', response.text)
    assert '<details class="regels" id="regels_bij" open>' in response.text
    assert count(app, "scenario") == 0


def test_every_casus_field_of_the_engine_has_dutch_words() -> None:
    from engine.regels_bij import PADEN

    assert list(regelinvoer.CASUSVELDEN) == list(PADEN)
    for veld in regelinvoer.CASUSVELDEN.values():
        assert veld.naam and not _code(veld.naam), veld
        for waarde in veld.waarden:
            assert regelinvoer.woorden(waarde) and not _code(regelinvoer.woorden(waarde)), waarde


def test_the_rule_form_is_dutch_that_hunspell_accepts(client: TestClient) -> None:
    if shutil.which("hunspell") is None:
        pytest.skip("spelling test: hunspell is missing (apt-get install hunspell hunspell-nl)")
    aanmelden(client, "beleidsmaker")
    pagina = _post(client, "/scenarios/nieuw", {"naam": "proef", **GGZ_VELDEN, "rb1-d-aantal": "6",
                   **{f"rb1-d{j}-soort": s for j, s in enumerate(regelinvoer.GEVOLGEN, start=1)},
                   "rb1-w1-waarde": "gzg", "knop": "opslaan"}).text
    begin = pagina.index('<details class="regels" id="regels_bij"')
    deel = pagina[begin:pagina.index("</form>", begin)]
    zonder_invoer = re.sub(r"<(input|textarea|datalist)[^>]*>.*?(</textarea>|</datalist>)?", " ", deel, flags=re.S)
    tekst = html.unescape(re.sub(r"<[^>]+>", " ", zonder_invoer))
    zinnen = [z for z in (" ".join(r.split()) for r in tekst.splitlines()) if z]
    zinnen = [re.sub(r"scenario\.\S*|'gzg'", " ", z) for z in zinnen]  # an id and the typed mistake are no words
    assert len(zinnen) > 40 and any("Toegevoegde regel 1" in z for z in zinnen)
    onbekend = _onbekend(Spelling(domeinwoorden()), zinnen)
    fout = {w for z in zinnen for w in onbekend(z)}
    assert not fout, f"words hunspell (nl_NL) does not know: {sorted(fout)} (domain words: {DOMEINWOORDEN.name})"
