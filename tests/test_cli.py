"""The `hg-advies` console script, run as a new user or an integrator would: real processes, real files."""

from __future__ import annotations

import copy
import json
import os
import queue
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from tests.voorbeelden import VOORBEELD

ROOT = Path(__file__).resolve().parents[1]
HG_ADVIES = Path(sys.executable).parent / "hg-advies"  # the installed entry point (pyproject [project.scripts])
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),  # this checkout
    "NO_COLOR": "1",
    "COLUMNS": "200",
}


# contract.md, "Advies (output)": every field an integrator may rely on
ADVIES_VELDEN = {
    "casus_id", "route", "indicerende_instantie", "directe_veiligheid_eerst", "perceel", "pakket",
    "vrije_trede", "naast_bestaande_wmo_zorg", "budget", "onderdelen", "uitgesloten_onderdelen", "maatwerk",
    "signaleringen", "duur_maanden", "uitleg", "ruleset",
}
BUDGET_VELDEN = {
    "volwassenen", "kinderen", "totaal_uur_per_week", "pleger_extramuraal_uur_per_week", "treden", "verblijf",
}
TREDEN = {"semimurale_ondersteuning", "intramurale_ondersteuning", "nachtelijke_ondersteuning"}
UITLEG_VELDEN = {"regel", "conclusie", "omdat", "bron", "beleidskeuze", "tekst"}


