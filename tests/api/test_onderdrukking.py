"""Disclosure control (issue 11, contract "Additions (2026-12)"): every count a beleidsmaker sees from 1 up to
HG_MINIMUM_AANTAL - 1 is suppressed (null, its path in `onderdrukt`), and so is a share computed from one
(attacks-2026-12.log, beleid-leak: one besluit made exactly the rules of its advies gain a count)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from api.routes.statistiek import vrijgave
from tests.api.helpers import auth, besluit_zoals, load_casus, post_advies
from tests.api.test_besluit_review import VJ
from tests.web.conftest import aanmelden


def _afwijkend_besluit(client: TestClient, afwijkend: bool = True) -> None:
    advies = post_advies(client, load_casus(VJ["vj-2020-1"]))
    besluit = (besluit_zoals(advies, pakket=2, reden="Lichter pakket past beter.") if afwijkend
               else besluit_zoals(advies))
    response = client.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit, headers=auth("indicatiesteller"))
    assert response.status_code == 201, response.text


def _statistiek(client: TestClient) -> dict[str, object]:
    response = client.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker"))
    assert response.status_code == 200
    return dict(response.json())


def test_one_besluit_reveals_nothing(standaard: TestClient) -> None:
    _afwijkend_besluit(standaard)
    s = _statistiek(standaard)  # not released: a batch needs five besluiten
    assert s["besluiten"] == 0 and s["afwijkend"] == 0 and s["per_regel"] == []
    _terug(standaard, 8)
    assert _statistiek(standaard) == s  # a week later: one besluit is still no batch


def _een_afwijkend_van_vijf(client: TestClient) -> None:
    _afwijkend_besluit(client)
    for _ in range(4):
        _afwijkend_besluit(client, afwijkend=False)
    _terug(client, 8)


def test_a_count_below_the_minimum_is_suppressed(standaard: TestClient) -> None:
    _een_afwijkend_van_vijf(standaard)
    s = _statistiek(standaard)
    assert s["besluiten"] == 5 and s["afwijkend"] is None and s["aandeel_afwijkend"] is None
    assert s["per_veld"] == {"route": 0, "perceel": 0, "pakket": None, "maatwerk": 0}
    regels = s["per_regel"]
    assert isinstance(regels, list) and regels
    # the one deviation (on pakket) counts only against the rules that fed the pakket: suppressed there, 0 elsewhere
    pakket = [r for r in regels if "pakket" in r["velden"]]
    assert pakket and all(r["besluiten"] == 5 and r["afwijkend"] is None and r["aandeel"] is None for r in pakket)
    assert all(r["afwijkend"] == 0 and r["aandeel"] == 0.0 for r in regels if "pakket" not in r["velden"])
    onderdrukt = s["onderdrukt"]
    assert isinstance(onderdrukt, list) and {"afwijkend", "per_veld.pakket"} <= set(onderdrukt)
    assert s["minimum_aantal"] == 5
    tekst = standaard.get("/v1/statistiek/afwijkingen", headers=auth("beleidsmaker")).text
    assert '"afwijkend":1' not in tekst.replace(" ", "")


def _terug(client: TestClient, dagen: int) -> None:
    """Move every besluit and review so many days into the past (as if made then)."""
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        for table in ("besluit", "review"):
            for (rij_id, aangemaakt) in conn.exec_driver_sql(f"SELECT id, aangemaakt FROM {table}").all():
                moment = aangemaakt if isinstance(aangemaakt, dt.datetime) else dt.datetime.fromisoformat(aangemaakt)
                conn.exec_driver_sql(f"UPDATE {table} SET aangemaakt = ? WHERE id = ?"
                                     if conn.dialect.name == "sqlite" else
                                     f"UPDATE {table} SET aangemaakt = %s WHERE id = %s",
                                     (moment - dt.timedelta(days=dagen), rij_id))


def test_from_the_minimum_on_the_counts_are_shown(standaard: TestClient) -> None:
    for _ in range(5):
        _afwijkend_besluit(standaard)
    assert _statistiek(standaard)["besluiten"] == 0  # made this week: not released yet
    _terug(standaard, 8)  # last week's besluiten: released since Monday
    s = _statistiek(standaard)
    assert s["besluiten"] == 5 and s["afwijkend"] == 5 and s["aandeel_afwijkend"] == 1.0
    assert s["per_veld"]["pakket"] == 5  # type: ignore[index]
    assert "besluiten" not in s["onderdrukt"]  # type: ignore[operator]


def test_the_page_shows_suppressed_counts_as_below_the_minimum(standaard: TestClient) -> None:
    _een_afwijkend_van_vijf(standaard)
    pagina = aanmelden(standaard, "beleidsmaker").get("/afwijkingen")
    assert pagina.status_code == 200
    assert "&lt; 5" in pagina.text and "worden niet getoond" in pagina.text
    assert "Stand van maandag" in pagina.text


def test_the_page_says_when_nothing_is_released_yet(standaard: TestClient) -> None:
    _afwijkend_besluit(standaard)
    pagina = aanmelden(standaard, "beleidsmaker").get("/afwijkingen")
    assert "nog geen cijfers" in pagina.text


def test_one_more_besluit_changes_nothing_until_the_next_batch(standaard: TestClient) -> None:
    """The differencing attack (attacks-2026-12.log): released figures, one besluit more, no difference."""
    for _ in range(5):
        _afwijkend_besluit(standaard)
    _terug(standaard, 8)
    voor = _statistiek(standaard)
    assert voor["besluiten"] == 5 and voor["vrijgegeven_tot"] is not None
    _afwijkend_besluit(standaard)
    assert _statistiek(standaard) == voor


UTC = dt.UTC


def _t(dag: int, uur: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, dag, uur, tzinfo=UTC)  # 2 Nov 2026 is a Monday


def test_release_waits_for_a_batch_of_the_minimum() -> None:
    nu_ = _t(25)  # Wednesday 25 Nov; Mondays 9, 16, 23 Nov before it
    assert vrijgave([], 5, nu_) == dt.datetime.min.replace(tzinfo=UTC)  # nothing to release
    assert vrijgave([_t(3)] * 4, 5, nu_) == dt.datetime.min.replace(tzinfo=UTC)  # never 5: nothing released
    punt = vrijgave([_t(3)] * 5, 5, nu_)  # five in the week of 2 Nov: released from Monday 9 Nov on
    assert punt == dt.datetime(2026, 11, 8, 23, tzinfo=UTC)  # 9 Nov 00:00 in Amsterdam (CET)
    # three more in the week of 16 Nov and two in the week of 23 Nov: 23 Nov is not yet a batch of five
    assert vrijgave([_t(3)] * 5 + [_t(17)] * 3 + [_t(24)] * 2, 5, nu_) == punt
    # five more by Monday 23 Nov: released up to then
    assert vrijgave([_t(3)] * 5 + [_t(17)] * 5, 5, nu_) == dt.datetime(2026, 11, 22, 23, tzinfo=UTC)


def test_without_disclosure_control_every_besluit_counts_at_once() -> None:
    assert vrijgave([_t(24)], 1, _t(25)) is None


def test_a_release_point_is_monday_midnight_in_amsterdam_across_dst() -> None:
    zomer = [dt.datetime(2026, 10, 20, 12, tzinfo=UTC)] * 5  # CEST until 25 Oct
    assert vrijgave(zomer, 5, dt.datetime(2026, 10, 28, tzinfo=UTC)) == dt.datetime(2026, 10, 25, 23, tzinfo=UTC)
