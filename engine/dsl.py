"""Rule conditions: a small typed DSL compiled to durable-rules JSON, with parameters baked in.

Only comparisons of a fact field with a constant or a parameter, combined with and/or/not, exist:
no arithmetic (so no division by zero in the engine), no `none()` (whose queued activations are not
cancelled), and every field is checked against the fact's declared schema (so a misspelt field can
never silently read as None).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["F", "P", "Cond", "Pattern", "fact", "CompileError", "FactSchemas"]

FactSchemas = Mapping[str, Mapping[str, type]]
ParamLookup = Callable[[str], Any]

_NEGATE = {"$eq": "$neq", "$neq": "$eq", "$lt": "$gte", "$gte": "$lt", "$lte": "$gt", "$gt": "$lte"}
_ORDERED = frozenset({"$lt", "$lte", "$gt", "$gte"})


class CompileError(ValueError):
    """A rule that cannot be compiled; the message names the rule and the field."""


@dataclass(frozen=True)
class P:
    """A reference to a parameter path, resolved when the ruleset is compiled."""

    pad: str


class Cond:
    """A condition on the fields of one fact."""

    def __and__(self, other: Cond) -> Cond:
        return All((self, other))

    def __or__(self, other: Cond) -> Cond:
        return Any_((self, other))

    def __invert__(self) -> Cond:
        raise NotImplementedError

    def compile(self, fact_type: str, schemas: FactSchemas, params: ParamLookup) -> dict[str, Any]:
        raise NotImplementedError

    def parameters(self) -> set[str]:
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Cmp(Cond):
    field: str
    op: str
    value: Any

    def __invert__(self) -> Cond:
        return Cmp(self.field, _NEGATE[self.op], self.value)

    def parameters(self) -> set[str]:
        return {self.value.pad} if isinstance(self.value, P) else set()

    def compile(self, fact_type: str, schemas: FactSchemas, params: ParamLookup) -> dict[str, Any]:
        schema = schemas.get(fact_type)
        if schema is None:
            raise CompileError(f"onbekend feittype {fact_type!r}")
        if self.field not in schema:
            raise CompileError(f"feit {fact_type!r} heeft geen veld {self.field!r}")
        value = params(self.value.pad) if isinstance(self.value, P) else self.value
        _check_type(fact_type, self.field, schema[self.field], value, self.op)
        if self.op == "$eq":
            return {self.field: value}
        return {self.op: {self.field: value}}


def _check_type(fact_type: str, field: str, expected: type, value: Any, op: str) -> None:
    where = f"{fact_type}.{field}"
    if expected is bool:
        ok = isinstance(value, bool) and op not in _ORDERED
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected is str:
        ok = isinstance(value, str) and op not in _ORDERED
    else:
        ok = False
    if not ok:
        raise CompileError(f"{where} ({expected.__name__}) kan niet met {op} {value!r} vergeleken worden")


@dataclass(frozen=True, eq=False)
class All(Cond):
    parts: tuple[Cond, ...]

    def __invert__(self) -> Cond:
        return Any_(tuple(~p for p in self.parts))

    def parameters(self) -> set[str]:
        return set().union(*(p.parameters() for p in self.parts))

    def compile(self, fact_type: str, schemas: FactSchemas, params: ParamLookup) -> dict[str, Any]:
        return {"$and": [p.compile(fact_type, schemas, params) for p in self.parts]}


@dataclass(frozen=True, eq=False)
class Any_(Cond):
    parts: tuple[Cond, ...]

    def __invert__(self) -> Cond:
        return All(tuple(~p for p in self.parts))

    def parameters(self) -> set[str]:
        return set().union(*(p.parameters() for p in self.parts))

    def compile(self, fact_type: str, schemas: FactSchemas, params: ParamLookup) -> dict[str, Any]:
        return {"$or": [p.compile(fact_type, schemas, params) for p in self.parts]}


class _Field:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> Cmp:  # type: ignore[override]  # builds a condition
        return Cmp(self.name, "$eq", other)

    def __ne__(self, other: object) -> Cmp:  # type: ignore[override]  # builds a condition
        return Cmp(self.name, "$neq", other)

    def __lt__(self, other: object) -> Cmp:
        return Cmp(self.name, "$lt", other)

    def __le__(self, other: object) -> Cmp:
        return Cmp(self.name, "$lte", other)

    def __gt__(self, other: object) -> Cmp:
        return Cmp(self.name, "$gt", other)

    def __ge__(self, other: object) -> Cmp:
        return Cmp(self.name, "$gte", other)

    def isin(self, *values: object) -> Cond:
        return Any_(tuple(Cmp(self.name, "$eq", v) for v in values))

    __hash__ = None  # type: ignore[assignment]  # comparisons build conditions, so no hashing


class _Fields:
    def __getattr__(self, name: str) -> _Field:
        return _Field(name)


F = _Fields()


@dataclass(frozen=True)
class Pattern:
    """A fact of one type, with an optional condition on its fields."""

    fact_type: str
    cond: Cond | None = None

    def compile(self, schemas: FactSchemas, params: ParamLookup) -> dict[str, Any]:
        if self.fact_type not in schemas:
            raise CompileError(f"onbekend feittype {self.fact_type!r}")
        head = {"t": self.fact_type}
        if self.cond is None:
            return head
        return {"$and": [head, self.cond.compile(self.fact_type, schemas, params)]}

    def parameters(self) -> set[str]:
        return self.cond.parameters() if self.cond is not None else set()


def fact(fact_type: str, cond: Cond | None = None) -> Pattern:
    return Pattern(fact_type, cond)
