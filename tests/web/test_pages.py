"""The web pages with FastAPI's TestClient: sign-in, cookie flags, CSRF, roles, the casus form, the advies."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.api.helpers import IGNORED, KEYS, post_advies, rows
from tests.web.conftest import aanmelden, csrf

FORMULIER: dict[str, Any] = {  # the contract's example casus, as the form sends it
    "casus_id": "VJ-2020-1", "peildatum": "2021-09-01", "woonplaats": "rotterdam",
    "leden-0-id": "moeder", "leden-0-leeftijd": "36", "leden-0-rollen": "slachtoffer",
    "leden-0-in_beeld": "ja", "leden-0-meewerkend": "ja",
    "leden-1-id": "vader", "leden-1-leeftijd": "38", "leden-1-rollen": "pleger", "leden-1-in_beeld": "ja",
    "leden-3-id": "zoon", "leden-3-leeftijd": "6", "leden-3-rollen": "getuige",
    "leden-3-in_beeld": "ja", "leden-3-meewerkend": "ja",
    "geweld-binnen_huiselijke_kring": "ja", "geweld-structureel": "ja", "geweld-vormen": ["fysiek", "psychisch"],
    "geweld-intieme_terreur": "ja", "veiligheid-niveau": "hoog", "vaardigheden": "beperkt",
    "woonsituatie-zelfstandig_wonen_veilig": "ja", "bestaande_wmo_zorg": "geen",
    "inzet-verwachte_duur_maanden": "12", "inzet-specialistisch": "ja", "signalen": "verslaving",
}


def _verstuur(client: TestClient, data: dict[str, Any]) -> Any:
    token = csrf(client.get("/advies/nieuw").text)
    return client.post("/advies/nieuw", data={"csrf": token, **data}, follow_redirects=False)


def test_a_second_sign_in_ends_the_first_session(client: TestClient) -> None:
    """attacks-2026-12.log [session]: after a second sign-in in the same browser the first id was still valid."""
    aanmelden(client, "hg_deskundige")
    eerste = client.cookies.get("hg_sessie")
    aanmelden(client, "hg_deskundige")
    tweede = client.cookies.get("hg_sessie")
    assert eerste and tweede and eerste != tweede
    client.cookies.clear()
    client.cookies.set("hg_sessie", eerste)
    assert client.get("/adviezen", follow_redirects=False).headers["location"].startswith("/aanmelden")
    client.cookies.set("hg_sessie", tweede)
    assert client.get("/adviezen").status_code == 200
    client.cookies.clear()


def test_sign_in_sets_a_strict_http_only_session_cookie(client: TestClient, app: FastAPI) -> None:
    token = csrf(client.get("/aanmelden").text)
    response = client.post("/aanmelden", data={"csrf": token, "sleutel": KEYS["indicatiesteller"]},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/advies/nieuw"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hg_sessie="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test
    sessie_id = cookie.split(";")[0].removeprefix("hg_sessie=")
    [rij] = rows(app, "web_sessie")
    assert rij["id"] != sessie_id and sessie_id not in str(rij) and KEYS["indicatiesteller"] not in str(rij)
    assert rij["rol"] == "indicatiesteller"


def test_cookie_is_secure_over_https(client: TestClient, app: FastAPI) -> None:
    https = TestClient(app, base_url="https://testserver")
    token = csrf(https.get("/aanmelden").text)
    response = https.post("/aanmelden", data={"csrf": token, "sleutel": KEYS["indicatiesteller"]},
                          follow_redirects=False)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("hg_sessie="))
    assert "Secure" in cookie


def test_wrong_key_is_refused_in_dutch(client: TestClient, app: FastAPI) -> None:
    token = csrf(client.get("/aanmelden").text)
    response = client.post("/aanmelden", data={"csrf": token, "sleutel": "niet-de-goede-sleutel-123"})
    assert response.status_code == 401 and "Onbekende of ongeldige sleutel" in response.text
    assert "hg_sessie" not in response.headers.get("set-cookie", "")
    assert rows(app, "web_sessie") == []


def test_posts_without_a_valid_csrf_token_are_refused(client: TestClient, app: FastAPI) -> None:
    client.get("/aanmelden")
    response = client.post("/aanmelden", data={"csrf": "vals", "sleutel": KEYS["indicatiesteller"]})
    assert response.status_code == 403 and "Verzoek geweigerd" in response.text
    aanmelden(client, "indicatiesteller")
    response = client.post("/advies/nieuw", data={"csrf": "vals", **FORMULIER})
    assert response.status_code == 403 and "Verzoek geweigerd" in response.text
    assert rows(app, "advies") == []
    assert client.post("/afmelden", data={}).status_code == 403


def test_not_signed_in_redirects_and_sign_out_ends_the_session(client: TestClient, app: FastAPI) -> None:
    response = client.get("/advies/nieuw", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")
    aanmelden(client, "indicatiesteller")
    token = csrf(client.get("/advies/nieuw").text)
    assert client.post("/afmelden", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert rows(app, "web_sessie") == []
    assert client.get("/advies/nieuw", follow_redirects=False).status_code == 303


def test_an_expired_session_signs_out(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "indicatiesteller")
    with app.state.db.begin() as conn:
        conn.execute(text("UPDATE web_sessie SET verloopt = :t"), {"t": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)})
    response = client.get("/advies/nieuw", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/aanmelden")


def test_other_roles_get_a_dutch_403(client: TestClient) -> None:
    aanmelden(client, "beleidsmaker")
    response = client.get("/advies/nieuw")
    assert response.status_code == 403 and "Geen toegang" in response.text and "beleidsmaker" in response.text


def test_form_asks_no_identifiers_and_offers_the_model_choices(client: TestClient) -> None:
    html = aanmelden(client, "indicatiesteller").get("/advies/nieuw").text
    namen = set(re.findall(r'name="([^"]+)"', html))
    for verboden in ("naam", "bsn", "adres", "geboortedatum"):
        assert not any(verboden in n for n in namen), verboden
    for waarde in ("schadelijke_traditionele_praktijken", "nachtelijke_ondersteuning", "intramuraal", "gezinslid"):
        assert f'value="{waarde}"' in html
    ids = set(re.findall(r'id="([^"]+)"', html))
    for veld in re.findall(r'<input[^>]*type="(?:text|date|password)"[^>]*id="([^"]+)"', html):
        assert f'for="{veld}"' in html and veld in ids


def test_errors_are_shown_next_to_their_fields_keeping_values(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "indicatiesteller")
    data = {k: v for k, v in FORMULIER.items() if k != "veiligheid-niveau"} | {"leden-1-leeftijd": "oud"}
    response = _verstuur(client, data)
    assert response.status_code == 422
    html = response.text
    assert 'id="fout-leden-1-leeftijd"' in html and "vul een heel getal in" in html
    assert re.search(r'id="leden-1-leeftijd"[^>]*value="oud"[^>]*aria-invalid="true"', html.replace("\n", " "))
    assert 'aria-describedby="fout-leden-1-leeftijd' in html
    assert 'id="fout-veiligheid-niveau"' in html and 'href="#veiligheid-niveau"' in html
    assert "Gezinslid 2, leeftijd: vul een heel getal in" in html  # the summary, in words
    assert 'value="moeder"' in html
    assert rows(app, "advies") == []


def test_a_valid_form_stores_the_same_advies_as_the_api(client: TestClient, app: FastAPI) -> None:
    aanmelden(client, "indicatiesteller")
    response = _verstuur(client, FORMULIER)
    assert response.status_code == 303, response.text
    [rij] = rows(app, "advies")
    assert response.headers["location"] == f"/advies/{rij['id']}"
    api = post_advies(client)  # the contract's example casus, the same one
    assert {k: v for k, v in rij["advies"].items() if k not in IGNORED} == {
        k: v for k, v in api.items() if k not in IGNORED}
    pagina = client.get(response.headers["location"])
    assert pagina.status_code == 200
    for tekst in ("Advies voor casus VJ-2020-1", "Budget", "Totaal", "systeemgerichte hulp", "Uitleg"):
        assert tekst in pagina.text
    for stap in rij["advies"]["uitleg"]:
        assert stap["tekst"].split("'")[0][:30] in pagina.text.replace("&#39;", "'")


def test_advies_page_follows_the_api_readers(client: TestClient, app: FastAPI) -> None:
    adres = _verstuur(aanmelden(client, "indicatiesteller"), FORMULIER).headers["location"]
    client.cookies.clear()
    andere = aanmelden(client, "indicatiesteller_2").get(adres)
    assert andere.status_code == 404 and "Niet gevonden" in andere.text  # as if it did not exist
    client.cookies.clear()
    assert aanmelden(client, "hg_deskundige").get(adres).status_code == 200
    assert client.get("/advies/" + "0" * 32).status_code == 404


def test_the_form_asks_who_comes_along_into_a_facility(client: TestClient, app: FastAPI) -> None:
    """`verblijft_mee` is a choice per member: the rules' default, yes or no (domain.md, round two)."""
    aanmelden(client, "indicatiesteller")
    formulier = client.get("/advies/nieuw").text
    assert 'name="leden-0-verblijft_mee"' in formulier and 'value="nee"' in formulier
    intramuraal = {k: v for k, v in FORMULIER.items() if k != "woonsituatie-zelfstandig_wonen_veilig"}
    response = _verstuur(client, intramuraal | {"leden-3-verblijft_mee": "nee"})
    assert response.status_code == 303, response.text
    [rij] = rows(app, "advies")
    assert rij["advies"]["perceel"] == "intramuraal"
    # moeder comes along by default; zoon stays home as entered; vader does not cooperate
    assert rij["advies"]["budget"]["verblijf"] == {"volwassen_clienten": 1, "meekomende_kinderen": 0}
    fout = _verstuur(client, intramuraal | {"leden-3-verblijft_mee": "misschien"})
    assert fout.status_code == 422 and 'id="fout-leden-3-verblijft_mee"' in fout.text


