"""GET /v1/statistiek/afwijkingen attributes a deviation only to the rules that concluded or fed the deviating
field (engine/herkomst.py), and shows the professionals' reasons per field and per rule, with disclosure
control: a group's reasons only from HG_MINIMUM_AANTAL besluiten (or reviews) on, never with an id, a date or
who, without duplicates and in alphabetical order."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import BesluitRecord
from api.routes.statistiek import WEGGELATEN, bereken_afwijkingen
from tests.api.helpers import KEYS, auth, besluit_zoals, load_casus, post_advies, rows
from tests.api.test_besluit_review import VJ
from tests.api.test_onderdrukking import _terug
from tests.test_taal import Spelling, _code, _onbekend, domeinwoorden, hunspell_nl  # noqa: F401  # a fixture
from tests.web.conftest import aanmelden


def advies_voor(client: TestClient, naam: str, **wijziging: Any) -> dict[str, Any]:
    return post_advies(client, {**load_casus(VJ[naam]), **wijziging})


def besluit(client: TestClient, advies: dict[str, Any], **wijziging: Any) -> list[str]:
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit_zoals(advies, **wijziging),
                           headers=auth("indicatiesteller"))
    assert response.status_code == 201, response.text
    afwijkingen: list[str] = response.json()["afwijkingen"]
    return afwijkingen


def review(client: TestClient, advies: dict[str, Any], body: dict[str, Any]) -> None:
    response = client.post(f"/v1/advies/{advies['advies_id']}/review", json=body, headers=auth("hg_deskundige"))
    assert response.status_code == 201, response.text


def statistiek(client: TestClient) -> dict[str, Any]:
    response = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def per_regel(stat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["regel"]: r for r in stat["per_regel"]}


def veld(stat: dict[str, Any], naam: str) -> dict[str, Any]:
    gevonden: dict[str, Any] = next(v for v in stat["velden"] if v["veld"] == naam)
    return gevonden


# --- attribution ------------------------------------------------------------------------------------------


def test_a_perceel_deviation_counts_against_the_perceel_rules_not_against_lid_kind_or_duur(
        client: TestClient) -> None:
    """The issue's example: one besluit that differed only on perceel showed every rule as 100 % afwijkend."""
    advies = advies_voor(client, "vj-2020-1")  # extramuraal, pakket 3, with children
    assert besluit(client, advies, perceel="semimuraal", reden="Nabijheid is nodig.") == ["perceel"]
    regels = per_regel(statistiek(client))
    for naam in ("lid.kind", "duur.richtlijn", "pakket.matrix", "huishouden.samenstelling", "budget.volwassenen"):
        assert regels[naam]["besluiten"] == 1 and regels[naam]["afwijkend"] == 0, naam
        assert regels[naam]["aandeel"] == 0.0 and regels[naam]["redenen"] == [], naam
    for naam in ("perceel.extramuraal", "toegang.hg_arrangement"):
        assert regels[naam]["afwijkend"] == 1 and regels[naam]["aandeel"] == 1.0, naam
        assert regels[naam]["redenen"] == ["Nabijheid is nodig."], naam
    assert regels["perceel.extramuraal"]["velden"] == ["perceel", "pakket", "maatwerk"]
    assert regels["perceel.extramuraal"]["afwijkend_per_veld"] == {"perceel": 1, "pakket": 0, "maatwerk": 0}
    assert regels["lid.kind"]["velden"] == [] and regels["lid.kind"]["afwijkend_per_veld"] == {}
    assert regels["pakket.matrix"]["velden"] == ["pakket"]
    # the rules that deviated come first
    eerste = {r["regel"] for r in statistiek(client)["per_regel"][:2]}
    assert eerste == {"perceel.extramuraal", "toegang.hg_arrangement"}


