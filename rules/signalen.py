"""Signaleringen for the professional: GGZ via the Zvw, other gemeenten, a perpetrator who will not
cooperate, and the Verwey-Jonker profielen (003 §3.4). Given with an arrangement and with basishulp."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, fact
from engine.rule import rule
from rules.fasen import Fase

IN_SCOPE = fact("route", F.route != "buiten_scope")


TITELS = {
    "geen_meewerkende_volwassene": "signaal: geen volwassene die meewerkt",
    "ggz_via_zvw": "signaal: GGZ via de Zorgverzekeringswet",
    "afstemmen_andere_gemeente": "signaal: afstemmen met een andere gemeente",
    "woonplaats_buiten_rotterdam": "signaal: woonplaats buiten Rotterdam",
    "pleger_niet_meewerkend": "signaal: pleger werkt niet mee",
    "slachtoffer_niet_meewerkend": "signaal: slachtoffer werkt niet mee",
    "profiel_dwangmatige_controle": "profiel: dwangmatige controle",
    "profiel_hoge_stress": "profiel: hoge stress",
    "profiel_kindproblematiek": "profiel: kindproblematiek",
    "profiel_ggz_lvb": "profiel: GGZ of licht verstandelijke beperking",
    "profiel_vechtscheiding": "profiel: vechtscheiding",
}


def _signaal(w: Work, code: str, omdat: list[str], tekst: str) -> None:
    assert w.rule is not None
    w.add("signaleringen", {"code": code, "tekst": tekst, "regel": w.rule.id})
    w.conclude(TITELS[code], omdat, tekst)


@rule("signalen.geen_meewerkende_volwassene", bron="003 §1.2.2", beleidskeuze=True, fase=Fase.SIGNALEN,
      niveau="hoofdlijn", route=IN_SCOPE, huishouden=fact("huishouden", F.volwassenen_geteld == 0))
def geen_meewerkende_volwassene(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Zonder volwassene die meewerkt, kan vrijwillige hulp niet rond een volwassene worden georganiseerd. Bij
    een verhoogd risico stelt Veilig Thuis een veiligheidsplan op en met kinderen zijn het
    Jeugdbeschermingsplein en de Raad voor de Kinderbescherming betrokken (003 §1.2.2)."""
    kinderen = " en, omdat er kinderen zijn, met het Jeugdbeschermingsplein" if huishouden["kinderen"] else ""
    _signaal(w, "geen_meewerkende_volwassene", ["getelde volwassenen = 0"],
             "Er is geen volwassene die in beeld is en meewerkt: vrijwillige hulp kan niet rond een volwassene "
             f"worden georganiseerd. Overleg met Veilig Thuis over een veiligheidsplan{kinderen}.")


