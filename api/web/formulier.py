"""The casus form: every choice read from the Casus model, form fields to a casus dict, errors to fields.

Field names follow the contract's paths with `-` for `.` and `[i]` (`leden-0-leeftijd`, `geweld-vormen`),
and so do the HTML ids, so an error's `veld` (`leden[0].leeftijd`) finds its input. Under its label each field
has its help text (`hulp`, from api/web/hulpteksten.yaml). The form never asks for a name, BSN, address or birth
date: it has no such field, and the model refuses them anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from api.web.hulpteksten import hulp
from engine.casus import Casus, Geweld, Inzet, Lid, Veiligheid, Woonsituatie
from engine.errors import PERSOONSGEGEVEN_BEGIN, Fout
from engine.identifiers import is_direct_identifier
from engine.taal import invoerveld, invoerwaarde, met_hoofdletter

__all__ = ["Keuze", "Formulier", "LEEG_LID_RIJEN", "MAX_RIJEN", "lees_formulier", "html_id", "hulp", "keuzes",
           "vlaggen", "vormfouten"]

LEEG_LID_RIJEN = 2  # empty member rows shown after the filled ones (adding more needs JavaScript)
MAX_RIJEN = 30


@dataclass(frozen=True)
class Keuze:
    waarde: str
    label: str


def _label(waarde: str) -> str:
    """A choice in words (engine/taal.py): 'Psychische problemen (ggz)', 'Semimurale zorg'."""
    return met_hoofdletter(invoerwaarde(waarde))


def keuzes(model: type[BaseModel], naam: str) -> list[Keuze]:
    """The allowed values of a Literal field (or list of Literals) of the model, in the model's order."""
    annotation: Any = model.model_fields[naam].annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is not Literal:
        raise TypeError(f"{model.__name__}.{naam} is not a choice")
    return [Keuze(w, _label(w)) for w in get_args(annotation)]


def vlaggen(model: type[BaseModel], uitgezonderd: tuple[str, ...] = ()) -> list[tuple[str, str, bool]]:
    """The model's boolean fields that have a default: (name, label, default)."""
    out = []
    for naam, info in model.model_fields.items():
        if info.annotation is bool and not info.is_required() and naam not in uitgezonderd:
            out.append((naam, invoerveld(naam, hoofdletter=True), bool(info.default)))
    return out


def html_id(veld: str) -> str:
    """`leden[1].leeftijd` -> `leden-1-leeftijd`."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", veld.replace("[", "-").replace("].", "-").replace("]", "")).strip("-")


@dataclass
class Formulier:
    """What the form shows: entered values (by HTML id), member rows, errors by HTML id and as a list."""

    waarden: dict[str, Any] = field(default_factory=dict)
    rijen: int = 1 + LEEG_LID_RIJEN
    fouten: dict[str, list[str]] = field(default_factory=dict)
    samenvatting: list[tuple[str, str, str]] = field(default_factory=list)  # (html id, veld, melding)

    def fout(self, sleutel: str) -> list[str]:
        return self.fouten.get(sleutel, [])


CASUS_KEUZES = {"woonplaats": keuzes(Casus, "woonplaats"), "vaardigheden": keuzes(Casus, "vaardigheden"),
                "bestaande_wmo_zorg": keuzes(Casus, "bestaande_wmo_zorg"), "signalen": keuzes(Casus, "signalen"),
                "rollen": keuzes(Lid, "rollen"), "vormen": keuzes(Geweld, "vormen"),
                "niveau": keuzes(Veiligheid, "niveau")}
LID_VLAGGEN = vlaggen(Lid)
WOON_VLAGGEN = vlaggen(Woonsituatie)
GEWELD_VLAGGEN = vlaggen(Geweld)  # intieme_terreur; the two required booleans are asked as ja/nee
VEILIGHEID_VLAGGEN = vlaggen(Veiligheid)
INZET_VLAGGEN = vlaggen(Inzet)
GEWELD_JA_NEE = [n for n, info in Geweld.model_fields.items() if info.annotation is bool and info.is_required()]


_DUUR = Inzet.model_fields["verwachte_duur_maanden"]


def standaard() -> Formulier:
    """An empty form with the model's defaults filled in."""
    waarden: dict[str, Any] = {"woonplaats": Casus.model_fields["woonplaats"].default,
                               "bestaande_wmo_zorg": Casus.model_fields["bestaande_wmo_zorg"].default,
                               "inzet-verwachte_duur_maanden": str(_DUUR.default)}
    for groep, lijst in (("woonsituatie", WOON_VLAGGEN), ("geweld", GEWELD_VLAGGEN),
                         ("veiligheid", VEILIGHEID_VLAGGEN), ("inzet", INZET_VLAGGEN)):
        for naam, _, default in lijst:
            waarden[f"{groep}-{naam}"] = default
    for i in range(1 + LEEG_LID_RIJEN):
        _lid_standaard(waarden, i)
    return Formulier(waarden=waarden)


