"""POST /v1/replay with `"bron": "opgeslagen"`: a scenario over the stored adviezen of a period, compared with
the recorded besluiten; disclosure control and no casus ids in the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.models import AdviesRecord
from api.opgeslagen import AMSTERDAM
from engine.casus import parse_casus
from engine.evaluate import evaluate
from engine.replay import besluit_klopt, scenario_rulesets
from engine.scenario import scenario_uit
from rules import standaard_engine
from tests.api.helpers import CASUSSEN, auth, besluit_zoals, count, db, load_casus, post_advies, velden
from tests.api.test_replay_api import SCENARIO, wacht_op

PAKKET_3 = {"naam": "alles-pakket-3", "beschrijving": "Elk pakket in de matrix wordt 3",
            "parameters": {f"pakket_matrix.{r}.{v}": 3 for r in ("laag", "midden", "hoog")
                           for v in ("onvoldoende", "voldoende")}}


def _op(client: TestClient, advies_id: str, dag: dt.date, uur: int = 12) -> None:
    """Date an advies as if made on `dag` at `uur` o'clock, Amsterdam time."""
    moment = dt.datetime.combine(dag, dt.time(uur), AMSTERDAM).astimezone(dt.UTC)
    with db(client.app).begin() as conn:  # type: ignore[arg-type]
        conn.execute(update(AdviesRecord.__table__).where(  # type: ignore[attr-defined]
            AdviesRecord.__table__.c.id == advies_id).values(aangemaakt=moment))  # type: ignore[attr-defined]


def _besluit(client: TestClient, advies: dict[str, Any], **changes: Any) -> None:
    if changes:
        changes.setdefault("reden", "Een ander pakket past beter bij dit gezin.")
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit_zoals(advies, **changes),
                           headers=auth("indicatiesteller"))
    assert response.status_code == 201, response.text


def _replay(client: TestClient, scenario: dict[str, Any], periode: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"scenario": scenario, "bron": "opgeslagen"}
    if periode is not None:
        body["periode"] = periode
    response = client.post("/v1/replay", json=body, headers=auth("beleidsmaker"))
    assert response.status_code == 202, response.text
    job = response.json()
    status = wacht_op(client, job["job_id"])
    assert status["status"] == "klaar", status
    assert status["gedaan"] == status["totaal"] == job["totaal"]
    rapport = client.get(job["rapport_url"], headers=auth("beleidsmaker"))
    assert rapport.status_code == 200
    result: dict[str, Any] = rapport.json()
    return result


def _casussen() -> list[dict[str, Any]]:
    return [load_casus(pad) for pad in CASUSSEN[:8]]


def _verwacht(casussen: list[dict[str, Any]], besluiten: dict[int, tuple[Any, ...]],
              scenario: dict[str, Any]) -> dict[str, int]:
    """The besluiten counts computed directly with the engine: casussen[i] has besluit besluiten[i]."""
    engine = standaard_engine()
    sc = scenario_uit(scenario, engine)
    tel = {"vergeleken": 0, "overeenkomend_voor": 0, "overeenkomend_na": 0}
    for i, besluit in besluiten.items():
        casus = parse_casus(casussen[i])
        basis, anders = scenario_rulesets(engine, sc, casus.peildatum)
        tel["vergeleken"] += 1
        tel["overeenkomend_voor"] += besluit_klopt(besluit, evaluate(casus, basis))
        tel["overeenkomend_na"] += besluit_klopt(besluit, evaluate(casus, anders))
    return tel


