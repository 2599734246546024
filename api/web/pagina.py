"""What every web page shares: templates, sign-in state, CSRF, form bodies, error pages, role checks.

The page modules (aanmelden, advies, onderbouwing, scenarios) build on these; none of them touches a
session cookie or a CSRF token directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import ApiFout, lees_body
from api.models import utc
from api.oidc import Aanbieder, oidc_key_id
from api.web.sessies import COOKIE, INACTIEF, csrf_klopt, csrf_token, vind_sessie
from engine.taal import euro, getal, invoerwaarde, label, telling, veldnaam, waarde_in_woorden

__all__ = ["templates", "pagina", "fout", "csrf_voor", "cookie", "formulier", "wie_is", "aanbieder", "sessie_geldig",
           "naar_aanmelden", "volgende_pagina",
           "toegang", "csrf_fout", "is_pagina", "ROLNAMEN",
           "in_sessie", "vind_voor", "zin"]

T = TypeVar("T")
HIER = Path(__file__).parent
templates = Jinja2Templates(directory=HIER / "templates")
MAX_FORMULIER = 64 * 1024
ROLNAMEN = {"indicatiesteller": "indicatiesteller", "hg_deskundige": "HG-deskundige",
            "beleidsmaker": "beleidsmaker", "beheerder": "beheerder"}
templates.env.globals["ROLNAMEN"] = ROLNAMEN
WAARDEN = {"true": "ja", "false": "nee", "null": "geen"}


def woord(tekst: str) -> str:
    """A code or path in words: `hg_arrangement` -> `hg arrangement`, `inzet.duur` -> `inzet, duur`."""
    return str(tekst).replace("_", " ").replace(".", ", ")


def waarde(w: Any) -> str:
    """A fact's or parameter's value in words (yes/no, lists, mappings)."""
    if isinstance(w, bool):
        return "ja" if w else "nee"
    if isinstance(w, list):
        return " / ".join(waarde(x) for x in w)
    if isinstance(w, dict):
        return ", ".join(f"{woord(str(k))}: {waarde(v)}" for k, v in w.items())
    return woord(w) if isinstance(w, str) else str(w)


# Every code in words comes from one place, engine/taal.py (`label`, `invoerwaarde`, `veldnaam`,
# `waarde_in_woorden`): the advies, its pages, the PDF and the replay report say the same.


def uren(aantal: float | int | None) -> str:
    """Hours as everywhere in the product: decimal comma, no trailing zeros (2,25; 3; 0,5)."""
    return "" if aantal is None else getal(float(aantal))


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december")


def lokale_tijd(moment: dt.datetime) -> str:
    """A stored (UTC) time as local time in Rotterdam: '01-12-2026 10:05'."""
    return utc(moment).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def datum_lang(moment: dt.datetime) -> str:
    """'maandag 30 november 2026' (the local date of a stored time)."""
    lokaal = utc(moment).astimezone(AMSTERDAM)
    return f"{_DAGEN[lokaal.weekday()]} {lokaal.day} {_MAANDEN[lokaal.month - 1]} {lokaal.year}"


templates.env.filters["lokale_tijd"] = lokale_tijd
templates.env.filters["datum_lang"] = datum_lang
templates.env.filters["woord"] = woord
templates.env.filters["label"] = label
templates.env.filters["uren"] = uren
templates.env.filters["waarde"] = waarde
templates.env.filters["euro"] = euro
templates.env.filters["invoerwaarde"] = invoerwaarde
templates.env.filters["veldnaam"] = veldnaam
templates.env.filters["telling"] = telling  # {{ n|telling("casus", "casussen") }}
templates.env.filters["waarde_in_woorden"] = waarde_in_woorden
_API_PADEN = ("/v1/", "/health", "/docs", "/redoc", "/openapi.json", "/static/")


def is_pagina(request: Request) -> bool:
    """A request for a web page (answered in HTML), not for the API."""
    return not request.url.path.startswith(_API_PADEN)


def pagina(request: Request, naam: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("wie", None)
    context.setdefault("csrf", csrf_voor(request) if context["wie"] else "")
    return templates.TemplateResponse(request, naam, context, status_code=status)


def fout(request: Request, status: int, titel: str, melding: str, wie: Principal | None = None) -> HTMLResponse:
    return pagina(request, "fout.html", status, titel=titel, melding=melding, wie=wie)


def csrf_fout(request: Request, wie: Principal | None = None) -> HTMLResponse:
    return fout(request, 403, "Verzoek geweigerd", "Het formulier is verlopen of niet van deze site. "
                "Laad de pagina opnieuw en probeer het nog eens.", wie)


def csrf_voor(request: Request) -> str:
    return csrf_token(request.cookies.get(COOKIE, ""))


def cookie(response: Response, request: Request, naam: str, waarde: str, max_age: int) -> None:
    response.set_cookie(naam, waarde, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


async def formulier(request: Request, maximum: int = MAX_FORMULIER) -> dict[str, list[str]]:
    body = await lees_body(request, maximum, "(formulier)", "het formulier is te groot")
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=2000)


def eerste(velden: dict[str, list[str]], naam: str) -> str:
    return (velden.get(naam) or [""])[0]


def aanbieder(request: Request) -> Aanbieder | None:
    """The municipality's identity provider (OpenID Connect), None when HG_OIDC_* is not set."""
    gevonden: Aanbieder | None = getattr(request.app.state, "oidc", None)
    return gevonden


