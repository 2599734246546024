"""rules/bronnen.yaml and engine.bronnen: every cited source has a verbatim seed passage."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules import bronnen

REPO = Path(__file__).resolve().parents[1]
BRONNEN = REPO / "rules" / "bronnen.yaml"
# The seed documents: HG_SEEDS, else next to the checkout (../shared/seeds), else where this workplace keeps
# them; the verbatim checks skip when none exists (a clean clone elsewhere).
_KANDIDATEN = [Path(os.environ["HG_SEEDS"])] if os.environ.get("HG_SEEDS") else []
_KANDIDATEN += [Path(__file__).resolve().parents[2] / "shared" / "seeds", Path("/work/shared/seeds")]
SEEDS = next((k for k in _KANDIDATEN if k.is_dir()), _KANDIDATEN[0])

# A word hyphenated across a line break ("inten-\nsieve"): marked, so a passage may join it.
_AFBREKING = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")
_MARK = "\x00"


def normaliseer(tekst: str) -> str:
    """Runs of whitespace collapsed to one space; a hyphen at a line break between letters marked."""
    return " ".join(_AFBREKING.sub(_MARK, tekst).split())


def _patroon(passage: str) -> re.Pattern[str]:
    """The passage as a pattern over a normalised seed: literal, except that at a marked line-break
    hyphen the passage may join the word ("intensieve"), keep the hyphen ("Wmo-aanbieder") or keep
    the line break as a space ("inten- sieve")."""
    tekst = " ".join(passage.split())
    delen: list[str] = []
    i = 0
    while i < len(tekst):
        c = tekst[i]
        if c == "-" and tekst.startswith("- ", i) and i > 0 and tekst[i - 1].isalnum():
            delen.append(f"(?:- |{_MARK})")
            i += 2
            continue
        if c == "-":
            delen.append(f"(?:-|{_MARK})")
        else:
            if i > 0 and tekst[i - 1].isalnum() and c.isalnum():
                delen.append(f"{_MARK}?")
            delen.append(re.escape(c))
        i += 1
    return re.compile("".join(delen))


def staat_in(passage: str, seed: str) -> bool:
    """Whether `passage` occurs verbatim in the seed text `seed` (raw, as read from its file)."""
    return bool(passage.strip()) and _patroon(passage).search(normaliseer(seed)) is not None


def _data() -> dict[str, Any]:
    raw = yaml.safe_load(BRONNEN.read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def _seed(nummer: str) -> str:
    bestand = str(_data()["documenten"][nummer]["bestand"])
    return (SEEDS / bestand).read_text(encoding="utf-8")


needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed documents ({SEEDS}) are not next to this checkout (e.g. a clean CI clone)"
)


# --- the data file ---------------------------------------------------------------------------------


def test_file_shape() -> None:
    data = _data()
    assert set(data["documenten"]) == {"000", "001", "002", "003", "004"}
    for nummer, doc in data["documenten"].items():
        assert doc["titel"].strip(), nummer
        assert doc["bestand"].startswith(f"{nummer}_") and doc["bestand"].endswith(".txt"), nummer
    for ref, entry in data["passages"].items():
        assert ref == " ".join(ref.split()) and ";" not in ref, f"{ref!r}: one single reference per entry"
        assert ref[:3] in data["documenten"], f"{ref}: unknown document number"
        assert set(entry) == {"kop", "tekst"}, ref
        assert entry["kop"].strip() and entry["tekst"].strip(), ref
        assert "…" not in entry["tekst"] and "..." not in entry["tekst"], f"{ref}: a passage is never shortened"
        assert len(entry["tekst"]) <= 1200, f"{ref}: a passage is a few sentences"


# --- (a) every reference in use has a passage --------------------------------------------------------


def _bronnen_in_bestanden() -> set[str]:
    """The references as the source files spell them (independent of engine.bronnen.gebruikt)."""
    gevonden: set[str] = set()
    for pad in (REPO / "rules").glob("*.py"):
        gevonden.update(re.findall(r'bron="([^"]+)"', pad.read_text(encoding="utf-8")))
    for map_ in (REPO / "rules" / "parameters", REPO / "scenarios"):
        for pad in map_.glob("*.yaml"):
            for regel in pad.read_text(encoding="utf-8").splitlines():
                found = re.match(r"""^\s*bron:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", regel)
                if found:
                    gevonden.add(found[1])
    return {deel for bron in gevonden for deel in bronnen.onderdelen(bron)}


