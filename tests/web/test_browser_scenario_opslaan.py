"""Real-browser journey of the beleidsmaker: write an added rule with the form, save the scenario, save it again,
reopen the first version from the list of versions and download it as YAML. The real server (`hg-advies serve`),
Debian's Chromium; every page checked with axe-core at 1280 and 390 px (tests/web/axe.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from engine.scenario import lees_scenario
from rules import standaard_engine
from tests.web.axe import controleer
from tests.web.conftest import ARTEFACTEN, aanmelden_in_browser

NAAM = "ggz-zwaarder-journey"


def test_write_an_added_rule_save_reopen_a_version_and_download_it(browser: Any, server: str,
                                                                    tmp_path: Path) -> None:
    pagina = aanmelden_in_browser(browser, server, "beleidsmaker", "/scenarios")
    try:
        assert pagina.get_by_role("heading", name="Opgeslagen scenario's").is_visible()
        controleer(pagina, "opslaan-lijst")
        pagina.get_by_role("link", name="Nieuw scenario").first.click()
        pagina.wait_for_url("**/scenarios/nieuw")
        pagina.get_by_label("Naam", exact=True).fill(NAAM)
        pagina.get_by_label("Beschrijving").fill("Ggz met een verhoogd risico zwaarder")

        # An added rule: the form grows by buttons, keeping what was typed.
        pagina.locator("#regels_bij > summary").click()
        pagina.get_by_role("button", name="Regel toevoegen").click()
        pagina.get_by_label("Id van regel 1").fill("scenario.ggz_zwaarder")
        pagina.get_by_label("Veld van voorwaarde 1").select_option("signalen")
        pagina.get_by_label("Toets van voorwaarde 1").select_option("bevat")
        pagina.get_by_label("Waarde van voorwaarde 1").fill("gzg")  # a typo: refused at that input
        pagina.get_by_role("button", name="Voorwaarde toevoegen aan regel 1").click()
        assert pagina.get_by_label("Naam", exact=True).input_value() == NAAM
        assert pagina.get_by_label("Waarde van voorwaarde 1").input_value() == "gzg"
        pagina.get_by_label("Veld van voorwaarde 2").select_option("veiligheid.niveau")
        pagina.get_by_label("Toets van voorwaarde 2").select_option("in")
        pagina.get_by_label("Waarde van voorwaarde 2").fill("midden; hoog")
        pagina.get_by_label("Gevolg 1", exact=True).select_option("minimum_pakket")
        pagina.get_by_label("Waarde van gevolg 1").fill("3")
        pagina.get_by_label("Tekst van regel 1").fill(
            "Bij ggz-problematiek en een verhoogd veiligheidsrisico minimaal pakket 3.")
        pagina.get_by_label("Bron van regel 1").fill("003 §3.4")
        pagina.get_by_role("button", name="Scenario opslaan").click()

        assert pagina.locator("#foutsamenvatting").is_visible()
        waarde = pagina.get_by_label("Waarde van voorwaarde 1")
        assert waarde.get_attribute("aria-invalid") == "true"
        fout_id = (waarde.get_attribute("aria-describedby") or "").split()[0]
        assert "Onbekende waarde 'gzg'" in pagina.locator(f"#{fout_id}").inner_text()
        pagina.screenshot(path=str(ARTEFACTEN / "regel-bij-fout.png"), full_page=True)
        controleer(pagina, "regel-bij-fout")

        waarde.fill("psychische problemen (ggz)")
        pagina.get_by_role("button", name="Scenario opslaan").click()
        pagina.wait_for_url(f"**/scenarios/opgeslagen/{NAAM}?versie=*&opgeslagen=1")
        assert pagina.get_by_role("status").inner_text() == "Het scenario is opgeslagen als versie 1."
        assert pagina.get_by_label("Waarde van voorwaarde 2").input_value() == "midden; hoog"
        controleer(pagina, "opgeslagen-versie-1")

        # Saved again with a parameter changed: version 2, and version 1 can be opened again.
        pagina.get_by_label("duur.richtlijn_maanden", exact=True).fill("18")
        pagina.get_by_role("button", name="Scenario opslaan").click()
        pagina.wait_for_url(f"**/scenarios/opgeslagen/{NAAM}?versie=2&opgeslagen=1")
        versies = pagina.get_by_role("region", name="Versies", exact=True)
        assert "Versie 1 openen" in versies.inner_text() and "Versie 2" in versies.inner_text()
        controleer(pagina, "opgeslagen-versie-2")
        pagina.get_by_role("link", name="Versie 1 openen").click()
        pagina.wait_for_url(f"**/scenarios/opgeslagen/{NAAM}?versie=1")
        assert pagina.get_by_label("duur.richtlijn_maanden", exact=True).input_value() == ""
        assert pagina.get_by_label("Id van regel 1").input_value() == "scenario.ggz_zwaarder"

        # Downloaded as YAML, the file reads back as the CLI reads a scenario.
        with pagina.expect_download() as download:
            pagina.get_by_role("link", name=f"{NAAM}-v1.yaml").click()
        assert download.value.suggested_filename == f"{NAAM}-v1.yaml"
        bestand = tmp_path / download.value.suggested_filename
        download.value.save_as(bestand)
        data = yaml.safe_load(bestand.read_text(encoding="utf-8"))
        assert data["regels_bij"][0]["wanneer"] == {"signalen": {"bevat": "ggz"},
                                                    "veiligheid.niveau": {"in": ["midden", "hoog"]}}
        assert lees_scenario(bestand, standaard_engine()).regels_bij[0].id == "scenario.ggz_zwaarder"

        pagina.get_by_role("link", name="Scenario's", exact=True).first.click()
        lijst = pagina.locator("section", has=pagina.get_by_role("heading", name="Opgeslagen scenario's"))
        assert NAAM in lijst.inner_text() and "de nieuwste van 2 versies" in lijst.inner_text()
        pagina.screenshot(path=str(ARTEFACTEN / "opgeslagen-lijst.png"), full_page=True)
        controleer(pagina, "opgeslagen-lijst")
    finally:
        pagina.context.close()
