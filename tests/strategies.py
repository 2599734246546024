"""Hypothesis strategies for random valid casussen across the whole contract space.

`casussen()` draws plain casus dicts in the contract's input format. Optional fields are sometimes
left out so that the defaults apply; everything that is present is valid (strict booleans and
integers, ids matching the pattern, member ids unique and never 9 digits).

Besides fully random households, some examples take a shape that round two (decisions.md, issue 10)
reasons about and that random draws reach too rarely: nobody cooperating, three counted adults in an
intramural facility, children placed out of home (`in_beeld: false`).
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import strategies as st

from engine.persoonsgegevens import in_id

__all__ = ["casus_ids", "casussen", "leden", "lid_ids", "peildatums"]

ID_ALPHABET = string.ascii_letters + string.digits + "._-"
ROLLEN = ("slachtoffer", "pleger", "getuige", "gezinslid")
VORMEN = (
    "fysiek",
    "psychisch",
    "seksueel",
    "verwaarlozing",
    "stalking",
    "schadelijke_traditionele_praktijken",
)
SIGNALEN = (
    "schulden",
    "dagbesteding",
    "nachtelijke_ondersteuning",
    "ggz",
    "lvb",
    "verslaving",
    "vechtscheiding",
    "kindproblematiek",
    "hoge_stress",
)
NIVEAUS = ("laag", "midden", "hoog")
VAARDIGHEDEN = ("voldoende", "beperkt", "onvoldoende")
WOONPLAATSEN = ("rotterdam", "regiogemeente", "elders")
BESTAANDE_WMO_ZORG = ("geen", "semimuraal", "intramuraal")
ROLE_WORDS = ("moeder", "vader", "partner", "ex-partner", "zoon", "dochter", "oma", "opa", "kind.1", "kind_2")
# Role combinations the rules treat differently: a victim who is also a perpetrator is a cliënt.
ROL_COMBINATIES = (["slachtoffer", "pleger"], ["pleger", "slachtoffer", "getuige"], ["pleger"], ["slachtoffer"])
HUISHOUDEN_VORMEN = ("vrij", "vrij", "vrij", "geen_meewerkende_volwassene", "drie_volwassenen_intramuraal", "uit_huis")

FIRST_PEILDATUM = dt.date(2021, 9, 1)
LAST_PEILDATUM = dt.date(2026, 12, 31)


def _not_nine_digits(value: str) -> bool:
    """A 9-digit id could be a BSN, and an id may carry no personal data at all (a name, a date, a phone
    number ...): the contract refuses those, so never generate one."""
    return not (len(value) == 9 and value.isdigit()) and in_id(value) is None


casus_ids = st.text(ID_ALPHABET, min_size=1, max_size=64).filter(_not_nine_digits)
lid_ids = st.one_of(st.sampled_from(ROLE_WORDS), casus_ids)
peildatums = st.dates(FIRST_PEILDATUM, LAST_PEILDATUM).map(dt.date.isoformat)


def _maybe(
    draw: st.DrawFn, target: dict[str, Any], key: str, strategy: st.SearchStrategy[Any], often: bool = False
) -> None:
    """Set `target[key]` to a drawn value, or leave it out so the default applies."""
    present = draw(st.integers(0, 3)) > 0 if often else draw(st.booleans())
    if present:
        target[key] = draw(strategy)


@st.composite
def _leeftijd_en_verlengd(draw: st.DrawFn) -> tuple[int, bool | None]:
    """An age with, sometimes, the verlengde_jeugdhulp flag (None: leave the field out)."""
    if draw(st.integers(0, 4)) == 0:
        # The interesting band: 18-22 on verlengde jeugdhulp, plus the 17/23 edges.
        return draw(st.integers(17, 23)), draw(st.sampled_from([True, True, False]))
    leeftijd = draw(st.integers(0, 90))
    return leeftijd, draw(st.sampled_from([None, None, None, False, True]))


_rollen = st.one_of(st.lists(st.sampled_from(ROLLEN), min_size=1, max_size=3), st.sampled_from(ROL_COMBINATIES))


def _verblijft_mee(draw: st.DrawFn, lid: dict[str, Any]) -> None:
    """Mostly absent (the default depends on the household), sometimes explicitly true or false."""
    if draw(st.integers(0, 2)) == 0:
        lid["verblijft_mee"] = draw(st.booleans())


@st.composite
def _lid(draw: st.DrawFn, lid_id: str) -> dict[str, Any]:
    leeftijd, verlengd = draw(_leeftijd_en_verlengd())
    lid: dict[str, Any] = {"id": lid_id, "leeftijd": leeftijd}
    if verlengd is not None:
        lid["verlengde_jeugdhulp"] = verlengd
    # Duplicate roles are valid input (counted once), so they may occur.
    _maybe(draw, lid, "rollen", _rollen)
    _maybe(draw, lid, "in_beeld", st.booleans())
    _maybe(draw, lid, "meewerkend", st.booleans())
    _maybe(draw, lid, "woont_buiten_gemeente", st.sampled_from([False, False, True]))
    _verblijft_mee(draw, lid)
    return lid


def _vrij_id(wens: str, bezet: set[str]) -> str:
    """`wens`, made unique among the ids in `bezet` (and then taken)."""
    lid_id = wens
    while lid_id in bezet:
        lid_id += "x"
    bezet.add(lid_id)
    return lid_id


@st.composite
def _drie_volwassenen(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Three counted adults (any roles) and up to three children."""
    bezet: set[str] = set()
    result = []
    for wens in ("moeder", "vader", "oma"):
        lid: dict[str, Any] = {"id": _vrij_id(wens, bezet), "leeftijd": draw(st.integers(23, 90))}
        lid["rollen"] = draw(_rollen)
        _maybe(draw, lid, "in_beeld", st.just(True))
        _maybe(draw, lid, "meewerkend", st.just(True))
        _verblijft_mee(draw, lid)
        result.append(lid)
    for i in range(draw(st.integers(0, 3))):
        kind: dict[str, Any] = {"id": _vrij_id(f"kind{i}", bezet), "leeftijd": draw(st.integers(0, 17))}
        _maybe(draw, kind, "in_beeld", st.sampled_from([True, True, False]))
        _verblijft_mee(draw, kind)
        result.append(kind)
    return result


