"""The HTML replay report: a Jinja2 template with inline CSS and inline SVG bar charts.

The standalone page (`hg-advies replay --format html`, GET /v1/replay/{id}/rapport?format=html) is
`templates/replay.html.j2`; the web pages show the same report inside their own layout (`rapport_delen`).
Both are made of the macros in `templates/replay_delen.html.j2`, so the charts, tables and key figures
have one implementation.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from engine.taal import euro, parameterwaarde_tekst, veldnaam
from rapport.tekst import getal, velden_van, verdeling_rijen, verdelingswaarde, waarde_tekst

__all__ = ["MAX_HTML_CASUSSEN", "html", "rapport_context", "rapport_delen", "staafdiagram"]

MAX_HTML_CASUSSEN = 10_000
"""The page lists at most this many changed casussen (the page stays loadable); json and csv list all."""

_KLEUR_VOOR, _KLEUR_NA = "#9aa5b1", "#1f6fb2"
# 360 wide: shown at full size down to a 390 px phone, so its 11-12 px text stays readable there.
_BREEDTE, _LABEL, _STAAF, _RIJ = 360, 130, 14, 46


def staafdiagram(veld: str, verdeling: Mapping[str, Mapping[str, int]]) -> Markup:
    """Horizontal bars per value of `veld`, before (grey) and after (blue), as an inline SVG."""
    rijen = verdeling_rijen(veld, verdeling)
    hoogste = max((max(v or 0, n or 0) for _, v, n, _ in rijen), default=0) or 1
    ruimte = _BREEDTE - _LABEL - 60
    hoogte = 30 + _RIJ * max(len(rijen), 1)
    titel = escape(f"{veldnaam(veld, hoofdletter=True)}: verdeling voor en na")
    delen = [
        f'<svg role="img" width="{_BREEDTE}" height="{hoogte}" '
        f'viewBox="0 0 {_BREEDTE} {hoogte}" aria-label="{titel}"><title>{titel}</title>',
        f'<rect x="{_LABEL}" y="4" width="10" height="10" fill="{_KLEUR_VOOR}"/>'
        f'<text x="{_LABEL + 14}" y="13" font-size="11">voor</text>'
        f'<rect x="{_LABEL + 60}" y="4" width="10" height="10" fill="{_KLEUR_NA}"/>'
        f'<text x="{_LABEL + 74}" y="13" font-size="11">na</text>',
    ]
    if not rijen:
        delen.append('<text x="10" y="40" font-size="12">geen casussen</text>')
    for i, (code, voor, na, _) in enumerate(rijen):
        waarde = verdelingswaarde(code)
        y = 26 + i * _RIJ
        delen.append(f'<text x="{_LABEL - 8}" y="{y + _STAAF + 4}" font-size="12" text-anchor="end">'
                     f"{escape(waarde)}</text>")
        for j, (aantal, kleur) in enumerate(((voor, _KLEUR_VOOR), (na, _KLEUR_NA))):
            breedte = round(ruimte * (aantal or 0) / hoogste, 1)
            yj = y + j * (_STAAF + 2)
            getoond = "—" if aantal is None else str(aantal)  # None: hidden by disclosure control
            delen.append(f'<rect x="{_LABEL}" y="{yj}" width="{breedte}" height="{_STAAF}" fill="{kleur}">'
                         f"<title>{escape(waarde)} {'voor' if j == 0 else 'na'}: "
                         f"{'niet getoond' if aantal is None else aantal}</title></rect>"
                         f'<text x="{_LABEL + breedte + 4}" y="{yj + _STAAF - 3}" font-size="11">{getoond}</text>')
    delen.append("</svg>")
    return Markup("".join(delen))  # noqa: S704  # built above; every text from the report is escaped


_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december")


def datum(waarde: str) -> str:
    """An ISO date in Dutch words: '2026-03-01' -> '1 maart 2026'."""
    dag = dt.date.fromisoformat(str(waarde))
    return f"{dag.day} {_MAANDEN[dag.month - 1]} {dag.year}"


def parameterwaarde(waarde: Any) -> str:
    """A scenario's value as the scenario editor shows it (3,5; [0,75; 1,5]); text as it is (the replay page
    passes the values shown already)."""
    return waarde if isinstance(waarde, str) else parameterwaarde_tekst(waarde)


@functools.cache
def _omgeving() -> Environment:
    omgeving = Environment(loader=PackageLoader("rapport", "templates"), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)
    omgeving.filters["getal"] = getal
    omgeving.filters["waarde"] = waarde_tekst
    omgeving.filters["verdelingswaarde"] = verdelingswaarde
    omgeving.filters["veldnaam"] = veldnaam
    omgeving.filters["parameterwaarde"] = parameterwaarde
    omgeving.filters["euro"] = euro
    omgeving.filters["datum"] = datum
    return omgeving


def rapport_context(report: Mapping[str, Any], max_casussen: int = MAX_HTML_CASUSSEN) -> dict[str, Any]:
    """What the report's templates need besides the report `r`: the distributions with their charts, the
    share of changed casussen, the hours before and after, and how many changed casussen to list."""
    verdelingen = []
    for veld in velden_van(report):
        verdeling = report["verdeling"].get(veld, {})
        verdelingen.append({
            "veld": veld, "titel": veldnaam(veld, hoofdletter=True),
            "rijen": verdeling_rijen(veld, verdeling), "svg": staafdiagram(veld, verdeling),
        })
    uren = report["uren_per_week"]
    totaal = int(report["totaal"] or 0)  # None, 0: hidden by disclosure control, or no casussen
    gewijzigd = report["gewijzigd"]
    return {
        "verdelingen": verdelingen,
        "aandeel": f"{int(gewijzigd) / totaal:.1%}".replace(".", ",") if totaal and gewijzigd is not None else "—",
        "uren_voor": None if uren["voor"] is None else float(uren["voor"]),
        "uren_na": None if uren["na"] is None else float(uren["na"]),
        "max_casussen": max_casussen,
    }


def html(report: Mapping[str, Any]) -> str:
    """The whole report as one standalone HTML page (Dutch, no scripts, no external resources)."""
    return _omgeving().get_template("replay.html.j2").render(r=report, **rapport_context(report))


def rapport_delen(report: Mapping[str, Any], max_casussen: int = MAX_HTML_CASUSSEN,
                  regel_href: str | None = None) -> dict[str, Any]:
    """The report's parts, rendered for a page with its own layout and headings (the web pages): the
    scenario, warnings, key figures, distributions (charts and tables), the effect of the scenario's added and
    switched-off rules (`regels_effect`, empty without), changed and invalid casussen as
    HTML (`Markup`), with the figures of `rapport_context`. `regel_href`: each rule id of a changed casus
    links to `regel_href + rule id`."""
    context = rapport_context(report, max_casussen)
    delen = _omgeving().get_template("replay_delen.html.j2").module
    return {
        **context,
        "scenario": delen.scenario_gegevens(report),  # type: ignore[attr-defined]
        "waarschuwingen": delen.waarschuwingen(report),  # type: ignore[attr-defined]
        "kerncijfers": delen.kerncijfers(  # type: ignore[attr-defined]
            report, context["aandeel"], context["uren_voor"], context["uren_na"], met_verschil=True),
        "grafieken": delen.verdelingen(context["verdelingen"]),  # type: ignore[attr-defined]
        "regels_effect": delen.regels_effect(report) if report.get("regels_effect") else Markup(""),  # type: ignore[attr-defined]
        "besluiten": delen.besluiten(report) if report.get("besluiten") else Markup(""),  # type: ignore[attr-defined]
        "velden": delen.gewijzigde_velden(report),  # type: ignore[attr-defined]
        "onderdrukt": delen.onderdrukt(report),  # type: ignore[attr-defined]
        "casussen": delen.gewijzigde_casussen(report, max_casussen, regel_href),  # type: ignore[attr-defined]
        "ongeldig": delen.ongeldige_casussen(report, max_casussen) if report.get("ongeldig") else Markup(""),  # type: ignore[attr-defined]
    }
