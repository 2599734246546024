"""Dutch for professionals: labels for every code an explanation mentions, numbers, lists and plurals.

Sentences in the advies are read aloud by professionals, so no code (`semimuraal` as an adjective,
`schadelijke_traditionele_praktijken`) may reach them: rules and the samenvatting say things through
these helpers. Labels are language, not policy, so they live here and not in the parameter files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

__all__ = [
    "LABELS",
    "INVOERWAARDEN",
    "INVOERVELDEN",
    "invoerveld",
    "met_hoofdletter",
    "VELDNAMEN",
    "invoerwaarde",
    "veldnaam",
    "waarde_in_woorden",
    "PERCEEL_BIJVOEGLIJK",
    "RISICO",
    "aantal",
    "telling",
    "getal",
    "label",
    "opsomming",
    "telwoord",
    "uren",
    "euro",
]

LABELS: dict[str, str] = {
    # route and instantie
    "hg_arrangement": "HG-arrangement",
    "basishulp_wijkteam": "basishulp door het wijkteam",
    "buiten_scope": "buiten het HG-arrangement",
    "wijkteam": "wijkteam",
    "stedelijk_loket": "stedelijk loket",
    "centrum_dakloosheid": "Centrum Dakloosheid",
    # onderdelen
    "casusregie": "casusregie",
    "slachtofferhulp": "slachtofferhulp",
    "plegerhulp": "plegerhulp",
    "systeemgerichte_hulp": "systeemgerichte hulp",
    "opvoedondersteuning": "opvoedondersteuning",
    "kindgerichte_hulp": "kindgerichte hulp",
    "specialistische_individuele_hulp": "specialistische individuele hulp",
    # maatwerk and resultaatgebieden
    "toeleiding_schulddienstverlening": "toeleiding naar schulddienstverlening",
    "dagbesteding": "dagbesteding",
    "nachtelijke_ondersteuning": "nachtelijke ondersteuning",
    "duurzame_veiligheid_herstel_systeemdynamiek": "duurzame veiligheid, herstel en systeemdynamiek",
    "sociaal_persoonlijk_functioneren": "sociaal en persoonlijk functioneren",
    "ondersteuning_zelfzorg_gezondheid": "ondersteuning bij zelfzorg en gezondheid",
    "semimurale_ondersteuning": "semimurale ondersteuning",
    "intramurale_ondersteuning": "intramurale ondersteuning",
    "verblijf": "verblijf",
    "jeugd_ondersteuning": "ondersteuning (jeugd)",
    "jeugd_behandeling": "behandeling (jeugd)",
    "jeugd_begeleiding_ouders_omgeving": "begeleiding van ouders en omgeving (jeugd)",
    # fasen
    "directe_veiligheid": "directe veiligheid",
    "stabiele_veiligheid": "stabiele veiligheid",
    "herstel": "herstel",
    # input values
    "schadelijke_traditionele_praktijken": "schadelijke traditionele praktijken (eergerelateerd geweld)",
    "bestaande_wmo_zorg": "bestaande Wmo-zorg",
}

INVOERWAARDEN: dict[str, str] = {
    # values of the casus where the code is not the Dutch word already (the rest goes through LABELS)
    "rotterdam": "Rotterdam",
    "ggz": "psychische problemen (ggz)",
    "lvb": "licht verstandelijke beperking",
    "hoge_stress": "hoge stress",
    # bestaande_wmo_zorg: the care a member already has
    "semimuraal": "semimurale zorg",
    "intramuraal": "intramurale zorg",
}
"""The casus as entered, in words (the advies page, its PDF): `invoerwaarde`."""

INVOERVELDEN: dict[str, str] = {
    # the yes/no questions of the casus, as the form asks them and the advies page shows them
    "binnen_huiselijke_kring": "binnen de huiselijke kring",
    "structureel": "structureel",
    "intieme_terreur": "intieme terreur",
    "acuut": "acuut gevaar",
    "dakloos": "dak- of thuisloos",
    "zelfstandig_wonen_veilig": "zelfstandig wonen is veilig",
    "nabijheid_24u_nodig": "nabijheid van hulp, dag en nacht, nodig",
    "specialistisch": "specialistische hulp nodig",
    "in_beeld": "in beeld",
    "meewerkend": "werkt mee",
    "verlengde_jeugdhulp": "verlengde jeugdhulp",
    "woont_buiten_gemeente": "woont buiten de gemeente",
}
"""A field of the casus in words: `invoerveld`."""

VELDNAMEN: dict[str, str] = {
    # every field of the advies the replay report and the herindicatie compare (engine.replay.CONTRACT_VELDEN)
    "route": "route",
    "indicerende_instantie": "indicerende instantie",
    "directe_veiligheid_eerst": "eerst directe veiligheid",
    "perceel": "perceel",
    "pakket": "pakket",
    "vrije_trede": "vrije trede",
    "naast_bestaande_wmo_zorg": "naast bestaande Wmo-zorg",
    "budget.volwassenen": "uren per volwassene",
    "budget.kinderen.toegekend_aan": "uren voor de kinderen, toegekend aan",
    "budget.kinderen.aantal": "aantal kinderen",
    "budget.kinderen.uur_per_week": "uren per week voor de kinderen",
    "budget.totaal_uur_per_week": "uren per week",
    "budget.pleger_extramuraal_uur_per_week": "uren per week voor de pleger",
    "budget.treden.semimurale_ondersteuning": "trede semimurale ondersteuning",
    "budget.treden.intramurale_ondersteuning": "trede intramurale ondersteuning",
    "budget.treden.nachtelijke_ondersteuning": "trede nachtelijke ondersteuning",
    "budget.verblijf.volwassen_clienten": "verblijf van volwassen cliënten",
    "budget.verblijf.meekomende_kinderen": "verblijf van meekomende kinderen",
    "onderdelen": "onderdelen",
    "uitgesloten_onderdelen": "uitgesloten onderdelen",
    "maatwerk": "maatwerk",
    "signaleringen": "signaleringen",
    "duur_maanden": "duur in maanden",
    "budget.looptijd.weken": "looptijd in weken",
    "budget.looptijd.uren": "uren over de looptijd",
    "budget.kosten.per_week": "kosten per week",
    "budget.kosten.looptijd": "kosten over de looptijd",
    "fase": "fase",
    "resultaatgebieden": "resultaatgebieden",
    "waarschuwingen": "waarschuwingen",
}
"""The fields of the advies in words: `veldnaam`."""

PERCEEL_BIJVOEGLIJK = {"extramuraal": "extramurale", "semimuraal": "semimurale", "intramuraal": "intramurale"}
"""The perceel as an adjective: 'intramurale ondersteuning' (never 'intramuraale')."""

RISICO = {"laag": "laag", "midden": "verhoogd", "hoog": "hoog"}
"""`veiligheid.niveau` is a risk level: 'het veiligheidsrisico is hoog' (high risk, not 'it is safe')."""


def label(code: object) -> str:
    """The Dutch words for a code; an unknown code becomes its words (underscores as spaces)."""
    text = str(code)
    return LABELS.get(text, text.replace("_", " "))


def invoerwaarde(code: object) -> str:
    """A value of the casus as entered, in words ('psychische problemen (ggz)'); else its `label`."""
    return INVOERWAARDEN.get(str(code)) or label(code)


def invoerveld(naam: str, hoofdletter: bool = False) -> str:
    """A yes/no question of the casus in words ('acuut gevaar'; with `hoofdletter` 'Acuut gevaar')."""
    tekst = INVOERVELDEN.get(naam) or naam.replace("_", " ")
    return met_hoofdletter(tekst) if hoofdletter else tekst


def veldnaam(pad: str, hoofdletter: bool = False) -> str:
    """A field of the advies in words ('vrije trede', with `hoofdletter` 'Vrije trede'); an unknown path as
    its words ('budget, iets nieuws')."""
    naam = VELDNAMEN.get(pad) or pad.replace("_", " ").replace(".", ", ")
    return met_hoofdletter(naam) if hoofdletter else naam


def met_hoofdletter(tekst: str) -> str:
    """The text with its first letter upper case ('vrije trede' -> 'Vrije trede')."""
    return tekst[:1].upper() + tekst[1:]


def waarde_in_woorden(waarde: object) -> str:
    """A value of an advies field in words: ja/nee, numbers with a decimal comma, codes as their label, lists
    joined ('geen' when empty or null), a member's hours as 'moeder 1,5'."""
    if waarde is None:
        return "geen"
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float):
        return getal(waarde)
    if isinstance(waarde, int):
        return str(waarde)
    if isinstance(waarde, list | tuple):
        return ", ".join(waarde_in_woorden(w) for w in waarde) or "geen"
    if isinstance(waarde, dict):
        if set(waarde) == {"lid", "uur_per_week"}:
            return f"{waarde['lid']} {waarde_in_woorden(waarde['uur_per_week'])}"
        return ", ".join(f"{label(k)} {waarde_in_woorden(v)}" for k, v in waarde.items())
    return label(waarde)


