"""The casus over time (herindicatie, contract "Additions (2026-12)"): POST /v1/advies links a new advies to the
newest earlier one of the same casus that the caller may read, with the direction, the changed contract fields
and the rules that concluded otherwise; GET /v1/casussen/{casus_id}/adviezen lists them, oldest first."""

from __future__ import annotations

import copy
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.herindicatie import richting
from tests.api.helpers import auth, besluit_zoals, casus, fouten, post_advies, rows


def _met(**wijziging: dict[str, Any]) -> dict[str, Any]:
    """The example casus with nested changes: _met(veiligheid={"niveau": "laag"})."""
    data = copy.deepcopy(casus())
    for groep, velden in wijziging.items():
        data[groep] = {**data[groep], **velden}
    return data


def test_the_first_advies_has_no_previous_one(client: TestClient) -> None:
    advies = post_advies(client)
    assert advies["vorig_advies_id"] is None and advies["ten_opzichte_van_vorige"] is None


def test_down_up_and_equal(client: TestClient) -> None:
    eerste = post_advies(client)  # veiligheid hoog, vaardigheden beperkt, intieme terreur: pakket 3
    assert (eerste["perceel"], eerste["pakket"]) == ("extramuraal", 3)
    lager = post_advies(client, _met(veiligheid={"niveau": "laag"}, geweld={"intieme_terreur": False}))
    assert lager["vorig_advies_id"] == eerste["advies_id"]
    verschil = lager["ten_opzichte_van_vorige"]
    assert verschil["richting"] == "afschalen"
    assert verschil["wijzigingen"]["pakket"] == [3, lager["pakket"]] and lager["pakket"] < 3
    assert "budget.totaal_uur_per_week" in verschil["wijzigingen"]
    assert verschil["regels"] and all(isinstance(r, str) for r in verschil["regels"])
    gelijk = post_advies(client, _met(veiligheid={"niveau": "laag"}, geweld={"intieme_terreur": False}))
    assert gelijk["vorig_advies_id"] == lager["advies_id"]  # the newest earlier one
    assert gelijk["ten_opzichte_van_vorige"] == {"richting": "gelijk", "wijzigingen": {}, "regels": []}
    hoger = post_advies(client, _met(woonsituatie={"nabijheid_24u_nodig": True}))
    assert hoger["perceel"] == "semimuraal"
    assert hoger["ten_opzichte_van_vorige"]["richting"] == "opschalen"
    assert hoger["ten_opzichte_van_vorige"]["wijzigingen"]["perceel"] == ["extramuraal", "semimuraal"]
    # stored with the advies: GET gives the same
    opgehaald = client.get(f"/v1/advies/{hoger['advies_id']}", headers=auth("indicatiesteller")).json()
    assert opgehaald["vorig_advies_id"] == gelijk["advies_id"]
    assert opgehaald["ten_opzichte_van_vorige"] == hoger["ten_opzichte_van_vorige"]


def test_the_stored_advies_is_the_answer_with_the_herindicatie_fields_last(client: TestClient, app: FastAPI) -> None:
    """The advies is encoded once and the two herindicatie fields spliced in after it: the stored text is what
    encoding the whole advies gives, for a first advies, a changed one and one equal to the previous."""
    eerste = post_advies(client)
    anders = post_advies(client, _met(veiligheid={"niveau": "laag"}))
    gelijk = post_advies(client, _met(veiligheid={"niveau": "laag"}))
    opgeslagen = {r["id"]: r["advies"] for r in rows(app, "advies")}
    for antwoord in (eerste, anders, gelijk):
        advies = opgeslagen[antwoord["advies_id"]]
        advies = orjson.loads(advies) if isinstance(advies, str | bytes) else advies
        assert list(advies)[-2:] == ["vorig_advies_id", "ten_opzichte_van_vorige"]
        zonder_dienst = {k: v for k, v in antwoord.items() if k not in ("advies_id", "aangemaakt", "gevraagd_door")}
        assert advies == zonder_dienst
    assert gelijk["ten_opzichte_van_vorige"] == {"richting": "gelijk", "wijzigingen": {}, "regels": []}
    assert anders["ten_opzichte_van_vorige"]["richting"] == "afschalen"


def test_direction_across_routes() -> None:
    basis = {"route": "basishulp_wijkteam", "perceel": None, "pakket": None, "vrije_trede": False}
    hg = {"route": "hg_arrangement", "perceel": "extramuraal", "pakket": 1, "vrije_trede": False}
    buiten = {"route": "buiten_scope", "perceel": None, "pakket": None, "vrije_trede": False}
    assert richting(basis, hg) == "opschalen" and richting(hg, basis) == "afschalen"
    assert richting(hg, buiten) == "anders" and richting(buiten, buiten) == "gelijk"
    assert richting(hg, {**hg, "vrije_trede": True}) == "anders"
    assert richting({**hg, "perceel": "semimuraal", "pakket": 2}, {**hg, "pakket": 3}) == "afschalen"


