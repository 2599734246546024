"""Shared data and helpers for the HTTP service tests: keys per role, casussen, database inspection."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import orjson
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, MetaData, select

from tests.voorbeelden import VOORBEELD

ROOT = Path(__file__).resolve().parents[2]
CASUSSEN = sorted((ROOT / "casussen").glob("*.yaml"))

# One key per principal (each >= 16 characters); two indicatiestellers to test "own advies only".
KEYS: dict[str, str] = {
    "indicatiesteller": "test-indicatiesteller-1-9f2c7a1e",
    "indicatiesteller_2": "test-indicatiesteller-2-41b8d03c",
    "hg_deskundige": "test-hg-deskundige-7d1e5a90c3",
    "beleidsmaker": "test-beleidsmaker-c5a3e8f21b",
    "beheerder": "test-beheerder-0e6b92d4f7a1",
}
ROL: dict[str, str] = {name: name.removesuffix("_2") for name in KEYS}
API_KEYS = ",".join(f"{key}:{ROL[name]}" for name, key in KEYS.items())
PRINCIPALS = tuple(KEYS)

# children first, for deleting
TABLES = ("idempotentie", "review", "besluit", "advies", "replay_job", "aanmeldpoging", "scenario")
IGNORED = {"advies_id", "aangemaakt", "gevraagd_door", "vorig_advies_id", "ten_opzichte_van_vorige"}  # by the service


def auth(principal: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[principal]}"}


def load_casus(path: Path) -> dict[str, Any]:
    """The casus of a library entry as JSON-ready data (YAML dates become ISO strings)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    casus: dict[str, Any] = orjson.loads(orjson.dumps(document["casus"]))
    return casus


def casus(**changes: Any) -> dict[str, Any]:
    """The contract's example casus, with top-level changes."""
    data = copy.deepcopy(VOORBEELD)
    data.update(changes)
    return data


def as_json(value: Any) -> Any:
    """`value` as it looks after a JSON round trip (dates as strings, tuples as lists)."""
    return orjson.loads(orjson.dumps(value))


def post_advies(client: TestClient, data: Any = None, principal: str = "indicatiesteller") -> dict[str, Any]:
    response = client.post("/v1/advies", json=casus() if data is None else data, headers=auth(principal))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def besluit_zoals(advies: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A besluit that follows the advies, with changes."""
    besluit = {"route": advies["route"], "perceel": advies["perceel"], "pakket": advies["pakket"],
               "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]]}
    besluit.update(changes)
    return besluit


def fouten(response: Response, status: int = 422) -> list[dict[str, str]]:
    """The `fouten` of an error answer, after checking its shape: a list of {veld, melding} texts."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"fouten"}, body
    assert isinstance(body["fouten"], list) and body["fouten"], body
    for fout in body["fouten"]:
        assert set(fout) == {"veld", "melding"}, fout
        assert isinstance(fout["veld"], str) and fout["veld"], fout
        assert isinstance(fout["melding"], str) and fout["melding"], fout
    result: list[dict[str, str]] = body["fouten"]
    return result


def velden(response: Response, status: int = 422) -> list[str]:
    return [f["veld"] for f in fouten(response, status)]


def db(app: FastAPI) -> Engine:
    engine: Engine = app.state.db
    return engine


def count(app: FastAPI, table: str) -> int:
    return len(rows(app, table))


def rows(app: FastAPI, table: str) -> list[dict[str, Any]]:
    """Every row of a table as a dict of column -> value, ordered by its primary key (the id)."""
    engine = db(app)
    metadata = MetaData()
    metadata.reflect(engine, only=[table])
    t = metadata.tables[table]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]


def all_rows_text(app: FastAPI) -> str:
    """Every stored value of every table as one text, to look for things that must never be stored."""
    parts: list[str] = []
    for table in TABLES:
        for row in rows(app, table):
            for value in row.values():
                if isinstance(value, dt.datetime | dt.date):
                    value = value.isoformat()
                elif isinstance(value, bytes):  # a stored answer (idempotentie)
                    value = value.decode(errors="replace")
                parts.append(orjson.dumps(value).decode() if not isinstance(value, str) else value)
    return "\n".join(parts)
