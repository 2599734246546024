"""Rules added by a scenario (`regels_bij`): the vocabulary (paths, tests, consequences) and the validated rule.

Compiled into engine rules by `engine.scenario_regels`, validated by `engine.scenario_regels_invoer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from engine.casus import (
    MAX_LEDEN,
    Geweldsvorm,
    Inzet,
    Signaal,
    Vaardigheden,
    Veiligheidsniveau,
    WmoZorg,
    Woonplaats,
)

__all__ = [
    "GEVOLGEN",
    "Gevolgen",
    "MAATWERK",
    "PADEN",
    "Pad",
    "RegelBij",
    "TELLING",
    "TELLING_SCHEMA",
    "TOETSEN",
]

TOETSEN = ("gelijk", "niet", "in", "bevat", "min", "max")
GEVOLGEN = ("minimum_pakket", "onderdeel_uit", "onderdeel_bij", "signalering", "vrije_trede", "maatwerk_bij")
MAATWERK = ("toeleiding_schulddienstverlening", "dagbesteding", "nachtelijke_ondersteuning")
"""The maatwerk resultaatgebieden of the contract (`maatwerk[].resultaatgebied`)."""

TELLING = "scenario_telling"
TELLING_SCHEMA: dict[str, type] = {"t": str, "aantal_kinderen": int, "aantal_volwassenen_geteld": int}

ARRANGEMENT = ("minimum_pakket", "onderdeel_uit", "onderdeel_bij", "vrije_trede", "maatwerk_bij")
"""Consequences that only exist within an HG-arrangement; a rule with only `signalering` also applies on basishulp."""


@dataclass(frozen=True)
class Pad:
    """A casus path a rule may test: the fact and field it reads, its kind and the values it allows."""

    feit: str
    veld: str  # for a list: the prefix of its booleans on the casus fact (`signaal_` + value)
    soort: str  # "keuze" | "ja_nee" | "getal" | "lijst"
    waarden: tuple[Any, ...] = ()
    minimum: int = 0
    maximum: int = 0


def _grenzen(model: type[Inzet], naam: str) -> tuple[int, int]:
    info = model.model_fields[naam]
    ge = next(m.ge for m in info.metadata if hasattr(m, "ge"))
    le = next(m.le for m in info.metadata if hasattr(m, "le"))
    return int(ge), int(le)


def _ja_nee(veld: str) -> Pad:
    return Pad("casus", veld, "ja_nee", (True, False))


PADEN: dict[str, Pad] = {
    "woonplaats": Pad("casus", "woonplaats", "keuze", get_args(Woonplaats)),
    "geweld.binnen_huiselijke_kring": _ja_nee("binnen_huiselijke_kring"),
    "geweld.structureel": _ja_nee("structureel"),
    "geweld.intieme_terreur": _ja_nee("intieme_terreur"),
    "geweld.vormen": Pad("casus", "vorm_", "lijst", get_args(Geweldsvorm)),
    "veiligheid.niveau": Pad("casus", "niveau", "keuze", get_args(Veiligheidsniveau)),
    "veiligheid.acuut": _ja_nee("acuut"),
    "vaardigheden": Pad("casus", "vaardigheden", "keuze", get_args(Vaardigheden)),
    "woonsituatie.dakloos": _ja_nee("dakloos"),
    "woonsituatie.zelfstandig_wonen_veilig": _ja_nee("zelfstandig_wonen_veilig"),
    "woonsituatie.nabijheid_24u_nodig": _ja_nee("nabijheid_24u_nodig"),
    "bestaande_wmo_zorg": Pad("casus", "bestaande_wmo_zorg", "keuze", get_args(WmoZorg)),
    "inzet.verwachte_duur_maanden": Pad("casus", "verwachte_duur_maanden", "getal", (),
                                        *_grenzen(Inzet, "verwachte_duur_maanden")),
    "inzet.specialistisch": _ja_nee("specialistisch"),
    "signalen": Pad("casus", "signaal_", "lijst", get_args(Signaal)),
    "aantal_kinderen": Pad(TELLING, "aantal_kinderen", "getal", (), 0, MAX_LEDEN),
    "aantal_volwassenen_geteld": Pad(TELLING, "aantal_volwassenen_geteld", "getal", (), 0, MAX_LEDEN),
}
"""Every path `wanneer` may test: the casus' own fields (dotted) and the two counts of the contract."""


@dataclass(frozen=True)
class Gevolgen:
    """What an added rule does when its condition holds (validated; empty fields do nothing)."""

    minimum_pakket: int | None = None
    onderdeel_uit: tuple[tuple[str, str], ...] = ()  # (onderdeel, reden)
    onderdeel_bij: tuple[str, ...] = ()
    signalering: tuple[str, str] | None = None  # (code, tekst)
    vrije_trede: bool = False
    maatwerk_bij: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.minimum_pakket is not None:
            found["minimum_pakket"] = self.minimum_pakket
        if self.onderdeel_uit:
            found["onderdeel_uit"] = [{"onderdeel": o, "reden": r} for o, r in self.onderdeel_uit]
        if self.onderdeel_bij:
            found["onderdeel_bij"] = list(self.onderdeel_bij)
        if self.signalering is not None:
            found["signalering"] = {"code": self.signalering[0], "tekst": self.signalering[1]}
        if self.vrije_trede:
            found["vrije_trede"] = True
        if self.maatwerk_bij:
            found["maatwerk_bij"] = list(self.maatwerk_bij)
        return found

    @property
    def in_arrangement(self) -> bool:
        return self.minimum_pakket is not None or self.later

    @property
    def later(self) -> bool:
        """Whether anything but the pakket minimum is applied in the arrangement (by `regels_bij.toepassen`)."""
        return bool(self.onderdeel_uit or self.onderdeel_bij or self.vrije_trede or self.maatwerk_bij)


@dataclass(frozen=True)
class RegelBij:
    """One validated added rule. `wanneer` holds (path, test, value) in input order."""

    id: str
    wanneer: tuple[tuple[str, str, Any], ...]
    dan: Gevolgen
    tekst: str
    bron: str

    def as_dict(self) -> dict[str, Any]:
        """The rule in the scenario format (it validates to itself)."""
        wanneer: dict[str, dict[str, Any]] = {}
        for pad, toets, waarde in self.wanneer:
            wanneer.setdefault(pad, {})[toets] = list(waarde) if isinstance(waarde, tuple) else waarde
        return {"id": self.id, "wanneer": wanneer, "dan": self.dan.as_dict(), "tekst": self.tekst, "bron": self.bron}

    def omdat(self) -> list[str]:
        """The conditions as the explanation lists them ("signalen bevat ggz", "veiligheid.niveau in midden, hoog")."""
        delen = []
        for pad, toets, waarde in self.wanneer:
            tekst = ", ".join(_woord(w) for w in waarde) if isinstance(waarde, list | tuple) else _woord(waarde)
            woord = {"gelijk": "=", "niet": "niet", "min": "minimaal", "max": "maximaal"}.get(toets, toets)
            delen.append(f"{pad} {woord} {tekst}")
        return delen or ["geen voorwaarde: de regel geldt voor elk huishouden"]


def _woord(waarde: Any) -> str:
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    return str(waarde)