def _lid_standaard(waarden: dict[str, Any], i: int) -> None:
    for naam, _, default in LID_VLAGGEN:
        waarden[f"leden-{i}-{naam}"] = default
    waarden[f"leden-{i}-rollen"] = []
    waarden[f"leden-{i}-verblijft_mee"] = ""


# `verblijft_mee` is yes, no or the rules' default (absent), so it is a choice, not a checkbox.
VERBLIJFT_MEE = [Keuze("", "Standaard (kinderen in beeld en meetellende volwassenen, geen pleger)"),
                 Keuze("ja", "Komt mee"), Keuze("nee", "Blijft thuis")]


def _getal(tekst: str) -> int | str:
    """An integer when the text is one; otherwise the text, for the model to refuse with its message."""
    tekst = tekst.strip()
    return int(tekst) if re.fullmatch(r"-?\d{1,9}", tekst) else tekst


def lees_formulier(velden: dict[str, list[str]]) -> tuple[dict[str, Any], Formulier, list[int]]:
    """The casus dict for the model, the form as entered, and per casus member the form row it came from."""
    def een(naam: str) -> str:
        return (velden.get(naam) or [""])[0]

    def aan(naam: str) -> bool:
        return een(naam) == "ja"

    formulier = Formulier()
    w = formulier.waarden
    casus: dict[str, Any] = {}
    for naam in ("casus_id", "peildatum", "woonplaats", "vaardigheden", "bestaande_wmo_zorg"):
        w[naam] = een(naam).strip()
        if w[naam]:
            casus[naam] = w[naam]
    if "casus_id" not in casus:
        casus["casus_id"] = ""

    leden: list[dict[str, Any]] = []
    rijen: list[int] = []
    for i in range(MAX_RIJEN):
        lid_id, leeftijd = een(f"leden-{i}-id").strip(), een(f"leden-{i}-leeftijd").strip()
        w[f"leden-{i}-id"], w[f"leden-{i}-leeftijd"] = lid_id, leeftijd
        w[f"leden-{i}-rollen"] = velden.get(f"leden-{i}-rollen", [])
        for naam, _, _ in LID_VLAGGEN:
            w[f"leden-{i}-{naam}"] = aan(f"leden-{i}-{naam}")
        w[f"leden-{i}-verblijft_mee"] = mee = een(f"leden-{i}-verblijft_mee")
        if not lid_id and not leeftijd:
            continue
        lid: dict[str, Any] = {"id": lid_id, "leeftijd": _getal(leeftijd) if leeftijd else None}
        if lid["leeftijd"] is None:
            del lid["leeftijd"]
        if w[f"leden-{i}-rollen"]:
            lid["rollen"] = w[f"leden-{i}-rollen"]
        lid.update({naam: w[f"leden-{i}-{naam}"] for naam, _, _ in LID_VLAGGEN})
        if mee:  # "ja"/"nee"; anything else goes to the model as text, which refuses it by name
            lid["verblijft_mee"] = {"ja": True, "nee": False}.get(mee, mee)
        leden.append(lid)
        rijen.append(i)
    casus["leden"] = leden
    laatste = max(rijen, default=-1)
    formulier.rijen = max(laatste + 1 + LEEG_LID_RIJEN, 1 + LEEG_LID_RIJEN)
    for i in range(laatste + 1, formulier.rijen):
        _lid_standaard(w, i)

    geweld: dict[str, Any] = {}
    for naam in GEWELD_JA_NEE:
        w[f"geweld-{naam}"] = een(f"geweld-{naam}")
        if w[f"geweld-{naam}"] in ("ja", "nee"):
            geweld[naam] = w[f"geweld-{naam}"] == "ja"
    w["geweld-vormen"] = velden.get("geweld-vormen", [])
    geweld["vormen"] = w["geweld-vormen"]
    casus["geweld"] = geweld | _vlaggen(w, velden, "geweld", GEWELD_VLAGGEN)

    veiligheid: dict[str, Any] = {}
    w["veiligheid-niveau"] = een("veiligheid-niveau")
    if w["veiligheid-niveau"]:
        veiligheid["niveau"] = w["veiligheid-niveau"]
    casus["veiligheid"] = veiligheid | _vlaggen(w, velden, "veiligheid", VEILIGHEID_VLAGGEN)
    casus["woonsituatie"] = _vlaggen(w, velden, "woonsituatie", WOON_VLAGGEN)

    w["inzet-verwachte_duur_maanden"] = een("inzet-verwachte_duur_maanden").strip()
    inzet: dict[str, Any] = dict(_vlaggen(w, velden, "inzet", INZET_VLAGGEN))
    if w["inzet-verwachte_duur_maanden"]:
        inzet["verwachte_duur_maanden"] = _getal(w["inzet-verwachte_duur_maanden"])
    casus["inzet"] = inzet
    w["signalen"] = velden.get("signalen", [])
    casus["signalen"] = w["signalen"]
    return casus, formulier, rijen


