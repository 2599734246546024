"""Request dependencies: the database session, the caller's key and role, and API errors in Dutch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.auth import Principal, Sleutels

__all__ = ["ApiFout", "SessionDep", "Rollen", "rollen", "Bearer", "sleutelhouder", "PRINCIPAL"]

Bearer = HTTPBearer(auto_error=False, description="API-sleutel uit HG_API_KEYS")


class ApiFout(Exception):
    """An error answered as `{"fouten": [{"veld", "melding"}]}` with its HTTP status."""

    def __init__(self, status: int, veld: str, melding: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(melding)
        self.status = status
        self.fouten = [{"veld": veld, "melding": melding}]
        self.headers = headers

    @classmethod
    def lijst(cls, status: int, fouten: list[dict[str, str]]) -> ApiFout:
        """Several field errors at once (e.g. every problem of a refused casus)."""
        fout = cls(status, fouten[0]["veld"], fouten[0]["melding"])
        fout.fouten = fouten
        return fout


def _session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.db) as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


async def _principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(Bearer)]
) -> Principal:
    if credentials is None:
        return _sleutelhouder(request, "", "")
    return _sleutelhouder(request, credentials.scheme, credentials.credentials)


PRINCIPAL = "hg_principal"  # scope key: the principal api/poort.py already found for this request's key


def _sleutelhouder(request: Request, scheme: str, sleutel: str) -> Principal:
    # The gate (api/poort.py) looked the key of every /v1/ request that carries one up already, after the
    # limit of failed attempts; what is left here is a request without a key (401, nothing to count).
    gevonden = request.scope.get(PRINCIPAL)
    if isinstance(gevonden, Principal):
        return gevonden
    return sleutelhouder(request.app.state.sleutels, scheme, sleutel)


def sleutelhouder(sleutels: Sleutels, scheme: str, sleutel: str) -> Principal:
    """The principal of a bearer key; ApiFout 401 when it is missing or unknown (also api/poort.py, before a
    body is read)."""
    if scheme.lower() != "bearer" or not sleutel:
        raise ApiFout(401, "Authorization", "authenticatie vereist: stuur 'Authorization: Bearer <sleutel>'",
                      {"WWW-Authenticate": "Bearer"})
    principal = sleutels.lookup(sleutel)
    if principal is None:
        raise ApiFout(401, "Authorization", "onbekende of ongeldige sleutel", {"WWW-Authenticate": "Bearer"})
    return principal


def alleen_parameters(request: Request, *toegestaan: str) -> None:
    """Refuse (422, naming it) a query parameter the operation does not take: a misspelt filter or version must not
    silently widen what is read or give the newest instead."""
    for naam in request.query_params:
        if naam not in toegestaan:
            raise ApiFout(422, naam[:40] or "(verzoek)", f"onbekende parameter (toegestaan: {', '.join(toegestaan)})"
                          if toegestaan else "onbekende parameter: dit verzoek heeft geen parameters")


async def lees_body(request: Request, maximum: int, veld: str, te_groot: str) -> bytes:
    """The request body, refused (413: `veld`, `te_groot`) as soon as it is known to exceed `maximum` bytes
    (from Content-Length, or while reading): never more than that is buffered."""
    lengte = request.headers.get("content-length", "")
    if lengte.isdigit() and int(lengte) > maximum:
        raise ApiFout(413, veld, te_groot)
    delen: list[bytes] = []
    grootte = 0
    async for deel in request.stream():
        grootte += len(deel)
        if grootte > maximum:
            raise ApiFout(413, veld, te_groot)
        delen.append(deel)
    return b"".join(delen)


class Rollen:
    """A dependency that admits only these roles (and always the beheerder)."""

    def __init__(self, *toegestaan: str) -> None:
        self.allowed = frozenset(toegestaan) | {"beheerder"}

    async def __call__(self, principal: Annotated[Principal, Depends(_principal)]) -> Principal:
        if principal.rol not in self.allowed:
            raise ApiFout(403, "Authorization", f"de rol '{principal.rol}' mag dit niet")
        return principal

    async def check(self, request: Request) -> None:
        """The same check outside dependency solving (raises ApiFout on 401/403)."""
        self.toets(request)

    def toets(self, request: Request) -> Principal:
        """The same check, read straight from the header, for a route on the hot path: FastAPI's dependency
        solving costs ~0.25 ms per request, a sixth of a whole POST /v1/advies (measured)."""
        scheme, _, sleutel = request.headers.get("authorization", "").partition(" ")
        principal = _sleutelhouder(request, scheme, sleutel)
        if principal.rol not in self.allowed:
            raise ApiFout(403, "Authorization", f"de rol '{principal.rol}' mag dit niet")
        return principal


def rollen(*toegestaan: str) -> Rollen:
    """A dependency that admits only these roles (and always the beheerder)."""
    return Rollen(*toegestaan)
