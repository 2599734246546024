"""Independent plain-Python oracle of the HG-advies decision (domain.md read through decisions.md).

This module is deliberately written apart from `engine/` and `rules/` (it imports nothing from
them): it is the reference the rule engine is compared against, field by field, and the
plain-Python speed baseline. It reads the parameter YAML files itself and codes every step of
docs/decisions.md as one small function, in reasoning order.

Public API:
- `load_params(peildatum, directory)`: the parameter values in force on `peildatum`, as a nested dict.
- `with_defaults(casus)`: a copy of a valid casus with every contract default filled in.
- `advies(casus, params, trace=None)`: the contract's advies (without `uitleg`/`ruleset`); when a
  list is passed as `trace`, the id of every rule whose condition holds is appended to it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "MAATWERK_ORDER",
    "ONDERDELEN_ORDER",
    "PARAMETER_DIR",
    "SIGNAL_ORDER",
    "advies",
    "load_params",
    "with_defaults",
]

PARAMETER_DIR = Path(__file__).resolve().parent.parent / "rules" / "parameters"

# Output orders fixed by the contract (onderdelen) and by decisions.md steps 9 and 10.
ONDERDELEN_ORDER = (
    "casusregie",
    "slachtofferhulp",
    "plegerhulp",
    "systeemgerichte_hulp",
    "opvoedondersteuning",
    "kindgerichte_hulp",
    "specialistische_individuele_hulp",
)
MAATWERK_ORDER = ("toeleiding_schulddienstverlening", "dagbesteding", "nachtelijke_ondersteuning")
SIGNAL_ORDER = (
    "crisis_directe_veiligheid",
    "strafrechtelijke_aanpak",
    "ggz_via_zvw",
    "afstemmen_andere_gemeente",
    "woonplaats_buiten_rotterdam",
    "pleger_niet_meewerkend",
    "profiel_dwangmatige_controle",
    "profiel_hoge_stress",
    "profiel_kindproblematiek",
    "profiel_ggz_lvb",
    "profiel_vechtscheiding",
)

ROUTE_HG = "hg_arrangement"
ROUTE_BASISHULP = "basishulp_wijkteam"
ROUTE_BUITEN_SCOPE = "buiten_scope"

Casus = dict[str, Any]  # a valid casus with every default filled in
Params = dict[str, Any]  # the output of load_params()
Trace = list[str] | None  # collects the ids of the rules whose condition holds


def _fire(trace: Trace, rule_id: str) -> None:
    """Record that the condition of `rule_id` holds (only when a trace is being collected)."""
    if trace is not None:
        trace.append(rule_id)


# --------------------------------------------------------------------------- parameters


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _value_in_force(values: dict[Any, Any], peildatum: dt.date, path: str) -> Any:
    """The value with the latest effective date on or before `peildatum`."""
    in_force = [(_as_date(key), value) for key, value in values.items() if _as_date(key) <= peildatum]
    if not in_force:
        raise LookupError(f"parameter {path}: no value in force on {peildatum.isoformat()}")
    return max(in_force, key=lambda pair: pair[0])[1]


def _resolve_node(node: dict[str, Any], peildatum: dt.date, path: str) -> Any:
    """A node with `values:` is a parameter; otherwise descend into its dict-valued children."""
    if "values" in node:
        return _value_in_force(node["values"], peildatum, path)
    return {
        key: _resolve_node(child, peildatum, f"{path}.{key}") for key, child in node.items() if isinstance(child, dict)
    }


def load_params(peildatum: dt.date | str, directory: Path = PARAMETER_DIR) -> dict[str, Any]:
    """Read every `*.yaml` in `directory`; keys are file stems, then the YAML keys."""
    day = _as_date(peildatum)
    params: Params = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        params[path.stem] = _resolve_node(document, day, path.stem)
    return params


# --------------------------------------------------------------------------- defaults

_LID_DEFAULTS: dict[str, Any] = {
    "rollen": ["gezinslid"],
    "in_beeld": True,
    "meewerkend": True,
    "verlengde_jeugdhulp": False,
    "woont_buiten_gemeente": False,
}
_OBJECT_DEFAULTS: dict[str, dict[str, Any]] = {
    "geweld": {"intieme_terreur": False, "vormen": []},
    "veiligheid": {"acuut": False},
    "woonsituatie": {"dakloos": False, "zelfstandig_wonen_veilig": True, "nabijheid_24u_nodig": False},
    "inzet": {"verwachte_duur_maanden": 12, "specialistisch": False},
}


def with_defaults(casus: dict[str, Any]) -> Casus:
    """A deep copy of a valid casus with every contract default filled in."""
    full = copy.deepcopy(casus)
    peildatum = full.get("peildatum")
    full["peildatum"] = dt.date.today().isoformat() if peildatum is None else _as_date(peildatum).isoformat()
    full.setdefault("woonplaats", "rotterdam")
    full.setdefault("bestaande_wmo_zorg", "geen")
    full.setdefault("signalen", [])
    for name, defaults in _OBJECT_DEFAULTS.items():
        section = full.setdefault(name, {})
        for key, value in defaults.items():
            section.setdefault(key, copy.deepcopy(value))
    for lid in full["leden"]:
        for key, value in _LID_DEFAULTS.items():
            lid.setdefault(key, copy.deepcopy(value))
    return full


# --------------------------------------------------------------------------- household


@dataclass(frozen=True)
class Huishouden:
    """The household as the budget sees it (decisions.md, 'Household composition')."""

    kinderen: list[dict[str, Any]]
    getelde_volwassenen: list[dict[str, Any]]
    niet_getelde_volwassenen: list[dict[str, Any]]

    @property
    def jongste_kind(self) -> dict[str, Any] | None:
        # min() keeps the first of equal ages, i.e. input order breaks ties.
        return min(self.kinderen, key=lambda lid: lid["leeftijd"]) if self.kinderen else None


def is_kind(lid: dict[str, Any], params: Params) -> bool:
    """Under 18, or under 23 with verlengde jeugdhulp."""
    leeftijd = params["leeftijd"]
    if lid["leeftijd"] < leeftijd["volwassen_vanaf"]:
        return True
    return bool(lid["verlengde_jeugdhulp"]) and lid["leeftijd"] < leeftijd["verlengde_jeugdhulp_tot"]


def samenstelling(casus: Casus, params: Params, trace: Trace) -> Huishouden:
    kinderen, geteld, niet_geteld = [], [], []
    for lid in casus["leden"]:
        if is_kind(lid, params):
            kinderen.append(lid)
            _fire(trace, "lid.kind")
        elif lid["in_beeld"] and lid["meewerkend"]:
            geteld.append(lid)
            _fire(trace, "lid.volwassene_geteld")
        else:
            niet_geteld.append(lid)
            _fire(trace, "lid.volwassene_niet_geteld")
    _fire(trace, "huishouden.samenstelling")
    return Huishouden(kinderen, geteld, niet_geteld)


def _has_role(leden: list[dict[str, Any]], rol: str) -> bool:
    return any(rol in lid["rollen"] for lid in leden)


# --------------------------------------------------------------------------- steps 1-4


def binnen_scope(casus: Casus, trace: Trace) -> bool:
    """Step 1: violence outside the domestic circle is out of scope (strafrechtelijke aanpak)."""
    if casus["geweld"]["binnen_huiselijke_kring"]:
        return True
    _fire(trace, "scope.buiten_huiselijke_kring")
    return False


def directe_veiligheid_eerst(casus: Casus, trace: Trace) -> bool:
    """Step 2: acute danger is flagged on every route."""
    if casus["veiligheid"]["acuut"]:
        _fire(trace, "veiligheid.directe_veiligheid_eerst")
        return True
    return False


def toegang_hg_arrangement(casus: Casus, params: Params, trace: Trace) -> bool:
    """Step 3: structureel AND (long OR specialist OR a semi/intramural need)."""
    woonsituatie, inzet = casus["woonsituatie"], casus["inzet"]
    eligible = casus["geweld"]["structureel"] and (
        inzet["verwachte_duur_maanden"] >= params["toegang"]["minimale_duur_maanden"]
        or inzet["specialistisch"]
        or not woonsituatie["zelfstandig_wonen_veilig"]
        or woonsituatie["nabijheid_24u_nodig"]
    )
    _fire(trace, "toegang.hg_arrangement" if eligible else "toegang.basishulp")
    return bool(eligible)


def indicerende_instantie(casus: Casus, trace: Trace) -> str:
    """Step 4: dak- en thuisloze gezinnen go to the stedelijke loketten."""
    if casus["woonsituatie"]["dakloos"]:
        _fire(trace, "instantie.stedelijk_loket")
        return "stedelijk_loket"
    _fire(trace, "instantie.wijkteam")
    return "wijkteam"


# --------------------------------------------------------------------------- steps 5-6


def naast_bestaande_wmo_zorg(casus: Casus) -> bool:
    return casus["bestaande_wmo_zorg"] in ("semimuraal", "intramuraal")


def perceel(casus: Casus, trace: Trace) -> str:
    """Step 5: existing Wmo care keeps the household in place (ambulant HG help alongside)."""
    woonsituatie = casus["woonsituatie"]
    if naast_bestaande_wmo_zorg(casus):
        _fire(trace, "perceel.naast_bestaande_wmo_zorg")
        return "extramuraal"
    if not woonsituatie["zelfstandig_wonen_veilig"]:
        _fire(trace, "perceel.intramuraal")
        return "intramuraal"
    if woonsituatie["nabijheid_24u_nodig"]:
        _fire(trace, "perceel.semimuraal")
        return "semimuraal"
    _fire(trace, "perceel.extramuraal")
    return "extramuraal"


def pakket(casus: Casus, gekozen_perceel: str, params: Params, trace: Trace) -> int:
    """Step 6: matrix, then the minimums (applied as a maximum); existing Wmo care sets pakket 1."""
    if naast_bestaande_wmo_zorg(casus):
        _fire(trace, "pakket.bestaande_wmo_zorg")
        result = int(params["bestaande_wmo_zorg"]["pakket"])
    else:
        _fire(trace, "pakket.matrix")
        result = int(params["pakket_matrix"][casus["veiligheid"]["niveau"]][casus["vaardigheden"]])
        if casus["geweld"]["intieme_terreur"]:
            _fire(trace, "pakket.minimum_intieme_terreur")
            result = max(result, int(params["intieme_terreur"]["minimum_pakket"]))
        if gekozen_perceel in ("semimuraal", "intramuraal"):
            _fire(trace, "pakket.minimum_semi_intramuraal")
            result = max(result, int(params["semi_intramuraal"]["minimum_pakket"]))
    _fire(trace, "pakket.vastgesteld")
    return result


def vrije_trede(gekozen_perceel: str, aantal_kinderen: int, params: Params, trace: Trace) -> bool:
    """Extramuraal with more than `vrije_trede.meer_dan_kinderen` children: budget op maat."""
    if gekozen_perceel == "extramuraal" and aantal_kinderen > params["vrije_trede"]["meer_dan_kinderen"]:
        _fire(trace, "pakket.vrije_trede")
        return True
    return False


# --------------------------------------------------------------------------- step 7


def _per_pakket(table: list[Any], gekozen_pakket: int, path: str) -> Any:
    value = table[gekozen_pakket - 1]
    if value is None:
        raise ValueError(f"{path}: pakket {gekozen_pakket} does not exist there")
    return value


def budget(
    huishouden: Huishouden,
    gekozen_perceel: str,
    gekozen_pakket: int,
    params: Params,
    trace: Trace,
) -> dict[str, Any]:
    uren = params["uren"][gekozen_perceel]
    semi_of_intramuraal = gekozen_perceel in ("semimuraal", "intramuraal")

    _fire(trace, "budget.volwassenen")
    uur_volwassene = float(_per_pakket(uren["volwassenen"], gekozen_pakket, f"uren.{gekozen_perceel}.volwassenen"))
    volwassenen = [{"lid": lid["id"], "uur_per_week": uur_volwassene} for lid in huishouden.getelde_volwassenen]
    uren_volwassenen = sum(entry["uur_per_week"] for entry in volwassenen)

    kinderen = None
    if huishouden.kinderen:
        _fire(trace, "budget.kinderen")
        jongste = huishouden.jongste_kind
        assert jongste is not None
        kinderen = {
            "toegekend_aan": jongste["id"],
            "aantal": len(huishouden.kinderen),
            "uur_per_week": float(_per_pakket(uren["kinderen"], gekozen_pakket, f"uren.{gekozen_perceel}.kinderen")),
        }
    totaal = float(uren_volwassenen + (kinderen["uur_per_week"] if kinderen else 0.0))

    pleger_extramuraal = None
    if semi_of_intramuraal and _has_role(huishouden.getelde_volwassenen, "pleger"):
        _fire(trace, "budget.pleger_extramuraal")
        pleger_extramuraal = float(params["semi_intramuraal"]["pleger_extramuraal_aandeel"] * uren_volwassenen)

    return {
        "volwassenen": volwassenen,
        "kinderen": kinderen,
        "totaal_uur_per_week": totaal,
        "pleger_extramuraal_uur_per_week": pleger_extramuraal,
        "treden": treden(gekozen_perceel, gekozen_pakket, params, trace),
        "verblijf": verblijf(huishouden, gekozen_perceel, trace),
    }


_ONDERSTEUNING_KEY = {"semimuraal": "semimurale_ondersteuning", "intramuraal": "intramurale_ondersteuning"}


def treden(gekozen_perceel: str, gekozen_pakket: int, params: Params, trace: Trace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "semimurale_ondersteuning": None,
        "intramurale_ondersteuning": None,
        "nachtelijke_ondersteuning": None,
    }
    if gekozen_perceel not in ("semimuraal", "intramuraal"):
        return result
    _fire(trace, f"budget.treden_{gekozen_perceel}")
    table = params["treden"][gekozen_perceel]
    path = f"treden.{gekozen_perceel}"
    result[_ONDERSTEUNING_KEY[gekozen_perceel]] = _per_pakket(
        table["ondersteuning"], gekozen_pakket, f"{path}.ondersteuning"
    )
    result["nachtelijke_ondersteuning"] = _per_pakket(table["nachtelijk"], gekozen_pakket, f"{path}.nachtelijk")
    return result


def verblijf(huishouden: Huishouden, gekozen_perceel: str, trace: Trace) -> dict[str, int] | None:
    """Intramuraal: counted adults other than the perpetrator stay, with every child."""
    if gekozen_perceel != "intramuraal":
        return None
    _fire(trace, "budget.verblijf")
    clienten = [lid for lid in huishouden.getelde_volwassenen if "pleger" not in lid["rollen"]]
    return {"volwassen_clienten": len(clienten), "meekomende_kinderen": len(huishouden.kinderen)}


def duur_maanden(params: Params, trace: Trace) -> int:
    _fire(trace, "duur.richtlijn")
    return int(params["duur"]["richtlijn_maanden"])


# --------------------------------------------------------------------------- steps 8-9


def onderdelen(casus: Casus, huishouden: Huishouden, trace: Trace) -> tuple[list[str], list[dict[str, str]]]:
    """Step 8: the parts of help, in the contract's enum order, and the excluded ones."""
    chosen = {"casusregie"}
    _fire(trace, "onderdelen.casusregie")
    uitgesloten: list[dict[str, str]] = []
    if _has_role(huishouden.getelde_volwassenen, "slachtoffer"):
        _fire(trace, "onderdelen.slachtofferhulp")
        chosen.add("slachtofferhulp")
    if _has_role(huishouden.getelde_volwassenen, "pleger"):
        _fire(trace, "onderdelen.plegerhulp")
        chosen.add("plegerhulp")
    if casus["geweld"]["intieme_terreur"]:
        _fire(trace, "onderdelen.systeemgerichte_hulp_uitgesloten")
        uitgesloten.append({"onderdeel": "systeemgerichte_hulp", "reden": "intieme terreur"})
        _fire(trace, "onderdelen.specialistische_individuele_hulp")
        chosen.add("specialistische_individuele_hulp")
    else:
        _fire(trace, "onderdelen.systeemgerichte_hulp")
        chosen.add("systeemgerichte_hulp")
    if huishouden.kinderen:
        _fire(trace, "onderdelen.opvoedondersteuning")
        _fire(trace, "onderdelen.kindgerichte_hulp")
        chosen.update(("opvoedondersteuning", "kindgerichte_hulp"))
    return [name for name in ONDERDELEN_ORDER if name in chosen], uitgesloten


