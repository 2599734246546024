"""`hg-advies replay`: casussen before and after a scenario (or between two ruleset dates), as a report.

Dates: the "voor" side is evaluated on `--basis-peildatum`, else on the casus' own peildatum; the
"na" side on `--peildatum`, else on the scenario's `peildatum`, else on the casus' own. Without a
scenario at least one date is required: the replay then compares two ruleset versions only.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from cli.invoer import SUFFIXES, casus_bestanden

__all__ = ["Formaat", "replay"]

EXIT_ONGELDIG = 2
STANDAARD_CASUSSEN = Path(__file__).resolve().parents[1] / "casussen"


class Formaat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def _stop(melding: str) -> typer.Exit:
    typer.echo(melding, err=True)
    return typer.Exit(EXIT_ONGELDIG)


def _datum(optie: str, waarde: str | None) -> dt.date | None:
    if waarde is None:
        return None
    try:
        datum = dt.date.fromisoformat(waarde)
    except ValueError:
        raise _stop(f"{optie}: ongeldige datum '{waarde}'; gebruik JJJJ-MM-DD") from None
    from engine.parameters import GeenRegelsetFout
    from rules import standaard_engine

    try:
        standaard_engine().version_for(datum)
    except GeenRegelsetFout as exc:
        raise _stop(f"{optie}: {exc}") from None
    return datum


def _scenario(pad: Path | None, basis: dt.date | None, na: dt.date | None) -> Any:
    from engine.scenario import Scenario, ScenarioFout, lees_scenario
    from rules import standaard_engine

    if pad is None:
        if basis is None and na is None:
            raise _stop("Geef een scenario (--scenario BESTAND), of --peildatum en/of --basis-peildatum om twee "
                        "regelsetversies te vergelijken.")
        voor_tekst = basis.isoformat() if basis else "eigen peildatum"
        na_tekst = na.isoformat() if na else "eigen peildatum"
        return Scenario(
            naam=f"peildatum-{voor_tekst}-naar-{na_tekst}".replace(" ", "-"),
            beschrijving=f"De regelset op {voor_tekst} vergeleken met die op {na_tekst} (zonder scenario).",
            vraag="", bron="",
        )
    if not pad.is_file():
        raise _stop(f"--scenario: het bestand {pad} bestaat niet")
    try:
        return lees_scenario(pad, standaard_engine())
    except ScenarioFout as exc:
        typer.echo(f"{pad}: ongeldig scenario", err=True)
        for fout in exc.fouten:
            typer.echo(f"{fout.veld}: {fout.melding}", err=True)
        raise typer.Exit(EXIT_ONGELDIG) from None


def _invoer(casussen: Path | None) -> tuple[str, list[Path] | Path, int]:
    """('map' or 'jsonl', the files or the file, the progress total)."""
    bron = casussen or STANDAARD_CASUSSEN
    if bron.is_dir():
        paden = list(casus_bestanden(bron))
        if not paden:
            raise _stop(f"{bron}: geen casusbestanden ({', '.join(SUFFIXES)}) in deze map")
        return "map", paden, len(paden)
    if not bron.is_file():
        raise _stop(f"{bron}: bestaat niet; geef een map met casusbestanden of een .jsonl-bestand")
    if bron.suffix in SUFFIXES:
        return "map", [bron], 1  # one casus file: a folder of one
    try:
        return "jsonl", bron, bron.stat().st_size
    except OSError as exc:
        raise _stop(f"{bron}: kan het bestand niet lezen ({exc.strerror})") from None


@contextmanager
def _uitvoer(uit: Path | None) -> Iterator[IO[bytes]]:
    """A temporary file that becomes `uit` (or is copied to stdout) only when everything succeeded."""
    if uit is None:
        with tempfile.TemporaryFile() as tmp:
            yield tmp
            tmp.seek(0)
            shutil.copyfileobj(tmp, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return
    doel = uit.resolve()
    try:
        fd, naam = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
    except OSError as exc:
        raise _stop(f"{uit}: kan hier niet schrijven ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as tmp:
            yield tmp
        os.chmod(naam, 0o666 & ~_umask())  # mkstemp's 0600 would make the report private by accident
        os.replace(naam, doel)
    finally:
        if os.path.exists(naam):
            os.unlink(naam)


def _umask() -> int:
    huidig = os.umask(0o022)
    os.umask(huidig)
    return huidig


def _tabel_tekst(report: dict[str, Any], naar_terminal: bool) -> bytes:
    from rich.console import Console

    from rapport.tekst import tabel

    buffer = io.StringIO()
    breedte = Console().width if naar_terminal else 120
    kleur = None if naar_terminal else True  # None: Rich follows NO_COLOR in a terminal
    tabel(report, Console(file=buffer, width=breedte, force_terminal=naar_terminal, no_color=kleur, highlight=False))
    return buffer.getvalue().encode()


def replay(
    casussen: Annotated[Path | None, typer.Argument(
        help="Map met casusbestanden (JSON/YAML) of een .jsonl-bestand (één casus per regel); "
             "standaard de casussen/ van het project.", show_default=False)] = None,
    scenario: Annotated[Path | None, typer.Option(help="Scenariobestand (YAML of JSON).")] = None,
    formaat: Annotated[Formaat, typer.Option("--format", help="Vorm van het rapport.")] = Formaat.table,
    uit: Annotated[Path | None, typer.Option(help="Schrijf het rapport naar dit bestand (anders standaarduitvoer).")]
    = None,
    workers: Annotated[int, typer.Option(min=0, help="Processen (0: alle kernen).")] = 0,
    basis_peildatum: Annotated[str | None, typer.Option(
        help="Beoordeel 'voor' met de regelset op deze datum (JJJJ-MM-DD) in plaats van de peildatum van de casus.",
        show_default=False)] = None,
    peildatum: Annotated[str | None, typer.Option(
        help="Beoordeel 'na' met de regelset op deze datum (JJJJ-MM-DD) in plaats van de peildatum van de casus "
             "of het scenario.", show_default=False)] = None,
    voortgang: Annotated[bool, typer.Option(
        "--voortgang", help="Toon een voortgangsbalk op standaardfout (standaard alleen in een terminal).")] = False,
) -> None:
    """Beoordeel casussen opnieuw met een scenario (of een andere regelsetdatum) en rapporteer het verschil."""
    from cli.replay_run import Opdracht, bestand_chunks, jsonl_chunks, replay_delen, voorbereiden
    from engine.parameters import ParameterFout
    from engine.replay import ReplayTelling

    basis_datum, na_datum = _datum("--basis-peildatum", basis_peildatum), _datum("--peildatum", peildatum)
    gekozen = _scenario(scenario, basis_datum, na_datum)
    soort, bron, omvang = _invoer(casussen)
    opdracht = Opdracht(dict(gekozen.parameters), tuple(gekozen.regels_uit), basis_datum,
                        na_datum or gekozen.peildatum, csv=formaat is Formaat.csv, regels_bij=gekozen.regels_bij)
    try:
        voorbereiden(opdracht)
    except ParameterFout as exc:
        raise _stop(f"parameters.{exc.pad}: {exc.melding}") from None

    telling, ongeldig = ReplayTelling(), []
    with _uitvoer(uit) as doel, _Voortgang(voortgang, omvang, soort) as balk:
        if formaat is Formaat.csv:
            from rapport.tekst import csv_kop

            doel.write(csv_kop().encode())

        def bij_deel(deel: Any) -> None:
            telling.voeg_samen(deel.telling)
            ongeldig.extend(deel.ongeldig)
            if deel.csv:
                doel.write(deel.csv.encode())
            balk.verder(deel.gewicht, deel.aantal)

        if soort == "jsonl":
            assert isinstance(bron, Path)
            with open(bron, "rb") as invoer:
                replay_delen(jsonl_chunks(invoer), opdracht, workers or None, bij_deel, balk.start)
        else:
            assert isinstance(bron, list)
            replay_delen(bestand_chunks(bron), opdracht, workers or None, bij_deel, balk.start)
        balk.stop()
        if telling.totaal == 0 and not ongeldig:
            raise _stop(f"{casussen or STANDAARD_CASUSSEN}: geen casussen gevonden")
        report = _rapport(telling, gekozen, basis_datum, opdracht.peildatum, ongeldig)
        if formaat is not Formaat.csv:
            doel.write(_weergave(report, formaat, naar_terminal=uit is None and sys.stdout.isatty()))

    for waarschuwing in report.get("waarschuwingen", []):
        typer.echo(f"Waarschuwing: {waarschuwing}", err=True)
    if ongeldig:
        typer.echo(f"{len(ongeldig)} ongeldige casus(sen) niet opnieuw beoordeeld; zie 'ongeldig' in het rapport.",
                   err=True)
        for fout in ongeldig[:20]:
            waar = fout.get("bestand") or f"regel {fout.get('regel')}"
            for f in fout["fouten"]:
                typer.echo(f"{waar}: {f['veld']}: {f['melding']}", err=True)
        raise typer.Exit(EXIT_ONGELDIG)


def _rapport(telling: Any, scenario: Any, basis: dt.date | None, na: dt.date | None,
             ongeldig: list[dict[str, Any]]) -> dict[str, Any]:
    report: dict[str, Any] = telling.rapport(scenario)
    report["basis_peildatum"] = basis.isoformat() if basis else None
    report["peildatum"] = na.isoformat() if na else None
    report["ongeldig"] = ongeldig
    return report


def _weergave(report: dict[str, Any], formaat: Formaat, naar_terminal: bool) -> bytes:
    if formaat is Formaat.json:
        from rapport.tekst import json_bytes

        return json_bytes(report)
    if formaat is Formaat.html:
        from rapport.html import html

        return html(report).encode()
    return _tabel_tekst(report, naar_terminal)


class _Voortgang:
    """A Rich progress bar on stderr, only in a terminal or on request; never on stdout."""

    def __init__(self, gevraagd: bool, totaal: int, soort: str) -> None:
        self.aan = gevraagd or sys.stderr.isatty()
        self.totaal, self.soort, self.casussen = totaal, soort, 0
        self.progress: Any = None

    def __enter__(self) -> _Voortgang:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if not self.aan or self.progress is not None:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("replay"), BarColumn(), TaskProgressColumn(),
                                 TextColumn("{task.fields[casussen]} casussen"), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=False)
        self.taak = self.progress.add_task("replay", total=self.totaal, casussen=0)
        self.progress.start()

    def verder(self, gewicht: int, aantal: int) -> None:
        self.casussen += aantal
        if self.progress is not None:
            self.progress.update(self.taak, advance=gewicht, casussen=self.casussen)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