def _vlaggen(w: dict[str, Any], velden: dict[str, list[str]], groep: str,
             lijst: list[tuple[str, str, bool]]) -> dict[str, bool]:
    out = {}
    for naam, _, _ in lijst:
        w[f"{groep}-{naam}"] = (velden.get(f"{groep}-{naam}") or [""])[0] == "ja"
        out[naam] = w[f"{groep}-{naam}"]
    return out


_LID = re.compile(r"^leden\[(\d+)\]")
_KEUZEVELDEN = frozenset({"woonplaats", "vaardigheden", "bestaande_wmo_zorg", "geweld-binnen_huiselijke_kring",
                          "geweld-structureel", "veiligheid-niveau"})  # radio buttons: one is chosen
_TUSSEN = re.compile(r"^moet tussen (-?\d+) en (-?\d+) liggen$")
_MINSTENS = re.compile(r"^moet (minstens|hoogstens) (-?\d+) zijn$")


def als_opdracht(melding: str, sleutel: str) -> str:
    """The model's message for an API client ('verplicht veld ontbreekt', 'moet tussen 0 en 120 liggen') as what
    to do on the form ('maak een keuze', 'vul een getal van 0 tot en met 120 in'); any other message as it is."""
    if melding == "verplicht veld ontbreekt":
        if sleutel == "leden":
            return "vul ten minste één gezinslid in, met een pseudoniem en een leeftijd"
        return "maak een keuze" if sleutel in _KEUZEVELDEN else "vul dit veld in"
    if melding == "moet een geheel getal zijn":
        return "vul een heel getal in, zonder komma (bijvoorbeeld 36)"
    if melding.startswith("moet een van de volgende waarden zijn"):
        return "kies een van de mogelijkheden"
    if tussen := _TUSSEN.match(melding):
        return f"vul een getal van {tussen[1]} tot en met {tussen[2]} in"
    if grens := _MINSTENS.match(melding):
        return f"vul een getal van {'ten minste' if grens[1] == 'minstens' else 'ten hoogste'} {grens[2]} in"
    return melding


