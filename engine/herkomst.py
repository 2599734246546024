"""Where an advies field comes from: a dependency graph of the rules, derived from the rules themselves.

Each rule reads the fact types of its patterns (`Rule.when`) and, in its action, parts of the working
memory (`engine.context.Work`: slots, lists and the scratch `data`); it writes the slots and lists it sets
(`w.set`, `w.add`), the facts it asserts (`w.assert_fact(t=...)`) and the `data` keys it stores. Both sets are
found by static analysis of the action's source (ast), following the module-level helpers it hands the
working memory to (`_kandidaat(w, ...)`, `kosten(w, ...)`, `weektotaal(w.slots, w.lists)`), never from a
hand-written table. A use of the working memory the analysis does not understand is refused
(`HerkomstFout`), so a new rule cannot silently escape it; tests/test_herkomst.py checks the static sets
against what the rules write at run time over the whole casussen library.

A channel is named `feit:<type>`, `slot:<naam>`, `lijst:<naam>` or `data:<sleutel>`. The advies fields are
mapped to channels the same way, by analysing `engine.advies.assemble`. A field is *concluded or fed* by the
rules that write one of its channels and, transitively, by every rule that writes a channel one of those
reads. A rule that writes nothing (it only explains, e.g. "nachtelijke ondersteuning zit in het pakket")
concludes what a rule that tests exactly the same fact fields writes: it answers the same question the
other way (its *tegenhanger*; docs/decisions.md).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.dsl import All, Any_, Cmp, Cond
from engine.rule import Rule

__all__ = ["HerkomstFout", "Toegang", "Herkomst", "toegang", "veldkanalen", "herkomst"]

_GEHEUGEN = {"slots": "slot", "lists": "lijst", "data": "data"}
_LEZEN = frozenset({"get"})
_LEZEN_SCHRIJVEN = frozenset({"setdefault"})
_SCHRIJVEN = frozenset({"pop"})
# Attributes of the working memory that hold no conclusions (parameters, the explanation, bookkeeping).
_ONSCHULDIG = frozenset({"param", "conclude", "rule", "casus", "params", "uitleg", "fired"})


class HerkomstFout(ValueError):
    """A use of the working memory the static analysis cannot follow (a rule would escape the graph)."""


@dataclass(frozen=True)
class Toegang:
    """What one rule reads (its patterns' fact types and the working memory it reads) and writes, and the fact
    fields its patterns test."""

    leest: frozenset[str]
    schrijft: frozenset[str]
    test: frozenset[tuple[str, str]]


def _velden(cond: Cond | None) -> Iterator[str]:
    if isinstance(cond, Cmp):
        yield cond.field
    elif isinstance(cond, All | Any_):
        for deel in cond.parts:
            yield from _velden(deel)


def _constante(node: ast.expr, waar: str) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    raise HerkomstFout(f"{waar}: een naam in het werkgeheugen die geen vaste tekst is ({ast.unparse(node)})")


class _Analyse:
    """The reads and writes of one function body (and the helpers it hands the working memory to)."""

    def __init__(self, leest: set[str], schrijft: set[str], gezien: set[Any]) -> None:
        self.leest, self.schrijft, self.gezien = leest, schrijft, gezien

    def functie(self, fn: types.FunctionType, binding: Mapping[str, str], alleen: Iterable[ast.AST] | None = None,
                boom: ast.FunctionDef | None = None) -> None:
        sleutel = (fn.__code__, tuple(sorted(binding.items())), alleen is not None)
        if alleen is None and sleutel in self.gezien:
            return
        self.gezien.add(sleutel)
        fdef = boom or _boom(fn)
        env = _aliassen(fdef, dict(binding))
        waar = f"{fn.__module__}.{fn.__qualname__}"
        knopen = list(alleen) if alleen is not None else list(fdef.body)
        gebruikt: set[int] = set()
        alle: list[ast.AST] = [n for k in knopen for n in ast.walk(k)]
        for node in alle:
            self._knoop(node, fn, env, waar, gebruikt)
        for node in alle:  # every mention of the working memory must have been understood
            if id(node) not in gebruikt and _kanaal(node, env) is not None and not _is_alias_doel(node, fdef):
                raise HerkomstFout(f"{waar}: onbekend gebruik van het werkgeheugen: {ast.unparse(node)}")

    def _knoop(self, node: ast.AST, fn: types.FunctionType, env: Mapping[str, str], waar: str,
               gebruikt: set[int]) -> None:
        if isinstance(node, ast.Attribute) and _kanaal(node.value, env) == "work":
            gebruikt.add(id(node.value))
            if node.attr in _GEHEUGEN or node.attr in _ONSCHULDIG or node.attr in ("set", "add", "assert_fact"):
                if node.attr in _ONSCHULDIG or node.attr in ("set", "add", "assert_fact"):
                    gebruikt.add(id(node))
                return
            raise HerkomstFout(f"{waar}: onbekend onderdeel van het werkgeheugen: {ast.unparse(node)}")
        if isinstance(node, ast.Call):
            self._aanroep(node, fn, env, waar, gebruikt)
        elif isinstance(node, ast.Subscript) and (soort := _kanaal(node.value, env)) in _GEHEUGEN.values():
            gebruikt.add(id(node.value))
            naam = f"{soort}:{_constante(node.slice, waar)}"
            (self.leest if isinstance(node.ctx, ast.Load) else self.schrijft).add(naam)
        elif isinstance(node, ast.Compare):
            for op, rechts in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In | ast.NotIn) and (soort := _kanaal(rechts, env)) in _GEHEUGEN.values():
                    gebruikt.add(id(rechts))
                    self.leest.add(f"{soort}:{_constante(node.left, waar)}")

    def _aanroep(self, node: ast.Call, fn: types.FunctionType, env: Mapping[str, str], waar: str,
                 gebruikt: set[int]) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            ontvanger = _kanaal(func.value, env)
            if ontvanger == "work" and func.attr in ("set", "add"):
                soort = "slot" if func.attr == "set" else "lijst"
                self.schrijft.add(f"{soort}:{_constante(node.args[0], waar)}")
                return
            if ontvanger == "work" and func.attr == "assert_fact":
                t = next((k.value for k in node.keywords if k.arg == "t"), None)
                if t is None:
                    raise HerkomstFout(f"{waar}: assert_fact zonder t=")
                self.schrijft.add(f"feit:{_constante(t, waar)}")
                return
            if ontvanger in _GEHEUGEN.values():
                gebruikt.add(id(func.value))
                if not node.args:
                    raise HerkomstFout(f"{waar}: {ast.unparse(node)} leest het hele werkgeheugen")
                naam = f"{ontvanger}:{_constante(node.args[0], waar)}"
                if func.attr in _LEZEN or func.attr in _LEZEN_SCHRIJVEN:
                    self.leest.add(naam)
                if func.attr in _SCHRIJVEN or func.attr in _LEZEN_SCHRIJVEN:
                    self.schrijft.add(naam)
                if func.attr not in _LEZEN | _SCHRIJVEN | _LEZEN_SCHRIJVEN:
                    raise HerkomstFout(f"{waar}: onbekende bewerking van het werkgeheugen: {ast.unparse(node)}")
                return
        argumenten = [(i, a) for i, a in enumerate(node.args)] + [(k.arg, k.value) for k in node.keywords]
        doorgegeven = [(plek, a, s) for plek, a in argumenten if (s := _kanaal(a, env)) is not None]
        if not doorgegeven:
            return
        doel = _functie_van(func, fn)
        if doel is None:
            raise HerkomstFout(f"{waar}: het werkgeheugen gaat naar {ast.unparse(func)}, dat niet te volgen is")
        parameters = doel.__code__.co_varnames[:doel.__code__.co_argcount + doel.__code__.co_kwonlyargcount]
        binding: dict[str, str] = {}
        for plek, argument, soort in doorgegeven:
            if isinstance(plek, int):
                if plek >= doel.__code__.co_argcount:
                    raise HerkomstFout(f"{waar}: {ast.unparse(node)}: te veel argumenten om te volgen")
                binding[parameters[plek]] = soort
            elif plek is None:
                raise HerkomstFout(f"{waar}: {ast.unparse(node)}: **argumenten zijn niet te volgen")
            else:
                binding[plek] = soort
            gebruikt.add(id(argument))
        self.functie(doel, binding)


def _boom(fn: types.FunctionType) -> ast.FunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise HerkomstFout(f"{fn.__qualname__}: geen functie")
    return fdef


def _kanaal(node: ast.AST, env: Mapping[str, str]) -> str | None:
    """The part of the working memory an expression stands for: work, slot, lijst or data (or None)."""
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr in _GEHEUGEN and _kanaal(node.value, env) == "work":
        return _GEHEUGEN[node.attr]
    return None


def _aliassen(fdef: ast.FunctionDef, env: dict[str, str]) -> dict[str, str]:
    """Local names bound to (a part of) the working memory: `slots = work.slots`, `s, l = w.slots, w.lists`."""
    veranderd = True
    while veranderd:
        veranderd = False
        for node in ast.walk(fdef):
            if not isinstance(node, ast.Assign):
                continue
            for doel in node.targets:
                paren: list[tuple[ast.expr, ast.expr]] = [(doel, node.value)]
                if isinstance(doel, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    paren = list(zip(doel.elts, node.value.elts, strict=True))
                for links, rechts in paren:
                    soort = _kanaal(rechts, env)
                    if soort is not None and isinstance(links, ast.Name) and env.get(links.id) != soort:
                        env[links.id] = soort
                        veranderd = True
    return env


def _is_alias_doel(node: ast.AST, fdef: ast.FunctionDef) -> bool:
    """A name or `w.slots` on either side of an alias assignment (understood by `_aliassen`)."""
    for toewijzing in ast.walk(fdef):
        if isinstance(toewijzing, ast.Assign):
            delen = [*toewijzing.targets, toewijzing.value]
            for deel in delen:
                if deel is node or (isinstance(deel, ast.Tuple) and any(e is node for e in deel.elts)):
                    return True
    return False


def _functie_van(func: ast.expr, fn: types.FunctionType) -> types.FunctionType | None:
    """The Python function a call refers to: a name in the caller's module or closure."""
    if not isinstance(func, ast.Name):
        return None
    gevonden: object = fn.__globals__.get(func.id)
    if fn.__closure__ and func.id in fn.__code__.co_freevars:
        gevonden = fn.__closure__[fn.__code__.co_freevars.index(func.id)].cell_contents
    return gevonden if isinstance(gevonden, types.FunctionType) else None


def toegang(regel: Rule) -> Toegang:
    """What `regel` reads and writes, by static analysis of its patterns and its action."""
    leest = {f"feit:{p.fact_type}" for _, p in regel.when}
    schrijft: set[str] = set()
    actie = regel.then
    if not isinstance(actie, types.FunctionType):
        raise HerkomstFout(f"{regel.id}: de actie is geen Python-functie")
    eerste = actie.__code__.co_varnames[0]
    _Analyse(leest, schrijft, set()).functie(actie, {eerste: "work"})
    test = frozenset((p.fact_type, veld) for _, p in regel.when for veld in _velden(p.cond))
    return Toegang(frozenset(leest), frozenset(schrijft), test)


def veldkanalen(assemble: Callable[..., Any] | None = None) -> dict[str, frozenset[str]]:
    """Per key of the advies that `assemble` builds, the channels of the working memory its value is read from."""
    if assemble is None:
        from engine.advies import assemble as standaard

        assemble = standaard
    if not isinstance(assemble, types.FunctionType):
        raise HerkomstFout("assemble is geen Python-functie")
    fdef = _boom(assemble)
    werk = next((a.arg for a in fdef.args.args if a.annotation is not None
                 and ast.unparse(a.annotation) == "Work"), None)
    if werk is None:
        raise HerkomstFout("assemble krijgt geen werkgeheugen (Work)")
    lokaal = {t.id: n.value for n in ast.walk(fdef) if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(t, ast.Name)}
    uitkomst = next((n.value for n in ast.walk(fdef) if isinstance(n, ast.Return) and isinstance(n.value, ast.Dict)),
                    None)
    if uitkomst is None:
        raise HerkomstFout("assemble geeft geen dict terug")
    velden: dict[str, frozenset[str]] = {}
    for sleutel, waarde in zip(uitkomst.keys, uitkomst.values, strict=True):
        if not isinstance(sleutel, ast.Constant) or not isinstance(sleutel.value, str):
            raise HerkomstFout("assemble: een sleutel die geen vaste tekst is")
        knopen, te_doen, gezien = [], [waarde], set()
        while te_doen:  # the value and the local variables it uses (`totaal`, `uitgesloten`)
            knoop = te_doen.pop()
            knopen.append(knoop)
            for naam in ast.walk(knoop):
                if isinstance(naam, ast.Name) and naam.id in lokaal and naam.id not in gezien:
                    gezien.add(naam.id)
                    te_doen.append(lokaal[naam.id])
        leest: set[str] = set()
        _Analyse(leest, set(), set()).functie(assemble, {werk: "work"}, alleen=knopen, boom=fdef)
        velden[sleutel.value] = frozenset(leest)
    return velden


@dataclass(frozen=True)
class Herkomst:
    """The dependency graph of a ruleset: per rule what it reads and writes, per channel its writers, and per
    advies field the rules that concluded it or fed into it."""

    regels: Mapping[str, Toegang]
    concludeert: Mapping[str, frozenset[str]]  # what each rule concludes (its writes, or its tegenhanger's)
    schrijvers: Mapping[str, frozenset[str]]
    velden: Mapping[str, frozenset[str]]

    def voeders(self, kanalen: Iterable[str]) -> frozenset[str]:
        """The rules that write one of `kanalen`, and transitively the rules whose writes those read."""
        gevonden: set[str] = set()
        te_doen, gezien = list(kanalen), set()
        while te_doen:
            kanaal = te_doen.pop()
            if kanaal in gezien:
                continue
            gezien.add(kanaal)
            for regel in self.schrijvers.get(kanaal, frozenset()):
                if regel not in gevonden:
                    gevonden.add(regel)
                    te_doen.extend(self.regels[regel].leest)
        return frozenset(gevonden)

    def velden_van(self, regel: str) -> tuple[str, ...]:
        """The advies fields `regel` concluded or fed, in the order of `velden` (none for an unknown rule)."""
        return tuple(veld for veld, regels in self.velden.items() if regel in regels)


def herkomst(regels: Sequence[Rule], velden: Sequence[str],
             kanalen: Mapping[str, frozenset[str]] | None = None) -> Herkomst:
    """The dependency graph of `regels`, with the rules behind each of the advies fields `velden`."""
    kanalen = veldkanalen() if kanalen is None else kanalen
    toegangen = {r.id: toegang(r) for r in regels}
    concludeert: dict[str, frozenset[str]] = {}
    for regel_id, t in toegangen.items():
        if t.schrijft or not t.test:
            concludeert[regel_id] = t.schrijft
        else:  # only explains: it concludes what its tegenhanger (same fact fields tested) writes
            concludeert[regel_id] = frozenset().union(*(
                ander.schrijft for ander in toegangen.values() if ander.schrijft and ander.test == t.test))
    schrijvers: dict[str, set[str]] = {}
    for regel_id, geschreven in concludeert.items():
        for kanaal in geschreven:
            schrijvers.setdefault(kanaal, set()).add(regel_id)
    graaf = Herkomst(toegangen, concludeert, {k: frozenset(v) for k, v in schrijvers.items()}, {})
    onbekend = [v for v in velden if v not in kanalen]
    if onbekend:
        raise HerkomstFout(f"geen veld van het advies: {', '.join(onbekend)}")
    per_veld = {veld: graaf.voeders(kanalen[veld]) for veld in velden}
    return Herkomst(toegangen, concludeert, graaf.schrijvers, per_veld)
