"""Who is in the household: children, children outside it, counted adults, adults not counted; then the
household fact.

Bron 001 §3.1: the adults' budget is granted per adult; an adult who is out of the picture or will
not cooperate is not counted. The children's budget is one budget, granted to the youngest child
"binnen het gezin" (a child placed out of home is not part of it).
Bron 000 noot 3: jeugdhulp is for children under 18; verlengde jeugdhulp up to 23.
"""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from engine.taal import aantal, opsomming
from rules.fasen import Fase

KIND = (F.leeftijd < P("leeftijd.volwassen_vanaf")) | (
    (F.leeftijd < P("leeftijd.verlengde_jeugdhulp_tot")) & (F.verlengde_jeugdhulp == True)  # noqa: E712
)
VOLWASSENE = ~KIND


def _klasse(w: Work, lid: dict[str, Any], klasse: str) -> None:
    w.data.setdefault("leden", {})[lid["lid"]] = (klasse, lid)


def _kind_reden(w: Work, lid: dict[str, Any]) -> tuple[str, list[str]]:
    grens = w.param("leeftijd.volwassen_vanaf")
    omdat = [f"leden[{lid['lid']}].leeftijd = {lid['leeftijd']}"]
    if lid["leeftijd"] < grens:
        return f"jonger dan {grens} jaar", omdat
    tot = w.param("leeftijd.verlengde_jeugdhulp_tot")
    return (f"{lid['leeftijd']} jaar met verlengde jeugdhulp (tot {tot} jaar)",
            [*omdat, f"leden[{lid['lid']}].verlengde_jeugdhulp = true"])


@rule("lid.kind", bron="000 noot 3", beleidskeuze=False, fase=Fase.LID,
      lid=fact("lid", KIND & (F.in_beeld == True)))  # noqa: E712
def kind(w: Work, lid: dict[str, Any]) -> None:
    """Een kind is jonger dan 18, of 18 tot 23 met verlengde jeugdhulp (Jeugdwet, 000 noot 3)."""
    _klasse(w, lid, "kind")
    reden, omdat = _kind_reden(w, lid)
    w.conclude(f"{lid['lid']} is een kind", [*omdat, f"leden[{lid['lid']}].in_beeld = true"],
               f"{lid['lid']} ({lid['leeftijd']} jaar) hoort als kind bij het gezin: {reden}.")


@rule("lid.kind_buiten_beeld", bron="001 §3.1", beleidskeuze=True, fase=Fase.LID,
      lid=fact("lid", KIND & (F.in_beeld == False)))  # noqa: E712
def kind_buiten_beeld(w: Work, lid: dict[str, Any]) -> None:
    """Het budget voor de kinderen is voor de kinderen binnen het gezin en wordt toegekend aan het
    jongste kind binnen het gezin (001 §3.1). Een kind dat niet in beeld is, bijvoorbeeld omdat het
    uit huis is geplaatst, hoort niet bij het budget van het huishouden (beleidskeuze)."""
    _klasse(w, lid, "kind_buiten_beeld")
    reden, omdat = _kind_reden(w, lid)
    w.conclude(
        f"{lid['lid']} valt buiten het gezinsbudget",
        [*omdat, f"leden[{lid['lid']}].in_beeld = false"],
        f"{lid['lid']} ({lid['leeftijd']} jaar) is een kind ({reden}), maar is niet in beeld, bijvoorbeeld "
        "door een uithuisplaatsing. Dit kind telt niet mee voor het budget van de kinderen, voor het jongste "
        "kind en voor de vrije trede; hulp aan dit kind loopt via de plek waar het nu verblijft.",
    )


@rule(
    "lid.volwassene_geteld",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.LID,
    lid=fact("lid", VOLWASSENE & (F.in_beeld == True) & (F.meewerkend == True)),  # noqa: E712
)
def volwassene_geteld(w: Work, lid: dict[str, Any]) -> None:
    """Het budget voor begeleiding volwassenen wordt per volwassene toegekend (001 §3.1)."""
    _klasse(w, lid, "geteld")
    w.conclude(
        f"{lid['lid']} telt mee als volwassene",
        [f"leden[{lid['lid']}].leeftijd = {lid['leeftijd']}", f"leden[{lid['lid']}].in_beeld = true",
         f"leden[{lid['lid']}].meewerkend = true"],
        f"{lid['lid']} ({lid['leeftijd']} jaar) is volwassen, in beeld en werkt mee, en telt dus mee voor het "
        "budget voor begeleiding van volwassenen.",
    )


