"""Benchmark: `hg-advies replay` over a synthetic population (default 100,000 casussen) on all cores.

Generates the population with `hg-advies genereer` in a temporary folder (never in `casussen/`),
replays it against the contract's example scenario, checks the report, and prints casussen/s, wall
time and the peak RSS of the parent process and of the largest worker (VmHWM, sampled from /proc).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

SCENARIO = """\
naam: ruimere-vrije-trede
beschrijving: Vrije trede al vanaf 3 kinderen; midden/voldoende wordt pakket 2
parameters:
  vrije_trede.meer_dan_kinderen: 2
  pakket_matrix.midden.voldoende: 2
regels_uit: []
"""


def _exe() -> str:
    return shutil.which("hg-advies") or str(Path(sys.executable).with_name("hg-advies"))


def _hwm_kb(pid: int) -> int:
    try:
        for regel in Path(f"/proc/{pid}/status").read_text().splitlines():
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1])
    except OSError:
        pass
    return 0


def _kinderen(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class _Piek(threading.Thread):
    """Samples the peak RSS (VmHWM) of a process and of its child processes until it exits."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        super().__init__(daemon=True)
        self.proc, self.ouder, self.worker = proc, 0, 0

    def run(self) -> None:
        while self.proc.poll() is None:
            self.ouder = max(self.ouder, _hwm_kb(self.proc.pid))
            for kind in _kinderen(self.proc.pid):
                self.worker = max(self.worker, _hwm_kb(kind))
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--aantal", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="0: alle kernen")
    parser.add_argument("--format", default="json", choices=["json", "csv", "table", "html"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hg-replay-bench-") as tmp:
        populatie, scenario, rapport = Path(tmp) / "synth.jsonl", Path(tmp) / "scenario.yaml", Path(tmp) / "rapport"
        subprocess.run([_exe(), "genereer", "--aantal", str(args.aantal), "--seed", str(args.seed), "--uit",
                        str(populatie)], check=True)
        scenario.write_text(SCENARIO, encoding="utf-8")
        cmd = [_exe(), "replay", "--scenario", str(scenario), str(populatie), "--format", args.format,
               "--workers", str(args.workers), "--uit", str(rapport)]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        piek = _Piek(proc)
        piek.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        piek.join()
        if code != 0:
            sys.exit(f"hg-advies replay stopte met exitcode {code}")
        if args.format == "json":
            report = orjson.loads(rapport.read_bytes())
            assert report["totaal"] == args.aantal, "not every casus replayed"
            samenvatting = f"gewijzigd {report['gewijzigd']} van {report['totaal']}"
        else:
            samenvatting = f"rapport {rapport.stat().st_size / 1e6:.1f} MB"
    cores = os.cpu_count() or 1
    print(f"{args.aantal} synthetische casussen (seed {args.seed}), {cores} kernen, --format {args.format}: "
          f"{samenvatting}")
    print(f"hg-advies replay: {seconds:.1f} s, {args.aantal / seconds:,.0f} casussen/s "
          f"(twee beoordelingen per casus, incl. opstarten en rapport)")
    print(f"piek-RSS: ouderproces {piek.ouder / 1024:.0f} MB, grootste worker {piek.worker / 1024:.0f} MB")


if __name__ == "__main__":
    main()
