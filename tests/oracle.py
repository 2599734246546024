"""Independent plain-Python oracle of the HG-advies decision (domain.md read through decisions.md).

This module is deliberately written apart from `engine/` and `rules/` (it imports nothing from
them): it is the reference the rule engine is compared against, field by field, and the
plain-Python speed baseline. It reads the parameter YAML files itself and codes every step of
docs/decisions.md (including its section "Round two (issue 10)") as one small function, in
reasoning order.

Public API:
- `load_params(peildatum, directory)`: the parameter values in force on `peildatum`, as a nested dict.
- `with_overrides(params, overrides)`: a copy of `params` with dotted paths set (a scenario's parameters).
- `with_defaults(casus)`: a copy of a valid casus with every contract default filled in, except
  `leden[].verblijft_mee`, whose default depends on the household (see `verblijft_mee`).
- `advies(casus, params, trace=None, regels_bij=())`: the contract's advies (without `uitleg`/`ruleset`/
  `samenvatting`; waarschuwingen without `tekst`, resultaatgebieden without `naam`); when a list is passed as
  `trace`, the id of every rule whose condition holds is appended to it. `regels_bij` are a scenario's added
  rules as the scenario file gives them (contract "Rules changed by a scenario"), applied as docs/decisions.md
  "Rules added by a scenario" reads them (see the section "regels_bij" at the end of this module).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "KOSTEN_DELEN",
    "MAATWERK_ORDER",
    "ONDERDELEN_ORDER",
    "PARAMETER_DIR",
    "SIGNAL_ORDER",
    "WAARSCHUWING_ORDER",
    "advies",
    "load_params",
    "param",
    "verblijft_mee",
    "with_defaults",
    "with_overrides",
]

PARAMETER_DIR = Path(__file__).resolve().parent.parent / "rules" / "parameters"

# Output orders fixed by the contract (onderdelen) and by decisions.md steps 9 and 10 and round two.
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
    "geen_meewerkende_volwassene",
    "ggz_via_zvw",
    "afstemmen_andere_gemeente",
    "woonplaats_buiten_rotterdam",
    "pleger_niet_meewerkend",
    "slachtoffer_niet_meewerkend",
    "profiel_dwangmatige_controle",
    "profiel_hoge_stress",
    "profiel_kindproblematiek",
    "profiel_ggz_lvb",
    "profiel_vechtscheiding",
)
WAARSCHUWING_ORDER = (
    "acuut_bij_laag_risico",
    "intieme_terreur_niet_structureel",
    "geen_geweldsvorm",
    "verlengde_jeugdhulp_buiten_leeftijd",
    "dakloos_en_zelfstandig_wonen_veilig",
    "geen_slachtoffer",
)
# The parts of the weekly cost, in the order `zonder_tarief` lists them.
KOSTEN_DELEN = ("begeleiding_volwassenen", "begeleiding_kinderen", "treden", "verblijf")

ROUTE_HG = "hg_arrangement"
ROUTE_BASISHULP = "basishulp_wijkteam"
ROUTE_BUITEN_SCOPE = "buiten_scope"
SEMI_INTRA = ("semimuraal", "intramuraal")

# Parameters added in round two; until their YAML exists the oracle uses these values.
PARAMETER_FALLBACKS: dict[str, Any] = {
    "systeemgerichte_hulp.minimum_deelnemers": 2,
    "tarieven.begeleiding_volwassenen": None,
    "tarieven.begeleiding_kinderen": None,
    "tarieven.trede_per_week": None,
    "tarieven.verblijf_per_dag": None,
}

Casus = dict[str, Any]  # a valid casus with every default filled in
Lid = dict[str, Any]  # one member of such a casus
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


def with_overrides(params: Params, overrides: dict[str, Any]) -> Params:
    """A copy of `params` with each dotted path set to its value (missing parents are created)."""
    changed = copy.deepcopy(params)
    for path, value in overrides.items():
        *parents, last = path.split(".")
        node = changed
        for key in parents:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[last] = copy.deepcopy(value)
    return changed


_NO_DEFAULT = object()


def param(params: Params, path: str, default: Any = _NO_DEFAULT) -> Any:
    """The value at dotted `path`; a round-two parameter that is not there yet gives its fallback."""
    node: Any = params
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            if default is not _NO_DEFAULT:
                return default
            for prefix, fallback in PARAMETER_FALLBACKS.items():
                if path == prefix or path.startswith(prefix + "."):
                    return fallback
            raise KeyError(path)
        node = node[key]
    return node


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
    """A deep copy of a valid casus with every contract default filled in.

    `leden[].verblijft_mee` is left as given (absent when absent): its default depends on whether
    the member is a child and a counted adult, which needs the parameters; `verblijft_mee` resolves it.
    """
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


def is_kind(lid: Lid, params: Params) -> bool:
    """Under 18, or under 23 with verlengde jeugdhulp (by age, whether in beeld or not)."""
    leeftijd = params["leeftijd"]
    if lid["leeftijd"] < leeftijd["volwassen_vanaf"]:
        return True
    return bool(lid["verlengde_jeugdhulp"]) and lid["leeftijd"] < leeftijd["verlengde_jeugdhulp_tot"]


def is_geteld(lid: Lid, params: Params) -> bool:
    """A counted adult: not a child, in beeld and meewerkend."""
    return not is_kind(lid, params) and bool(lid["in_beeld"]) and bool(lid["meewerkend"])


def is_alleen_pleger(lid: Lid) -> bool:
    """Pleger-only: the roles include `pleger` and not `slachtoffer`."""
    return "pleger" in lid["rollen"] and "slachtoffer" not in lid["rollen"]


def verblijft_mee(lid: Lid, params: Params) -> bool:
    """The effective `verblijft_mee`: an explicit value wins; otherwise true for a child in beeld and
    for a counted adult who is not pleger-only, false for everybody else."""
    if "verblijft_mee" in lid:
        return bool(lid["verblijft_mee"])
    if is_kind(lid, params):
        return bool(lid["in_beeld"])
    return is_geteld(lid, params) and not is_alleen_pleger(lid)


@dataclass(frozen=True)
class Huishouden:
    """The household as the budget sees it (decisions.md, 'Household composition' and 'Who counts')."""

    kinderen: list[Lid]  # children in beeld, input order: "children" everywhere below
    kinderen_buiten_beeld: list[Lid]  # children by age with in_beeld false: outside the household
    getelde_volwassenen: list[Lid]
    niet_getelde_volwassenen: list[Lid]
    verblijvers: frozenset[str]  # ids of the members whose effective verblijft_mee is true

    @property
    def jongste_kind(self) -> Lid | None:
        # min() keeps the first of equal ages, i.e. input order breaks ties.
        return min(self.kinderen, key=lambda lid: lid["leeftijd"]) if self.kinderen else None

    @property
    def deelnemers(self) -> int:
        """Members taking part: counted adults plus children in beeld."""
        return len(self.getelde_volwassenen) + len(self.kinderen)

    @property
    def alleen_plegers(self) -> list[Lid]:
        return [lid for lid in self.getelde_volwassenen if is_alleen_pleger(lid)]

    @property
    def volwassen_clienten(self) -> int:
        return sum(1 for lid in self.getelde_volwassenen if lid["id"] in self.verblijvers)

    @property
    def meekomende_kinderen(self) -> int:
        return sum(1 for lid in self.kinderen + self.kinderen_buiten_beeld if lid["id"] in self.verblijvers)


def samenstelling(casus: Casus, params: Params, trace: Trace) -> Huishouden:
    kinderen: list[Lid] = []
    buiten_beeld: list[Lid] = []
    geteld: list[Lid] = []
    niet_geteld: list[Lid] = []
    for lid in casus["leden"]:
        if is_kind(lid, params):
            if lid["in_beeld"]:
                kinderen.append(lid)
                _fire(trace, "lid.kind")
            else:
                buiten_beeld.append(lid)
                _fire(trace, "lid.kind_buiten_beeld")
        elif is_geteld(lid, params):
            geteld.append(lid)
            _fire(trace, "lid.volwassene_geteld")
        else:
            niet_geteld.append(lid)
            _fire(trace, "lid.volwassene_niet_geteld")
    _fire(trace, "huishouden.samenstelling")
    verblijvers = frozenset(lid["id"] for lid in casus["leden"] if verblijft_mee(lid, params))
    return Huishouden(kinderen, buiten_beeld, geteld, niet_geteld, verblijvers)


def _has_role(leden: list[Lid], rol: str) -> bool:
    return any(rol in lid["rollen"] for lid in leden)


# --------------------------------------------------------------------------- waarschuwingen


def waarschuwingen(casus: Casus, params: Params, trace: Trace) -> list[dict[str, Any]]:
    """Allowed but implausible or contradictory input, on every route, in decisions.md order."""
    geweld, veiligheid, woonsituatie = casus["geweld"], casus["veiligheid"], casus["woonsituatie"]
    leeftijd = params["leeftijd"]
    found: list[dict[str, Any]] = []

    def warn(code: str, *velden: str) -> None:
        _fire(trace, f"waarschuwing.{code}")
        found.append({"code": code, "velden": list(velden)})

    if veiligheid["acuut"] and veiligheid["niveau"] == "laag":
        warn("acuut_bij_laag_risico", "veiligheid.acuut", "veiligheid.niveau")
    if geweld["intieme_terreur"] and not geweld["structureel"]:
        warn("intieme_terreur_niet_structureel", "geweld.intieme_terreur", "geweld.structureel")
    if not geweld["vormen"]:
        warn("geen_geweldsvorm", "geweld.vormen")
    for i, lid in enumerate(casus["leden"]):
        buiten_leeftijd = (
            lid["leeftijd"] < leeftijd["volwassen_vanaf"] or lid["leeftijd"] >= leeftijd["verlengde_jeugdhulp_tot"]
        )
        if lid["verlengde_jeugdhulp"] and buiten_leeftijd:
            warn("verlengde_jeugdhulp_buiten_leeftijd", f"leden[{i}].verlengde_jeugdhulp", f"leden[{i}].leeftijd")
    if woonsituatie["dakloos"] and woonsituatie["zelfstandig_wonen_veilig"]:
        warn("dakloos_en_zelfstandig_wonen_veilig", "woonsituatie.dakloos", "woonsituatie.zelfstandig_wonen_veilig")
    if not _has_role(casus["leden"], "slachtoffer"):
        warn("geen_slachtoffer", "leden")
    return found


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
    return casus["bestaande_wmo_zorg"] in SEMI_INTRA


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


def pakket(casus: Casus, gekozen_perceel: str, params: Params, trace: Trace, minimum_bij: int | None = None) -> int:
    """Step 6: matrix, then the minimums (applied as a maximum); existing Wmo care sets pakket 1.
    `minimum_bij`: the highest minimum of the scenario's added rules that hold (not next to Wmo care)."""
    if naast_bestaande_wmo_zorg(casus):
        _fire(trace, "pakket.bestaande_wmo_zorg")
        result = int(params["bestaande_wmo_zorg"]["pakket"])
    else:
        _fire(trace, "pakket.matrix")
        result = int(params["pakket_matrix"][casus["veiligheid"]["niveau"]][casus["vaardigheden"]])
        if casus["geweld"]["intieme_terreur"]:
            _fire(trace, "pakket.minimum_intieme_terreur")
            result = max(result, int(params["intieme_terreur"]["minimum_pakket"]))
        if gekozen_perceel in SEMI_INTRA:
            _fire(trace, "pakket.minimum_semi_intramuraal")
            result = max(result, int(params["semi_intramuraal"]["minimum_pakket"]))
        if minimum_bij is not None:
            result = max(result, minimum_bij)
    _fire(trace, "pakket.vastgesteld")
    return result


