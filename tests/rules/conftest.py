"""Pytest plugin: YAML rule cases (`tests/rules/test_*.yaml`), one test item per case.

A file holds a complete, valid casus as `basis` and a list of `gevallen`. Each case:

- `naam`: what the situation is, in Dutch; the name of the test item (unique within the file);
- `casus`: a partial casus deep-merged onto `basis` (mappings merge, everything else, lists
  included, replaces the base value);
- `vuurt` / `vuurt_niet`: rule ids that must / must not be in the evaluation's fired rules;
- `verwacht`: a partial advies. Every key given must equal the advies value; mappings are
  compared recursively as partial (an empty mapping means exactly empty), lists exactly.
  `signaleringen`, `maatwerk`, `waarschuwingen` and `resultaatgebieden` are given as lists of codes /
  resultaatgebieden and compared,
  in order, with those of the advies (an item may be a mapping instead, compared as partial with
  the whole entry at that place);
- `fout`: the casus must be refused; the `veld` paths of the CasusFout, in order;
- `xfail`: the reason the case is expected to fail (a suspected rule bug); strict, so a fix
  shows up as XPASS and the marker must then be removed.
"""

from __future__ import annotations

import copy
import difflib
import pprint
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.advies import assemble
from engine.casus import parse_casus
from engine.errors import CasusFout
from engine.evaluate import evaluate_work
from rules import standaard_engine

CASE_KEYS = frozenset({"naam", "casus", "vuurt", "vuurt_niet", "verwacht", "fout", "xfail"})
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is present
# Advies lists whose items are compared by one field only.
CODE_LISTS = {"signaleringen": "code", "maatwerk": "resultaatgebied", "waarschuwingen": "code",
              "resultaatgebieden": "resultaatgebied"}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.name.startswith("test_"):
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


def deep_merge(base: Any, change: Any) -> Any:
    """`change` laid over `base`: mappings merge key by key, any other value replaces."""
    if isinstance(base, dict) and isinstance(change, dict):
        merged = dict(base)
        for key, value in change.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(change)


class RuleCaseFile(pytest.File):
    """One YAML file of rule cases."""

    def collect(self) -> Iterator[RuleCase]:
        data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        if not isinstance(data, dict) or not isinstance(data.get("basis"), dict):
            raise self.CollectError(f"{self.path.name}: needs a mapping `basis` (a complete casus)")
        gevallen = data.get("gevallen")
        if not isinstance(gevallen, list) or not gevallen:
            raise self.CollectError(f"{self.path.name}: needs a non-empty list `gevallen`")
        unknown_top = set(data) - {"basis", "gevallen"}
        if unknown_top:
            raise self.CollectError(f"{self.path.name}: unknown top-level keys {sorted(unknown_top)}")
        seen: set[str] = set()
        for index, spec in enumerate(gevallen):
            where = f"{self.path.name}, gevallen[{index}]"
            self._check(spec, where)
            if spec["naam"] in seen:
                raise self.CollectError(f"{where}: naam {spec['naam']!r} is used twice")
            seen.add(spec["naam"])
            yield RuleCase.from_parent(self, name=spec["naam"], basis=data["basis"], spec=spec)

    def _check(self, spec: Any, where: str) -> None:
        """Refuse a malformed case at collection, so a typo never makes a case pass vacuously."""
        if not isinstance(spec, dict):
            raise self.CollectError(f"{where}: a case must be a mapping")
        unknown = set(spec) - CASE_KEYS
        if unknown:
            raise self.CollectError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(CASE_KEYS)})")
        if not isinstance(spec.get("naam"), str) or not spec["naam"].strip():
            raise self.CollectError(f"{where}: needs a `naam`")
        for key in ("vuurt", "vuurt_niet", "fout"):
            value = spec.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.CollectError(f"{where}: `{key}` must be a list of strings")
        if "fout" in spec:
            if {"vuurt", "vuurt_niet", "verwacht"} & set(spec):
                raise self.CollectError(f"{where}: a refused casus (`fout`) has no rules or advies to check")
        elif not ({"vuurt", "vuurt_niet", "verwacht"} & set(spec)):
            raise self.CollectError(f"{where}: checks nothing (give `vuurt`, `vuurt_niet`, `verwacht` or `fout`)")
        if "casus" in spec and not isinstance(spec["casus"], dict):
            raise self.CollectError(f"{where}: `casus` must be a mapping (a partial casus)")
        if "verwacht" in spec and not isinstance(spec["verwacht"], dict):
            raise self.CollectError(f"{where}: `verwacht` must be a mapping (a partial advies)")
        if "xfail" in spec and (not isinstance(spec["xfail"], str) or not spec["xfail"].strip()):
            raise self.CollectError(f"{where}: `xfail` must give the reason")


