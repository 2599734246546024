"""api/proces.py: after loading, a process of the service freezes what it loaded and collects the young generation
less often; a replay helper does that only in a process made for the work."""

from __future__ import annotations

import subprocess
import sys

from api.proces import DREMPELS


def _in_nieuw_proces(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_after_loading_the_loaded_objects_are_frozen_and_the_thresholds_raised() -> None:
    uit = _in_nieuw_proces("import gc; from api.proces import na_het_laden; voor = gc.get_threshold(); "
                           "na_het_laden(); print(voor, gc.get_threshold(), gc.get_freeze_count() > 1000)")
    assert uit == f"(700, 10, 10) {DREMPELS} True"


def test_a_replay_in_the_main_process_leaves_the_collector_alone() -> None:
    uit = _in_nieuw_proces("import gc; from api.replay_jobs import _rekenproces; _rekenproces(); "
                           "print(gc.get_threshold(), gc.get_freeze_count())")
    assert uit == "(700, 10, 10) 0"
