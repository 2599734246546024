"""Privacy screening of a raw casus document: direct identifiers and BSN-like ids are refused."""

from __future__ import annotations

import re

from engine.errors import MOGELIJK_BSN, Fout, format_path

__all__ = [
    "PSEUDONYM_PATTERN",
    "DIRECT_IDENTIFIERS",
    "normalise_key",
    "is_direct_identifier",
    "is_pseudonym",
    "is_possible_bsn",
    "screen_identifiers",
]

PSEUDONYM_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
"""`casus_id` and `leden[].id`: a pseudonym or role word, never a name with spaces."""

_PSEUDONYM = re.compile(PSEUDONYM_PATTERN[1:-1])  # used with fullmatch: `$` would accept a trailing newline

_MAX_DEPTH = 100  # far beyond any valid casus (depth 3); deeper input is refused by the model anyway

_CONTAINERS = (dict, list)


def normalise_key(key: str) -> str:
    """The form in which keys are compared: lower case without `_`, `-` and spaces."""
    return key.lower().replace("_", "").replace("-", "").replace(" ", "")  # 4x faster than translate


DIRECT_IDENTIFIERS: frozenset[str] = frozenset(
    normalise_key(word)
    for word in (
        # names
        "naam", "voornaam", "voornamen", "achternaam", "roepnaam", "tussenvoegsel", "voorletters",
        "initialen", "meisjesnaam", "geslachtsnaam", "familienaam", "volledige_naam",
        "name", "first_name", "last_name", "surname", "full_name",
        # national and document numbers
        "bsn", "burgerservicenummer", "sofinummer", "a_nummer", "administratienummer", "v_nummer",
        "paspoort", "paspoortnummer", "documentnummer", "id_kaart", "identiteitsbewijs",
        "rijbewijsnummer", "kenteken", "ssn", "passport",
        # address
        "adres", "straat", "straatnaam", "huisnummer", "huisnummertoevoeging", "postcode", "woonadres",
        "postadres", "verblijfadres", "verblijfsadres", "address", "street", "zipcode", "postal_code",
        # date of birth
        "geboortedatum", "geboortedag", "geb_datum", "birthdate", "date_of_birth", "dob",
        # contact
        "telefoon", "telefoonnummer", "telefoonnr", "tel", "mobiel", "mobielnummer", "gsm",
        "email", "e-mail", "emailadres", "mailadres", "phone", "phone_number",
        # financial and technical
        "iban", "rekeningnummer", "bankrekening", "ip", "ip_adres", "ip_address",
    )
)  # fmt: skip
"""Direct identifiers, normalised (see `normalise_key`); a casus must never carry one as a key."""


# Keys found not to be identifiers (in practice: the contract's field names), so that the next
# document costs one set lookup per key instead of a normalisation. Bounded against odd input.
_known_safe: set[str] = set()
_KNOWN_SAFE_MAX = 4096


def is_direct_identifier(key: str) -> bool:
    """Whether `key` names a direct identifier ("Geboorte_Datum", "e-mail", "BSN", ...)."""
    if key in _known_safe:
        return False
    if normalise_key(key) in DIRECT_IDENTIFIERS:
        return True
    if len(_known_safe) < _KNOWN_SAFE_MAX:
        _known_safe.add(key)
    return False


def is_pseudonym(value: str) -> bool:
    """Whether `value` fits `PSEUDONYM_PATTERN`."""
    return _PSEUDONYM.fullmatch(value) is not None


def is_possible_bsn(value: str) -> bool:
    """Exactly 9 digits passing the elfproef: weights 9..2 and -1, the sum divisible by 11."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return False
    digits = [ord(c) - 48 for c in value]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0


def screen_identifiers(data: object) -> list[Fout]:
    """Every direct identifier key (at any depth) and every BSN-like id in `data`, in document order."""
    fouten: list[Fout] = []
    _walk(data, (), fouten, set())
    return fouten


def _identifier_fout(loc: tuple[str | int, ...], key: str) -> Fout:
    return Fout(
        format_path(loc),
        f"directe identificatie ('{key}') is niet toegestaan; de casus moet geanonimiseerd zijn",
    )


def _walk(node: object, loc: tuple[str | int, ...], fouten: list[Fout], ancestors: set[int]) -> None:
    if len(loc) > _MAX_DEPTH or id(node) in ancestors:
        return  # absurd nesting, or a cycle made with YAML aliases
    ancestors.add(id(node))
    if isinstance(node, dict):
        for key, value in node.items():
            name = key if isinstance(key, str) else str(key)
            if name not in _known_safe and is_direct_identifier(name):
                fouten.append(_identifier_fout((*loc, name), name))
            elif isinstance(value, _CONTAINERS):
                _walk(value, (*loc, name), fouten, ancestors)
            elif (name == "id" or name == "casus_id") and _is_id_position(loc, name) and _is_bsn(value):
                fouten.append(Fout(format_path((*loc, name)), MOGELIJK_BSN))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, _CONTAINERS):
                _walk(value, (*loc, index), fouten, ancestors)
    ancestors.discard(id(node))


def _is_bsn(value: object) -> bool:
    return isinstance(value, str) and is_possible_bsn(value)


def _is_id_position(loc: tuple[str | int, ...], key: str) -> bool:
    """`casus_id` at the top, or `id` of a member (`leden[i].id`)."""
    if key == "casus_id":
        return not loc
    return len(loc) == 2 and loc[0] == "leden"