class CaseFailure(AssertionError):
    """A case whose outcome differs from what the YAML expects."""

    def __init__(self, problems: list[str], fired: list[str] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fired = fired


class RuleCase(pytest.Item):
    """One case: merge onto the basis, evaluate, compare."""

    def __init__(self, *, basis: dict[str, Any], spec: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.basis = basis
        self.spec = spec
        if "xfail" in spec:
            self.add_marker(pytest.mark.xfail(reason=spec["xfail"], strict=True))

    def runtest(self) -> None:
        raw = deep_merge(self.basis, self.spec.get("casus") or {})
        if "fout" in self.spec:
            self._check_refused(raw)
            return
        try:
            casus = parse_casus(raw)
        except CasusFout as exc:
            raise CaseFailure(
                ["the casus was refused, but the case expects an advies:", *str(exc).splitlines()]
            ) from None
        ruleset = standaard_engine().ruleset(casus.peildatum)
        work = evaluate_work(casus, ruleset)
        advies = assemble(casus, work, ruleset.identity())
        problems = [f"rule {r} did not fire, but should" for r in self.spec.get("vuurt", []) if r not in work.fired]
        problems += [f"rule {r} fired, but should not" for r in self.spec.get("vuurt_niet", []) if r in work.fired]
        problems += compare_advies(self.spec.get("verwacht", {}), advies)
        if problems:
            raise CaseFailure(problems, work.fired)

    def _check_refused(self, raw: dict[str, Any]) -> None:
        expected = self.spec["fout"]
        try:
            parse_casus(raw)
        except CasusFout as exc:
            actual = [f.veld for f in exc.fouten]
            if actual != expected:
                raise CaseFailure(
                    [f"refused on other fields: expected {expected}, got {actual}", *str(exc).splitlines()]
                ) from None
            return
        raise CaseFailure([f"the casus was accepted, but should be refused on {expected}"])

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if not isinstance(excinfo.value, CaseFailure):
            return str(super().repr_failure(excinfo, style=style))
        failure = excinfo.value
        lines = [f"{self.path.name}: {self.name}", *(f"  {p}" for p in failure.problems)]
        if failure.fired is not None:
            lines.append("fired rules, in order:")
            lines.extend(f"  {r}" for r in failure.fired)
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}: {self.name}"


def compare_advies(expected: dict[str, Any], advies: dict[str, Any]) -> list[str]:
    """Problems found comparing a partial expected advies with the real one (empty: it matches)."""
    problems: list[str] = []
    for key, value in expected.items():
        if key not in advies:
            problems.append(f"{key}: not a field of the advies")
            continue
        actual = advies[key]
        if key in CODE_LISTS and isinstance(value, list) and isinstance(actual, list):
            problems.extend(compare_code_list(value, actual, key, CODE_LISTS[key]))
        else:
            problems.extend(compare(value, actual, key))
    return problems


def compare_code_list(expected: list[Any], actual: list[dict[str, Any]], path: str, field: str) -> list[str]:
    """A list of codes compared in order with the entries' `field`; a mapping instead of a code is
    compared (as partial) with the whole entry at that place."""
    codes = [entry.get(field) for entry in actual]
    if len(expected) != len(actual) or any(
        (e if isinstance(e, str) else e.get(field, c)) != c for e, c in zip(expected, codes, strict=False)
    ):
        expected_codes = [e if isinstance(e, str) else e.get(field, "?") for e in expected]
        return compare(expected_codes, codes, path)
    problems: list[str] = []
    for index, (e, entry) in enumerate(zip(expected, actual, strict=True)):
        if isinstance(e, dict):
            problems.extend(compare(e, entry, f"{path}[{index}]"))
    return problems


def compare(expected: Any, actual: Any, path: str) -> list[str]:
    """Mappings as partial (recursively), everything else exactly (booleans are not numbers).

    An empty expected mapping means "exactly empty", not "anything".
    """
    if isinstance(expected, dict) and expected:
        if not isinstance(actual, dict):
            return [f"{path}: expected a mapping, got {actual!r}"]
        problems: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{path}.{key}: not in the advies (present: {sorted(actual)})")
            else:
                problems.extend(compare(value, actual[key], f"{path}.{key}"))
        return problems
    if same(expected, actual):
        return []
    if isinstance(expected, list | dict) or isinstance(actual, list | dict):
        diff = difflib.ndiff(
            pprint.pformat(expected, width=100).splitlines(), pprint.pformat(actual, width=100).splitlines()
        )
        return [f"{path}: differs (- expected, + actual)", *(f"    {line}" for line in diff if line[:1] != "?")]
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def same(expected: Any, actual: Any) -> bool:
    """Exact equality, except that 5 and 5.0 are equal; True is not 1."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(same(e, a) for e, a in zip(expected, actual, strict=True))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(same(expected[k], actual[k]) for k in expected)
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    return type(expected) is type(actual) and expected == actual
