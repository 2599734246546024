"""Evaluating one casus: facts into the engine, rule actions on the working memory, advies out."""

from __future__ import annotations

from typing import Any

from engine.advies import assemble
from engine.casus import Casus
from engine.context import Work
from engine.durable_adapter import Session
from engine.ruleset import CompiledRuleset

__all__ = ["evaluate", "evaluate_work"]


def evaluate_work(casus: Casus, ruleset: CompiledRuleset) -> Work:
    """Run the rules over the casus and return the working memory (for tests and tracing)."""
    work = Work(casus, ruleset.params)
    rules = ruleset.rules
    condition_params = ruleset.condition_params

    def dispatch(rule_id: str, matched: dict[str, dict[str, Any]], session: Session) -> None:
        rule = rules[rule_id]
        work.begin(rule, session, condition_params[rule_id])
        rule.then(work, **matched)

    ruleset.durable.run(ruleset.source.facts(casus), dispatch)
    return work


def evaluate(casus: Casus, ruleset: CompiledRuleset) -> dict[str, Any]:
    """The advies for `casus` under `ruleset`, as the contract's JSON-ready dict."""
    return assemble(casus, evaluate_work(casus, ruleset), ruleset.identity())
