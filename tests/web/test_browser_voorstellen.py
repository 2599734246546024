"""Real-browser journey of the beleidsmaker (issue 13): the deviations propose the next scenario.

Three besluiten give pakket 3 where the advies says pakket 2; the beleidsmaker goes from the afwijkingen to the
proposals, reads the best one in words, opens it with "Dit voorstel afspelen" in the scenario editor (the
parameter filled in) and replays it over the casuïstiek. axe-core at 1280 and 390 px on both pages.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.voorbeelden import VOORBEELD
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post


def _afwijkende_besluiten(server: str, n: int) -> None:
    for i in range(n):
        casus = copy.deepcopy(VOORBEELD)
        casus["casus_id"] = f"RT-2026-{i:04d}"
        casus["veiligheid"] = {"niveau": "midden", "acuut": False}  # midden x beperkt: pakket 2
        advies = api_post(server, "/v1/advies", "indicatiesteller", casus)
        assert advies["pakket"] == 2
        api_post(server, f"/v1/advies/{advies['advies_id']}/besluit", "indicatiesteller", {
            "route": advies["route"], "perceel": advies["perceel"], "pakket": 3, "maatwerk": [],
            "reden": "Zwaarder pakket nodig: de dreiging neemt toe."})


def test_open_the_proposals_and_replay_one(browser: Any, eigen_server: str) -> None:
    _afwijkende_besluiten(eigen_server, 3)
    pagina = aanmelden_in_browser(browser, eigen_server, "beleidsmaker", "/afwijkingen")
    try:
        pagina.get_by_role("link", name="Voorstellen uit de afwijkingen").click()
        pagina.wait_for_url("**/voorstellen")
        assert pagina.get_by_role("heading", name="Voorstellen uit de afwijkingen").is_visible()
        kop = pagina.get_by_role("heading", name="midden / beperkt: pakket 3 in plaats van pakket 2")
        assert kop.is_visible()
        voorstel = pagina.locator("ol.voorstellen > li", has=kop)
        assert "3 besluiten meer, 0 besluiten minder" in voorstel.inner_text()
        pagina.screenshot(path=str(ARTEFACTEN / "voorstellen.png"), full_page=True)
        controleer(pagina, "voorstellen")

        voorstel.get_by_role("link", name="Dit voorstel afspelen").click()
        pagina.wait_for_url("**/scenarios/nieuw?voorstel=*")
        assert pagina.get_by_label("pakket_matrix.midden.beperkt", exact=True).input_value() == "3"
        assert pagina.get_by_label("Naam", exact=True).input_value() == "voorstel-pakket_matrix.midden.beperkt-3"
        controleer(pagina, "voorstel-scenario")
        pagina.get_by_role("button", name="Afspelen over de casuïstiek").click()
        pagina.wait_for_url("**/replay/*")
        pagina.get_by_role("heading", name="Kerncijfers").wait_for(timeout=90_000)
        assert "pakket_matrix.midden.beperkt" in pagina.locator("main").inner_text()
        pagina.screenshot(path=str(ARTEFACTEN / "voorstel-replay.png"), full_page=True)
    finally:
        pagina.context.close()
