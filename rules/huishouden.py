"""Who is in the household: children, counted adults, adults not counted; then the household fact.

Bron 001 §3.1: the adults' budget is granted per adult; an adult who is out of the picture or will
not cooperate is not counted. The children's budget is one budget, granted to the youngest child.
Bron 000 noot 3: jeugdhulp is for children under 18; verlengde jeugdhulp up to 23.
"""

from __future__ import annotations

from typing import Any

from engine.context import Work
from engine.dsl import F, P, fact
from engine.rule import rule
from rules.fasen import Fase

KIND = (F.leeftijd < P("leeftijd.volwassen_vanaf")) | (
    (F.leeftijd < P("leeftijd.verlengde_jeugdhulp_tot")) & (F.verlengde_jeugdhulp == True)  # noqa: E712
)
VOLWASSENE = ~KIND


def _klasse(w: Work, lid: dict[str, Any], klasse: str) -> None:
    w.data.setdefault("leden", {})[lid["lid"]] = (klasse, lid)


@rule("lid.kind", bron="000 noot 3", beleidskeuze=False, fase=Fase.LID, lid=fact("lid", KIND))
def kind(w: Work, lid: dict[str, Any]) -> None:
    """Een kind is jonger dan 18, of 18 tot 23 met verlengde jeugdhulp (Jeugdwet, 000 noot 3)."""
    _klasse(w, lid, "kind")
    grens = w.param("leeftijd.volwassen_vanaf")
    if lid["leeftijd"] < grens:
        reden, omdat = f"jonger dan {grens}", [f"leden[{lid['lid']}].leeftijd = {lid['leeftijd']}"]
    else:
        reden = f"{lid['leeftijd']} jaar met verlengde jeugdhulp (tot {w.param('leeftijd.verlengde_jeugdhulp_tot')})"
        omdat = [f"leden[{lid['lid']}].leeftijd = {lid['leeftijd']}", f"leden[{lid['lid']}].verlengde_jeugdhulp = true"]
    w.conclude(f"{lid['lid']} is een kind", omdat, f"{lid['lid']} ({lid['leeftijd']} jaar) telt als kind: {reden}.")


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
        "budget voor begeleiding volwassenen.",
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
        redenen.append("is buiten beeld")
    if not lid["meewerkend"]:
        redenen.append("werkt niet mee aan de hulpverlening")
    w.conclude(
        f"{lid['lid']} telt niet mee als volwassene",
        [f"leden[{lid['lid']}].in_beeld = {str(lid['in_beeld']).lower()}",
         f"leden[{lid['lid']}].meewerkend = {str(lid['meewerkend']).lower()}"],
        f"{lid['lid']} ({lid['leeftijd']} jaar) {' en '.join(redenen)}; voor deze volwassene wordt geen budget "
        "voor begeleiding toegekend.",
    )


@rule(
    "huishouden.samenstelling",
    bron="001 §3.1",
    beleidskeuze=False,
    fase=Fase.HUISHOUDEN,
    uitschakelbaar=False,
    casus=fact("casus"),
)
def samenstelling(w: Work, casus: dict[str, Any]) -> None:
    """Het huishouden als geheel: getelde volwassenen, kinderen en het jongste kind (001 §3.1).

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
    alle = [lid for _, lid in in_volgorde]
    w.assert_fact(
        t="huishouden",
        volwassenen_geteld=len(geteld),
        kinderen=len(kinderen),
        slachtoffer_geteld=any(lid["slachtoffer"] for lid in geteld),
        pleger_geteld=any(lid["pleger"] for lid in geteld),
        pleger_niet_meewerkend=any(lid["pleger"] and not lid["meewerkend"] for lid in alle),
        lid_buiten_gemeente=any(lid["woont_buiten_gemeente"] for lid in alle),
    )
    namen = ", ".join(lid["lid"] for lid in geteld) or "geen"
    kind_tekst = (
        f"{len(kinderen)} kind(eren); het jongste is {jongste['lid']} ({jongste['leeftijd']} jaar)"
        if jongste
        else "geen kinderen"
    )
    w.conclude(
        f"{len(geteld)} getelde volwassene(n), {len(kinderen)} kind(eren)",
        [f"leden: {len(alle)} gezinsleden"],
        f"Het huishouden telt {len(geteld)} volwassene(n) die meetellen voor het budget ({namen}) en {kind_tekst}.",
    )
