"""The casus (input) of the contract as strict, frozen pydantic models, and parsing with Dutch errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Literal, TypeVar

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from engine.errors import (
    CasusFout,
    Fout,
    duplicate_id_fout,
    not_an_object_fout,
    translate_json_error,
    translate_validation_error,
)
from engine.identifiers import PSEUDONYM_PATTERN, is_possible_bsn, is_pseudonym, screen_identifiers
from engine.persoonsgegevens import SOORTEN, in_id

__all__ = [
    "Woonplaats",
    "Rol",
    "Geweldsvorm",
    "Veiligheidsniveau",
    "Vaardigheden",
    "WmoZorg",
    "Signaal",
    "Lid",
    "Geweld",
    "Veiligheid",
    "Woonsituatie",
    "Inzet",
    "Casus",
    "MAX_LEDEN",
    "parse_casus",
    "parse_casus_json",
    "parse_opgeslagen_casus",
    "dubbele_sleutels",
    "weiger_dubbele_sleutels",
]

Woonplaats = Literal["rotterdam", "regiogemeente", "elders"]
Rol = Literal["slachtoffer", "pleger", "getuige", "gezinslid"]
Geweldsvorm = Literal[
    "fysiek", "psychisch", "seksueel", "verwaarlozing", "stalking", "schadelijke_traditionele_praktijken"
]
Veiligheidsniveau = Literal["laag", "midden", "hoog"]
Vaardigheden = Literal["voldoende", "beperkt", "onvoldoende"]
WmoZorg = Literal["geen", "semimuraal", "intramuraal"]
Signaal = Literal[
    "schulden",
    "dagbesteding",
    "nachtelijke_ondersteuning",
    "ggz",
    "lvb",
    "verslaving",
    "vechtscheiding",
    "kindproblematiek",
    "hoge_stress",
]

MAX_LEDEN = 30
_T = TypeVar("_T")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _unique(values: list[_T]) -> list[_T]:
    """Duplicates count once; each value keeps the place of its first occurrence."""
    return values if len(set(values)) == len(values) else list(dict.fromkeys(values))


def _pseudonym(value: str) -> str:
    if not is_pseudonym(value):
        raise PydanticCustomError("pseudonym", "must be 1-64 characters from A-Z, a-z, 0-9, '.', '_', '-'")
    if is_possible_bsn(value):
        raise PydanticCustomError("possible_bsn", "9 digits passing the elfproef: possibly a BSN")
    soort = in_id(value)
    if soort is not None:
        raise PydanticCustomError("persoonsgegeven", "looks like personal data: {soort}",
                                  {"soort": SOORTEN[soort], "waar": "id"})
    return value


def _peildatum(value: object) -> date:
    """A `date` (YAML loaders make one) or a `YYYY-MM-DD` string; a datetime or other format is refused."""
    if isinstance(value, datetime):
        raise PydanticCustomError("date_with_time", "a date without a time is required")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_nonexistent", "this day does not exist") from None
    raise PydanticCustomError("date_format", "a date YYYY-MM-DD is required")


def _gezinslid() -> list[Rol]:
    return ["gezinslid"]


Pseudonym = Annotated[str, AfterValidator(_pseudonym), WithJsonSchema({"type": "string", "pattern": PSEUDONYM_PATTERN})]
Peildatum = Annotated[date, BeforeValidator(_peildatum)]

# Strict: `"true"`, `1`, `36.0` and `"36"` are refused instead of coerced. Input values never appear
# in pydantic's own messages, so a refused casus cannot leak what it carried into a log.
_CONFIG = ConfigDict(strict=True, extra="forbid", frozen=True, hide_input_in_errors=True)


class Lid(BaseModel):
    """A member of the household, known by a pseudonym or role word."""

    model_config = _CONFIG

    id: Pseudonym
    leeftijd: int = Field(ge=0, le=120)
    rollen: Annotated[list[Rol], AfterValidator(_unique)] = Field(default_factory=_gezinslid, min_length=1)
    in_beeld: bool = True
    meewerkend: bool = True
    verlengde_jeugdhulp: bool = False
    woont_buiten_gemeente: bool = False
    verblijft_mee: bool | None = None  # None: the default of domain.md, decided by the rules (rules/huishouden.py)


class Geweld(BaseModel):
    """The violence: within the domestic circle, structural, its forms, intimate terrorism."""

    model_config = _CONFIG

    binnen_huiselijke_kring: bool
    structureel: bool
    vormen: Annotated[list[Geweldsvorm], AfterValidator(_unique)] = Field(default_factory=list)
    intieme_terreur: bool = False


class Veiligheid(BaseModel):
    """The safety assessment."""

    model_config = _CONFIG

    niveau: Veiligheidsniveau
    acuut: bool = False


class Woonsituatie(BaseModel):
    """Housing: homeless, living independently is safe, 24-hour proximity needed."""

    model_config = _CONFIG

    dakloos: bool = False
    zelfstandig_wonen_veilig: bool = True
    nabijheid_24u_nodig: bool = False


class Inzet(BaseModel):
    """The expected effort: duration in months and whether specialist help is needed."""

    model_config = _CONFIG

    verwachte_duur_maanden: int = Field(default=12, ge=1, le=120)
    specialistisch: bool = False


class Casus(BaseModel):
    """One pseudonymised casus, as in the contract's "Casus (input)"."""

    model_config = _CONFIG

    casus_id: Pseudonym
    peildatum: Peildatum = Field(default_factory=date.today)
    woonplaats: Woonplaats = "rotterdam"
    leden: list[Lid] = Field(min_length=1, max_length=MAX_LEDEN)
    geweld: Geweld
    veiligheid: Veiligheid
    vaardigheden: Vaardigheden
    woonsituatie: Woonsituatie = Field(default_factory=Woonsituatie)
    bestaande_wmo_zorg: WmoZorg = "geen"
    inzet: Inzet = Field(default_factory=Inzet)
    signalen: Annotated[list[Signaal], AfterValidator(_unique)] = Field(default_factory=list)

    @field_validator("leden")
    @classmethod
    def _unique_member_ids(cls, leden: list[Lid]) -> list[Lid]:
        duplicates = _duplicate_ids(enumerate(lid.id for lid in leden))
        if duplicates:
            ids = ", ".join(sorted({lid_id for _, lid_id in duplicates}))
            raise PydanticCustomError(
                "duplicate_id",
                "member ids occur more than once: {ids}",
                {"ids": ids, "duplicates": duplicates},
            )
        return leden

    @property
    def counts(self) -> dict[str, int]:
        """Number of members, and of members per role (a member with two roles counts for both)."""
        counts: dict[str, int] = dict.fromkeys(("leden", "slachtoffer", "pleger", "getuige", "gezinslid"), 0)
        counts["leden"] = len(self.leden)
        for lid in self.leden:
            for rol in lid.rollen:
                counts[rol] += 1
        return counts


