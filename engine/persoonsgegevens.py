"""Screening of values for personal data: ids and free text may carry no BSN, date, postcode, phone number,
e-mail address, IBAN, document number, street with a house number or personal name.

The domain is domestic violence: a name in a reason is shown to every HG-deskundige, next to the facts of a
household, for as long as the advies is kept. So every id and free-text field is screened after Unicode
normalisation (NFKC, zero-width characters removed). What is found is reported by *kind* ("een
persoonsnaam"), never by value. First names and surnames come from Faker's person lists (a maintained
package the project installs) for the languages most spoken in Rotterdam, folded to plain ASCII.

Two entry points: `in_id` for pseudonyms (`casus_id`, member ids, scenario names: separators `.`, `_` and `-`
split the parts) and `in_tekst` for sentences (a name counts when capitalised inside a sentence, after a title
such as "mevrouw", or as a first name followed by a surname; "wil", "ben" or "roos" inside a sentence pass).
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Callable, Sequence

from pydantic_core import PydanticCustomError
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

__all__ = ["SOORTEN", "geen_persoonsgegevens", "in_id", "in_tekst", "normaliseer"]

SOORTEN = {
    "bsn": "een BSN",
    "datum": "een datum",
    "postcode": "een postcode",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "iban": "een IBAN",
    "document": "een documentnummer",
    "adres": "een straat met huisnummer",
    "naam": "een persoonsnaam",
}
"""Kind of identifier -> how the Dutch error names it."""

_NUL_BREEDTE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"))
_LOCALES = ("nl_NL", "nl_BE", "tr_TR", "pl_PL", "pt_PT", "fr_FR", "en_GB", "es_ES", "de_DE")
# Words that name a role or relation in a household, or a part of a case number: never a person's name
# even when a name list has them (ids are role words by design: "moeder", "kind1", "ex-partner").
_GEEN_NAAM = frozenset((
    "moeder", "vader", "ouder", "ouders", "kind", "kinderen", "zoon", "dochter", "broer", "zus", "zuster",
    "tante", "oom", "neef", "nicht", "opa", "oma", "grootouder", "grootmoeder", "grootvader", "stiefvader",
    "stiefmoeder", "stiefzoon", "stiefdochter", "partner", "expartner", "ex", "man", "vrouw", "echtgenoot",
    "echtgenote", "vriend", "vriendin", "pleger", "slachtoffer", "getuige", "gezinslid", "baby", "tweeling",
    "pleegkind", "pleegouder", "buurman", "buurvrouw", "jongere", "jeugdige", "volwassene", "extra", "casus",
    "eigen", "synth", "regels", "browser", "test", "rt", "vj", "hg", "veilig", "thuis", "rotterdam", "wmo",
    "jeugdbeschermingsplein", "zorg", "veiligheidshuis", "fier", "arosa", "fact",
))
_TITELS = r"(?:mevrouw|mevr\.?|mw\.?|meneer|mijnheer|dhr\.?|de\s+heer|heer|juffrouw|mr\.?|dr\.?|ir\.?|drs\.?|ing\.?)"
_TUSSENVOEGSELS = frozenset((
    "van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "'t", "el", "al", "la", "le", "da", "du",
    "dos", "di", "von",
))


def normaliseer(tekst: str) -> str:
    """NFKC, without zero-width characters and soft hyphens (so 'Jan\u200bsen' is 'Jansen')."""
    return unicodedata.normalize("NFKC", tekst).translate(_NUL_BREEDTE)


def _vouw(woord: str) -> str:
    """Lower case plain ASCII: 'Yılmaz' -> 'yilmaz', 'Müller' -> 'muller'."""
    zonder = unicodedata.normalize("NFKD", woord.replace("ı", "i").replace("ß", "ss"))
    return "".join(c for c in zonder if not unicodedata.combining(c)).lower()


@functools.cache
def _namen() -> frozenset[str]:
    """Folded first names and surnames of Faker's person providers (multi-word surnames by their parts)."""
    found: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # pragma: no cover - a locale Faker dropped
            continue
        for attribuut in ("first_names", "first_names_male", "first_names_female", "last_names"):
            lijst = getattr(provider, attribuut, ())
            woorden = lijst.keys() if isinstance(lijst, dict) else lijst
            for naam in woorden:
                for deel in re.split(r"[\s\-']+", str(naam)):
                    gevouwen = _vouw(deel)
                    if len(gevouwen) >= 3 and gevouwen.isalpha() and gevouwen not in _TUSSENVOEGSELS:
                        found.add(gevouwen)
    return frozenset(found - _GEEN_NAAM)