def test_per_field_the_rules_that_shaped_it_and_how_often_it_deviated_after_them(client: TestClient) -> None:
    a = advies_voor(client, "vj-2020-1")
    b = advies_voor(client, "vj-2020-3")  # extramuraal 3 with maatwerk
    assert besluit(client, a, perceel="semimuraal", reden="Nabijheid is nodig.") == ["perceel"]
    assert besluit(client, b, maatwerk=[], reden="Schulden lopen al via de bewindvoerder.") == ["maatwerk"]
    stat = statistiek(client)
    perceel = veld(stat, "perceel")
    assert perceel["afwijkend"] == 1 and perceel["aandeel"] == 0.5
    assert perceel["redenen"] == ["Nabijheid is nodig."]
    regels = {r["regel"]: r for r in perceel["regels"]}
    assert set(regels) == {"perceel.extramuraal", "toegang.hg_arrangement"}  # those that fired and feed perceel
    assert regels["perceel.extramuraal"] == {"regel": "perceel.extramuraal", "besluiten": 2, "afwijkend": 1,
                                             "aandeel": 0.5}
    maatwerk = veld(stat, "maatwerk")
    assert maatwerk["redenen"] == ["Schulden lopen al via de bewindvoerder."]
    maatwerk_regels = {r["regel"]: r for r in maatwerk["regels"]}
    assert maatwerk_regels["maatwerk.toeleiding_schulddienstverlening"]["afwijkend"] == 1
    assert "pakket.matrix" not in maatwerk_regels and "lid.kind" not in maatwerk_regels
    assert veld(stat, "route") == {"veld": "route", "afwijkend": 0, "aandeel": 0.0, "redenen": [], "regels": [
        {"regel": "toegang.hg_arrangement", "besluiten": 2, "afwijkend": 0, "aandeel": 0.0}]}
    alle = per_regel(stat)
    # the maatwerk deviation does not count against the perceel-only part of a's reasons, and vice versa
    assert alle["maatwerk.toeleiding_schulddienstverlening"]["redenen"] == ["Schulden lopen al via de bewindvoerder."]
    assert alle["perceel.extramuraal"]["afwijkend"] == 2  # it feeds both fields
    assert alle["perceel.extramuraal"]["afwijkend_per_veld"] == {"perceel": 1, "pakket": 0, "maatwerk": 1}
    assert alle["pakket.matrix"]["afwijkend"] == 0


def test_a_besluit_deviating_on_two_fields_counts_once_per_rule(client: TestClient) -> None:
    advies = advies_voor(client, "vj-2020-1")
    assert besluit(client, advies, perceel="semimuraal", pakket=2, reden="Zwaarder wonen, lichter pakket.") == [
        "perceel", "pakket"]
    regels = per_regel(statistiek(client))
    assert regels["perceel.extramuraal"]["afwijkend"] == 1
    assert regels["perceel.extramuraal"]["afwijkend_per_veld"] == {"perceel": 1, "pakket": 1, "maatwerk": 0}
    assert regels["pakket.matrix"]["afwijkend"] == 1 and regels["pakket.matrix"]["afwijkend_per_veld"] == {"pakket": 1}
    assert regels["lid.kind"]["afwijkend"] == 0


def test_adding_maatwerk_that_is_included_counts_against_the_rule_that_said_so(client: TestClient) -> None:
    advies = advies_voor(client, "eigen-07")
    assert advies["perceel"] == "semimuraal"
    maatwerk = [m["resultaatgebied"] for m in advies["maatwerk"]] + ["nachtelijke_ondersteuning"]
    assert besluit(client, advies, maatwerk=maatwerk, reden="Extra nachtzorg nodig.") == ["maatwerk"]
    regels = per_regel(statistiek(client))
    assert regels["maatwerk.nachtelijke_ondersteuning_inbegrepen"]["afwijkend"] == 1
    assert regels["pakket.vastgesteld"]["afwijkend"] == 0


def test_a_rule_no_longer_in_the_ruleset_is_not_blamed(client: TestClient, app: FastAPI) -> None:
    advies = advies_voor(client, "vj-2020-1")
    besluit(client, advies, pakket=2, reden="Lichter.")
    with Session(app.state.db) as session:
        record = session.get(BesluitRecord, rows(app, "besluit")[0]["id"])
        assert record is not None
        record.regels = [*record.regels, "verdwenen.regel"]
        session.add(record)
        session.commit()
        stat = bereken_afwijkingen(session, 1)
    regels = {r.regel: r for r in stat.per_regel}
    assert regels["verdwenen.regel"].besluiten == 1 and regels["verdwenen.regel"].afwijkend == 0
    assert regels["verdwenen.regel"].velden == [] and regels["verdwenen.regel"].redenen == []
    assert regels["pakket.matrix"].afwijkend == 1


