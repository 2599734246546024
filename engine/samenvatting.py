"""The samenvatting: one to four plain Dutch sentences with the decisive reasons first.

Acute danger first; then the route with perceel and pakket and the combination that decided them; then
what is excluded and why; then the most pressing safety signal, or else the weekly budget. Built from
what the rules concluded (the working memory), never decided here.
"""

from __future__ import annotations

from engine.casus import Casus
from engine.context import Work
from engine.taal import PERCEEL_BIJVOEGLIJK, RISICO, label, opsomming, uren

__all__ = ["samenvatting"]

_VEILIGHEIDSSIGNALEN = {
    "geen_meewerkende_volwassene": "Geen volwassene werkt mee: overleg met Veilig Thuis over een veiligheidsplan{jbp}.",
    "slachtoffer_niet_meewerkend": "Het slachtoffer werkt (nog) niet mee: overleg met Veilig Thuis over de veiligheid.",
    "pleger_niet_meewerkend": "De pleger werkt niet mee: let op voortgaand geweld en betrek politie en Veilig Thuis.",
}


def _perceel_reden(perceel: str) -> str:
    if perceel == "intramuraal":
        return "intramuraal, omdat zelfstandig wonen niet veilig is"
    if perceel == "semimuraal":
        return "semimuraal, omdat 24-uursondersteuning in de nabijheid nodig is"
    return "extramuraal"


def _pakket_reden(casus: Casus, work: Work, pakket: int) -> str:
    kandidaten: dict[str, int] = dict(work.data.get("pakket_kandidaten", []))
    niveau, vaardigheden = casus.veiligheid.niveau, casus.vaardigheden
    reden = f"pakket {pakket}, omdat het veiligheidsrisico {RISICO[niveau]} is en de vaardigheden {vaardigheden} zijn"
    matrix = kandidaten.get("matrix")
    if matrix is not None and matrix < pakket:
        verhogingen = []
        if kandidaten.get("intieme_terreur") == pakket:
            verhogingen.append("intieme terreur")
        if kandidaten.get("semi_intramuraal") == pakket:
            verhogingen.append(f"het ontbreken van pakket {matrix} bij {PERCEEL_BIJVOEGLIJK[work.slots['perceel']]} "
                               "ondersteuning")
        if any(bron.startswith("scenario.") and p == pakket for bron, p in kandidaten.items()):
            verhogingen.append("een regel van het scenario")  # an added rule's minimum (engine.scenario_gevolgen)
        if verhogingen:
            reden += f" (pakket {matrix}, verhoogd vanwege {opsomming(verhogingen)})"
    return reden


def _route_zin(casus: Casus, work: Work) -> str:
    slots = work.slots
    route = slots.get("route")
    if route == "buiten_scope":
        return ("Het geweld komt niet uit de huiselijke of familiekring: dit valt buiten het HG-arrangement en vraagt "
                "een strafrechtelijke aanpak.")
    if route == "basishulp_wijkteam":
        if not casus.geweld.structureel:
            reden = "de onveiligheid niet structureel is"
        else:
            reden = "de hulp naar verwachting kort duurt en niet specialistisch is"
        return f"Advies: kortdurende basishulp door het wijkteam, omdat {reden}."
    perceel, pakket = slots.get("perceel"), slots.get("pakket")
    if perceel is None or pakket is None:
        return "Advies: een HG-arrangement."
    if slots.get("naast_bestaande_wmo_zorg"):
        zin = (f"Advies: HG-pakket {pakket} naast de bestaande {PERCEEL_BIJVOEGLIJK[casus.bestaande_wmo_zorg]} "
               "Wmo-zorg, indien nodig; het huishouden houdt zijn plek")
    else:
        perceel_deel = _perceel_reden(perceel)
        zin = (f"Advies: een HG-arrangement, {perceel_deel}{', en' if ',' in perceel_deel else ','} "
               f"{_pakket_reden(casus, work, pakket)}")
    if slots.get("vrije_trede") and work.data.get("vrije_trede_door_scenario"):  # engine.scenario_gevolgen
        zin += "; volgens een regel van het scenario kan de indicatiesteller een vrije trede met een budget op maat " \
               "toepassen"
    elif slots.get("vrije_trede"):
        zin += "; bij dit grote gezin kan de indicatiesteller een vrije trede met een budget op maat toepassen"
    return zin + "."


def _uitsluiting_zin(work: Work, uitgesloten: list[dict[str, str]]) -> str | None:
    if not uitgesloten:
        return None
    delen = [f"{label(u['onderdeel'])} ({u['reden']})" for u in uitgesloten]
    zin = f"Niet ingezet: {opsomming(delen)}"
    if "specialistische_individuele_hulp" in work.lists.get("onderdelen", ()):
        zin += "; in plaats van systeemgerichte hulp komt specialistische individuele hulp"
    return zin + "."


def _slot_zin(work: Work, per_week: float | None) -> str | None:
    codes = [s["code"] for s in work.lists.get("signaleringen", [])]
    for code, zin in _VEILIGHEIDSSIGNALEN.items():
        if code in codes:
            jbp = " en met het Jeugdbeschermingsplein" if work.data.get("kinderen") else ""
            return zin.format(jbp=jbp)
    if per_week is None:
        return None
    return (f"Het weekbudget is {uren(per_week)}; de uren bepalen alleen de omvang van het budget, de gemeente "
            "indiceert resultaten.")


def samenvatting(casus: Casus, work: Work, per_week: float | None, uitgesloten: list[dict[str, str]]) -> str:
    """The samenvatting; `per_week` is the weekly budget in hours (None without an arrangement),
    `uitgesloten` the advies' excluded onderdelen (one entry each, reasons joined)."""
    zinnen = []
    if work.slots.get("directe_veiligheid_eerst"):
        zinnen.append("Er is acuut gevaar: regel eerst de directe veiligheid (crisisdienst van Veilig Thuis, "
                      "crisisopvang of een tijdelijk huisverbod); dit advies is voor de hulp daarna.")
    zinnen.append(_route_zin(casus, work))
    for zin in (_uitsluiting_zin(work, uitgesloten), _slot_zin(work, per_week)):
        if zin:
            zinnen.append(zin)
    return " ".join(zinnen[:4])
