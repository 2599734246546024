"""Scenarios: a declarative change of the ruleset (parameter overrides, switched-off and added rules), validated.

A scenario is data (contract, "Scenario"): a diff on the immutable baseline. It is checked against
the engine's parameter tree in force on a peildatum and against the engine's rule ids; every problem
is reported as a `Fout` naming the field (`parameters.pakket_matrix.hoog.beperkt`, `regels_uit[0]`,
`regels_bij[0].wanneer.signalen`: added rules are validated by `engine.scenario_regels_invoer`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import yaml

from engine.dsl import CompileError
from engine.errors import Fout
from engine.parameters import GeenRegelsetFout, ParameterFout, Parameters, as_date
from engine.persoonsgegevens import SOORTEN, in_id, in_tekst
from engine.regels_bij import RegelBij
from engine.scenario_regels import compileer
from engine.scenario_regels_invoer import lees_regels_bij

if TYPE_CHECKING:
    from engine.core import Engine

__all__ = ["SCENARIO", "Scenario", "ScenarioFout", "lees_scenario", "scenario_uit"]

SCENARIO = "(scenario)"
"""The `veld` of an error about the scenario document as a whole."""

_NAAM = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)
_TEKSTEN = ("beschrijving", "vraag", "bron")
_SLEUTELS = ("naam", *_TEKSTEN, "peildatum", "parameters", "regels_uit", "regels_bij")


@dataclass(frozen=True)
class Scenario:
    """A changed ruleset: parameter overrides (dotted path -> value), rule ids switched off, rules added."""

    naam: str
    beschrijving: str
    vraag: str
    bron: str
    parameters: dict[str, Any] = field(default_factory=dict)
    regels_uit: tuple[str, ...] = ()
    peildatum: dt.date | None = None  # evaluate the scenario side on this date instead of the casus' own
    regels_bij: tuple[RegelBij, ...] = ()


class ScenarioFout(ValueError):
    """A scenario that is refused; `fouten` lists every offending field."""

    def __init__(self, fouten: list[Fout]) -> None:
        self.fouten = list(fouten)
        super().__init__("\n".join(f"{f.veld}: {f.melding}" for f in self.fouten))

    def as_dict(self) -> dict[str, Any]:
        return {"fouten": [f.as_dict() for f in self.fouten]}


def lees_scenario(pad: Path, engine: Engine) -> Scenario:
    """Read and validate a scenario file (`.json` as JSON, anything else as YAML)."""
    try:
        tekst = pad.read_bytes()
    except OSError as exc:
        raise ScenarioFout([Fout(SCENARIO, f"kan het bestand {pad} niet lezen ({exc.strerror or exc})")]) from None
    try:
        data: object = orjson.loads(tekst) if pad.suffix.lower() == ".json" else yaml.safe_load(tekst)
    except orjson.JSONDecodeError as exc:
        raise ScenarioFout([Fout(SCENARIO, f"ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioFout([Fout(SCENARIO, f"ongeldige YAML: {exc}")]) from None
    return scenario_uit(data, engine)


def scenario_uit(data: object, engine: Engine, peildatum: dt.date | None = None) -> Scenario:
    """Validate raw (JSON/YAML-loaded) scenario data against `engine`.

    Parameters are checked against the tree in force on the scenario's own `peildatum`, else on
    `peildatum`, else on the newest version. The baseline is never changed (overrides apply to copies).
    """
    if not isinstance(data, Mapping):
        raise ScenarioFout([Fout(SCENARIO, "het scenario moet een YAML- of JSON-object zijn (velden tussen { })")])
    fouten = _onbekende_sleutels(data)
    naam = _naam(data.get("naam"), fouten)
    teksten = {key: _tekst(key, data.get(key), fouten) for key in _TEKSTEN}
    eigen_datum = _peildatum(data.get("peildatum"), fouten)
    basis = _basis(engine, eigen_datum or peildatum, fouten)
    parameters = _parameters(data.get("parameters", {}), basis, fouten)
    regels_uit = _regels_uit(data.get("regels_uit", []), engine, fouten)
    regels_bij = lees_regels_bij(data.get("regels_bij", []), fouten)
    if not fouten:
        _compileerbaar(regels_bij, engine, basis, fouten)
    if fouten:
        raise ScenarioFout(fouten)
    assert basis is not None  # a failing _basis adds a Fout
    _consistentie(basis.with_overrides(parameters), regels_uit, fouten)
    if fouten:
        raise ScenarioFout(fouten)
    return Scenario(naam, teksten["beschrijving"], teksten["vraag"], teksten["bron"], parameters, regels_uit,
                    eigen_datum, regels_bij)


def _compileerbaar(regels: tuple[RegelBij, ...], engine: Engine, basis: Parameters | None,
                   fouten: list[Fout]) -> None:
    """The added rules compile against the engine's rules and facts (checked before anything runs)."""
    if not regels or basis is None:
        return
    try:
        bij, schemas = compileer(regels, engine.source.rules)
        alle = {**engine.source.schemas, **schemas}
        for regel in bij:
            for _, patroon in regel.when:
                patroon.compile(alle, basis.get)
    except CompileError as exc:
        fouten.append(Fout("regels_bij", f"de regels kunnen niet in deze regelset worden opgenomen ({exc})"))


def _suggestie(woord: str, mogelijk: Iterable[str], cutoff: float = 0.75) -> str:
    close = difflib.get_close_matches(woord, list(mogelijk), n=1, cutoff=cutoff)
    return f"; bedoelt u '{close[0]}'?" if close else ""


def _onbekende_sleutels(data: Mapping[Any, Any]) -> list[Fout]:
    return [
        Fout(str(key), f"onbekend veld; niet toegestaan (controleer de spelling{_suggestie(str(key), _SLEUTELS)})")
        for key in data
        if key not in _SLEUTELS
    ]


