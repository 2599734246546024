"""Shared example casussen for the tests."""

from __future__ import annotations

from typing import Any

VOORBEELD: dict[str, Any] = {  # the casus of contract.md, unchanged
    "casus_id": "VJ-2020-1",
    "peildatum": "2021-09-01",
    "woonplaats": "rotterdam",
    "leden": [
        {"id": "moeder", "leeftijd": 36, "rollen": ["slachtoffer"], "in_beeld": True, "meewerkend": True},
        {"id": "vader", "leeftijd": 38, "rollen": ["pleger"], "in_beeld": True, "meewerkend": False},
        {"id": "zoon", "leeftijd": 6, "rollen": ["getuige"]},
    ],
    "geweld": {"binnen_huiselijke_kring": True, "structureel": True,
               "vormen": ["fysiek", "psychisch"], "intieme_terreur": True},
    "veiligheid": {"niveau": "hoog", "acuut": False},
    "vaardigheden": "beperkt",
    "woonsituatie": {"dakloos": False, "zelfstandig_wonen_veilig": True, "nabijheid_24u_nodig": False},
    "bestaande_wmo_zorg": "geen",
    "inzet": {"verwachte_duur_maanden": 12, "specialistisch": True},
    "signalen": ["verslaving"],
}
