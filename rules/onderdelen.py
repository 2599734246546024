"""The onderdelen of help in an HG-arrangement, and those excluded with their reason (bron 000).

Systeemgerichte hulp (gezinsdynamiek) needs a system that can safely work together: not with intieme
terreur (000 Doelen 3), not with eergerelateerd geweld, not without a cooperating adult, not with fewer
than two members taking part. Each exclusion is its own rule; wherever one holds, specialist individual
help takes its place (000 Eisen 9).
"""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from engine.taal import aantal, label, opsomming, telwoord
from rules.fasen import Fase

HG = fact("route", F.route == "hg_arrangement")
SYSTEEM = "systeemgerichte_hulp"


def _onderdeel(w: Work, naam: str, omdat: list[str], tekst: str) -> None:
    w.add("onderdelen", naam)
    w.conclude(label(naam), omdat, tekst)


def _uitgesloten(w: Work, onderdeel: str, reden: str, omdat: list[str], tekst: str) -> None:
    w.add("uitgesloten_onderdelen", {"onderdeel": onderdeel, "reden": reden})
    w.assert_fact(t="uitgesloten", onderdeel=onderdeel, reden=reden)
    w.conclude(f"geen {label(onderdeel)}: {reden}", omdat, tekst)


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
               "Een volwassene die geweld pleegt, is in beeld en werkt mee: plegerhulp gericht op inzicht, "
               "verantwoordelijkheid en het stoppen van het geweld en van controlerend gedrag.")


GEEN_TERREUR = (F.intieme_terreur == False) & (F.vorm_schadelijke_traditionele_praktijken == False)  # noqa: E712
SYSTEEM_MOGELIJK = (F.volwassenen_geteld > 0) & (F.deelnemers >= P("systeemgerichte_hulp.minimum_deelnemers"))


@rule("onderdelen.systeemgerichte_hulp", bron="000 Doelen 3", beleidskeuze=True, fase=Fase.ONDERDELEN, route=HG,
      casus=fact("casus", GEEN_TERREUR), huishouden=fact("huishouden", SYSTEEM_MOGELIJK))