@rule("signalen.ggz_via_zvw", bron="000 Doelen 1-2; 001 §3.1 noot 1", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", F.signaal_ggz == True))  # noqa: E712
def ggz_via_zvw(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """GGZ-hulp voor volwassenen wordt zo nodig via de Zorgverzekeringswet ingezet, buiten het budget."""
    _signaal(w, "ggz_via_zvw", ["signalen bevat ggz"],
             "Er speelt GGZ-problematiek: GGZ-hulp voor volwassenen loopt zo nodig via de Zorgverzekeringswet, "
             "buiten het budget van het arrangement.")


@rule("signalen.afstemmen_andere_gemeente", bron="002 §1.3", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, huishouden=fact("huishouden", F.lid_buiten_gemeente == True))  # noqa: E712
def afstemmen_andere_gemeente(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Woont een (ex-)partner buiten Rotterdam, dan wordt met die gemeente afgestemd (002 §1.3)."""
    _signaal(w, "afstemmen_andere_gemeente", ["een gezinslid woont buiten de gemeente"],
             "Een gezinslid (bijvoorbeeld een ex-partner) woont buiten de gemeente: stem de hulp en de veiligheid "
             "af met die gemeente.")


@rule("signalen.woonplaats_elders", bron="002 §1.3", beleidskeuze=True, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", F.woonplaats == "elders"))
def woonplaats_elders(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Extramurale hulp is voor inwoners van Rotterdam; semi-/intramurale hulp koopt Rotterdam als
    centrumgemeente ook in voor de regiogemeenten, niet voor gemeenten daarbuiten (002 §1.3)."""
    _signaal(w, "woonplaats_buiten_rotterdam", ["woonplaats = elders"],
             "Het huishouden woont buiten Rotterdam en de regio: de eigen gemeente is verantwoordelijk voor de "
             "hulp. Dit advies laat zien wat in Rotterdam passend zou zijn.")


@rule("signalen.regiogemeente_extramuraal", bron="002 §1.3", beleidskeuze=True, fase=Fase.SIGNALEN,
      perceel=fact("perceel", F.perceel == "extramuraal"), casus=fact("casus", F.woonplaats == "regiogemeente"))
def regiogemeente_extramuraal(w: Work, perceel: dict[str, Any], casus: dict[str, Any]) -> None:
    """Extramurale hulp is voor inwoners van Rotterdam (002 §1.3)."""
    _signaal(w, "woonplaats_buiten_rotterdam", ["woonplaats = regiogemeente", "perceel = extramuraal"],
             "Het huishouden woont in een regiogemeente: extramurale hulp regelt de eigen gemeente (alleen semi- "
             "en intramurale hulp koopt Rotterdam als centrumgemeente ook voor de regio in).")


@rule("signalen.regiogemeente_basishulp", bron="002 §1.3", beleidskeuze=True, fase=Fase.SIGNALEN,
      route=fact("route", F.route == "basishulp_wijkteam"), casus=fact("casus", F.woonplaats == "regiogemeente"))
def regiogemeente_basishulp(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Basishulp geeft het wijkteam van de eigen gemeente (002 §1.3)."""
    _signaal(w, "woonplaats_buiten_rotterdam", ["woonplaats = regiogemeente", "route = basishulp_wijkteam"],
             "Het huishouden woont in een regiogemeente: de basishulp komt van het wijkteam of de toegang van de "
             "eigen gemeente.")


@rule("signalen.pleger_niet_meewerkend", bron="001 §3.1; 003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      niveau="hoofdlijn", route=IN_SCOPE, huishouden=fact("huishouden", F.pleger_niet_meewerkend == True))  # noqa: E712
def pleger_niet_meewerkend(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Een pleger die niet meewerkt telt niet mee voor het budget (001 §3.1); het geweld gaat vaak door en
    specialisten zijn nodig om de pleger te motiveren (003 §3.4)."""
    _signaal(w, "pleger_niet_meewerkend", ["een pleger werkt niet mee"],
             "De pleger werkt niet mee aan de hulpverlening: let op voortgaand geweld, betrek politie en Veilig "
             "Thuis en zet in op motivering van de pleger.")


@rule("signalen.slachtoffer_niet_meewerkend", bron="003 §1.2.2", beleidskeuze=True, fase=Fase.SIGNALEN,
      niveau="hoofdlijn", route=IN_SCOPE, huishouden=fact("huishouden", F.slachtoffer_niet_meewerkend == True))  # noqa: E712
def slachtoffer_niet_meewerkend(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Een slachtoffer dat in beeld is maar niet meewerkt, blijft in gevaar terwijl de hulp niet op gang komt;
    bij een verhoogd risico hoort een veiligheidsplan van Veilig Thuis (003 §1.2.2)."""
    _signaal(w, "slachtoffer_niet_meewerkend", ["een slachtoffer in beeld werkt niet mee"],
             "Een slachtoffer is in beeld maar werkt (nog) niet mee aan de hulp. Blijf contact houden, werk aan "
             "vertrouwen en motivatie, en overleg met Veilig Thuis over de veiligheid.")


def _profiel(w: Work, code: str, omdat: str, tekst: str) -> None:
    _signaal(w, code, [omdat], tekst)


@rule("signalen.profiel_dwangmatige_controle", bron="003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      niveau="hoofdlijn", route=IN_SCOPE, casus=fact("casus", (F.intieme_terreur == True) | (F.vorm_stalking == True)))  # noqa: E712
def profiel_dwangmatige_controle(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Profiel 1: dwangmatige controle binnen de relatie of het gezin, die na het verbreken van de relatie
    doorgaat als stalking; intensieve bescherming van slachtoffers nodig (003 §3.4)."""
    omdat = "geweld.intieme_terreur = true" if casus["intieme_terreur"] else "geweld.vormen bevat stalking"
    _profiel(w, "profiel_dwangmatige_controle", omdat,
             "Profiel dwangmatige controle: het gevaar van stalking en doding na het verbreken van de relatie "
             "wordt vaak onderschat. Intensieve bescherming van het slachtoffer, specialisten om de pleger te "
             "motiveren en kindgerichte steun of traumabehandeling zijn nodig.")


@rule("signalen.profiel_hoge_stress", bron="003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", F.signaal_hoge_stress == True))  # noqa: E712
def profiel_hoge_stress(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Profiel 2: hoog stressniveau in het gezin met problemen op meerdere leefgebieden (003 §3.4)."""
    _profiel(w, "profiel_hoge_stress", "signalen bevat hoge_stress",
             "Profiel hoge stress: problemen op meerdere leefgebieden leiden tot conflicten en geweld; pak de "
             "stressoren (zoals geld, werk en wonen) samen met de veiligheid aan.")


@rule("signalen.profiel_kindproblematiek", bron="003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", F.signaal_kindproblematiek == True))  # noqa: E712
def profiel_kindproblematiek(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Profiel 3: kindproblematiek staat op de voorgrond (003 §3.4)."""
    _profiel(w, "profiel_kindproblematiek", "signalen bevat kindproblematiek",
             "Profiel kindproblematiek: probleemgedrag van kinderen staat op de voorgrond; kijk of het door het "
             "geweld thuis komt en zet kindgerichte hulp en zo nodig jeugdhulp in.")


@rule("signalen.profiel_ggz_lvb", bron="003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", (F.signaal_ggz == True) | (F.signaal_lvb == True)))  # noqa: E712
def profiel_ggz_lvb(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Profiel 4: GGZ- of LVB-problematiek; het FACT-team of het wijkteam speelt de belangrijkste rol (003 §3.4)."""
    omdat = "signalen bevat ggz" if casus["signaal_ggz"] else "signalen bevat lvb"
    _profiel(w, "profiel_ggz_lvb", omdat,
             "Profiel GGZ of licht verstandelijke beperking: het FACT-team of het wijkteam speelt de belangrijkste "
             "rol; stem de hulp daarop af.")


@rule("signalen.profiel_vechtscheiding", bron="003 §3.4", beleidskeuze=False, fase=Fase.SIGNALEN,
      route=IN_SCOPE, casus=fact("casus", F.signaal_vechtscheiding == True))  # noqa: E712
def profiel_vechtscheiding(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Profiel 5: vechtscheiding (003 §3.4)."""
    _profiel(w, "profiel_vechtscheiding", "signalen bevat vechtscheiding",
             "Profiel vechtscheiding: de kinderen raken klem tussen de ouders; zet in op de belangen van de "
             "kinderen en zo nodig juridische hulp.")
