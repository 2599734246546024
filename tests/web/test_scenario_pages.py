"""The beleidsmaker's pages with FastAPI's TestClient: scenarios, the parameter form, a replay job and its
report, deviation statistics; roles, CSRF and who may see a job. On SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import key_id
from api.models import ReplayJobRecord
from api.web.getallen import GeenGetal, lees_getal, toon_getal
from api.web.parameterinvoer import WaardeFout, lees_waarde, parameter_melding
from api.web.parameterinvoer import tekst as zoals_getypt
from api.web.scenarios import ParameterRij, regelset
from rapport.tekst import getal
from rules import standaard_engine
from rules.bronnen import bron_voluit
from tests.api.helpers import CASUSSEN, KEYS, auth, besluit_zoals, load_casus, post_advies, rows
from tests.web.conftest import aanmelden, csrf

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_BESTANDEN = sorted((ROOT / "scenarios").glob("*.yaml"))
JOB_URL = re.compile(r"^/replay/([0-9a-f]{32})$")


def _parameters() -> list[tuple[str, Any, Any]]:
    """(path, value in force, parameter node) of every leaf of the newest ruleset version."""
    engine = standaard_engine()
    versie = engine.tree.versions[-1]
    basis = engine.tree.resolve(versie)
    return [(pad, waarde, basis.node_for(pad)[0]) for pad, waarde in basis.leaves()]


def _lees(invoer: str, rij: ParameterRij) -> Any:
    """The value typed for the form's row `rij`, as the form reads it."""
    return lees_waarde(invoer, rij.soort, rij.voorbeeld)


def _veld(pad: str) -> str:
    return "par-" + pad.replace(".", "-")


def _rij(pagina: str, veld_id: str) -> str:
    """The table row (HTML) that holds the input `veld_id`."""
    for rij in pagina.split("<tr")[1:]:
        if f'id="{veld_id}"' in rij:
            return rij.split("</tr>")[0]
    raise AssertionError(f"no row with {veld_id}")


def _invoer(pagina: str, veld_id: str) -> str:
    found = re.search(rf'<input[^>]*\bid="{re.escape(veld_id)}"[^>]*>', pagina)
    assert found, f"no input {veld_id}"
    return found.group(0)


def _waarde(invoer: str) -> str:
    found = re.search(r'\bvalue="([^"]*)"', invoer)
    return html.unescape(found.group(1)) if found else ""


def _verstuur(client: TestClient, pad: str, velden: dict[str, Any]) -> Any:
    token = csrf(client.get(pad).text)
    return client.post(pad, data={"csrf": token, **velden}, follow_redirects=False)


def _wacht_op_rapport(client: TestClient, url: str, uiterlijk: float = 60) -> str:
    """The job page once the replay has finished (it runs in a separate process)."""
    einde = time.monotonic() + uiterlijk
    while True:
        pagina = client.get(url)
        assert pagina.status_code == 200, pagina.text
        if "kop-kerncijfers" in pagina.text or "De replay is mislukt" in pagina.text or time.monotonic() > einde:
            return pagina.text
        time.sleep(0.25)


def _job(app: FastAPI, principal: str, **velden: Any) -> str:
    """A job row as the replay process leaves it, owned by `principal`."""
    job = ReplayJobRecord(key_id=key_id(KEYS[principal]), scenario="handmatig", totaal=400, **velden)
    with app.state.db.begin() as conn:
        conn.execute(ReplayJobRecord.__table__.insert().values(  # type: ignore[attr-defined]
            id=job.id, key_id=job.key_id, scenario=job.scenario, status=job.status, totaal=job.totaal,
            gedaan=job.gedaan, aangemaakt=job.aangemaakt, bijgewerkt=job.bijgewerkt, rapport=job.rapport,
            fout=job.fout))
    return job.id


# --- the list and the form -----------------------------------------------------------------------------


