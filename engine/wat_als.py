"""What-if on one casus: set input fields by dotted path, re-validate, and compare the two advies.

Paths are the contract's (and the error messages'): `veiligheid.niveau`, `vaardigheden`,
`leden[2].leeftijd`. They are set on the casus with every default filled in (`Casus.model_dump`),
so a field the input left out can be set too, and a name that is not in the model is refused.
For a list element, `leden[n]` with n the current length appends an element, and the value
`None` (JSON `null`) removes the element: `leden[i] = null` is never a valid member otherwise.

The advies comparison reuses `engine.replay.vergelijk` for the contract fields; the explanation
steps are compared here in replay's reasoning order (`redeneervolgorde`), because a what-if shows the
steps themselves (with their Dutch text), also when only the reasoning changed and the advies did not.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from engine.casus import Casus, parse_casus
from engine.replay import redeneervolgorde, vergelijk
from engine.taal import aantal

__all__ = ["PadFout", "gewijzigde_stappen", "pas_toe", "vergelijk_advies", "zet"]

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


class PadFout(ValueError):
    """A path that names no field of the casus; `pad` is the path as given, `melding` says why (Dutch)."""

    def __init__(self, pad: str, melding: str) -> None:
        self.pad = pad
        self.melding = melding
        super().__init__(f"{pad}: {melding}")


def _stappen(pad: str) -> list[str | int]:
    """`leden[2].leeftijd` -> ["leden", 2, "leeftijd"]; a malformed path is a PadFout."""
    keys: list[str | int] = []
    for deel in pad.split("."):
        match = _SEGMENT.fullmatch(deel)
        if match is None:
            raise PadFout(pad, "geen geldig veldpad (verwacht bijvoorbeeld veiligheid.niveau of leden[0].leeftijd)")
        keys.append(match.group(1))
        keys.extend(int(i) for i in _INDEX.findall(match.group(2)))
    return keys


def zet(document: dict[str, Any], pad: str, waarde: Any) -> None:
    """Set `pad` in a casus document that holds every field (`Casus.model_dump()`), in place."""
    keys = _stappen(pad)
    node: Any = document
    for positie, key in enumerate(keys):
        laatste = positie == len(keys) - 1
        if isinstance(key, str):
            if not isinstance(node, dict) or key not in node:
                raise PadFout(pad, "onbekend veld in de casus")
            if laatste:
                node[key] = waarde
            else:
                node = node[key]
            continue
        if not isinstance(node, list):
            raise PadFout(pad, "onbekend veld in de casus (dit veld is geen lijst)")
        if laatste and key == len(node) and waarde is not None:
            node.append(waarde)
        elif key >= len(node):
            lengte = aantal(len(node), "element", "elementen")
            raise PadFout(pad, f"onbekend veld: de lijst heeft {lengte}, index 0 tot en met "
                               f"{len(node) - 1}; index {len(node)} voegt er een toe")
        elif laatste and waarde is None:
            del node[key]
        elif laatste:
            node[key] = waarde
        else:
            node = node[key]


def pas_toe(casus: Casus, wijzigingen: Iterable[tuple[str, Any]]) -> Casus:
    """The casus with each (path, value) set in turn and validated by the same model.

    Raises PadFout for an unknown path and CasusFout (Dutch, per field) for a refused value.
    """
    document = casus.model_dump()
    for pad, waarde in wijzigingen:
        zet(document, pad, copy.deepcopy(waarde))
    return parse_casus(document)


def _per_regel(advies: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for stap in advies.get("uitleg") or ():
        found.setdefault(stap["regel"], []).append(stap)
    return found


def _kort(stappen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"conclusie": s["conclusie"], "tekst": s["tekst"]} for s in stappen]


def gewijzigde_stappen(voor: Mapping[str, Any], na: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The explanation steps (by `regel`) that appeared, disappeared or concluded otherwise.

    Each: `{"regel", "wijziging": "nieuw" | "vervallen" | "gewijzigd", "voor": [...], "na": [...]}`,
    the lists holding that rule's `{conclusie, tekst}` entries (empty on the side where it did not fire).
    """
    stappen_voor, stappen_na = _per_regel(voor), _per_regel(na)
    result = []
    for regel in redeneervolgorde(list(stappen_voor), list(stappen_na)):
        oud, nieuw = stappen_voor.get(regel, []), stappen_na.get(regel, [])
        if [s["conclusie"] for s in oud] == [s["conclusie"] for s in nieuw]:
            continue
        soort = "nieuw" if not oud else "vervallen" if not nieuw else "gewijzigd"
        result.append({"regel": regel, "wijziging": soort, "voor": _kort(oud), "na": _kort(nieuw)})
    return result


def vergelijk_advies(voor: Mapping[str, Any], na: Mapping[str, Any]) -> dict[str, Any]:
    """`{"wijzigingen": {veld: [voor, na]}, "gewijzigde_stappen": [...]}` for two advies of one casus."""
    verschil = vergelijk(voor, na)
    return {
        "wijzigingen": verschil.wijzigingen if verschil is not None else {},
        "gewijzigde_stappen": gewijzigde_stappen(voor, na),
    }
