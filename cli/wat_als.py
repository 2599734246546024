"""`hg-advies wat-als`: the advies of one casus before and after setting some input fields.

Each `--zet veld=waarde` sets a dotted input path (`engine.wat_als.zet`); the value is read as JSON
when it parses (`7`, `false`, `null`, `["ggz"]`, `{"id": "kind2", "leeftijd": 3}`), else as text
(`hoog`). The changed casus is validated by the same model as `advies`, so a refused value exits
with 2 and names the field, as `advies` does.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import orjson
import typer

from cli.invoer import casus_uit_document, lees_document, lees_tekst
from engine.errors import CasusFout, Fout

__all__ = ["wat_als"]

EXIT_ONGELDIG = 2


class Formaat(enum.StrEnum):
    table = "table"
    json = "json"


def _weiger(fouten: Sequence[Fout]) -> typer.Exit:
    for fout in fouten:
        typer.echo(f"{fout.veld or '(casus)'}: {fout.melding}", err=True)
    return typer.Exit(EXIT_ONGELDIG)


def _waarde(tekst: str) -> Any:
    try:
        return orjson.loads(tekst)
    except orjson.JSONDecodeError:
        return tekst


def _wijzigingen(zet: Sequence[str]) -> list[tuple[str, Any]]:
    if not zet:
        raise _weiger([Fout("--zet", "geef ten minste één wijziging, bijvoorbeeld --zet veiligheid.niveau=hoog")])
    paren, fouten = [], []
    for item in zet:
        pad, teken, waarde = item.partition("=")
        if not teken or not pad.strip():
            fouten.append(Fout("--zet", f"'{item}' is geen veld=waarde (bijvoorbeeld veiligheid.niveau=hoog)"))
        else:
            paren.append((pad.strip(), _waarde(waarde.strip())))
    if fouten:
        raise _weiger(fouten)
    return paren


def _advies_paar(document: object, wijzigingen: list[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    from engine.casus import parse_casus
    from engine.parameters import GeenRegelsetFout
    from engine.wat_als import PadFout, pas_toe
    from rules import standaard_engine

    try:
        voor = parse_casus(document)
    except CasusFout as exc:
        raise _weiger(exc.fouten) from exc
    try:
        na = pas_toe(voor, wijzigingen)
    except PadFout as exc:
        raise _weiger([Fout(exc.pad, exc.melding)]) from exc
    except CasusFout as exc:
        raise _weiger(exc.fouten) from exc
    engine = standaard_engine()
    try:
        return engine.advies(voor), engine.advies(na)
    except GeenRegelsetFout as exc:
        raise _weiger([Fout("peildatum", str(exc))]) from exc


def _samenvatting(advies: Mapping[str, Any]) -> str:
    if advies.get("route") != "hg_arrangement":
        return str(advies.get("route"))
    pakket = f"pakket {advies['pakket']}"
    if advies.get("vrije_trede"):
        pakket = f"vrije trede (referentie{pakket})"
    return f"hg_arrangement, {advies.get('perceel')}, {pakket}"


def _toon(rapport: Mapping[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from rapport.tekst import waarde_tekst

    console = Console(highlight=False)
    gezet = ", ".join(f"{z['veld']} = {orjson.dumps(z['waarde']).decode()}" for z in rapport["zet"])
    console.print(Text(f"Wat als: {gezet}", style="bold"))
    console.print(Text(f"Casus {rapport['voor']['casus_id']}: {_samenvatting(rapport['voor'])} → "
                       f"{_samenvatting(rapport['na'])}"))
    if rapport["wijzigingen"]:
        advies = Table(title="Gewijzigd in het advies", title_justify="left")
        for kolom in ("veld", "voor", "na"):
            advies.add_column(kolom, no_wrap=kolom == "veld")
        for veld, (oud, nieuw) in rapport["wijzigingen"].items():
            advies.add_row(veld, Text(waarde_tekst(oud)), Text(waarde_tekst(nieuw)))
        console.print(advies)
    else:
        console.print("Het advies verandert niet.")
    stappen = rapport["gewijzigde_stappen"]
    if not stappen:
        return
    tabel = Table(title="Gewijzigde stappen in de redenering", title_justify="left")
    for kolom in ("regel", "wijziging", "conclusie voor → na", "uitleg"):
        tabel.add_column(kolom, no_wrap=kolom == "regel")
    for stap in stappen:
        oud = "; ".join(s["conclusie"] for s in stap["voor"]) or "—"
        nieuw = "; ".join(s["conclusie"] for s in stap["na"]) or "—"
        uitleg = " ".join(s["tekst"] for s in (stap["na"] or stap["voor"]))
        tabel.add_row(stap["regel"], stap["wijziging"], Text(f"{oud} → {nieuw}"), Text(uitleg))
    console.print(tabel)


def wat_als(
    bestand: Annotated[str, typer.Argument(help="Casus als JSON of YAML; '-' leest standaardinvoer.")],
    zet: Annotated[list[str] | None, typer.Option(
        "--zet", metavar="VELD=WAARDE",
        help="Zet een invoerveld, bijvoorbeeld veiligheid.niveau=hoog, geweld.intieme_terreur=false of "
             "leden[2].leeftijd=7 (herhaalbaar). De waarde geldt als JSON als ze zo te lezen is, anders als "
             "tekst. leden[N] met N het aantal leden voegt een lid toe; leden[i]=null haalt lid i weg.")] = None,
    formaat: Annotated[Formaat, typer.Option(
        "--format", help="table: leesbaar overzicht; json: {voor, na, wijzigingen, gewijzigde_stappen}.")]
    = Formaat.table,
) -> None:
    """Wat als: het advies voor een casus vóór en na het wijzigen van invoervelden, en wat er verandert."""
    wijzigingen = _wijzigingen(zet or [])
    try:
        tekst = lees_tekst(bestand)
    except (OSError, UnicodeDecodeError) as exc:
        reden = "geen UTF-8-tekst" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        typer.echo(f"{bestand}: kan het bestand niet lezen ({reden})", err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    try:
        document = casus_uit_document(lees_document(tekst))
    except CasusFout as exc:
        raise _weiger(exc.fouten) from exc
    voor, na = _advies_paar(document, wijzigingen)

    from engine.wat_als import vergelijk_advies

    rapport = {
        "zet": [{"veld": pad, "waarde": waarde} for pad, waarde in wijzigingen],
        "voor": voor,
        "na": na,
        **vergelijk_advies(voor, na),
    }
    if formaat is Formaat.json:
        sys.stdout.buffer.write(orjson.dumps(rapport, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.buffer.flush()
    else:
        _toon(rapport)