@functools.cache
def _gewone_woorden() -> frozenset[str]:
    """Common Dutch words (Faker's nl_NL and nl_BE word lists): in lower case these are words, not names
    ('dan', 'wil', 'ben' in an id such as 'toegang-langer-dan-een-jaar')."""
    found: set[str] = set()
    for locale in ("nl_NL", "nl_BE"):
        try:
            provider = importlib.import_module(f"faker.providers.lorem.{locale}").Provider
        except ImportError:  # pragma: no cover - a locale Faker dropped
            continue
        found.update(_vouw(w) for w in getattr(provider, "word_list", ()))
    return frozenset(found)


def is_naam(woord: str) -> bool:
    return _vouw(woord) in _namen()


@functools.lru_cache(maxsize=4096)
def _is_naam_in_id(deel: str) -> bool:
    """A part of an id that is a name: written as a name ('Jansen'), or in lower or upper case and not also a
    common Dutch word ('jansen', 'MOHAMMED' are names; 'dan', 'GROOT' in 'GROOT-17' are words)."""
    if len(deel) < 3 or not is_naam(deel):
        return False
    return deel.istitle() or _vouw(deel) not in _gewone_woorden()


# --- numbers and codes (shared by ids and text) ----------------------------------------------------------

_CIJFERREEKS = re.compile(r"(?<![0-9])(?:\+|00)?[0-9](?:[0-9]|[ .\-()/](?=[0-9()]))*[0-9]")
_DATUM_DMJ = re.compile(r"(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})(?![0-9])")
_DATUM_JMD = re.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_MAANDEN = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
            "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_DATUM_TEKST = re.compile(rf"(?<![0-9])[0-9]{{1,2}}\s*(?:{_MAANDEN})\.?\s*[0-9]{{4}}(?![0-9])", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_MAILDOMEIN = re.compile(r"(?:gmail|hotmail|outlook|yahoo|icloud|live|ziggo|kpnmail|kpnplanet|xs4all|planet|"
                         r"home|telfort|casema|upcmail)[._\-]?(?:com|nl|net|be)?$|[._\-](?:com|nl|net|org|be|eu)$",
                         re.IGNORECASE)
# What a match of _MAILDOMEIN ends with (before the newline `$` allows): a top-level domain, or a mail domain
# with or without one separator after it. A text ending otherwise is not searched.
_MAILDOMEINEN = ("gmail", "hotmail", "outlook", "yahoo", "icloud", "live", "ziggo", "kpnmail", "kpnplanet", "xs4all",
                 "planet", "home", "telfort", "casema", "upcmail")
_MAIL_EINDEN = (*_MAILDOMEINEN, "com", "nl", "net", "be", "org", "eu")


def _mail_domein(tekst: str) -> bool:
    einde = (tekst[:-1] if tekst.endswith("\n") else tekst)[-10:].lower()
    mogelijk = einde.endswith(_MAIL_EINDEN) or (einde[-1:] in (".", "_", "-") and einde[:-1].endswith(_MAILDOMEINEN))
    return mogelijk and _MAILDOMEIN.search(tekst) is not None


_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
_DOCUMENT = re.compile(r"[A-NP-Za-np-z]{2}[A-NP-Za-np-z0-9]{6}[0-9]")
_STRAAT = ("straat|laan|weg|plein|singel|kade|gracht|dijk|hof|steeg|dreef|park|pad|baan|markt|wal|haven|"
           "plantsoen|boulevard|dam|erf|veld|rade|kant|zijde|poort|brink|ring|hoek|straatweg|dwarsstraat")


