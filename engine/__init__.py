"""hg-advies engine: a casus in, an explained advies out. A pure library: no web, no database."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.core import Engine

__all__ = ["standaard_engine"]


@cache
def standaard_engine() -> Engine:
    """The engine with the project's own rules and parameters (`rules/`), built once per process."""
    import rules
    from engine.core import Engine

    return Engine(rules.SOURCE, rules.PARAMETER_DIR)