def parse_casus(data: object) -> Casus:
    """Raw data (from JSON or YAML) as a Casus; CasusFout names every error, identifiers first.

    The identifier screening only walks refused documents: one that validates holds nothing but
    contract keys, none of which is an identifier (tests/test_identifiers.py keeps that true), and
    the model itself refuses a BSN-like id. So valid input, the common case, pays nothing for it.
    """
    if not isinstance(data, dict):
        raise CasusFout([not_an_object_fout(data)])
    try:
        return Casus.model_validate(data)
    except ValidationError as exc:
        found = [*translate_validation_error(exc, Casus), *_raw_duplicate_ids(data)]
        raise CasusFout(_merge(screen_identifiers(data), found), _raw_casus_id(data)) from None


def parse_opgeslagen_casus(tekst: bytes | str) -> Casus:
    """A casus as the service stored it (`model_dump(mode="json")` as JSON text), validated straight from its text:
    pydantic's JSON mode gives the same Casus as decoding and then validating, with one pass less (a replay over
    the stored adviezen parses every casus). Text that does not validate is a CasusFout, as `parse_casus` says."""
    try:
        return Casus.model_validate_json(tekst)
    except ValidationError:
        return parse_casus_json(tekst)


def parse_casus_json(raw: bytes | str) -> Casus:
    """`parse_casus` on a JSON document; invalid JSON is a CasusFout naming line and column, and a key given
    twice in one object is refused (JSON parsers keep the last one silently: a typo or a smuggled value)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CasusFout([translate_json_error(exc)]) from None
    weiger_dubbele_sleutels(raw, data)
    return parse_casus(data)


def weiger_dubbele_sleutels(raw: bytes | str, data: object) -> None:
    """A CasusFout naming every key given twice in one object of the valid JSON document `raw` (decoded: `data`);
    the quick proof that none is (`_zonder_dubbele_sleutels`) first, the search only when it cannot tell."""
    dubbel = [] if _zonder_dubbele_sleutels(raw, data) else dubbele_sleutels(raw)
    if dubbel:
        raise CasusFout([Fout(sleutel, "komt meer dan eens voor in hetzelfde object; geef elk veld één keer")
                         for sleutel in dubbel])


def dubbele_sleutels(raw: bytes | str) -> list[str]:
    """The keys that occur more than once in one object of a valid JSON document (about 20 µs for a casus)."""
    gevonden: list[str] = []

    def paren(lijst: list[tuple[str, object]]) -> dict[str, object]:
        gezien: set[str] = set()
        for sleutel, _ in lijst:
            if sleutel in gezien and sleutel not in gevonden:
                gevonden.append(sleutel if _is_safe_key(sleutel) else "(sleutel)")
            gezien.add(sleutel)
        return dict(lijst)

    json.loads(raw, object_pairs_hook=paren)
    return gevonden


_SPATIE_VOOR_DUBBELE_PUNT = re.compile(rb'"[ \t\n\r]+:')


def _aantal_sleutels(waarde: object) -> int:
    if isinstance(waarde, dict):
        return len(waarde) + sum(_aantal_sleutels(v) for v in waarde.values())
    if isinstance(waarde, list):
        return sum(_aantal_sleutels(v) for v in waarde)
    return 0


def _zonder_dubbele_sleutels(raw: bytes | str, data: object) -> bool:
    """True only when no object of the valid JSON document `raw` (decoded: `data`) has a key twice: a few µs,
    against ~20 µs for `dubbele_sleutels`, which the caller runs when this cannot tell (False).

    Every key of the text ends in a quote, and when no quote is followed by white space and a colon, each key
    is followed by `":` at once, so the text's count of `":` is at least its number of keys (a string value
    may add some). `data` keeps one key per name and object, so it has at most the text's number of keys,
    fewer exactly when a key was repeated. Equal counts therefore mean no key was repeated."""
    tekst = raw.encode() if isinstance(raw, str) else raw
    if _SPATIE_VOOR_DUBBELE_PUNT.search(tekst):
        return False
    return tekst.count(b'":') == _aantal_sleutels(data)


def _is_safe_key(sleutel: str) -> bool:
    """A key that may be named in an error: a plain field name (never a value that could carry data)."""
    return len(sleutel) <= 64 and sleutel.replace("_", "").isalnum() and in_id(sleutel) is None


def _duplicate_ids(ids: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """(index, id) of every member whose id was used by an earlier member."""
    seen: set[str] = set()
    duplicates: list[tuple[int, str]] = []
    for index, lid_id in ids:
        if lid_id in seen:
            duplicates.append((index, lid_id))
        seen.add(lid_id)
    return duplicates


def _raw_duplicate_ids(data: dict[object, object]) -> list[Fout]:
    """Duplicate member ids in raw data: the model only checks them when every member is valid."""
    leden = data.get("leden")
    if not isinstance(leden, list):
        return []
    ids = [
        (index, lid["id"])
        for index, lid in enumerate(leden)
        if isinstance(lid, dict) and isinstance(lid.get("id"), str) and _is_safe_id(lid["id"])
    ]
    return [duplicate_id_fout(index, lid_id) for index, lid_id in _duplicate_ids(ids)]


def _merge(screened: list[Fout], found: list[Fout]) -> list[Fout]:
    """Screening errors first; a validation error at or under a screened path, or seen before, is dropped."""
    prefixes = tuple(p for f in screened for p in (f.veld + ".", f.veld + "["))
    paths = {f.veld for f in screened}
    merged = list(screened)
    seen = set(screened)
    for fout in found:
        if fout.veld in paths or fout.veld.startswith(prefixes) or fout in seen:
            continue
        seen.add(fout)
        merged.append(fout)
    return merged


def _is_safe_id(value: str) -> bool:
    """An id that may be echoed in an error: a pseudonym without any personal data."""
    return is_pseudonym(value) and not is_possible_bsn(value) and in_id(value) is None


def _raw_casus_id(data: dict[object, object]) -> str | None:
    """The casus_id for an error line, only when it is a valid pseudonym (never echo a name or BSN)."""
    value = data.get("casus_id")
    return value if isinstance(value, str) and _is_safe_id(value) else None