# --- the reasons ------------------------------------------------------------------------------------------


def test_reasons_are_distinct_and_in_alphabetical_order_not_in_time_order(client: TestClient) -> None:
    for reden in ("Zwaarder pakket nodig.", "Anders ingeschat door het team.", "anders  ingeschat door het team.",
                  "Moeder werkt beter mee dan gedacht."):
        advies = advies_voor(client, "vj-2020-1")
        besluit(client, advies, pakket=2, reden=reden)
    verwacht = ["Anders ingeschat door het team.", "Moeder werkt beter mee dan gedacht.", "Zwaarder pakket nodig."]
    stat = statistiek(client)
    assert veld(stat, "pakket")["redenen"] == verwacht
    assert per_regel(stat)["pakket.matrix"]["redenen"] == verwacht
    assert per_regel(stat)["lid.kind"]["redenen"] == []
    assert veld(stat, "perceel")["redenen"] == []


def test_a_reason_that_names_its_own_casus_shows_no_casus_id(client: TestClient) -> None:
    advies = advies_voor(client, "vj-2020-1", casus_id="RT-2026-0412")
    besluit(client, advies, pakket=2, reden="Zie rt-2026-0412: het gezin werkt goed mee.")
    tekst = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    assert "0412" not in tekst
    assert veld(statistiek(client), "pakket")["redenen"] == [f"Zie {WEGGELATEN}: het gezin werkt goed mee."]


