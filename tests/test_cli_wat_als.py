"""`hg-advies wat-als` and the alternatieven of `hg-advies advies`, run as real processes; plus the
path setting and step comparison of engine/wat_als.py."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.casus import parse_casus
from engine.errors import CasusFout
from engine.wat_als import PadFout, gewijzigde_stappen, pas_toe, zet
from tests.test_cli import assert_contract_advies, assert_refused, hg, stderr_velden
from tests.voorbeelden import VOORBEELD


@pytest.fixture(scope="module")
def casus_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pad = tmp_path_factory.mktemp("wat-als") / "casus.json"
    pad.write_text(json.dumps(VOORBEELD), encoding="utf-8")
    return pad


# --- engine/wat_als.py -------------------------------------------------------------------------------


def test_paths_set_nested_defaulted_and_list_fields() -> None:
    casus = parse_casus(copy.deepcopy({k: v for k, v in VOORBEELD.items() if k != "woonsituatie"}))
    na = pas_toe(casus, [
        ("veiligheid.niveau", "laag"),
        ("woonsituatie.dakloos", True),  # left out of the input: its default can be set
        ("leden[2].leeftijd", 7),
        ("leden[3]", {"id": "baby", "leeftijd": 1}),  # index = length: appended
        ("leden[1]", None),  # null: removed
    ])
    assert (na.veiligheid.niveau, na.woonsituatie.dakloos) == ("laag", True)
    assert [(lid.id, lid.leeftijd) for lid in na.leden] == [("moeder", 36), ("zoon", 7), ("baby", 1)]
    assert casus.veiligheid.niveau == "hoog"  # the original is unchanged


@pytest.mark.parametrize("pad", ["veiligheid.nivo", "naam", "leden[3].leeftijd", "vaardigheden.niveau",
                                 "veiligheid[0]", "leden.0", "leden[-1]", ""])
def test_unknown_or_malformed_paths_are_refused_by_name(pad: str) -> None:
    document = parse_casus(copy.deepcopy(VOORBEELD)).model_dump()
    with pytest.raises(PadFout) as exc:
        zet(document, pad, 1)
    assert exc.value.pad == pad and exc.value.melding


def test_a_refused_value_names_the_field() -> None:
    with pytest.raises(CasusFout) as exc:
        pas_toe(parse_casus(copy.deepcopy(VOORBEELD)), [("leden[0].leeftijd", "36")])
    assert [f.veld for f in exc.value.fouten] == ["leden[0].leeftijd"]


def test_changed_steps_appear_disappear_or_change() -> None:
    voor = {"uitleg": [{"regel": "a", "conclusie": "x", "tekst": "A"}, {"regel": "b", "conclusie": "y", "tekst": "B"},
                       {"regel": "c", "conclusie": "z", "tekst": "C"}]}
    na = {"uitleg": [{"regel": "a", "conclusie": "x", "tekst": "A"}, {"regel": "b", "conclusie": "y2", "tekst": "B2"},
                     {"regel": "d", "conclusie": "w", "tekst": "D"}]}
    assert [(s["regel"], s["wijziging"]) for s in gewijzigde_stappen(voor, na)] == [
        ("b", "gewijzigd"), ("c", "vervallen"), ("d", "nieuw")]
    assert gewijzigde_stappen(voor, voor) == []


# --- hg-advies wat-als -------------------------------------------------------------------------------


def test_json_format(casus_json: Path) -> None:
    proc = hg("wat-als", casus_json, "--zet", "vaardigheden=voldoende", "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    rapport = json.loads(proc.stdout)
    assert set(rapport) >= {"voor", "na", "wijzigingen", "gewijzigde_stappen"}
    assert_contract_advies(rapport["voor"])
    assert_contract_advies(rapport["na"])
    assert "alternatieven" not in rapport["voor"]
    assert rapport["zet"] == [{"veld": "vaardigheden", "waarde": "voldoende"}]
    assert rapport["wijzigingen"]["pakket"] == [3, 2]
    assert rapport["wijzigingen"]["budget.totaal_uur_per_week"][0] == rapport["voor"]["budget"]["totaal_uur_per_week"]
    stappen = {s["regel"]: s for s in rapport["gewijzigde_stappen"]}
    assert stappen["pakket.matrix"]["wijziging"] == "gewijzigd"
    assert [s["conclusie"] for s in stappen["pakket.matrix"]["na"]] == ["pakket 2"]
    assert stappen["pakket.matrix"]["na"][0]["tekst"]


def test_values_parse_as_json_else_text_and_stdin_yaml_works() -> None:
    proc = hg("wat-als", "-", "--zet", "geweld.intieme_terreur=false", "--zet", "leden[2].leeftijd=7",
              "--zet", "veiligheid.niveau=laag", "--format", "json", stdin=yaml.safe_dump(VOORBEELD).encode())
    assert proc.returncode == 0, proc.stderr.decode()
    rapport = json.loads(proc.stdout)
    assert [z["waarde"] for z in rapport["zet"]] == [False, 7, "laag"]
    assert rapport["wijzigingen"]["uitgesloten_onderdelen"] == [["systeemgerichte_hulp"], []]


def test_terminal_view_names_the_changed_fields_and_steps(casus_json: Path) -> None:
    proc = hg("wat-als", casus_json, "--zet", "woonsituatie.nabijheid_24u_nodig=true")
    assert proc.returncode == 0, proc.stderr.decode()
    uit = proc.stdout.decode()
    assert "Gewijzigd in het advies" in uit and "perceel" in uit and "semimuraal" in uit
    assert "perceel.semimuraal" in uit and "nieuw" in uit  # the step that appeared
    assert "perceel.extramuraal" in uit and "vervallen" in uit  # and the one that went
    assert "24-uurs" in uit  # its Dutch explanation


def test_terminal_view_when_nothing_changes(casus_json: Path) -> None:
    proc = hg("wat-als", casus_json, "--zet", "veiligheid.acuut=false")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Het advies verandert niet." in proc.stdout.decode()


@pytest.mark.parametrize(("args", "veld", "woord"), [
    (["--zet", "veiligheid.nivo=hoog"], "veiligheid.nivo", "onbekend"),
    (["--zet", "leden[7].leeftijd=3"], "leden[7].leeftijd", "onbekend"),
    (["--zet", "veiligheid.niveau=extreem"], "veiligheid.niveau", "laag, midden, hoog"),
    (["--zet", "leden[0].leeftijd=36.5"], "leden[0].leeftijd", "geheel getal"),
    (["--zet", "leden[0]=null", "--zet", "leden[0]=null", "--zet", "leden[0]=null"], "leden", "minstens één"),
    ([], "--zet", "ten minste één wijziging"),
    (["--zet", "veiligheid.niveau"], "--zet", "veld=waarde"),
])
def test_refusals_exit_2_and_name_the_field(casus_json: Path, args: list[str], veld: str, woord: str) -> None:
    proc = hg("wat-als", casus_json, *args)
    assert_refused(proc)
    velden = stderr_velden(proc)
    assert veld in velden, proc.stderr.decode()
    assert woord in velden[veld]


def test_an_invalid_casus_is_refused_as_advies_does(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(json.dumps({**VOORBEELD, "vaardigheden": "geen"}), encoding="utf-8")
    proc = hg("wat-als", tmp_path / "c.json", "--zet", "veiligheid.niveau=laag")
    assert_refused(proc)
    assert stderr_velden(proc) == stderr_velden(hg("advies", tmp_path / "c.json"))
    assert_refused(hg("wat-als", tmp_path / "ontbreekt.json", "--zet", "veiligheid.niveau=laag"))


# --- alternatieven in hg-advies advies ---------------------------------------------------------------


def _advies(*args: object, stdin: bytes | None = None) -> list[dict[str, Any]]:
    """`hg-advies advies --compact ARGS`: one advies per line."""
    proc = hg("advies", "--compact", *args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(r) for r in proc.stdout.splitlines()]


def test_single_casus_includes_alternatieven_unless_asked_not_to(casus_json: Path) -> None:
    (advies,) = _advies(casus_json)
    assert advies["alternatieven"], "the contract's casus can change"
    alt = advies["alternatieven"][0]
    assert set(alt) >= {"veld", "waarde", "gevolg", "tekst"}
    (zonder,) = _advies("--zonder-alternatieven", casus_json)
    assert "alternatieven" not in zonder
    assert zonder == {k: v for k, v in advies.items() if k != "alternatieven"}


def test_batch_has_no_alternatieven_unless_asked(tmp_path: Path) -> None:
    regels = b"\n".join(json.dumps({**VOORBEELD, "casus_id": i}).encode() for i in ("A", "B")) + b"\n"
    (tmp_path / "c.jsonl").write_bytes(regels)
    assert all("alternatieven" not in a for a in _advies(tmp_path / "c.jsonl"))
    met = _advies("--jsonl", "--alternatieven", "-", stdin=regels)
    assert [bool(a["alternatieven"]) for a in met] == [True, True]
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "a.json").write_text(json.dumps(VOORBEELD), encoding="utf-8")
    assert all("alternatieven" not in a for a in _advies(tmp_path / "map"))


def test_each_alternative_replays_with_wat_als(casus_json: Path) -> None:
    (advies,) = _advies(casus_json)
    for alt in advies["alternatieven"]:
        proc = hg("wat-als", casus_json, "--zet", f"{alt['veld']}={json.dumps(alt['waarde'])}", "--format", "json")
        assert proc.returncode == 0, proc.stderr.decode()
        wijzigingen = json.loads(proc.stdout)["wijzigingen"]
        assert {k: v for k, v in wijzigingen.items() if k in alt["gevolg"]} == alt["gevolg"]
