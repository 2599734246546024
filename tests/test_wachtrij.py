"""The job queue's plain parts (api/wachtrij.py) without PostgreSQL: a part's counts survive their JSON form, the
setting HG_WACHTRIJ_WERKERS, and the refusals of `hg-advies worker` and `serve`. The queue itself, with real
processes on PostgreSQL: tests/api_durability/test_wachtrij.py."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api import wachtrij
from engine.casus import parse_casus
from engine.replay import ReplayTelling, replay_casus, scenario_rulesets
from engine.scenario import scenario_uit
from rules import standaard_engine
from tests.api.helpers import CASUSSEN, load_casus

ROOT = Path(__file__).resolve().parents[1]
HG_ADVIES = Path(sys.executable).parent / "hg-advies"
PAKKET_3 = {"naam": "alles-pakket-3", "beschrijving": "Elk pakket in de matrix wordt 3",
            "parameters": {f"pakket_matrix.{r}.{v}": 3 for r in ("laag", "midden", "hoog")
                           for v in ("onvoldoende", "voldoende")}}


@functools.cache
def _delen(aantal: int) -> tuple[list[ReplayTelling], ReplayTelling]:
    """The library casussen replayed under PAKKET_3 in `aantal` parts, and in one."""
    engine = standaard_engine()
    scenario = scenario_uit(PAKKET_3, engine)
    delen = [ReplayTelling(besluiten=[0, 0, 0]) for _ in range(aantal)]
    een = ReplayTelling(besluiten=[0, 0, 0])
    for i, pad in enumerate(CASUSSEN):
        casus = parse_casus(load_casus(pad))
        voor, na = replay_casus(casus, *scenario_rulesets(engine, scenario, casus.peildatum))
        for telling in (delen[i * aantal // len(CASUSSEN)], een):  # parts in input order, as the queue's are
            telling.voeg_toe(voor, na)
            telling.voeg_besluit_toe((voor["route"], voor["perceel"], 1), voor, na)
    return delen, een


def test_counts_merged_from_their_json_form_give_the_same_report() -> None:
    delen, een = _delen(3)
    samen = ReplayTelling(besluiten=[0, 0, 0])
    for deel in delen:
        samen.voeg_samen(ReplayTelling.uit_dict(json.loads(json.dumps(deel.naar_dict()))))
    assert een.gewijzigd > 0 and een.besluiten is not None and een.besluiten[0] == len(CASUSSEN)
    assert samen.rapport("s") == een.rapport("s")


def test_the_json_form_without_casus_ids_names_no_casus() -> None:
    delen, _ = _delen(1)
    data = delen[0].naar_dict(casus_ids=False)  # _delen is cached: nothing here changes the counts
    assert data["casussen"] and all(v["casus_id"] is None for _, v in data["casussen"])
    assert "casus_id\": \"" not in json.dumps(data)
    assert delen[0].naar_dict()["casussen"][0][1]["casus_id"]  # with ids (the default) they are kept
    terug = ReplayTelling.uit_dict(data)
    assert terug.gewijzigd == delen[0].gewijzigd and terug.rapport("s")["totaal"] == len(CASUSSEN)


@pytest.mark.parametrize(("waarde", "verwacht"), [("", 1), ("0", 0), ("2", 2), (" 3 ", 3)])
def test_the_number_of_queue_workers_per_service_process(monkeypatch: pytest.MonkeyPatch, waarde: str,
                                                         verwacht: int) -> None:
    monkeypatch.setenv("HG_WACHTRIJ_WERKERS", waarde)
    assert wachtrij.werkers_uit_omgeving() == verwacht


@pytest.mark.parametrize("waarde", ["-1", "twee", "65", "1.5"])
def test_a_wrong_number_of_queue_workers_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch,
                                                                  waarde: str) -> None:
    monkeypatch.setenv("HG_WACHTRIJ_WERKERS", waarde)
    with pytest.raises(ValueError, match="HG_WACHTRIJ_WERKERS: verwacht een geheel getal van 0 tot en met 64"):
        wachtrij.werkers_uit_omgeving()


def test_only_postgresql_has_the_queue() -> None:
    assert wachtrij.gebruikt("postgresql+psycopg://hg:hg@127.0.0.1:5432/hg")
    assert not wachtrij.gebruikt("sqlite:///hg-advies.sqlite")


def _hg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith("HG_")} | env
    return subprocess.run([str(HG_ADVIES), *args], capture_output=True, text=True, env=omgeving, timeout=120,
                          check=False, cwd=ROOT)


def test_the_worker_refuses_sqlite_and_serve_a_wrong_worker_count(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hg.sqlite'}"
    uit = _hg("worker", HG_DATABASE_URL=url)
    assert uit.returncode == 2 and "alleen op PostgreSQL" in uit.stderr and "Traceback" not in uit.stderr
    uit = _hg("serve", "--port", "1", HG_DATABASE_URL=url, HG_WACHTRIJ_WERKERS="veel")
    assert uit.returncode == 2 and "HG_WACHTRIJ_WERKERS" in uit.stderr and "Traceback" not in uit.stderr