def test_a_period_replays_the_newest_advies_per_casus_and_compares_the_besluiten(client: TestClient) -> None:
    casussen = _casussen()
    maart = dt.date(2026, 3, 1)
    adviezen = []
    for i, data in enumerate(casussen):
        advies = post_advies(client, data)
        _op(client, advies["advies_id"], maart + dt.timedelta(days=i))  # 1..8 March
        adviezen.append(advies)
    # outside the period: made on 28 February at 23:30 Amsterdam (22:30 UTC, still February in UTC too) and
    # on 1 April 00:30 Amsterdam (31 March 22:30 UTC: in UTC it would be inside the period)
    buiten_voor = post_advies(client, casussen[0] | {"casus_id": "buiten-1"})
    _op(client, buiten_voor["advies_id"], dt.date(2026, 2, 28), 23)
    buiten_na = post_advies(client, casussen[1] | {"casus_id": "buiten-2"})
    moment = dt.datetime(2026, 4, 1, 0, 30, tzinfo=AMSTERDAM).astimezone(dt.UTC)
    with db(client.app).begin() as conn:  # type: ignore[arg-type]
        conn.execute(update(AdviesRecord.__table__).where(  # type: ignore[attr-defined]
            AdviesRecord.__table__.c.id == buiten_na["advies_id"]).values(aangemaakt=moment))  # type: ignore[attr-defined]
    # a herindicatie of casus 0 later in March: only this newer advies counts, with its own besluit
    herindicatie = post_advies(client, casussen[0])
    _op(client, herindicatie["advies_id"], dt.date(2026, 3, 20))
    _besluit(client, adviezen[0], pakket=1)  # on the older advies: not compared
    _besluit(client, herindicatie)  # follows the advies
    _besluit(client, adviezen[4], pakket=2)  # EIGEN-05, pakket 1 before and after: deviates from both
    _besluit(client, adviezen[5], pakket=3)  # EIGEN-06, pakket 2 before, 3 after: matches only after
    _besluit(client, adviezen[6])  # EIGEN-07, pakket 3 before and after
    _besluit(client, adviezen[7], pakket=2)
    _besluit(client, adviezen[7])  # the newest besluit on an advies counts
    periode = {"van": "2026-03-01", "tot": "2026-03-31"}

    r = _replay(client, PAKKET_3, periode)
    assert r["bron"] == "opgeslagen" and r["periode"] == periode
    assert r["totaal"] == len(casussen)
    assert r["besluiten"] == {"vergeleken": 5, "overeenkomend_voor": 3, "overeenkomend_na": 4}
    besluiten = {0: besluit_zoals(herindicatie), 4: besluit_zoals(adviezen[4], pakket=2),
                 5: besluit_zoals(adviezen[5], pakket=3), 6: besluit_zoals(adviezen[6]), 7: besluit_zoals(adviezen[7])}
    verwacht = _verwacht(casussen, {i: (b["route"], b["perceel"], b["pakket"]) for i, b in besluiten.items()}, PAKKET_3)
    assert r["besluiten"] == verwacht
    # aggregates only: no casus list and no casus id or advies id anywhere in the report
    assert "casussen" not in r
    tekst = orjson.dumps(r).decode()
    for advies in (*adviezen, herindicatie, buiten_voor, buiten_na):
        assert advies["casus_id"] not in tekst and advies["advies_id"] not in tekst
    assert r["onderdrukt"] == [] and r["minimum_aantal"] == 1
    assert r["velden"]["pakket"] == r["gewijzigd"] > 0
    assert "uren_looptijd" in r and "kosten" in r

    # without a period: every stored casus (the two outside March too)
    alles = _replay(client, PAKKET_3)
    assert alles["totaal"] == len(casussen) + 2
    # only the start of the period: from 1 April (Amsterdam) on, the one advies of 1 April 00:30
    april = client.post("/v1/replay", json={"scenario": PAKKET_3, "bron": "opgeslagen",
                                            "periode": {"van": "2026-04-01"}}, headers=auth("beleidsmaker"))
    assert april.status_code == 202 and april.json()["totaal"] == 1


def test_the_stored_advies_stands_for_the_current_rules(client: TestClient) -> None:
    """A scenario that changes nothing: every advies before is the stored one, and agreement is unchanged."""
    for data in _casussen()[:5]:
        advies = post_advies(client, data)
        _besluit(client, advies)
    r = _replay(client, {"naam": "niets", "parameters": {}})
    assert r["gewijzigd"] == 0
    assert r["besluiten"] == {"vergeleken": 5, "overeenkomend_voor": 5, "overeenkomend_na": 5}
    assert r["uitvoering"]["opgeslagen_advies_als_voor"] == "gebruikt"


