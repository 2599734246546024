"""Every page a browser journey visits, checked as a person on a desktop and on a phone would meet it.

`controleer(pagina, naam)` runs axe-core (bundled with the `axe-playwright-python` package, so no network) on the
current page at 1280 px and at 390 px wide and asserts zero violations of any impact (colour contrast is judged at
1280 px only, see _OPTIES_SMAL); at 390 px the page must not scroll sideways
(`document.documentElement.scrollWidth <= window.innerWidth`: wide tables scroll inside their own focusable region
instead). A screenshot at each width goes to test-artefacts/web/`naam`-1280.png (the top) and -390.png (the whole
page). The viewport is put back as it was, so the journey goes on as before.
"""

from __future__ import annotations

from typing import Any

from tests.web.conftest import ARTEFACTEN

BREED = {"width": 1280, "height": 900}
SMAL = {"width": 390, "height": 844}  # a common phone, CSS pixels
_OPTIES: dict[str, Any] = {"resultTypes": ["violations"]}
# At 390 px every rule again but the colour contrast, the slowest by far (two thirds of a run on a long page), whose
# colours do not change with the width; what does (scroll regions, target sizes, reflow) is checked again.
_OPTIES_SMAL: dict[str, Any] = {**_OPTIES, "rules": {"color-contrast": {"enabled": False}}}


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return str(AXE_SCRIPT)


def overtredingen(pagina: Any, opties: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (all rules axe runs by default, every impact level)."""
    if not pagina.evaluate("typeof window.axe !== 'undefined'"):
        pagina.evaluate(_axe_script())  # through the DevTools protocol: the page's CSP does not apply
    resultaat: dict[str, Any] = pagina.evaluate("opties => axe.run(document, opties)", opties or _OPTIES)
    gevonden: list[dict[str, Any]] = resultaat["violations"]
    return gevonden


def _verslag(gevonden: list[dict[str, Any]]) -> str:
    regels = []
    for overtreding in gevonden:
        regels.append(f"- {overtreding['id']} ({overtreding['impact']}): {overtreding['help']}")
        for knoop in overtreding["nodes"][:5]:
            regels.append(f"    {', '.join(map(str, knoop['target']))}: {knoop['html'][:160]}")
    return "\n".join(regels)


def controleer(pagina: Any, naam: str) -> None:
    """axe-core clean at 1280 and 390 px, no horizontal scroll at 390 px; a screenshot at each width."""
    eerder = pagina.viewport_size
    try:
        for breedte in (BREED, SMAL):
            pagina.set_viewport_size(breedte)
            smal = breedte is SMAL
            # the whole page at 390 px; at 1280 the top (the journeys keep their own full-page screenshots)
            pagina.screenshot(path=str(ARTEFACTEN / f"{naam}-{breedte['width']}.png"), full_page=smal)
            gevonden = overtredingen(pagina, _OPTIES_SMAL if smal else _OPTIES)
            assert not gevonden, f"axe-core on {naam} at {breedte['width']} px ({pagina.url}):\n{_verslag(gevonden)}"
        maten = pagina.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert maten[0] <= maten[1], (
            f"{naam} scrolls sideways at 390 px: {maten[0]} px wide ({pagina.url}); widest: {_breedste(pagina)}")
    finally:
        if eerder:
            pagina.set_viewport_size(eerder)


def _breedste(pagina: Any) -> list[str]:
    """The elements that stick out furthest on the right (to say what to fix)."""
    uitsteeksels: list[str] = pagina.evaluate("""() => {
        const w = window.innerWidth, uit = [];
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > w + 1) uit.push([r.right, el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')]);
        }
        uit.sort((a, b) => b[0] - a[0]);
        return uit.slice(0, 6).map(([r, n]) => `${n} (${Math.round(r)} px)`);
    }""")
    return uitsteeksels
