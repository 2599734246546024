"""The "besluit vastleggen" form on an advies page: accept the advies, or deviate from it with a reason.

Accepting records the advies' own route, perceel, pakket and maatwerk. Deviating takes the chosen values;
a deviation needs a reason (the same rule and message as POST /v1/advies/{id}/besluit), and a
"deviation" equal to the advies is refused with a hint to accept instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import ValidationError

from api.routes.besluiten import afwijkingen
from api.schemas import BesluitIn, Perceel, Resultaatgebied, Route
from api.web.pagina import melding
from engine.taal import label, met_hoofdletter, veldnaam

__all__ = ["BesluitFormulier"]

_VELDEN = {**{v: veldnaam(v, hoofdletter=True) for v in ("route", "perceel", "pakket", "maatwerk")},
           "reden": "Reden", "keuze": "Besluit"}  # the form's fields, in its order


def _label(waarde: object) -> str:
    return met_hoofdletter(label(waarde))


@dataclass
class BesluitFormulier:
    keuze: str
    route: str
    perceel: str
    pakket: str
    maatwerk: list[str]
    reden: str
    fouten: dict[str, list[str]] = field(default_factory=dict)
    besluit: BesluitIn | None = None

    ROUTES = [(w, _label(w)) for w in get_args(Route)]
    PERCELEN = [("", "Geen arrangement"), *((w, _label(w)) for w in get_args(Perceel))]
    PAKKETTEN = [("", "Geen"), ("1", "Pakket 1"), ("2", "Pakket 2"), ("3", "Pakket 3")]
    MAATWERK = [(w, _label(w)) for w in get_args(Resultaatgebied)]

    @classmethod
    def van_advies(cls, advies: dict[str, Any]) -> BesluitFormulier:
        return cls(keuze="akkoord", route=advies["route"], perceel=advies["perceel"] or "",
                   pakket=str(advies["pakket"] or ""), maatwerk=[m["resultaatgebied"] for m in advies["maatwerk"]],
                   reden="")

    @classmethod
    def lees(cls, velden: dict[str, list[str]], advies: dict[str, Any]) -> BesluitFormulier:
        """The submitted form; `besluit` is set when it is valid (the reason rule is checked on storing)."""

        def een(naam: str) -> str:
            return (velden.get(naam) or [""])[0].strip()

        form = cls(keuze=een("keuze"), route=een("route"), perceel=een("perceel"), pakket=een("pakket"),
                   maatwerk=[m for m in velden.get("maatwerk", []) if m], reden=een("reden"))
        if form.keuze == "akkoord":
            geadviseerd = cls.van_advies(advies)
            form.route, form.perceel, form.pakket, form.maatwerk = (
                geadviseerd.route, geadviseerd.perceel, geadviseerd.pakket, geadviseerd.maatwerk)
        elif form.keuze != "afwijken":
            form.fout("keuze", "kies 'Akkoord met het advies' of 'Afwijken van het advies'")
            return form
        try:
            besluit = BesluitIn.model_validate({
                "route": form.route, "perceel": form.perceel or None,
                "pakket": int(form.pakket) if form.pakket.isdigit() else (form.pakket or None),
                "maatwerk": form.maatwerk, "reden": form.reden or None})
        except ValidationError as exc:
            for fout in exc.errors():
                veld = str(fout["loc"][0]) if fout["loc"] else "keuze"
                form.fout(veld if veld in _VELDEN else "keuze", melding(fout))
            return form
        if form.keuze == "afwijken" and not afwijkingen(advies, besluit):
            form.fout("keuze", "uw besluit is gelijk aan het advies: kies 'Akkoord met het advies', "
                      "of wijzig route, perceel, pakket of maatwerk")
            return form
        form.besluit = besluit
        return form

    def fout(self, veld: str, melding: str) -> None:
        self.fouten.setdefault(veld, []).append(melding)

    @property
    def samenvatting(self) -> list[tuple[str, str, str]]:
        """(field id, Dutch field name, message) for the error summary, in form order."""
        return [(f"besluit-{v}", _VELDEN[v], m) for v in _VELDEN for m in self.fouten.get(v, [])]
