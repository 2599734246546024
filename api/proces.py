"""The garbage collector in a long-running process of the service (a server worker, a replay or queue worker).

After start-up, everything loaded (modules, rules, compiled rulesets, OpenAPI models: ~160.000 objects) lives as
long as the process; `gc.freeze` keeps it out of the collector's passes, so a full pass no longer pauses the
process for ~140 ms. A request or a replayed casus allocates thousands of small objects and frees nearly all of
them by their reference count; with CPython's default threshold (700) the young generation was still collected
~60 times a second per server worker under load, 0,24 ms of collector time per request (7 % of a worker's CPU;
measured with gc.callbacks during `make bench-api`). From 20.000 on it runs about once in half a minute: what
it collects is garbage in cycles, which then waits that much longer (a bounded amount). Measured figures are
in docs/decisions.md.
"""

from __future__ import annotations

import gc

__all__ = ["DREMPELS", "na_het_laden"]

DREMPELS = (20_000, 50, 1_000)  # young generation, then passes of the generation below (CPython: 700, 10, 10)


def na_het_laden() -> None:
    """Call once in a process, after it loaded what it keeps: collect, freeze, and collect the young less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*DREMPELS)
