"""The web pages, server-rendered in Dutch: one router per page module, the static files, HTML error pages.

- aanmelden: sign-in with an API key, sign-out, the start page per role;
- oidc: sign-in through the municipality's identity provider (OpenID Connect);
- advies: "Advies aanvragen" and an advies' page with "besluit vastleggen" (indicatiesteller), the list
  of adviezen;
- document: the advies as a PDF for the signed-in session (`/advies/{id}/pdf`);
- onderbouwing: the explanation chain with sources and alternatives, reviewed per step (HG-deskundige);
- scenarios: scenarios, replay over the casuïstiek, impact report, deviation statistics (beleidsmaker);
- opgeslagen: the saved scenarios: open a version, download it as YAML (beleidsmaker);
- voorstellen: the deviations of the besluiten propose the next scenario (beleidsmaker);
- beheer: the audit log and deleting an advies (beheerder).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.web import (
    aanmelden,
    advies,
    beheer,
    document,
    herindicatie,
    oidc,
    onderbouwing,
    opgeslagen,
    scenarios,
    voorstellen,
)
from api.web.pagina import HIER, fout, is_pagina, zin

__all__ = ["installeer", "is_pagina", "foutpagina"]

_TITELS = {400: "Ongeldig verzoek", 401: "Niet aangemeld", 403: "Geen toegang", 404: "Niet gevonden",
           405: "Niet toegestaan", 409: "Nog niet beschikbaar", 413: "Te groot", 422: "Ongeldige invoer",
           429: "Te veel verzoeken", 500: "Er ging iets mis", 503: "Tijdelijk niet beschikbaar"}


def installeer(app: FastAPI) -> None:
    for module in (aanmelden, oidc, advies, document, herindicatie, onderbouwing, scenarios, opgeslagen,
                   voorstellen, beheer):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HIER / "static"), name="static")


def foutpagina(request: Request, status: int, melding: str) -> HTMLResponse:
    """An error on a page path, as a Dutch HTML page (the API answers JSON)."""
    return fout(request, status, _TITELS.get(status, "Fout"), zin(melding))
