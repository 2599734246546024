"""`hg-advies` commands: advies (one casus, a folder, or JSON Lines) and genereer (synthetic casussen)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from cli.batch import advies_regels
from cli.invoer import casus_bestanden, casus_uit_document, lees_document, lees_tekst
from cli.replay import replay
from cli.wat_als import wat_als
from engine.errors import CasusFout, Fout
from engine.parameters import GeenRegelsetFout

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="hg-advies: advies voor het Rotterdamse HG-arrangement op basis van een geanonimiseerde casus.",
)

EXIT_ONGELDIG = 2


def _fouten(fouten: list[Fout], prefix: str = "") -> None:
    for fout in fouten:
        veld = fout.veld or "(casus)"
        typer.echo(f"{prefix}{veld}: {fout.melding}", err=True)


def _onleesbaar(bestand: object, exc: OSError | UnicodeDecodeError) -> str:
    reden = "geen UTF-8-tekst" if isinstance(exc, UnicodeDecodeError) else exc.strerror
    return f"{bestand}: kan het bestand niet lezen ({reden})"


def _advies_voor_document(document: object, alternatieven: bool = False) -> dict[str, object]:
    from engine.alternatieven import advies_met_alternatieven
    from engine.casus import parse_casus
    from rules import standaard_engine

    try:
        casus = parse_casus(casus_uit_document(document))
        return advies_met_alternatieven(standaard_engine(), casus, alternatieven_erbij=alternatieven)
    except GeenRegelsetFout as exc:
        raise CasusFout([Fout("peildatum", str(exc))]) from exc


@app.command()
def advies(
    bestand: Annotated[str, typer.Argument(help="Casus als JSON of YAML; '-' leest standaardinvoer; "
                                              ".jsonl: één casus per regel; een map: elk casusbestand.")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Lees JSON Lines (ook van standaardinvoer).")] = False,
    workers: Annotated[int, typer.Option(min=0, help="Processen voor JSON Lines (0: alle kernen).")] = 0,
    compact: Annotated[bool, typer.Option(help="Eén regel JSON in plaats van ingesprongen.")] = False,
    alternatieven: Annotated[bool | None, typer.Option(
        "--alternatieven/--zonder-alternatieven", show_default=False,
        help="Voeg 'alternatieven' toe: de kleinste enkele wijzigingen van de invoer die route, perceel of pakket "
             "veranderen. Standaard aan voor één casus, uit voor JSON Lines en een map: het kost per casus één "
             "extra evaluatie per kandidaat-wijziging (zo'n vijftien).")] = None,
) -> None:
    """Geef het advies voor een casus (JSON op standaarduitvoer; fouten op standaardfout, exitcode 2)."""
    uit = sys.stdout.buffer
    if jsonl or bestand.endswith(".jsonl"):
        try:
            invoer = sys.stdin.buffer if bestand == "-" else open(bestand, "rb")  # noqa: SIM115  # closed below
        except OSError as exc:
            typer.echo(_onleesbaar(bestand, exc), err=True)
            raise typer.Exit(EXIT_ONGELDIG) from exc
        try:
            _, fouten = advies_regels(invoer, uit, workers or None, alternatieven=alternatieven is True)
        finally:
            if invoer is not sys.stdin.buffer:
                invoer.close()
        uit.flush()
        if fouten:
            typer.echo(f"{fouten} regel(s) met fouten; zie de regels met \"fouten\" in de uitvoer.", err=True)
            raise typer.Exit(EXIT_ONGELDIG)
        return
    if bestand != "-" and Path(bestand).is_dir():
        fout = False
        for pad in casus_bestanden(Path(bestand)):
            try:
                document = lees_document(pad.read_text(encoding="utf-8"))
                uit.write(orjson.dumps(_advies_voor_document(document, alternatieven is True)))
                uit.write(b"\n")
            except CasusFout as exc:
                _fouten(exc.fouten, prefix=f"{pad.name}: ")
                fout = True
            except (OSError, UnicodeDecodeError) as exc:
                typer.echo(_onleesbaar(pad.name, exc), err=True)
                fout = True
        uit.flush()
        raise typer.Exit(EXIT_ONGELDIG if fout else 0)
    try:
        tekst = lees_tekst(bestand)
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(_onleesbaar(bestand, exc), err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    try:
        resultaat = _advies_voor_document(lees_document(tekst), alternatieven is not False)
    except CasusFout as exc:
        _fouten(exc.fouten)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    uit.write(orjson.dumps(resultaat, option=0 if compact else orjson.OPT_INDENT_2))
    uit.write(b"\n")
    uit.flush()


@app.command()
def genereer(
    aantal: Annotated[int, typer.Option(min=1, max=10_000_000, help="Aantal casussen.")] = 1000,
    seed: Annotated[int, typer.Option(help="Startwaarde van de toevalsgenerator (zelfde seed, zelfde casussen).")] = 1,
    uit: Annotated[Path | None, typer.Option(help="Schrijf naar dit .jsonl-bestand (anders standaarduitvoer).")] = None,
) -> None:
    """Schrijf een synthetische, plausibele populatie casussen als JSON Lines (casus_id begint met SYNTH-)."""
    from cli.genereer import synthetische_casussen

    doel = open(uit, "wb") if uit else sys.stdout.buffer  # noqa: SIM115  # closed below
    try:
        for casus in synthetische_casussen(aantal, seed):
            doel.write(orjson.dumps(casus) + b"\n")
    finally:
        if uit:
            doel.close()
        else:
            doel.flush()


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _instellingen() -> Any:
    """The service settings from the environment; an invalid one exits 2 naming the variable."""
    from pydantic import ValidationError

    from api.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        for fout in exc.errors():
            typer.echo(f"HG_{str(fout['loc'][0]).upper()}: ongeldige waarde ({fout['msg']})", err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Adres om op te luisteren.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Poort.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Aantal processen (uvicorn workers).")] = 1,
) -> None:
    """Start de HTTP-dienst (standaard op een ingebedde SQLite-database; HG_DATABASE_URL voor PostgreSQL)."""
    import os
    import secrets

    import uvicorn

    from api import wachtrij
    from api.auth import SleutelFout, Sleutels
    from api.db import make_engine, migrate
    from api.http_protocol import EenSchrijfProtocol
    from api.logboek import LOG_CONFIG
    from api.oidc import Instelling, OidcFout
    from api.replay_jobs import na_herstart
    from engine.taal import aantal

    settings = _instellingen()
    if not settings.api_keys:
        if not _loopback(host):
            typer.echo(f"HG_API_KEYS is niet gezet: de dienst start niet op {host} (alleen op loopback, "
                       "met een tijdelijke sleutel).", err=True)
            raise typer.Exit(EXIT_ONGELDIG)
        sleutel = secrets.token_urlsafe(24)
        os.environ["HG_API_KEYS"] = f"{sleutel}:beheerder"
        typer.echo(f"HG_API_KEYS is niet gezet. Tijdelijke beheerderssleutel voor deze sessie:\n  {sleutel}\n"
                   f"Gebruik: Authorization: Bearer {sleutel}", err=True)
    try:
        Sleutels(os.environ["HG_API_KEYS"])
    except SleutelFout as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    try:
        Instelling.uit(settings)  # HG_OIDC_*: all three or none, an https issuer
    except OidcFout as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    try:
        wachtrij.werkers_uit_omgeving()
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_ONGELDIG) from exc
    db = make_engine(settings.database_url)
    migrate(db)  # once, before the workers start
    afgebroken = na_herstart(db)  # replays the previous run left queued or running can no longer finish
    db.dispose()
    if afgebroken:
        typer.echo(f"Van de vorige keer: {aantal(afgebroken, 'afspeeltaak', 'afspeeltaken')} afgebroken en als "
                   "mislukt gemeld.", err=True)
    typer.echo(f"hg-advies luistert op http://{host}:{port} (database: {db.url.render_as_string()})", err=True)
    # X-Forwarded-For and -Proto count only from the proxies named in HG_TRUSTED_PROXIES (uvicorn's default
    # trusts 127.0.0.1, so anyone on the machine could pick an address and slip past the sign-in limit).
    proxies = os.environ.get("HG_TRUSTED_PROXIES", "").strip()
    # Logs: one JSON line per request from api/logboek.py (uvicorn's access log off), every other line as JSON too.
    # http: uvicorn's httptools protocol, writing each response in one piece (api/http_protocol.py).
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="warning",
                http=EenSchrijfProtocol, access_log=False, log_config=LOG_CONFIG, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)


@app.command()
def opschonen(
    dagen: Annotated[int | None, typer.Option(min=1, max=36500, help="Bewaartermijn in dagen (standaard "
                                              "HG_BEWAARTERMIJN_DAGEN, anders 3650).")] = None,
) -> None:
    """Verwijder de adviezen die ouder zijn dan de bewaartermijn, met hun besluiten en reviews (de regels in
    het auditlog blijven). De dienst doet dit zelf ook eens per dag."""
    from api import idempotentie
    from api.bewaren import opschonen as verwijder_oude
    from api.db import make_engine, migrate
    from engine.taal import aantal

    settings = _instellingen()
    termijn = dagen or settings.bewaartermijn_dagen
    db = make_engine(settings.database_url)
    migrate(db)
    verwijderd = verwijder_oude(db, termijn)
    idempotentie.opschonen(db)  # the stored first answers of idempotency keys older than a day
    db.dispose()
    tekst = f"{aantal(verwijderd, 'advies', 'adviezen')} ouder dan {termijn} dagen verwijderd."
    typer.echo(tekst[:1].upper() + tekst[1:])


app.command()(replay)
app.command("wat-als")(wat_als)


if __name__ == "__main__":
    app()


@app.command()
def worker(
    processen: Annotated[int, typer.Option(min=0, max=64, help="Aantal werkprocessen (0: één per kern). Elk "
                                           "proces rekent aan één deel tegelijk.")] = 0,
    gelijktijdig: Annotated[int, typer.Option(min=1, max=16, help="Delen tegelijk per werkproces (meer dan 1 "
                                              "helpt niet: een deel is rekenwerk).")] = 1,
) -> None:
    """Voer afspeeltaken uit de wachtrij in PostgreSQL uit (HG_DATABASE_URL), tot SIGTERM of Ctrl-C.

    Naast of in plaats van de werkers in de dienst (HG_WACHTRIJ_WERKERS). Bij stoppen krijgt een deel dat
    loopt even de tijd; wat dan nog niet klaar is, wordt later opnieuw uitgevoerd."""
    import os
    import signal

    from api import wachtrij
    from api.db import make_engine, migrate
    from engine.taal import aantal

    settings = _instellingen()
    if not wachtrij.gebruikt(settings.database_url):
        typer.echo("HG_DATABASE_URL wijst niet naar PostgreSQL: de wachtrij bestaat alleen op PostgreSQL (met "
                   "SQLite rekent de dienst zelf).", err=True)
        raise typer.Exit(EXIT_ONGELDIG)
    db = make_engine(settings.database_url)
    migrate(db)  # the queue's tables, when the worker starts before any service
    db.dispose()
    aantal_processen = processen or os.cpu_count() or 1
    werkers = wachtrij.Werkers(settings.database_url, aantal_processen, gelijktijdig, met_ouder=True).start()
    typer.echo(f"hg-advies worker: {aantal(aantal_processen, 'werkproces', 'werkprocessen')} op de wachtrij in "
               "PostgreSQL.", err=True)

    def stop(signum: int, _frame: object) -> None:
        for proces in werkers.processen:  # each lets its part finish or hands it back to the queue
            if proces.pid is not None and proces.is_alive():
                os.kill(proces.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    werkers.wacht()
    typer.echo("hg-advies worker: gestopt.", err=True)
