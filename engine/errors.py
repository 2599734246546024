"""Input errors: `Fout` and `CasusFout`, and pydantic validation errors translated into Dutch."""

from __future__ import annotations

import difflib
import inspect
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

__all__ = [
    "ROOT",
    "MOGELIJK_BSN",
    "persoonsgegeven_melding",
    "PERSOONSGEGEVEN_BEGIN",
    "Fout",
    "CasusFout",
    "format_path",
    "duplicate_id_fout",
    "not_an_object_fout",
    "translate_json_error",
    "translate_validation_error",
    "ParameterFout",
]

ROOT = "(casus)"
"""The `veld` of an error about the document as a whole."""

MOGELIJK_BSN = "mogelijk een BSN (9 cijfers die voldoen aan de elfproef); gebruik een pseudoniem"

Loc = Sequence[str | int]


@dataclass(frozen=True, slots=True)
class Fout:
    """One refused field: its contract-style path (`leden[1].leeftijd`) and why, in Dutch."""

    veld: str
    melding: str

    def as_dict(self) -> dict[str, str]:
        return {"veld": self.veld, "melding": self.melding}


class CasusFout(ValueError):
    """A casus that is refused; `fouten` lists every offending field."""

    def __init__(self, fouten: Iterable[Fout], casus_id: str | None = None) -> None:
        self.fouten = list(fouten)
        self.casus_id = casus_id
        super().__init__("\n".join(f"{f.veld}: {f.melding}" for f in self.fouten))

    def as_dict(self) -> dict[str, Any]:
        """The error line of a batch: `{"casus_id": ..., "fouten": [{"veld": ..., "melding": ...}]}`."""
        return {"casus_id": self.casus_id, "fouten": [f.as_dict() for f in self.fouten]}