def _geldige_datum(dag: int, maand: int, jaar: int | None = None) -> bool:
    return 1 <= dag <= 31 and 1 <= maand <= 12 and (jaar is None or 1900 <= jaar <= 2100 or jaar < 100)


def _is_datum(tekst: str) -> bool:
    for m in _DATUM_DMJ.finditer(tekst):
        if _geldige_datum(int(m[1]), int(m[2]), int(m[3])):
            return True
    for m in _DATUM_JMD.finditer(tekst):
        if 1900 <= int(m[1]) <= 2100 and _geldige_datum(int(m[3]), int(m[2])):
            return True
    return _DATUM_TEKST.search(tekst) is not None


def _cijfers(reeks: str) -> str:
    return re.sub(r"[^0-9]", "", reeks)


# A BSN as it is written: 9 digits, or grouped 3-3-3 or 4-2-3 with one separator ('123.456.782',
# '1234.56.782'); other groupings ('RT-2026-01234') are case numbers, however their digits add up.
_BSN_NOTATIE = re.compile(r"[0-9]{9}|[0-9]{3}([ .\-])[0-9]{3}\1[0-9]{3}|[0-9]{4}([ .\-])[0-9]{2}\2[0-9]{3}")


def _nummer_soort(reeks: str) -> str | None:
    """A BSN or a phone number in a run of digits with separators ('123.456.782', '06-12345678')."""
    cijfers = _cijfers(reeks)
    if len(cijfers) == 9 and _BSN_NOTATIE.fullmatch(reeks) and stdnum_bsn.is_valid(cijfers):
        return "bsn"
    internationaal = reeks.startswith(("+", "00"))
    if internationaal:
        kern = cijfers[2:] if reeks.startswith("00") else cijfers
        if kern.startswith("31") and len(kern) == 11 or not kern.startswith("31") and 9 <= len(kern) <= 15:
            return "telefoon"
    elif cijfers.startswith("0") and len(cijfers) == 10 and not cijfers.startswith("00"):
        return "telefoon"
    return None


def _getallen(tekst: str) -> str | None:
    for m in _CIJFERREEKS.finditer(tekst):
        soort = _nummer_soort(m[0])
        if soort:
            return soort
    return None


def _iban(tekst: str) -> bool:
    """An IBAN (mod-97 checked by python-stdnum), also written in groups and followed by other words."""
    for m in _IBAN.finditer(tekst):
        compact = m[0].replace(" ", "")
        if any(stdnum_iban.is_valid(compact[:n]) for n in range(min(len(compact), 34), 14, -1)):
            return True
    return False


# --- ids -------------------------------------------------------------------------------------------------

_ID_POSTCODE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{3}[ ._\-]?(?!SA|SD|SS|sa|sd|ss)[A-Za-z]{2}(?![A-Za-z])")
# One letter before the street word finds what `[A-Za-z]+` would (searching, any match of the one holds a match
# of the other), without backtracking over every run of letters (11 µs -> 2 µs an id).
_ID_STRAAT = re.compile(rf"[A-Za-z](?:{_STRAAT})[._\-]?[0-9]{{1,4}}[A-Za-z]?(?![0-9])", re.IGNORECASE)
_ID_TITEL = re.compile(r"^(?:mevrouw|mevr|mw|meneer|mijnheer|dhr|heer|mr|dr)$", re.IGNORECASE)


def _naam_in_id(tekst: str) -> bool:
    delen = [d for d in re.split(r"[^A-Za-zÀ-ÿıİşŞğĞçÇ]+", tekst) if d]
    if any(_ID_TITEL.match(d) for d in delen) and len(delen) > 1:
        return True
    return any(_is_naam_in_id(d) for d in delen)


Controle = Callable[[str], "str | bool | None"]  # a kind (numbers), True (the kind named with it) or falsy