def maatwerk(casus: Casus, gekozen_perceel: str, trace: Trace) -> list[str]:
    """Step 9: add-on Wmo resultaatgebieden from the signals (night support only extramurally)."""
    signalen = set(casus["signalen"])
    result = []
    if "schulden" in signalen:
        _fire(trace, "maatwerk.toeleiding_schulddienstverlening")
        result.append("toeleiding_schulddienstverlening")
    if "dagbesteding" in signalen:
        _fire(trace, "maatwerk.dagbesteding")
        result.append("dagbesteding")
    if "nachtelijke_ondersteuning" in signalen:
        if gekozen_perceel == "extramuraal":
            _fire(trace, "maatwerk.nachtelijke_ondersteuning")
            result.append("nachtelijke_ondersteuning")
        else:
            _fire(trace, "maatwerk.nachtelijke_ondersteuning_inbegrepen")
    return result


# --------------------------------------------------------------------------- step 10


def huishouden_signaleringen(casus: Casus, gekozen_perceel: str | None, trace: Trace) -> list[str]:
    """Step 10: the household signals (HG-arrangement and basishulp), in decisions.md order."""
    signalen = set(casus["signalen"])
    leden = casus["leden"]
    geweld = casus["geweld"]
    woonplaats = casus["woonplaats"]
    conditions = {
        "ggz_via_zvw": "ggz" in signalen,
        "afstemmen_andere_gemeente": any(lid["woont_buiten_gemeente"] for lid in leden),
        "woonplaats_buiten_rotterdam": woonplaats == "elders"
        or (woonplaats == "regiogemeente" and gekozen_perceel in (None, "extramuraal")),
        "pleger_niet_meewerkend": any("pleger" in lid["rollen"] and not lid["meewerkend"] for lid in leden),
        "profiel_dwangmatige_controle": bool(geweld["intieme_terreur"]) or "stalking" in geweld["vormen"],
        "profiel_hoge_stress": "hoge_stress" in signalen,
        "profiel_kindproblematiek": "kindproblematiek" in signalen,
        "profiel_ggz_lvb": "ggz" in signalen or "lvb" in signalen,
        "profiel_vechtscheiding": "vechtscheiding" in signalen,
    }
    result = []
    for code, holds in conditions.items():
        if holds:
            _fire(trace, f"signalen.{code}")
            result.append(code)
    return result


