"""The engine facade: the ruleset in force on a peildatum (optionally with a scenario), and advies."""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from engine.casus import Casus, parse_casus
from engine.evaluate import evaluate
from engine.parameters import GeenRegelsetFout, ParameterTree, load_parameter_tree
from engine.regels_bij import RegelBij
from engine.ruleset import CompiledRuleset, RuleSource, compile_ruleset

__all__ = ["Engine"]


class Engine:
    """Rules plus their dated parameters; compiles and caches one ruleset per version and scenario."""

    def __init__(self, source: RuleSource, parameter_dir: Path) -> None:
        self.source = source
        self.tree: ParameterTree = load_parameter_tree(parameter_dir)
        self._rulesets: dict[tuple[dt.date, bytes, tuple[str, ...], bytes], CompiledRuleset] = {}
        self._compiling = threading.Lock()  # concurrent first requests must not compile the same ruleset twice

    def version_for(self, peildatum: dt.date) -> dt.date:
        versions = self.tree.versions
        i = bisect.bisect_right(versions, peildatum)
        if i == 0:
            raise GeenRegelsetFout(peildatum, versions[0])
        return versions[i - 1]

    def ruleset(
        self,
        peildatum: dt.date,
        overrides: Mapping[str, Any] | None = None,
        regels_uit: Iterable[str] = (),
        regels_bij: Sequence[RegelBij] = (),
    ) -> CompiledRuleset:
        """The ruleset in force on `peildatum`, with a scenario's parameters, switched-off and added rules."""
        key = self._key(peildatum, overrides, regels_uit, regels_bij)
        found = self._rulesets.get(key)
        if found is None:
            with self._compiling:
                found = self._rulesets.get(key)
                if found is None:
                    versie, _, off, _ = key
                    params = self.tree.resolve(versie)
                    if overrides:
                        params = params.with_overrides(overrides)
                    found = compile_ruleset(self.source, params, off, tuple(regels_bij))
                    self._rulesets[key] = found
        return found

    def compiled(
        self, peildatum: dt.date, overrides: Mapping[str, Any] | None = None, regels_uit: Iterable[str] = (),
        regels_bij: Sequence[RegelBij] = (),
    ) -> CompiledRuleset | None:
        """The ruleset if it is compiled already, else None (never compiles: callers that must not wait
        for a compilation, such as an event loop, use this and compile elsewhere)."""
        return self._rulesets.get(self._key(peildatum, overrides, regels_uit, regels_bij))

    def _key(
        self, peildatum: dt.date, overrides: Mapping[str, Any] | None, regels_uit: Iterable[str],
        regels_bij: Sequence[RegelBij] = (),
    ) -> tuple[dt.date, bytes, tuple[str, ...], bytes]:
        versie = self.version_for(peildatum)
        if not overrides and not regels_uit and not regels_bij:  # the rules in force: every request's key
            return (versie, b"{}", (), b"[]")  # = what the general form below gives for them
        off = tuple(sorted(set(regels_uit)))
        bij = orjson.dumps([r.as_dict() for r in regels_bij])  # in order: the order of added rules matters
        return (versie, orjson.dumps(dict(overrides or {}), option=orjson.OPT_SORT_KEYS), off, bij)

    def advies(self, casus: Casus, ruleset: CompiledRuleset | None = None) -> dict[str, Any]:
        """The advies under `ruleset` (default: the ruleset in force on the casus' peildatum). With the
        smallest single changes that would change it: `engine.alternatieven.advies_met_alternatieven`."""
        return evaluate(casus, ruleset or self.ruleset(casus.peildatum))

    def advies_voor(self, data: object) -> dict[str, Any]:
        """Validate raw casus data (JSON/YAML-loaded) and advise; raises CasusFout on invalid input."""
        return self.advies(parse_casus(data))
