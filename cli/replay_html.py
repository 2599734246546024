"""The standalone HTML replay report: a Jinja2 template with inline CSS and inline SVG bar charts."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from cli.replay_report import getal, velden_van, verdeling_rijen, waarde_tekst

__all__ = ["MAX_HTML_CASUSSEN", "html", "staafdiagram"]

MAX_HTML_CASUSSEN = 10_000
"""The page lists at most this many changed casussen (the page stays loadable); json and csv list all."""

_TITELS = {"route": "Route", "perceel": "Perceel", "pakket": "Pakket", "vrije_trede": "Vrije trede"}
_KLEUR_VOOR, _KLEUR_NA = "#9aa5b1", "#1f6fb2"
_BREEDTE, _LABEL, _STAAF, _RIJ = 560, 150, 14, 46


def staafdiagram(veld: str, verdeling: Mapping[str, Mapping[str, int]]) -> Markup:
    """Horizontal bars per value of `veld`, before (grey) and after (blue), as an inline SVG."""
    rijen = verdeling_rijen(veld, verdeling)
    hoogste = max((max(v, n) for _, v, n, _ in rijen), default=0) or 1
    ruimte = _BREEDTE - _LABEL - 60
    hoogte = 30 + _RIJ * max(len(rijen), 1)
    titel = escape(f"{_TITELS.get(veld, veld)}: verdeling voor en na")
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
    for i, (waarde, voor, na, _) in enumerate(rijen):
        y = 26 + i * _RIJ
        delen.append(f'<text x="{_LABEL - 8}" y="{y + _STAAF + 4}" font-size="12" text-anchor="end">'
                     f"{escape(waarde)}</text>")
        for j, (aantal, kleur) in enumerate(((voor, _KLEUR_VOOR), (na, _KLEUR_NA))):
            breedte = round(ruimte * aantal / hoogste, 1)
            yj = y + j * (_STAAF + 2)
            delen.append(f'<rect x="{_LABEL}" y="{yj}" width="{breedte}" height="{_STAAF}" fill="{kleur}">'
                         f"<title>{escape(waarde)} {'voor' if j == 0 else 'na'}: {aantal}</title></rect>"
                         f'<text x="{_LABEL + breedte + 4}" y="{yj + _STAAF - 3}" font-size="11">{aantal}</text>')
    delen.append("</svg>")
    return Markup("".join(delen))  # noqa: S704  # built above; every text from the report is escaped


def _omgeving() -> Environment:
    omgeving = Environment(loader=PackageLoader("cli", "templates"), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)
    omgeving.filters["getal"] = getal
    omgeving.filters["waarde"] = waarde_tekst
    return omgeving


def html(report: Mapping[str, Any]) -> str:
    """The whole report as one standalone HTML page (Dutch, no scripts, no external resources)."""
    verdelingen = []
    for veld in velden_van(report):
        verdeling = report["verdeling"].get(veld, {})
        verdelingen.append({
            "veld": veld, "titel": _TITELS.get(veld, veld),
            "rijen": verdeling_rijen(veld, verdeling), "svg": staafdiagram(veld, verdeling),
        })
    uren = report["uren_per_week"]
    totaal = int(report["totaal"])
    return _omgeving().get_template("replay.html.j2").render(
        r=report,
        verdelingen=verdelingen,
        aandeel=f"{int(report['gewijzigd']) / totaal:.1%}".replace(".", ",") if totaal else "—",
        uren_voor=float(uren["voor"]),
        uren_na=float(uren["na"]),
        max_casussen=MAX_HTML_CASUSSEN,
    )