# --------------------------------------------------------------------------- the advies


def _empty_arrangement() -> dict[str, Any]:
    return {
        "perceel": None,
        "pakket": None,
        "vrije_trede": False,
        "naast_bestaande_wmo_zorg": False,
        "budget": None,
        "onderdelen": [],
        "uitgesloten_onderdelen": [],
        "maatwerk": [],
        "duur_maanden": None,
    }


def arrangement(casus: Casus, huishouden: Huishouden, params: Params, trace: Trace) -> dict[str, Any]:
    """Steps 5-9 for a household that gets an HG-arrangement."""
    gekozen_perceel = perceel(casus, trace)
    gekozen_pakket = pakket(casus, gekozen_perceel, params, trace)
    delen, uitgesloten = onderdelen(casus, huishouden, trace)
    return {
        "perceel": gekozen_perceel,
        "pakket": gekozen_pakket,
        "vrije_trede": vrije_trede(gekozen_perceel, len(huishouden.kinderen), params, trace),
        "naast_bestaande_wmo_zorg": naast_bestaande_wmo_zorg(casus),
        "budget": budget(huishouden, gekozen_perceel, gekozen_pakket, params, trace),
        "onderdelen": delen,
        "uitgesloten_onderdelen": uitgesloten,
        "maatwerk": maatwerk(casus, gekozen_perceel, trace),
        "duur_maanden": duur_maanden(params, trace),
    }


def advies(casus: Casus, params: Params, trace: Trace = None) -> dict[str, Any]:
    """The advies for a valid casus whose defaults are filled in (see `with_defaults`)."""
    huishouden = samenstelling(casus, params, trace)
    in_scope = binnen_scope(casus, trace)
    acuut = directe_veiligheid_eerst(casus, trace)
    signaleringen = ["crisis_directe_veiligheid"] if acuut else []
    instantie = indicerende_instantie(casus, trace)

    result: dict[str, Any] = {"casus_id": casus["casus_id"]}
    if not in_scope:
        route = ROUTE_BUITEN_SCOPE
        details = _empty_arrangement()
        signaleringen.append("strafrechtelijke_aanpak")
    elif toegang_hg_arrangement(casus, params, trace):
        route = ROUTE_HG
        details = arrangement(casus, huishouden, params, trace)
        signaleringen += huishouden_signaleringen(casus, details["perceel"], trace)
    else:
        route = ROUTE_BASISHULP
        details = _empty_arrangement()
        signaleringen += huishouden_signaleringen(casus, None, trace)

    result.update(
        route=route,
        indicerende_instantie=instantie,
        directe_veiligheid_eerst=acuut,
        **details,
        signaleringen=signaleringen,
    )
    return result
