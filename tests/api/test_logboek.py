"""Structured logs with a request id (api/logboek.py; issue 11: "Logs: structured, with a request id; ids only,
never casus or advies content or keys")."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from api import audit
from api.auth import key_id
from api.logboek import LOG_CONFIG, JsonFormatter, Logboek
from tests.api.helpers import KEYS, auth, besluit_zoals, casus, fouten, post_advies, rows
from tests.api.test_besluit_review import advies_voor, besluit

HEX = re.compile(r"[0-9a-f]{32}")


class Vangst:
    """Every log record of the service (all loggers, from INFO), and each formatted as its JSON line."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def records(self) -> list[logging.LogRecord]:
        return [r for r in self.caplog.records if r.name != "httpx"]  # the test client's own log: not the service

    def regels(self) -> list[dict[str, Any]]:
        formatter = JsonFormatter()
        return [json.loads(formatter.format(r)) for r in self.records()]

    def tekst(self) -> str:
        """Everything, as the standard format and as JSON lines."""
        standaard, formatter = logging.Formatter("%(levelname)s %(name)s %(message)s"), JsonFormatter()
        return "\n".join(f"{standaard.format(r)}\n{formatter.format(r)}" for r in self.records())

    def toegang(self, rid: str) -> list[dict[str, Any]]:
        return [r for r in self.regels() if r["logger"] == "hg_advies.toegang" and r.get("request_id") == rid]


@pytest.fixture
def vangst(caplog: pytest.LogCaptureFixture) -> Iterator[Vangst]:
    with caplog.at_level(logging.INFO):
        yield Vangst(caplog)


def test_the_request_id_round_trips_and_is_one_json_line(client: TestClient, vangst: Vangst) -> None:
    advies = post_advies(client)
    rid = "bel-2026.12_abc"
    response = client.get(f"/v1/advies/{advies['advies_id']}", headers={**auth("hg_deskundige"), "X-Request-ID": rid})
    assert response.status_code == 200 and response.headers["x-request-id"] == rid
    [regel] = vangst.toegang(rid)
    assert regel["methode"] == "GET" and regel["pad"] == "/v1/advies/{advies_id}" and regel["status"] == 200
    assert regel["key_id"] == key_id(KEYS["hg_deskundige"]) and regel["niveau"] == "info"
    assert isinstance(regel["duur_ms"], float | int) and regel["duur_ms"] >= 0
    assert regel["tijd"].endswith("Z") and dt.datetime.fromisoformat(regel["tijd"]).tzinfo is not None
    assert {"tijd", "niveau", "request_id", "methode", "pad", "status", "duur_ms", "key_id"} <= set(regel)
    # The audit line of this read carries the same request id.
    [gelezen] = [r for r in rows(client.app, "audit")  # type: ignore[arg-type]
                 if r["actie"] == "advies_gelezen" and r["request_id"] == rid]
    assert gelezen["advies_id"] == advies["advies_id"]


@pytest.mark.parametrize("onjuist", ["kort", "a" * 65, "met spatie 123", "<script>alert(1)</script>", "ïd-123456"])
def test_an_invalid_incoming_id_is_replaced(client: TestClient, vangst: Vangst, onjuist: str) -> None:
    response = client.get("/health", headers={"X-Request-ID": onjuist.encode("utf-8")})
    rid = response.headers["x-request-id"]
    assert HEX.fullmatch(rid) and rid != onjuist
    [regel] = vangst.toegang(rid)
    assert regel["pad"] == "/health" and "key_id" not in regel


