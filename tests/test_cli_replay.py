"""`hg-advies replay`: the report in every format, the refusals, and the same answer on any number of cores."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from typer.testing import CliRunner

from cli.genereer import synthetische_casussen
from cli.main import app
from tests.voorbeelden import VOORBEELD

ROOT = Path(__file__).resolve().parents[1]
BIBLIOTHEEK = ROOT / "casussen"
RAPPORT_VELDEN = {"scenario", "totaal", "gewijzigd", "verdeling", "uren_per_week", "casussen"}

# The contract's example scenario: vrije trede from 3 children on; midden x voldoende becomes pakket 2.
SCENARIO = {
    "naam": "ruimere-vrije-trede",
    "beschrijving": "Vrije trede al vanaf 3 kinderen; midden/voldoende wordt pakket 2",
    "vraag": "Hoeveel gezinnen krijgen meer uren?",
    "bron": "002 §1.5",
    "parameters": {"vrije_trede.meer_dan_kinderen": 2, "pakket_matrix.midden.voldoende": 2},
    "regels_uit": [],
}


def replay(*args: object) -> Any:
    result = CliRunner().invoke(app, ["replay", *map(str, args)], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("scenario") / "ruimer.yaml"
    pad.write_text(yaml.safe_dump(SCENARIO, allow_unicode=True), encoding="utf-8")
    return pad


@pytest.fixture(scope="module")
def populatie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """900 synthetic casussen: above the size where replay starts worker processes (2 chunks of 400)."""
    pad = tmp_path_factory.mktemp("populatie") / "synth.jsonl"
    pad.write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in synthetische_casussen(900, 7)))
    return pad


@pytest.fixture(scope="module")
def json_rapport(scenario: Path) -> dict[str, Any]:
    result = replay("--scenario", scenario, "--format", "json", BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    rapport: dict[str, Any] = json.loads(result.stdout)
    return rapport


# --- the formats ---------------------------------------------------------------------------------------


def test_json_report_has_the_contract_keys(json_rapport: dict[str, Any]) -> None:
    assert set(json_rapport) >= RAPPORT_VELDEN
    aantal = len(list(BIBLIOTHEEK.glob("*.yaml")))
    assert json_rapport["scenario"] == "ruimere-vrije-trede"
    assert json_rapport["totaal"] == aantal
    assert json_rapport["gewijzigd"] == len(json_rapport["casussen"]) > 0
    assert json_rapport["ongeldig"] == []
    for veld in ("route", "perceel", "pakket"):
        voor, na = json_rapport["verdeling"][veld]["voor"], json_rapport["verdeling"][veld]["na"]
        assert sum(voor.values()) == sum(na.values()) == aantal
    assert set(json_rapport["uren_per_week"]) >= {"voor", "na"}
    # Only pakket and hours can grow here (a higher pakket, or a vrije trede): never fewer hours.
    assert json_rapport["uren_per_week"]["na"] >= json_rapport["uren_per_week"]["voor"]
    for casus in json_rapport["casussen"]:
        assert casus["wijzigingen"] and all(len(paar) == 2 for paar in casus["wijzigingen"].values())
        assert isinstance(casus["regels"], list)


def test_vj_2020_2_changes_as_in_the_contract_example(json_rapport: dict[str, Any]) -> None:
    # contract.md's example row: VJ-2020-2, midden x voldoende, goes from pakket 1 to 2 (2.25 -> 3.5 hours).
    gewijzigd = {c["casus_id"]: c for c in json_rapport["casussen"]}
    assert gewijzigd["VJ-2020-2"]["wijzigingen"]["pakket"] == [1, 2]
    assert gewijzigd["VJ-2020-2"]["wijzigingen"]["budget.totaal_uur_per_week"] == [2.25, 3.5]
    assert "pakket.matrix" in gewijzigd["VJ-2020-2"]["regels"]


def test_csv_has_a_header_and_one_row_per_casus(scenario: Path, json_rapport: dict[str, Any]) -> None:
    result = replay("--scenario", scenario, "--format", "csv", BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    rijen = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rijen[0]) == [
        "casus_id", "gewijzigd", "route_voor", "route_na", "perceel_voor", "perceel_na", "pakket_voor", "pakket_na",
        "totaal_uur_per_week_voor", "totaal_uur_per_week_na", "uren_looptijd_voor", "uren_looptijd_na",
        "kosten_looptijd_voor", "kosten_looptijd_na", "gewijzigde_velden", "regels", "fouten",
    ]
    assert len(rijen) == json_rapport["totaal"]
    gewijzigd = {c["casus_id"] for c in json_rapport["casussen"]}
    assert {r["casus_id"] for r in rijen if r["gewijzigd"] == "ja"} == gewijzigd
    vj2 = next(r for r in rijen if r["casus_id"] == "VJ-2020-2")
    assert (vj2["pakket_voor"], vj2["pakket_na"]) == ("1", "2")
    assert (vj2["totaal_uur_per_week_voor"], vj2["totaal_uur_per_week_na"]) == ("2.25", "3.5")
    # 52 weeks: 2,25 x 52 = 117 and 3,5 x 52 = 182 hours; no tariffs, so no cost
    assert (vj2["uren_looptijd_voor"], vj2["uren_looptijd_na"]) == ("117.0", "182.0")
    assert (vj2["kosten_looptijd_voor"], vj2["kosten_looptijd_na"]) == ("", "")
    assert "pakket" in vj2["gewijzigde_velden"].split(";")


class _Structuur(HTMLParser):
    """Checks that every opened element is closed in order (void elements excepted)."""

    LEEG = {"meta", "br", "hr", "img", "input", "link", "rect"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.fouten: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.LEEG:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.LEEG and (not self.open or self.open[-1] != tag):
            return
        if not self.open or self.open[-1] != tag:
            self.fouten.append(f"</{tag}> sluit {self.open[-1] if self.open else 'niets'}")
        else:
            self.open.pop()


def test_html_is_standalone_well_formed_with_svg_charts(scenario: Path, tmp_path: Path) -> None:
    uit = tmp_path / "rapport.html"
    result = replay("--scenario", scenario, "--format", "html", "--uit", uit, BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    tekst = uit.read_text(encoding="utf-8")
    parser = _Structuur()
    parser.feed(tekst)
    assert parser.fouten == [] and parser.open == []
    assert tekst.startswith("<!DOCTYPE html>") and '<html lang="nl">' in tekst
    assert parser.tags.count("svg") >= 3  # route, perceel, pakket before and after
    assert "ruimere-vrije-trede" in tekst and "Vrije trede al vanaf 3 kinderen" in tekst
    assert "VJ-2020-2" in tekst
    assert not re.search(r"(https?:)?//[a-z0-9]", tekst, re.IGNORECASE), "no external URL"
    assert "<script" not in tekst
    assert not list(tmp_path.glob(".*.tmp")), "the temporary file is renamed, not left behind"


def test_table_is_readable_text(scenario: Path) -> None:
    result = replay("--scenario", scenario, BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    assert "Replay: ruimere-vrije-trede" in result.stdout
    assert "Verdeling voor en na" in result.stdout and "Gewijzigde casussen" in result.stdout
    assert "VJ-2020-2" in result.stdout


def test_installed_entry_point_writes_the_report_file(scenario: Path, tmp_path: Path) -> None:
    uit = tmp_path / "rapport.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run([Path(sys.executable).parent / "hg-advies", "replay", "--scenario", scenario, "--format",
                           "json", "--uit", uit, BIBLIOTHEEK], capture_output=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b""
    assert json.loads(uit.read_bytes())["scenario"] == "ruimere-vrije-trede"


# --- refusals ------------------------------------------------------------------------------------------


def test_missing_scenario_file_is_refused(tmp_path: Path) -> None:
    result = replay("--scenario", tmp_path / "bestaat-niet.yaml", BIBLIOTHEEK)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "bestaat niet" in result.stderr


def test_invalid_scenario_names_each_field(tmp_path: Path) -> None:
    fout = {**SCENARIO, "parameters": {"vrije_trede.meer_dan_kinderen": "veel", "pakket_matrix.midden.voldoendee": 2},
            "regels_uit": ["bestaat.niet"]}
    pad = tmp_path / "fout.yaml"
    pad.write_text(yaml.safe_dump(fout), encoding="utf-8")
    result = replay("--scenario", pad, "--format", "json", BIBLIOTHEEK)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "parameters.vrije_trede.meer_dan_kinderen: " in result.stderr
    assert "parameters.pakket_matrix.midden.voldoendee: onbekend parameterpad" in result.stderr
    assert "regels_uit[0]: " in result.stderr


def test_invalid_casus_lines_are_counted_and_the_rest_replayed(scenario: Path, tmp_path: Path) -> None:
    pad = tmp_path / "gemengd.jsonl"
    goed = orjson.dumps(VOORBEELD)
    pad.write_bytes(goed + b"\n" + b'{"casus_id": "X-1", "leden": []}\n' + b"geen json\n\n" + goed + b"\n")
    result = replay("--scenario", scenario, "--format", "json", pad)
    assert result.exit_code == 2
    rapport = json.loads(result.stdout)
    assert rapport["totaal"] == 2
    assert [(o["casus_id"], o["regel"]) for o in rapport["ongeldig"]] == [("X-1", 2), (None, 3)]
    assert any(f["veld"] == "leden" for f in rapport["ongeldig"][0]["fouten"])
    assert "2 ongeldige casus(sen)" in result.stderr
    assert "regel 2: leden: " in result.stderr

    uit = replay("--scenario", scenario, "--format", "csv", pad)
    rijen = list(csv.DictReader(io.StringIO(uit.stdout)))
    assert [r["gewijzigd"] for r in rijen] == ["nee", "ongeldig", "ongeldig", "nee"]  # every casus, in order
    assert "leden: " in rijen[1]["fouten"]


def test_empty_input_is_refused(scenario: Path, tmp_path: Path) -> None:
    (tmp_path / "leeg").mkdir()
    result = replay("--scenario", scenario, tmp_path / "leeg")
    assert result.exit_code == 2 and result.stdout == ""
    assert "geen casusbestanden" in result.stderr
    (tmp_path / "leeg.jsonl").write_bytes(b"\n")
    result = replay("--scenario", scenario, "--format", "json", "--uit", tmp_path / "r.json", tmp_path / "leeg.jsonl")
    assert result.exit_code == 2
    assert "geen casussen" in result.stderr
    assert not (tmp_path / "r.json").exists(), "nothing half-written"


def test_without_scenario_or_dates_is_refused() -> None:
    result = replay(BIBLIOTHEEK)
    assert result.exit_code == 2
    assert "--scenario" in result.stderr


def test_scenario_that_changes_nothing_warns(tmp_path: Path) -> None:
    pad = tmp_path / "niets.yaml"
    pad.write_text(yaml.safe_dump({"naam": "niets", "parameters": {"duur.richtlijn_maanden": 12}}), encoding="utf-8")
    result = replay("--scenario", pad, "--format", "json", BIBLIOTHEEK)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["gewijzigd"] == 0
    assert "Waarschuwing: Het scenario verandert geen enkel advies" in result.stderr


# --- scale and dates -----------------------------------------------------------------------------------


def test_one_worker_and_two_give_the_same_report(scenario: Path, populatie: Path) -> None:
    een = replay("--scenario", scenario, "--format", "json", "--workers", "1", populatie)
    twee = replay("--scenario", scenario, "--format", "json", "--workers", "2", "--voortgang", populatie)
    assert een.exit_code == twee.exit_code == 0, een.stderr + twee.stderr
    assert een.stdout == twee.stdout  # the progress bar went to stderr only
    assert "900 casussen" in twee.stderr and "casussen" not in een.stderr
    rapport = json.loads(een.stdout)
    assert rapport["totaal"] == 900 and rapport["gewijzigd"] > 0
    csv_twee = replay("--scenario", scenario, "--format", "csv", "--workers", "2", populatie)
    ids = [r["casus_id"] for r in csv.DictReader(io.StringIO(csv_twee.stdout))]
    assert ids == [orjson.loads(r)["casus_id"] for r in populatie.read_bytes().splitlines()], "input order"


def test_date_mode_compares_two_ruleset_versions(tmp_path: Path) -> None:
    result = replay("--basis-peildatum", "2021-09-01", "--peildatum", "2022-01-01", "--format", "json", BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    rapport = json.loads(result.stdout)
    assert (rapport["basis_peildatum"], rapport["peildatum"]) == ("2021-09-01", "2022-01-01")
    assert rapport["totaal"] == len(list(BIBLIOTHEEK.glob("*.yaml")))
    # Both dates fall under the ruleset version of 2021-09-01, the only one so far: nothing changes.
    assert rapport["gewijzigd"] == 0 and rapport["ruleset"]["voor"] == rapport["ruleset"]["na"]
    assert "Waarschuwing" in result.stderr

    datum = replay("--peildatum", "2019-01-01", BIBLIOTHEEK)
    assert datum.exit_code == 2 and "--peildatum: geen regelset van kracht" in datum.stderr
    onzin = replay("--peildatum", "morgen", BIBLIOTHEEK)
    assert onzin.exit_code == 2 and "ongeldige datum" in onzin.stderr


def test_date_mode_with_a_scenario_applies_both(scenario: Path, json_rapport: dict[str, Any]) -> None:
    result = replay("--scenario", scenario, "--basis-peildatum", "2021-09-01", "--peildatum", "2021-09-01",
                    "--format", "json", BIBLIOTHEEK)
    assert result.exit_code == 0, result.stderr
    rapport = json.loads(result.stdout)
    assert rapport["scenario"] == "ruimere-vrije-trede" and rapport["peildatum"] == "2021-09-01"
    assert rapport["gewijzigd"] == json_rapport["gewijzigd"]
