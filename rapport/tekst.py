"""Rendering a replay report: JSON, the terminal table, and the CSV rows (one per casus)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.replay import GEEN
from engine.taal import euro, label, veldnaam, waarde_in_woorden
from engine.taal import getal as taal_getal

__all__ = [
    "CSV_KOPPEN",
    "MAX_TABEL_CASUSSEN",
    "VELDEN",
    "csv_kop",
    "csv_ongeldig",
    "csv_rij",
    "csv_tekst",
    "getal",
    "json_bytes",
    "tabel",
    "velden_van",
    "verdeling_rijen",
    "verdelingswaarde",
    "waarde_tekst",
]

VELDEN = ("route", "perceel", "pakket")
"""The distributions of the report, in the order they are shown."""

_VOLGORDE = {  # the contract's order of values; anything else follows, sorted
    "route": ("hg_arrangement", "basishulp_wijkteam", "buiten_scope"),
    "perceel": ("extramuraal", "semimuraal", "intramuraal"),
    "pakket": ("1", "2", "3"),
    "vrije_trede": ("true", "false"),
}

CSV_KOPPEN = (
    "casus_id", "gewijzigd",
    "route_voor", "route_na", "perceel_voor", "perceel_na", "pakket_voor", "pakket_na",
    "totaal_uur_per_week_voor", "totaal_uur_per_week_na",
    "uren_looptijd_voor", "uren_looptijd_na", "kosten_looptijd_voor", "kosten_looptijd_na",
    "gewijzigde_velden", "regels", "fouten",
)
_CSV_VELDEN = ("route", "perceel", "pakket", "budget.totaal_uur_per_week", "budget.looptijd.uren",
               "budget.kosten.looptijd")

MAX_TABEL_CASUSSEN = 50
"""The terminal table lists at most this many changed casussen; json, csv and html list them all."""


def json_bytes(report: Mapping[str, Any]) -> bytes:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"


# --- distributions -----------------------------------------------------------------------------------


def verdeling_rijen(veld: str, verdeling: Mapping[str, Mapping[str, int | None]]
                    ) -> list[tuple[str, int | None, int | None, int | None]]:
    """(waarde, voor, na, na - voor) for every value seen before or after, in the contract's order; a count
    hidden by disclosure control (None) stays None, and so does its difference."""
    voor, na = verdeling.get("voor", {}), verdeling.get("na", {})
    gezien = {str(k) for k in (*voor, *na)}
    bekend = [w for w in _VOLGORDE.get(veld, ()) if w in gezien]
    waarden = bekend + sorted(gezien - set(bekend), key=lambda w: (w == "geen", w))  # "geen" (null) last
    rijen = []
    for waarde in waarden:
        v, n = voor.get(waarde, 0), na.get(waarde, 0)
        v, n = None if v is None else int(v), None if n is None else int(n)
        rijen.append((waarde, v, n, None if v is None or n is None else n - v))
    return rijen


def getal(waarde: object) -> str:
    """A number as a person reads it: 6.0 -> 6, 2.25 -> 2,25 (Dutch decimal comma)."""
    if isinstance(waarde, float):
        return taal_getal(waarde)
    if waarde is None:
        return "—"
    return str(waarde)


def waarde_tekst(waarde: object) -> str:
    """A changed contract value in words (engine/taal.py, as on the pages): codes as their labels, lists
    joined, a member's hours as `moeder 1,5`, booleans ja/nee."""
    return waarde_in_woorden(waarde)


_VERDELING_WOORDEN = {"true": "ja", "false": "nee", GEEN: "geen"}


def verdelingswaarde(waarde: str) -> str:
    """A value of a distribution (its key in the report: 'hg_arrangement', '2', 'true', 'geen') in words."""
    return _VERDELING_WOORDEN.get(waarde) or label(waarde)


def velden_van(report: Mapping[str, Any]) -> list[str]:
    """The distributions in the report: route, perceel, pakket first, then any other (e.g. vrije_trede)."""
    aanwezig = list(report.get("verdeling", {}))
    return [v for v in VELDEN if v in aanwezig] + [v for v in aanwezig if v not in VELDEN]


def _delta(verschil: float) -> str:
    if verschil == 0:
        return "0"
    return ("+" if verschil > 0 else "−") + getal(abs(verschil) if isinstance(verschil, float) else abs(verschil))


# --- terminal table ----------------------------------------------------------------------------------


def _wijzigingen_tekst(wijzigingen: Mapping[str, Sequence[Any]]) -> str:
    return "\n".join(f"{veldnaam(veld)}: {waarde_tekst(v[0])} → {waarde_tekst(v[1])}"
                     for veld, v in wijzigingen.items())


