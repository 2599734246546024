"""Dated parameter files: loading, schema checks, the values in force on a peildatum, and overrides."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from engine.errors import ParameterFout
from engine.valuetypes import VALUE_TYPES, check_value

__all__ = [
    "ParameterFout",
    "as_date",
    "GeenRegelsetFout",
    "ParameterNode",
    "ParameterTree",
    "Parameters",
    "load_parameter_tree",
]

_META_KEYS = frozenset({"beschrijving", "bron", "beleidskeuze", "toelichting", "type", "eenheid", "values"})
_REQUIRED = ("beschrijving", "bron", "beleidskeuze", "type", "values")
_PARAMETER_KEYS = frozenset({"values", "bron", "beleidskeuze", "type"})  # a group has none of these


class GeenRegelsetFout(ValueError):
    """No ruleset version is in force on the requested peildatum."""

    def __init__(self, peildatum: dt.date, eerste: dt.date) -> None:
        super().__init__(
            f"geen regelset van kracht op {peildatum.isoformat()}; de eerste versie geldt vanaf {eerste.isoformat()}"
        )
        self.peildatum = peildatum
        self.eerste = eerste


@dataclass(frozen=True)
class ParameterNode:
    """One parameter: its metadata and its values keyed by the date they take effect."""

    pad: str
    beschrijving: str
    bron: str
    beleidskeuze: bool
    type: str
    eenheid: str
    toelichting: str
    values: tuple[tuple[dt.date, Any], ...]  # sorted by date

    def in_force(self, peildatum: dt.date) -> tuple[dt.date, Any] | None:
        found: tuple[dt.date, Any] | None = None
        for start, value in self.values:
            if start <= peildatum:
                found = (start, value)
        return found

    def metadata(self) -> dict[str, Any]:
        return {
            "beschrijving": self.beschrijving,
            "bron": self.bron,
            "beleidskeuze": self.beleidskeuze,
            "type": self.type,
            "eenheid": self.eenheid,
            "toelichting": self.toelichting,
        }


def as_date(value: object) -> dt.date | None:
    """A date (not a datetime) or its ISO text as a date; None for anything else."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_date(key: object, pad: str) -> dt.date:
    found = as_date(key)
    if found is None:
        raise ParameterFout(pad, f"ingangsdatum {key!r} is geen datum (JJJJ-MM-DD)")
    return found


def _node(pad: str, raw: Mapping[str, Any]) -> ParameterNode:
    unknown = sorted(set(raw) - _META_KEYS)
    if unknown:
        raise ParameterFout(pad, f"onbekende sleutel(s) in parameter: {', '.join(unknown)}")
    for key in _REQUIRED:
        if key not in raw:
            raise ParameterFout(pad, f"'{key}' ontbreekt")
    if raw["type"] not in VALUE_TYPES:
        raise ParameterFout(pad, f"onbekend type {raw['type']!r}")
    if not isinstance(raw["beleidskeuze"], bool):
        raise ParameterFout(pad, "'beleidskeuze' moet true of false zijn")
    if not isinstance(raw["bron"], str) or not raw["bron"].strip():
        raise ParameterFout(pad, "'bron' moet de bron noemen, bijvoorbeeld '001 §3.1'")
    values = raw["values"]
    if not isinstance(values, Mapping) or not values:
        raise ParameterFout(pad, "'values' moet minstens één ingangsdatum met een waarde hebben")
    dated = sorted((_as_date(k, pad), v) for k, v in values.items())
    for start, value in dated:
        check_value(raw["type"], value, f"{pad} ({start.isoformat()})")
    return ParameterNode(
        pad=pad,
        beschrijving=str(raw["beschrijving"]),
        bron=raw["bron"],
        beleidskeuze=raw["beleidskeuze"],
        type=raw["type"],
        eenheid=str(raw.get("eenheid", "")),
        toelichting=str(raw.get("toelichting", "")),
        values=tuple(dated),
    )


def _walk(pad: str, raw: Mapping[str, Any], out: dict[str, ParameterNode]) -> None:
    if _PARAMETER_KEYS & set(raw):  # a parameter, even when it lacks `values` ('values' ontbreekt)
        out[pad] = _node(pad, raw)
        return
    for key, child in raw.items():
        if key == "beschrijving":
            continue
        child_pad = f"{pad}.{key}"
        if not isinstance(child, Mapping):
            raise ParameterFout(child_pad, "verwacht een parameter (met 'values') of een groep")
        _walk(child_pad, child, out)


