"""Dutch for professionals: labels for every code an explanation mentions, numbers, lists and plurals.

Sentences in the advies are read aloud by professionals, so no code (`semimuraal` as an adjective,
`schadelijke_traditionele_praktijken`) may reach them: rules and the samenvatting say things through
these helpers. Labels are language, not policy, so they live here and not in the parameter files.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "LABELS",
    "PERCEEL_BIJVOEGLIJK",
    "RISICO",
    "aantal",
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

PERCEEL_BIJVOEGLIJK = {"extramuraal": "extramurale", "semimuraal": "semimurale", "intramuraal": "intramurale"}
"""The perceel as an adjective: 'intramurale ondersteuning' (never 'intramuraale')."""

RISICO = {"laag": "laag", "midden": "verhoogd", "hoog": "hoog"}
"""`veiligheid.niveau` is a risk level: 'het veiligheidsrisico is hoog' (high risk, not 'it is safe')."""


def label(code: object) -> str:
    """The Dutch words for a code; an unknown code becomes its words (underscores as spaces)."""
    text = str(code)
    return LABELS.get(text, text.replace("_", " "))


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