def _naam(value: object, fouten: list[Fout]) -> str:
    if value is None or value == "":
        fouten.append(Fout("naam", "verplicht veld ontbreekt: geef het scenario een naam"))
    elif not isinstance(value, str) or not _NAAM.fullmatch(value):
        fouten.append(Fout("naam", "ongeldige naam: 1 tot 64 tekens, letters, cijfers, punt, liggend streepje of "
                                   "koppelteken (geen spaties), bijvoorbeeld 'ruimere-vrije-trede'"))
    elif (soort := in_id(value)) is not None:
        fouten.append(Fout("naam", f"lijkt {SOORTEN[soort]} te bevatten; geef het scenario een naam zonder "
                                   "persoonsgegevens, bijvoorbeeld 'ruimere-vrije-trede'"))
    else:
        return value
    return ""


def _tekst(key: str, value: object, fouten: list[Fout]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        fouten.append(Fout(key, "moet tekst zijn"))
        return ""
    soort = in_tekst(value)
    if soort is not None:
        fouten.append(Fout(key, f"lijkt {SOORTEN[soort]} te bevatten; schrijf dit zonder persoonsgegevens (geen "
                                "naam, BSN, adres, geboortedatum, telefoonnummer of e-mailadres)"))
        return ""
    return value.strip()


def _peildatum(value: object, fouten: list[Fout]) -> dt.date | None:
    if value is None:
        return None
    found = as_date(value)
    if found is None:
        fouten.append(Fout("peildatum", "ongeldige datum; gebruik JJJJ-MM-DD"))
    return found


def _basis(engine: Engine, peildatum: dt.date | None, fouten: list[Fout]) -> Parameters | None:
    try:
        return engine.tree.resolve(engine.tree.versions[-1] if peildatum is None else peildatum)
    except GeenRegelsetFout as exc:
        fouten.append(Fout("peildatum", str(exc)))
    except ParameterFout as exc:
        fouten.append(Fout(f"parameters.{exc.pad}", exc.melding))
    return None


def _parameters(value: object, basis: Parameters | None, fouten: list[Fout]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fouten.append(Fout("parameters", "moet een object zijn: parameterpad (met punten) -> nieuwe waarde"))
        return {}
    if basis is None:
        return dict(value)
    paden = sorted({pad for pad, _ in basis.leaves()} | set(basis.tree.nodes))
    goed: dict[str, Any] = {}
    for pad, nieuw in value.items():
        if not isinstance(pad, str) or not pad:
            fouten.append(Fout(f"parameters.{pad}", "parameterpad moet tekst zijn, bijv. 'duur.richtlijn_maanden'"))
            continue
        try:
            basis.with_overrides({pad: nieuw})  # checks path, shape and type on a copy
        except ParameterFout as exc:
            melding = exc.melding
            if melding == "onbekend parameterpad":
                melding += _suggestie(pad, paden, cutoff=0.9)  # long shared prefixes look alike
            fouten.append(Fout(f"parameters.{exc.pad}", melding))
            continue
        goed[pad] = nieuw
    return goed


def _regels_uit(value: object, engine: Engine, fouten: list[Fout]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        fouten.append(Fout("regels_uit", "moet een lijst van regel-id's zijn, bijvoorbeeld ['pakket.vrije_trede']"))
        return ()
    regels = {r.id: r for r in engine.source.rules}
    goed: list[str] = []
    for i, regel_id in enumerate(value):
        veld = f"regels_uit[{i}]"
        if not isinstance(regel_id, str):
            fouten.append(Fout(veld, "moet een regel-id (tekst) zijn"))
        elif regel_id not in regels:
            fouten.append(Fout(veld, f"onbekende regel '{regel_id}'{_suggestie(regel_id, list(regels))}"))
        elif not regels[regel_id].uitschakelbaar:
            fouten.append(Fout(veld, f"regel '{regel_id}' kan niet uitgeschakeld worden"))
        elif regel_id not in goed:
            goed.append(regel_id)
    return tuple(goed)


_MINIMUM_REGEL = "pakket.minimum_semi_intramuraal"


def _consistentie(params: Parameters, regels_uit: tuple[str, ...], fouten: list[Fout]) -> None:
    """Every pakket the rules can reach in a perceel must have hours and treden there.

    Pakket 1 does not exist semi/intramurally (null in `uren`/`treden`, 001 §3.2); a scenario that
    lowers `semi_intramuraal.minimum_pakket`, or switches off the rule that applies it, must give those
    values too, or replay would fail.
    """
    values = params.values
    minimum = 1 if _MINIMUM_REGEL in regels_uit else values.get("semi_intramuraal", {}).get("minimum_pakket")
    if not isinstance(minimum, int):
        return
    oorzaak = (f"regel {_MINIMUM_REGEL} staat uit" if _MINIMUM_REGEL in regels_uit
               else f"semi_intramuraal.minimum_pakket = {minimum}")
    tabellen = [(f"uren.{perceel}", tabel) for perceel, tabel in values.get("uren", {}).items()]
    tabellen += [(f"treden.{perceel}", tabel) for perceel, tabel in values.get("treden", {}).items()]
    for prefix, tabel in tabellen:
        perceel = prefix.split(".")[1]
        laagste = 1 if perceel == "extramuraal" else minimum
        for sleutel, lijst in tabel.items():
            leeg = [p for p in range(laagste, 4) if isinstance(lijst, list) and lijst[p - 1] is None]
            if leeg:
                fouten.append(Fout(
                    f"parameters.{prefix}.{sleutel}",
                    f"pakket {leeg[0]} kan {perceel} voorkomen ({oorzaak}), "
                    "maar heeft hier geen waarde (null); geef ook deze waarde op",
                ))