def getal(x: float) -> str:
    """A number as a Dutch professional writes it: decimal comma, no trailing zeros (1,5; 3; 0,75)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def euro(x: float) -> str:
    """An amount in euros with two decimals and a decimal comma: '€ 1.234,50'."""
    text = f"{x:,.2f}"
    return "€ " + text.replace(",", " ").replace(".", ",").replace(" ", ".")


def uren(x: float) -> str:
    return f"{getal(x)} uur"


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 kind', '3 kinderen', 'geen kinderen'."""
    if n == 0:
        return f"geen {meervoud}"
    return f"{n} {enkelvoud if n == 1 else meervoud}"


def telling(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 casus', '0 casussen', '3 casussen' (a count in a table or a progress line: a digit, also for 0)."""
    return f"{n} {enkelvoud if n == 1 else meervoud}"


_TELWOORDEN = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")


def telwoord(n: int) -> str:
    """'twee', 'drie'; digits from 11 on."""
    return _TELWOORDEN[n] if 0 <= n < len(_TELWOORDEN) else str(n)


def opsomming(items: Iterable[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    lijst = [i for i in items if i]
    if not lijst:
        return ""
    if len(lijst) == 1:
        return lijst[0]
    return ", ".join(lijst[:-1]) + " en " + lijst[-1]


def toon_getal(x: int | float) -> str:
    """A number as a form shows it: 3,5; 0,75; 12 (`getal`). `getal` rounds to two decimals for reading; a
    form field is typed back, so a value with more decimals keeps them all (0,125)."""
    tekst = getal(x)
    if isinstance(x, float) and math.isfinite(x) and float(tekst.replace(",", ".")) != x:
        tekst = format(Decimal(repr(x)), "f").replace(".", ",")
    return tekst


def _is_getal(waarde: Any) -> bool:
    return isinstance(waarde, int | float) and not isinstance(waarde, bool)


def parameterwaarde_tekst(waarde: Any) -> str:
    """A parameter value as the scenario form shows it and one types it back: a number with a decimal comma
    (2, 2,5), a list of numbers with semicolons ([0,75; 1,5; 3], null where a value is absent), anything else
    as YAML flow (= JSON): true, null. A list of one number stays YAML ([2.5]): "[2,5]" would read as two."""
    if _is_getal(waarde):
        return toon_getal(waarde)
    if (isinstance(waarde, list) and len(waarde) > 1
            and all(w is None or _is_getal(w) for w in waarde)):
        return "[" + "; ".join("null" if w is None else toon_getal(w) for w in waarde) + "]"
    return json.dumps(waarde, ensure_ascii=False)
