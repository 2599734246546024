"""Encoding of flat facts as JSON for the C engine, refusing every shape known to crash it.

durable-rules' C parser crashes or misreads: floats in exponent form (1e-05, 1e+16), inf/NaN, facts
with more than ~252 properties, nested values, and fields named `id` or `sid` (fact identity and
session). Facts here are flat maps of str/bool/int/float/None, encoded by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import orjson

__all__ = ["FactError", "encode_fact", "encode_value", "MAX_PROPERTIES", "RESERVED_FIELDS"]

MAX_PROPERTIES = 200
RESERVED_FIELDS = frozenset({"id", "sid"})
_MAX_INT = 2**53


class FactError(ValueError):
    """A fact the engine must not see."""


def encode_value(value: Any) -> str:
    """One JSON value in a form the C parser reads correctly."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if not -_MAX_INT <= value <= _MAX_INT:
            raise FactError(f"integer {value} out of range")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FactError(f"number {value} is not finite")
        if abs(value) >= 1e15:
            raise FactError(f"number {value} too large")
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.20f}".rstrip("0")
            if text.endswith("."):
                text += "0"
        return text
    if isinstance(value, str):
        return orjson.dumps(value).decode()
    raise FactError(f"value of type {type(value).__name__} not allowed in a fact")


_PLAIN = frozenset({str, bool, type(None)})


def encode_fact(fact: Mapping[str, Any], sid: str) -> str:
    """The fact with its session id, as the JSON text to assert."""
    if len(fact) > MAX_PROPERTIES:
        raise FactError(f"fact has {len(fact)} properties; at most {MAX_PROPERTIES}")
    if "id" in fact or "sid" in fact:
        raise FactError("field names 'id' and 'sid' are reserved by the engine")
    # Fast path: strings, booleans, None and small integers encode the same in orjson and in the C parser.
    for value in fact.values():
        kind = type(value)
        if kind not in _PLAIN and not (kind is int and -_MAX_INT <= value <= _MAX_INT):
            return _encode_slow(fact, sid)
    return orjson.dumps({"sid": sid, **fact}).decode()


def _encode_slow(fact: Mapping[str, Any], sid: str) -> str:
    parts = ['"sid":' + orjson.dumps(sid).decode()]
    for key, value in fact.items():
        if key in RESERVED_FIELDS:
            raise FactError(f"field name {key!r} is reserved by the engine")
        parts.append(orjson.dumps(key).decode() + ":" + encode_value(value))
    return "{" + ",".join(parts) + "}"