def hg(*args: object, stdin: bytes | None = None, cwd: Path | None = None,
       module: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run `hg-advies ARGS` (or `python -m cli.main ARGS`) in a fresh process, from another directory."""
    cmd = [sys.executable, "-m", "cli.main"] if module else [str(HG_ADVIES)]
    return subprocess.run(
        [*cmd, *map(str, args)], input=stdin, capture_output=True, cwd=cwd or ROOT.parent, env=ENV,
        timeout=120, check=False,
    )


def casus(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VOORBEELD)
    data.update(changes)
    return data


def stderr_velden(proc: subprocess.CompletedProcess[bytes]) -> dict[str, str]:
    """stderr lines `veld: melding` as a dict (the CLI prints one line per refused field)."""
    regels = proc.stderr.decode().splitlines()
    return dict(regel.split(": ", 1) for regel in regels)


def assert_refused(proc: subprocess.CompletedProcess[bytes]) -> None:
    assert proc.returncode == 2, proc.stderr.decode()
    assert proc.stdout == b""
    assert proc.stderr.strip()
    assert b"Traceback" not in proc.stderr


def assert_contract_advies(advies: dict[str, Any]) -> None:
    assert set(advies) >= ADVIES_VELDEN
    if advies["budget"] is not None:  # null when there is no arrangement
        assert set(advies["budget"]) >= BUDGET_VELDEN
        assert set(advies["budget"]["treden"]) >= TREDEN
    assert advies["uitleg"], "an advies explains itself"
    for stap in advies["uitleg"]:
        assert set(stap) >= UITLEG_VELDEN
        assert isinstance(stap["beleidskeuze"], bool)
    for signalering in advies["signaleringen"]:
        assert {"code", "tekst"} <= set(signalering)
    for uitgesloten in advies["uitgesloten_onderdelen"]:
        assert {"onderdeel", "reden"} <= set(uitgesloten)
    assert advies["ruleset"]["naam"] == "hg-rotterdam"
    assert advies["ruleset"]["hash"].startswith("sha256:")


@pytest.fixture(scope="module")
def werkmap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    map_ = tmp_path_factory.mktemp("cli")
    (map_ / "casus.json").write_text(json.dumps(VOORBEELD), encoding="utf-8")
    return map_


@pytest.fixture(scope="module")
def advies_json(werkmap: Path) -> dict[str, Any]:
    """The advies for the contract's casus, from the installed entry point; the reference for other forms."""
    proc = hg("advies", werkmap / "casus.json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    advies: dict[str, Any] = json.loads(proc.stdout)
    return advies


# --- one casus ---------------------------------------------------------------------------------------


def test_entry_point_is_installed() -> None:
    assert HG_ADVIES.is_file(), f"{HG_ADVIES} missing: run `make setup` (pip install -e '.[dev]')"


def test_json_casus_gives_the_contract_advies(advies_json: dict[str, Any]) -> None:
    assert_contract_advies(advies_json)
    # The contract's example: hoog x beperkt = pakket 3 extramuraal; only moeder counts (vader does not
    # cooperate): 1 x 3 hours, plus one children's budget of 3 hours for zoon; 3 + 3 = 6 hours per week.
    assert advies_json["casus_id"] == "VJ-2020-1"
    assert advies_json["route"] == "hg_arrangement"
    assert advies_json["indicerende_instantie"] == "wijkteam"
    assert (advies_json["perceel"], advies_json["pakket"], advies_json["vrije_trede"]) == ("extramuraal", 3, False)
    assert advies_json["budget"]["volwassenen"] == [{"lid": "moeder", "uur_per_week": 3.0}]
    assert advies_json["budget"]["kinderen"] == {"toegekend_aan": "zoon", "aantal": 1, "uur_per_week": 3.0}
    assert advies_json["budget"]["totaal_uur_per_week"] == 6.0
    assert advies_json["duur_maanden"] == 12
    assert advies_json["ruleset"]["versie"] == "2021-09-01"
    assert {"onderdeel": "systeemgerichte_hulp", "reden": "intieme terreur"} in advies_json["uitgesloten_onderdelen"]


def test_module_entry_and_compact_output_give_the_same_advies(werkmap: Path, advies_json: dict[str, Any]) -> None:
    proc = hg("advies", "--compact", werkmap / "casus.json", module=True)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.count(b"\n") == 1
    assert json.loads(proc.stdout) == advies_json


def test_yaml_casus_gives_the_same_advies(tmp_path: Path, advies_json: dict[str, Any]) -> None:
    # Written as a person would: comments, an unquoted date, flow style for the members.
    tekst = "# from the contract\n" + yaml.safe_dump(VOORBEELD, sort_keys=False).replace(
        "'2021-09-01'", "2021-09-01"
    )
    assert "peildatum: 2021-09-01\n" in tekst
    (tmp_path / "casus.yaml").write_text(tekst, encoding="utf-8")
    proc = hg("advies", tmp_path / "casus.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    assert json.loads(proc.stdout) == advies_json


@pytest.mark.parametrize("vorm", ["json", "yaml"])
def test_casus_from_stdin(vorm: str, advies_json: dict[str, Any]) -> None:
    tekst = json.dumps(VOORBEELD) if vorm == "json" else yaml.safe_dump(VOORBEELD)
    proc = hg("advies", "-", stdin=tekst.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    assert json.loads(proc.stdout) == advies_json


def test_library_file_with_casus_wrapper_is_accepted(tmp_path: Path, advies_json: dict[str, Any]) -> None:
    bibliotheek = {
        "bron": "003 Bijlage 2",
        "titel": "Moeder en zoontje, controlerende vader",
        "waarom": "Het voorbeeld uit contract.md.",
        "casus": VOORBEELD,
        "verwacht": {"route": "hg_arrangement", "pakket": 3},
    }
    (tmp_path / "vj-2020-1.yaml").write_text(yaml.safe_dump(bibliotheek, allow_unicode=True), encoding="utf-8")
    proc = hg("advies", tmp_path / "vj-2020-1.yaml")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout) == advies_json


# --- refusals ----------------------------------------------------------------------------------------


def test_invalid_casus_names_every_offending_field(tmp_path: Path) -> None:
    fout = casus(
        naam="J. Jansen",  # a direct identifier
        leden=[{**VOORBEELD["leden"][0], "leeftijd": 200}, *VOORBEELD["leden"][1:]],
        veiligheid={"niveau": "extreem"},
        vaardighedenn="beperkt",  # a typo: unknown field, and `vaardigheden` is now missing
    )
    del fout["vaardigheden"]
    (tmp_path / "fout.json").write_text(json.dumps(fout), encoding="utf-8")
    proc = hg("advies", tmp_path / "fout.json")
    assert_refused(proc)
    velden = stderr_velden(proc)
    assert set(velden) == {"naam", "leden[0].leeftijd", "veiligheid.niveau", "vaardighedenn", "vaardigheden"}
    assert "geanonimiseerd" in velden["naam"]
    assert "0 en 120" in velden["leden[0].leeftijd"]
    assert "laag, midden, hoog" in velden["veiligheid.niveau"]
    assert "onbekend veld" in velden["vaardighedenn"]
    assert "'vaardigheden'" in velden["vaardighedenn"]  # the suggestion
    assert "ontbreekt" in velden["vaardigheden"]


@pytest.mark.parametrize(
    ("verandering", "veld"),
    [
        ({"bsn": "123456782"}, "bsn"),
        ({"adres": "Coolsingel 40"}, "adres"),
        ({"leden": [{**VOORBEELD["leden"][0], "naam": "Anna"}]}, "leden[0].naam"),
        ({"leden": [{**VOORBEELD["leden"][0], "geboortedatum": "1985-01-01"}]}, "leden[0].geboortedatum"),
    ],
)
def test_direct_identifier_is_refused(verandering: dict[str, Any], veld: str) -> None:
    proc = hg("advies", "-", stdin=json.dumps(casus(**verandering)).encode())
    assert_refused(proc)
    velden = stderr_velden(proc)
    assert veld in velden
    assert "geanonimiseerd" in velden[veld]


@pytest.mark.parametrize(
    ("naam", "inhoud"),
    [
        ("kapot.json", b'{"casus_id": "X", "leden": ['),
        ("kapot.yaml", b"casus_id: X\nleden: [\n  - {id: a\n"),
        ("leeg.json", b""),
        ("lijst.json", b"[1, 2]"),
        ("getal.yaml", b"42\n"),
        ("latin1.json", '{"casus_id": "Jos\u00e9"}'.encode("latin-1")),
    ],
)
def test_unreadable_document_is_refused(tmp_path: Path, naam: str, inhoud: bytes) -> None:
    (tmp_path / naam).write_bytes(inhoud)
    proc = hg("advies", tmp_path / naam)
    assert_refused(proc)
    assert len(proc.stderr.decode().splitlines()) == 1


@pytest.mark.parametrize("naam", ["bestaat-niet.json", "bestaat-niet.jsonl"])
def test_missing_file_is_refused_with_a_clear_message(tmp_path: Path, naam: str) -> None:
    proc = hg("advies", tmp_path / naam)
    assert_refused(proc)
    melding = proc.stderr.decode()
    assert naam in melding
    assert "kan het bestand niet lezen" in melding


def test_peildatum_before_the_first_ruleset_is_refused() -> None:
    proc = hg("advies", "-", stdin=json.dumps(casus(peildatum="2021-08-31")).encode())
    assert_refused(proc)
    velden = stderr_velden(proc)
    assert set(velden) == {"peildatum"}
    assert "2021-09-01" in velden["peildatum"]


# --- JSON Lines --------------------------------------------------------------------------------------


def regel(**changes: Any) -> bytes:
    return json.dumps(casus(**changes)).encode()


GEMENGD = [
    regel(casus_id="A"),
    b'{"casus_id": "B", "leden": [',  # broken JSON
    b"",  # blank lines are skipped
    b"   \t",
    regel(casus_id="C", naam="Jan", vaardigheden="geen"),  # two errors
    regel(casus_id="D", peildatum="2020-01-01"),  # before the first ruleset
    b"[1, 2]",  # JSON, but no casus
    b"\xff\xfe",  # not UTF-8
    regel(casus_id="E", veiligheid={"niveau": "laag"}, vaardigheden="voldoende",
          geweld={**VOORBEELD["geweld"], "intieme_terreur": False}),
]


def check_gemengd(proc: subprocess.CompletedProcess[bytes], enkel: dict[str, Any]) -> None:
    assert proc.returncode == 2
    assert proc.stderr.strip() and b"Traceback" not in proc.stderr
    uit = [json.loads(r) for r in proc.stdout.splitlines()]
    assert [u["casus_id"] for u in uit] == ["A", None, "C", "D", None, None, "E"]  # input order, blanks skipped

    zonder = {k: v for k, v in enkel.items() if k != "alternatieven"}  # only computed for one casus by default
    assert uit[0] == {**zonder, "casus_id": "A"}  # the same advies as the single-file command
    assert_contract_advies(uit[6])
    assert uit[6]["pakket"] == 1  # laag x voldoende = pakket 1 (no intieme terreur, so no minimum of 2)
    for fout in (uit[1], uit[2], uit[3], uit[4], uit[5]):
        assert set(fout) == {"casus_id", "fouten"}
        assert fout["fouten"]
        for f in fout["fouten"]:
            assert set(f) == {"veld", "melding"} and f["melding"]
    assert {f["veld"] for f in uit[2]["fouten"]} == {"naam", "vaardigheden"}
    assert [f["veld"] for f in uit[3]["fouten"]] == ["peildatum"]
    assert "JSON" in uit[1]["fouten"][0]["melding"]


def test_jsonl_file_one_line_per_casus_and_errors_in_place(tmp_path: Path, advies_json: dict[str, Any]) -> None:
    (tmp_path / "casussen.jsonl").write_bytes(b"\n".join(GEMENGD) + b"\n")
    check_gemengd(hg("advies", tmp_path / "casussen.jsonl"), advies_json)


def test_jsonl_from_stdin(advies_json: dict[str, Any]) -> None:
    check_gemengd(hg("advies", "--jsonl", "-", stdin=b"\n".join(GEMENGD)), advies_json)  # no final newline


def test_jsonl_all_valid_exits_0_with_crlf_and_blank_lines(tmp_path: Path) -> None:
    inhoud = b"\r\n".join([regel(casus_id="A"), b"", regel(casus_id="B"), b"", b""]) + b"\r\n"
    (tmp_path / "ok.jsonl").write_bytes(inhoud)
    proc = hg("advies", tmp_path / "ok.jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    assert [json.loads(r)["casus_id"] for r in proc.stdout.splitlines()] == ["A", "B"]


# --- genereer and a large batch ----------------------------------------------------------------------

AANTAL = 2000

# Runs the CLI in a process that records multiprocessing.get_context calls, to prove the pool path is used.
SPION = textwrap.dedent("""
    import atexit, multiprocessing, sys
    methodes = []
    echt = multiprocessing.get_context
    def spion(method=None):
        methodes.append(method)
        return echt(method)
    multiprocessing.get_context = spion
    verslag = sys.argv[1]
    atexit.register(lambda: open(verslag, "w").write(repr(methodes)))
    from cli.main import app
    sys.argv = ["hg-advies", *sys.argv[2:]]
    app()
""")


@pytest.fixture(scope="module")
def populatie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("genereer") / "populatie.jsonl"
    proc = hg("genereer", "--aantal", AANTAL, "--seed", 3)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    pad.write_bytes(proc.stdout)
    return pad


def test_genereer_is_deterministic_and_synthetic(populatie: Path, tmp_path: Path) -> None:
    regels = populatie.read_bytes().splitlines()
    assert len(regels) == AANTAL
    ids = [json.loads(r)["casus_id"] for r in regels]
    assert all(i.startswith("SYNTH-") for i in ids)
    assert len(set(ids)) == AANTAL

    # the same seed gives the same bytes, also through --uit; another seed gives other casussen
    proc = hg("genereer", "--aantal", 50, "--seed", 3, "--uit", tmp_path / "50.jsonl")
    assert proc.returncode == 0 and proc.stdout == b""
    assert (tmp_path / "50.jsonl").read_bytes().splitlines() == regels[:50]
    ander = hg("genereer", "--aantal", 50, "--seed", 4).stdout.splitlines()
    assert len(ander) == 50 and ander != regels[:50]


def test_large_batch_over_processes_equals_one_worker(populatie: Path, tmp_path: Path) -> None:
    verslag = tmp_path / "methodes.txt"
    parallel = subprocess.run(
        [sys.executable, "-c", SPION, verslag, "advies", populatie, "--workers", "2"],
        capture_output=True, cwd=tmp_path, env=ENV, timeout=120, check=False,
    )
    serieel = hg("advies", populatie, "--workers", "1", cwd=tmp_path)

    assert verslag.read_text() != "[]", "2,000 lines with 2 workers should use the process pool"
    for proc in (parallel, serieel):
        assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        assert proc.stderr == b""  # every generated casus is accepted
    assert parallel.stdout == serieel.stdout  # byte-identical, in input order

    uit = serieel.stdout.splitlines()
    assert len(uit) == AANTAL
    invoer_ids = [json.loads(r)["casus_id"] for r in populatie.read_bytes().splitlines()]
    adviezen = [json.loads(r) for r in uit]
    assert [a["casus_id"] for a in adviezen] == invoer_ids
    assert not any("fouten" in a for a in adviezen)
    for a in adviezen[:: AANTAL // 20]:
        assert_contract_advies(a)


def test_jsonl_streams_from_an_open_pipe(populatie: Path) -> None:
    # An integrator pipes casussen in and reads advies out while the input is still open: the first
    # advies must come before end of input (800 lines: the look-ahead of two chunks of 400).
    regels = populatie.read_bytes().splitlines()[:800]
    proc = subprocess.Popen(
        [str(HG_ADVIES), "advies", "--jsonl", "-", "--workers", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT.parent, env=ENV,
    )
    invoer, uitvoer = proc.stdin, proc.stdout
    assert invoer is not None and uitvoer is not None
    try:
        invoer.write(b"\n".join(regels) + b"\n")
        invoer.flush()  # but not closed
        eerste: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=lambda: eerste.put(uitvoer.readline()), daemon=True).start()
        try:
            regel_1 = eerste.get(timeout=30)
        except queue.Empty:
            pytest.fail("no advies before end of input: the batch reads all input before it answers")
        assert json.loads(regel_1)["casus_id"] == json.loads(regels[0])["casus_id"]
        rest, fout = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, fout.decode()
    assert len(rest.splitlines()) == len(regels) - 1


# --- a folder ----------------------------------------------------------------------------------------


def test_folder_prints_one_advies_per_casus_file(tmp_path: Path, advies_json: dict[str, Any]) -> None:
    (tmp_path / "a.json").write_text(json.dumps(casus(casus_id="A")), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(casus(casus_id="B")), encoding="utf-8")
    (tmp_path / "c.yml").write_text(yaml.safe_dump({"titel": "t", "casus": casus(casus_id="C")}), encoding="utf-8")
    (tmp_path / "lees-mij.txt").write_text("not a casus", encoding="utf-8")
    (tmp_path / "sub.json").mkdir()  # a folder is no casus file, whatever its name
    proc = hg("advies", tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    adviezen = [json.loads(r) for r in proc.stdout.splitlines()]
    assert [a["casus_id"] for a in adviezen] == ["A", "B", "C"]  # sorted by file name
    zonder = {k: v for k, v in advies_json.items() if k != "alternatieven"}  # only computed for one casus by default
    assert adviezen[0] == {**zonder, "casus_id": "A"}


def test_folder_with_a_bad_file_goes_on_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(casus(casus_id="A")), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(casus(casus_id="B", bsn="123456782")), encoding="utf-8")
    (tmp_path / "c.json").write_bytes(b"\xff\xfe not UTF-8")
    (tmp_path / "d.json").write_text(json.dumps(casus(casus_id="D")), encoding="utf-8")
    proc = hg("advies", tmp_path)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert [json.loads(r)["casus_id"] for r in proc.stdout.splitlines()] == ["A", "D"]
    meldingen = proc.stderr.decode().splitlines()
    assert any(m.startswith("b.json: bsn: ") for m in meldingen)
    assert any(m.startswith("c.json: ") for m in meldingen)


def test_a_key_given_twice_in_a_json_casus_is_refused() -> None:
    tekst = orjson.dumps(VOORBEELD).replace(b'"vaardigheden":', b'"vaardigheden":"voldoende","vaardigheden":', 1)
    proc = hg("advies", "-", stdin=tekst)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "vaardigheden: komt meer dan eens voor in hetzelfde object" in proc.stderr.decode()
