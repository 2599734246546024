"""The onderdelen of help in an HG-arrangement, and those excluded with their reason (bron 000)."""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, fact
from engine.rule import rule
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")


def _onderdeel(w: Work, naam: str, omdat: list[str], tekst: str) -> None:
    w.add("onderdelen", naam)
    w.conclude(naam.replace("_", " "), omdat, tekst)


@rule("onderdelen.casusregie", bron="000 Eisen 2; 000 Doelen 6", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG)
def casusregie(w: Work, route: dict[str, Any]) -> None:
    """Eén aangewezen partij voert regie op de hulp aan het hele gezin en houdt in de gaten of het veilig
    blijft; afstemming met het veiligheidsdomein is essentieel (000 Eisen 2, Doelen 6)."""
    _onderdeel(w, "casusregie", ["route = hg_arrangement"],
               "Casusregie hoort altijd bij het arrangement: één partij houdt in de gaten of de hulp werkt en of "
               "het veilig blijft, in afstemming met het veiligheidsdomein.")


@rule("onderdelen.slachtofferhulp", bron="000 Doelen 1", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", F.slachtoffer_geteld == True))  # noqa: E712
def slachtofferhulp(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Slachtofferhulp (volwassenen): veiligheid ervaren, minder traumaklachten, een sterkere positie
    (000 Doelen 1)."""
    _onderdeel(w, "slachtofferhulp", ["een getelde volwassene heeft de rol slachtoffer"],
               "Een volwassen slachtoffer neemt deel aan de hulp: slachtofferhulp gericht op veiligheid, "
               "vermindering van traumaklachten en een sterkere positie.")


@rule("onderdelen.plegerhulp", bron="000 Doelen 2", beleidskeuze=True, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", F.pleger_geteld == True))  # noqa: E712
def plegerhulp(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Plegerhulp (volwassenen): inzicht in de eigen bijdrage aan het geweld, verantwoordelijkheid nemen,
    minder controlerend gedrag (000 Doelen 2). Alleen voor een pleger die in beeld is en meewerkt."""
    _onderdeel(w, "plegerhulp", ["een getelde volwassene heeft de rol pleger"],
               "De volwassen pleger is in beeld en werkt mee: plegerhulp gericht op inzicht, verantwoordelijkheid "
               "en het stoppen van controlerend gedrag.")


@rule("onderdelen.systeemgerichte_hulp", bron="000 Doelen 3", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG,
      casus=fact("casus", F.intieme_terreur == False))  # noqa: E712
def systeemgerichte_hulp(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Gezinsdynamiek/systeemgerichte hulp, indien geen intieme terreur (000 Doelen 3)."""
    _onderdeel(w, "systeemgerichte_hulp", ["geweld.intieme_terreur = false"],
               "Er is geen intieme terreur; systeemgerichte hulp aan het gezin als geheel (gezinsdynamiek) is "
               "mogelijk om het geweldspatroon te doorbreken.")


@rule("onderdelen.systeemgerichte_hulp_uitgesloten", bron="000 Doelen 3", beleidskeuze=False,
      fase=Fase.ONDERDELEN, route=HG, casus=fact("casus", F.intieme_terreur == True))  # noqa: E712
def systeemgerichte_hulp_uitgesloten(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Gezinsdynamiek/systeemgerichte hulp wordt niet ingezet bij intieme terreur (000 Doelen 3)."""
    w.add("uitgesloten_onderdelen", {"onderdeel": "systeemgerichte_hulp", "reden": "intieme terreur"})
    w.conclude("geen systeemgerichte hulp", ["geweld.intieme_terreur = true"],
               "Er is sprake van intieme terreur; systeemgerichte hulp (gezinsdynamiek) wordt dan niet ingezet, "
               "omdat gezamenlijke gesprekken het slachtoffer in gevaar kunnen brengen.")


@rule("onderdelen.specialistische_individuele_hulp", bron="000 Eisen 9", beleidskeuze=False,
      fase=Fase.ONDERDELEN, route=HG, casus=fact("casus", F.intieme_terreur == True))  # noqa: E712
def specialistische_individuele_hulp(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Er is voldoende specialistisch hulpaanbod voor het individu (slachtoffer, pleger en getuigen)
    voor die gevallen dat een systeemaanpak niet mogelijk is (000 Eisen 9)."""
    _onderdeel(w, "specialistische_individuele_hulp", ["geweld.intieme_terreur = true"],
               "Omdat een systeemaanpak niet mogelijk is, krijgen slachtoffer, pleger en getuigen ieder "
               "specialistische individuele hulp.")


@rule("onderdelen.opvoedondersteuning", bron="000 Doelen 4", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", F.kinderen > 0))
def opvoedondersteuning(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Opvoedondersteuning: ouders zorgen voor een veilige woon- en opgroeiomgeving (000 Doelen 4)."""
    _onderdeel(w, "opvoedondersteuning", [f"aantal kinderen = {huishouden['kinderen']}"],
               "Er zijn kinderen in het gezin: opvoedondersteuning helpt de ouders te zorgen voor een veilige "
               "woon- en opgroeiomgeving.")


@rule("onderdelen.kindgerichte_hulp", bron="000 Doelen 5", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", F.kinderen > 0))
def kindgerichte_hulp(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Kindgerichte hulp: thuisbegeleiding, kortdurende interventies en screening op trauma (000 Doelen 5)."""
    _onderdeel(w, "kindgerichte_hulp", [f"aantal kinderen = {huishouden['kinderen']}"],
               "Er zijn kinderen in het gezin: kindgerichte hulp met screening op trauma en zo nodig verwijzing "
               "naar aanvullende jeugdhulp.")
