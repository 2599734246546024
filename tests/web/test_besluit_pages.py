"""The besluit form on the advies page, the Onderbouwing page with its review form, the adviezen list,
sign-in limiting, sessions that end with their key, and HTML error pages (TestClient; SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.auth import Sleutels
from api.web.aanmelden import Pogingen
from api.web.onderbouwing import feit
from rules.bronnen import passages
from tests.api.helpers import API_KEYS, KEYS, auth, post_advies, rows
from tests.web.conftest import aanmelden, csrf


def _advies(client: TestClient, principal: str = "indicatiesteller") -> dict[str, Any]:
    return post_advies(client, principal=principal)


def _besluit(client: TestClient, advies_id: str, **velden: Any) -> Any:
    token = csrf(client.get(f"/advies/{advies_id}").text)
    return client.post(f"/advies/{advies_id}/besluit", data={"csrf": token, **velden}, follow_redirects=False)


def _geadviseerd(advies: dict[str, Any]) -> dict[str, Any]:
    return {"route": advies["route"], "perceel": advies["perceel"] or "", "pakket": str(advies["pakket"] or ""),
            "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]]}


# --- besluit vastleggen ---------------------------------------------------------------------------------

def test_accepting_records_the_advies_own_values(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "indicatiesteller")
    response = _besluit(client, advies["advies_id"], keuze="akkoord", route="buiten_scope", pakket="1")
    assert response.status_code == 303
    assert response.headers["location"] == f"/advies/{advies['advies_id']}?besluit=vastgelegd#besluit"
    [rij] = rows(app, "besluit")
    assert (rij["route"], rij["perceel"], rij["pakket"]) == (advies["route"], advies["perceel"], advies["pakket"])
    assert rij["afwijkingen"] == [] and rij["reden"] is None
    pagina = client.get(response.headers["location"]).text
    assert "Het besluit is vastgelegd." in pagina and "geen: akkoord" in pagina


def test_deviating_needs_a_reason_tied_to_its_field(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "indicatiesteller")
    velden = {**_geadviseerd(advies), "keuze": "afwijken", "pakket": "2"}
    response = _besluit(client, advies["advies_id"], **velden)
    assert response.status_code == 422 and rows(app, "besluit") == []
    html = response.text
    assert "verplicht: het besluit wijkt af van het advies (pakket)" in html
    assert re.search(r'id="besluit-reden"[^>]*aria-describedby="hint-besluit-reden fout-besluit-reden" '
                     r'aria-invalid="true"', html)
    assert 'href="#besluit-reden"' in html  # the error summary links to the field
    assert re.search(r'<option value="2" selected>', html)  # the choice is kept

    response = _besluit(client, advies["advies_id"], **velden, reden="Netwerk is sterk genoeg.")
    assert response.status_code == 303
    [rij] = rows(app, "besluit")
    assert rij["pakket"] == 2 and rij["afwijkingen"] == ["pakket"] and rij["reden"] == "Netwerk is sterk genoeg."


def test_a_deviation_equal_to_the_advies_is_refused(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "indicatiesteller")
    response = _besluit(client, advies["advies_id"], **_geadviseerd(advies), keuze="afwijken", reden="x")
    assert response.status_code == 422 and "uw besluit is gelijk aan het advies" in response.text
    assert rows(app, "besluit") == []


@pytest.mark.parametrize(("velden", "veld"), [
    ({"keuze": ""}, "keuze"),
    ({"keuze": "afwijken", "route": "ergens_anders"}, "route"),
    ({"keuze": "afwijken", "pakket": "7"}, "pakket"),
    ({"keuze": "afwijken", "maatwerk": ["zwemles"]}, "maatwerk"),
    ({"keuze": "afwijken", "pakket": "1", "reden": "a\x00b"}, "reden"),
])
def test_invalid_besluit_fields_are_named(client: TestClient, app: FastAPI, velden: dict[str, Any],
                                          veld: str) -> None:
    advies = _advies(client)
    aanmelden(client, "indicatiesteller")
    response = _besluit(client, advies["advies_id"], **{**_geadviseerd(advies), **velden})
    assert response.status_code == 422
    assert f'id="fout-besluit-{veld}"' in response.text
    assert rows(app, "besluit") == []


def test_besluit_form_roles_and_csrf(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    adres = f"/advies/{advies['advies_id']}"
    aanmelden(client, "hg_deskundige")
    pagina = client.get(adres).text
    assert "Besluit vastleggen" not in pagina  # a reader, not the one who decides
    response = client.post(f"{adres}/besluit", data={"csrf": csrf(pagina), "keuze": "akkoord"})
    assert response.status_code == 403 and "Geen toegang" in response.text
    client.cookies.clear()
    aanmelden(client, "indicatiesteller_2")  # not the indicatiesteller who asked for it
    token = csrf(client.get("/advies/nieuw").text)
    response = client.post(f"{adres}/besluit", data={"csrf": token, "keuze": "akkoord"})
    assert response.status_code == 404 and "Niet gevonden" in response.text  # as if it did not exist
    client.cookies.clear()
    aanmelden(client, "indicatiesteller")
    response = client.post(f"{adres}/besluit", data={"csrf": "vals", "keuze": "akkoord"})
    assert response.status_code == 403 and "Verzoek geweigerd" in response.text
    assert rows(app, "besluit") == []


def test_advies_page_shows_the_what_if(client: TestClient) -> None:
    advies = _advies(client)
    alternatieven = client.get(f"/v1/advies/{advies['advies_id']}/alternatieven", headers=auth("indicatiesteller"))
    verwacht = alternatieven.json()["alternatieven"]
    assert verwacht, "the example casus has alternatives"
    html = aanmelden(client, "indicatiesteller").get(f"/advies/{advies['advies_id']}").text.replace("&#39;", "'")
    assert "Wat zou het advies veranderen?" in html
    for alt in verwacht:
        assert alt["tekst"] in html


# --- onderbouwing ---------------------------------------------------------------------------------------

def test_onderbouwing_shows_every_step_with_facts_sources_and_policy_defaults(client: TestClient) -> None:
    advies = _advies(client)
    html = aanmelden(client, "hg_deskundige").get(f"/advies/{advies['advies_id']}/onderbouwing").text
    html = html.replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    stappen = re.findall(r'<li class="stap( beleidskeuze)?" id="stap-(\d+)">', html)
    assert [int(i) for _, i in stappen] == list(range(len(advies["uitleg"])))
    for (beleid, _), stap in zip(stappen, advies["uitleg"], strict=True):
        assert bool(beleid) == stap["beleidskeuze"]
        assert stap["tekst"] in html and stap["conclusie"] in html
        for f in stap["omdat"]:
            assert feit(f) in html
        for b in passages(stap["bron"]):
            assert b["tekst"] in html
    assert 'name="stap-0-oordeel"' in html and "Review vastleggen" in html


def test_facts_in_words() -> None:
    assert feit("leden[moeder].in_beeld = true") == "moeder: in beeld = ja"
    assert feit("veiligheid.niveau = hoog") == "veiligheid niveau = hoog"
    assert feit("geweld.intieme_terreur = false") == "geweld intieme terreur = nee"
    assert feit("een pleger werkt niet mee") == "een pleger werkt niet mee"


def _review(client: TestClient, advies_id: str, **velden: Any) -> Any:
    token = csrf(client.get(f"/advies/{advies_id}/onderbouwing").text)
    return client.post(f"/advies/{advies_id}/onderbouwing", data={"csrf": token, **velden}, follow_redirects=False)


def test_a_review_per_step_is_stored_with_the_step_place(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "hg_deskundige")
    response = _review(client, advies["advies_id"], oordeel="oneens", toelichting="Zie stap 2",
                       **{"stap-1-oordeel": "oneens", "stap-1-toelichting": "Niet onderzocht",
                          "stap-0-oordeel": "eens", "stap-2-oordeel": ""})
    assert response.status_code == 303, response.text
    [rij] = rows(app, "review")
    assert rij["oordeel"] == "oneens" and rij["toelichting"] == "Zie stap 2"
    uitleg = advies["uitleg"]
    assert rij["stappen"] == [
        {"regel": uitleg[0]["regel"], "stap": 0, "oordeel": "eens", "toelichting": None},
        {"regel": uitleg[1]["regel"], "stap": 1, "oordeel": "oneens", "toelichting": "Niet onderzocht"},
    ]
    pagina = client.get(response.headers["location"]).text
    assert "Uw review is vastgelegd." in pagina and "Oneens met stap 2" in pagina
    statistiek = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).json()
    assert {r["regel"]: r["reviews_oneens"] for r in statistiek["per_regel"]}[uitleg[1]["regel"]] == 1


def test_review_errors_keep_what_was_entered(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "hg_deskundige")
    response = _review(client, advies["advies_id"], **{"stap-3-toelichting": "waarom?", "stap-4-oordeel": "soms"})
    assert response.status_code == 422 and rows(app, "review") == []
    html = response.text
    assert 'id="fout-review-oordeel"' in html and 'id="fout-review-stap-3-oordeel"' in html
    assert 'id="fout-review-stap-4-oordeel"' in html and 'value="waarom?"' in html
    response = _review(client, advies["advies_id"], oordeel="eens", **{"stap-0-oordeel": "oneens",
                                                                         "stap-0-toelichting": "x" * 2001})
    assert response.status_code == 422 and 'id="fout-review-stap-0-toelichting"' in response.text


def test_review_only_by_hg_deskundige(client: TestClient, app: FastAPI) -> None:
    advies = _advies(client)
    aanmelden(client, "indicatiesteller")
    pagina = client.get(f"/advies/{advies['advies_id']}/onderbouwing")
    assert pagina.status_code == 200 and "Review vastleggen" not in pagina.text  # may read, not review
    response = client.post(f"/advies/{advies['advies_id']}/onderbouwing",
                           data={"csrf": csrf(pagina.text), "oordeel": "eens"})
    assert response.status_code == 403 and rows(app, "review") == []


# --- adviezen list --------------------------------------------------------------------------------------

def test_adviezen_list_own_for_indicatiesteller_all_for_deskundige(client: TestClient) -> None:
    eigen = _advies(client)
    ander = post_advies(client, principal="indicatiesteller_2")
    html = aanmelden(client, "indicatiesteller").get("/adviezen").text
    assert eigen["advies_id"] in html and ander["advies_id"] not in html and "Mijn adviezen" in html
    client.cookies.clear()
    html = aanmelden(client, "hg_deskundige").get("/adviezen").text
    assert eigen["advies_id"] in html and ander["advies_id"] in html
    assert client.get("/adviezen", params={"casus": "BESTAAT-NIET"}).text.count("/onderbouwing") == 0
    assert client.get("/adviezen", params={"pagina": "-3"}).status_code == 200
    client.cookies.clear()
    assert aanmelden(client, "beleidsmaker").get("/adviezen").status_code == 403


# --- sign-in, sessions, error pages ---------------------------------------------------------------------

def test_start_page_per_role(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/aanmelden")
    for rol, pad in (("indicatiesteller", "/advies/nieuw"), ("hg_deskundige", "/adviezen"),
                     ("beleidsmaker", "/scenarios")):
        client.cookies.clear()
        aanmelden(client, rol)
        assert client.get("/", follow_redirects=False).headers["location"] == pad


def test_failed_sign_ins_are_limited_per_address(client: TestClient, app: FastAPI) -> None:
    app.state.aanmeldpogingen = Pogingen(maximum=3, venster=60)
    try:
        token = csrf(client.get("/aanmelden").text)
        for _ in range(3):
            assert client.post("/aanmelden", data={"csrf": token, "sleutel": "fout-fout-fout-fout"}).status_code == 401
        response = client.post("/aanmelden", data={"csrf": token, "sleutel": KEYS["indicatiesteller"]})
        assert response.status_code == 429 and "Te veel mislukte pogingen" in response.text
        assert int(response.headers["retry-after"]) > 0
        assert rows(app, "web_sessie") == []
    finally:
        app.state.aanmeldpogingen = Pogingen()


def test_pogingen_window_slides_and_success_resets() -> None:
    pogingen = Pogingen(maximum=2, venster=0.05)
    pogingen.mislukt("a")
    pogingen.mislukt("a")
    assert pogingen.geblokkeerd("a") > 0 and pogingen.geblokkeerd("b") == 0
    import time
    time.sleep(0.06)
    assert pogingen.geblokkeerd("a") == 0
    pogingen.mislukt("a")
    pogingen.gelukt("a")
    pogingen.mislukt("a")
    assert pogingen.geblokkeerd("a") == 0
    klein = Pogingen(maximum=1, venster=60, adressen=2)
    for adres in ("x", "y", "z"):
        klein.mislukt(adres)
    assert klein.geblokkeerd("x") == 0 and klein.geblokkeerd("z") > 0  # the oldest address is forgotten


def test_a_session_ends_when_its_key_is_withdrawn(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "indicatiesteller")
    assert client.get("/advies/nieuw").status_code == 200
    zonder = ",".join(d for d in API_KEYS.split(",") if not d.startswith(KEYS["indicatiesteller"] + ":"))
    oud, app.state.sleutels = app.state.sleutels, Sleutels(zonder)
    try:
        response = client.get("/advies/nieuw", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")
        app.state.sleutels = Sleutels(API_KEYS.replace(f"{KEYS['indicatiesteller']}:indicatiesteller",
                                                       f"{KEYS['indicatiesteller']}:beleidsmaker"))
        assert client.get("/advies/nieuw", follow_redirects=False).status_code == 303  # another role now
    finally:
        app.state.sleutels = oud
    assert client.get("/advies/nieuw").status_code == 200


def test_errors_on_pages_are_html_and_the_api_stays_json(client: TestClient) -> None:
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Niet gevonden" in response.text and "Onbekend adres" in response.text
    aanmelden(client, "indicatiesteller")
    token = csrf(client.get("/advies/nieuw").text)
    response = client.post("/advies/nieuw", data={"csrf": token, "x": "y" * 70_000})
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "Het formulier is te groot" in response.text
    assert client.put("/advies/nieuw").headers["content-type"].startswith("text/html")
    api = client.get("/v1/bestaat-niet")
    assert api.status_code == 404 and api.json()["fouten"][0]["melding"] == "onbekend adres"


def test_validation_as_you_go_answers_the_api_messages_by_field(client: TestClient, app: FastAPI) -> None:
    token = csrf(aanmelden(client, "indicatiesteller").get("/advies/nieuw").text)
    response = client.post("/advies/valideer", data={"csrf": token, "casus_id": "X 1", "leden-0-id": "moeder",
                                                     "leden-0-leeftijd": "oud"})
    assert response.status_code == 200
    fouten = response.json()["fouten"]
    assert fouten["leden-0-leeftijd"] == ["vul een heel getal in, zonder komma (bijvoorbeeld 36)"]
    assert "casus_id" in fouten and "veiligheid-niveau" in fouten
    assert rows(app, "advies") == []
    assert client.post("/advies/valideer", data={"csrf": "vals"}).status_code == 403