def format_path(loc: Loc) -> str:
    """`("leden", 1, "leeftijd")` -> `leden[1].leeftijd`; the empty path is `(casus)`."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts) or ROOT


def duplicate_id_fout(index: int, lid_id: str) -> Fout:
    """The error for `leden[index]`, whose id was used before in the same casus."""
    return Fout(format_path(("leden", index, "id")), f"id '{lid_id}' komt meer dan eens voor")


def not_an_object_fout(data: object) -> Fout:
    """The error for a document that is not an object (a list, a text, a number, nothing)."""
    if data is None:
        kind = "leeg document"
    elif isinstance(data, list):
        kind = "lijst"
    elif isinstance(data, bool):
        kind = "true of false"
    elif isinstance(data, int | float):
        kind = "getal"
    elif isinstance(data, str):
        kind = "tekst"
    else:
        kind = type(data).__name__
    return Fout(ROOT, f"de casus moet een JSON- of YAML-object zijn (velden tussen {{ }}), geen {kind}")


def translate_json_error(exc: json.JSONDecodeError) -> Fout:
    """Invalid JSON (orjson's error is a `json.JSONDecodeError`), naming line and column."""
    reason = _JSON_REASONS.get(exc.msg) or f"onleesbare tekst (technisch: {exc.msg})"
    return Fout(ROOT, f"ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {reason}")


_JSON_REASONS = {  # orjson's messages; others are shown as they are
    "Input is a zero-length, empty document": "de invoer is leeg",
    "unexpected end of data": "onverwacht einde van de invoer",
    "trailing comma is not allowed": "komma na het laatste element is niet toegestaan",
    "unexpected content after document": "tekst na het einde van het document",
    "str is not valid UTF-8: surrogates not allowed": "geen geldige UTF-8-tekst",
    "number is infinity when parsed as double": "getal is te groot",
}


def translate_validation_error(exc: ValidationError, model: type[BaseModel]) -> list[Fout]:
    """Every error in `exc` as a `Fout`, in pydantic's order; `model` is the validated model class."""
    fouten: list[Fout] = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = error["loc"]
        ctx = error.get("ctx") or {}
        if error["type"] == "duplicate_id":
            # One error from the uniqueness check names every repeated id; report each at its own path.
            fouten.extend(duplicate_id_fout(index, lid_id) for index, lid_id in ctx.get("duplicates", ()))
            continue
        if error["type"] == "invalid_key" and loc:
            loc = (*loc[:-1], str(loc[-1]))  # the offending key itself, not a list index
        fouten.append(Fout(format_path(loc), _message(error, model)))
    return fouten


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    fixed = _FIXED.get(kind)
    if fixed is not None:
        return fixed
    handler = _HANDLERS.get(kind)
    if handler is not None:
        return handler(error, model)
    return f"ongeldige waarde (foutcode {kind})"


def _ctx(error: ErrorDetails, key: str) -> Any:
    return (error.get("ctx") or {}).get(key)


def _extra_forbidden(error: ErrorDetails, model: type[BaseModel]) -> str:
    loc = error["loc"]
    owner = _resolve(model, loc[:-1])[1]
    hint = ""
    if owner is not None and loc and isinstance(loc[-1], str):
        close = difflib.get_close_matches(loc[-1], list(owner.model_fields), n=1, cutoff=0.75)
        if close:
            hint = f"; bedoelt u '{close[0]}'?"
    return f"onbekend veld; niet toegestaan (controleer de spelling{hint})"


def _literal(error: ErrorDetails, model: type[BaseModel]) -> str:
    info = _resolve(model, error["loc"])[0]
    values = _literal_values(info.annotation) if info is not None else ()
    if values:
        return "moet een van de volgende waarden zijn: " + ", ".join(str(v) for v in values)
    return f"moet een van de volgende waarden zijn: {_ctx(error, 'expected')}"


def _bounds(error: ErrorDetails, model: type[BaseModel]) -> str:
    info = _resolve(model, error["loc"])[0]
    low = high = None
    for item in info.metadata if info is not None else ():
        if isinstance(item, Ge | Gt):
            low = item.ge if isinstance(item, Ge) else item.gt
        elif isinstance(item, Le | Lt):
            high = item.le if isinstance(item, Le) else item.lt
    kind = error["type"]
    if low is not None and high is not None and kind in ("greater_than_equal", "less_than_equal"):
        return f"moet tussen {low} en {high} liggen"
    words = {
        "greater_than_equal": ("minstens", "ge"),
        "greater_than": ("groter dan", "gt"),
        "less_than_equal": ("hoogstens", "le"),
        "less_than": ("kleiner dan", "lt"),
    }[kind]
    return f"moet {words[0]} {_ctx(error, words[1])} zijn"


def _too_short(error: ErrorDetails, model: type[BaseModel]) -> str:
    field = _last_name(error["loc"])
    if field == "leden":
        return "minstens één gezinslid is verplicht"
    if field == "rollen":
        return "minstens één rol is verplicht (slachtoffer, pleger, getuige of gezinslid)"
    return f"moet minstens {_ctx(error, 'min_length')} waarde(n) bevatten"


def _too_long(error: ErrorDetails, model: type[BaseModel]) -> str:
    if _last_name(error["loc"]) == "leden":
        return f"te veel gezinsleden: hoogstens {_ctx(error, 'max_length')} toegestaan"
    return f"mag hoogstens {_ctx(error, 'max_length')} waarde(n) bevatten"


PERSOONSGEGEVEN_BEGIN = "lijkt "  # every message about personal data in a value starts so


def persoonsgegeven_melding(error: ErrorDetails) -> str:
    """The Dutch message for personal data in a value: names the kind found, never the value itself."""
    soort = _ctx(error, "soort") or "persoonsgegevens"
    if _ctx(error, "waar") == "id":
        return (f"lijkt {soort} te bevatten; gebruik een pseudoniem of een rolwoord (zoals moeder, kind1 of "
                "RT-2026-0412), geen persoonsgegevens")
    return (f"lijkt {soort} te bevatten; schrijf dit zonder persoonsgegevens (geen naam, BSN, adres, "
            "geboortedatum, telefoonnummer of e-mailadres)")


def _persoonsgegeven(error: ErrorDetails, model: type[BaseModel]) -> str:
    return persoonsgegeven_melding(error)


def _passthrough(error: ErrorDetails, model: type[BaseModel]) -> str:
    # value_error / assertion_error: the validator's own message is the best we have.
    reason = _ctx(error, "error")
    return f"ongeldige waarde: {reason}" if reason else "ongeldige waarde"


_DATUM = "ongeldige datum; gebruik JJJJ-MM-DD"
_GETAL = "moet een geheel getal zijn"
_BOOLEAN = "moet true of false zijn"
_OBJECT = "moet een object zijn (velden tussen { })"

_FIXED: dict[str, str] = {
    "missing": "verplicht veld ontbreekt",
    "invalid_key": "ongeldige veldnaam: een veldnaam moet tekst zijn (zet hem zo nodig tussen aanhalingstekens)",
    "int_type": _GETAL,
    "int_parsing": _GETAL,
    "int_from_float": _GETAL,
    "int_parsing_size": "getal is te groot",
    "bool_type": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "string_type": "moet tekst zijn (zet de waarde zo nodig tussen aanhalingstekens)",
    "string_unicode": "moet geldige tekst (Unicode) zijn",
    "list_type": "moet een lijst zijn (waarden tussen [ ])",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "recursion_loop": "de invoer verwijst naar zichzelf (kringverwijzing)",
    "date_type": _DATUM,
    "date_parsing": _DATUM,
    "date_from_datetime_parsing": _DATUM,
    "date_from_datetime_inexact": "ongeldige datum; gebruik JJJJ-MM-DD zonder tijd",
    # Raised by the validators in engine/casus.py.
    "date_format": _DATUM,
    "date_with_time": "ongeldige datum; gebruik JJJJ-MM-DD zonder tijd",
    "date_nonexistent": "ongeldige datum; deze dag bestaat niet (gebruik JJJJ-MM-DD)",
    "pseudonym": "ongeldige id; gebruik een pseudoniem van 1 tot 64 tekens: letters, cijfers, punt, "
    "liggend streepje of koppelteken (geen spaties)",
    "possible_bsn": MOGELIJK_BSN,
}

_HANDLERS: dict[str, Callable[[ErrorDetails, type[BaseModel]], str]] = {
    "extra_forbidden": _extra_forbidden,
    "literal_error": _literal,
    "greater_than_equal": _bounds,
    "greater_than": _bounds,
    "less_than_equal": _bounds,
    "less_than": _bounds,
    "too_short": _too_short,
    "too_long": _too_long,
    "value_error": _passthrough,
    "persoonsgegeven": _persoonsgegeven,
    "assertion_error": _passthrough,
}


def _last_name(loc: Loc) -> str | None:
    return next((part for part in reversed(loc) if isinstance(part, str)), None)


def _resolve(model: type[BaseModel], loc: Loc) -> tuple[FieldInfo | None, type[BaseModel] | None]:
    """The field named last in `loc`, and the model class of the value at `loc` (if it is a model)."""
    info: FieldInfo | None = None
    owner: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue  # a list index: the item has the list field's item type
        if owner is None or part not in owner.model_fields:
            return None, None
        info = owner.model_fields[part]
        owner = _nested_model(info.annotation)
    return info, owner


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        values = _literal_values(arg)
        if values:
            return values
    return ()


class ParameterFout(ValueError):
    """A parameter file, path or value that is refused; the message names the path."""

    def __init__(self, pad: str, melding: str) -> None:
        super().__init__(f"{pad}: {melding}")
        self.pad = pad
        self.melding = melding
