"""Sign-in through the municipality's identity provider (OpenID Connect) for the web pages.

- `GET /aanmelden/oidc`: starts the code flow: a fresh state, nonce and PKCE verifier go into the short-lived
  `hg_oidc` cookie (HttpOnly, SameSite=Lax, path /aanmelden/oidc, 10 minutes, signed with a key derived from
  the client secret, so every worker process can check it), and the browser goes to the provider.
- `GET /aanmelden/oidc/terug` (the redirect URI to register): the state must be the cookie's (CSRF); the
  code is exchanged with the verifier, the ID token validated (`api/oidc.py`), the role taken from its claim.

The callback is a top-level navigation from the provider's site: the Lax pre-login cookie is sent with it,
but the session cookie (`hg_sessie`, SameSite=Strict) would not be sent on a redirect that continues that
cross-site chain. So the callback answers with a short page that continues to the start page itself
(`Refresh`, and a link): that request starts on this site and carries the new session cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api import audit
from api.oidc import Aanbieder, Geweigerd, Onbereikbaar, oidc_key_id
from api.web import pagina as p
from api.web.aanmelden import STARTPAGINA
from api.web.sessies import COOKIE, GELDIG, nieuwe_sessie

__all__ = ["router", "VOORLOPIG_COOKIE", "PAD"]

log = logging.getLogger("hg_advies.oidc")
router = APIRouter(include_in_schema=False)
PAD = "/aanmelden/oidc"
VOORLOPIG_COOKIE = "hg_oidc"  # state, nonce and PKCE verifier between the start and the callback
VOORLOPIG_GELDIG = 600  # seconds
_ONBEREIKBAAR = ("Aanmelden via de gemeente is op dit moment niet mogelijk: het inlogsysteem van de gemeente "
                 "is niet bereikbaar. Probeer het over een paar minuten opnieuw.")
_VERLOPEN = ("De aanmelding is verlopen of niet in deze browser begonnen. Begin opnieuw via "
             "‘Aanmelden via de gemeente’.")


def _sleutel(aanbieder: Aanbieder) -> bytes:
    return hmac.new(aanbieder.instelling.client_secret.encode(), b"hg-advies oidc-aanmelding", hashlib.sha256).digest()


def _teken(aanbieder: Aanbieder, waarden: dict[str, Any]) -> str:
    inhoud = base64.urlsafe_b64encode(json.dumps(waarden, separators=(",", ":")).encode()).decode().rstrip("=")
    handtekening = hmac.new(_sleutel(aanbieder), inhoud.encode(), hashlib.sha256).hexdigest()
    return f"{inhoud}.{handtekening}"


def _lees(aanbieder: Aanbieder, waarde: str | None) -> dict[str, Any] | None:
    """The pre-login cookie's values if its signature is right and it is not older than 10 minutes."""
    if not waarde or len(waarde) > 2048 or "." not in waarde:
        return None
    inhoud, _, handtekening = waarde.rpartition(".")
    verwacht = hmac.new(_sleutel(aanbieder), inhoud.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(verwacht.encode(), handtekening.encode()):
        return None
    try:
        waarden = json.loads(base64.urlsafe_b64decode(inhoud + "=" * (-len(inhoud) % 4)))
    except ValueError:
        return None
    if not isinstance(waarden, dict) or not all(isinstance(waarden.get(k), str) for k in ("s", "n", "v")):
        return None
    if not isinstance(waarden.get("t"), int) or not 0 <= time.time() - waarden["t"] <= VOORLOPIG_GELDIG:
        return None
    return waarden


def _terug_url(request: Request) -> str:
    return str(request.url_for("oidc_terug"))


def _onbereikbaar(request: Request, exc: Exception) -> Response:
    log.warning("identity provider onbereikbaar: %s", exc)
    response = p.fout(request, 503, "Tijdelijk niet beschikbaar", _ONBEREIKBAAR)
    response.headers["Retry-After"] = "60"
    return response


def _wis_voorlopig(response: Response, request: Request) -> None:
    response.delete_cookie(VOORLOPIG_COOKIE, path=PAD, httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")


async def _mislukt(request: Request, aanbieder: Aanbieder, reden: str, status: int, subject: str | None = None,
                   log_reden: str = "") -> Response:
    """The refusal page, with its audit line (`aanmelden_mislukt`; with the subject when the provider said
    who); the pre-login cookie is spent."""
    log.info("aanmelden via de identity provider geweigerd: %s", log_reden or reden)
    regel = audit.regel("aanmelden_mislukt", None, request, status=status)
    if subject is not None:
        regel |= {"subject": subject[:255], "key_id": oidc_key_id(aanbieder.issuer, subject)}
    await run_in_threadpool(audit.schrijf, request.app.state.db, regel)
    response = p.pagina(request, "oidc_geweigerd.html", status, melding=reden)
    _wis_voorlopig(response, request)
    return response


@router.get(PAD)
async def oidc_start(request: Request) -> Response:
    gevonden = p.aanbieder(request)
    if gevonden is None:
        return p.fout(request, 404, "Niet gevonden", "Aanmelden via de gemeente is hier niet ingesteld.")
    try:
        configuratie = await gevonden.configuratie()
    except Onbereikbaar as exc:
        return _onbereikbaar(request, exc)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    url = gevonden.autorisatie_url(configuratie, _terug_url(request), state, nonce, verifier)
    response = RedirectResponse(url, status_code=303)
    volgende = p.volgende_pagina(request.query_params.get("volgende"))  # "w": back there after the sign-in
    response.set_cookie(VOORLOPIG_COOKIE, _teken(gevonden, {"s": state, "n": nonce, "v": verifier,
                                                            "t": int(time.time()), "w": volgende}),
                        max_age=VOORLOPIG_GELDIG, path=PAD, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


@router.get(PAD + "/terug", name="oidc_terug")
async def oidc_terug(request: Request) -> Response:
    gevonden = p.aanbieder(request)
    if gevonden is None:
        return p.fout(request, 404, "Niet gevonden", "Aanmelden via de gemeente is hier niet ingesteld.")
    parameters = request.query_params
    voorlopig = _lees(gevonden, request.cookies.get(VOORLOPIG_COOKIE))
    state = parameters.get("state", "")
    if voorlopig is None:
        return await _mislukt(request, gevonden, _VERLOPEN, 400, log_reden="geen of ongeldig voorlopig cookie")
    if not hmac.compare_digest(voorlopig["s"].encode(), state.encode()):
        return await _mislukt(request, gevonden, _VERLOPEN, 400, log_reden="state klopt niet")
    if parameters.get("error"):
        return await _mislukt(request, gevonden, "De aanmelding bij de gemeente is niet voltooid. Probeer het "
                              "opnieuw.", 400, log_reden=f"de identity provider meldt {parameters['error']!r}")
    try:
        configuratie = await gevonden.configuratie()
        iss = parameters.get("iss")
        if iss is not None and iss != configuratie["issuer"]:  # RFC 9207: an answer of another provider
            raise Geweigerd(_VERLOPEN, log=f"iss {iss!r} is niet de issuer")
        code = parameters.get("code")
        if not code:
            raise Geweigerd(_VERLOPEN, log="geen code")
        aanmelding = await gevonden.meld_aan(code, _terug_url(request), voorlopig["v"], voorlopig["n"])
    except Onbereikbaar as exc:
        await run_in_threadpool(audit.schrijf, request.app.state.db,
                                audit.regel("aanmelden_mislukt", None, request, status=503))
        response = _onbereikbaar(request, exc)
        _wis_voorlopig(response, request)
        return response
    except Geweigerd as exc:
        return await _mislukt(request, gevonden, exc.reden, exc.status, exc.subject, str(exc))
    wie = aanmelding.wie
    sessie_id = await run_in_threadpool(nieuwe_sessie, request.app.state.db, wie, aanmelding.id_token)
    await audit.leg_vast(request, "aangemeld", wie)
    start = p.volgende_pagina(voorlopig.get("w")) or STARTPAGINA[wie.rol]
    response = p.pagina(request, "oidc_verder.html", 200, verder=start, rol=wie.rol)
    response.headers["Refresh"] = f"0; url={start}"
    p.cookie(response, request, COOKIE, sessie_id, int(GELDIG.total_seconds()))
    _wis_voorlopig(response, request)
    return response
