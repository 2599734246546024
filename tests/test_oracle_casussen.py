"""The casussen library (casussen/*.yaml) checked against the oracle: hand-derived `verwacht` == oracle.

Each file holds `bron`, `titel`, `waarom`, a contract casus and the expected advies, derived by hand
from domain.md, decisions.md and the parameter files. The casus is also checked against the
contract's input format, so that a typo can never silently fall back to a default.

The fields added in round two (`fase`, `resultaatgebieden`, `waarschuwingen`, `budget.looptijd`,
`budget.kosten`) are compared wherever a file's `verwacht` carries them; the original fields are required.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import oracle

CASUSSEN_DIR = Path(__file__).resolve().parent.parent / "casussen"
CASUS_FILES = sorted(CASUSSEN_DIR.glob("*.yaml"))
ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

FILE_KEYS = {"bron", "titel", "waarom", "casus", "verwacht"}
VERWACHT_KEYS = {
    "route",
    "indicerende_instantie",
    "directe_veiligheid_eerst",
    "perceel",
    "pakket",
    "vrije_trede",
    "naast_bestaande_wmo_zorg",
    "budget",
    "onderdelen",
    "uitgesloten_onderdelen",
    "maatwerk",
    "signaleringen",
    "duur_maanden",
}
# Round two (decisions.md "Round two (issue 10)"): compared when present in `verwacht`.
VERWACHT_KEYS_RONDE_TWEE = {"fase", "resultaatgebieden", "waarschuwingen"}
BUDGET_KEYS = {
    "volwassenen",
    "kinderen",
    "totaal_uur_per_week",
    "pleger_extramuraal_uur_per_week",
    "treden",
    "verblijf",
}
BUDGET_KEYS_RONDE_TWEE = {"looptijd", "kosten"}

# The contract's casus format: field -> allowed values (a type, or a tuple of enum values).
ENUMS: dict[str, tuple[str, ...]] = {
    "woonplaats": ("rotterdam", "regiogemeente", "elders"),
    "rollen": ("slachtoffer", "pleger", "getuige", "gezinslid"),
    "vormen": (
        "fysiek",
        "psychisch",
        "seksueel",
        "verwaarlozing",
        "stalking",
        "schadelijke_traditionele_praktijken",
    ),
    "niveau": ("laag", "midden", "hoog"),
    "vaardigheden": ("voldoende", "beperkt", "onvoldoende"),
    "bestaande_wmo_zorg": ("geen", "semimuraal", "intramuraal"),
    "signalen": (
        "schulden",
        "dagbesteding",
        "nachtelijke_ondersteuning",
        "ggz",
        "lvb",
        "verslaving",
        "vechtscheiding",
        "kindproblematiek",
        "hoge_stress",
    ),
}
CASUS_KEYS = {
    "casus_id",
    "peildatum",
    "woonplaats",
    "leden",
    "geweld",
    "veiligheid",
    "vaardigheden",
    "woonsituatie",
    "bestaande_wmo_zorg",
    "inzet",
    "signalen",
}
REQUIRED_CASUS_KEYS = {"casus_id", "leden", "geweld", "veiligheid", "vaardigheden"}
LID_BOOLEANS = {"in_beeld", "meewerkend", "verlengde_jeugdhulp", "woont_buiten_gemeente", "verblijft_mee"}
OBJECT_FIELDS = {
    "geweld": (
        {"binnen_huiselijke_kring", "structureel", "intieme_terreur"},
        {"binnen_huiselijke_kring", "structureel"},
    ),
    "veiligheid": ({"acuut"}, set()),
    "woonsituatie": ({"dakloos", "zelfstandig_wonen_veilig", "nabijheid_24u_nodig"}, set()),
    "inzet": ({"specialistisch"}, set()),
}

# Every rule id of docs/decisions.md; each must fire in at least one casus.
RULE_IDS = [
    "lid.kind",
    "lid.kind_buiten_beeld",
    "lid.volwassene_geteld",
    "lid.volwassene_niet_geteld",
    "huishouden.samenstelling",
    "scope.buiten_huiselijke_kring",
    "veiligheid.directe_veiligheid_eerst",
    "toegang.hg_arrangement",
    "toegang.basishulp",
    "instantie.stedelijk_loket",
    "instantie.wijkteam",
    "perceel.naast_bestaande_wmo_zorg",
    "perceel.intramuraal",
    "perceel.semimuraal",
    "perceel.extramuraal",
    "pakket.matrix",
    "pakket.minimum_intieme_terreur",
    "pakket.minimum_semi_intramuraal",
    "pakket.bestaande_wmo_zorg",
    "pakket.vastgesteld",
    "pakket.vrije_trede",
    "budget.volwassenen",
    "budget.kinderen",
    "budget.pleger_extramuraal",
    "budget.treden_semimuraal",
    "budget.treden_intramuraal",
    "budget.verblijf",
    "budget.trede_diensturen",
    "budget.looptijd",
    "duur.richtlijn",
    "onderdelen.casusregie",
    "onderdelen.slachtofferhulp",
    "onderdelen.plegerhulp",
    "onderdelen.systeemgerichte_hulp",
    "onderdelen.systeemgerichte_hulp_uitgesloten",
    "onderdelen.systeemgerichte_hulp_uitgesloten_eergerelateerd",
    "onderdelen.systeemgerichte_hulp_uitgesloten_geen_volwassene",
    "onderdelen.systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers",
    "onderdelen.specialistische_individuele_hulp",
    "onderdelen.opvoedondersteuning",
    "onderdelen.opvoedondersteuning_uitgesloten",
    "onderdelen.kindgerichte_hulp",
    "maatwerk.toeleiding_schulddienstverlening",
    "maatwerk.dagbesteding",
    "maatwerk.nachtelijke_ondersteuning",
    "maatwerk.nachtelijke_ondersteuning_inbegrepen",
    "signalen.geen_meewerkende_volwassene",
    "signalen.ggz_via_zvw",
    "signalen.afstemmen_andere_gemeente",
    "signalen.woonplaats_buiten_rotterdam",
    "signalen.pleger_niet_meewerkend",
    "signalen.slachtoffer_niet_meewerkend",
    "signalen.profiel_dwangmatige_controle",
    "signalen.profiel_hoge_stress",
    "signalen.profiel_kindproblematiek",
    "signalen.profiel_ggz_lvb",
    "signalen.profiel_vechtscheiding",
    "fase.stabiele_veiligheid",
    "fase.herstel",
    "resultaatgebieden.beschikking",
    "waarschuwing.acuut_bij_laag_risico",
    "waarschuwing.intieme_terreur_niet_structureel",
    "waarschuwing.geen_geweldsvorm",
    "waarschuwing.verlengde_jeugdhulp_buiten_leeftijd",
    "waarschuwing.dakloos_en_zelfstandig_wonen_veilig",
    "waarschuwing.geen_slachtoffer",
]


@functools.cache
def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


@functools.cache
def params_on(peildatum: str) -> dict[str, Any]:
    return oracle.load_params(dt.date.fromisoformat(peildatum))


def run(path: Path, trace: list[str] | None = None) -> dict[str, Any]:
    casus = oracle.with_defaults(load(path)["casus"])
    return oracle.advies(casus, params_on(casus["peildatum"]), trace)


def contract_errors(casus: dict[str, Any]) -> list[str]:
    """The ways in which `casus` departs from the contract's input format (empty when valid)."""
    errors = [f"unknown field {key}" for key in casus.keys() - CASUS_KEYS]
    errors += [f"missing field {key}" for key in REQUIRED_CASUS_KEYS - casus.keys()]
    if not isinstance(casus.get("peildatum"), str):
        errors.append("peildatum must be an explicit ISO string in the library")
    else:
        dt.date.fromisoformat(casus["peildatum"])
    for field in ("woonplaats", "vaardigheden", "bestaande_wmo_zorg"):
        if field in casus and casus[field] not in ENUMS[field]:
            errors.append(f"{field}: {casus[field]!r}")
    errors += [f"signalen: {value!r}" for value in casus.get("signalen", []) if value not in ENUMS["signalen"]]
    for name, (booleans, required) in OBJECT_FIELDS.items():
        section = casus.get(name, {})
        allowed = booleans | {"vormen", "niveau", "verwachte_duur_maanden"}
        errors += [f"{name}.{key}: unknown" for key in section.keys() - allowed]
        errors += [f"{name}.{key}: missing" for key in required - section.keys()]
        errors += [
            f"{name}.{key}: not a boolean" for key in booleans & section.keys() if type(section[key]) is not bool
        ]
    errors += [f"geweld.vormen: {v!r}" for v in casus["geweld"].get("vormen", []) if v not in ENUMS["vormen"]]
    if casus["veiligheid"].get("niveau") not in ENUMS["niveau"]:
        errors.append("veiligheid.niveau")
    duur = casus.get("inzet", {}).get("verwachte_duur_maanden", 12)
    if type(duur) is not int or not 1 <= duur <= 120:
        errors.append("inzet.verwachte_duur_maanden")
    ids = [lid.get("id") for lid in casus["leden"]]
    if len(set(ids)) != len(ids) or not ids:
        errors.append("leden: ids must be unique and there must be at least one")
    for lid in casus["leden"]:
        errors += [
            f"lid {lid.get('id')}: unknown {key}" for key in lid.keys() - LID_BOOLEANS - {"id", "leeftijd", "rollen"}
        ]
        if not (isinstance(lid.get("id"), str) and ID_PATTERN.match(lid["id"])):
            errors.append(f"lid id {lid.get('id')!r}")
        if type(lid.get("leeftijd")) is not int or not 0 <= lid["leeftijd"] <= 120:
            errors.append(f"lid {lid.get('id')}: leeftijd")
        errors += [f"lid {lid['id']}: {key}" for key in LID_BOOLEANS & lid.keys() if type(lid[key]) is not bool]
        errors += [f"lid {lid['id']}: rol {r!r}" for r in lid.get("rollen", []) if r not in ENUMS["rollen"]]
    return errors