def test_only_an_advies_the_caller_may_read_is_linked(client: TestClient) -> None:
    eigen = post_advies(client)
    ander = post_advies(client, principal="indicatiesteller_2")  # the same casus_id, another indicatiesteller
    assert ander["vorig_advies_id"] is None
    beheerder = post_advies(client, principal="beheerder")  # reads every advies
    assert beheerder["vorig_advies_id"] == ander["advies_id"]
    assert post_advies(client)["vorig_advies_id"] == eigen["advies_id"]
    anders_id = post_advies(client, casus(casus_id="VJ-2020-99"))
    assert anders_id["vorig_advies_id"] is None


def _casus_regels(app: FastAPI, vanaf: int = 0) -> list[dict[str, Any]]:
    """The audit lines `casus_gelezen` (the audit log is append-only: it keeps those of earlier tests)."""
    return [r for r in rows(app, "audit") if r["actie"] == "casus_gelezen"][vanaf:]


def test_the_adviezen_of_a_casus(client: TestClient, app: FastAPI) -> None:
    al = len(_casus_regels(app))
    eerste = post_advies(client)
    tweede = post_advies(client, _met(veiligheid={"niveau": "laag"}))
    post_advies(client, principal="indicatiesteller_2")
    post_advies(client, casus(casus_id="VJ-2020-99"))
    besluit = besluit_zoals(eerste, pakket=2, reden="Het netwerk helpt mee.")
    assert client.post(f"/v1/advies/{eerste['advies_id']}/besluit", json=besluit,
                       headers=auth("indicatiesteller")).status_code == 201
    response = client.get("/v1/casussen/VJ-2020-1/adviezen", headers=auth("indicatiesteller"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["casus_id"] == "VJ-2020-1"
    assert [a["advies_id"] for a in body["adviezen"]] == [eerste["advies_id"], tweede["advies_id"]]  # own, oldest first
    een, twee = body["adviezen"]
    assert een["besluit"]["afwijkingen"] == ["pakket"] and een["besluit"]["reden"] == "Het netwerk helpt mee."
    assert een["besluiten"] == 1 and twee["besluit"] is None
    assert twee["vorig_advies_id"] == eerste["advies_id"] and twee["ten_opzichte_van_vorige"]["richting"] == "afschalen"
    assert (een["route"], een["perceel"], een["pakket"]) == (eerste["route"], eerste["perceel"], eerste["pakket"])
    for rol in ("hg_deskundige", "beheerder"):
        alle = client.get("/v1/casussen/VJ-2020-1/adviezen", headers=auth(rol)).json()["adviezen"]
        assert len(alle) == 3, rol
    assert client.get("/v1/casussen/VJ-2020-1/adviezen", headers=auth("beleidsmaker")).status_code == 403
    assert client.get("/v1/casussen/VJ-2020-1/adviezen").status_code == 401
    # every advies shown is an audit line
    regels = _casus_regels(app, al)
    assert len(regels) == 2 + 3 + 3
    assert {r["advies_id"] for r in regels if r["key_id"] and r["rol"] == "indicatiesteller"} == {
        eerste["advies_id"], tweede["advies_id"]}
    assert all(r["object_id"] == "VJ-2020-1" and r["status"] == 200 for r in regels)


def test_an_unknown_casus_or_one_of_another_indicatiesteller_is_not_found(client: TestClient, app: FastAPI) -> None:
    al = len(_casus_regels(app))
    post_advies(client, principal="indicatiesteller_2")
    for pad in ("/v1/casussen/VJ-2020-1/adviezen", "/v1/casussen/bestaat-niet/adviezen"):
        response = client.get(pad, headers=auth("indicatiesteller"))
        assert response.status_code == 404 and fouten(response, 404)[0]["veld"] == "casus_id"
    assert [r["status"] for r in _casus_regels(app, al)] == [404, 404]


def test_an_invalid_casus_id_or_parameter_is_refused(client: TestClient) -> None:
    for pad in ("/v1/casussen/a%20b/adviezen", "/v1/casussen/123456782/adviezen"):  # a space; a possible BSN
        response = client.get(pad, headers=auth("hg_deskundige"))
        assert response.status_code == 422 and fouten(response)[0]["veld"] == "casus_id", pad
    response = client.get("/v1/casussen/VJ-2020-1/adviezen?pagina=2", headers=auth("hg_deskundige"))
    assert response.status_code == 422 and fouten(response)[0]["veld"] == "pagina"