def vrije_trede(gekozen_perceel: str, aantal_kinderen: int, params: Params, trace: Trace) -> bool:
    """Extramuraal with more than `vrije_trede.meer_dan_kinderen` children (in beeld): budget op maat."""
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
    duur: int,
    params: Params,
    trace: Trace,
) -> dict[str, Any]:
    uren = params["uren"][gekozen_perceel]

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
    alleen_plegers = huishouden.alleen_plegers
    if gekozen_perceel in SEMI_INTRA and alleen_plegers:
        # Half of the adults' begeleiding, never more than the pleger-only adults' own begeleiding.
        _fire(trace, "budget.pleger_extramuraal")
        helft = params["semi_intramuraal"]["pleger_extramuraal_aandeel"] * uren_volwassenen
        pleger_extramuraal = float(min(helft, len(alleen_plegers) * uur_volwassene))

    result = {
        "volwassenen": volwassenen,
        "kinderen": kinderen,
        "totaal_uur_per_week": totaal,
        "pleger_extramuraal_uur_per_week": pleger_extramuraal,
        "treden": treden(gekozen_perceel, gekozen_pakket, params, trace),
        "verblijf": verblijf(huishouden, gekozen_perceel, trace),
    }
    result["looptijd"] = looptijd(totaal, duur, trace)
    result["kosten"] = kosten(result, gekozen_perceel, gekozen_pakket, duur, params)
    return result


