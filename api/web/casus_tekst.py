"""The casus as entered, a besluit and a source in the words of a professional: shared by the advies page and
its PDF (api/pdf.py), so the screen, the print and the dossier say the same.

Every value is shown in Dutch (yes/no, role words, the form's choices); codes of the contract go through the
words of engine/taal.py (`invoerwaarde`, `veldnaam`). Dates are Dutch ("1 september 2021").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from api.web import pagina as p
from engine.taal import invoerveld, invoerwaarde, opsomming, veldnaam
from rules.bronnen import bron_voluit

__all__ = ["Lidregel", "CasusTekst", "casus_in_woorden", "bron_in_woorden", "afwijkingen_in_woorden", "datum", "klok",
           "tijdstip"]

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december")

def ja_nee(w: object) -> str:
    return "ja" if w else "nee"


def klok(moment: dt.datetime) -> str:
    """The local time of day (Europe/Amsterdam) of a stored (UTC) time: '10:05'."""
    return p.lokale_tijd(moment)[-5:]


def tijdstip(moment: dt.datetime) -> str:
    """A stored (UTC) time in words, local (Europe/Amsterdam): 'maandag 30 november 2026 om 10:05'."""
    return f"{p.datum_lang(moment)} om {klok(moment)}"


def datum(waarde: object) -> str:
    """A date (or 'YYYY-MM-DD') in Dutch: '1 september 2021'; anything else as it is."""
    dag: object = waarde
    if isinstance(waarde, str):
        try:
            dag = dt.date.fromisoformat(waarde)
        except ValueError:
            return waarde
    if isinstance(dag, dt.date):
        return f"{dag.day} {_MAANDEN[dag.month - 1]} {dag.year}"
    return str(waarde)


@dataclass(frozen=True)
class Lidregel:
    """One member of the household as entered."""

    id: str
    rollen: str
    leeftijd: str
    in_beeld: str
    meewerkend: str
    verblijft_mee: str
    bijzonder: str


@dataclass(frozen=True)
class CasusTekst:
    """The casus in words: the members, and groups of (question, answer) under a heading."""

    leden: list[Lidregel]
    groepen: list[tuple[str, list[tuple[str, str]]]]


def _lid(lid: dict[str, Any]) -> Lidregel:
    bijzonder = []
    if lid.get("verlengde_jeugdhulp"):
        bijzonder.append("verlengde jeugdhulp")
    if lid.get("woont_buiten_gemeente"):
        bijzonder.append("woont buiten de gemeente")
    mee = lid.get("verblijft_mee")
    leeftijd = lid.get("leeftijd")
    return Lidregel(
        id=str(lid.get("id", "")),
        rollen=opsomming(invoerwaarde(r) for r in lid.get("rollen") or ["gezinslid"]),
        leeftijd=f"{leeftijd} jaar" if leeftijd is not None else "onbekend",
        in_beeld=ja_nee(lid.get("in_beeld", True)),
        meewerkend=ja_nee(lid.get("meewerkend", True)),
        verblijft_mee="standaard" if mee is None else ("komt mee" if mee else "blijft thuis"),
        bijzonder=opsomming(bijzonder) or "geen",
    )


def casus_in_woorden(casus: dict[str, Any]) -> CasusTekst:
    """The stored casus (its JSON, every field present with its default) as the professional entered it."""
    geweld = casus.get("geweld") or {}
    veiligheid = casus.get("veiligheid") or {}
    wonen = casus.get("woonsituatie") or {}
    inzet = casus.get("inzet") or {}
    duur = inzet.get("verwachte_duur_maanden", 12)
    groepen: list[tuple[str, list[tuple[str, str]]]] = [
        ("Casus", [("Casusnummer", str(casus.get("casus_id", ""))),
                   ("Peildatum", datum(casus.get("peildatum", ""))),
                   ("Woonplaats", invoerwaarde(casus.get("woonplaats", "rotterdam")))]),
        ("Geweld", [(invoerveld("binnen_huiselijke_kring", True), ja_nee(geweld.get("binnen_huiselijke_kring"))),
                    (invoerveld("structureel", True), ja_nee(geweld.get("structureel"))),
                    ("Vormen van geweld",
                     opsomming(invoerwaarde(v) for v in geweld.get("vormen") or []) or "geen genoemd"),
                    (invoerveld("intieme_terreur", True), ja_nee(geweld.get("intieme_terreur")))]),
        ("Veiligheid en vaardigheden", [("Veiligheidsniveau", invoerwaarde(veiligheid.get("niveau", ""))),
                                        (invoerveld("acuut", True), ja_nee(veiligheid.get("acuut"))),
                                        ("Vaardigheden", invoerwaarde(casus.get("vaardigheden", "")))]),
        ("Wonen en bestaande zorg", [
            (invoerveld("dakloos", True), ja_nee(wonen.get("dakloos"))),
            (invoerveld("zelfstandig_wonen_veilig", True), ja_nee(wonen.get("zelfstandig_wonen_veilig", True))),
            (invoerveld("nabijheid_24u_nodig", True), ja_nee(wonen.get("nabijheid_24u_nodig"))),
            ("Bestaande Wmo-zorg", invoerwaarde(casus.get("bestaande_wmo_zorg", "geen")))]),
        ("Signalen en inzet", [
            ("Signalen", opsomming(invoerwaarde(s) for s in casus.get("signalen") or []) or "geen"),
            ("Verwachte duur", f"{duur} {'maand' if duur == 1 else 'maanden'}"),
            (invoerveld("specialistisch", True), ja_nee(inzet.get("specialistisch")))]),
    ]
    return CasusTekst([_lid(lid) for lid in casus.get("leden") or []], groepen)


bron_in_woorden = bron_voluit  # by document and section, the code in brackets (engine/bronnen.py)


def afwijkingen_in_woorden(afwijkingen: list[str]) -> str:
    """The fields a besluit deviates in, in words ('route en pakket'), or 'geen: akkoord'."""
    if not afwijkingen:
        return "geen: akkoord met het advies"
    return opsomming(veldnaam(a) for a in afwijkingen)


p.templates.env.globals["casus_in_woorden"] = casus_in_woorden
p.templates.env.filters["bron_in_woorden"] = bron_in_woorden
p.templates.env.filters["afwijkingen_in_woorden"] = afwijkingen_in_woorden
p.templates.env.filters["datum"] = datum
p.templates.env.filters["klok"] = klok
p.templates.env.filters["tijdstip"] = tijdstip
p.templates.env.filters["ja_nee"] = ja_nee
p.templates.env.filters["casuswoord"] = invoerwaarde