def test_the_form_refuses_unknown_fields_and_never_drops_a_row(client: TestClient, app: FastAPI) -> None:
    """attacks-2026-12.log, web-input: extra fields naam/bsn/adres, and a member in row 36 (beyond 30 rows)."""
    aanmelden(client, "indicatiesteller")
    extra = _verstuur(client, FORMULIER | {"naam": "J. Jansen", "bsn": "123456782", "leden-0-naam": "Jansen"})
    assert extra.status_code == 422 and "directe identificatie" in extra.text
    assert "Jansen" not in extra.text and "123456782" not in extra.text
    onbekend = _verstuur(client, FORMULIER | {"opmerking": "iets"})
    assert onbekend.status_code == 422 and "onbekend veld in het formulier" in onbekend.text
    rij36 = _verstuur(client, FORMULIER | {"leden-35-id": "pleger2", "leden-35-leeftijd": "40"})
    assert rij36.status_code == 422 and "te veel gezinsleden" in rij36.text
    assert rows(app, "advies") == []
    naam = _verstuur(client, FORMULIER | {"leden-0-id": "Fatima"})
    assert naam.status_code == 422 and "lijkt een persoonsnaam te bevatten" in naam.text and "Fatima" not in naam.text
    assert rows(app, "advies") == []


def test_the_served_app_ignores_forwarded_addresses_from_untrusted_clients(eigen_server: str) -> None:
    """attacks-2026-12.log, ratelimit: 30 failed sign-ins, each with another X-Forwarded-For, were never limited
    (uvicorn trusted 127.0.0.1 as a proxy). Without HG_TRUSTED_PROXIES the header is ignored."""
    import httpx

    with httpx.Client(base_url=eigen_server, follow_redirects=False) as http:
        statussen = []
        for i in range(12):
            pagina = http.get("/aanmelden")
            token = csrf(pagina.text)
            antwoord = http.post("/aanmelden", data={"csrf": token, "sleutel": "fout-fout-fout-fout-1234"},
                                 headers={"X-Forwarded-For": f"10.9.9.{i}"})
            statussen.append(antwoord.status_code)
    assert statussen[-1] == 429, statussen
