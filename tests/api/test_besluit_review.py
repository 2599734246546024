"""The professional's besluit, HG-deskundige reviews, and the aggregates beleidsmakers see."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routes.statistiek import herkomst_van_de_regels
from tests.api.helpers import (
    CASUSSEN,
    KEYS,
    auth,
    besluit_zoals,
    count,
    fouten,
    load_casus,
    post_advies,
    rows,
    velden,
)

VJ = {p.stem: p for p in CASUSSEN}


def advies_voor(client: TestClient, naam: str = "vj-2020-1", principal: str = "indicatiesteller") -> dict[str, Any]:
    return post_advies(client, load_casus(VJ[naam]), principal)


def besluit(client: TestClient, advies: dict[str, Any], body: dict[str, Any],
            principal: str = "indicatiesteller") -> Any:
    return client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=body, headers=auth(principal))


def review(client: TestClient, advies: dict[str, Any], body: dict[str, Any]) -> Any:
    return client.post(f"/v1/advies/{advies['advies_id']}/review", json=body, headers=auth("hg_deskundige"))


def statistiek(client: TestClient) -> dict[str, Any]:
    response = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def regels(advies: dict[str, Any]) -> set[str]:
    return {stap["regel"] for stap in advies["uitleg"]}


# --- besluit -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("naam", ["vj-2020-1", "vj-2020-3", "eigen-01", "eigen-03"])
def test_besluit_equal_to_the_advies_needs_no_reason(client: TestClient, app: FastAPI, naam: str) -> None:
    advies = advies_voor(client, naam)
    response = besluit(client, advies, besluit_zoals(advies))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["afwijkingen"] == [] and body["advies_id"] == advies["advies_id"]
    [record] = rows(app, "besluit")
    assert record["id"] == body["besluit_id"] and record["reden"] is None and record["afwijkingen"] == []


def test_maatwerk_order_and_repeats_are_no_deviation(client: TestClient) -> None:
    advies = advies_voor(client, "vj-2020-3")
    maatwerk = [m["resultaatgebied"] for m in advies["maatwerk"]]
    assert len(maatwerk) == 2
    response = besluit(client, advies, besluit_zoals(advies, maatwerk=[*reversed(maatwerk), maatwerk[0]]))
    assert response.status_code == 201 and response.json()["afwijkingen"] == []


AFWIJKINGEN = {  # name -> (changes to the advies of vj-2020-3: hg_arrangement/extramuraal/3, 2x maatwerk)
    "pakket": ({"pakket": 2}, ["pakket"]),
    "perceel": ({"perceel": "semimuraal"}, ["perceel"]),
    "perceel en pakket": ({"perceel": "intramuraal", "pakket": 2}, ["perceel", "pakket"]),
    "route": ({"route": "basishulp_wijkteam", "perceel": None, "pakket": None, "maatwerk": []},
              ["route", "perceel", "pakket", "maatwerk"]),
    "maatwerk weg": ({"maatwerk": ["dagbesteding"]}, ["maatwerk"]),
    "maatwerk erbij": ({"maatwerk": ["toeleiding_schulddienstverlening", "dagbesteding", "nachtelijke_ondersteuning"]},
                       ["maatwerk"]),
}


@pytest.mark.parametrize(("changes", "verwacht"), AFWIJKINGEN.values(), ids=AFWIJKINGEN.keys())
def test_deviating_besluit_needs_a_reason(
    client: TestClient, app: FastAPI, changes: dict[str, Any], verwacht: list[str]
) -> None:
    advies = advies_voor(client, "vj-2020-3")
    for reden in (None, "", "   "):
        body = besluit_zoals(advies, **changes)
        if reden is not None:
            body["reden"] = reden
        [fout] = fouten(besluit(client, advies, body))
        assert fout["veld"] == "reden"
        for veld in verwacht:
            assert veld in fout["melding"]
    assert count(app, "besluit") == 0, "a refused besluit was stored"

    response = besluit(client, advies, besluit_zoals(advies, **changes, reden="  Gezin heeft meer nodig  "))
    assert response.status_code == 201, response.text
    assert response.json()["afwijkingen"] == verwacht
    [record] = rows(app, "besluit")
    assert record["afwijkingen"] == verwacht
    assert record["reden"] == "Gezin heeft meer nodig"
    assert record["key_id"] and record["rol"] == "indicatiesteller"
    assert set(record["regels"]) == regels(advies)


INVALID_BESLUIT = {
    "onbekend veld": ({"route": "hg_arrangement", "kleur": "rood"}, "kleur"),
    "route ontbreekt": ({"pakket": 1}, "route"),
    "onbekende route": ({"route": "elders"}, "route"),
    "pakket 4": ({"route": "hg_arrangement", "pakket": 4}, "pakket"),
    "pakket als tekst": ({"route": "hg_arrangement", "pakket": "drie"}, "pakket"),
    "onbekend maatwerk": ({"route": "hg_arrangement", "maatwerk": ["schulden"]}, "maatwerk[0]"),
    "reden te lang": ({"route": "hg_arrangement", "reden": "x" * 2001}, "reden"),
    "geen object": ([1, 2], "(verzoek)"),
}


@pytest.mark.parametrize(("body", "veld"), INVALID_BESLUIT.values(), ids=INVALID_BESLUIT.keys())
def test_invalid_besluit_is_422_naming_the_field(client: TestClient, app: FastAPI, body: Any, veld: str) -> None:
    advies = advies_voor(client)
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=body, headers=auth("indicatiesteller"))
    assert veld in velden(response), response.text
    assert count(app, "besluit") == 0


def test_besluit_that_is_not_json_is_422(client: TestClient) -> None:
    advies = advies_voor(client)
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", content=b'{"route": ',
                           headers={**auth("indicatiesteller"), "Content-Type": "application/json"})
    assert velden(response) == ["(verzoek)"]
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", content=b'{"route": "\xff"}',
                           headers={**auth("indicatiesteller"), "Content-Type": "application/json"})
    assert velden(response) == ["(verzoek)"], "a body that is not UTF-8 is invalid input too"


def test_besluit_on_unknown_advies_is_404(client: TestClient) -> None:
    response = client.post(f"/v1/advies/{'0' * 32}/besluit", json={"route": "buiten_scope"},
                           headers=auth("beheerder"))
    assert velden(response, 404) == ["advies_id"]


# --- review --------------------------------------------------------------------------------------------------


def test_review_as_a_whole_and_per_step(client: TestClient, app: FastAPI) -> None:
    advies = advies_voor(client)
    assert review(client, advies, {"oordeel": "eens"}).status_code == 201
    stappen = [{"regel": stap["regel"], "oordeel": "oneens" if i == 0 else "eens", "toelichting": f"stap {i}"}
               for i, stap in enumerate(advies["uitleg"][:3])]
    response = review(client, advies, {"oordeel": "oneens", "toelichting": "Matrix te zwaar", "stappen": stappen})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["advies_id"] == advies["advies_id"] and body["review_id"]
    opgeslagen = {r["id"]: r for r in rows(app, "review")}
    assert len(opgeslagen) == 2
    assert opgeslagen[body["review_id"]]["stappen"] == stappen
    assert opgeslagen[body["review_id"]]["oordeel"] == "oneens"


@pytest.mark.parametrize("index", [0, 2])
def test_review_of_an_unknown_rule_is_422(client: TestClient, app: FastAPI, index: int) -> None:
    advies = advies_voor(client)
    stappen = [{"regel": stap["regel"], "oordeel": "eens"} for stap in advies["uitleg"][:3]]
    stappen[index]["regel"] = "regel.die.niet.bestaat"
    response = review(client, advies, {"oordeel": "oneens", "stappen": stappen})
    [fout] = fouten(response)
    assert fout["veld"] == f"stappen[{index}].regel"
    assert "regel.die.niet.bestaat" in fout["melding"]
    assert count(app, "review") == 0


def test_review_of_a_rule_that_did_not_shape_this_advies_is_422(client: TestClient) -> None:
    advies = advies_voor(client, "vj-2020-1")
    ander = advies_voor(client, "eigen-01")  # buiten scope: rules that vj-2020-1 never reached
    vreemd = sorted(regels(ander) - regels(advies))
    assert vreemd
    response = review(client, advies, {"oordeel": "oneens", "stappen": [{"regel": vreemd[0], "oordeel": "oneens"}]})
    assert velden(response) == ["stappen[0].regel"]


INVALID_REVIEW = {
    "oordeel ontbreekt": ({}, "oordeel"),
    "onbekend oordeel": ({"oordeel": "misschien"}, "oordeel"),
    "onbekend veld": ({"oordeel": "eens", "cijfer": 7}, "cijfer"),
    "stap zonder oordeel": ({"oordeel": "eens", "stappen": [{"regel": "pakket.matrix"}]}, "stappen[0].oordeel"),
    "stappen geen lijst": ({"oordeel": "eens", "stappen": {"regel": "pakket.matrix"}}, "stappen"),
}


@pytest.mark.parametrize(("body", "veld"), INVALID_REVIEW.values(), ids=INVALID_REVIEW.keys())
def test_invalid_review_is_422_naming_the_field(client: TestClient, app: FastAPI, body: Any, veld: str) -> None:
    advies = advies_voor(client)
    assert veld in velden(review(client, advies, body))
    assert count(app, "review") == 0


# --- statistiek ----------------------------------------------------------------------------------------------


def test_statistiek_without_besluiten(client: TestClient) -> None:
    advies_voor(client)
    leeg = [{"veld": v, "afwijkend": 0, "aandeel": 0.0, "regels": [], "redenen": []}
            for v in ("route", "perceel", "pakket", "maatwerk")]
    assert statistiek(client) == {"besluiten": 0, "afwijkend": 0, "aandeel_afwijkend": 0.0,
                                  "per_veld": {"route": 0, "perceel": 0, "pakket": 0, "maatwerk": 0},
                                  "per_regel": [], "minimum_aantal": 1, "onderdrukt": [], "vrijgegeven_tot": None,
                                  "velden": leeg, "review_toelichtingen": []}


def test_statistiek_aggregates_latest_besluit_per_field_and_rule(client: TestClient) -> None:
    a = advies_voor(client, "vj-2020-1")  # extramuraal 3
    b = advies_voor(client, "vj-2020-3", "indicatiesteller_2")  # extramuraal 3, maatwerk
    c = advies_voor(client, "eigen-03")  # basishulp
    d = advies_voor(client, "vj-2020-5")  # no besluit: does not count
    e = advies_voor(client, "vj-2020-2")
    # a: first deviates, then follows the advies: only the latest besluit counts
    assert besluit(client, a, besluit_zoals(a, pakket=1, reden="eerst")).json()["afwijkingen"] == ["pakket"]
    assert besluit(client, a, besluit_zoals(a)).status_code == 201
    # b: deviates on perceel and pakket; c follows; e deviates on maatwerk, after first following the advies
    assert besluit(client, b, besluit_zoals(b, perceel="semimuraal", pakket=2, reden="x"),
                   "indicatiesteller_2").status_code == 201
    assert besluit(client, c, besluit_zoals(c)).status_code == 201
    assert besluit(client, e, besluit_zoals(e)).status_code == 201
    assert besluit(client, e, besluit_zoals(e, maatwerk=["dagbesteding"], reden="y"), "beheerder").status_code == 201

    gedeeld = sorted(regels(a) & regels(b))[0]
    oneens = Counter({gedeeld: 2, sorted(regels(c))[0]: 1})
    assert review(client, a, {"oordeel": "oneens", "stappen": [{"regel": gedeeld, "oordeel": "oneens"}]}).is_success
    assert review(client, b, {"oordeel": "eens", "stappen": [{"regel": gedeeld, "oordeel": "oneens"}, *[
        {"regel": r, "oordeel": "eens"} for r in sorted(regels(b) - {gedeeld})[:2]]]}).is_success
    assert review(client, c, {"oordeel": "oneens", "stappen": [{"regel": sorted(regels(c))[0],
                                                                "oordeel": "oneens"}]}).is_success
    assert review(client, d, {"oordeel": "eens"}).is_success

    stat = statistiek(client)
    assert stat["besluiten"] == 4
    assert stat["afwijkend"] == 2
    assert stat["aandeel_afwijkend"] == 0.5
    assert stat["per_veld"] == {"route": 0, "perceel": 1, "pakket": 1, "maatwerk": 1}

    met_besluit = (a, b, c, e)
    # A deviation counts only against the rules that concluded or fed the deviating field (engine/herkomst.py).
    afwijkend = ((b, {"perceel", "pakket"}), (e, {"maatwerk"}))
    graaf = herkomst_van_de_regels()
    verwacht = {}
    for regel in set().union(*(regels(x) for x in met_besluit)):
        n = sum(regel in regels(x) for x in met_besluit)
        k = sum(regel in regels(x) and any(regel in graaf.velden[v] for v in velden_x) for x, velden_x in afwijkend)
        verwacht[regel] = {"regel": regel, "besluiten": n, "afwijkend": k, "aandeel": round(k / n, 4),
                           "reviews_oneens": oneens[regel]}
    per_regel = {r["regel"]: {k: r[k] for k in ("regel", "besluiten", "afwijkend", "aandeel", "reviews_oneens")}
                 for r in stat["per_regel"]}
    assert per_regel == verwacht
    assert 0 < sum(r["afwijkend"] for r in per_regel.values()) < sum(
        r["besluiten"] for r in per_regel.values() if r["regel"] in regels(b) | regels(e)), "not every rule blamed"
    volgorde = [(-r["aandeel"], -r["afwijkend"], r["regel"]) for r in stat["per_regel"]]
    assert volgorde == sorted(volgorde), "most deviating rules first"


def test_statistiek_counts_disagreement_without_besluit(client: TestClient) -> None:
    """A rule the HG-deskundigen disagree with is a signal even before any besluit was recorded."""
    advies = advies_voor(client)
    regel = advies["uitleg"][0]["regel"]
    assert review(client, advies, {"oordeel": "oneens", "stappen": [{"regel": regel, "oordeel": "oneens"}]}).is_success
    stat = statistiek(client)
    assert stat["besluiten"] == 0
    gevonden = {r["regel"]: r for r in stat["per_regel"]}[regel]
    assert {k: gevonden[k] for k in ("besluiten", "afwijkend", "aandeel", "reviews_oneens")} == {
        "besluiten": 0, "afwijkend": 0, "aandeel": 0.0, "reviews_oneens": 1}


def test_statistiek_reveals_no_individual_advies(client: TestClient, app: FastAPI) -> None:
    """The reasons are shown (grouped, with disclosure control: tests/api/test_statistiek_herkomst.py), but
    nothing that ties them to an advies, a casus, a besluit or who made it."""
    adviezen = [advies_voor(client, naam) for naam in ("vj-2020-1", "vj-2020-2", "eigen-05")]
    for advies in adviezen:
        response = besluit(client, advies, besluit_zoals(advies, pakket=3 if advies["pakket"] != 3 else 2,
                                                         reden="Gedeelde reden 4711"))
        assert response.status_code == 201
        review(client, advies, {"oordeel": "oneens", "toelichting": "Gedeelde toelichting 0815"})
    text = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    stat = statistiek(client)
    pakket = next(v for v in stat["velden"] if v["veld"] == "pakket")
    assert pakket["redenen"] == ["Gedeelde reden 4711"]  # three besluiten, one distinct reason
    assert stat["review_toelichtingen"] == ["Gedeelde toelichting 0815"]
    verboden = [*KEYS.values()]
    for advies in adviezen:
        verboden += [advies["advies_id"], advies["casus_id"]]
        verboden += [lid for lid in ("moeder", "vader", "zoon") if lid in str(advies["budget"])]
    verboden += [r["id"] for t in ("besluit", "review") for r in rows(app, t)]
    verboden += [r["key_id"] for r in rows(app, "besluit")]
    for woord in verboden:
        assert woord not in text, woord
    assert set(statistiek(client)) == {"besluiten", "afwijkend", "aandeel_afwijkend", "per_veld", "per_regel",
                                       "minimum_aantal", "onderdrukt", "vrijgegeven_tot", "velden",
                                       "review_toelichtingen"}


# --- text the database cannot hold --------------------------------------------------------------------------


@pytest.mark.parametrize("tekst", ["a\x00b", "\x1b[31m", "bel\x07"], ids=["NUL", "escape", "bell"])
def test_control_characters_in_free_text_are_422_not_500(client: TestClient, app: FastAPI, tekst: str) -> None:
    """PostgreSQL cannot store NUL in a text column: such text is refused before it reaches the database."""
    advies = advies_voor(client)
    assert velden(besluit(client, advies, besluit_zoals(advies, pakket=1, reden=tekst))) == ["reden"]
    assert velden(review(client, advies, {"oordeel": "eens", "toelichting": tekst})) == ["toelichting"]
    stap = {"regel": advies["uitleg"][0]["regel"], "oordeel": "eens", "toelichting": tekst}
    assert velden(review(client, advies, {"oordeel": "eens", "stappen": [stap]})) == ["stappen[0].toelichting"]
    assert count(app, "besluit") == 0 and count(app, "review") == 0
    response = besluit(client, advies, besluit_zoals(advies, pakket=1, reden="regel 1\nregel 2\tmet tab"))
    assert response.status_code == 201, "line breaks and tabs are fine"


@pytest.mark.parametrize("advies_id", ["%00", "a%00b", "%C3%A9", "ABCDEF" + "0" * 26])
def test_odd_advies_ids_are_404(client: TestClient, advies_id: str) -> None:
    assert velden(client.get(f"/v1/advies/{advies_id}", headers=auth("beheerder")), 404) == ["advies_id"]
    response = client.post(f"/v1/advies/{advies_id}/besluit", json={"route": "buiten_scope"},
                           headers=auth("beheerder"))
    assert velden(response, 404) == ["advies_id"]


# --- screening of free text for personal data (issue 11; attacks-2026-12.log, category privacy-text) ---------

PERSOONSGEGEVENS = (
    "mevrouw Jansen, BSN 123456782, Coolsingel 40", "mail j.jansen@example.nl", "bel 06-12345678 of +31 6 1234 5678",
    "geboren 12-03-1985, 3011 AB Rotterdam", "BSN 123.456.782", "IBAN NL91ABNA0417164300",
)


@pytest.mark.parametrize("reden", PERSOONSGEGEVENS)
def test_a_besluit_reason_with_personal_data_is_refused_and_not_stored(
    client: TestClient, app: FastAPI, reden: str
) -> None:
    advies = advies_voor(client)
    response = besluit(client, advies, besluit_zoals(advies, pakket=2, reden=reden))
    [fout] = fouten(response)
    assert fout["veld"] == "reden" and fout["melding"].startswith("lijkt een ")
    assert not any(deel in response.text for deel in ("Jansen", "123456782", "12345678", "NL91", "1985"))
    assert count(app, "besluit") == 0


@pytest.mark.parametrize("tekst", PERSOONSGEGEVENS[:3])
def test_a_review_comment_with_personal_data_is_refused_whole_and_per_step(
    client: TestClient, app: FastAPI, tekst: str
) -> None:
    advies = advies_voor(client)
    stap = {"regel": advies["uitleg"][0]["regel"], "stap": 0, "oordeel": "oneens", "toelichting": tekst}
    assert velden(review(client, advies, {"oordeel": "oneens", "toelichting": tekst})) == ["toelichting"]
    assert velden(review(client, advies, {"oordeel": "oneens", "stappen": [stap]})) == ["stappen[0].toelichting"]
    assert count(app, "review") == 0


def test_an_ordinary_reason_is_stored(client: TestClient, app: FastAPI) -> None:
    advies = advies_voor(client)
    reden = "Pleger blijft dreigen; zwaarder pakket nodig."
    assert besluit(client, advies, besluit_zoals(advies, pakket=2, reden=reden)).status_code == 201
    assert count(app, "besluit") == 1


@pytest.mark.parametrize("pakket", [True, 1.0, "2", 4])
def test_a_besluit_pakket_is_a_whole_number_from_1_to_3(client: TestClient, app: FastAPI, pakket: object) -> None:
    """attacks-2026-12.log, badinput: `pakket: true` and `pakket: 1.0` were stored as pakket 1."""
    advies = advies_voor(client)
    assert velden(besluit(client, advies, besluit_zoals(advies, pakket=pakket, reden="Zwaarder nodig."))) == ["pakket"]
    assert count(app, "besluit") == 0


def test_a_besluit_has_at_most_the_three_maatwerk_resultaatgebieden(client: TestClient, app: FastAPI) -> None:
    advies = advies_voor(client)
    body = besluit_zoals(advies, maatwerk=["dagbesteding"] * 1_000, reden="Maatwerk nodig.")
    assert velden(besluit(client, advies, body)) == ["maatwerk"]
    assert count(app, "besluit") == 0