def tabel(report: Mapping[str, Any], console: Console) -> None:
    """The report as readable Rich tables: totals, distributions, hours and the changed casussen."""
    console.print(Text(f"Replay: {report.get('scenario')}", style="bold"))
    for sleutel, kop in (("beschrijving", "Beschrijving"), ("vraag", "Vraag"), ("bron", "Bron")):
        if report.get(sleutel):
            console.print(f"{kop}: {report[sleutel]}", markup=False, highlight=False)
    if report.get("basis_peildatum") or report.get("peildatum"):
        console.print(f"Peildatum voor: {report.get('basis_peildatum') or 'eigen peildatum casus'}; "
                      f"na: {report.get('peildatum') or 'eigen peildatum casus'}", markup=False, highlight=False)
    totaal, gewijzigd = int(report["totaal"]), int(report["gewijzigd"])
    aandeel = f" ({gewijzigd / totaal:.1%})".replace(".", ",") if totaal else ""
    regel = f"Casussen: {totaal}, gewijzigd: {gewijzigd}{aandeel}"
    if report.get("ongeldig"):
        regel += f", ongeldig: {len(report['ongeldig'])}"
    console.print(regel, markup=False, highlight=False)

    verdeling = Table(title="Verdeling voor en na", title_justify="left")
    for kolom, rechts in (("veld", False), ("waarde", False), ("voor", True), ("na", True), ("verschil", True)):
        verdeling.add_column(kolom, justify="right" if rechts else "left")
    for veld in velden_van(report):
        for i, (waarde, v, n, d) in enumerate(verdeling_rijen(veld, report["verdeling"].get(veld, {}))):
            verdeling.add_row(veldnaam(veld) if i == 0 else "", Text(verdelingswaarde(waarde)), getal(v), getal(n),
                              "—" if d is None else _delta(d))
        verdeling.add_section()
    console.print(verdeling)

    uren = report["uren_per_week"]
    urentabel = Table(title="Uren per week", title_justify="left")
    urentabel.add_column("budget")
    for kolom in ("voor", "na", "verschil"):
        urentabel.add_column(kolom, justify="right")
    urentabel.add_row("totaal uur per week", getal(float(uren["voor"])), getal(float(uren["na"])),
                      _delta(float(uren["na"]) - float(uren["voor"])))
    looptijd = report.get("uren_looptijd")
    if looptijd:
        urentabel.add_row("uren over de looptijd", getal(float(looptijd["voor"])), getal(float(looptijd["na"])),
                          _delta(float(looptijd["verschil"])))
    kosten = report.get("kosten")
    if kosten:
        lt = kosten["looptijd"]
        verschil = float(lt["verschil"])
        urentabel.add_row("kosten over de looptijd", euro(float(lt["voor"])), euro(float(lt["na"])),
                          ("+" if verschil > 0 else "−" if verschil < 0 else "") + euro(abs(verschil)))
    console.print(urentabel)
    _regels_effect(report, console)

    casussen = report.get("casussen", [])
    if casussen:
        lijst = Table(title="Gewijzigde casussen", title_justify="left")
        lijst.add_column("casus_id", no_wrap=True)
        lijst.add_column("wijzigingen (voor → na)")
        lijst.add_column("regels")
        for c in casussen[:MAX_TABEL_CASUSSEN]:
            lijst.add_row(Text(str(c["casus_id"])), Text(_wijzigingen_tekst(c["wijzigingen"])),
                          Text("\n".join(c.get("regels", []))))
        console.print(lijst)
        if len(casussen) > MAX_TABEL_CASUSSEN:
            console.print(f"… en nog {len(casussen) - MAX_TABEL_CASUSSEN} gewijzigde casussen; "
                          "gebruik --format json, csv of html voor de volledige lijst.", markup=False, highlight=False)
    for fout in report.get("ongeldig", [])[:MAX_TABEL_CASUSSEN]:
        waar = fout.get("bestand") or (f"regel {fout['regel']}" if fout.get("regel") else "")
        meldingen = "; ".join(f"{f['veld']}: {f['melding']}" for f in fout["fouten"])
        console.print(f"Ongeldig ({waar}, casus_id {fout.get('casus_id') or '?'}): {meldingen}",
                      markup=False, highlight=False)


def _regels_effect(report: Mapping[str, Any], console: Console) -> None:
    """Per added or switched-off rule: in how many casussen it applied (a hidden count as a dash)."""
    effect: Mapping[str, Mapping[str, Any]] = report.get("regels_effect") or {}
    if not effect:
        return
    tabel_ = Table(title="Effect van de regels", title_justify="left")
    tabel_.add_column("regel", no_wrap=True)
    tabel_.add_column("wijziging")
    tabel_.add_column("van toepassing in", justify="right")
    for regel, e in effect.items():
        keer = e.get("gevuurd")
        tabel_.add_row(Text(regel), "toegevoegd" if e.get("soort") == "toegevoegd" else "uitgezet",
                       "—" if keer is None else ("1 casus" if keer == 1 else f"{keer} casussen"))
    console.print(tabel_)
    console.print("Een toegevoegde regel telt in het advies na het scenario, een uitgezette regel in het advies "
                  "ervoor.", markup=False, highlight=False)


# --- CSV -----------------------------------------------------------------------------------------------


def _waarde(advies: Mapping[str, Any], veld: str) -> object:
    """A (dotted) field of the advies; None where a part of the path is missing or null."""
    waarde: Any = advies
    for sleutel in veld.split("."):
        if not isinstance(waarde, Mapping):
            return None
        waarde = waarde.get(sleutel)
    return waarde


def _cel(waarde: object) -> str:
    return "" if waarde is None else str(waarde)


def csv_rij(voor: Mapping[str, Any], na: Mapping[str, Any], velden: Iterable[str], regels: Iterable[str]) -> list[str]:
    """The row of one replayed casus; `velden` are the changed contract fields (empty: unchanged)."""
    velden = list(velden)
    rij = [_cel(voor.get("casus_id")), "ja" if velden else "nee"]
    for veld in _CSV_VELDEN:
        rij += [_cel(_waarde(voor, veld)), _cel(_waarde(na, veld))]
    return [*rij, ";".join(velden), ";".join(regels), ""]


def csv_ongeldig(casus_id: object, fouten: Iterable[Mapping[str, str]]) -> list[str]:
    """The row of a refused casus: no advies before or after, the reasons in `fouten`."""
    tekst = "; ".join(f"{f['veld']}: {f['melding']}" for f in fouten)
    return [_cel(casus_id), "ongeldig", *([""] * (len(CSV_KOPPEN) - 3)), tekst]


def csv_tekst(rijen: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rijen)
    return buffer.getvalue()


def csv_kop() -> str:
    return csv_tekst([CSV_KOPPEN])
