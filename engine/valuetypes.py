"""The value types a parameter may declare, and the check that refuses a value of the wrong shape."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from engine.errors import ParameterFout

__all__ = ["VALUE_TYPES", "check_value"]


def _int_in(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"moet een geheel getal van {low} tot en met {high} zijn"
        if not low <= value <= high:
            return f"moet van {low} tot en met {high} zijn"
        return None

    return check


def _number_in(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "moet een getal zijn"
        if isinstance(value, float) and not math.isfinite(value):
            return "moet een eindig getal zijn"
        if not low <= value <= high:
            return f"moet van {low:g} tot en met {high:g} zijn"
        return None

    return check


def _optional(check: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    def optional(value: Any) -> str | None:
        return None if value is None else check(value)

    return optional


def _per_index(count: int, check: Callable[[Any], str | None], what: str) -> Callable[[Any], str | None]:
    def per_index(value: Any) -> str | None:
        if not isinstance(value, list) or len(value) != count:
            return f"moet een lijst van {count} waarden zijn ({what})"
        for i, item in enumerate(value, start=1):
            problem = check(item)
            if problem:
                return f"waarde {i}: {problem}"
        return None

    return per_index


_UREN = _optional(_number_in(0, 168))
VALUE_TYPES: Mapping[str, Callable[[Any], str | None]] = {
    "pakket": _int_in(1, 3),
    "aantal": _int_in(0, 100),
    "maanden": _int_in(1, 120),
    "leeftijd": _int_in(0, 120),
    "fractie": _number_in(0, 1),
    "procent": _number_in(0, 100),
    "uren_per_pakket": _per_index(3, _UREN, "uren per week voor pakket 1-3, null waar het pakket niet bestaat"),
    "trede_per_pakket": _per_index(3, _optional(_int_in(1, 5)), "trede voor pakket 1-3, of null"),
    "diensturen_per_trede": _per_index(3, _int_in(0, 1000), "diensturen voor trede 1-3"),
    "bedrag_per_pakket": _per_index(3, _optional(_number_in(0, 100000)), "bedrag voor pakket 1-3, of null"),
    "procent_per_pakket": _per_index(3, _number_in(0, 100), "procent voor pakket 1-3"),
    "bedrag_per_trede": _per_index(3, _optional(_number_in(0, 100000)), "bedrag voor trede 1-3, of null"),
    "bedrag": _optional(_number_in(0, 100000)),
}


def check_value(type_name: str, value: Any, pad: str) -> None:
    """Raise ParameterFout naming `pad` when `value` does not fit `type_name`."""
    if isinstance(value, Mapping):
        for key, sub in value.items():
            check_value(type_name, sub, f"{pad}.{key}")
        return
    problem = VALUE_TYPES[type_name](value)
    if problem:
        raise ParameterFout(pad, f"{problem} (type {type_name})")
