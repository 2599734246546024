"""A rule: its id, source, whether it is a policy default, its phase, its patterns and its action."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from engine.dsl import Pattern

__all__ = ["NIVEAUS", "Rule", "rule", "collect"]

NIVEAUS = ("hoofdlijn", "detail")

Action = Callable[..., None]


@dataclass(frozen=True)
class Rule:
    """One forward-chaining rule. `fase` orders firing (lower first); `when` names its patterns."""

    id: str
    bron: str
    beleidskeuze: bool
    fase: int
    when: tuple[tuple[str, Pattern], ...]
    then: Action
    doc: str
    niveau: str = "detail"
    uitschakelbaar: bool = True
    source: str = field(default="", repr=False)

    def parameters(self) -> set[str]:
        return set().union(*(p.parameters() for _, p in self.when))


def rule(
    rule_id: str,
    *,
    bron: str,
    beleidskeuze: bool,
    fase: int,
    niveau: str = "detail",
    uitschakelbaar: bool = True,
    **when: Pattern,
) -> Callable[[Action], Rule]:
    """Declare a rule: `@rule("pakket.matrix", bron="002 §1.5", beleidskeuze=True, fase=8, casus=fact(...))`.

    The action receives the working memory and one keyword argument per pattern (the matched fact).
    `niveau` is `hoofdlijn` for a rule whose conclusion decides the route, perceel, pakket, vrije trede,
    budget, fase, an exclusion or a safety signal, and `detail` for the rest (domain.md, round two).
    """
    if niveau not in NIVEAUS:
        raise ValueError(f"{rule_id}: niveau must be one of {NIVEAUS}")
    if not when:
        raise ValueError(f"{rule_id}: a rule needs at least one pattern")
    if not 1 <= fase <= 60000:
        raise ValueError(f"{rule_id}: fase must be 1..60000 (durable-rules wraps negative priorities)")

    def decorate(action: Action) -> Rule:
        names = list(inspect.signature(action).parameters)[1:]
        if sorted(names) != sorted(when):
            raise ValueError(f"{rule_id}: action parameters {names} do not match patterns {sorted(when)}")
        return Rule(
            id=rule_id,
            bron=bron,
            beleidskeuze=beleidskeuze,
            fase=fase,
            when=tuple(when.items()),
            then=action,
            doc=inspect.cleandoc(action.__doc__ or ""),
            niveau=niveau,
            uitschakelbaar=uitschakelbaar,
            source=inspect.getsource(action),
        )

    return decorate


def collect(modules: Iterable[ModuleType]) -> list[Rule]:
    """Every Rule defined at module level, in module order and then definition order."""
    found: list[Rule] = []
    for module in modules:
        found.extend(v for v in vars(module).values() if isinstance(v, Rule))
    seen: dict[str, Any] = {}
    for r in found:
        if r.id in seen:
            raise ValueError(f"rule id {r.id} defined twice")
        seen[r.id] = r
    return found