_ONDERSTEUNING_KEY = {"semimuraal": "semimurale_ondersteuning", "intramuraal": "intramurale_ondersteuning"}


def treden(gekozen_perceel: str, gekozen_pakket: int, params: Params, trace: Trace) -> dict[str, Any]:
    result: dict[str, Any] = {
        "semimurale_ondersteuning": None,
        "intramurale_ondersteuning": None,
        "nachtelijke_ondersteuning": None,
    }
    if gekozen_perceel not in SEMI_INTRA:
        return result
    _fire(trace, f"budget.treden_{gekozen_perceel}")
    table = params["treden"][gekozen_perceel]
    path = f"treden.{gekozen_perceel}"
    result[_ONDERSTEUNING_KEY[gekozen_perceel]] = _per_pakket(
        table["ondersteuning"], gekozen_pakket, f"{path}.ondersteuning"
    )
    result["nachtelijke_ondersteuning"] = _per_pakket(table["nachtelijk"], gekozen_pakket, f"{path}.nachtelijk")
    _fire(trace, "budget.trede_diensturen")
    return result


def verblijf(huishouden: Huishouden, gekozen_perceel: str, trace: Trace) -> dict[str, int] | None:
    """Intramuraal: counted adults and children (by age) whose effective verblijft_mee is true."""
    if gekozen_perceel != "intramuraal":
        return None
    _fire(trace, "budget.verblijf")
    return {"volwassen_clienten": huishouden.volwassen_clienten, "meekomende_kinderen": huishouden.meekomende_kinderen}