def test_every_reference_in_use_has_a_passage() -> None:
    gebruikt = bronnen.gebruikt()
    assert gebruikt, "no references found in the rules"
    ontbreekt = {deel: waar for deel, waar in gebruikt.items() if not bronnen.passages(deel)[0]["tekst"]}
    assert not ontbreekt, f"add a passage to rules/bronnen.yaml for: {ontbreekt}"
    assert bronnen.onbekend() == []


def test_the_file_scan_and_the_loaded_rules_agree() -> None:
    in_bestanden = _bronnen_in_bestanden()
    assert in_bestanden, "the scan found no bron in rules/, rules/parameters/ or scenarios/"
    assert in_bestanden <= set(bronnen.gebruikt()), in_bestanden - set(bronnen.gebruikt())
    assert all(bronnen.passages(deel)[0]["tekst"] for deel in in_bestanden)


def test_every_part_has_the_document_title() -> None:
    titels = {nummer: doc["titel"] for nummer, doc in _data()["documenten"].items()}
    for deel in bronnen.gebruikt():
        (p,) = bronnen.passages(deel)
        assert p["document"] == titels[deel[:3]], deel


# --- (b) every passage is verbatim in its seed ---------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("ref", sorted(yaml.safe_load(BRONNEN.read_text(encoding="utf-8"))["passages"]))
def test_passage_is_verbatim_in_its_seed(ref: str) -> None:
    entry = _data()["passages"][ref]
    seed = _seed(ref[:3])
    assert staat_in(entry["tekst"], seed), f"{ref}: tekst is not verbatim in {_data()['documenten'][ref[:3]]}"
    assert staat_in(entry["kop"], seed), f"{ref}: kop {entry['kop']!r} is not a heading in the seed"


@needs_seeds
def test_seed_files_exist_and_titles_are_the_documents_own() -> None:
    documenten = _data()["documenten"]
    alle = [(SEEDS / doc["bestand"]).read_text(encoding="utf-8") for doc in documenten.values()]
    for nummer, doc in documenten.items():
        # 003's extracted text has no title page: its title is the one the other documents cite it by.
        bronteksten = alle if nummer == "003" else [_seed(nummer)]
        assert any(staat_in(doc["titel"], tekst) for tekst in bronteksten), nummer


# --- (c) compound and range references ----------------------------------------------------------------


def test_compound_reference_splits_in_order() -> None:
    data = _data()["passages"]
    result = bronnen.passages("002 §1.5; 001 §3.2")
    assert [p["verwijzing"] for p in result] == ["002 §1.5", "001 §3.2"]
    assert [p["tekst"] for p in result] == [data["002 §1.5"]["tekst"], data["001 §3.2"]["tekst"]]
    assert [p["kop"] for p in result] == [data["002 §1.5"]["kop"], data["001 §3.2"]["kop"]]
    assert result[0]["document"] == "Bijlage 1. Consultatiedocument HG-arrangementen"
    assert result[1]["document"] == "Bijlage 3. Pakketten HG-arrangementen"
    assert all(set(p) == {"verwijzing", "document", "kop", "tekst"} for p in result)


def test_range_resolves_to_each_single_reference() -> None:
    data = _data()["passages"]
    result = bronnen.passages("000 Doelen 1-2; 001 §3.1 noot 1")
    assert [p["verwijzing"] for p in result] == ["000 Doelen 1", "000 Doelen 2", "001 §3.1 noot 1"]
    assert [p["tekst"] for p in result] == [
        data[r]["tekst"] for r in ("000 Doelen 1", "000 Doelen 2", "001 §3.1 noot 1")
    ]
    assert bronnen.onderdelen("000 Doelen 2–4") == ["000 Doelen 2", "000 Doelen 3", "000 Doelen 4"]


