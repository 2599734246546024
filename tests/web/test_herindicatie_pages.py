"""Pages of issue 12: herindicatie (the form filled with an earlier casus, the history on the advies page),
finding work on /adviezen (partial, case-insensitive search; filters), back to the page asked for after
signing in (this site only), and feedback where the user looks (post-redirect-get, 422 with a focused summary)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web.pagina import volgende_pagina
from tests.api.helpers import KEYS, auth, casus, post_advies, rows
from tests.web.conftest import aanmelden, csrf


def _formulier(html: str) -> dict[str, Any]:
    """The fields the form would post (text and hidden inputs, checked boxes and radios, selected options)."""
    velden: dict[str, Any] = {}
    for tag in re.findall(r"<input [^>]*>", html):
        naam = re.search(r'name="([^"]+)"', tag)
        waarde = re.search(r'value="([^"]*)"', tag)
        if not naam:
            continue
        soort = re.search(r'type="([^"]+)"', tag)
        if soort and soort.group(1) in ("checkbox", "radio") and "checked" not in tag:
            continue
        velden.setdefault(naam.group(1), []).append(waarde.group(1) if waarde else "")
    for naam, inhoud in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        gekozen = re.search(r'<option value="([^"]*)"\s*selected', inhoud)
        velden[naam] = [gekozen.group(1) if gekozen else ""]
    return velden


def test_herindicatie_opens_the_form_filled_and_links_the_new_advies(client: TestClient, app: FastAPI) -> None:
    eerste = post_advies(client)
    aanmelden(client, "indicatiesteller")
    pagina = client.get(f"/advies/{eerste['advies_id']}")
    assert f'href="/advies/{eerste["advies_id"]}/herindicatie"' in pagina.text and ">Herindicatie<" in pagina.text
    formulier = client.get(f"/advies/{eerste['advies_id']}/herindicatie")
    assert formulier.status_code == 200
    assert 'name="casus_id" value="VJ-2020-1"' in formulier.text
    assert f'name="vorig_advies_id" value="{eerste["advies_id"]}"' in formulier.text
    assert 'value="moeder"' in formulier.text and 'value="36"' in formulier.text
    velden = _formulier(formulier.text)
    assert velden["veiligheid-niveau"] == ["hoog"] and velden["vaardigheden"] == ["beperkt"]
    velden["veiligheid-niveau"] = ["laag"]
    velden["geweld-intieme_terreur"] = []
    response = client.post("/advies/nieuw", data=velden, follow_redirects=False)
    assert response.status_code == 303, response.text
    nieuw = rows(app, "advies")[-1] if rows(app, "advies")[-1]["id"] != eerste["advies_id"] else rows(app, "advies")[0]
    assert nieuw["advies"]["vorig_advies_id"] == eerste["advies_id"]
    assert nieuw["advies"]["ten_opzichte_van_vorige"]["richting"] == "afschalen"
    # the history on both pages, with the direction and the besluit
    pagina = client.get(response.headers["location"]).text
    assert "Deze casus door de tijd" in pagina and "Afgeschaald" in pagina and "pakket: 3 →" in pagina
    assert f'href="/advies/{eerste["advies_id"]}"' in pagina and "(dit advies)" in pagina
    assert "Nog geen besluit" in pagina


def test_herindicatie_keeps_the_casusnummer(client: TestClient) -> None:
    eerste = post_advies(client)
    aanmelden(client, "indicatiesteller")
    velden = _formulier(client.get(f"/advies/{eerste['advies_id']}/herindicatie").text)
    velden["casus_id"] = ["VJ-2020-2"]
    response = client.post("/advies/nieuw", data=velden)
    assert response.status_code == 422
    assert "houdt het casusnummer van het vorige advies (VJ-2020-1)" in response.text
    assert f'name="vorig_advies_id" value="{eerste["advies_id"]}"' in response.text


def test_herindicatie_of_an_advies_of_someone_else_is_not_found(client: TestClient) -> None:
    ander = post_advies(client, principal="indicatiesteller_2")
    aanmelden(client, "indicatiesteller")
    assert client.get(f"/advies/{ander['advies_id']}/herindicatie").status_code == 404
    aanmelden(client, "hg_deskundige")
    assert client.get(f"/advies/{ander['advies_id']}/herindicatie").status_code == 403


def test_search_is_partial_and_case_insensitive(client: TestClient) -> None:
    for nummer in ("RT-2026-0412", "rt-2026-0413", "AB_1"):
        post_advies(client, casus(casus_id=nummer))
    aanmelden(client, "hg_deskundige")

    def gevonden(zoek: str) -> set[str]:
        html = client.get("/adviezen", params={"casus": zoek}).text
        return set(re.findall(r'<th scope="row"><a href="/advies/[0-9a-f]{32}">([^<]+)</a>', html))

    assert gevonden("0412") == {"RT-2026-0412"}
    assert gevonden("rt-2026") == {"RT-2026-0412", "rt-2026-0413"}
    assert gevonden("_") == {"AB_1"}  # a LIKE wildcard is a plain character
    assert gevonden("%") == set()
    assert "Geen adviezen gevonden met ‘%’ in het casusnummer" in client.get("/adviezen?casus=%25").text


def test_filters_without_besluit_and_not_reviewed(client: TestClient) -> None:
    met_besluit = post_advies(client, casus(casus_id="MET-BESLUIT"))
    beoordeeld = post_advies(client, casus(casus_id="BEOORDEELD"))
    post_advies(client, casus(casus_id="NIETS"))
    besluit = {"route": met_besluit["route"], "perceel": met_besluit["perceel"], "pakket": met_besluit["pakket"],
               "maatwerk": [m["resultaatgebied"] for m in met_besluit["maatwerk"]]}
    assert client.post(f"/v1/advies/{met_besluit['advies_id']}/besluit", json=besluit,
                       headers=auth("indicatiesteller")).status_code == 201
    assert client.post(f"/v1/advies/{beoordeeld['advies_id']}/review", json={"oordeel": "eens"},
                       headers=auth("hg_deskundige")).status_code == 201
    aanmelden(client, "hg_deskundige")

    def gevonden(**params: str) -> set[str]:
        html = client.get("/adviezen", params=params).text
        return set(re.findall(r'<th scope="row"><a href="/advies/[0-9a-f]{32}">([^<]+)</a>', html))

    assert gevonden(zonder_besluit="ja") == {"BEOORDEELD", "NIETS"}
    assert gevonden(niet_beoordeeld="ja") == {"MET-BESLUIT", "NIETS"}
    assert gevonden(zonder_besluit="ja", niet_beoordeeld="ja") == {"NIETS"}
    assert gevonden(zonder_besluit="ja", casus="beoor") == {"BEOORDEELD"}
    html = client.get("/adviezen", params={"zonder_besluit": "ja"}).text
    assert 'name="zonder_besluit" value="ja" checked' in html


def test_after_sign_in_back_to_the_page_asked_for(client: TestClient) -> None:
    response = client.get("/adviezen?casus=0412", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/aanmelden?volgende=%2Fadviezen%3Fcasus%3D0412"
    pagina = client.get(response.headers["location"]).text
    assert 'name="volgende" value="/adviezen?casus=0412"' in pagina
    response = client.post("/aanmelden", data={"csrf": csrf(pagina), "sleutel": KEYS["hg_deskundige"],
                                               "volgende": "/adviezen?casus=0412"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/adviezen?casus=0412"


def test_sign_in_never_continues_to_another_site(client: TestClient) -> None:
    for doel in ("//evil.example", "https://evil.example/", "/\\evil.example", "evil.example", "/\t/evil.example",
                 "/aanmelden"):
        assert volgende_pagina(doel) is None, doel
        client.cookies.clear()
        pagina = client.get("/aanmelden", params={"volgende": doel}).text
        assert 'name="volgende"' not in pagina
        response = client.post("/aanmelden", data={"csrf": csrf(pagina), "sleutel": KEYS["indicatiesteller"],
                                                   "volgende": doel}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/advies/nieuw", doel
    assert volgende_pagina("/advies/nieuw") == "/advies/nieuw"


def test_besluit_post_redirect_get_with_its_message_in_the_section(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    aanmelden(client, "indicatiesteller")
    adres = f"/advies/{advies['advies_id']}"
    pagina = client.get(adres).text
    assert f'action="{adres}/besluit#besluit-fouten"' in pagina  # the summary's focusable heading
    response = client.post(f"{adres}/besluit", data={"csrf": csrf(pagina), "keuze": "akkoord"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{adres}?besluit=vastgelegd#besluit"
    html = client.get(response.headers["location"]).text
    sectie = html[html.index('id="besluit"'):]
    assert sectie.index("Het besluit is vastgelegd.") < sectie.index("</section>")
    assert len(rows(app, "besluit")) == 1


def test_besluit_without_its_reason_is_422_with_a_focused_summary(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    aanmelden(client, "indicatiesteller")
    adres = f"/advies/{advies['advies_id']}"
    response = client.post(f"{adres}/besluit", data={"csrf": csrf(client.get(adres).text), "keuze": "afwijken",
                                                     "route": advies["route"], "perceel": advies["perceel"] or "",
                                                     "pakket": "1"})
    assert response.status_code == 422
    sectie = response.text[response.text.index('id="besluit"'):]
    kop = re.search(r'<h3 id="besluit-fouten"[^>]*>', sectie)
    assert kop and 'tabindex="-1"' in kop.group(0) and "autofocus" in kop.group(0) and "data-fokus" in kop.group(0)
    assert sectie.index("Het besluit is niet vastgelegd") < sectie.index("<form")
    assert '<script src="/static/fokus.js"' in response.text and "<script>" not in response.text  # no inline script
    assert client.get("/static/fokus.js").status_code == 200
    assert rows(app, "besluit") == []


def test_review_post_redirect_get_and_422(client: TestClient) -> None:
    advies = post_advies(client)
    aanmelden(client, "hg_deskundige")
    adres = f"/advies/{advies['advies_id']}/onderbouwing"
    pagina = client.get(adres).text
    assert f'action="{adres}#review"' in pagina
    response = client.post(adres, data={"csrf": csrf(pagina)})  # no oordeel
    assert response.status_code == 422
    assert '<h3 id="review" tabindex="-1" autofocus data-fokus>' in response.text
    response = client.post(adres, data={"csrf": csrf(pagina), "oordeel": "eens"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("?review=vastgelegd#reviews")
    html = client.get(response.headers["location"]).text
    sectie = html[html.index('id="reviews"'):]
    assert "Uw review is vastgelegd." in sectie


def test_reopening_the_besluit_address_goes_to_the_page(client: TestClient) -> None:
    advies = post_advies(client)
    aanmelden(client, "indicatiesteller")
    response = client.get(f"/advies/{advies['advies_id']}/besluit", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/advies/{advies['advies_id']}#besluit"
    assert client.get("/advies/niet-een-id/besluit", follow_redirects=False).headers["location"] == "/adviezen"
