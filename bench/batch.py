"""Benchmark: a batch of synthetic casussen through `hg-advies advies FILE.jsonl`, and the decision cost.

Prints (1) end-to-end throughput of the CLI on all cores and on one, output checked for order and
completeness, and (2) the in-process cost per casus of the rule engine (durable-rules, explanations
included) against the plain-Python oracle of the same decision (tests/oracle.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from cli.genereer import synthetische_casussen


def _cli(pad: Path, uit: Path, workers: int) -> float:
    exe = shutil.which("hg-advies") or str(Path(sys.executable).with_name("hg-advies"))
    start = time.perf_counter()
    with open(uit, "wb") as out:
        subprocess.run([exe, "advies", str(pad), "--workers", str(workers)], stdout=out, check=True)
    return time.perf_counter() - start


def _check(invoer: Path, uitvoer: Path) -> None:
    ids_in = [orjson.loads(r)["casus_id"] for r in invoer.read_bytes().splitlines()]
    rows = [orjson.loads(r) for r in uitvoer.read_bytes().splitlines()]
    assert [r["casus_id"] for r in rows] == ids_in, "output out of order or incomplete"
    assert all("uitleg" in r and r["uitleg"] for r in rows), "advies without explanation"


def _decision_cost(casussen: list[dict[str, object]]) -> tuple[float, float]:
    from engine.casus import parse_casus
    from rules import standaard_engine
    from tests import oracle

    engine = standaard_engine()
    parsed = [parse_casus(c) for c in casussen]
    rulesets = {c.peildatum: engine.ruleset(c.peildatum) for c in parsed}
    start = time.perf_counter()
    for c in parsed:
        engine.advies(c, rulesets[c.peildatum])
    engine_s = (time.perf_counter() - start) / len(parsed)
    filled = [oracle.with_defaults(c) for c in casussen]
    params = {d: oracle.load_params(d) for d in {dt.date.fromisoformat(str(c["peildatum"])) for c in filled}}
    start = time.perf_counter()
    for c in filled:
        oracle.advies(c, params[dt.date.fromisoformat(str(c["peildatum"]))])
    oracle_s = (time.perf_counter() - start) / len(filled)
    return engine_s, oracle_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--aantal", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        invoer, uitvoer = Path(tmp) / "casussen.jsonl", Path(tmp) / "advies.jsonl"
        casussen = list(synthetische_casussen(args.aantal, args.seed))
        invoer.write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in casussen))
        print(f"{args.aantal} synthetische casussen (seed {args.seed}), {cores} kernen")
        for workers in (cores, 1):
            seconds = _cli(invoer, uitvoer, workers)
            _check(invoer, uitvoer)
            print(f"hg-advies advies FILE.jsonl --workers {workers}: {seconds:.2f} s, "
                  f"{args.aantal / seconds:,.0f} casussen/s (incl. opstarten, uitleg, JSON-uitvoer)")
        sample = casussen[: min(len(casussen), 5000)]
        engine_s, oracle_s = _decision_cost(sample)
        print(f"beslissing per casus, in-process, 1 kern: regelengine {engine_s * 1e6:.0f} µs "
              f"(incl. uitleg), plain Python {oracle_s * 1e6:.1f} µs ({engine_s / oracle_s:.0f}× sneller)")


if __name__ == "__main__":
    main()
