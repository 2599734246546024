"""Numbers in web forms as Dutch professionals type and read them: a decimal comma ("3,5"), a point understood.

`lees_getal` reads one number typed in a form; `toon_getal` shows one for a form field (what one types back),
with `engine.taal.getal` (decimal comma, no trailing zeros) and every decimal kept.
"""

from __future__ import annotations

import re

from engine.taal import toon_getal

__all__ = ["GeenGetal", "lees_getal", "toon_getal"]

_GETAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_MIN = "\N{MINUS SIGN}"  # the reports write a negative difference with it (−1,5); typed back, it is a minus


class GeenGetal(ValueError):
    """Text that is not one number with at most one decimal sign between digits."""


def lees_getal(tekst: str) -> int | float:
    """The number typed in `tekst`: "3,5" and "3.5" are 3.5, "3" is 3, "-1,25" is -1.25; spaces around are ignored.

    One decimal sign, a comma or (as before) a point, with a digit on both sides; there are no thousands
    separators. So "1.234,5" and "3,5,1" are refused rather than guessed, and so are "3," and ",5": a half-typed
    or mistyped value ("3," for "3,5", ",5" for "1,5") is never read as another number. A number without a
    decimal sign is an int ("3"), with one a float ("3,0"), as YAML reads "3" and "3.0".
    """
    schoon = tekst.strip().replace(_MIN, "-")
    if not _GETAL.fullmatch(schoon):
        raise GeenGetal(tekst)
    if "," in schoon or "." in schoon:
        return float(schoon.replace(",", "."))
    return int(schoon)


