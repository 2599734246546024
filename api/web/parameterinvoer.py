"""How the scenario editor shows and reads a parameter value: numbers with a decimal comma, lists with semicolons.

A number parameter is shown as 3,5 and reads "3,5" as well as "3.5" (`api.web.getallen`); a list of numbers is
shown as [0,75; 1,5; 3] (the semicolon is the Dutch list separator when the comma is the decimal sign) and reads
that or, as before, the YAML list [0.75, 1.5, 3]; every other value is YAML as before (true, null). A value that
cannot be read, and a refusal of the ruleset's value check, become a sentence saying what to type.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import yaml

from api.web.getallen import GeenGetal, lees_getal, toon_getal
from engine.taal import parameterwaarde_tekst
from engine.valuetypes import VALUE_TYPES

__all__ = [
    "LIJST_VOORBEELD",
    "MAX_WAARDE",
    "Soort",
    "WaardeFout",
    "lees_waarde",
    "parameter_melding",
    "soort_van",
    "tekst",
    "voorbeeld_van",
]

Soort = Literal["getal", "geheel getal", "lijst", "waarde"]
"""How a parameter's value is typed: a number (with a decimal comma), a whole number, a list, or a YAML value."""
MAX_WAARDE = 500  # characters of one parameter value in the form
LIJST_VOORBEELD = "[0,75; 1,5; 3]"  # a list typed with decimal commas, for a list whose value in force has no number


tekst = parameterwaarde_tekst


def soort_van(type_naam: str, waarde: Any) -> Soort:
    """A parameter of a value type that takes a number is typed as a number (whole when 0,5 is refused);
    one whose value is a list, as a list; anything else as YAML."""
    check = VALUE_TYPES[type_naam]
    if check(0) is None or check(1) is None:
        return "getal" if check(0.5) is None else "geheel getal"
    return "lijst" if isinstance(waarde, list) else "waarde"


def voorbeeld_van(soort: Soort, huidig: str = "") -> str:
    """A value of this kind for an error message: the value in force (`tekst`) when it shows how to type one."""
    if soort == "geheel getal":
        return huidig if huidig.isdigit() else "2"
    if soort == "getal":
        return huidig if "," in huidig else "3,5"
    if soort == "lijst":
        return huidig if any(teken.isdigit() for teken in huidig) else LIJST_VOORBEELD
    return "true"


class WaardeFout(ValueError):
    """A parameter value in the form that cannot be read (the message is a Dutch sentence saying what to type)."""


_NULL = frozenset({"null", "Null", "NULL", "~"})  # YAML's null: no value (a pakket that does not exist there)


def lees_waarde(invoer: str, soort: Soort = "waarde", voorbeeld: str | None = None) -> Any:
    """The value typed for a parameter of this `soort` (`voorbeeld`: an example for the error messages):

    - a number ("getal", "geheel getal"): "3,5" or "3.5" (`lees_getal`), or null; anything else is refused here,
      saying what to type (the ruleset's check refuses 3,5 for a whole number, naming the range);
    - a list: with semicolons, "[0,75; 1,5; 3]" (brackets optional, null for no value), or YAML as before;
    - anything else, and a list without semicolons ("[0.75, 1.5, 3]"): YAML as before ("true", "null").
    """
    voorbeeld = voorbeeld or voorbeeld_van(soort)
    if len(invoer) > MAX_WAARDE:
        raise WaardeFout(f"Schrijf hoogstens {MAX_WAARDE} tekens.")
    if soort in ("getal", "geheel getal"):
        if invoer.strip() in _NULL:
            return None
        try:
            return lees_getal(invoer)
        except GeenGetal:
            raise WaardeFout(_geen_getal(invoer, soort, voorbeeld)) from None
    if soort == "lijst" and ";" in invoer:
        return _lees_lijst(invoer, voorbeeld)
    try:
        return yaml.safe_load(invoer)
    except yaml.YAMLError:
        if soort == "lijst":
            raise WaardeFout(f"Schrijf een lijst zoals {voorbeeld}: een puntkomma tussen de waarden, null waar er "
                             "geen waarde is.") from None
        raise WaardeFout("Schrijf een waarde zoals de huidige, bijvoorbeeld true, false, null of 3,5.") from None