def weken(duur: int) -> float:
    return duur * 52 / 12


def looptijd(totaal_uur_per_week: float, duur: int, trace: Trace) -> dict[str, float]:
    """The budget over the arrangement: weeks = duur_maanden x 52 / 12, hours = weekly total x weeks."""
    _fire(trace, "budget.looptijd")
    aantal_weken = weken(duur)
    return {"weken": aantal_weken, "uren": totaal_uur_per_week * aantal_weken}


_CENT = Decimal("0.01")


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _tarief_per_pakket(params: Params, path: str, gekozen_pakket: int) -> Any:
    table = param(params, path)
    return table[gekozen_pakket - 1] if isinstance(table, list) else None


def kosten(
    budget_: dict[str, Any], gekozen_perceel: str, gekozen_pakket: int, duur: int, params: Params
) -> dict[str, Any] | None:
    """Euro per week and over the looptijd, over the parts that apply and have a tariff (else null)."""
    uren_volwassenen = sum((_decimal(e["uur_per_week"]) for e in budget_["volwassenen"]), Decimal(0))
    uren_kinderen = _decimal(budget_["kinderen"]["uur_per_week"]) if budget_["kinderen"] else Decimal(0)
    treden_ = [trede for trede in budget_["treden"].values() if trede is not None]
    verblijvers = sum(budget_["verblijf"].values()) if budget_["verblijf"] else 0

    tarief_volwassenen = _tarief_per_pakket(
        params, f"tarieven.begeleiding_volwassenen.{gekozen_perceel}", gekozen_pakket
    )
    tarief_kinderen = _tarief_per_pakket(params, f"tarieven.begeleiding_kinderen.{gekozen_perceel}", gekozen_pakket)
    per_trede = param(params, "tarieven.trede_per_week")
    trede_tarieven = [per_trede[trede - 1] if isinstance(per_trede, list) else None for trede in treden_]
    per_dag = param(params, "tarieven.verblijf_per_dag")

    # (part, quantity above 0, euro per week or None without a tariff)
    delen: list[tuple[str, bool, Decimal | None]] = [
        (
            "begeleiding_volwassenen",
            uren_volwassenen > 0,
            None if tarief_volwassenen is None else uren_volwassenen * _decimal(tarief_volwassenen),
        ),
        (
            "begeleiding_kinderen",
            uren_kinderen > 0,
            None if tarief_kinderen is None else uren_kinderen * _decimal(tarief_kinderen),
        ),
        (
            "treden",
            len(treden_) > 0,
            None if None in trede_tarieven else sum((_decimal(t) for t in trede_tarieven), Decimal(0)),
        ),
        ("verblijf", verblijvers > 0, None if per_dag is None else verblijvers * 7 * _decimal(per_dag)),
    ]
    geprijsd = [bedrag for _, geldt, bedrag in delen if geldt and bedrag is not None]
    if not geprijsd:
        return None
    per_week = sum(geprijsd, Decimal(0)).quantize(_CENT, rounding=ROUND_HALF_UP)
    over_looptijd = (per_week * duur * 52 / 12).quantize(_CENT, rounding=ROUND_HALF_UP)
    zonder_tarief = [naam for naam, geldt, bedrag in delen if geldt and bedrag is None]
    return {
        "per_week": float(per_week),
        "looptijd": float(over_looptijd),
        "valuta": "EUR",
        "volledig": not zonder_tarief,
        "zonder_tarief": zonder_tarief,
    }