def test_review_comments_per_rule_and_on_the_whole(client: TestClient) -> None:
    advies = advies_voor(client, "vj-2020-1")
    review(client, advies, {"oordeel": "oneens", "toelichting": "De onderbouwing mist de veiligheid.", "stappen": [
        {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": "Vaardigheden zijn overschat."},
        {"regel": "lid.kind", "oordeel": "eens", "toelichting": "Klopt."}]})
    review(client, advies, {"oordeel": "eens", "toelichting": "Goed.", "stappen": [
        {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": "Matrix te zwaar."}]})
    stat = statistiek(client)
    regels = per_regel(stat)
    assert regels["pakket.matrix"]["reviews_oneens"] == 2
    assert regels["pakket.matrix"]["toelichtingen"] == ["Matrix te zwaar.", "Vaardigheden zijn overschat."]
    assert "lid.kind" not in regels  # an eens is no disagreement, and no besluit was recorded
    assert stat["review_toelichtingen"] == ["De onderbouwing mist de veiligheid."]  # only the disagreeing review


def test_the_answer_names_no_id_date_or_who(client: TestClient, app: FastAPI) -> None:
    adviezen = [advies_voor(client, naam) for naam in ("vj-2020-1", "vj-2020-2", "vj-2020-4")]
    for advies in adviezen:
        besluit(client, advies, pakket=3 if advies["pakket"] != 3 else 2, reden="Pakket past niet bij dit gezin.")
        review(client, advies, {"oordeel": "oneens", "toelichting": "Te licht."})
    tekst = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    assert "Pakket past niet bij dit gezin." in tekst and "Te licht." in tekst
    verboden = [*KEYS.values(), *(r["key_id"] for t in ("besluit", "review") for r in rows(app, t))]
    for advies in adviezen:
        verboden += [advies["advies_id"], advies["casus_id"]]
    verboden += [r["id"] for t in ("besluit", "review") for r in rows(app, t)]
    verboden += [str(r["aangemaakt"])[:10] for t in ("besluit", "review") for r in rows(app, t)]
    verboden += ["indicatiesteller", "hg_deskundige"]
    for woord in verboden:
        assert woord not in tekst, woord


def test_a_reason_the_screener_now_refuses_is_left_out(client: TestClient, app: FastAPI) -> None:
    advies = advies_voor(client, "vj-2020-1")
    besluit(client, advies, pakket=2, reden="Lichter pakket.")
    with app.state.db.begin() as conn:  # as if stored before the screener knew this kind of identifier
        conn.exec_driver_sql("UPDATE besluit SET reden = 'Bel 06-12345678 voor overleg.'")
    stat = statistiek(client)
    assert veld(stat, "pakket")["afwijkend"] == 1 and veld(stat, "pakket")["redenen"] == []
    assert "12345678" not in str(stat)


# --- disclosure control --------------------------------------------------------------------------------------




def _lichter_pakket(client: TestClient, aantal: int) -> None:
    """`aantal` adviezen, each with a besluit one pakket lighter (its own reason) and a review against the
    matrix."""
    for i in range(aantal):
        advies = advies_voor(client, "vj-2020-1")
        besluit(client, advies, pakket=2, reden=f"Lichter pakket, reden {'abcdefgh'[i]}.")
        review(client, advies, {"oordeel": "oneens", "toelichting": "Te zwaar.", "stappen": [
            {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": "Matrix te zwaar."}]})


def test_reasons_of_a_group_below_the_minimum_are_not_shown(standaard: TestClient) -> None:
    _lichter_pakket(standaard, 4)
    besluit(standaard, advies_voor(standaard, "vj-2020-1"))  # a fifth besluit: the batch is released
    _terug(standaard, 8)
    stat = statistiek(standaard)
    assert stat["besluiten"] == 5
    assert veld(stat, "pakket")["afwijkend"] is None and veld(stat, "pakket")["redenen"] is None
    matrix = per_regel(stat)["pakket.matrix"]
    assert matrix["redenen"] is None and matrix["toelichtingen"] is None and matrix["reviews_oneens"] is None
    assert stat["review_toelichtingen"] is None
    assert {"velden.pakket.redenen", "per_regel.pakket.matrix.redenen", "per_regel.pakket.matrix.toelichtingen",
            "review_toelichtingen"} <= set(stat["onderdrukt"])
    tekst = standaard.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    assert "Lichter" not in tekst and "zwaar" not in tekst
    # a perceel group that is empty is no small group: nothing to hide
    assert veld(stat, "perceel")["redenen"] == [] and "velden.perceel.redenen" not in stat["onderdrukt"]


def test_reasons_of_a_group_at_the_minimum_are_shown(standaard: TestClient) -> None:
    _lichter_pakket(standaard, 5)
    _terug(standaard, 8)
    stat = statistiek(standaard)
    verwacht = [f"Lichter pakket, reden {c}." for c in "abcde"]
    assert veld(stat, "pakket")["redenen"] == verwacht
    assert per_regel(stat)["pakket.matrix"]["redenen"] == verwacht
    assert per_regel(stat)["pakket.matrix"]["toelichtingen"] == ["Matrix te zwaar."]
    assert stat["review_toelichtingen"] == ["Te zwaar."]
    # rules that fed no deviating field have no reasons, and are not suppressed either
    assert per_regel(stat)["lid.kind"]["afwijkend"] == 0 and per_regel(stat)["lid.kind"]["redenen"] == []


def test_a_besluit_not_yet_released_gives_no_reason(standaard: TestClient) -> None:
    for i in range(5):
        besluit(standaard, advies_voor(standaard, "vj-2020-1"), pakket=2, reden=f"Oud {'abcde'[i]}.")
    _terug(standaard, 8)
    voor = statistiek(standaard)
    besluit(standaard, advies_voor(standaard, "vj-2020-1"), pakket=2, reden="Nieuw en nog niet vrijgegeven.")
    na = statistiek(standaard)
    assert na == voor and "Nieuw en nog niet vrijgegeven." not in str(na)



# --- the page "Afwijkingen" ----------------------------------------------------------------------------------


def _paginatekst(html: str) -> str:
    """The page's own words: without rule ids (<code>), the professionals' reasons (their text, not ours) and the
    rules' own descriptions (checked where the rules are), scripts and styles."""
    for patroon in (r"<code>.*?</code>", r'<ul class="redenen">.*?</ul>', r"<summary>.*?</summary>\s*<p>.*?</p>",
                    r"<script.*?</script>", r"<style.*?</style>", r'<span class="bron">.*?</span>'):
        html = re.sub(patroon, " ", html, flags=re.DOTALL)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _pagina_met_afwijkingen(client: TestClient) -> str:
    a, b = advies_voor(client, "vj-2020-1"), advies_voor(client, "vj-2020-3")
    besluit(client, a, perceel="semimuraal", reden="Nabijheid is nodig.")
    besluit(client, b, maatwerk=[], pakket=2, reden="Lichter pakket past beter.")
    review(client, b, {"oordeel": "oneens", "toelichting": "Onvolledig.", "stappen": [
        {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": "Te zwaar."}]})
    pagina = aanmelden(client, "beleidsmaker").get("/afwijkingen")
    assert pagina.status_code == 200
    return pagina.text


def test_the_page_shows_per_field_and_per_rule_the_rules_and_reasons(client: TestClient) -> None:
    html = _pagina_met_afwijkingen(client)
    perceel = html.split('id="kop-veld-perceel"')[1].split("</section>")[0]
    assert "<li>Nabijheid is nodig.</li>" in perceel and "Lichter pakket" not in perceel
    assert "<code>perceel.extramuraal</code>" in perceel and "<code>lid.kind</code>" not in perceel
    assert "1 besluit wijkt af op het perceel (50,0% van alle besluiten)." in " ".join(perceel.split())
    route = html.split('id="kop-veld-route"')[1].split("</section>")[0]
    assert "Geen besluit wijkt af op de route." in route and "Redenen bij" not in route
    matrix = html.split("<summary>Regel <code>pakket.matrix</code></summary>")[1].split("</details>")[0]
    assert "<li>Lichter pakket past beter.</li>" in matrix and "<li>Te zwaar.</li>" in matrix
    assert "Nabijheid" not in matrix
    assert "<summary>Regel <code>lid.kind</code></summary>" not in html  # nothing counts against it
    kind = html.split("<code>lid.kind</code>")[1].split("</tr>")[0]
    assert "geen van deze onderdelen" in kind
    assert "<li>Onvolledig.</li>" in html.split('id="kop-reviews"')[1]


def test_the_page_hides_the_reasons_of_a_small_group(standaard: TestClient) -> None:
    for _ in range(4):
        besluit(standaard, advies_voor(standaard, "vj-2020-1"), pakket=2, reden="Lichter pakket past beter.")
    besluit(standaard, advies_voor(standaard, "vj-2020-1"))
    _terug(standaard, 8)
    html = aanmelden(standaard, "beleidsmaker").get("/afwijkingen").text
    assert "Lichter pakket" not in html
    pakket = " ".join(html.split('id="kop-veld-pakket"')[1].split("</section>")[0].split())
    assert "Minder dan 5 besluiten wijken af op het pakket." in pakket
    assert "Minder dan 5 besluiten: de redenen worden nog niet getoond, zodat geen besluit herkenbaar is." in pakket


@pytest.mark.usefixtures("hunspell_nl")
def test_the_page_is_dutch_without_codes(client: TestClient, standaard: TestClient) -> None:
    teksten = [_paginatekst(_pagina_met_afwijkingen(client))]
    for _ in range(4):
        besluit(standaard, advies_voor(standaard, "vj-2020-1"), pakket=2, reden="Lichter.")
        review(standaard, advies_voor(standaard, "vj-2020-1"), {"oordeel": "oneens", "stappen": [
            {"regel": "pakket.matrix", "oordeel": "oneens", "toelichting": "Te zwaar."}]})
    besluit(standaard, advies_voor(standaard, "vj-2020-1"))
    _terug(standaard, 8)
    teksten.append(_paginatekst(aanmelden(standaard, "beleidsmaker").get("/afwijkingen").text))
    for tekst in teksten:
        assert _code(tekst) == [], _code(tekst)
    onbekend = _onbekend(Spelling(domeinwoorden()), teksten)
    fout = sorted({w for tekst in teksten for w in onbekend(tekst)})
    assert fout == [], fout
