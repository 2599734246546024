"""When the database fails: a clear 503 instead of a plain-text 500, a readiness check, and logs without data.

- An unreachable or locked database (connection refused, server gone, SQLite busy after its bounded timeout,
  a disk that went read-only) answers **503** with Dutch `fouten` and `Retry-After` (a Dutch 503 page on the
  pages): the client may retry; nothing was stored.
- Any other database error answers a JSON 500 (a page on the pages).
- The log line names the error class, the route's template and the request id only (api/logboek.py):
  SQLAlchemy's message would carry the statement (and without `hide_parameters=True`, which the engines are
  made with, its parameters: the casus, the advies).
- `GET /health/ready` touches the database (`SELECT 1`); `GET /health` stays the liveness check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from api.audit import REQUEST_ID
from api.logboek import pad
from api.schemas import Gereedheid

__all__ = ["installeer", "RETRY_AFTER"]

log = logging.getLogger("hg_advies.storingen")
RETRY_AFTER = 30  # seconds
_ONBEREIKBAAR = ("de database is tijdelijk niet bereikbaar; er is niets opgeslagen, probeer het over een halve "
                 "minuut opnieuw")
_INTERN = "er ging iets mis bij het opslaan; er is niets opgeslagen"


def _onbereikbaar(error: BaseException) -> bool:
    """Whether a database error means 'not available now' (retry later) rather than a fault in this request."""
    if isinstance(error, sa_exc.DBAPIError):
        return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError) or error.connection_invalidated
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def installeer(app: FastAPI, is_pagina: Callable[[Request], bool],
               pagina: Callable[[Request, int, str], Response]) -> None:
    """Register the handlers on `app`; for a page path (`is_pagina`), `pagina(request, status, melding)` makes
    the Dutch error page."""

    async def database_fout(request: Request, error: Exception) -> Response:
        beschikbaar = not _onbereikbaar(error)
        status = 500 if beschikbaar else 503
        # The error's class, the route's template and the request id: never the message (it may carry values).
        log.warning("databasefout %s op %s %s", type(error).__name__, request.method, pad(request.scope),
                    extra={"velden": {"request_id": request.scope.get(REQUEST_ID)}})
        melding = _INTERN if beschikbaar else _ONBEREIKBAAR
        headers = {} if beschikbaar else {"Retry-After": str(RETRY_AFTER)}
        if is_pagina(request):
            response = pagina(request, status, melding)
            response.headers.update(headers)
            return response
        return JSONResponse({"fouten": [{"veld": "(dienst)", "melding": melding}]}, status_code=status, headers=headers)

    app.add_exception_handler(sa_exc.SQLAlchemyError, database_fout)
    app.add_exception_handler(psycopg.Error, database_fout)

    @app.get("/health/ready", tags=["beheer"], summary="Kan de dienst de database bereiken?",
             response_model=Gereedheid,
             responses={503: {"model": Gereedheid, "description": "De database is niet bereikbaar; probeer het later",
                              "headers": {"Retry-After": {"description": "Seconden tot een nieuwe poging",
                                                          "schema": {"type": "integer"}}}}})
    async def gereed(request: Request) -> Response:
        def probeer() -> None:
            with request.app.state.db.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(probeer)
        except (sa_exc.SQLAlchemyError, psycopg.Error) as error:
            log.warning("gereedheid: databasefout %s", type(error).__name__)
            return JSONResponse({"status": "niet gereed", "database": "niet bereikbaar"}, status_code=503,
                                headers={"Retry-After": str(RETRY_AFTER)})
        return JSONResponse({"status": "ok", "database": "ok"})