def _eerste_soort(tekst: str, controles: Sequence[tuple[str, Controle]]) -> str | None:
    """The first kind found, checking in order (the most certain kinds first)."""
    for soort, controle in controles:
        gevonden = controle(tekst)
        if gevonden:
            return gevonden if isinstance(gevonden, str) else soort
    return None


_ID_CONTROLES: tuple[tuple[str, Controle], ...] = (
    ("email", lambda t: "@" in t or _mail_domein(t)),
    ("iban", _iban),
    ("bsn of telefoon", _getallen),
    ("datum", _is_datum),
    ("postcode", lambda t: _ID_POSTCODE.search(t) is not None),
    ("document", lambda t: _DOCUMENT.fullmatch(t) is not None),
    ("adres", lambda t: _ID_STRAAT.search(t) is not None),
    ("naam", _naam_in_id),
)


@functools.lru_cache(maxsize=4096)
def in_id(waarde: str) -> str | None:
    """The kind of personal data in a pseudonym (see SOORTEN), or None. Cached: ids repeat."""
    return _eerste_soort(normaliseer(waarde), _ID_CONTROLES)


# --- free text -------------------------------------------------------------------------------------------

_TEKST_POSTCODE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}(?![A-Za-z])"
                             r"|(?<![0-9A-Za-z])[1-9][0-9]{3}(?!sa|sd|ss)[a-z]{2}(?![A-Za-z])")
_TEKST_STRAAT = re.compile(rf"\b[A-Z][a-zà-ÿ]*(?:{_STRAAT})\s?-?\s?[0-9]{{1,4}}[a-zA-Z]?\b")
_TEKST_TITEL = re.compile(rf"\b{_TITELS}\s+(?:[A-Z]\.\s*)*(?:(?:{'|'.join(_TUSSENVOEGSELS)})\s+)*[A-Z][a-zà-ÿ]+")
_WOORD = re.compile(r"[A-Za-zÀ-ÿıİşŞğĞçÇ]+")
_BSN_WOORD = re.compile(r"\b(?:BSN|burgerservicenummer|sofinummer)\b[^0-9]{0,12}[0-9]", re.IGNORECASE)
_ZINSEINDE = re.compile(r"[.!?:;\n]\s*$")


def _namen_in_zin(tekst: str) -> bool:
    """A capitalised name inside a sentence, or a capitalised first name followed by a capitalised name."""
    woorden = list(_WOORD.finditer(tekst))
    for i, m in enumerate(woorden):
        woord = m[0]
        if not woord[:1].isupper() or len(woord) < 3 or not is_naam(woord):
            continue
        begin = i == 0 or _ZINSEINDE.search(tekst[: m.start()]) is not None
        if not begin:
            return True
        volgende = woorden[i + 1][0] if i + 1 < len(woorden) else ""
        if volgende[:1].isupper() and is_naam(volgende) and tekst[m.end(): woorden[i + 1].start()].strip() == "":
            return True
    return False


_TEKST_CONTROLES: tuple[tuple[str, Controle], ...] = (
    ("email", lambda t: _EMAIL.search(t) is not None),
    ("iban", _iban),
    ("bsn of telefoon", _getallen),
    ("bsn", lambda t: _BSN_WOORD.search(t) is not None),
    ("datum", _is_datum),
    ("postcode", lambda t: _TEKST_POSTCODE.search(t) is not None),
    ("adres", lambda t: _TEKST_STRAAT.search(t) is not None),
    ("naam", lambda t: _TEKST_TITEL.search(t) is not None or _namen_in_zin(t)),
)


def in_tekst(waarde: str) -> str | None:
    """The kind of personal data in a free text (see SOORTEN), or None."""
    return _eerste_soort(normaliseer(waarde), _TEKST_CONTROLES)


def geen_persoonsgegevens(waarde: str) -> str:
    """A pydantic validator for free text: refuse a text with personal data (error type `persoonsgegeven`)."""
    soort = in_tekst(waarde)
    if soort is not None:
        raise PydanticCustomError("persoonsgegeven", "looks like personal data: {soort}",
                                  {"soort": SOORTEN[soort], "waar": "tekst"})
    return waarde
