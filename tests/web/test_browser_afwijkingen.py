"""Real-browser journey of the beleidsmaker: read the deviation statistics, per field the rules behind it and
the professionals' reasons, and per rule its reasons and the HG-deskundigen's comments.

The adviezen, besluiten and review are made over the API (as the indicatiestellers' and deskundigen's systems
would), on the same real server (HG_MINIMUM_AANTAL 1 there: the journeys read the statistics after one besluit;
the minimum itself is tested in tests/api/test_statistiek_herkomst.py). Every page state is checked by
`controleer` (axe-core at 1280 and 390 px, no sideways scroll at 390 px).
"""

from __future__ import annotations

from typing import Any

from tests.voorbeelden import VOORBEELD
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser, api_post

REDEN_PERCEEL = "Nabijheid van 24-uursondersteuning is nodig voor de veiligheid."
REDEN_PAKKET = "Het gezin werkt beter mee dan ingeschat."
TOELICHTING = "De vaardigheden zijn overschat."


def _besluit(server: str, advies: dict[str, Any], **wijziging: Any) -> None:
    body = {"route": advies["route"], "perceel": advies["perceel"], "pakket": advies["pakket"],
            "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]], **wijziging}
    antwoord = api_post(server, f"/v1/advies/{advies['advies_id']}/besluit", "indicatiesteller", body)
    assert antwoord["afwijkingen"], antwoord


def test_read_the_deviations_per_field_and_rule_with_the_reasons(browser: Any, server: str) -> None:
    a = api_post(server, "/v1/advies", "indicatiesteller", {**VOORBEELD, "casus_id": "AFWIJKING-1"})
    b = api_post(server, "/v1/advies", "indicatiesteller", {**VOORBEELD, "casus_id": "AFWIJKING-2"})
    assert a["perceel"] == "extramuraal" and a["pakket"] == 3
    _besluit(server, a, perceel="semimuraal", reden=REDEN_PERCEEL)
    _besluit(server, b, pakket=2, reden=REDEN_PAKKET)
    api_post(server, f"/v1/advies/{b['advies_id']}/review", "hg_deskundige", {"oordeel": "oneens", "stappen": [
        {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": TOELICHTING}]})

    pagina = aanmelden_in_browser(browser, server, "beleidsmaker", "/afwijkingen")
    try:
        assert pagina.get_by_role("heading", name="Afwijkingen van het advies", level=1).is_visible()
        controleer(pagina, "afwijkingen")

        # Per field: the perceel deviation, the rules that shaped the perceel, and its reason only.
        perceel = pagina.get_by_role("region", name="Perceel", exact=True)
        tekst = perceel.inner_text()
        assert REDEN_PERCEEL in tekst and REDEN_PAKKET not in tekst
        regels = perceel.get_by_role("table").locator("tbody th").all_inner_texts()
        assert "perceel.extramuraal" in regels and "toegang.hg_arrangement" in regels
        assert "lid.kind" not in regels and "duur.richtlijn" not in regels and "pakket.matrix" not in regels
        pakket = pagina.get_by_role("region", name="Pakket", exact=True)
        assert REDEN_PAKKET in pakket.inner_text() and REDEN_PERCEEL not in pakket.inner_text()
        perceel.screenshot(path=str(ARTEFACTEN / "afwijkingen-perceel.png"))

        # Per rule: lid.kind fired in both adviezen, but neither deviation counts against it.
        tabel = pagina.get_by_role("region", name="Afwijkingen per regel")
        kind = tabel.get_by_role("row").filter(has=pagina.locator("code", has_text="lid.kind"))
        cellen = kind.get_by_role("cell").all_inner_texts()
        assert cellen[1] == "0" and cellen[2].strip().endswith("0,0%")
        assert cellen[4] == "geen van deze onderdelen"
        matrix = tabel.get_by_role("row").filter(has=pagina.locator("code", has_text="pakket.matrix"))
        assert matrix.get_by_role("cell").all_inner_texts()[4] == "pakket"

        # Open a rule's reasons and the deskundige's comment.
        details = pagina.locator("details", has=pagina.locator("summary code", has_text="pakket.matrix"))
        details.locator("summary").click()
        assert details.get_by_text(REDEN_PAKKET).is_visible()
        assert details.get_by_text(TOELICHTING).is_visible()
        assert REDEN_PERCEEL not in details.inner_text()
        details.screenshot(path=str(ARTEFACTEN / "afwijkingen-regel.png"))
        controleer(pagina, "afwijkingen-regel-open")

        # Nothing ties a reason to its advies or casus.
        inhoud = pagina.content()
        for geheim in ("AFWIJKING-1", "AFWIJKING-2", a["advies_id"], b["advies_id"]):
            assert geheim not in inhoud, geheim
        pagina.screenshot(path=str(ARTEFACTEN / "afwijkingen.png"), full_page=True)
    finally:
        pagina.context.close()
