"""Sign-in through the municipality's identity provider (OpenID Connect): the provider's configuration, the
authorization request (code flow with PKCE, S256), the code exchange, the ID token's validation and the role.

No web here: `api/web/oidc.py` holds the pages and routes. Authlib builds the authorization request and
validates the ID token's claims (issuer, audience, authorized party, expiry, nonce, at_hash); joserfc, the JOSE
library Authlib is built on, checks its signature against the provider's published keys (JWKS). The provider's
discovery document and keys are fetched when first needed (the service starts while the provider is down) and
cached; a provider that cannot be reached raises `Onbereikbaar` (the pages answer a Dutch 503).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlparse

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from api.auth import ROLLEN, Principal
from api.settings import Settings

__all__ = ["Instelling", "Aanbieder", "OidcFout", "Onbereikbaar", "Geweigerd", "Aanmelding", "oidc_key_id",
           "rol_uit", "TIJDSLIMIET"]

TIJDSLIMIET = 10.0  # seconds for each call to the provider
BEWAREN = 24 * 3600.0  # the discovery document is fetched again after a day (the old one is kept on failure)
SLEUTELS_OPNIEUW = 30.0  # an unknown key id fetches the JWKS again, at most this often
LEEWAY = 60  # seconds of clock difference allowed on exp, iat
# Asymmetric signatures only: never "none", and no HMAC with the client secret.
ALGORITMEN = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519")


class OidcFout(ValueError):
    """The HG_OIDC_* settings cannot be used (at start-up)."""


class Onbereikbaar(Exception):
    """The identity provider cannot be reached or gives no usable answer about itself."""


class Geweigerd(Exception):
    """The sign-in is refused: `reden` is a Dutch sentence for the page; `subject` when the provider said who."""

    def __init__(self, reden: str, status: int = 400, subject: str | None = None, log: str = "") -> None:
        super().__init__(log or reden)
        self.reden, self.status, self.subject = reden, status, subject


@dataclass(frozen=True)
class Instelling:
    issuer: str
    client_id: str
    client_secret: str
    rol_claim: str = "roles"
    scopes: tuple[str, ...] = ()
    acr: tuple[str, ...] = ()

    @classmethod
    def uit(cls, settings: Settings) -> Instelling | None:
        """The OIDC settings, None when none is set; some but not all three: OidcFout."""
        waarden = {"HG_OIDC_ISSUER": settings.oidc_issuer.strip(), "HG_OIDC_CLIENT_ID": settings.oidc_client_id.strip(),
                   "HG_OIDC_CLIENT_SECRET": settings.oidc_client_secret}
        if not any(waarden.values()):
            return None
        ontbreekt = [naam for naam, waarde in waarden.items() if not waarde]
        if ontbreekt:
            raise OidcFout(f"{', '.join(ontbreekt)} ontbreekt: aanmelden via de gemeente (OpenID Connect) vraagt "
                           "HG_OIDC_ISSUER, HG_OIDC_CLIENT_ID en HG_OIDC_CLIENT_SECRET")
        issuer = waarden["HG_OIDC_ISSUER"]
        url = urlparse(issuer)
        loopback = url.scheme == "http" and url.hostname in ("localhost", "127.0.0.1", "::1")  # tests only
        if not url.hostname or not (url.scheme == "https" or loopback):
            raise OidcFout("HG_OIDC_ISSUER moet een https-adres zijn")
        scopes = tuple(s for s in settings.oidc_scopes.split() if s != "openid")
        return cls(issuer, waarden["HG_OIDC_CLIENT_ID"], waarden["HG_OIDC_CLIENT_SECRET"],
                   settings.oidc_rol_claim.strip(), scopes, tuple(settings.oidc_acr.split()))


def oidc_key_id(issuer: str, subject: str) -> str:
    """The key id of a person signed in through the identity provider: a hash of issuer and subject."""
    return hashlib.sha256(f"oidc:{issuer}|{subject}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Aanmelding:
    """A validated sign-in: who, and the ID token (kept for the sign-out at the provider)."""

    wie: Principal
    id_token: str


def _waarde(claims: Mapping[str, Any], pad: str) -> Any:
    """A claim by its name, or by a dotted path into nested objects (`realm_access.roles`)."""
    if pad in claims:
        return claims[pad]
    waarde: Any = claims
    for deel in pad.split("."):
        if not isinstance(waarde, Mapping) or deel not in waarde:
            return None
        waarde = waarde[deel]
    return waarde


def rol_uit(claims: Mapping[str, Any], claim: str) -> str:
    """The one role among the claim's values (a string or a list; other values are ignored). No role, or
    several different ones: Geweigerd (403)."""
    waarde = _waarde(claims, claim)
    waarden = [waarde] if isinstance(waarde, str) else (waarde if isinstance(waarde, list) else [])
    rollen = sorted({w for w in waarden if isinstance(w, str) and w in ROLLEN})
    if not rollen:
        raise Geweigerd("Uw account bij de gemeente heeft geen rol voor HG-advies. Vraag de beheerder van uw "
                        "account om een van de rollen indicatiesteller, HG-deskundige, beleidsmaker of beheerder.",
                        403, log="geen rol in de claim")
    if len(rollen) > 1:
        raise Geweigerd("Uw account bij de gemeente heeft meer dan één rol voor HG-advies. Elk account hoort bij "
                        "precies één rol; vraag de beheerder van uw account dit recht te zetten.", 403,
                        log=f"meer dan één rol: {', '.join(rollen)}")
    return rollen[0]


class Aanbieder:
    """The identity provider of one service process: its settings, and its discovery document and keys once
    fetched. Thread-safe within one event loop (a lock per kind of fetch)."""

    def __init__(self, instelling: Instelling, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.instelling = instelling
        self._transport = transport  # tests may replace the network
        self._configuratie: dict[str, Any] | None = None
        self._configuratie_op = 0.0
        self._sleutels: KeySet | None = None
        self._sleutels_op = 0.0
        self._slot: asyncio.Lock | None = None

    @property
    def issuer(self) -> str:
        return self.instelling.issuer

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=TIJDSLIMIET, transport=self._transport, follow_redirects=False,
                                 headers={"User-Agent": "hg-advies"})

    def _lock(self) -> asyncio.Lock:
        if self._slot is None:
            self._slot = asyncio.Lock()
        return self._slot

    async def _json(self, url: str) -> dict[str, Any]:
        try:
            async with self._client() as client:
                antwoord = await client.get(url, headers={"Accept": "application/json"})
            antwoord.raise_for_status()
            data = antwoord.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise Onbereikbaar(f"{url}: {type(exc).__name__}") from exc
        if not isinstance(data, dict):
            raise Onbereikbaar(f"{url}: geen JSON-object")
        return data

    def bekende_configuratie(self) -> dict[str, Any] | None:
        """The discovery document if it was fetched (without fetching it)."""
        return self._configuratie

    async def configuratie(self) -> dict[str, Any]:
        """The provider's discovery document (`/.well-known/openid-configuration`), checked: its issuer is the
        configured one, and it names the endpoints the code flow needs."""
        if self._configuratie is not None and time.monotonic() - self._configuratie_op < BEWAREN:
            return self._configuratie
        async with self._lock():
            if self._configuratie is not None and time.monotonic() - self._configuratie_op < BEWAREN:
                return self._configuratie
            try:
                data = await self._json(self.issuer.rstrip("/") + "/.well-known/openid-configuration")
                if data.get("issuer") != self.issuer:
                    raise Onbereikbaar(f"de issuer van de identity provider is {data.get('issuer')!r}, niet "
                                       f"{self.issuer!r} (HG_OIDC_ISSUER)")
                for veld in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not isinstance(data.get(veld), str):
                        raise Onbereikbaar(f"de identity provider noemt geen {veld}")
                methoden = data.get("code_challenge_methods_supported")
                if isinstance(methoden, list) and "S256" not in methoden:
                    raise Onbereikbaar("de identity provider ondersteunt PKCE met S256 niet")
            except Onbereikbaar:
                if self._configuratie is not None:  # keep using the one we had
                    return self._configuratie
                raise
            self._configuratie, self._configuratie_op = data, time.monotonic()
            return data

    async def _keyset(self, kid: str | None) -> KeySet:
        """The provider's signing keys; fetched again when a token names a key id we do not know."""
        bekend = self._sleutels
        if bekend is not None and (kid is None or any(k.kid == kid for k in bekend.keys)):
            return bekend
        async with self._lock():
            if self._sleutels is not None and (time.monotonic() - self._sleutels_op < SLEUTELS_OPNIEUW
                                               or self._sleutels is not bekend):
                return self._sleutels
            configuratie = await self.configuratie()
            data = await self._json(configuratie["jwks_uri"])
            try:
                sleutels = KeySet.import_key_set(data)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise Onbereikbaar("de sleutels van de identity provider zijn onleesbaar") from exc
            self._sleutels, self._sleutels_op = sleutels, time.monotonic()
            return sleutels

    def autorisatie_url(self, configuratie: Mapping[str, Any], redirect_uri: str, state: str, nonce: str,
                        verifier: str) -> str:
        """The authorization request: code flow, PKCE with S256, state and nonce, and acr values if set."""
        url: str = prepare_grant_uri(
            configuratie["authorization_endpoint"], self.instelling.client_id, "code", redirect_uri,
            ["openid", *self.instelling.scopes], state, nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256",
            acr_values=" ".join(self.instelling.acr) or None)
        return url

    def afmeld_url(self, configuratie: Mapping[str, Any] | None, id_token: str | None,
                   terug: str) -> str | None:
        """RP-initiated logout at the provider, when it advertises an end_session_endpoint."""
        eind = (configuratie or {}).get("end_session_endpoint")
        if not isinstance(eind, str):
            return None
        parameters = [("client_id", self.instelling.client_id), ("post_logout_redirect_uri", terug)]
        if id_token:
            parameters.insert(0, ("id_token_hint", id_token))
        url: str = add_params_to_uri(eind, parameters)
        return url

    async def _token(self, configuratie: Mapping[str, Any], code: str, redirect_uri: str,
                     verifier: str) -> dict[str, Any]:
        """Exchange the code (with the PKCE verifier) at the token endpoint; client_secret_basic unless the
        provider only takes client_secret_post."""
        inst = self.instelling
        formulier = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                     "code_verifier": verifier}
        methoden = configuratie.get("token_endpoint_auth_methods_supported")
        auth: Any = httpx.USE_CLIENT_DEFAULT
        if isinstance(methoden, list) and "client_secret_basic" not in methoden and "client_secret_post" in methoden:
            formulier |= {"client_id": inst.client_id, "client_secret": inst.client_secret}
        else:  # RFC 6749 2.3.1: id and secret form-encoded before the basic scheme
            auth = httpx.BasicAuth(quote(inst.client_id, safe=""), quote(inst.client_secret, safe=""))
        try:
            async with self._client() as client:
                antwoord = await client.post(configuratie["token_endpoint"], data=formulier, auth=auth,
                                             headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise Onbereikbaar(f"token endpoint: {type(exc).__name__}") from exc
        if antwoord.status_code >= 500:
            raise Onbereikbaar(f"token endpoint: {antwoord.status_code}")
        try:
            data = antwoord.json()
        except ValueError:
            data = None
        if antwoord.status_code != 200 or not isinstance(data, dict):
            fout = data.get("error") if isinstance(data, dict) else None
            raise Geweigerd(_MISLUKT, log=f"token endpoint: {antwoord.status_code} {fout or ''}".strip())
        if not isinstance(data.get("id_token"), str):
            raise Geweigerd(_MISLUKT, log="token endpoint: geen id_token")
        return data

    async def valideer_id_token(self, configuratie: Mapping[str, Any], id_token: str, nonce: str,
                                access_token: str | None) -> dict[str, Any]:
        """The ID token's claims after checking its signature (JWKS), issuer, audience, authorized party,
        expiry, issue time, nonce and at_hash; Geweigerd when any is wrong."""
        toegestaan = configuratie.get("id_token_signing_alg_values_supported")
        algoritmen = [a for a in ALGORITMEN if not isinstance(toegestaan, list) or a in toegestaan]
        try:
            kid = extract_compact(id_token.encode()).headers().get("kid")
        except (JoseError, ValueError) as exc:
            raise Geweigerd(_MISLUKT, log="id_token onleesbaar") from exc
        sleutels = await self._keyset(kid if isinstance(kid, str) else None)
        try:
            token = jwt.decode(id_token, sleutels, algorithms=algoritmen)
            claims = CodeIDToken(
                token.claims, token.header,
                options={"iss": {"essential": True, "value": configuratie["issuer"]},
                         "aud": {"essential": True, "value": self.instelling.client_id},
                         "sub": {"essential": True}, "nonce": {"essential": True, "value": nonce}},
                params={"nonce": nonce, "client_id": self.instelling.client_id, "access_token": access_token})
            claims.validate(leeway=LEEWAY)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise Geweigerd(_MISLUKT, log=f"id_token ongeldig: {type(exc).__name__}: {exc}") from exc
        gevalideerd: dict[str, Any] = dict(claims)
        if not isinstance(gevalideerd.get("sub"), str) or not gevalideerd["sub"] or len(gevalideerd["sub"]) > 255:
            raise Geweigerd(_MISLUKT, log="id_token zonder bruikbaar sub")
        if self.instelling.acr and gevalideerd.get("acr") not in self.instelling.acr:
            raise Geweigerd("De gemeente heeft niet bevestigd dat u zich met het vereiste niveau hebt aangemeld "
                            "(bijvoorbeeld met een tweede factor). Meld u opnieuw aan.", 403,
                            subject=gevalideerd["sub"], log=f"acr {gevalideerd.get('acr')!r} niet toegestaan")
        return gevalideerd

    async def _userinfo(self, configuratie: Mapping[str, Any], access_token: str, sub: str) -> dict[str, Any]:
        eind = configuratie.get("userinfo_endpoint")
        if not isinstance(eind, str) or not access_token:
            return {}
        try:
            async with self._client() as client:
                antwoord = await client.get(eind, headers={"Authorization": f"Bearer {access_token}",
                                                           "Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise Onbereikbaar(f"userinfo endpoint: {type(exc).__name__}") from exc
        try:
            data = antwoord.json() if antwoord.status_code == 200 else None
        except ValueError:
            data = None
        if not isinstance(data, dict):  # e.g. a signed userinfo (application/jwt): not used
            return {}
        if data.get("sub") != sub:  # OIDC Core 5.3.2: the userinfo must be about the ID token's subject
            raise Geweigerd(_MISLUKT, subject=sub, log="userinfo over een ander sub")
        return data

    async def meld_aan(self, code: str, redirect_uri: str, verifier: str, nonce: str) -> Aanmelding:
        """Exchange the code, validate the ID token and find the role: the claim in the ID token, or else in
        the userinfo answer (where a provider puts the claims of a requested scope)."""
        configuratie = await self.configuratie()
        tokens = await self._token(configuratie, code, redirect_uri, verifier)
        access_token = tokens.get("access_token") if isinstance(tokens.get("access_token"), str) else None
        claims = await self.valideer_id_token(configuratie, tokens["id_token"], nonce, access_token)
        sub: str = claims["sub"]
        if _waarde(claims, self.instelling.rol_claim) is None and access_token:
            claims = {**await self._userinfo(configuratie, access_token, sub), **claims}
        try:
            rol = rol_uit(claims, self.instelling.rol_claim)
        except Geweigerd as exc:
            exc.subject = sub
            raise
        return Aanmelding(Principal(oidc_key_id(self.issuer, sub), rol, sub), tokens["id_token"])


_MISLUKT = ("De gemeente gaf geen geldig antwoord op de aanmelding. Probeer het opnieuw; lukt het dan nog niet, "
            "neem contact op met de beheerder.")