def _geen_getal(invoer: str, soort: Soort, voorbeeld: str) -> str:
    """What to type instead of `invoer`, which is no number: an example, and what was wrong with its signs."""
    tekens = sum(invoer.count(teken) for teken in ",.")
    if soort == "geheel getal":
        zonder = " Schrijf het zonder komma of punt." if tekens else ""
        return f"Geef een geheel getal, bijvoorbeeld {voorbeeld}.{zonder}"
    melding = f"Geef een getal, bijvoorbeeld {voorbeeld}."
    schoon = invoer.strip()
    if tekens > 1:
        return f"{melding} Gebruik één decimale komma en geen punt tussen de duizendtallen, zoals 1234,5."
    if tekens == 1 and (schoon[:1] in ",." or schoon[-1:] in ",."):
        return f"{melding} Zet een cijfer voor en na de komma, zoals 0,5."
    return melding


def _lees_lijst(invoer: str, voorbeeld: str) -> list[int | float | None]:
    """A list typed with semicolons: "[0,75; 1,5; 3]", "null; 2; 3" (the ruleset checks its length and values)."""
    kern = invoer.strip()
    if kern.startswith("[") and kern.endswith("]"):
        kern = kern[1:-1]
    waarden: list[int | float | None] = []
    for i, deel in enumerate(kern.split(";"), start=1):
        deel = deel.strip()
        if deel in _NULL:
            waarden.append(None)
            continue
        try:
            waarden.append(lees_getal(deel))
        except GeenGetal:
            wat = "ontbreekt" if not deel else f"({deel[:20]}) is geen getal"
            raise WaardeFout(f"Waarde {i} {wat}. Schrijf een lijst zoals {voorbeeld}: getallen met een decimale "
                             "komma, een puntkomma ertussen, null waar er geen waarde is.") from None
    return waarden


_TYPE = re.compile(r" \(type [a-z_]+\)$")
_BEREIK = re.compile(r"moet (een geheel getal )?van (\S+) tot en met (\S+) zijn")


def _getal_tekst(tekst: str) -> str:
    try:
        return toon_getal(lees_getal(tekst))
    except GeenGetal:
        return tekst


def parameter_melding(melding: str, soort: Soort = "waarde", voorbeeld: str | None = None) -> str:
    """A refusal of the ruleset's value check ("moet een getal zijn (type fractie)", "waarde 2: moet van 0 tot en
    met 168 zijn") as what to type for a parameter of this `soort`, without the type's code: "geef een getal,
    bijvoorbeeld 0,5". Other messages (the consistency of pakketten and hours) already say what to do."""
    voorbeeld = voorbeeld or voorbeeld_van(soort)
    wat = "een geheel getal " if soort == "geheel getal" else "een getal "
    melding = _TYPE.sub("", melding)
    melding = _BEREIK.sub(lambda m: f"geef {m.group(1) or wat}van {_getal_tekst(m.group(2))} "
                                    f"tot en met {_getal_tekst(m.group(3))}", melding)
    getal_voorbeeld = voorbeeld if soort == "getal" else "3,5"
    melding = re.sub(r"moet een (eindig )?getal zijn", rf"geef een \1getal, bijvoorbeeld {getal_voorbeeld}", melding)
    lijst_voorbeeld = voorbeeld if soort == "lijst" else LIJST_VOORBEELD
    melding = re.sub(r"moet een lijst van (\d+) waarden zijn \((.*)\)$",
                     rf"geef een lijst van \1 waarden (\2), bijvoorbeeld {lijst_voorbeeld}", melding)
    return melding.replace("verwacht een waarde, geen tabel", "geef één waarde zoals de huidige, geen tabel")
