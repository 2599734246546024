"""The advies page as the professional's document (issue 12): the samenvatting first, then the casus as entered, the
outcome, budget, resultaatgebieden, explanation and besluit; every time in Europe/Amsterdam; the print stylesheet;
"Download als pdf" for the signed-in session."""

from __future__ import annotations

import datetime as dt
import io
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.web.pagina import lokale_tijd
from tests.api.helpers import auth, besluit_zoals, post_advies, rows
from tests.web.conftest import aanmelden

REDEN = "Pleger blijft dreigen; zwaarder pakket nodig."


def _zichtbaar(html: str) -> str:
    """The page's text without tags, styles or scripts, on one line."""
    zonder = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", zonder).split())


def test_the_advies_page_shows_the_casus_as_entered_after_the_samenvatting(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    aanmelden(client, "indicatiesteller")
    html = client.get(f"/advies/{advies['advies_id']}").text
    tekst = _zichtbaar(html)
    volgorde = ["samenvatting", "casus", "uitkomst", "budget", "resultaatgebieden", "uitleg", "besluit"]
    plekken = [html.index(f'<h2 id="kop-{kop}">') for kop in volgorde]
    assert plekken == sorted(plekken), dict(zip(volgorde, plekken, strict=True))
    for woorden in ("moeder slachtoffer 36 jaar ja ja standaard", "vader pleger 38 jaar ja nee standaard",
                    "zoon getuige 6 jaar", "Veiligheidsniveau hoog", "Acuut gevaar nee", "Vaardigheden beperkt",
                    "Intieme terreur ja", "Vormen van geweld fysiek en psychisch", "Bestaande Wmo-zorg geen",
                    "Signalen verslaving", "Verwachte duur 12 maanden", "Specialistische hulp nodig ja",
                    "Zelfstandig wonen is veilig ja", "Peildatum 1 september 2021"):
        assert woorden in tekst, woorden
    # the detail steps are folded, the hoofdlijn steps are not; sources name their document
    assert re.search(r"<details>\s*<summary>Details \(\d+ stappen\)", html)
    assert "Bron: Bijlage 1. Consultatiedocument HG-arrangementen, 1.5. HG pakketten (002 §1.5)" in tekst
    # the place for the earlier adviezen of the casus, right after the besluit
    assert html.index("<!-- geschiedenis") > html.index('id="besluit"')
    assert f'href="/advies/{advies["advies_id"]}/pdf"' in html and "Download als pdf" in tekst


def test_every_time_on_the_advies_pages_is_local(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    advies_id = advies["advies_id"]
    besluit = client.post(f"/v1/advies/{advies_id}/besluit", headers=auth("indicatiesteller"),
                          json=besluit_zoals(advies, pakket=2, reden=REDEN))
    assert besluit.status_code == 201, besluit.text
    [advies_rij] = rows(app, "advies")
    [besluit_rij] = rows(app, "besluit")
    aanmelden(client, "indicatiesteller")
    pagina = _zichtbaar(client.get(f"/advies/{advies_id}").text)
    lijst = _zichtbaar(client.get("/adviezen").text)
    onderbouwing = _zichtbaar(client.get(f"/advies/{advies_id}/onderbouwing").text)
    for tekst in (pagina, lijst, onderbouwing):
        assert "UTC" not in tekst
    gegeven = lokale_tijd(advies_rij["aangemaakt"])
    assert f"om {gegeven[-5:]}" in pagina and gegeven in lijst and gegeven in onderbouwing
    assert f"{lokale_tijd(besluit_rij['aangemaakt'])} HG-arrangement extramuraal 2" in pagina
    assert REDEN in pagina and "geen: akkoord" not in pagina


def test_local_time_follows_summer_and_winter_time() -> None:
    assert lokale_tijd(dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC)) == "01-12-2026 10:05"  # CET, +1
    assert lokale_tijd(dt.datetime(2026, 7, 1, 9, 5)) == "01-07-2026 11:05"  # CEST, +2 (SQLite: naive UTC)


def test_the_pdf_link_gives_the_pdf_for_the_session(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    assert client.get(f"/advies/{advies_id}/pdf", follow_redirects=False).headers["location"].startswith("/aanmelden")
    aanmelden(client, "hg_deskundige")
    response = client.get(f"/advies/{advies_id}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="advies-VJ-2020-1.pdf"'
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "VJ-2020-1" in tekst
    [regel] = [r for r in rows(app, "audit") if r["actie"] == "pdf_gelezen"]
    assert regel["rol"] == "hg_deskundige" and regel["status"] == 200 and regel["advies_id"] == advies_id
    aanmelden(client, "indicatiesteller_2")  # another indicatiesteller: not found, as a Dutch page
    anders = client.get(f"/advies/{advies_id}/pdf")
    assert anders.status_code == 404 and anders.headers["content-type"].startswith("text/html")
    aanmelden(client, "beleidsmaker")
    assert client.get(f"/advies/{advies_id}/pdf").status_code == 403


def test_the_print_stylesheet_hides_the_menu_and_the_forms(client: TestClient) -> None:
    css = client.get("/static/stijl.css").text
    druk = css[css.index("@media print"):]
    for deel in (".kop", "a.overslaan", "form", "button", "display: none", "size: A4"):
        assert deel in druk, deel
    assert "alleen-print" in css


def test_no_page_shows_utc_times() -> None:
    """Every page shows Europe/Amsterdam time (the `lokale_tijd` filter); only the API keeps ISO UTC."""
    from api.web.pagina import HIER

    for sjabloon in sorted((HIER / "templates").glob("*.html")):
        tekst = sjabloon.read_text(encoding="utf-8")
        assert "UTC" not in tekst and 'strftime("%d-%m-%Y %H:%M")' not in tekst, sjabloon.name
