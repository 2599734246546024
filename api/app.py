"""The FastAPI application: routes, error handlers (JSON with field and Dutch message), start-up."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from api import bewaren, documentatie, pogingen, storingen, wachtrij
from api.auth import Sleutels
from api.beveiliging import Beveiligingskoppen
from api.db import make_engine, migrate
from api.deps import ApiFout, Rollen
from api.logboek import Logboek
from api.oidc import Aanbieder, Instelling
from api.opslag import maak_opslag
from api.poort import Poort
from api.proces import na_het_laden
from api.replay_jobs import ReplayUitvoerder
from api.routes import (
    advies,
    beheer,
    besluiten,
    casussen,
    document,
    replay,
    rulesets,
    scenarios,
    statistiek,
    voorstellen,
)
from api.schemas import Gezondheid
from api.settings import Settings
from api.web import routes as web
from engine.casus import Casus
from engine.errors import persoonsgegeven_melding
from engine.persoonsgegevens import in_id
from rules import standaard_engine

__all__ = ["create_app"]

_HTTP_MELDING = {404: "onbekend adres", 405: "deze methode is hier niet toegestaan"}


def _fouten(status: int, fouten: list[dict[str, str]], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"fouten": fouten}, status_code=status, headers=headers)


def _veld(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "(verzoek)"


def _veld_van(error: Any) -> str:
    if error.get("type") == "json_invalid":  # its loc is a character position, not a field
        return "(verzoek)"
    return _veld(tuple(error.get("loc", ())))


async def _toegang(request: Request) -> None:
    """Run the role check of the matched route (raises ApiFout with 401 or 403)."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        for dependency in route.dependant.dependencies:
            if isinstance(dependency.call, Rollen):
                await dependency.call.check(request)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = make_engine(settings.database_url)
        migrate(app.state.db)
        # failed key attempts, shared between the workers (HG_MAX_MISLUKTE_POGINGEN per 15 minutes)
        limiter = pogingen.Pogingen(app.state.db, maximum=settings.max_mislukte_pogingen)
        app.state.aanmeldpogingen = limiter
        limiter.start()  # its refresher thread (api/pogingen.py)
        app.state.opslag = maak_opslag(settings.database_url, app.state.db)
        await app.state.opslag.open()
        app.state.replay = ReplayUitvoerder(settings.database_url)
        # PostgreSQL: this process' share of the job queue's workers (api/wachtrij.py; HG_WACHTRIJ_WERKERS)
        app.state.wachtrij = wachtrij.Werkers(settings.database_url, wachtrij.werkers_uit_omgeving()
                                              if wachtrij.gebruikt(settings.database_url) else 0).start()
        engine = standaard_engine()  # load rules and parameters, and compile today's ruleset, before requests
        engine.ruleset(dt.date.today())
        in_id("opwarmen")  # load the name lists of the screening now, not in the first request
        # Everything loaded so far (modules, rules, compiled ruleset, OpenAPI models) lives as long as the
        # process: out of the collector's passes with it, and the young generation collected less often
        # (api/proces.py; measured in docs/decisions.md).
        na_het_laden()
        opschonen = asyncio.create_task(bewaren.dagelijks(app.state.db, settings.bewaartermijn_dagen))
        yield
        opschonen.cancel()
        limiter.stop()
        app.state.replay.stop()
        app.state.wachtrij.stop()
        wachtrij.sluit()
        await app.state.opslag.sluit()
        app.state.db.dispose()

    app = FastAPI(
        title="hg-advies",
        version="0.1.0",
        description="Advies voor het Rotterdamse HG-arrangement op basis van een geanonimiseerde casus. "
        "Authenticatie: `Authorization: Bearer <sleutel>` (HG_API_KEYS).",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc with local files and their own CSP: api/documentatie.py
        redoc_url=None,
    )
    app.state.sleutels = Sleutels(settings.api_keys)
    app.state.minimum_aantal = settings.minimum_aantal
    instelling = Instelling.uit(settings)  # HG_OIDC_*; the provider is asked about itself at the first sign-in
    app.state.oidc = Aanbieder(instelling) if instelling else None
    app.state.sessie_inactief = dt.timedelta(minutes=settings.sessie_inactief_minuten)
    app.add_middleware(Poort, sleutels=lambda: app.state.sleutels)  # key before body, body limits
    app.add_middleware(Logboek)  # request id and one log line per request, the gate's answers too
    app.add_middleware(Beveiligingskoppen)  # added last: outermost, so the gate's own answers carry the headers

    @app.exception_handler(ApiFout)
    async def api_fout(request: Request, exc: ApiFout) -> Response:
        if web.is_pagina(request):  # e.g. a form body over its limit (413): a page, not JSON
            return web.foutpagina(request, exc.status, exc.fouten[0]["melding"])
        return _fouten(exc.status, exc.fouten, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validatie(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI parses a JSON body before it solves the dependencies, so a body that is not JSON would
        # be answered 422 before the key and role are checked: check them first, as for any other request.
        try:
            await _toegang(request)
        except ApiFout as fout:
            return _fouten(fout.status, fout.fouten, fout.headers)
        fouten = [{"veld": _veld_van(e), "melding": _melding(e)} for e in exc.errors()]
        return _fouten(422, fouten)

    @app.exception_handler(StarletteHTTPException)
    async def http_fout(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:
            # FastAPI's only 400: a body it cannot decode (not UTF-8). Like any other body that is not
            # JSON it is invalid input (422, documented), answered after the key and role are checked.
            try:
                await _toegang(request)
            except ApiFout as fout:
                return _fouten(fout.status, fout.fouten, fout.headers)
            return _fouten(422, [{"veld": "(verzoek)", "melding": "geen geldige JSON (de tekst is geen UTF-8)"}])
        melding = _HTTP_MELDING.get(exc.status_code, str(exc.detail))
        if web.is_pagina(request):  # an unknown page (404), a wrong method (405): a page, not JSON
            return web.foutpagina(request, exc.status_code, melding)
        return _fouten(exc.status_code, [{"veld": "(verzoek)", "melding": melding}], dict(exc.headers or {}))

    @app.get("/health", tags=["beheer"], summary="Draait de dienst?", response_model=Gezondheid)
    def health() -> Gezondheid:
        return Gezondheid(status="ok")

    # POST /v1/advies is the hot path: its endpoint takes only the request (it checks the key and parses
    # the casus itself), so it is also mounted as a plain Starlette route, matched first. That skips
    # FastAPI's per-request route machinery, ~0.2 ms of a ~1 ms request (measured); the FastAPI route
    # below stays as its entry in the OpenAPI document. Same function, same error handlers.
    app.router.routes.append(Route("/v1/advies", advies.post_advies, methods=["POST"], include_in_schema=False))
    for router in (advies.router, document.router, casussen.router, besluiten.router, statistiek.router,
                   rulesets.router, replay.router, beheer.router, voorstellen.router,
                   scenarios.router):  # last: GET /v1/scenarios/{naam} must not shadow a fixed /v1/scenarios/... path
        app.include_router(router)
    documentatie.installeer(app)  # /docs, /redoc and /static/docs/ (before the pages' /static mount)
    web.installeer(app)  # the Dutch web pages (HTML, outside the OpenAPI document)
    storingen.installeer(app, web.is_pagina, web.foutpagina)  # database failures: 503 with Retry-After, /health/ready

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        casus = Casus.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(casus.pop("$defs", {}))
        components["Casus"] = casus
        for path in schema["paths"].values():
            for operation in path.values():
                operation.pop("x-casus-schema", None)
                for name, model in operation.pop("x-componenten", {}).items():  # e.g. api.schemas.replay_body
                    components.setdefault(name, model)
        pogingen.documenteer(schema)  # 429: too many failed key attempts from this address
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


_MELDINGEN = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld; niet toegestaan",
    "literal_error": "ongeldige waarde",
    "string_too_long": "te lang",
    "string_pattern_mismatch": "bevat niet-toegestane tekens (stuurtekens)",
    "json_invalid": "geen geldige JSON",
    "model_attributes_type": "moet een JSON-object zijn",
    "dict_type": "moet een JSON-object zijn",
    "list_type": "moet een lijst zijn",
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "date_from_datetime_parsing": "ongeldige datum; gebruik JJJJ-MM-DD",
    "date_parsing": "ongeldige datum; gebruik JJJJ-MM-DD",
    "too_long": "te veel elementen",
}


def _melding(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "persoonsgegeven":  # the engine's own Dutch message: the kind of identifier, never the value
        return persoonsgegeven_melding(error)
    basis = _MELDINGEN.get(kind, "ongeldige waarde")
    expected = (error.get("ctx") or {}).get("expected")
    return f"{basis} (toegestaan: {expected})" if kind == "literal_error" and expected else basis
