"""Structured logs with a request id: ids only, never casus or advies content, never keys (issue 11).

- `Logboek`, a pure ASGI middleware, gives every HTTP request an id: an incoming `X-Request-ID` when it is
  8-64 characters of `[A-Za-z0-9._-]`, else a new random id (`api.ids`). It is kept in `scope[api.audit.REQUEST_ID]`
  (so audit lines carry it), returned in the `X-Request-ID` response header, and written with one JSON line
  per request to the logger `hg_advies.toegang`: `tijd`, `niveau`, `request_id`, `methode`, `pad`, `status`,
  `duur_ms` and, when the request's key was found, `key_id` (a hash prefix, never the key).
- `pad` is the route's template (`/v1/advies/{advies_id}`) when a route matched; otherwise (a 404, or an
  answer of the gate before routing) the path with every segment that is neither a word of a route nor a
  32-hex id replaced by `*`, so a value typed into a URL never reaches the log. Never the query string (the
  list of adviezen is searched by casusnummer there), never a header, never a body.
- `LOG_CONFIG` (for `logging.config.dictConfig`, used by `hg-advies serve`) writes every log line of the
  service as one JSON object on stderr: uvicorn's own lines, ours (`hg_advies.*`) and any library's.
  `JsonFormatter` keeps a record's `extra={...}` fields. An exception is logged as its type and its stack
  frames (file, line, function), never its message: a message may quote a value (a validation error, a
  database error with its statement).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import traceback
from typing import Any

import orjson

from api.audit import REQUEST_ID
from api.beveiliging import ASGIApp, Message, Receive, Scope, Send
from api.deps import PRINCIPAL
from api.ids import nieuw_id

__all__ = ["Logboek", "JsonFormatter", "LOG_CONFIG", "REQUEST_ID", "pad", "request_id"]

log = logging.getLogger("hg_advies.toegang")

_GELDIG_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_HEX_ID = re.compile(r"[0-9a-f]{32}")
_KOP = b"x-request-id"


def request_id(kop: bytes | None) -> str:
    """The request id: the incoming one when it is acceptable, else a new one."""
    if kop:
        tekst = kop.decode("latin-1")
        if _GELDIG_ID.fullmatch(tekst):
            return tekst
    return nieuw_id()


def _woorden(routes: Any, woorden: set[str]) -> set[str]:
    """The literal path segments of every route (FastAPI's included routers and mounts too)."""
    for route in routes or ():
        for pad_ in (getattr(route, "path", None), getattr(getattr(route, "include_context", None), "prefix", None)):
            if isinstance(pad_, str):
                woorden.update(deel for deel in pad_.split("/") if deel and "{" not in deel)
        _woorden(getattr(getattr(route, "original_router", None), "routes", None), woorden)
        _woorden(getattr(route, "routes", None), woorden)
    return woorden


_WOORDEN: dict[int, frozenset[str]] = {}  # per application (id): its routes' words, collected once


def pad(scope: Scope) -> str:
    """The path to log: the matched route's template, else the path with only route words and ids kept."""
    route = scope.get("route")
    if _is_route(route):
        return str(route.path)  # type: ignore[union-attr]
    app = scope.get("app")
    woorden = _WOORDEN.get(id(app))
    if woorden is None:
        woorden = _WOORDEN[id(app)] = frozenset(_woorden(getattr(app, "routes", None), set()))
    delen = str(scope.get("path", "")).split("/")
    return "/".join(d if not d or d in woorden or _HEX_ID.fullmatch(d) else "*" for d in delen)[:200]


def _is_route(route: Any) -> bool:
    """An endpoint route (its template is the whole path), not a mount (whose template is a prefix)."""
    return route is not None and hasattr(route, "endpoint") and isinstance(getattr(route, "path", None), str)


class Logboek:
    """ASGI middleware: a request id per HTTP request, in the scope and the answer, and one log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begin = time.perf_counter()
        kop = next((waarde for naam, waarde in scope.get("headers", ()) if naam == _KOP), None)
        rid = scope[REQUEST_ID] = request_id(kop)
        kop_rid = (_KOP, rid.encode())
        status = 500  # unless an answer starts

        async def met_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), kop_rid]
            await send(message)

        fout: BaseException | None = None
        try:
            await self.app(scope, receive, met_id)
        except BaseException as error:  # logged with the line (type and frames), then passed on
            fout = error
            raise
        finally:
            niveau = logging.ERROR if fout is not None or status >= 500 else logging.INFO
            if log.isEnabledFor(niveau):  # nothing to build when the line would be dropped
                _schrijf(scope, niveau, rid, status, begin, fout)


def _schrijf(scope: Scope, niveau: int, rid: str, status: int, begin: float, fout: BaseException | None) -> None:
    velden: dict[str, Any] = {"request_id": rid, "methode": scope.get("method"), "pad": pad(scope),
                              "status": status, "duur_ms": round((time.perf_counter() - begin) * 1000, 2)}
    wie = scope.get(PRINCIPAL)
    if wie is not None:
        velden["key_id"] = wie.key_id
    uitzondering = (type(fout), fout, fout.__traceback__) if fout is not None else None
    # makeRecord and handle: what log.log does, without looking up the caller's frame (a few µs per request)
    log.handle(log.makeRecord(log.name, niveau, __file__, 0, "verzoek", (), uitzondering, extra={"velden": velden}))


# --- JSON lines ------------------------------------------------------------------------------------------

_STANDAARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "velden", "color_message"}


def _frames(error: BaseException) -> list[str]:
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(error.__traceback__)]


class JsonFormatter(logging.Formatter):
    """One JSON object per record: `tijd` (ISO 8601 UTC), `niveau`, `logger`, `bericht`, the record's fields
    (`extra={"velden": {...}}` or plain `extra={...}`), and for an exception its type and frames, never its
    message."""

    def format(self, record: logging.LogRecord) -> str:
        tijd = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        regel: dict[str, Any] = {"tijd": tijd.replace("+00:00", "Z"), "niveau": record.levelname.lower(),
                                 "logger": record.name, "bericht": record.getMessage()}
        regel.update(getattr(record, "velden", None) or {})
        regel.update({k: v for k, v in record.__dict__.items() if k not in _STANDAARD and not k.startswith("_")})
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            regel["uitzondering"] = f"{type(error).__module__}.{type(error).__qualname__}"
            regel["stapel"] = _frames(error)
        return orjson.dumps(regel, default=str).decode()


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.logboek.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},  # ours replaces it
        "hg_advies": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