def test_the_list_shows_every_scenario_and_the_recent_replays(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    pagina = client.get("/scenarios")
    assert pagina.status_code == 200
    tekst = pagina.text
    assert '<a href="/scenarios">Scenario\'s</a>' in tekst and '<a href="/afwijkingen">Afwijkingen</a>' in tekst
    assert 'href="/scenarios/nieuw"' in tekst and "Nieuw scenario" in tekst
    assert len(SCENARIO_BESTANDEN) == 9  # the shipped examples, ggz-zwaarder.yaml with an added rule among them
    for bestand in SCENARIO_BESTANDEN:
        data = yaml.safe_load(bestand.read_text(encoding="utf-8"))
        assert f'href="/scenarios/{bestand.stem}"' in tekst
        for sleutel in ("beschrijving", "vraag"):
            assert data[sleutel].strip() in html.unescape(tekst), (bestand.stem, sleutel)
        assert bron_voluit(data["bron"].strip()) in html.unescape(tekst), bestand.stem  # by document and section
    assert "Nog geen replays" in tekst

    eigen = _job(app, "beleidsmaker", status="bezig", gedaan=250)
    ander = _job(app, "beheerder", status="klaar", gedaan=400)
    tekst = client.get("/scenarios").text
    assert f'href="/replay/{eigen}"' in tekst and "250 van 400" in tekst and "bezig" in tekst
    assert ander not in tekst  # another user's replay is not listed

    aanmelden(client, "beheerder")  # the beheerder sees everybody's
    tekst = client.get("/scenarios").text
    assert eigen in tekst and ander in tekst


def test_the_form_shows_every_parameter_with_its_value_source_and_date(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    pagina = client.get("/scenarios/ruimere-vrije-trede")
    assert pagina.status_code == 200
    tekst = pagina.text
    parameters = _parameters()
    assert len(parameters) > 30
    for pad, waarde, node in parameters:
        rij = _rij(tekst, _veld(pad))
        assert f'<label for="{_veld(pad)}"><code>{pad}</code></label>' in rij
        assert f"<code>{zoals_getypt(waarde)}</code>" in html.unescape(rij), pad  # the value in force, as typed
        assert bron_voluit(node.bron) in html.unescape(rij), pad  # its source, by document and section
        sinds = node.in_force(standaard_engine().tree.versions[-1])[0]
        assert sinds.strftime("%d-%m-%Y") in rij and f'datetime="{sinds.isoformat()}"' in rij, pad
        assert f'aria-describedby="huidig-{_veld(pad)} ' in _invoer(tekst, _veld(pad))
    # The scenario's own values are filled in; every other field is empty (unchanged).
    gevuld = {pad: _waarde(_invoer(tekst, _veld(pad))) for pad, _, _ in parameters}
    assert {pad: w for pad, w in gevuld.items() if w} == {"vrije_trede.meer_dan_kinderen": "2",
                                                         "pakket_matrix.midden.voldoende": "2"}
    assert 'value="ruimere-vrije-trede"' in tekst and "Vrije trede al vanaf 3 kinderen" in tekst
    # Every rule that can be switched off has a checkbox; the one that cannot has none.
    for regel in standaard_engine().source.rules:
        vinkje = f'name="regels_uit" value="{regel.id}"'
        assert (vinkje in tekst) == regel.uitschakelbaar, regel.id
    assert "scenarios/ruimere-vrije-trede.yaml" in tekst and "Scenario opslaan" in tekst  # how it is adopted


def test_a_new_scenario_is_blank_and_an_unknown_one_is_not_found(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    tekst = client.get("/scenarios/nieuw").text
    assert 'action="/scenarios/nieuw"' in tekst
    assert all(not _waarde(_invoer(tekst, _veld(pad))) for pad, _, _ in _parameters())
    assert not _waarde(_invoer(tekst, "naam"))
    onbekend = client.get("/scenarios/bestaat-niet")
    assert onbekend.status_code == 404 and "Er is geen scenario" in onbekend.text
    assert client.get("/scenarios/..%2Fcasussen%2Fvj-2020-1").status_code == 404


# --- numbers with a decimal comma ----------------------------------------------------------------------


@pytest.mark.parametrize(("invoer", "getal_"), [
    ("3,5", 3.5), ("3.5", 3.5), ("3", 3), ("-1,25", -1.25), (" 3,5 ", 3.5), ("0,75", 0.75), ("+2", 2),
    ("\N{MINUS SIGN}1,5", -1.5),  # the minus sign of the report's differences, copied back
    ("1.234", 1.234),  # one point is a decimal point, as before: there are no thousands separators
    ("3,0", 3.0),  # with a decimal sign a float, as YAML reads 3.0 (a whole-number parameter refuses it)
])
def test_a_number_is_read_with_a_decimal_comma_or_point(invoer: str, getal_: float) -> None:
    gelezen = lees_getal(invoer)
    assert gelezen == getal_ and type(gelezen) is type(getal_)


@pytest.mark.parametrize("invoer", [
    "3,5,1", "1.234,5", "1,234.5", "abc", "", "  ",
    "3,", ",5", "3.", ".5",  # a digit on both sides of the decimal sign: half-typed values are not guessed
    "3 ,5", "3, 5", "1e3", "1_000", "--1", "3,5 uur", "0x10", "nan", "inf", "\N{ARABIC-INDIC DIGIT THREE}",
])
def test_what_is_not_one_number_is_refused(invoer: str) -> None:
    with pytest.raises(GeenGetal):
        lees_getal(invoer)


@pytest.mark.parametrize(("getal_", "getoond"), [
    (3.5, "3,5"), (0.75, "0,75"), (3.0, "3"), (3, "3"), (12, "12"), (31.33, "31,33"), (-1.25, "-1,25"),
    (0.125, "0,125"),  # engine.taal.getal rounds to 0,12 for reading; a form field keeps every decimal
    (100000, "100000"),
])
def test_a_number_is_shown_with_a_decimal_comma_and_read_back_as_itself(getal_: float, getoond: str) -> None:
    assert toon_getal(getal_) == getoond
    assert lees_getal(getoond) == getal_


def test_a_parameter_value_is_shown_as_one_types_it_and_reads_back_as_itself() -> None:
    assert zoals_getypt([0.75, 1.5, 3]) == "[0,75; 1,5; 3]"
    assert zoals_getypt([None, 2, 3]) == "[null; 2; 3]"
    assert [zoals_getypt(w) for w in (0.5, 12, None, True)] == ["0,5", "12", "null", "true"]
    assert zoals_getypt([2.5]) == "[2.5]"  # one value: "[2,5]" would read as two, so YAML as before
    assert zoals_getypt("tekst") == '"tekst"' and zoals_getypt({"a": 1}) == '{"a": 1}'
    rijen = regelset().rijen
    for pad, waarde, _ in _parameters():
        assert _lees(rijen[pad].huidig, rijen[pad]) == waarde, pad


def test_each_parameter_is_typed_as_its_value_type_takes_it() -> None:
    rijen = regelset().rijen
    soorten = {pad: rij.soort for pad, rij in rijen.items()}
    assert soorten["semi_intramuraal.pleger_extramuraal_aandeel"] == "getal"  # fractie
    assert soorten["tarieven.verblijf_per_dag"] == "getal"  # bedrag, null today
    assert soorten["duur.richtlijn_maanden"] == soorten["pakket_matrix.laag.voldoende"] == "geheel getal"
    assert soorten["uren.extramuraal.volwassenen"] == soorten["treden.semimuraal.nachtelijk"] == "lijst"
    assert set(soorten.values()) <= {"getal", "geheel getal", "lijst"}


def test_a_number_parameter_reads_a_decimal_comma_a_point_and_null() -> None:
    rijen = regelset().rijen
    fractie, tarief = rijen["semi_intramuraal.pleger_extramuraal_aandeel"], rijen["tarieven.verblijf_per_dag"]
    assert _lees("0,25", fractie) == 0.25 == _lees(" 0.25 ", fractie)
    assert _lees("60", tarief) == 60 and _lees("null", tarief) is None  # no tariff, as before
    assert _lees("3,5", rijen["duur.richtlijn_maanden"]) == 3.5  # the ruleset then asks for a whole number


def test_a_list_parameter_reads_semicolons_with_decimal_commas() -> None:
    uren = regelset().rijen["uren.extramuraal.volwassenen"]
    assert _lees("[0,75; 1,5; 3]", uren) == [0.75, 1.5, 3]
    assert _lees(" null ;1; 1.5", uren) == [None, 1, 1.5]  # brackets optional, a point still a decimal point


@pytest.mark.parametrize("invoer", [
    "[0.75, 1.5, 3]", "[null, 2, 3]", "[1, 2]", "[1,5, 2, 3]", "true", "false", "null", "tekst", "{a: 1}", "3,5",
])
def test_lists_and_other_values_without_semicolons_are_read_as_before(invoer: str) -> None:
    uren = regelset().rijen["uren.extramuraal.volwassenen"]
    assert _lees(invoer, uren) == yaml.safe_load(invoer)
    assert lees_waarde(invoer) == yaml.safe_load(invoer)  # a parameter of any other kind


GEEN_GETAL = "Geef een getal, bijvoorbeeld 0,5."  # the fraction's example: its value in force
KOMMA = " Zet een cijfer voor en na de komma, zoals 0,5."
AANDEEL = "semi_intramuraal.pleger_extramuraal_aandeel"
KINDEREN = "uren.extramuraal.kinderen"
DUIZENDTALLEN = " Gebruik één decimale komma en geen punt tussen de duizendtallen, zoals 1234,5."
LIJST = ": getallen met een decimale komma, een puntkomma ertussen, null waar er geen waarde is."


@pytest.mark.parametrize(("invoer", "pad", "melding"), [
    ("3,5,1", AANDEEL, GEEN_GETAL + DUIZENDTALLEN),
    ("1.234,5", AANDEEL, GEEN_GETAL + DUIZENDTALLEN),
    ("abc", AANDEEL, GEEN_GETAL),
    ("true", AANDEEL, GEEN_GETAL),
    ("3,", AANDEEL, GEEN_GETAL + KOMMA),
    (",5", AANDEEL, GEEN_GETAL + KOMMA),
    ("abc", "tarieven.verblijf_per_dag", "Geef een getal, bijvoorbeeld 3,5."),  # null today: a general example
    ("twaalf", "duur.richtlijn_maanden", "Geef een geheel getal, bijvoorbeeld 12."),
    ("1.234,5", "duur.richtlijn_maanden", "Geef een geheel getal, bijvoorbeeld 12. Schrijf het zonder komma of punt."),
    ("[1,5; twee; 3]", KINDEREN, "Waarde 2 (twee) is geen getal. Schrijf een lijst zoals [1,5; 2; 3]" + LIJST),
    ("[1;;3]", KINDEREN, "Waarde 2 ontbreekt. Schrijf een lijst zoals [1,5; 2; 3]" + LIJST),
    ("[1,", KINDEREN,
     "Schrijf een lijst zoals [1,5; 2; 3]: een puntkomma tussen de waarden, null waar er geen waarde is."),
    ("x" * 501, "duur.richtlijn_maanden", "Schrijf hoogstens 500 tekens."),
])
def test_a_value_that_cannot_be_read_is_refused_saying_what_to_type(invoer: str, pad: str, melding: str) -> None:
    with pytest.raises(WaardeFout) as fout:
        _lees(invoer, regelset().rijen[pad])
    assert str(fout.value) == melding


@pytest.mark.parametrize(("melding", "pad", "zo"), [
    ("moet een geheel getal van 1 tot en met 120 zijn (type maanden)", "duur.richtlijn_maanden",
     "geef een geheel getal van 1 tot en met 120"),
    ("moet van 1 tot en met 3 zijn (type pakket)", "pakket_matrix.hoog.beperkt",
     "geef een geheel getal van 1 tot en met 3"),
    ("moet van 0 tot en met 1 zijn (type fractie)", "semi_intramuraal.pleger_extramuraal_aandeel",
     "geef een getal van 0 tot en met 1"),
    ("moet een getal zijn (type fractie)", "semi_intramuraal.pleger_extramuraal_aandeel",
     "geef een getal, bijvoorbeeld 0,5"),
    ("waarde 2: moet van 0 tot en met 168 zijn (type uren_per_pakket)", "uren.extramuraal.kinderen",
     "waarde 2: geef een getal van 0 tot en met 168"),
    ("moet een lijst van 3 waarden zijn (trede voor pakket 1-3, of null) (type trede_per_pakket)",
     "treden.semimuraal.nachtelijk",
     "geef een lijst van 3 waarden (trede voor pakket 1-3, of null), bijvoorbeeld [null; 2; 2]"),
    ("verwacht een waarde, geen tabel", "uren.extramuraal.kinderen", "geef één waarde zoals de huidige, geen tabel"),
    # the consistency of pakketten and hours already says what to do
    ("pakket 1 kan semimuraal voorkomen (semi_intramuraal.minimum_pakket = 1), maar heeft hier geen waarde (null); "
     "geef ook deze waarde op", "uren.semimuraal.kinderen",
     "pakket 1 kan semimuraal voorkomen (semi_intramuraal.minimum_pakket = 1), maar heeft hier geen waarde (null); "
     "geef ook deze waarde op"),
])
def test_a_refusal_of_the_ruleset_says_what_to_type_without_its_type_code(melding: str, pad: str, zo: str) -> None:
    rij = regelset().rijen[pad]
    assert parameter_melding(melding, rij.soort, rij.voorbeeld) == zo


# --- submitting: a job and its report ------------------------------------------------------------------


def test_a_valid_scenario_starts_a_replay_whose_report_shows_the_changes(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    response = _verstuur(client, "/scenarios/ruimere-vrije-trede", {
        "naam": "ruimere-vrije-trede", "beschrijving": "Uit de test", "vraag": "Wat verandert er?",
        "par-vrije_trede-meer_dan_kinderen": "2", "par-pakket_matrix-midden-voldoende": "2",
        "par-duur-richtlijn_maanden": " ", "regels_uit": "signalen.ggz_via_zvw"})
    assert response.status_code == 303, response.text
    gevonden = JOB_URL.match(response.headers["location"])
    assert gevonden
    job_id = gevonden.group(1)
    [rij] = rows(app, "replay_job")
    assert (rij["id"], rij["scenario"], rij["key_id"]) == (job_id, "ruimere-vrije-trede", key_id(KEYS["beleidsmaker"]))
    assert rij["totaal"] == len(CASUSSEN)

    tekst = _wacht_op_rapport(client, response.headers["location"])
    assert "kop-kerncijfers" in tekst, tekst
    rapport = client.get(f"/replay/{job_id}/rapport.json")
    assert rapport.status_code == 200 and rapport.headers["content-type"] == "application/json"
    r = rapport.json()
    assert r["parameters"] == {"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2}
    assert r["regels_uit"] == ["signalen.ggz_via_zvw"] and r["vraag"] == "Wat verandert er?"
    assert r["totaal"] == len(CASUSSEN) and r["gewijzigd"] > 0

    # Key figures, the charts and their tables, the changed casussen with their fields and rules.
    kerncijfers = tekst.split('id="kop-kerncijfers"')[1].split("</section>")[0]
    assert f'<div class="waarde">{r["totaal"]}</div><div class="label">casussen</div>' in kerncijfers
    assert f'<div class="waarde">{r["gewijzigd"]}</div>' in kerncijfers
    verschil = r["uren_per_week"]["na"] - r["uren_per_week"]["voor"]
    assert verschil > 0 and f'<span class="plus">+{getal(verschil)}</span>' in kerncijfers
    for label in ("uur per week voor", "uur per week na", "verschil uur per week"):
        assert f'<div class="label">{label}</div>' in kerncijfers
    for titel in ("Route", "Perceel", "Pakket", "Vrije trede"):
        assert f'aria-label="{titel}: verdeling voor en na"' in tekst, titel
    assert f"Gewijzigde casussen ({r['gewijzigd']})" in tekst
    voorbeeld = next(c for c in r["casussen"] if c["casus_id"] == "VJ-2020-2")  # the contract's example
    assert voorbeeld["wijzigingen"]["pakket"] == [1, 2]
    assert "<code>VJ-2020-2</code>" in tekst
    assert '<a href="#regel-pakket.matrix"><code>pakket.matrix</code></a>' in tekst
    # Each rule that concluded otherwise, with its source and what it does (its reason).
    assert 'id="regel-pakket.matrix"' in tekst and "De zwaarte van het pakket volgt uit de combinatie" in tekst
    # The scenario as a file, to adopt it; the standalone report for this session.
    assert "naam: ruimere-vrije-trede" in tekst and "vrije_trede.meer_dan_kinderen: 2" in tekst
    los = client.get(f"/replay/{job_id}/rapport.html")
    assert los.status_code == 200 and los.text.startswith("<!DOCTYPE html>") and "<svg" in los.text
    assert '<meta http-equiv="refresh"' not in tekst  # finished: no more refreshing

    # "Scenario aanpassen": the form again, filled in with this replay's scenario.
    opnieuw = client.get(f"/scenarios/nieuw?replay={job_id}").text
    assert _waarde(_invoer(opnieuw, "par-vrije_trede-meer_dan_kinderen")) == "2"
    assert _waarde(_invoer(opnieuw, "naam")) == "ruimere-vrije-trede"
    assert 'value="signalen.ggz_via_zvw" checked' in opnieuw


def test_a_running_job_shows_progress_and_refreshes_itself(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    job_id = _job(app, "beleidsmaker", status="bezig", gedaan=100)
    pagina = client.get(f"/replay/{job_id}")
    assert pagina.status_code == 200
    # no meta refresh or Refresh header (axe-core: critical); a script asks again, a plain link without script
    assert 'http-equiv="refresh"' not in pagina.text and "refresh" not in pagina.headers
    assert '<script src="/static/voortgang.js" defer></script>' in pagina.text
    assert f'<a href="/replay/{job_id}">Ververs</a>' in pagina.text and 'role="status"' in pagina.text
    assert '<progress id="voortgang" max="400" value="100">' in pagina.text
    assert '<label for="voortgang">100 van 400 casussen opnieuw beoordeeld</label>' in pagina.text
    nog_niet = client.get(f"/replay/{job_id}/rapport.json")
    assert nog_niet.status_code == 409 and "nog niet klaar" in nog_niet.text


def test_a_failed_job_shows_the_dutch_error(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    job_id = _job(app, "beleidsmaker", status="mislukt", fout="de berekening is mislukt: ValueError: kapot")
    pagina = client.get(f"/replay/{job_id}")
    assert pagina.status_code == 200 and "De replay is mislukt" in pagina.text
    assert "De berekening is mislukt: ValueError: kapot" in pagina.text
    assert "refresh" not in pagina.headers
    assert client.get(f"/replay/{job_id}/rapport.html").status_code == 409


def test_errors_are_shown_at_their_fields_with_a_summary(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    response = _verstuur(client, "/scenarios/nieuw", {
        "naam": "met spatie",
        "par-duur-richtlijn_maanden": "[1,",  # not YAML
        "par-pakket_matrix-laag-voldoende": "7",  # out of range
        "par-uren-extramuraal-volwassenen": "[1, 2]",  # three values needed
        "regels_uit": ["bestaat.niet", "huishouden.samenstelling", "pakket.vrije_trede"]})
    assert response.status_code == 422
    tekst = response.text
    assert 'id="foutsamenvatting"' in tekst and 'role="alert"' in tekst
    for veld in ("naam", "par-duur-richtlijn_maanden", "par-pakket_matrix-laag-voldoende",
                 "par-uren-extramuraal-volwassenen"):
        assert f'<a href="#{veld}">' in tekst, veld
        invoer = re.search(rf'<(input|textarea)[^>]*\bid="{veld}"[^>]*>', tekst)
        assert invoer and 'aria-invalid="true"' in invoer.group(0), veld
        assert f'aria-describedby="fout-{veld} ' in invoer.group(0), veld
        assert f'<p class="fout" id="fout-{veld}">' in tekst, veld
    melding = tekst.split('id="fout-par-pakket_matrix-laag-voldoende">')[1].split("</p>")[0]
    assert "Geef een geheel getal van 1 tot en met 3." in melding
    assert "Geef een geheel getal, bijvoorbeeld 12." in tekst.split('id="fout-par-duur-richtlijn_maanden">')[1]
    melding = tekst.split('id="fout-par-uren-extramuraal-volwassenen">')[1].split("</p>")[0]
    assert "Geef een lijst van 3 waarden" in melding and "bijvoorbeeld [0,75; 1,5; 3]." in melding
    # Unknown and fixed rules: at the list of rules, which is open.
    regels = tekst.split('<fieldset id="regels_uit"')[1].split("</fieldset>")[0]
    assert regels.startswith(' aria-invalid="true"')
    assert "Onbekende regel &#39;bestaat.niet&#39;" in regels
    assert "Regel &#39;huishouden.samenstelling&#39; kan niet uitgeschakeld worden." in regels
    assert '<details class="regels" open>' in tekst
    # What was typed stays in the form; nothing was started.
    assert _waarde(_invoer(tekst, "par-duur-richtlijn_maanden")) == "[1,"
    assert 'value="pakket.vrije_trede" checked' in tekst
    assert rows(app, "replay_job") == []


def test_a_consistency_error_is_tied_to_the_parameter_it_names(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    response = _verstuur(client, "/scenarios/nieuw", {"naam": "pakket-1-overal",
                                                      "par-semi_intramuraal-minimum_pakket": "1"})
    assert response.status_code == 422
    # Pakket 1 then exists semi/intramurally, but its hours there are null: named at those parameters.
    assert '<p class="fout" id="fout-par-uren-semimuraal-volwassenen">' in response.text
    assert rows(app, "replay_job") == []


def test_numbers_with_a_decimal_comma_are_replayed_and_shown_with_it(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    response = _verstuur(client, "/scenarios/nieuw", {
        "naam": "decimale-komma", "par-tarieven-overhead_kinderen": " 3,5 ",
        "par-semi_intramuraal-pleger_extramuraal_aandeel": "0.25",  # a point keeps working
        "par-uren-extramuraal-volwassenen": "[1; 1,75; 3]", "par-treden-semimuraal-nachtelijk": "[null, 2, 3]"})
    assert response.status_code == 303, response.text
    job_id = response.headers["location"].removeprefix("/replay/")
    tekst = _wacht_op_rapport(client, response.headers["location"])
    assert "kop-kerncijfers" in tekst, tekst
    assert client.get(f"/replay/{job_id}/rapport.json").json()["parameters"] == {
        "tarieven.overhead_kinderen": 3.5, "semi_intramuraal.pleger_extramuraal_aandeel": 0.25,
        "uren.extramuraal.volwassenen": [1, 1.75, 3], "treden.semimuraal.nachtelijk": [None, 2, 3]}
    # The report page shows the scenario's values as the form does; the file to adopt keeps YAML.
    scenario = tekst.split('id="kop-scenario"')[1].split("</section>")[0]
    for pad, getoond in (("tarieven.overhead_kinderen", "3,5"), (AANDEEL, "0,25"),
                         ("uren.extramuraal.volwassenen", "[1; 1,75; 3]"),
                         ("treden.semimuraal.nachtelijk", "[null; 2; 3]")):
        assert f"<code>{pad}</code> = <code>{getoond}</code>" in scenario, pad
    assert "tarieven.overhead_kinderen: 3.5" in tekst
    # "Scenario aanpassen": the form again, with decimal commas.
    opnieuw = client.get(f"/scenarios/nieuw?replay={job_id}").text
    assert _waarde(_invoer(opnieuw, "par-tarieven-overhead_kinderen")) == "3,5"
    assert _waarde(_invoer(opnieuw, "par-uren-extramuraal-volwassenen")) == "[1; 1,75; 3]"
    # The values in force: decimal commas, one format for hours (no 0.75 next to 1,5, no 3,00 next to 3).
    huidig = client.get("/scenarios/nieuw").text
    assert "<code>[0,75; 1,5; 3]</code>" in _rij(huidig, "par-uren-extramuraal-volwassenen")
    assert "<code>0,5</code>" in _rij(huidig, "par-semi_intramuraal-pleger_extramuraal_aandeel")
    waarden = re.findall(r'<td id="huidig-[^"]+"><span class="verborgen">Huidige waarde: </span>'
                         r"<code>([^<]*)</code>", huidig)
    assert len(waarden) == len(_parameters())
    assert not [w for w in waarden if re.search(r"\d\.\d|,\d*0\b", w)], waarden


def test_numbers_that_cannot_be_read_are_refused_naming_the_field_in_words(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    response = _verstuur(client, "/scenarios/nieuw", {
        "naam": "decimale-komma",
        "par-tarieven-overhead_kinderen": "3,5,1",
        "par-semi_intramuraal-pleger_extramuraal_aandeel": "1.234,5",
        "par-tarieven-verblijf_per_dag": "abc",
        "par-duur-richtlijn_maanden": "3,5",  # read as 3.5; months are whole
        "par-uren-extramuraal-kinderen": "[1,5; twee; 3]",
        "par-pakket_matrix-hoog-beperkt": "4"})
    assert response.status_code == 422
    tekst = html.unescape(response.text)
    verwacht = {
        "par-tarieven-overhead_kinderen": (
            "Overhead (parameter 4) bij de begeleiding van kinderen (tarieven.overhead_kinderen)",
            "Geef een getal, bijvoorbeeld 31,33." + DUIZENDTALLEN),
        "par-semi_intramuraal-pleger_extramuraal_aandeel": (
            "Deel van de begeleiding volwassenen dat extramuraal aan de pleger besteed kan worden "
            "(semi_intramuraal.pleger_extramuraal_aandeel)", GEEN_GETAL + DUIZENDTALLEN),
        "par-tarieven-verblijf_per_dag": (
            "Tarief voor verblijf, per dag per volwassen cliënt of meekomend kind (nog niet gepubliceerd) "
            "(tarieven.verblijf_per_dag)", "Geef een getal, bijvoorbeeld 3,5."),
        "par-duur-richtlijn_maanden": (
            "Richtlijn voor de duur van een HG-arrangement, met tussentijds op- en afschalen (duur.richtlijn_maanden)",
            "Geef een geheel getal van 1 tot en met 120."),
        "par-uren-extramuraal-kinderen": (
            "Begeleiding kinderen, één budget per huishouden (Jeugd R1-R3), toegekend aan het jongste kind "
            "(uren.extramuraal.kinderen)",
            "Waarde 2 (twee) is geen getal. Schrijf een lijst zoals [1,5; 2; 3]" + LIJST),
        "par-pakket_matrix-hoog-beperkt": (
            "Pakketzwaarte (1-3) uit de combinatie van veiligheid en vaardigheden/leerbaarheid, hoog / beperkt "
            "(pakket_matrix.hoog.beperkt)", "Geef een geheel getal van 1 tot en met 3."),
    }
    for veld, (label, melding) in verwacht.items():
        assert f'<li><a href="#{veld}">{label}: {melding}</a></li>' in tekst, veld
        assert f'<p class="fout" id="fout-{veld}"><span class="verborgen">Fout: </span>{melding}</p>' in tekst, veld
    # Every message a sentence that says what to do, never a code.
    meldingen = re.findall(r'<span class="verborgen">Fout: </span>([^<]*)</p>', tekst)
    assert len(meldingen) == len(verwacht)
    for melding in meldingen:
        assert melding[0].isupper() and melding.endswith("."), melding
        assert "(type " not in melding and not re.search(r"[a-z]_[a-z]", melding), melding
    # What was typed stays in the form; nothing was started.
    assert _waarde(_invoer(response.text, "par-tarieven-overhead_kinderen")) == "3,5,1"
    assert _waarde(_invoer(response.text, "par-duur-richtlijn_maanden")) == "3,5"
    assert rows(app, "replay_job") == []


def test_a_form_without_a_valid_csrf_token_is_refused(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beleidsmaker")
    client.get("/scenarios/nieuw")
    for data in ({"naam": "x"}, {"naam": "x", "csrf": "vals"}):
        response = client.post("/scenarios/nieuw", data=data, follow_redirects=False)
        assert response.status_code == 403 and "Verzoek geweigerd" in response.text
    assert rows(app, "replay_job") == []


@pytest.mark.parametrize("principal", ["indicatiesteller", "hg_deskundige"])
def test_other_roles_get_no_access(client: TestClient, app: FastAPI, principal: str) -> None:
    job_id = _job(app, "beleidsmaker", status="klaar", gedaan=400)
    aanmelden(client, principal)
    for pad in ("/scenarios", "/scenarios/nieuw", "/scenarios/ruimere-vrije-trede", f"/replay/{job_id}",
                f"/replay/{job_id}/rapport.json", f"/replay/{job_id}/rapport.html", "/afwijkingen"):
        response = client.get(pad)
        assert response.status_code == 403 and "Geen toegang" in response.text, pad
    assert 'href="/scenarios"' not in client.get("/scenarios").text  # no menu entry either
    token = csrf(client.get("/scenarios").text)  # the refusal page's sign-out form: a valid token
    response = client.post("/scenarios/nieuw", data={"csrf": token, "naam": "x"}, follow_redirects=False)
    assert response.status_code == 403 and "Geen toegang" in response.text
    assert len(rows(app, "replay_job")) == 1


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for pad in ("/scenarios", "/replay/" + "0" * 32, "/afwijkingen"):
        response = client.get(pad, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden"), pad


def test_another_users_replay_is_not_found(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "beheerder")  # the beheerder may replay too
    response = _verstuur(client, "/scenarios/nieuw", {"naam": "van-de-beheerder", "par-duur-richtlijn_maanden": "18"})
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    aanmelden(client, "beleidsmaker")
    for pad in (url, f"{url}/rapport.json", f"{url}/rapport.html", f"/scenarios/nieuw?replay={url[8:]}"):
        antwoord = client.get(pad)
        assert antwoord.status_code == 404 and "geen replay met id" in antwoord.text.lower(), pad
    assert client.get("/replay/geen-id").status_code == 404
    eigen = _job(app, "beleidsmaker", status="klaar", gedaan=400)
    aanmelden(client, "beheerder")  # the beheerder sees every replay
    assert client.get(f"/replay/{eigen}").status_code == 200


# --- deviation statistics ------------------------------------------------------------------------------


def test_the_deviation_page_counts_a_besluit(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    leeg = client.get("/afwijkingen")
    assert leeg.status_code == 200 and "Er zijn nog geen besluiten vastgelegd" in leeg.text

    advies = post_advies(client, load_casus(next(p for p in CASUSSEN if p.stem == "vj-2020-1")))
    besluit = client.post(f"/v1/advies/{advies['advies_id']}/besluit", headers=auth("indicatiesteller"),
                          json=besluit_zoals(advies, pakket=2, reden="Het gezin werkt goed mee."))
    assert besluit.status_code == 201, besluit.text
    api = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).json()
    assert (api["besluiten"], api["afwijkend"], api["per_veld"]["pakket"]) == (1, 1, 1)

    tekst = client.get("/afwijkingen").text
    assert '<div class="waarde">1</div><div class="label">besluiten</div>' in tekst
    assert '<div class="waarde">1</div><div class="label">wijken af van het advies</div>' in tekst
    assert '<div class="waarde">100,0%</div>' in tekst
    pakket = tekst.split('<th scope="row">Pakket</th>')[1].split("</tr>")[0]
    assert '<td class="getal">1</td>' in pakket and "100,0%" in pakket
    for regel in api["per_regel"]:
        assert f"<code>{regel['regel']}</code>" in tekst
    # the reason is shown with the field it deviated on, never with the advies or casus it belongs to
    sectie = tekst.split('id="kop-veld-pakket"')[1].split("</section>")[0]
    assert "<li>Het gezin werkt goed mee.</li>" in sectie
    assert advies["advies_id"] not in tekst and advies["casus_id"] not in tekst