def sessie_geldig(request: Request, wie: Principal) -> bool:
    """Whether a session's principal may still use the pages: a session of the identity provider while that
    provider is configured (the one it came from: the key id hashes issuer and subject); a key session while
    its key is configured with that role, and with an identity provider only a beheerder's key."""
    idp = aanbieder(request)
    if wie.subject is not None:
        return idp is not None and wie.key_id == oidc_key_id(idp.issuer, wie.subject)
    if wie not in request.app.state.sleutels:
        return False  # the key was withdrawn or given another role (HG_API_KEYS): its sessions end with it
    return idp is None or wie.rol == "beheerder"


async def wie_is(request: Request) -> Principal | None:
    """The principal of the request's session, if it is signed in, was not idle too long, and may still
    sign in (`sessie_geldig`)."""
    inactief = getattr(request.app.state, "sessie_inactief", INACTIEF)
    wie: Principal | None = await run_in_threadpool(vind_sessie, request.app.state.db, request.cookies.get(COOKIE),
                                                    inactief)
    if wie is not None and not sessie_geldig(request, wie):
        return None
    return wie


def volgende_pagina(pad: str | None) -> str | None:
    """`pad` when it is a path on this site to return to after signing in (`/adviezen?casus=0412`): one leading
    `/` (not `//`), no scheme, no backslash, no whitespace or control character, at most 2000 characters;
    else None (an address elsewhere would make the sign-in an open redirect)."""
    if not pad or len(pad) > 2000 or not pad.startswith("/") or pad.startswith("//"):
        return None
    if "\\" in pad or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in pad):
        return None
    if pad == "/aanmelden" or pad.startswith(("/aanmelden?", "/aanmelden/")):
        return None
    return pad


def naar_aanmelden(request: Request | None = None) -> RedirectResponse:
    """To the sign-in page; for a page asked for with GET, with `?volgende=` so the sign-in returns there."""
    if request is not None and request.method == "GET":
        pad = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if volgende_pagina(pad):
            return RedirectResponse(f"/aanmelden?{urlencode({'volgende': pad})}", status_code=303)
    return RedirectResponse("/aanmelden", status_code=303)


async def toegang(request: Request, rollen: frozenset[str],
                  velden: dict[str, list[str]] | None = None) -> Principal | Response:
    """The signed-in principal if its role may use this page (and, for a form, its CSRF token is right);
    otherwise the response to give: the sign-in page, a CSRF error or "geen toegang"."""
    wie = await wie_is(request)
    if wie is None:
        return naar_aanmelden(request)
    if velden is not None and not csrf_klopt(request.cookies.get(COOKIE), eerste(velden, "csrf")):
        return csrf_fout(request, wie)
    if wie.rol not in rollen and wie.rol != "beheerder":
        return fout(request, 403, "Geen toegang",
                    f"Met de rol {ROLNAMEN.get(wie.rol, wie.rol)} kunt u deze pagina niet gebruiken.", wie)
    return wie


def melding(fout: Any, bij_keuze: str = "kies een van de genoemde waarden") -> str:
    """A pydantic error of a form field in Dutch, phrased as what to do (the form's own words for a wrong
    choice)."""
    if fout["type"] in ("literal_error", "enum"):
        return bij_keuze
    if fout["type"] == "string_too_long":
        return "maak de tekst korter: hoogstens 2000 tekens"
    if fout["type"] == "string_pattern_mismatch":
        return "haal de onzichtbare stuurtekens uit de tekst (ze komen soms mee bij het plakken)"
    return "controleer deze waarde en vul hem opnieuw in"


async def in_sessie(request: Request, functie: Callable[..., T], *args: Any) -> T:
    """`functie(session, *args)` in a worker thread, in a database session of its own."""

    def doe() -> T:
        with Session(request.app.state.db, expire_on_commit=False) as session:
            return functie(session, *args)

    return await run_in_threadpool(doe)


def zin(melding: str) -> str:
    """A Dutch error message as a sentence (first letter upper case, a full stop)."""
    return melding[:1].upper() + melding[1:] + ("" if melding.endswith(".") else ".")


async def vind_voor(request: Request, rollen: frozenset[str], vinder: Callable[..., T], sleutel: str,
                    velden: dict[str, list[str]] | None = None,
                    actie: str | None = None) -> tuple[Principal, T] | Response:
    """The signed-in principal (with a role in `rollen`, and for a form a valid CSRF token) and what the API's
    `vinder(session, sleutel, wie)` finds for it; otherwise the page to show instead (sign-in, CSRF error,
    403, or the finder's 403/404 as a page). With an `actie` the finder writes the audit line
    (`vinder(session, sleutel, wie, request, actie)`, as api.routes.advies.vind_advies)."""
    wie = await toegang(request, rollen, velden)
    if isinstance(wie, Response):
        return wie
    try:
        extra = (request, actie) if actie is not None else ()
        return wie, await in_sessie(request, vinder, sleutel, wie, *extra)
    except ApiFout as exc:
        titel = "Niet gevonden" if exc.status == 404 else "Geen toegang"
        return fout(request, exc.status, titel, zin(exc.fouten[0]["melding"]), wie)