@pytest.mark.parametrize("principal", ["indicatiesteller", "hg_deskundige"])
def test_only_beleidsmakers_replay_the_stored_adviezen(client: TestClient, principal: str) -> None:
    post_advies(client)
    body = {"scenario": SCENARIO, "bron": "opgeslagen"}
    assert velden(client.post("/v1/replay", json=body, headers=auth(principal)), 403)
    assert velden(client.post("/v1/replay", json=body), 401)
    assert count(client.app, "replay_job") == 0  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "veld"), [
    ({"bron": "opgeslagen", "periode": {"van": "2026-13-01"}}, "periode.van"),
    ({"bron": "opgeslagen", "periode": {"tot": "1-3-2026"}}, "periode.tot"),
    ({"bron": "opgeslagen", "periode": {"van": "2026-03-31", "tot": "2026-03-01"}}, "periode.tot"),
    ({"bron": "opgeslagen", "periode": {"vanaf": "2026-03-01"}}, "periode.vanaf"),
    ({"bron": "opgeslagen", "periode": "maart"}, "periode"),
    ({"bron": "opgeslagen", "periode": {"van": "2031-01-01"}}, "periode"),  # no advies then
    ({"periode": {"van": "2026-03-01"}}, "periode"),
    ({"bron": "bestand"}, "bron"),
    ({"bron": "opgeslagen", "casussen": []}, "casussen"),
])
def test_a_bad_period_or_source_is_refused_naming_the_field(client: TestClient, body: dict[str, Any],
                                                            veld: str) -> None:
    post_advies(client)
    response = client.post("/v1/replay", json={"scenario": SCENARIO, **body}, headers=auth("beleidsmaker"))
    assert velden(response) == [veld]
    assert count(client.app, "replay_job") == 0  # type: ignore[arg-type]


def _op_pad(waarde: Any, pad: str) -> Any:
    """The value at a path of `onderdrukt`; its keys may hold dots themselves (velden.budget.kosten.per_week)."""
    delen = pad.split(".")
    while delen:
        for i in range(len(delen), 0, -1):
            sleutel = ".".join(delen[:i])
            if isinstance(waarde, dict) and sleutel in waarde:
                waarde, delen = waarde[sleutel], delen[i:]
                break
        else:
            raise KeyError(pad)
    return waarde




def test_small_counts_are_hidden_and_fewer_casussen_than_the_minimum_are_refused(standaard: TestClient) -> None:
    casussen = _casussen()
    for data in casussen[:4]:
        post_advies(standaard, data)
    assert velden(standaard.post("/v1/replay", json={"scenario": PAKKET_3, "bron": "opgeslagen"},
                                 headers=auth("beleidsmaker"))) == ["periode"]
    adviezen = [post_advies(standaard, data) for data in casussen[4:8]]
    for advies in adviezen[:2]:  # two besluiten: fewer than the minimum
        _besluit(standaard, advies)
    r = _replay(standaard, PAKKET_3)
    assert r["totaal"] == 8 and r["minimum_aantal"] == 5
    assert r["besluiten"] == {"vergeleken": None, "overeenkomend_voor": None, "overeenkomend_na": None}
    assert {"besluiten.vergeleken", "besluiten.overeenkomend_voor", "besluiten.overeenkomend_na"} <= set(
        r["onderdrukt"])
    for pad in r["onderdrukt"]:  # every hidden count is null at its path
        assert _op_pad(r, pad) is None, pad
    for veld, kanten in r["verdeling"].items():
        for kant, aantallen in kanten.items():
            zichtbaar = [v for v in aantallen.values() if v is not None]
            assert all(v == 0 or v >= 5 for v in zichtbaar), (veld, kant)
            verborgen = [w for w, v in aantallen.items() if v is None]
            assert len(verborgen) != 1, (veld, kant, "a single hidden value follows from the total")
    assert "casussen" not in r
    # the page of the report shows no casus id either
    tekst = orjson.dumps(r).decode()
    for data in casussen:
        assert data["casus_id"] not in tekst
