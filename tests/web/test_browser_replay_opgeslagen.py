"""Real-browser journey (issue 13): a beleidsmaker replays a scenario over the stored adviezen of a period and
reads the agreement with the professionals' besluiten before and after; small counts show as a dash. The real
server (`hg-advies serve`, its own database, HG_MINIMUM_AANTAL 5), Debian's Chromium; axe-core at 1280 and 390 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.casus import parse_casus
from engine.evaluate import evaluate
from engine.replay import scenario_rulesets
from engine.scenario import scenario_uit
from rules import standaard_engine
from tests.api.helpers import CASUSSEN, load_casus
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post, start_server

PARAMETER = "pakket_matrix.midden.voldoende"


@pytest.fixture
def server_met_minimum(tmp_path: Path) -> Iterator[str]:
    yield from start_server(tmp_path, {"HG_MINIMUM_AANTAL": "5"})


def _vul(server: str) -> dict[str, int]:
    """16 stored adviezen with a besluit each: two follow the advies only after the scenario, five deviate from
    it before and after, the rest follow it. Returns the counts the report must show."""
    engine = standaard_engine()
    scenario = scenario_uit({"naam": "x", "parameters": {PARAMETER: 3}}, engine)
    tel = {"vergeleken": 0, "voor": 0, "na": 0}
    afwijkend = 0
    for pad in CASUSSEN[:16]:
        data = load_casus(pad)
        advies = api_post(server, "/v1/advies", "indicatiesteller", data)
        casus = parse_casus(data)
        basis, anders = scenario_rulesets(engine, scenario, casus.peildatum)
        na = evaluate(casus, anders)
        pakket = advies["pakket"]
        if na["pakket"] != advies["pakket"]:
            pakket = na["pakket"]  # the professional indicated what the scenario would advise
        elif advies["pakket"] is not None and afwijkend < 5:
            pakket = next(p for p in (1, 2, 3) if p != advies["pakket"])
            afwijkend += 1
        besluit = {"route": advies["route"], "perceel": advies["perceel"], "pakket": pakket,
                   "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]]}
        if pakket != advies["pakket"]:
            besluit["reden"] = "Een ander pakket past beter bij dit gezin."
        api_post(server, f"/v1/advies/{advies['advies_id']}/besluit", "indicatiesteller", besluit)
        tel["vergeleken"] += 1
        tel["voor"] += pakket == advies["pakket"]
        tel["na"] += pakket == na["pakket"]
    assert afwijkend == 5
    return tel


def test_replay_over_the_stored_adviezen_of_a_period_and_read_the_agreement(browser: Any,
                                                                          server_met_minimum: str) -> None:
    server = server_met_minimum
    verwacht = _vul(server)
    assert verwacht["voor"] < verwacht["na"]
    pagina = aanmelden_in_browser(browser, server, "beleidsmaker", "/scenarios/nieuw")
    try:
        pagina.get_by_label("Naam", exact=True).fill("midden-voldoende-pakket-3")
        pagina.get_by_label(PARAMETER, exact=True).fill("3")
        pagina.get_by_label("de opgeslagen adviezen").check()
        # a period that ends before it begins: the error at the field, the choices kept
        pagina.get_by_label("Periode van (mag leeg blijven)").fill("2026-12-31")
        pagina.get_by_label("tot en met (mag leeg blijven)").fill("2026-01-01")
        pagina.get_by_role("button", name="Afspelen over de casuïstiek").click()
        assert pagina.locator("#foutsamenvatting").is_visible()
        tot = pagina.get_by_label("tot en met (mag leeg blijven)")
        assert tot.get_attribute("aria-invalid") == "true"
        assert "De einddatum ligt vóór de begindatum." in pagina.locator("#fout-periode-tot").inner_text()
        assert pagina.get_by_label("de opgeslagen adviezen").is_checked()
        controleer(pagina, "replay-opgeslagen-fout")

        # from 1 January 2020, no end: every stored advies
        pagina.get_by_label("Periode van (mag leeg blijven)").fill("2020-01-01")
        tot.fill("")
        pagina.get_by_role("button", name="Afspelen over de casuïstiek").click()
        pagina.wait_for_url("**/replay/*")
        pagina.get_by_role("heading", name="Overeenkomst met de besluiten").wait_for(timeout=90_000)

        kerncijfers = pagina.locator(".kerncijfers").inner_text()
        assert "16\ncasussen" in kerncijfers
        assert "—\ngewijzigd" in kerncijfers  # two changed adviezen: fewer than 5, hidden
        besluiten = pagina.locator("section", has=pagina.get_by_role("heading", name="Overeenkomst met de besluiten"))
        rijen = [r.inner_text().split("\t") for r in besluiten.get_by_role("row").all()[1:]]
        assert [r[-1].strip() for r in rijen] == [str(verwacht["vergeleken"]), str(verwacht["voor"]),
                                                  str(verwacht["na"])]
        meer = verwacht["na"] - verwacht["voor"]
        assert f"Met het scenario volgt het advies {meer} besluiten meer." in besluiten.inner_text()
        assert "vanaf 1 januari 2020" in pagina.locator("main").inner_text()
        velden = pagina.locator("section", has=pagina.get_by_role("heading", name="Gewijzigde velden"))
        assert "pakket" in velden.get_by_role("table").inner_text().lower()
        assert "Een streepje (—)" in velden.inner_text()
        assert pagina.get_by_role("heading", name="Gewijzigde casussen").count() == 0
        main = pagina.locator("main").inner_text()
        assert "EIGEN-" not in main  # no casus id on the page
        pagina.screenshot(path=str(ARTEFACTEN / "replay-opgeslagen.png"), full_page=True)
        controleer(pagina, "replay-opgeslagen")

        pagina.get_by_role("link", name="Los rapport (HTML)").click()
        assert pagina.get_by_role("heading", name="Overeenkomst met de besluiten").is_visible()
        assert "EIGEN-" not in pagina.locator("body").inner_text()
        controleer(pagina, "replay-opgeslagen-los")
    finally:
        pagina.context.close()