def duur_maanden(params: Params, trace: Trace) -> int:
    _fire(trace, "duur.richtlijn")
    return int(params["duur"]["richtlijn_maanden"])


# --------------------------------------------------------------------------- steps 8-9


_TELWOORDEN = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")


def _telwoord(n: int) -> str:
    """The reden names the parameter's value: 'minder dan twee deelnemers' at the default 2 (decisions.md)."""
    return _TELWOORDEN[n] if 0 <= n < len(_TELWOORDEN) else str(n)


def _opsomming(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def onderdelen(
    casus: Casus, huishouden: Huishouden, params: Params, trace: Trace
) -> tuple[list[str], list[dict[str, str]]]:
    """Step 8: the parts of help, in the contract's enum order, and the excluded ones with their reason."""
    chosen = {"casusregie"}
    _fire(trace, "onderdelen.casusregie")
    uitgesloten: list[dict[str, str]] = []
    volwassenen = huishouden.getelde_volwassenen
    if _has_role(volwassenen, "slachtoffer"):
        _fire(trace, "onderdelen.slachtofferhulp")
        chosen.add("slachtofferhulp")
    if _has_role(volwassenen, "pleger"):
        _fire(trace, "onderdelen.plegerhulp")
        chosen.add("plegerhulp")

    redenen: list[str] = []
    if casus["geweld"]["intieme_terreur"]:
        _fire(trace, "onderdelen.systeemgerichte_hulp_uitgesloten")
        redenen.append("intieme terreur")
    if "schadelijke_traditionele_praktijken" in casus["geweld"]["vormen"]:
        _fire(trace, "onderdelen.systeemgerichte_hulp_uitgesloten_eergerelateerd")
        redenen.append("eergerelateerd geweld")
    if not volwassenen:
        _fire(trace, "onderdelen.systeemgerichte_hulp_uitgesloten_geen_volwassene")
        redenen.append("geen meewerkende volwassene")
    elif huishouden.deelnemers < (minimum := param(params, "systeemgerichte_hulp.minimum_deelnemers")):
        _fire(trace, "onderdelen.systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers")
        redenen.append(f"minder dan {_telwoord(minimum)} deelnemers")
    if redenen:
        uitgesloten.append({"onderdeel": "systeemgerichte_hulp", "reden": _opsomming(redenen)})
        _fire(trace, "onderdelen.specialistische_individuele_hulp")
        chosen.add("specialistische_individuele_hulp")
    else:
        _fire(trace, "onderdelen.systeemgerichte_hulp")
        chosen.add("systeemgerichte_hulp")

    if huishouden.kinderen:
        if volwassenen:
            _fire(trace, "onderdelen.opvoedondersteuning")
            chosen.add("opvoedondersteuning")
        else:
            _fire(trace, "onderdelen.opvoedondersteuning_uitgesloten")
            uitgesloten.append({"onderdeel": "opvoedondersteuning", "reden": "geen meewerkende ouder of verzorger"})
        _fire(trace, "onderdelen.kindgerichte_hulp")
        chosen.add("kindgerichte_hulp")
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


# --------------------------------------------------------------------------- the beschikking


def _gebied(resultaatgebied: str, wet: str, voor: str, trede: int | None = None) -> dict[str, Any]:
    return {"resultaatgebied": resultaatgebied, "wet": wet, "voor": voor, "trede": trede}


def resultaatgebieden(
    huishouden: Huishouden,
    gekozen_perceel: str,
    budget_: dict[str, Any],
    maatwerk_: list[str],
    trace: Trace,
) -> list[dict[str, Any]]:
    """What the beschikking contains: per counted adult, for the children, per maatwerk entry and adult."""
    _fire(trace, "resultaatgebieden.beschikking")
    gebieden: list[dict[str, Any]] = []
    trede = budget_["treden"]
    for lid in huishouden.getelde_volwassenen:
        voor = lid["id"]
        gebieden.append(_gebied("duurzame_veiligheid_herstel_systeemdynamiek", "wmo", voor))
        if gekozen_perceel == "extramuraal":
            gebieden.append(_gebied("sociaal_persoonlijk_functioneren", "wmo", voor))
            gebieden.append(_gebied("ondersteuning_zelfzorg_gezondheid", "wmo", voor))
        elif voor in huishouden.verblijvers:  # residential support only for who comes along
            ondersteuning = _ONDERSTEUNING_KEY[gekozen_perceel]
            gebieden.append(_gebied(ondersteuning, "wmo", voor, trede[ondersteuning]))
            gebieden.append(_gebied("nachtelijke_ondersteuning", "wmo", voor, trede["nachtelijke_ondersteuning"]))
            if gekozen_perceel == "intramuraal":
                gebieden.append(_gebied("verblijf", "wmo", voor))
    if huishouden.kinderen:
        for naam in ("jeugd_ondersteuning", "jeugd_behandeling", "jeugd_begeleiding_ouders_omgeving"):
            gebieden.append(_gebied(naam, "jeugdwet", "kinderen"))
    # verblijf for the children follows budget.verblijf.meekomende_kinderen (children by age)
    if gekozen_perceel == "intramuraal" and huishouden.meekomende_kinderen > 0:
        gebieden.append(_gebied("verblijf", "wmo", "kinderen"))
    for naam in maatwerk_:
        for lid in huishouden.getelde_volwassenen:
            gebieden.append(_gebied(naam, "wmo", lid["id"]))
    return gebieden


# --------------------------------------------------------------------------- step 10


def huishouden_signaleringen(
    casus: Casus, huishouden: Huishouden, gekozen_perceel: str | None, trace: Trace
) -> list[str]:
    """Step 10: the household signals (HG-arrangement and basishulp), in decisions.md order."""
    signalen = set(casus["signalen"])
    leden = casus["leden"]
    geweld = casus["geweld"]
    woonplaats = casus["woonplaats"]
    conditions = {
        "geen_meewerkende_volwassene": not huishouden.getelde_volwassenen,
        "ggz_via_zvw": "ggz" in signalen,
        "afstemmen_andere_gemeente": any(lid["woont_buiten_gemeente"] for lid in leden),
        "woonplaats_buiten_rotterdam": woonplaats == "elders"
        or (woonplaats == "regiogemeente" and gekozen_perceel in (None, "extramuraal")),
        "pleger_niet_meewerkend": any("pleger" in lid["rollen"] and not lid["meewerkend"] for lid in leden),
        "slachtoffer_niet_meewerkend": any(
            "slachtoffer" in lid["rollen"] and lid["in_beeld"] and not lid["meewerkend"] for lid in leden
        ),
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


# --------------------------------------------------------------------------- fase (004)


def fase(casus: Casus, route: str, trace: Trace) -> str | None:
    """Where the household stands: acute danger on every route, else stable safety or recovery (HG only)."""
    if casus["veiligheid"]["acuut"]:
        return "directe_veiligheid"  # concluded by veiligheid.directe_veiligheid_eerst
    if route != ROUTE_HG:
        return None
    if casus["veiligheid"]["niveau"] in ("midden", "hoog"):
        _fire(trace, "fase.stabiele_veiligheid")
        return "stabiele_veiligheid"
    _fire(trace, "fase.herstel")
    return "herstel"


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
        "resultaatgebieden": [],
        "duur_maanden": None,
    }


def arrangement(
    casus: Casus, huishouden: Huishouden, params: Params, trace: Trace, bij: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Steps 5-9 and the beschikking for a household that gets an HG-arrangement; `bij`: the scenario's added
    rules that hold."""
    bij = bij or []
    gekozen_perceel = perceel(casus, trace)
    minima = [int(r["dan"]["minimum_pakket"]) for r in bij if "minimum_pakket" in r["dan"]]
    gekozen_pakket = pakket(casus, gekozen_perceel, params, trace, max(minima) if minima else None)
    vrij = vrije_trede(gekozen_perceel, len(huishouden.kinderen), params, trace)
    vrij = vrij or any(r["dan"].get("vrije_trede") is True for r in bij)
    duur = duur_maanden(params, trace)
    gekozen_budget = budget(huishouden, gekozen_perceel, gekozen_pakket, duur, params, trace)
    delen, uitgesloten = onderdelen(casus, huishouden, params, trace)
    gekozen_maatwerk = maatwerk(casus, gekozen_perceel, trace)
    for regel in bij:
        delen, uitgesloten = _onderdelen_bij(regel["dan"], casus, huishouden, params, delen, uitgesloten)
        gekozen_maatwerk = _maatwerk_bij(regel["dan"], gekozen_perceel, gekozen_maatwerk)
    return {
        "perceel": gekozen_perceel,
        "pakket": gekozen_pakket,
        "vrije_trede": vrij,
        "naast_bestaande_wmo_zorg": naast_bestaande_wmo_zorg(casus),
        "budget": gekozen_budget,
        "onderdelen": delen,
        "uitgesloten_onderdelen": uitgesloten,
        "maatwerk": gekozen_maatwerk,
        "resultaatgebieden": resultaatgebieden(huishouden, gekozen_perceel, gekozen_budget, gekozen_maatwerk, trace),
        "duur_maanden": duur,
    }


def advies(casus: Casus, params: Params, trace: Trace = None, regels_bij: Any = ()) -> dict[str, Any]:
    """The advies for a valid casus whose defaults are filled in (see `with_defaults`); `regels_bij`: a
    scenario's added rules (raw, as in a scenario file)."""
    in_scope = binnen_scope(casus, trace)
    acuut = directe_veiligheid_eerst(casus, trace)
    gevonden_waarschuwingen = waarschuwingen(casus, params, trace)
    huishouden = samenstelling(casus, params, trace)
    signaleringen = ["crisis_directe_veiligheid"] if acuut else []
    instantie = indicerende_instantie(casus, trace)

    result: dict[str, Any] = {"casus_id": casus["casus_id"]}
    if not in_scope:
        route = ROUTE_BUITEN_SCOPE
        details = _empty_arrangement()
        signaleringen.append("strafrechtelijke_aanpak")
    elif toegang_hg_arrangement(casus, params, trace):
        route = ROUTE_HG
        bij = _gelden(regels_bij, casus, huishouden, route, trace)
        details = arrangement(casus, huishouden, params, trace, bij)
        signaleringen += huishouden_signaleringen(casus, huishouden, details["perceel"], trace)
        signaleringen = _signalen_bij(bij, signaleringen)
    else:
        route = ROUTE_BASISHULP
        details = _empty_arrangement()
        signaleringen += huishouden_signaleringen(casus, huishouden, None, trace)
        signaleringen = _signalen_bij(_gelden(regels_bij, casus, huishouden, route, trace), signaleringen)

    result.update(
        route=route,
        indicerende_instantie=instantie,
        directe_veiligheid_eerst=acuut,
        fase=fase(casus, route, trace),
        **details,
        signaleringen=signaleringen,
        waarschuwingen=gevonden_waarschuwingen,
    )
    return result


# --------------------------------------------------------------------------- regels_bij (a scenario's added rules)
#
# Read from the contract and docs/decisions.md "Rules added by a scenario", apart from the engine:
# - a rule holds when every test of `wanneer` holds; on a list (`signalen`, `geweld.vormen`) `bevat` = all given
#   values are in it, `niet` = none is, `in` = at least one is, `gelijk` = exactly these; on a value `gelijk`,
#   `niet`, `in`, `min` (>=), `max` (<=); `aantal_kinderen` counts the children in beeld and
#   `aantal_volwassenen_geteld` the counted adults;
# - a rule with a consequence in the arrangement holds only in the HG-arrangement, a rule with only a signal
#   also on basishulp (never outside scope);
# - minimum_pakket: the pakket is at least that (not next to existing Wmo care); vrije_trede: true;
# - per rule, in regels_bij order: onderdeel_bij (not when advised already, when a safety rule excludes it or
#   nobody can receive it, or when it is excluded), then onderdeel_uit (only when advised: taken out, excluded
#   with its reden; systeemgerichte hulp out brings specialistische individuele hulp), then maatwerk_bij (not
#   twice, and nachtelijke ondersteuning not semi/intramurally); signals after the project's, once per code.

_ARRANGEMENT_GEVOLGEN = ("minimum_pakket", "onderdeel_uit", "onderdeel_bij", "vrije_trede", "maatwerk_bij")
_LIJSTPADEN = ("signalen", "geweld.vormen")


def _lijst_van(waarde: Any) -> list[Any]:
    return list(waarde) if isinstance(waarde, list) else [waarde]


def _casuswaarde(casus: Casus, huishouden: Huishouden, pad: str) -> Any:
    if pad == "aantal_kinderen":
        return len(huishouden.kinderen)
    if pad == "aantal_volwassenen_geteld":
        return len(huishouden.getelde_volwassenen)
    waarde: Any = casus
    for deel in pad.split("."):
        waarde = waarde[deel]
    return waarde


def _toets(waarde: Any, toets: str, verwacht: Any, lijst: bool) -> bool:
    if lijst:
        gegeven = set(_lijst_van(verwacht))
        return {
            "bevat": gegeven <= set(waarde),
            "niet": not gegeven & set(waarde),
            "in": bool(gegeven & set(waarde)),
            "gelijk": gegeven == set(waarde),
        }[toets]
    if toets == "gelijk":
        return bool(waarde == verwacht)
    if toets == "niet":
        return bool(waarde != verwacht)
    if toets == "in":
        return waarde in verwacht
    if toets == "min":
        return bool(waarde >= verwacht)
    return bool(waarde <= verwacht)  # max


def _gelden(regels: Any, casus: Casus, huishouden: Huishouden, route: str, trace: Trace) -> list[dict[str, Any]]:
    """The added rules that hold for this casus on `route`, in order."""
    found = []
    for regel in regels or ():
        in_arrangement = any(g in regel["dan"] for g in _ARRANGEMENT_GEVOLGEN)
        if in_arrangement and route != ROUTE_HG:
            continue
        if all(_toets(_casuswaarde(casus, huishouden, pad), toets, verwacht, pad in _LIJSTPADEN)
               for pad, toetsen in (regel.get("wanneer") or {}).items() for toets, verwacht in toetsen.items()):
            _fire(trace, regel["id"])
            found.append(regel)
    return found


def _kan_niet_erbij(onderdeel: str, casus: Casus, huishouden: Huishouden, params: Params,
                    uitgesloten: list[dict[str, str]]) -> bool:
    volwassenen, kinderen = huishouden.getelde_volwassenen, huishouden.kinderen
    if onderdeel == "systeemgerichte_hulp":
        minimum = param(params, "systeemgerichte_hulp.minimum_deelnemers")
        if (casus["geweld"]["intieme_terreur"] or "schadelijke_traditionele_praktijken" in casus["geweld"]["vormen"]
                or not volwassenen or huishouden.deelnemers < minimum):
            return True
    if onderdeel in ("opvoedondersteuning", "kindgerichte_hulp") and not kinderen:
        return True
    if onderdeel == "opvoedondersteuning" and not volwassenen:
        return True
    if onderdeel == "slachtofferhulp" and not _has_role(volwassenen, "slachtoffer"):
        return True
    if onderdeel == "plegerhulp" and not _has_role(volwassenen, "pleger"):
        return True
    return any(u["onderdeel"] == onderdeel for u in uitgesloten)


def _onderdelen_bij(dan: dict[str, Any], casus: Casus, huishouden: Huishouden, params: Params, delen: list[str],
                    uitgesloten: list[dict[str, str]]) -> tuple[list[str], list[dict[str, str]]]:
    chosen, uit = set(delen), list(uitgesloten)
    for onderdeel in _lijst_van(dan.get("onderdeel_bij", [])):
        if onderdeel not in chosen and not _kan_niet_erbij(onderdeel, casus, huishouden, params, uit):
            chosen.add(onderdeel)
    for item in _lijst_van(dan.get("onderdeel_uit", [])):
        if item["onderdeel"] in chosen:
            chosen.discard(item["onderdeel"])
            uit.append({"onderdeel": item["onderdeel"], "reden": " ".join(item["reden"].split())})
            if item["onderdeel"] == "systeemgerichte_hulp":
                chosen.add("specialistische_individuele_hulp")
    uit.sort(key=lambda u: ONDERDELEN_ORDER.index(u["onderdeel"]))
    return [name for name in ONDERDELEN_ORDER if name in chosen], uit


def _maatwerk_bij(dan: dict[str, Any], gekozen_perceel: str, gekozen: list[str]) -> list[str]:
    result = list(gekozen)
    for gebied in _lijst_van(dan.get("maatwerk_bij", [])):
        if gebied == "nachtelijke_ondersteuning" and gekozen_perceel in SEMI_INTRA:
            continue
        if gebied not in result:
            result.append(gebied)
    return result


def _signalen_bij(bij: list[dict[str, Any]], signaleringen: list[str]) -> list[str]:
    result = list(signaleringen)
    for regel in bij:
        signaal = regel["dan"].get("signalering")
        if signaal and signaal["code"] not in result:
            result.append(signaal["code"])
    return result
