"""The standalone replay report with a scenario's added and switched-off rules (`regels_effect`, `regels_bij`) in a
real browser: axe-core clean at 1280 and 390 px, no sideways scroll on a phone (tests/web/axe.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rapport.html import html
from tests.test_scenario_regels import CASUSSEN, GGZ, NOOIT, _telling, scenario
from tests.web.axe import controleer


def test_the_report_with_rule_effects_is_accessible(browser: Any, tmp_path: Path) -> None:
    s = scenario(GGZ, NOOIT, regels_uit=["perceel.semimuraal"])
    rapport = _telling(s, CASUSSEN).rapport(s)
    pad = tmp_path / "rapport.html"
    pad.write_text(html(rapport), encoding="utf-8")
    pagina = browser.new_page()
    try:
        pagina.goto(pad.as_uri())
        assert pagina.locator("#kop-regels").inner_text() == "Effect van de regels"
        assert pagina.locator("text=scenario.nooit").count() >= 2  # in the table and in the warning
        controleer(pagina, "replay-regels-effect")
    finally:
        pagina.close()