@rule(
    "lid.volwassene_niet_geteld",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.LID,
    lid=fact("lid", VOLWASSENE & ((F.in_beeld == False) | (F.meewerkend == False))),  # noqa: E712
)
def volwassene_niet_geteld(w: Work, lid: dict[str, Any]) -> None:
    """Is een volwassene buiten beeld of wil die niet meewerken, dan telt die niet mee (001 §3.1)."""
    _klasse(w, lid, "niet_geteld")
    redenen = []
    if not lid["in_beeld"]:
        redenen.append("is niet in beeld")
    if not lid["meewerkend"]:
        redenen.append("werkt niet mee aan de hulpverlening")
    w.conclude(
        f"{lid['lid']} telt niet mee als volwassene",
        [f"leden[{lid['lid']}].in_beeld = {str(lid['in_beeld']).lower()}",
         f"leden[{lid['lid']}].meewerkend = {str(lid['meewerkend']).lower()}"],
        f"{lid['lid']} ({lid['leeftijd']} jaar) {' en '.join(redenen)}; voor deze volwassene wordt geen budget "
        "voor begeleiding toegekend.",
    )


def pleger_alleen(lid: dict[str, Any]) -> bool:
    """Pleger and not also slachtoffer: the one who usually does not take part in residential support."""
    return bool(lid["pleger"] and not lid["slachtoffer"])


def verblijft_mee(lid: dict[str, Any], klasse: str) -> bool:
    """Whether the member comes along into a facility: the input, else true for a child in beeld and for a
    counted adult who is not pleger-only (domain.md, round two)."""
    if lid["verblijft_mee_gegeven"]:
        return bool(lid["verblijft_mee"])
    return klasse == "kind" or (klasse == "geteld" and not pleger_alleen(lid))


@rule(
    "huishouden.samenstelling",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.HUISHOUDEN,
    uitschakelbaar=False,
    casus=fact("casus"),
)
def samenstelling(w: Work, casus: dict[str, Any]) -> None:
    """Het huishouden als geheel: getelde volwassenen, kinderen binnen het gezin en het jongste kind (001 §3.1).

    Dit is ook het anker van elke evaluatie: de regel vuurt altijd, op het casusfeit.
    """
    leden: dict[str, tuple[str, dict[str, Any]]] = w.data.get("leden", {})
    in_volgorde = sorted(leden.values(), key=lambda kl: kl[1]["volgorde"])
    geteld = [lid for klasse, lid in in_volgorde if klasse == "geteld"]
    kinderen = [lid for klasse, lid in in_volgorde if klasse == "kind"]
    jongste = min(kinderen, key=lambda lid: (lid["leeftijd"], lid["volgorde"])) if kinderen else None
    w.data["geteld"] = geteld
    w.data["kinderen"] = kinderen
    w.data["jongste"] = jongste
    w.data["verblijven_mee"] = {lid["lid"] for klasse, lid in in_volgorde if verblijft_mee(lid, klasse)}
    w.data["kinderen_verblijf"] = [lid for klasse, lid in in_volgorde
                                   if klasse in ("kind", "kind_buiten_beeld") and lid["lid"] in w.data["verblijven_mee"]]
    alle = [lid for _, lid in in_volgorde]
    w.assert_fact(
        t="huishouden",
        volwassenen_geteld=len(geteld),
        kinderen=len(kinderen),
        deelnemers=len(geteld) + len(kinderen),
        slachtoffer_geteld=any(lid["slachtoffer"] for lid in geteld),
        pleger_geteld=any(lid["pleger"] for lid in geteld),
        pleger_alleen_geteld=any(pleger_alleen(lid) for lid in geteld),
        pleger_niet_meewerkend=any(lid["pleger"] and not lid["meewerkend"] for lid in alle),
        slachtoffer_niet_meewerkend=any(lid["slachtoffer"] and lid["in_beeld"] and not lid["meewerkend"]
                                        for lid in alle),
        slachtoffers=sum(1 for lid in alle if lid["slachtoffer"]),
        lid_buiten_gemeente=any(lid["woont_buiten_gemeente"] for lid in alle),
    )
    volwassenen = aantal(len(geteld), "volwassene", "volwassenen")
    if not kinderen:
        kind_zin = "Binnen het gezin zijn er geen kinderen."
    elif len(kinderen) == 1:
        kind_zin = f"Binnen het gezin is er 1 kind: {kinderen[0]['lid']} ({kinderen[0]['leeftijd']} jaar)."
    else:
        assert jongste is not None
        kind_zin = (f"Binnen het gezin zijn er {len(kinderen)} kinderen; het jongste is {jongste['lid']} "
                    f"({jongste['leeftijd']} jaar).")
    if geteld:
        werkwoord = "telt" if len(geteld) == 1 else "tellen"
        volwassen_zin = (f"Voor het budget {werkwoord} {volwassenen} mee "
                         f"({opsomming(lid['lid'] for lid in geteld)}).")
    else:
        volwassen_zin = "Er is geen volwassene die meetelt voor het budget."
    w.conclude(
        f"{volwassenen} en {aantal(len(kinderen), 'kind', 'kinderen')} in het huishouden",
        [f"leden: {len(alle)}"],
        f"{volwassen_zin} {kind_zin}",
    )