@pytest.mark.parametrize(
    ("bron", "delen"),
    [
        ("004", ["004"]),
        ("000 Leidende principes; 004", ["000 Leidende principes", "004"]),
        ("  001 §3.1 ;001  §3.2;", ["001 §3.1", "001 §3.2"]),
        ("000 Doelen 2-1", ["000 Doelen 2-1"]),  # a reversed range is not expanded
        ("000 Doelen 1-500", ["000 Doelen 1-500"]),  # nor an absurdly long one
        ("", []),
        (" ; ", []),
    ],
)
def test_onderdelen(bron: str, delen: list[str]) -> None:
    assert bronnen.onderdelen(bron) == delen


# --- (d) an unknown reference never raises ------------------------------------------------------------


@pytest.mark.parametrize("bron", ["001 §9.9", "000 Doelen 7", "003 Bijlage 2, casus; 004"])
def test_unknown_part_of_a_known_document(bron: str) -> None:
    result = bronnen.passages(bron)
    onbekend = result[0]
    assert onbekend["kop"] == "" and onbekend["tekst"] == ""
    assert onbekend["document"] == _data()["documenten"][bron[:3]]["titel"]
    if bron.endswith("004"):
        assert result[1]["tekst"]


@pytest.mark.parametrize("bron", ["999 §1", "eigen casus", "§", "-", "1-2", "\x00", "a" * 5000])
def test_unknown_reference_gives_empty_fields(bron: str) -> None:
    for p in bronnen.passages(bron):
        assert p["kop"] == "" and p["tekst"] == "" and p["document"] == ""


def test_not_a_string_gives_nothing() -> None:
    assert bronnen.passages(None) == []  # type: ignore[arg-type]


def test_result_is_a_fresh_copy() -> None:
    eerste = bronnen.passages("001 §3.1")
    eerste[0]["tekst"] = "veranderd"
    assert bronnen.passages("001 §3.1")[0]["tekst"] != "veranderd"


# --- (e) the verbatim check rejects an altered passage -------------------------------------------------


def test_checker_on_a_small_text() -> None:
    seed = (
        "Dit is inten-\nsieve hulp bij een Wmo-\naanbieder,\n  naast   semi- of intramurale zorg.\n- Eerste;\n- Tweede."
    )
    assert staat_in("Dit is intensieve hulp bij een Wmo-aanbieder, naast semi- of intramurale zorg.", seed)
    assert staat_in("Dit is inten- sieve hulp", seed)  # the line break kept as a space
    assert staat_in("zorg. - Eerste; - Tweede.", seed)
    assert not staat_in("Dit is intensive hulp", seed)
    assert not staat_in("naast semi of intramurale zorg.", seed)
    assert not staat_in("Dit is intensieve hulp bij de Wmo-aanbieder", seed)
    assert not staat_in("   ", seed)


@needs_seeds
def test_checker_rejects_a_mutated_passage() -> None:
    data = _data()
    kopie = {ref: dict(entry) for ref, entry in data["passages"].items()}
    ref = "002 §1.3"
    seed = _seed(ref[:3])
    origineel = kopie[ref]["tekst"]
    assert staat_in(origineel, seed)
    mutaties = [
        origineel.replace("strafrechtelijke aanpak", "strafrechtelijke benadering"),
        origineel.replace("Rotterdam;", "Rotterdam."),
        origineel + " Dit staat er niet.",
        origineel.replace("op school", "op  het werk"),
    ]
    for mutatie in mutaties:
        assert mutatie != origineel
        kopie[ref]["tekst"] = mutatie
        assert not staat_in(kopie[ref]["tekst"], seed), mutatie
    # Every other passage, moved to another document, is rejected too.
    for andere, entry in data["passages"].items():
        ander_document = {"000": "001", "001": "002", "002": "003", "003": "004", "004": "000"}[andere[:3]]
        assert not staat_in(entry["tekst"], _seed(ander_document)), andere
