"""Working memory of one evaluation: what the rules concluded, why, and the facts they derived."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.casus import Casus
    from engine.durable_adapter import Session
    from engine.parameters import Parameters
    from engine.rule import Rule

__all__ = ["Work", "RuleError"]

BELEIDSKEUZE_ZIN = "Let op: dit is een beleidskeuze, geen regel die letterlijk in de bron staat."


class RuleError(RuntimeError):
    """A rule broke an invariant of the working memory (a bug in the rules or their parameters)."""


class Work:
    """Per-evaluation working memory handed to every rule action.

    Decision slots (the contract's field names) are written once; lists grow; every conclusion is
    explained by `conclude`, which records the current rule's id, source and policy status.
    """

    __slots__ = ("casus", "params", "session", "rule", "slots", "lists", "uitleg", "data", "_used", "fired")

    def __init__(self, casus: Casus, params: Parameters) -> None:
        self.casus = casus
        self.params = params
        self.session: Session | None = None
        self.rule: Rule | None = None
        self.slots: dict[str, Any] = {}
        self.lists: dict[str, list[Any]] = {}
        self.uitleg: list[dict[str, Any]] = []
        self.data: dict[str, Any] = {}  # scratch shared between rules (e.g. member classification)
        self._used: dict[str, Any] = {}
        self.fired: list[str] = []

    # -- called by the evaluator -------------------------------------------------------------
    def begin(self, rule: Rule, session: Session, condition_params: dict[str, Any]) -> None:
        self.rule = rule
        self.session = session
        self._used = dict(condition_params)
        self.fired.append(rule.id)

    # -- called by rules ---------------------------------------------------------------------
    def param(self, pad: str) -> Any:
        value = self.params.get(pad)
        self._used[pad] = value
        return value

    def assert_fact(self, **fields: Any) -> None:
        assert self.session is not None
        self.session.assert_fact(fields)

    def set(self, slot: str, value: Any) -> None:
        if slot in self.slots and self.slots[slot] != value:
            raise RuleError(
                f"{self.rule.id if self.rule else '?'}: {slot} already concluded as {self.slots[slot]!r}"
            )
        self.slots[slot] = value

    def add(self, slot: str, item: Any) -> None:
        self.lists.setdefault(slot, []).append(item)

    def conclude(self, conclusie: str, omdat: list[str], tekst: str) -> None:
        rule = self.rule
        assert rule is not None
        if rule.beleidskeuze:
            tekst = f"{tekst} {BELEIDSKEUZE_ZIN}"
        self.uitleg.append(
            {
                "regel": rule.id,
                "conclusie": conclusie,
                "omdat": omdat,
                "bron": rule.bron,
                "beleidskeuze": rule.beleidskeuze,
                "niveau": rule.niveau,
                "tekst": tekst,
                "parameters": dict(self._used),
            }
        )