def test_every_request_gets_an_id_and_the_gates_answers_are_logged(client: TestClient, vangst: Vangst) -> None:
    ids = {client.get("/health").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3 and all(HEX.fullmatch(i) for i in ids)
    fout = client.post("/v1/advies", json=casus(), headers={"Authorization": "Bearer onbekend-0123456789abc"})
    assert fout.status_code == 401 and HEX.fullmatch(fout.headers["x-request-id"])
    assert fout.headers["x-frame-options"] == "DENY"  # the security headers stay outermost
    [regel] = vangst.toegang(fout.headers["x-request-id"])
    assert regel["status"] == 401 and regel["pad"] == "/v1/advies" and "key_id" not in regel


def test_an_unknown_path_is_logged_without_its_values_or_query(client: TestClient, vangst: Vangst) -> None:
    response = client.get("/v1/onbekend/Jansen/" + "a" * 32, params={"casus": "RT-2026-0412"},
                          headers=auth("hg_deskundige"))
    assert response.status_code == 404
    [regel] = vangst.toegang(response.headers["x-request-id"])
    assert regel["pad"] == "/v1/*/*/" + "a" * 32 and regel["key_id"] == key_id(KEYS["hg_deskundige"])
    lijst = client.get("/adviezen", params={"casus": "RT-2026-0412"}, follow_redirects=False)
    [regel] = vangst.toegang(lijst.headers["x-request-id"])
    assert regel["pad"] == "/adviezen"
    assert "Jansen" not in vangst.tekst() and "RT-2026-0412" not in vangst.tekst()


def _waarden(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for waarde in data.values():
            yield from _waarden(waarde)
    elif isinstance(data, list):
        for waarde in data:
            yield from _waarden(waarde)
    elif isinstance(data, str):
        yield data


def test_no_casus_reason_or_key_reaches_the_log(client: TestClient, vangst: Vangst) -> None:
    gevraagd = casus(casus_id="RT-LOG-7733")
    post_advies(client, gevraagd)
    ongeldig = client.post("/v1/advies", json=casus(casus_id="RT-LOG-4411", geheimveld="waarde-9931"),
                           headers=auth("indicatiesteller"))
    assert fouten(ongeldig)
    advies = advies_voor(client, "vj-2020-3")
    reden = "Gezin heeft veel meer nodig dan dit pakket"
    assert besluit(client, advies, besluit_zoals(advies, pakket=2, reden=reden)).status_code == 201
    zonder_reden = besluit(client, advies, besluit_zoals(advies, pakket=2, reden="  "))
    assert zonder_reden.status_code == 422
    tekst = vangst.tekst()
    assert "verzoek" in tekst  # the capture works
    verboden = {*(w for w in _waarden(gevraagd) if len(w) >= 6), "RT-LOG-4411", "waarde-9931", reden, *KEYS.values()}
    assert {w for w in verboden if w in tekst} == set()
    statussen = sorted(r["status"] for r in vangst.regels() if r["logger"] == "hg_advies.toegang")
    assert 422 in statussen and 201 in statussen


def test_an_unhandled_exception_is_logged_by_type_and_frames_not_by_message(caplog: pytest.LogCaptureFixture) -> None:
    async def stuk(request: Request) -> PlainTextResponse:
        raise RuntimeError("casus RT-GEHEIM-01 van mevrouw X")

    app = Starlette(routes=[Route("/stuk/{wat}", stuk)])
    app.add_middleware(Logboek)
    with caplog.at_level(logging.INFO), TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/stuk/iets").status_code == 500
    [record] = [r for r in caplog.records if r.name == "hg_advies.toegang"]
    regel = json.loads(JsonFormatter().format(record))
    assert regel["niveau"] == "error" and regel["status"] == 500 and regel["pad"] == "/stuk/{wat}"
    assert regel["uitzondering"] == "builtins.RuntimeError"
    assert any("in stuk" in frame for frame in regel["stapel"])
    assert "RT-GEHEIM" not in JsonFormatter().format(record)


def test_the_formatter_keeps_extra_fields_and_never_an_exception_message() -> None:
    try:
        raise ValueError("waarde 123.456.782")
    except ValueError:
        record = logging.getLogger("hg_advies.test").makeRecord(
            "hg_advies.test", logging.WARNING, __file__, 1, "opschonen: %s", ("ValueError",), sys.exc_info(),
            extra={"aantal": 3, "velden": {"request_id": "abc12345"}})
    regel = json.loads(JsonFormatter().format(record))
    assert regel["bericht"] == "opschonen: ValueError" and regel["aantal"] == 3 and regel["request_id"] == "abc12345"
    assert regel["uitzondering"] == "builtins.ValueError" and "123.456.782" not in json.dumps(regel)


def test_the_audit_line_carries_the_request_id_of_its_connection() -> None:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "client": ("10.1.1.1", 1),
             audit.REQUEST_ID: "req-12345678"}
    regel = audit.regel("sleutel_geweigerd", None, HTTPConnection(scope), status=401)
    assert regel["request_id"] == "req-12345678" and regel["adres"] == "10.1.1.1"


def test_the_service_logging_config_writes_json(capsys: pytest.CaptureFixture[str]) -> None:
    import logging.config

    oud = logging.root.handlers[:], logging.getLogger("hg_advies").handlers[:]
    try:
        logging.config.dictConfig(LOG_CONFIG)
        logging.getLogger("hg_advies.toegang").info("verzoek", extra={"velden": {"request_id": "abcdefgh"}})
        logging.getLogger("uvicorn.error").warning("iets van uvicorn")
        regels = [json.loads(r) for r in capsys.readouterr().err.splitlines()]
    finally:
        for naam, handlers in (("", oud[0]), ("hg_advies", oud[1])):
            logger = logging.getLogger(naam or None)
            logger.handlers[:] = handlers
        logging.getLogger("hg_advies").propagate = True
        logging.getLogger("uvicorn").propagate = True
    assert [r["logger"] for r in regels] == ["hg_advies.toegang", "uvicorn.error"]
    assert regels[0]["request_id"] == "abcdefgh" and regels[1]["niveau"] == "warning"


def test_the_app_registers_the_middleware_inside_the_security_headers(app: FastAPI) -> None:
    namen = [m.cls.__name__ for m in app.user_middleware]  # type: ignore[attr-defined]
    assert namen.index("Beveiligingskoppen") < namen.index("Logboek") < namen.index("Poort")  # outermost first