def koppel_fouten(formulier: Formulier, fouten: list[Fout], rijen: list[int]) -> None:
    """Put each error next to its field: member indexes become form rows; the rest by path."""
    for fout in fouten:
        veld = _LID.sub(lambda m: f"leden[{rijen[int(m.group(1))]}]" if int(m.group(1)) < len(rijen)
                        else m.group(0), fout.veld)
        if veld == "leden" and not rijen:
            veld = "leden[0].id"
        sleutel = html_id(veld) if veld != "(casus)" else "casus_id"
        if fout.melding.startswith(PERSOONSGEGEVEN_BEGIN) and sleutel in formulier.waarden:
            formulier.waarden[sleutel] = ""  # personal data is not shown again (nor kept in the page's cache)
        melding = als_opdracht(fout.melding, sleutel)
        formulier.fouten.setdefault(sleutel, []).append(melding)
        formulier.samenvatting.append((sleutel, leesbaar(veld), melding))


def leesbaar(veld: str) -> str:
    """An error path for people: `leden[1].leeftijd` -> `Gezinslid 2, leeftijd`."""
    if veld == "(casusformulier)":
        return "Formulier"
    lid = _LID.match(veld)
    if lid:
        rest = veld[lid.end():].lstrip(".")
        veld = f"Gezinslid {int(lid.group(1)) + 1}" + (f", {rest}" if rest else "")
    return met_hoofdletter(veld.replace(".", ", ").replace("_", " "))


_LID_VELD = re.compile(r"leden-(\d+)-(.+)")
_LID_NAMEN = frozenset({"id", "leeftijd", "rollen", "verblijft_mee", *(naam for naam, _, _ in LID_VLAGGEN)})
_VASTE_NAMEN = frozenset({
    "csrf", "casus_id", "peildatum", "woonplaats", "vaardigheden", "bestaande_wmo_zorg", "signalen",
    "vorig_advies_id",  # hidden: the advies a herindicatie started from (api/web/herindicatie.py)
    "geweld-vormen", "veiligheid-niveau", "inzet-verwachte_duur_maanden",
    *(f"geweld-{naam}" for naam in GEWELD_JA_NEE),
    *(f"{groep}-{naam}" for groep, lijst in (("woonsituatie", WOON_VLAGGEN), ("geweld", GEWELD_VLAGGEN),
                                             ("veiligheid", VEILIGHEID_VLAGGEN), ("inzet", INZET_VLAGGEN))
      for naam, _, _ in lijst),
})


def vormfouten(velden: dict[str, list[str]]) -> list[Fout]:
    """Fields the form does not have, and members beyond its last row: refused, never silently dropped
    (an extra field could carry a name or BSN; a dropped row would change the advies unseen)."""
    fouten: list[Fout] = []
    te_veel = False
    for naam in velden:
        lid = _LID_VELD.fullmatch(naam)
        if lid and lid[2] in _LID_NAMEN:
            if int(lid[1]) >= MAX_RIJEN and any(w.strip() for w in velden[naam]):
                te_veel = True
            continue
        if naam in _VASTE_NAMEN:
            continue
        if is_direct_identifier(lid[2] if lid else naam):
            fouten.append(Fout("(casusformulier)", "directe identificatie is niet toegestaan; de casus moet "
                                              "geanonimiseerd zijn"))
        else:
            fouten.append(Fout("(casusformulier)", "onbekend veld in het formulier; niet toegestaan"))
    if te_veel:
        fouten.append(Fout("leden", f"te veel gezinsleden: het formulier heeft ten hoogste {MAX_RIJEN} rijen"))
    return list(dict.fromkeys(fouten))
