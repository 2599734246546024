"""GET /v1/scenarios/voorstellen (issue 13): proposals from the deviations of the stored besluiten, for the
beleidsmaker only, aggregates with disclosure control, no casus ids, optionally over a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import auth, besluit_zoals, casus, fouten, post_advies

PAD = "/v1/scenarios/voorstellen"
# midden x beperkt = pakket 2 (intieme terreur asks at least 2): extramuraal pakket 2.
MIDDEN = {"niveau": "midden", "acuut": False}


def _advies(client: TestClient, i: int, pakket: int | None = None) -> dict[str, Any]:
    """An advies at midden x beperkt (pakket 2) with a besluit: pakket `pakket`, or as advised."""
    advies = post_advies(client, casus(casus_id=f"RT-2026-{i:04d}", veiligheid=MIDDEN))
    assert advies["pakket"] == 2
    besluit = besluit_zoals(advies) if pakket is None else besluit_zoals(
        advies, pakket=pakket, reden="Zwaarder pakket nodig: de dreiging neemt toe.")
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit, headers=auth("indicatiesteller"))
    assert response.status_code == 201, response.text
    return advies


def _voorstellen(client: TestClient, **query: str) -> dict[str, Any]:
    response = client.get(PAD, params=query, headers=auth("beleidsmaker"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _schuif(client: TestClient, table: str, dagen: int, ids: list[str] | None = None) -> None:
    """Move rows of `table` (all, or those with these ids) so many days into the past."""
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        for rij_id, aangemaakt in conn.exec_driver_sql(f"SELECT id, aangemaakt FROM {table}").all():
            if ids is not None and rij_id not in ids:
                continue
            moment = aangemaakt if isinstance(aangemaakt, dt.datetime) else dt.datetime.fromisoformat(aangemaakt)
            teken = "?" if conn.dialect.name == "sqlite" else "%s"
            conn.exec_driver_sql(f"UPDATE {table} SET aangemaakt = {teken} WHERE id = {teken}",
                                 (moment - dt.timedelta(days=dagen), rij_id))


@pytest.mark.parametrize(("rol", "status"), [(None, 401), ("indicatiesteller", 403), ("hg_deskundige", 403),
                                              ("beleidsmaker", 200), ("beheerder", 200)])
def test_only_the_beleidsmaker_and_the_beheerder(client: TestClient, rol: str | None, status: int) -> None:
    response = client.get(PAD, headers=auth(rol) if rol else {})
    assert response.status_code == status, response.text
    if status != 200:
        assert response.json()["fouten"]


def test_the_deviations_propose_a_matrix_cell_with_a_ready_scenario(client: TestClient) -> None:
    adviezen = [_advies(client, i, pakket=3) for i in range(3)] + [_advies(client, 10)]
    body = _voorstellen(client)
    assert body["besluiten"] == 4 and body["overeenkomend"] == 1
    assert body["afwijkend"] == {"route": 0, "perceel": 0, "pakket": 3} and body["meest_afwijkend"] == ["pakket"]
    # The matrix cell and the minimum for intieme terreur (the casus has it) both win 3 and lose 1.
    paden = [(v["pad"], v["nieuw"]) for v in body["voorstellen"][:2]]
    assert paden == [("intieme_terreur.minimum_pakket", 3), ("pakket_matrix.midden.beperkt", 3)]
    beste = body["voorstellen"][1]
    assert (beste["huidig"], beste["nieuw"]) == (2, 3)
    assert (beste["meer"], beste["minder"], beste["overeenkomend_na"]) == (3, 1, 3)
    assert beste["veilig"] is True and beste["velden"] == ["pakket"] and beste["kosten"] is None
    assert beste["uren_per_week"] > 0 and beste["uren_looptijd"] == pytest.approx(beste["uren_per_week"] * 52)
    assert beste["scenario"]["parameters"] == {"pakket_matrix.midden.beperkt": 3}
    replay = client.post("/v1/replay", json={"scenario": beste["scenario"]}, headers=auth("beleidsmaker"))
    assert replay.status_code == 202, replay.text  # the proposal replays as it is
    tekst = client.get(PAD, headers=auth("beleidsmaker")).text
    for advies in adviezen:  # aggregates only: no casus or advies id
        assert advies["casus_id"] not in tekst and advies["advies_id"] not in tekst


def test_the_latest_besluit_counts(client: TestClient) -> None:
    advies = _advies(client, 1, pakket=3)
    assert _voorstellen(client)["overeenkomend"] == 0
    opnieuw = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit_zoals(advies),
                          headers=auth("indicatiesteller"))
    assert opnieuw.status_code == 201, opnieuw.text
    body = _voorstellen(client)
    assert body["besluiten"] == 1 and body["overeenkomend"] == 1 and body["voorstellen"] == []


def test_no_proposal_when_nothing_deviates(client: TestClient) -> None:
    for i in range(3):
        _advies(client, i)
    body = _voorstellen(client)
    assert body["besluiten"] == 3 and body["voorstellen"] == [] and body["doorzocht"] == 0


def test_a_period_counts_the_adviezen_made_in_it(client: TestClient) -> None:
    oud = [_advies(client, i, pakket=3)["advies_id"] for i in range(2)]
    _advies(client, 5, pakket=3)
    _schuif(client, "advies", 400, oud)
    vorig_jaar = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    body = _voorstellen(client, van=vorig_jaar, tot=vorig_jaar)
    assert body["besluiten"] == 2 and body["periode"] == {"van": vorig_jaar, "tot": vorig_jaar}
    assert body["voorstellen"][0]["meer"] == 2
    assert _voorstellen(client, van=dt.date.today().isoformat())["besluiten"] == 1
    assert _voorstellen(client)["besluiten"] == 3


@pytest.mark.parametrize(("query", "veld"), [({"van": "31-01-2026"}, "van"), ({"tot": "gisteren"}, "tot"),
                                             ({"van": "2026-02-01", "tot": "2026-01-31"}, "tot"),
                                             ({"vanaf": "2026-01-01"}, "vanaf")])
def test_a_bad_period_is_refused_naming_the_field(client: TestClient, query: dict[str, str], veld: str) -> None:
    response = client.get(PAD, params=query, headers=auth("beleidsmaker"))
    assert [f["veld"] for f in fouten(response)] == [veld]




def test_small_counts_are_suppressed_and_nothing_rests_on_fewer_than_the_minimum(standaard: TestClient) -> None:
    for i in range(5):
        _advies(standaard, i, pakket=3)
    for i in range(2):
        _advies(standaard, 10 + i)
    body = _voorstellen(standaard)  # made this week: not released yet
    assert body["besluiten"] == 0 and body["voorstellen"] == [] and body["vrijgegeven_tot"] is None
    _schuif(standaard, "besluit", 8)
    body = _voorstellen(standaard)
    assert body["besluiten"] == 7 and body["vrijgegeven_tot"] is not None and body["minimum_aantal"] == 5
    assert body["overeenkomend"] is None and "overeenkomend" in body["onderdrukt"]  # 2 of 7
    assert body["afwijkend"]["pakket"] == 5
    assert all(v["meer"] >= 5 for v in body["voorstellen"])  # a gain below the minimum is no proposal
    i, beste = next((i, v) for i, v in enumerate(body["voorstellen"]) if v["pad"] == "pakket_matrix.midden.beperkt")
    assert beste["meer"] == 5 and beste["minder"] is None and f"voorstellen[{i}].minder" in body["onderdrukt"]
    assert '"minder":2' not in standaard.get(PAD, headers=auth("beleidsmaker")).text.replace(" ", "")
