"""The page "Voorstellen" (issue 13) without a browser: who may open it, what it says, a bad period, and the
proposal handed to the scenario editor (`?voorstel=`)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from api.schemas import VoorstelScenario
from api.web.voorstellen import lees_voorstel, voorstel_code
from tests.api.helpers import auth, besluit_zoals, casus, post_advies
from tests.test_taal import hunspell_nl  # noqa: F401  (fixture)
from tests.test_voorstellen import onbekende_woorden
from tests.web.conftest import aanmelden

MIDDEN = {"niveau": "midden", "acuut": False}


def _afwijkend(client: TestClient, n: int) -> None:
    for i in range(n):
        advies = post_advies(client, casus(casus_id=f"RT-2026-{i:04d}", veiligheid=MIDDEN))
        besluit = besluit_zoals(advies, pakket=3, reden="Zwaarder pakket nodig: de dreiging neemt toe.")
        response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit,
                               headers=auth("indicatiesteller"))
        assert response.status_code == 201, response.text


def test_only_the_beleidsmaker_opens_it(client: TestClient) -> None:
    pagina = aanmelden(client, "indicatiesteller").get("/voorstellen")
    assert pagina.status_code == 403


def test_the_page_says_each_proposal_in_words_and_opens_it_in_the_editor(client: TestClient) -> None:
    _afwijkend(client, 3)
    browser = aanmelden(client, "beleidsmaker")
    assert 'href="/voorstellen"' in browser.get("/afwijkingen").text
    pagina = browser.get("/voorstellen")
    assert pagina.status_code == 200
    tekst = pagina.text
    assert "Pakketzwaarte (1-3) uit de combinatie van veiligheid en vaardigheden/leerbaarheid, midden / beperkt: " \
           "pakket 3 in plaats van pakket 2." in tekst
    assert "3 besluiten meer, 0 besluiten minder" in tekst and "uur meer per week" in tekst
    assert "niet te berekenen: er is nog geen tarief vastgesteld" in tekst
    assert "RT-2026-0000" not in tekst  # no casus id
    codes = re.findall(r'href="/scenarios/nieuw\?voorstel=([A-Za-z0-9_-]+)"', tekst)
    assert codes
    editor = browser.get(f"/scenarios/nieuw?voorstel={codes[0]}")
    assert editor.status_code == 200
    data = lees_voorstel(codes[0])
    assert data is not None and data["naam"] in editor.text
    pad, waarde = next(iter(data["parameters"].items()))
    veld = re.search(rf'<input[^>]*name="par-{re.escape(pad.replace(".", "-"))}"[^>]*>', editor.text)
    assert veld and f'value="{waarde}"' in veld.group(0)


def test_a_bad_period_is_said_at_its_field(client: TestClient) -> None:
    pagina = aanmelden(client, "beleidsmaker").get("/voorstellen", params={"van": "2026-02-01", "tot": "2026-01-01"})
    assert pagina.status_code == 422
    assert 'aria-invalid="true"' in pagina.text and "eindigt vóór ze begint" in pagina.text


def test_a_proposal_code_round_trips_and_anything_else_is_ignored() -> None:
    scenario = VoorstelScenario(naam="voorstel-pakket_matrix.midden.beperkt-3", beschrijving="Pakket 3.",
                                bron="002 §1.5", parameters={"pakket_matrix.midden.beperkt": 3})
    assert lees_voorstel(voorstel_code(scenario)) == scenario.model_dump()
    slecht: list[Any] = ["", "!!!", "x" * 5000, voorstel_code(scenario)[:-3] + "@@@"]
    assert all(lees_voorstel(code) is None for code in slecht)
    lijst = VoorstelScenario(naam="x", beschrijving="", bron="", parameters={})
    assert lees_voorstel(voorstel_code(lijst)) == lijst.model_dump()


def _zichtbare_tekst(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    zonder = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", zonder))


def test_the_page_is_dutch(client: TestClient, hunspell_nl: None) -> None:  # noqa: F811  (the fixture)
    browser = aanmelden(client, "beleidsmaker")
    leeg = _zichtbare_tekst(browser.get("/voorstellen").text)  # nothing decided yet
    _afwijkend(client, 3)
    # hoog x beperkt given pakket 2: a proposal that lightens high-risk households, with its warning
    for i in range(3):
        advies = post_advies(client, casus(casus_id=f"RT-2026-{50 + i:04d}"))
        response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", headers=auth("indicatiesteller"),
                               json=besluit_zoals(advies, pakket=2, reden="Lichter pakket past beter."))
        assert response.status_code == 201, response.text
    vol = _zichtbare_tekst(browser.get("/voorstellen").text)
    assert "Let op: met dit voorstel krijgen huishoudens" in vol
    fout = _zichtbare_tekst(browser.get("/voorstellen", params={"van": "gisteren"}).text)
    assert "JJJJ-MM-DD" in fout  # the format of a date, not a word: left out of the spelling
    assert onbekende_woorden([leeg, vol, fout.replace("JJJJ-MM-DD", "")]) == []
