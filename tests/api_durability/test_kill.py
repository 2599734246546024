"""Killing the server mid-load loses no acknowledged advies: every 200 means the advies is committed.

Runs `bench.kill_test` once per database: a real `hg-advies serve --workers 2` (own process group) under
8 concurrent clients is killed with SIGKILL, restarted, and every acknowledged advies_id is read back.
On PostgreSQL (when HG_TEST_POSTGRES_URL is set, as in CI) the test works in a schema of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.kill_test import eigen_schema, kill_test

pytestmark = pytest.mark.durability
POSTGRES_ENV = "HG_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hg-advies.sqlite'}"
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL variant: {POSTGRES_ENV} is not set "
                    f"(e.g. {POSTGRES_ENV}=$(scripts/postgres.sh hg_advies_test))")
    with eigen_schema(url) as schema_url:
        yield schema_url


def test_kill_9_mid_load_loses_no_acknowledged_advies(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    uitslag = kill_test(database_url, rondes=1, clients=8, workers=2, belasting_s=(1.0, 2.0), min_bevestigd=20,
                        uiterlijk=120, log=log)
    assert len(uitslag.bevestigd) >= 20, uitslag.tekst()  # the kill came mid-load, not before it
    assert not uitslag.fouten_voor_kill, uitslag.tekst() + "\n" + log.read_text(errors="replace")[-3000:]
    assert uitslag.verloren == [], uitslag.tekst()
    assert uitslag.verkeerd == [], uitslag.tekst()
    assert uitslag.gevonden == len(uitslag.bevestigd)
    assert uitslag.rijen >= len(uitslag.bevestigd)