def systeemgerichte_hulp(w: Work, route: dict[str, Any], casus: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Gezinsdynamiek/systeemgerichte hulp, indien geen intieme terreur (000 Doelen 3), en alleen waar een
    systeemaanpak veilig en mogelijk is: geen eergerelateerd geweld, een volwassene die meewerkt en
    minstens twee deelnemende gezinsleden (beleidskeuze)."""
    _onderdeel(w, SYSTEEM, ["geweld.intieme_terreur = false", "geweld.vormen zonder schadelijke traditionele praktijken",
                            f"deelnemende gezinsleden = {huishouden['deelnemers']}"],
               f"Er is geen intieme terreur en geen eergerelateerd geweld, en {huishouden['deelnemers']} gezinsleden "
               "nemen deel, onder wie een volwassene die meewerkt. Systeemgerichte hulp aan het gezin als geheel "
               "(gezinsdynamiek) is daarom mogelijk om het patroon van geweld te doorbreken.")


@rule("onderdelen.systeemgerichte_hulp_uitgesloten", bron="000 Doelen 3", beleidskeuze=False,
      fase=Fase.ONDERDELEN, niveau="hoofdlijn", route=HG,
      casus=fact("casus", F.intieme_terreur == True))  # noqa: E712
def systeemgerichte_hulp_uitgesloten(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Gezinsdynamiek/systeemgerichte hulp wordt niet ingezet bij intieme terreur (000 Doelen 3)."""
    _uitgesloten(w, SYSTEEM, "intieme terreur", ["geweld.intieme_terreur = true"],
                 "Er is sprake van intieme terreur; systeemgerichte hulp (gezinsdynamiek) wordt dan niet ingezet, "
                 "omdat gezamenlijke gesprekken het slachtoffer in gevaar kunnen brengen.")


@rule("onderdelen.systeemgerichte_hulp_uitgesloten_eergerelateerd", bron="000 Definitie; 000 Eisen 9",
      beleidskeuze=True, fase=Fase.ONDERDELEN, niveau="hoofdlijn", route=HG,
      casus=fact("casus", F.vorm_schadelijke_traditionele_praktijken == True))  # noqa: E712
def systeemgerichte_hulp_uitgesloten_eergerelateerd(w: Work, route: dict[str, Any], casus: dict[str, Any]) -> None:
    """Huiselijk geweld omvat ook schadelijke traditionele praktijken zoals eergerelateerd geweld (000
    Definitie). Daar brengt een gesprek met de familie samen het slachtoffer in gevaar, dus is een
    systeemaanpak niet mogelijk (000 Eisen 9; beleidskeuze)."""
    _uitgesloten(w, SYSTEEM, "eergerelateerd geweld", ["geweld.vormen bevat schadelijke traditionele praktijken"],
                 "Er is sprake van eergerelateerd geweld (schadelijke traditionele praktijken). Gezamenlijke "
                 "gesprekken met de familie kunnen het slachtoffer dan juist in gevaar brengen; systeemgerichte "
                 "hulp wordt daarom niet ingezet.")


@rule("onderdelen.systeemgerichte_hulp_uitgesloten_geen_volwassene", bron="000 Eisen 9", beleidskeuze=True,
      fase=Fase.ONDERDELEN, niveau="hoofdlijn", route=HG,
      huishouden=fact("huishouden", F.volwassenen_geteld == 0))
def systeemgerichte_hulp_uitgesloten_geen_volwassene(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Zonder een volwassene die in beeld is en meewerkt, is er geen systeem om mee te werken (beleidskeuze)."""
    _uitgesloten(w, SYSTEEM, "geen meewerkende volwassene", ["getelde volwassenen = 0"],
                 "Er is geen volwassene die in beeld is en meewerkt; zonder hen is er geen gezinssysteem om mee te "
                 "werken, dus systeemgerichte hulp is niet mogelijk.")


@rule("onderdelen.systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers", bron="000 Eisen 9", beleidskeuze=True,
      fase=Fase.ONDERDELEN, niveau="hoofdlijn", route=HG,
      huishouden=fact("huishouden", (F.volwassenen_geteld > 0)
                      & (F.deelnemers < P("systeemgerichte_hulp.minimum_deelnemers"))))
def systeemgerichte_hulp_uitgesloten_te_weinig_deelnemers(
    w: Work, route: dict[str, Any], huishouden: dict[str, Any]
) -> None:
    """Systeemgerichte hulp werkt met meerdere gezinsleden samen; met minder deelnemers dan het ingestelde
    minimum is een systeemaanpak niet mogelijk (000 Eisen 9; beleidskeuze)."""
    minimum = w.param("systeemgerichte_hulp.minimum_deelnemers")
    n = huishouden["deelnemers"]
    _uitgesloten(w, SYSTEEM, f"minder dan {telwoord(minimum)} deelnemers", [f"deelnemende gezinsleden = {n}"],
                 f"Aan de hulp {'neemt' if n == 1 else 'nemen'} maar {aantal(n, 'gezinslid', 'gezinsleden')} deel, "
                 f"minder dan {telwoord(minimum)}; systeemgerichte hulp aan het gezin als geheel is dan niet mogelijk.")


@rule("onderdelen.specialistische_individuele_hulp", bron="000 Eisen 9", beleidskeuze=False,
      fase=Fase.ONDERDELEN_VERVANGEND, niveau="hoofdlijn", route=HG,
      uitgesloten=fact("uitgesloten", F.onderdeel == SYSTEEM))
def specialistische_individuele_hulp(w: Work, route: dict[str, Any], uitgesloten: dict[str, Any]) -> None:
    """Er is voldoende specialistisch hulpaanbod voor het individu (slachtoffer, pleger en getuigen)
    voor die gevallen dat een systeemaanpak niet mogelijk is (000 Eisen 9)."""
    if "specialistische_individuele_hulp" in w.lists.get("onderdelen", ()):
        return  # a second reason for the same exclusion: the help is advised once
    redenen = [u["reden"] for u in w.lists.get("uitgesloten_onderdelen", []) if u["onderdeel"] == SYSTEEM]
    ontvangers = [lid["lid"] for lid in w.data["geteld"]] + [lid["lid"] for lid in w.data["kinderen"]]
    if ontvangers:
        wie = f"krijgen {opsomming(ontvangers)} ieder" if len(ontvangers) > 1 else f"krijgt {ontvangers[0]}"
        tekst = (f"Omdat een systeemaanpak niet mogelijk is ({opsomming(redenen)}), {wie} specialistische "
                 "individuele hulp.")
    else:
        tekst = (f"Een systeemaanpak is niet mogelijk ({opsomming(redenen)}). Specialistische individuele hulp is "
                 "nodig, maar nu neemt nog niemand deel: die hulp begint zodra een gezinslid meewerkt.")
    _onderdeel(w, "specialistische_individuele_hulp", [f"systeemgerichte hulp uitgesloten: {r}" for r in redenen],
               tekst)


@rule("onderdelen.opvoedondersteuning", bron="000 Doelen 4", beleidskeuze=True, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", (F.kinderen > 0) & (F.volwassenen_geteld > 0)))
def opvoedondersteuning(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Opvoedondersteuning: ouders zorgen voor een veilige woon- en opgroeiomgeving (000 Doelen 4); dat vraagt
    een ouder of verzorger die meewerkt (beleidskeuze)."""
    _onderdeel(w, "opvoedondersteuning", [f"aantal kinderen = {huishouden['kinderen']}",
                                          f"getelde volwassenen = {huishouden['volwassenen_geteld']}"],
               "Er zijn kinderen in het gezin en een volwassene die meewerkt: opvoedondersteuning helpt de ouders te "
               "zorgen voor een veilige woon- en opgroeiomgeving.")


@rule("onderdelen.opvoedondersteuning_uitgesloten", bron="000 Doelen 4", beleidskeuze=True, fase=Fase.ONDERDELEN,
      niveau="hoofdlijn", route=HG,
      huishouden=fact("huishouden", (F.kinderen > 0) & (F.volwassenen_geteld == 0)))
def opvoedondersteuning_uitgesloten(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Opvoedondersteuning kan alleen met een ouder of verzorger die meewerkt (beleidskeuze)."""
    w.add("uitgesloten_onderdelen", {"onderdeel": "opvoedondersteuning", "reden": "geen meewerkende ouder of verzorger"})
    w.conclude("geen opvoedondersteuning: geen meewerkende ouder of verzorger", ["getelde volwassenen = 0"],
               "Er zijn kinderen, maar geen ouder of verzorger die in beeld is en meewerkt; opvoedondersteuning is "
               "daarom niet mogelijk. De veiligheid van de kinderen vraagt overleg met Veilig Thuis.")


@rule("onderdelen.kindgerichte_hulp", bron="000 Doelen 5", beleidskeuze=False, fase=Fase.ONDERDELEN, route=HG,
      huishouden=fact("huishouden", F.kinderen > 0))
def kindgerichte_hulp(w: Work, route: dict[str, Any], huishouden: dict[str, Any]) -> None:
    """Kindgerichte hulp: thuisbegeleiding, kortdurende interventies en screening op trauma (000 Doelen 5)."""
    _onderdeel(w, "kindgerichte_hulp", [f"aantal kinderen = {huishouden['kinderen']}"],
               "Er zijn kinderen in het gezin: kindgerichte hulp met screening op trauma en zo nodig verwijzing "
               "naar aanvullende jeugdhulp.")
