"""Compiling rules and the parameters in force into a durable-rules ruleset with a content hash."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from engine.dsl import CompileError, FactSchemas
from engine.durable_adapter import DurableRuleset
from engine.parameters import Parameters
from engine.regels_bij import RegelBij
from engine.rule import Rule
from engine.scenario_regels import compileer

if TYPE_CHECKING:
    from engine.casus import Casus

__all__ = ["CompiledRuleset", "RuleSource", "compile_ruleset"]

FactBuilder = Callable[["Casus"], list[dict[str, Any]]]


@dataclass(frozen=True)
class RuleSource:
    """Everything a ruleset is made of, apart from the parameter values."""

    naam: str
    rules: Sequence[Rule]
    schemas: FactSchemas
    facts: FactBuilder
    anchor: str
    bronnen: Path | None = None  # the sources file the rules cite (`engine.bronnen`)


@dataclass(frozen=True)
class CompiledRuleset:
    """A ruleset ready to evaluate: rules by id, parameters, durable handle, identity."""

    naam: str
    versie: str
    hash: str
    params: Parameters
    rules: Mapping[str, Rule]
    condition_params: Mapping[str, dict[str, Any]]
    regels_uit: tuple[str, ...]
    durable: DurableRuleset
    source: RuleSource

    def identity(self) -> dict[str, str]:
        return {"naam": self.naam, "versie": self.versie, "hash": self.hash}


def _definition(rules: Iterable[Rule], schemas: FactSchemas, params: Parameters) -> dict[str, Any]:
    definition: dict[str, Any] = {}
    for r in rules:
        try:
            patterns = [{name: p.compile(schemas, params.get)} for name, p in r.when]
        except CompileError as exc:
            raise CompileError(f"{r.id}: {exc}") from exc
        definition[r.id] = {"all": patterns, "pri": r.fase}
    return definition


def _digest(source: RuleSource, rules: Sequence[Rule], definition: Mapping[str, Any], params: Parameters) -> str:
    content = {
        "naam": source.naam,
        "parameters": params.values,
        "regels": [
            {"id": r.id, "bron": r.bron, "beleidskeuze": r.beleidskeuze, "source": r.source} for r in rules
        ],
        "definitie": definition,
    }
    return "sha256:" + hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


_cache: dict[str, CompiledRuleset] = {}
_cache_lock = threading.Lock()


def compile_ruleset(
    source: RuleSource, params: Parameters, regels_uit: Iterable[str] = (), regels_bij: Sequence[RegelBij] = ()
) -> CompiledRuleset:
    """Compile (or reuse, by content hash) the ruleset for these parameters, switched-off rules and rules added
    by a scenario (`engine.scenario_regels`: after the source's rules, so they fire after them within a step)."""
    off = tuple(sorted(set(regels_uit)))
    known = {r.id: r for r in source.rules}
    for rule_id in off:
        if rule_id not in known:
            raise CompileError(f"regels_uit: onbekende regel {rule_id!r}")
        if not known[rule_id].uitschakelbaar:
            raise CompileError(f"regels_uit: regel {rule_id!r} kan niet uitgeschakeld worden")
    bij, extra_schemas = compileer(regels_bij, source.rules)
    rules = [r for r in source.rules if r.id not in off] + bij
    definition = _definition(rules, {**source.schemas, **extra_schemas}, params)
    digest = _digest(source, rules, definition, params)
    with _cache_lock:
        cached = _cache.get(digest)
        if cached is None:
            cached = _cache[digest] = _build(source, params, rules, definition, digest, off)
    return cached


def _build(
    source: RuleSource, params: Parameters, rules: list[Rule], definition: dict[str, Any], digest: str,
    off: tuple[str, ...],
) -> CompiledRuleset:
    return CompiledRuleset(
        naam=source.naam,
        versie=params.versie.isoformat(),
        hash=digest,
        params=params,
        rules={r.id: r for r in rules},
        condition_params={r.id: {p: params.get(p) for p in sorted(r.parameters())} for r in rules},
        regels_uit=off,
        durable=DurableRuleset(f"{source.naam}@{digest[7:23]}", definition, anchor=source.anchor),
        source=source,
    )