class ParameterTree:
    """All parameter nodes of a ruleset, from the YAML files of one directory."""

    def __init__(self, nodes: Mapping[str, ParameterNode]) -> None:
        if not nodes:
            raise ParameterFout("(parameters)", "geen parameters gevonden")
        self.nodes = dict(nodes)
        self.versions = sorted({start for node in self.nodes.values() for start, _ in node.values})

    def resolve(self, peildatum: dt.date) -> Parameters:
        """The values in force on `peildatum`; the version is the latest effective date among them."""
        if peildatum < self.versions[0]:
            raise GeenRegelsetFout(peildatum, self.versions[0])
        tree: dict[str, Any] = {}
        versie = self.versions[0]
        for pad, node in self.nodes.items():
            found = node.in_force(peildatum)
            if found is None:
                raise ParameterFout(pad, f"geen waarde van kracht op {peildatum.isoformat()}")
            versie = max(versie, found[0])
            _set(tree, pad, copy.deepcopy(found[1]))
        return Parameters(tree, self, versie)


def _set(tree: dict[str, Any], pad: str, value: Any) -> None:
    keys = pad.split(".")
    for key in keys[:-1]:
        tree = tree.setdefault(key, {})
    tree[keys[-1]] = value


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so `_as_date` refuses a bad date key naming its parameter
    (PyYAML itself raises a bare ValueError for a key such as 2021-13-01)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_parameter_tree(directory: Path) -> ParameterTree:
    """Load every `*.yaml` in `directory`; the file name is the first segment of each path."""
    nodes: dict[str, ParameterNode] = {}
    files = sorted(directory.glob("*.yaml"))
    for file in files:
        try:
            raw = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)  # _Loader is a SafeLoader
        except yaml.YAMLError as exc:
            raise ParameterFout(file.name, f"geen geldige YAML: {exc}") from exc
        if not isinstance(raw, Mapping):
            raise ParameterFout(file.name, "het bestand moet een parameter of een groep bevatten")
        _walk(file.stem, raw, nodes)
    return ParameterTree(nodes)


class Parameters:
    """The parameter values of one ruleset version, possibly with a scenario's overrides applied."""

    def __init__(self, values: dict[str, Any], tree: ParameterTree, versie: dt.date) -> None:
        self.values = values
        self.tree = tree
        self.versie = versie
        self.overrides: dict[str, Any] = {}
        self._cache: dict[str, Any] = {}

    def get(self, pad: str) -> Any:
        """The value at a dotted path (cached: a Parameters object is never changed after construction)."""
        try:
            return self._cache[pad]
        except KeyError:
            value = self._lookup(pad)
            self._cache[pad] = value
            return value

    def _lookup(self, pad: str) -> Any:
        node: Any = self.values
        for key in pad.split("."):
            if not isinstance(node, Mapping) or key not in node:
                raise ParameterFout(pad, "onbekend parameterpad")
            node = node[key]
        return node

    def node_for(self, pad: str) -> tuple[ParameterNode, str]:
        """The parameter node that holds `pad`, and the rest of the path inside its value."""
        keys = pad.split(".")
        for i in range(len(keys), 0, -1):
            node = self.tree.nodes.get(".".join(keys[:i]))
            if node is not None:
                return node, ".".join(keys[i:])
        raise ParameterFout(pad, "onbekend parameterpad")

    def with_overrides(self, overrides: Mapping[str, Any]) -> Parameters:
        """A deep copy with `overrides` (dotted path -> value) applied; the baseline is untouched."""
        values = copy.deepcopy(self.values)
        for pad, value in overrides.items():
            if not isinstance(pad, str) or not pad:
                raise ParameterFout(str(pad), "parameterpad moet een tekst zijn")
            node, _ = self.node_for(pad)
            current = self._lookup(pad)  # the path must exist in the baseline
            _check_shape(pad, current, value)
            for key, sub in _leaves(value, pad):
                check_value(node.type, sub, key)
            _replace(values, pad, copy.deepcopy(value))
        result = Parameters(values, self.tree, self.versie)
        result.overrides = {**self.overrides, **dict(overrides)}
        return result

    def canonical(self) -> bytes:
        return orjson.dumps(self.values, option=orjson.OPT_SORT_KEYS)

    def digest(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def leaves(self) -> Iterator[tuple[str, Any]]:
        return _leaves(self.values, "")


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            yield from _leaves(sub, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def _check_shape(pad: str, current: Any, value: Any) -> None:
    """An override keeps the baseline's shape: a table the same keys at every level, a value no table."""
    if isinstance(current, Mapping):
        if not isinstance(value, Mapping) or set(value) != set(current):
            raise ParameterFout(pad, f"verwacht een tabel met de sleutels {', '.join(current)}")
        for key, sub in current.items():
            _check_shape(f"{pad}.{key}", sub, value[key])
    elif isinstance(value, Mapping):
        raise ParameterFout(pad, "verwacht een waarde, geen tabel")


def _replace(tree: dict[str, Any], pad: str, value: Any) -> None:
    keys = pad.split(".")
    node = tree
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
