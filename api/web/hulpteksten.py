"""The help text under each field of the form "Advies aanvragen": api/web/hulpteksten.yaml, read once and checked.

Each field has a short Dutch text and the seed passages it is written from, cited as the rules cite them
("001 §3.1") and named for the professional by document and section (engine.bronnen.bron_voluit). A field the
seeds say nothing about has no citation: its source reads "toelichting van de dienst". Language, not policy:
no number or switch of the rules lives in the file.

`lees` refuses a broken file with a message naming the entry (a citation without a seed passage, a code in a text,
an unknown key), so a made-up citation never reaches the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from rules.bronnen import bron_voluit, onderdelen, passages

__all__ = ["BESTAND", "ZONDER_BRON", "Hulptekst", "HulptekstFout", "Hulpteksten", "hulp", "hulpteksten", "lees"]

BESTAND = Path(__file__).with_name("hulpteksten.yaml")
ZONDER_BRON = "toelichting van de dienst (de stukken zeggen hier niets over)"
_GROEPEN = ("velden", "gezinslid")
_SLEUTELS = frozenset({"tekst", "bron", "beleidskeuze"})
_LID = re.compile(r"leden-\d+-(?P<veld>.+)")
# What a professional should never read in a help text: a code (`in_beeld`), a field path (`geweld.vormen`) or a
# reference code ("§3.1": the source is shown under the text, by document and section).
_CODE = re.compile(r"_|§|\b[a-z]{3,}\.[a-z_]{2,}\b")


class HulptekstFout(ValueError):
    """api/web/hulpteksten.yaml is broken; the message names the entry."""


@dataclass(frozen=True)
class Hulptekst:
    """One field's help: the text, its seed citation (None: no seed speaks of it) and whether it is a reading."""

    tekst: str
    bron: str | None = None
    beleidskeuze: bool = False

    @property
    def bron_in_woorden(self) -> str:
        """'Bijlage 3. Pakketten HG-arrangementen, 3.1 Extramurale HG-arrangementen (001 §3.1)'."""
        return bron_voluit(self.bron) if self.bron else ZONDER_BRON


@dataclass(frozen=True)
class Hulpteksten:
    """The help of the form's own fields (by form name) and of every member row's fields (by name after the row)."""

    velden: Mapping[str, Hulptekst]
    gezinslid: Mapping[str, Hulptekst]

    def voor(self, naam: str) -> Hulptekst | None:
        """The help of a form field or fieldset id: `leden-3-leeftijd` is the member field `leeftijd`."""
        lid = _LID.fullmatch(naam)
        return self.gezinslid.get(lid["veld"]) if lid else self.velden.get(naam)


def _bron(waar: str, bron: object) -> str:
    if not isinstance(bron, str) or not onderdelen(bron):
        raise HulptekstFout(f"{waar}: bron moet een verwijzing zijn zoals \"001 §3.1\"")
    for deel in passages(bron):
        if not deel["tekst"]:
            raise HulptekstFout(f"{waar}: bron {deel['verwijzing']!r} heeft geen passage in rules/bronnen.yaml; "
                                "laat de bron weg als de stukken niets over dit veld zeggen")
    return bron


def _hulptekst(waar: str, raw: object) -> Hulptekst:
    if not isinstance(raw, Mapping):
        raise HulptekstFout(f"{waar}: verwacht tekst, en zo nodig bron en beleidskeuze")
    onbekend = sorted(set(map(str, raw)) - _SLEUTELS)
    if onbekend:
        raise HulptekstFout(f"{waar}: onbekende sleutel {', '.join(onbekend)}")
    tekst = raw.get("tekst")
    if not isinstance(tekst, str) or not tekst.strip():
        raise HulptekstFout(f"{waar}: tekst ontbreekt")
    tekst = " ".join(tekst.split())
    code = _CODE.search(tekst)
    if code:
        raise HulptekstFout(f"{waar}: de tekst bevat code ({code.group(0)!r}); schrijf het in woorden")
    beleidskeuze = raw.get("beleidskeuze", False)
    if not isinstance(beleidskeuze, bool):
        raise HulptekstFout(f"{waar}: beleidskeuze is true of false")
    bron = _bron(waar, raw["bron"]) if "bron" in raw else None
    if beleidskeuze and bron is None:
        raise HulptekstFout(f"{waar}: een beleidskeuze is een lezing van de stukken en noemt dus een bron")
    return Hulptekst(tekst, bron, beleidskeuze)


def lees(pad: Path = BESTAND) -> Hulpteksten:
    """The help texts of `pad`; HulptekstFout when the file is not as api/web/hulpteksten.yaml describes."""
    try:
        raw: Any = yaml.safe_load(pad.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HulptekstFout(f"{pad.name}: niet te lezen: {exc}") from None
    if not isinstance(raw, Mapping) or set(raw) != set(_GROEPEN):
        raise HulptekstFout(f"{pad.name}: verwacht precies de groepen {' en '.join(_GROEPEN)}")
    groepen: dict[str, dict[str, Hulptekst]] = {}
    for groep in _GROEPEN:
        if not isinstance(raw[groep], Mapping) or not raw[groep]:
            raise HulptekstFout(f"{pad.name}: {groep} is een lijst van velden met hun hulptekst")
        groepen[groep] = {str(veld): _hulptekst(f"{groep}.{veld}", v) for veld, v in raw[groep].items()}
    return Hulpteksten(groepen["velden"], groepen["gezinslid"])


@cache
def hulpteksten() -> Hulpteksten:
    """api/web/hulpteksten.yaml, read once."""
    return lees(BESTAND)


def hulp(naam: str) -> Hulptekst | None:
    """The help under the form field (or fieldset) `naam`, or None when it has none."""
    return hulpteksten().voor(naam)