def _niemand_werkt_mee(draw: st.DrawFn, leden_: list[dict[str, Any]]) -> None:
    """Every member of 18 and over is out of the picture or will not cooperate."""
    for lid in leden_:
        if lid["leeftijd"] >= 18:
            if draw(st.booleans()):
                lid["meewerkend"] = False
            else:
                lid["in_beeld"] = False


@st.composite
def _uit_huis(draw: st.DrawFn, leden_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One or two children placed out of home (`in_beeld: false`) added to the household."""
    bezet = {lid["id"] for lid in leden_}
    extra = []
    for i in range(draw(st.integers(1, 2))):
        kind: dict[str, Any] = {"id": _vrij_id(f"uithuis{i}", bezet), "leeftijd": draw(st.integers(0, 17))}
        kind["in_beeld"] = False
        _maybe(draw, kind, "rollen", _rollen)
        _verblijft_mee(draw, kind)
        extra.append(kind)
    return leden_ + extra


@st.composite
def leden(draw: st.DrawFn, min_size: int = 1, max_size: int = 8) -> list[dict[str, Any]]:
    ids = draw(st.lists(lid_ids, min_size=min_size, max_size=max_size, unique=True))
    return [draw(_lid(lid_id)) for lid_id in ids]


@st.composite
def _geweld(draw: st.DrawFn) -> dict[str, Any]:
    geweld: dict[str, Any] = {
        # Mostly in scope, so that the other branches get most of the examples.
        "binnen_huiselijke_kring": draw(st.sampled_from([True, True, True, True, False])),
        "structureel": draw(st.sampled_from([True, True, True, False])),
    }
    # Absent or empty vormen gives a waarschuwing; eergerelateerd geweld excludes systeemgerichte hulp.
    vormen = st.one_of(
        st.lists(st.sampled_from(VORMEN), max_size=4),
        st.lists(st.sampled_from(VORMEN), max_size=2).map(lambda v: [*v, "schadelijke_traditionele_praktijken"]),
    )
    _maybe(draw, geweld, "vormen", vormen)
    _maybe(draw, geweld, "intieme_terreur", st.booleans())
    return geweld


@st.composite
def _veiligheid(draw: st.DrawFn) -> dict[str, Any]:
    veiligheid: dict[str, Any] = {"niveau": draw(st.sampled_from(NIVEAUS))}
    _maybe(draw, veiligheid, "acuut", st.booleans())
    return veiligheid


@st.composite
def _woonsituatie(draw: st.DrawFn) -> dict[str, Any]:
    woonsituatie: dict[str, Any] = {}
    _maybe(draw, woonsituatie, "dakloos", st.booleans())
    _maybe(draw, woonsituatie, "zelfstandig_wonen_veilig", st.booleans(), often=True)
    _maybe(draw, woonsituatie, "nabijheid_24u_nodig", st.booleans(), often=True)
    return woonsituatie


@st.composite
def _inzet(draw: st.DrawFn) -> dict[str, Any]:
    inzet: dict[str, Any] = {}
    duur = st.one_of(st.integers(1, 120), st.sampled_from([6, 9, 11, 12, 13, 24]))
    _maybe(draw, inzet, "verwachte_duur_maanden", duur)
    _maybe(draw, inzet, "specialistisch", st.booleans())
    return inzet


@st.composite
def casussen(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid casus; optional fields are sometimes omitted so their defaults apply."""
    casus: dict[str, Any] = {"casus_id": draw(casus_ids)}
    _maybe(draw, casus, "peildatum", peildatums)
    _maybe(draw, casus, "woonplaats", st.sampled_from(WOONPLAATSEN))
    vorm = draw(st.sampled_from(HUISHOUDEN_VORMEN))
    casus["leden"] = draw(_drie_volwassenen()) if vorm == "drie_volwassenen_intramuraal" else draw(leden())
    if vorm == "geen_meewerkende_volwassene":
        _niemand_werkt_mee(draw, casus["leden"])
    elif vorm == "uit_huis":
        casus["leden"] = draw(_uit_huis(casus["leden"]))
    casus["geweld"] = draw(_geweld())
    casus["veiligheid"] = draw(_veiligheid())
    casus["vaardigheden"] = draw(st.sampled_from(VAARDIGHEDEN))
    _maybe(draw, casus, "woonsituatie", _woonsituatie(), often=True)
    if vorm == "drie_volwassenen_intramuraal":
        # In scope and structureel, so that the intramural arrangement is reached.
        casus["geweld"].update(binnen_huiselijke_kring=True, structureel=True)
        casus.setdefault("woonsituatie", {})["zelfstandig_wonen_veilig"] = False
    # Existing Wmo care overrides perceel and pakket, so keep it the exception.
    _maybe(draw, casus, "bestaande_wmo_zorg", st.sampled_from(("geen", "geen", *BESTAANDE_WMO_ZORG)))
    _maybe(draw, casus, "inzet", _inzet())
    _maybe(draw, casus, "signalen", st.lists(st.sampled_from(SIGNALEN), max_size=5))
    return casus
