"""When the database fails (issue 11; attacks-2026-12.log, categories fault-sqlite and fault-pg): a 503 with
Dutch `fouten` and Retry-After within the bounded busy timeout, nothing half-stored, no casus data in the log,
and a readiness check that touches the database."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from api.db import SQLITE_TIMEOUT
from tests.api.helpers import auth, casus

Starter = Callable[[str], AbstractContextManager[TestClient]]


def test_a_locked_sqlite_file_gives_503_after_the_bounded_timeout_and_logs_no_casus(
    start_app: Starter, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pad = tmp_path / "hg.sqlite"
    with start_app(f"sqlite:///{pad}") as client:
        slot = sqlite3.connect(pad, timeout=0.1)
        slot.execute("BEGIN EXCLUSIVE")  # another process holds the file
        try:
            caplog.set_level(logging.DEBUG)
            begin = time.monotonic()
            response = client.post("/v1/advies", json=casus(casus_id="SLOT-1"), headers=auth("indicatiesteller"))
            duur = time.monotonic() - begin
        finally:
            slot.rollback()
            slot.close()
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "30"
        assert response.json()["fouten"][0]["veld"] == "(dienst)"
        assert duur < SQLITE_TIMEOUT + 5
        log = caplog.text
        assert "SLOT-1" not in log and "moeder" not in log and "leeftijd" not in log
        lees = client.get("/v1/advies/" + "0" * 32, headers=auth("hg_deskundige"))
        assert lees.status_code == 404  # the service works again once the lock is gone
        assert client.get("/health/ready").json() == {"status": "ok", "database": "ok"}


def test_readiness_is_503_while_the_database_cannot_be_reached(start_app: Starter, tmp_path: Path) -> None:
    with start_app(f"sqlite:///{tmp_path / 'hg.sqlite'}") as client:
        werkend = client.app.state.db  # type: ignore[attr-defined]
        client.app.state.db = create_engine(  # type: ignore[attr-defined]
            "postgresql+psycopg://hg:x@127.0.0.1:9/hg", connect_args={"connect_timeout": 2})
        try:
            response = client.get("/health/ready")
            assert response.status_code == 503 and response.headers["retry-after"] == "30"
            assert response.json()["database"] == "niet bereikbaar"
            api = client.get("/v1/advies/" + "0" * 32, headers=auth("hg_deskundige"))
            assert api.status_code == 503 and "niet bereikbaar" in api.json()["fouten"][0]["melding"]
        finally:
            client.app.state.db.dispose()  # type: ignore[attr-defined]
            client.app.state.db = werkend  # type: ignore[attr-defined]
        assert client.get("/health").json() == {"status": "ok"}
