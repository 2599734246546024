"""A synthetic, plausible casus population for benchmarks and replay (never mixed into `casussen/`)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

__all__ = ["synthetische_casussen"]

_SIGNALEN = ("schulden", "dagbesteding", "nachtelijke_ondersteuning", "ggz", "lvb", "verslaving",
             "vechtscheiding", "kindproblematiek", "hoge_stress")
_VORMEN = ("fysiek", "psychisch", "seksueel", "verwaarlozing", "stalking", "schadelijke_traditionele_praktijken")


def _leden(rng: random.Random) -> list[dict[str, Any]]:
    leden: list[dict[str, Any]] = []
    slachtoffer: dict[str, Any] = {"id": "slachtoffer", "leeftijd": rng.randint(19, 60), "rollen": ["slachtoffer"]}
    if rng.random() < 0.05:  # mutual violence: the victim is also a perpetrator
        slachtoffer["rollen"] = ["slachtoffer", "pleger"]
    if rng.random() < 0.08:
        slachtoffer["meewerkend"] = False
    leden.append(slachtoffer)
    if rng.random() < 0.75:  # the perpetrator is part of the household picture
        leden.append({
            "id": "pleger",
            "leeftijd": rng.randint(20, 65),
            "rollen": ["pleger"],
            "in_beeld": rng.random() < 0.8,
            "meewerkend": rng.random() < 0.6,
            "woont_buiten_gemeente": rng.random() < 0.1,
        })
    if rng.random() < 0.1:
        grootouder: dict[str, Any] = {"id": "grootouder", "leeftijd": rng.randint(55, 85), "rollen": ["gezinslid"]}
        if rng.random() < 0.5:  # stays home when the others go into a facility
            grootouder["verblijft_mee"] = False
        leden.append(grootouder)
    aantal_kinderen = rng.choices([0, 1, 2, 3, 4, 5, 6], weights=[25, 25, 25, 13, 7, 3, 2])[0]
    for i in range(aantal_kinderen):
        leeftijd = rng.randint(0, 21)
        kind: dict[str, Any] = {"id": f"kind{i + 1}", "leeftijd": leeftijd,
                                "rollen": [rng.choice(["getuige", "slachtoffer", "gezinslid"])]}
        if leeftijd >= 18:
            kind["verlengde_jeugdhulp"] = rng.random() < 0.5
        if rng.random() < 0.05:  # placed out of home
            kind["in_beeld"] = False
        leden.append(kind)
    return leden


def synthetische_casus(rng: random.Random, nummer: int, seed: int) -> dict[str, Any]:
    binnen = rng.random() < 0.97
    zelfstandig = rng.random() < 0.9
    return {
        "casus_id": f"SYNTH-{seed}-{nummer:07d}",
        "peildatum": f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "woonplaats": rng.choices(["rotterdam", "regiogemeente", "elders"], weights=[85, 12, 3])[0],
        "leden": _leden(rng),
        "geweld": {
            "binnen_huiselijke_kring": binnen,
            "structureel": rng.random() < 0.8,
            "vormen": rng.sample(_VORMEN, rng.randint(1, 3)),
            "intieme_terreur": rng.random() < 0.25,
        },
        "veiligheid": {"niveau": rng.choice(["laag", "midden", "hoog"]), "acuut": rng.random() < 0.1},
        "vaardigheden": rng.choice(["voldoende", "beperkt", "onvoldoende"]),
        "woonsituatie": {
            "dakloos": rng.random() < 0.05,
            "zelfstandig_wonen_veilig": zelfstandig,
            "nabijheid_24u_nodig": zelfstandig and rng.random() < 0.1,
        },
        "bestaande_wmo_zorg": rng.choices(["geen", "semimuraal", "intramuraal"], weights=[92, 5, 3])[0],
        "inzet": {"verwachte_duur_maanden": rng.choice([3, 6, 9, 12, 12, 18, 24]),
                  "specialistisch": rng.random() < 0.5},
        "signalen": rng.sample(_SIGNALEN, rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0]),
    }


def synthetische_casussen(aantal: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for nummer in range(1, aantal + 1):
        yield synthetische_casus(rng, nummer, seed)
