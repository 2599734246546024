"""The fact vocabulary of the rules: schemas of every fact type, and a casus flattened into facts.

Facts are flat (durable-rules crashes on large facts and compares nested lists poorly): the casus
becomes one `casus` fact whose lists (vormen, signalen) are booleans, plus one `lid` fact per member
(member ids live in `lid`, because a field named `id` is the engine's fact identity).
"""

from __future__ import annotations

from typing import Any, get_args

from engine.casus import Casus, Geweldsvorm, Rol, Signaal

__all__ = ["SCHEMAS", "VORMEN", "SIGNALEN", "ROLLEN", "casus_feiten"]

VORMEN: tuple[str, ...] = get_args(Geweldsvorm)
SIGNALEN: tuple[str, ...] = get_args(Signaal)
ROLLEN: tuple[str, ...] = get_args(Rol)

SCHEMAS: dict[str, dict[str, type]] = {
    "casus": {
        "t": str,
        "woonplaats": str,
        "binnen_huiselijke_kring": bool,
        "structureel": bool,
        "intieme_terreur": bool,
        "niveau": str,
        "acuut": bool,
        "vaardigheden": str,
        "dakloos": bool,
        "zelfstandig_wonen_veilig": bool,
        "nabijheid_24u_nodig": bool,
        "bestaande_wmo_zorg": str,
        "verwachte_duur_maanden": int,
        "specialistisch": bool,
        **{f"vorm_{v}": bool for v in VORMEN},
        **{f"signaal_{s}": bool for s in SIGNALEN},
    },
    "lid": {
        "t": str,
        "lid": str,
        "volgorde": int,
        "leeftijd": int,
        **{r: bool for r in ROLLEN},
        "in_beeld": bool,
        "meewerkend": bool,
        "verlengde_jeugdhulp": bool,
        "woont_buiten_gemeente": bool,
        "verblijft_mee_gegeven": bool,
        "verblijft_mee": bool,
    },
    # Derived facts, asserted by rules.
    "huishouden": {
        "t": str,
        "volwassenen_geteld": int,
        "kinderen": int,
        "deelnemers": int,
        "slachtoffer_geteld": bool,
        "pleger_geteld": bool,
        "pleger_alleen_geteld": bool,
        "pleger_niet_meewerkend": bool,
        "slachtoffer_niet_meewerkend": bool,
        "slachtoffers": int,
        "lid_buiten_gemeente": bool,
    },
    "uitgesloten": {"t": str, "onderdeel": str, "reden": str},
    "route": {"t": str, "route": str},
    "perceel": {"t": str, "perceel": str, "naast_bestaande_wmo_zorg": bool},
    "pakket_kandidaat": {"t": str, "bron": str, "pakket": int},
    "pakket": {"t": str, "pakket": int, "perceel": str},
}


def casus_feiten(casus: Casus) -> list[dict[str, Any]]:
    """The casus fact first (it anchors the evaluation), then one fact per member in input order."""
    geweld, woon = casus.geweld, casus.woonsituatie
    vormen, signalen = set(geweld.vormen), set(casus.signalen)
    feit: dict[str, Any] = {
        "t": "casus",
        "woonplaats": casus.woonplaats,
        "binnen_huiselijke_kring": geweld.binnen_huiselijke_kring,
        "structureel": geweld.structureel,
        "intieme_terreur": geweld.intieme_terreur,
        "niveau": casus.veiligheid.niveau,
        "acuut": casus.veiligheid.acuut,
        "vaardigheden": casus.vaardigheden,
        "dakloos": woon.dakloos,
        "zelfstandig_wonen_veilig": woon.zelfstandig_wonen_veilig,
        "nabijheid_24u_nodig": woon.nabijheid_24u_nodig,
        "bestaande_wmo_zorg": casus.bestaande_wmo_zorg,
        "verwachte_duur_maanden": casus.inzet.verwachte_duur_maanden,
        "specialistisch": casus.inzet.specialistisch,
    }
    for v in VORMEN:
        feit[f"vorm_{v}"] = v in vormen
    for s in SIGNALEN:
        feit[f"signaal_{s}"] = s in signalen
    feiten = [feit]
    for i, lid in enumerate(casus.leden):
        rollen = set(lid.rollen)
        feiten.append(
            {
                "t": "lid",
                "lid": lid.id,
                "volgorde": i,
                "leeftijd": lid.leeftijd,
                "slachtoffer": "slachtoffer" in rollen,
                "pleger": "pleger" in rollen,
                "getuige": "getuige" in rollen,
                "gezinslid": "gezinslid" in rollen,
                "in_beeld": lid.in_beeld,
                "meewerkend": lid.meewerkend,
                "verlengde_jeugdhulp": lid.verlengde_jeugdhulp,
                "woont_buiten_gemeente": lid.woont_buiten_gemeente,
                "verblijft_mee_gegeven": lid.verblijft_mee is not None,
                "verblijft_mee": bool(lid.verblijft_mee),
            }
        )
    return feiten
