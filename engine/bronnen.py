"""The seed passage behind each cited source: a sources file (`RuleSource.bronnen`; the project's is
`rules/bronnen.yaml`) read once, references resolved part by part.

A rule, a parameter or a scenario cites its source as a short reference such as "001 §3.1",
"000 Doelen 3", "001 §3.1 noot 1" or "004"; a compound reference joins parts with ";"
("001 §3.1; 001 §3.2") and a part may end in a range ("000 Doelen 1-2" means Doelen 1 and Doelen 2).
`passages` gives, per part, the document title, the section heading and a verbatim passage of the
seed document, so an explanation can show the text it rests on. It never raises: a part without a
passage gets an empty heading and text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Bronnen", "laad_bronnen", "onderdelen"]

_log = logging.getLogger(__name__)

_DOCUMENT = re.compile(r"^(\d{3})(?!\d)")
# A trailing integer range, e.g. "000 Doelen 1-2" (also with an en dash).
_BEREIK = re.compile(r"^(?P<kern>.*\D)(?P<van>\d+)\s*[-–]\s*(?P<tot>\d+)$")
_MAX_BEREIK = 20  # a longer range is not expanded (it is kept whole and has no passage)


@dataclass(frozen=True)
class _Tabellen:
    titels: Mapping[str, str]  # document number -> title
    passages: Mapping[str, tuple[str, str]]  # single reference -> (kop, tekst)


def _tekst(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@cache
def laad_bronnen(pad: Path) -> Bronnen:
    """The sources file at `pad`, read once; a missing or broken file gives empty tables (logged), never an
    error."""
    return Bronnen(_lees(pad))


def _lees(pad: Path) -> _Tabellen:
    try:
        raw: Any = yaml.safe_load(pad.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        _log.warning("cannot read %s: %s", pad, exc)
        return _Tabellen({}, {})
    if not isinstance(raw, Mapping):
        _log.warning("%s: expected a mapping with 'documenten' and 'passages'", pad)
        return _Tabellen({}, {})
    titels: dict[str, str] = {}
    documenten = raw.get("documenten")
    if isinstance(documenten, Mapping):
        for nummer, doc in documenten.items():
            titels[str(nummer)] = _tekst(doc.get("titel")) if isinstance(doc, Mapping) else ""
    gevonden: dict[str, tuple[str, str]] = {}
    entries = raw.get("passages")
    if isinstance(entries, Mapping):
        for ref, entry in entries.items():
            if isinstance(entry, Mapping):
                gevonden[_sleutel(str(ref))] = (_tekst(entry.get("kop")), _tekst(entry.get("tekst")))
    return _Tabellen(titels, gevonden)


def _sleutel(ref: str) -> str:
    """A reference with its whitespace collapsed, as it is looked up."""
    return " ".join(ref.split())


def onderdelen(bron: str) -> list[str]:
    """The single references in `bron`, in order: split on ";", a trailing range expanded.

    >>> onderdelen("000 Doelen 1-2; 001 §3.1 noot 1")
    ['000 Doelen 1', '000 Doelen 2', '001 §3.1 noot 1']
    """
    if not isinstance(bron, str):
        return []
    result: list[str] = []
    for deel in bron.split(";"):
        deel = _sleutel(deel)
        if not deel:
            continue
        bereik = _BEREIK.match(deel)
        if bereik and _DOCUMENT.match(deel):
            van, tot = int(bereik["van"]), int(bereik["tot"])
            if van <= tot and tot - van < _MAX_BEREIK:
                result.extend(f"{bereik['kern']}{n}" for n in range(van, tot + 1))
                continue
        result.append(deel)
    return result


_DETAIL = re.compile(r"\b(noot|tabel)\s+(\d+)\b")
_EIS = re.compile(r"^\d{3} Eisen (\d+)$")
_PARAGRAAF = re.compile(r"^\d{3} §(\S+)")


class Bronnen:
    """The passages of one sources file."""

    def __init__(self, data: _Tabellen) -> None:
        self._data = data

    def passages(self, bron: str) -> list[dict[str, str]]:
        """For each part of `bron`, in order: `verwijzing`, `document` (title), `kop` and `tekst`.

        A part without a passage has an empty `kop` and `tekst`, and an empty `document` when its
        document number is unknown too. Never raises.
        """
        data = self._data
        result: list[dict[str, str]] = []
        for deel in onderdelen(bron):
            nummer = _DOCUMENT.match(deel)
            kop, tekst = data.passages.get(deel, ("", ""))
            result.append(
                {
                    "verwijzing": deel,
                    "document": data.titels.get(nummer[1], "") if nummer else "",
                    "kop": kop,
                    "tekst": tekst,
                }
            )
        return result




    def bron_voluit(self, bron: str) -> str:
        """A source as a professional names it, by document and section, with the reference code for experts:
        '001 §3.1 noot 2' -> 'Bijlage 3. Pakketten HG-arrangementen, 3.1 Extramurale HG-arrangementen, noot 2
        (001 §3.1 noot 2)'. Parts are joined with '; '; a part whose document is unknown stays as it is."""
        delen = []
        for deel in self.passages(bron):
            code = deel["verwijzing"]
            if not deel["document"]:
                delen.append(code)
                continue
            woorden = [deel["document"]]
            if deel["kop"]:
                woorden.append(deel["kop"])
            elif paragraaf := _PARAGRAAF.match(code):
                woorden.append(f"paragraaf {paragraaf[1]}")
            if eis := _EIS.match(code):
                woorden.append(f"eis {eis[1]}")
            woorden.extend(f"{soort} {nummer}" for soort, nummer in _DETAIL.findall(code))
            delen.append(f"{', '.join(woorden)} ({code})")
        return "; ".join(delen) or str(bron)