def test_the_library_is_complete() -> None:
    ids = [load(path)["casus"]["casus_id"] for path in CASUS_FILES]
    assert len(ids) == len(set(ids))
    assert {f"VJ-2020-{n}" for n in range(1, 6)} <= set(ids)
    assert sum(1 for casus_id in ids if casus_id.startswith("EIGEN-")) >= 25


@pytest.mark.parametrize("path", CASUS_FILES, ids=lambda path: path.stem)
def test_casus_file_is_well_formed(path: Path) -> None:
    document = load(path)
    assert set(document) == FILE_KEYS
    assert document["titel"].strip() and document["waarom"].strip() and document["bron"].strip()
    casus = document["casus"]
    assert ID_PATTERN.match(casus["casus_id"]) and casus["casus_id"].lower() == path.stem
    assert contract_errors(casus) == []
    assert VERWACHT_KEYS <= set(document["verwacht"]) <= VERWACHT_KEYS | VERWACHT_KEYS_RONDE_TWEE
    budget = document["verwacht"]["budget"]
    if budget is not None:
        assert BUDGET_KEYS <= set(budget) <= BUDGET_KEYS | BUDGET_KEYS_RONDE_TWEE


def comparable(key: str, value: Any, like: Any) -> Any:
    """`value` (the oracle's) in the form of `like` (the file's): the budget's keys that the file gives,
    waarschuwingen as codes when the file lists codes, resultaatgebieden without their label."""
    if key == "budget" and value is not None and isinstance(like, dict):
        return {k: v for k, v in value.items() if k in like}
    if key == "waarschuwingen" and all(isinstance(item, str) for item in like):
        return [item["code"] for item in value]
    return value


def without_labels(key: str, value: Any) -> Any:
    """The file's value without the free parts (a warning's tekst, a resultaatgebied's naam)."""
    drop = {"waarschuwingen": "tekst", "resultaatgebieden": "naam"}.get(key)
    if drop is None or not isinstance(value, list):
        return value
    return [{k: v for k, v in item.items() if k != drop} if isinstance(item, dict) else item for item in value]


@pytest.mark.parametrize("path", CASUS_FILES, ids=lambda path: path.stem)
def test_oracle_agrees_with_the_hand_derived_advies(path: Path) -> None:
    verwacht = load(path)["verwacht"]
    result = run(path)
    assert result["casus_id"] == load(path)["casus"]["casus_id"]
    for key in sorted(verwacht):
        expected = without_labels(key, verwacht[key])
        assert comparable(key, result[key], expected) == expected, f"{path.stem}: {key}"


def test_every_rule_fires_in_some_casus() -> None:
    fired: set[str] = set()
    for path in CASUS_FILES:
        trace: list[str] = []
        run(path, trace)
        fired.update(trace)
    assert [rule for rule in RULE_IDS if rule not in fired] == []
