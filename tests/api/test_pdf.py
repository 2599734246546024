"""GET /v1/advies/{advies_id}/pdf (issue 12, contract "The advies as a document"): a real PDF made by WeasyPrint,
its text read back with pypdf: the casus as entered, the advies, the explanation with sources, the besluit with
its reason, times in Europe/Amsterdam; the same roles and the same 404 as GET /v1/advies/{advies_id}; audited."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.auth import key_id
from api.pdf import geen_ophalen
from api.web.casus_tekst import tijdstip
from api.web.pagina import HIER
from tests.api.helpers import KEYS, auth, besluit_zoals, fouten, post_advies, rows
from tests.api.test_audit import lines

REDEN = "Pleger blijft dreigen; zwaarder pakket nodig."


def pdf(client: TestClient, advies_id: str, principal: str = "indicatiesteller") -> Any:
    return client.get(f"/v1/advies/{advies_id}/pdf", headers=auth(principal))


def tekst(inhoud: bytes) -> str:
    """The PDF's text on one line: words split over a line break after a hyphen joined again."""
    ruw = "\n".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(inhoud)).pages)
    return " ".join(re.sub(r"-\s*\n\s*", "-", ruw).split())


def test_the_pdf_holds_the_casus_the_advies_its_sources_and_local_times(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    response = pdf(client, advies["advies_id"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="advies-VJ-2020-1.pdf"'
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    gelezen = tekst(response.content)

    assert "Advies HG-arrangement — casus VJ-2020-1" in gelezen  # the running header
    assert f"Pagina 1 van {len(reader.pages)}" in gelezen and f"Pagina {len(reader.pages)} van" in gelezen
    # the casus as entered: the members with their role and age, the safety and the skills
    for woorden in ("De casus zoals ingevoerd", "moeder slachtoffer 36 jaar", "vader pleger 38 jaar",
                    "zoon getuige 6 jaar", "Veiligheidsniveau hoog", "Vaardigheden beperkt", "Intieme terreur ja",
                    "Vormen van geweld fysiek en psychisch", "Signalen verslaving", "Peildatum 1 september 2021"):
        assert woorden in gelezen, woorden
    # the advies in Dutch
    assert "Route: HG-arrangement" in gelezen and "Perceel: extramuraal" in gelezen and "Pakket: 3" in gelezen
    assert advies["samenvatting"] in gelezen
    assert "systeemgerichte hulp, niet ingezet: intieme terreur" in gelezen
    # the explanation with its sources, the document named
    assert "Uitleg met bronnen" in gelezen
    assert "Bron: Bijlage 1. Consultatiedocument HG-arrangementen, 1.5. HG pakketten (002 §1.5)" in gelezen
    assert advies["uitleg"][0]["tekst"][:60] in gelezen
    # when it was given, in Dutch local time; never UTC and never a code of the contract
    [rij] = rows(app, "advies")
    assert f"Gegeven op {tijdstip(rij['aangemaakt'])}" in gelezen
    assert "UTC" not in gelezen and "hg_arrangement" not in gelezen and "true" not in gelezen
    assert "Er is nog geen besluit vastgelegd." in gelezen


def test_the_pdf_holds_the_besluit_with_its_reason(client: TestClient, app: FastAPI) -> None:
    advies = post_advies(client)
    besluit = client.post(f"/v1/advies/{advies['advies_id']}/besluit", headers=auth("indicatiesteller"),
                          json=besluit_zoals(advies, pakket=2, reden=REDEN))
    assert besluit.status_code == 201, besluit.text
    gelezen = tekst(pdf(client, advies["advies_id"], "hg_deskundige").content)
    [rij] = rows(app, "besluit")
    assert f"Besluit van {tijdstip(rij['aangemaakt'])}" in gelezen
    assert "Afwijking van het advies: pakket" in gelezen
    assert f"Reden of toelichting: {REDEN}" in gelezen
    assert "Er is nog geen besluit vastgelegd." not in gelezen


@pytest.mark.parametrize(("principal", "status"), [("hg_deskundige", 200), ("beheerder", 200),
                                                   ("indicatiesteller_2", 404), ("beleidsmaker", 403)])
def test_the_pdf_has_the_roles_of_get_advies(client: TestClient, principal: str, status: int) -> None:
    advies_id = post_advies(client)["advies_id"]
    response = pdf(client, advies_id, principal)
    assert response.status_code == status, response.text
    gewoon = client.get(f"/v1/advies/{advies_id}", headers=auth(principal))
    assert gewoon.status_code == status
    if status != 200:  # the same error as GET /v1/advies/{id}: another's advies is "not found", never "forbidden"
        assert fouten(response, status) == fouten(gewoon, status)
    else:
        assert response.content.startswith(b"%PDF-")


def test_the_pdf_needs_a_key_and_a_known_advies(client: TestClient) -> None:
    advies_id = post_advies(client)["advies_id"]
    assert fouten(client.get(f"/v1/advies/{advies_id}/pdf"), 401)
    assert fouten(client.get(f"/v1/advies/{advies_id}/pdf", headers={"Authorization": "Bearer fout-fout-fout-fout"}),
                  401)
    assert fouten(pdf(client, "0" * 32, "hg_deskundige"), 404)
    assert fouten(pdf(client, "niet-een-id", "hg_deskundige"), 404)


def test_every_pdf_read_is_audited(client: TestClient, app: FastAPI) -> None:
    advies_id = post_advies(client)["advies_id"]
    assert pdf(client, advies_id).status_code == 200
    assert pdf(client, advies_id, "indicatiesteller_2").status_code == 404
    found = lines(app, advies_id, "pdf_gelezen")
    assert [(r["rol"], r["status"], r["key_id"]) for r in found] == [
        ("indicatiesteller", 200, key_id(KEYS["indicatiesteller"])),
        ("indicatiesteller", 403, key_id(KEYS["indicatiesteller_2"]))]
    assert all(r["request_id"] for r in found)


def test_the_pdf_never_fetches_anything() -> None:
    """The template names no URL, and the fetcher WeasyPrint gets refuses every one (no network, no file)."""
    sjabloon = (HIER / "templates" / "advies_pdf.html").read_text(encoding="utf-8")
    for deel in ("http:", "https:", "url(", "src=", "href=", "@import", "<link", "<script"):
        assert deel not in sjabloon, deel
    for url in ("http://127.0.0.1:9/x.css", "https://example.org/logo.png", "file:///etc/passwd", "data:,x"):
        with pytest.raises(ValueError):
            geen_ophalen().fetch(url)
