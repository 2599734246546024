"""Disclosure control (issue 11, contract "Additions (2026-12)"): every count a beleidsmaker sees from 1 up to
HG_MINIMUM_AANTAL - 1 is suppressed (null, its path in `onderdrukt`), and so is a share computed from one
(attacks-2026-12.log, beleid-leak: one besluit made exactly the rules of its advies gain a count)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import API_KEYS, auth, besluit_zoals, load_casus, post_advies
from tests.api.test_besluit_review import VJ
from tests.web.conftest import aanmelden


@pytest.fixture
def standaard(database_url: str) -> Iterator[TestClient]:
    """An app with the default minimum (5), on its own empty database."""
    settings = Settings(database_url=database_url, api_keys=API_KEYS)
    assert settings.minimum_aantal == 5
    with TestClient(create_app(settings)) as client:
        with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
            for table in ("review", "besluit", "advies", "replay_job"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        yield client


def _afwijkend_besluit(client: TestClient) -> None:
    advies = post_advies(client, load_casus(VJ["vj-2020-1"]))
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit",
                           json=besluit_zoals(advies, pakket=2, reden="Lichter pakket past beter."),
                           headers=auth("indicatiesteller"))
    assert response.status_code == 201, response.text


def _statistiek(client: TestClient) -> dict[str, object]:
    response = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker"))
    assert response.status_code == 200
    return dict(response.json())


def test_one_besluit_reveals_nothing(standaard: TestClient) -> None:
    _afwijkend_besluit(standaard)
    s = _statistiek(standaard)
    assert s["besluiten"] is None and s["afwijkend"] is None and s["aandeel_afwijkend"] is None
    assert s["per_veld"] == {"route": 0, "perceel": 0, "pakket": None, "maatwerk": 0}
    regels = s["per_regel"]
    assert isinstance(regels, list) and regels
    assert all(r["besluiten"] is None and r["afwijkend"] is None and r["aandeel"] is None for r in regels)
    onderdrukt = s["onderdrukt"]
    assert isinstance(onderdrukt, list) and {"besluiten", "afwijkend", "per_veld.pakket"} <= set(onderdrukt)
    assert s["minimum_aantal"] == 5
    pagina_tekst = standaard.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    assert '"besluiten":1' not in pagina_tekst.replace(" ", "")


def test_from_the_minimum_on_the_counts_are_shown(standaard: TestClient) -> None:
    for _ in range(5):
        _afwijkend_besluit(standaard)
    s = _statistiek(standaard)
    assert s["besluiten"] == 5 and s["afwijkend"] == 5 and s["aandeel_afwijkend"] == 1.0
    assert s["per_veld"]["pakket"] == 5  # type: ignore[index]
    assert "besluiten" not in s["onderdrukt"]  # type: ignore[operator]


def test_the_page_shows_suppressed_counts_as_below_the_minimum(standaard: TestClient) -> None:
    _afwijkend_besluit(standaard)
    pagina = aanmelden(standaard, "beleidsmaker").get("/afwijkingen")
    assert pagina.status_code == 200
    assert "&lt; 5" in pagina.text and "worden niet getoond" in pagina.text
    assert "minder dan 5 besluiten" in pagina.text
