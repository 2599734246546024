"""bench/api_load.py's load generator wrk (bench/wrk_tempo.lua): its summary is read right, the stored rows are
checked against the answers, and the script holds the rate it is given (against a small local server).

wrk is Debian's package; .ci/run installs it and sets HG_TEST_WRK=verplicht (missing, the test fails)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.api_load import LastUitslag, lees_wrk, rijen_kloppen, wrk
from tests.asgi_server import body_van, uvicorn_server

_REGEL = ('HG-WRK {"requests":980,"sent":1000,"duration_us":2000000,"statuses":{"200":975,"503":5},'
          '"errors":{"connect":0,"read":2,"write":0,"timeout":3},'
          '"latency_us":{"p50":1500,"p90":4000,"p99":12000,"mean":2100.5,"max":30000}}')


def test_lees_wrk_reads_the_summary_line() -> None:
    u = lees_wrk("Running 2s test @ http://127.0.0.1/v1/advies\n  ...\n" + _REGEL + "\n")
    assert u.duur_s == 2.0 and u.rps == 490.0
    assert u.percentielen_s == {50: 0.0015, 90: 0.004, 99: 0.012}
    assert u.gemiddeld_s == pytest.approx(0.0021005) and u.traagst_s == 0.03
    assert u.statussen == {200: 975, 503: 5} and u.fouten == {"read (wrk)": 2, "timeout (wrk)": 3}
    assert u.oks == 975 and u.niet_ok == 10  # 5 non-200 answers and 5 without an answer
    assert u.onderweg == 1000 - 980 - 5  # written, neither answered nor failed: in flight at the end


def test_lees_wrk_refuses_output_without_a_summary() -> None:
    with pytest.raises(RuntimeError, match="wrk"):
        lees_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def _uitslag(oks: int, onderweg: int) -> LastUitslag:
    return LastUitslag(1.0, oks, None, None, {}, {200: oks}, {}, "", onderweg=onderweg)


@pytest.mark.parametrize(("rijen", "oks", "onderweg", "klopt"), [
    (100, 100, 0, True), (101, 100, 0, False), (99, 100, 0, False),  # hey: every request answered
    (100, 100, 3, True), (103, 100, 3, True), (104, 100, 3, False), (99, 100, 3, False),
])
def test_stored_rows_must_match_the_answers(rijen: int, oks: int, onderweg: int, klopt: bool) -> None:
    assert rijen_kloppen(rijen, _uitslag(oks, onderweg)) is klopt


# --- the script against a real server ------------------------------------------------------------------------------

_ONTVANGEN: list[tuple[float, bytes, bytes]] = []


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = await body_van(receive)
    koppen = dict(scope["headers"])
    _ONTVANGEN.append((time.monotonic(), koppen.get(b"authorization", b""), body))
    status = 200 if scope["method"] == "POST" and scope["path"] == "/v1/advies" else 404
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with uvicorn_server(_app) as poort:
        yield f"http://127.0.0.1:{poort}"


def _wrk_nodig() -> None:
    if shutil.which("wrk") is None:
        if os.environ.get("HG_TEST_WRK") == "verplicht":
            pytest.fail("wrk ontbreekt (HG_TEST_WRK=verplicht): apt-get install wrk")
        pytest.skip("wrk is not installed (apt-get install wrk)")


def test_wrk_script_posts_the_body_at_the_rate_given(server: str, tmp_path: Path) -> None:
    _wrk_nodig()
    import subprocess

    body = tmp_path / "casus.json"
    body.write_bytes(b'{"casus_id": "bench"}')
    _ONTVANGEN.clear()
    cmd = wrk(server, body, "geheime-sleutel", 3, 20, 100)  # 20 connections, 100 per second in total, 3 s
    uit = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert uit.returncode == 0, uit.stderr
    u = lees_wrk(uit.stdout)
    assert u.statussen.get(200, 0) == u.oks > 0 and u.niet_ok == 0
    assert all(k == b"Bearer geheime-sleutel" and b == b'{"casus_id": "bench"}' for _, k, b in _ONTVANGEN)
    assert 0.85 * 300 <= len(_ONTVANGEN) <= 300 + 20  # the rate, not as fast as the answers come
    tijden = sorted(t for t, _, _ in _ONTVANGEN)
    per_seconde = [sum(1 for t in tijden if tijden[0] + s <= t < tijden[0] + s + 1) for s in range(2)]
    assert all(85 <= n <= 115 for n in per_seconde), per_seconde
    tiendes = [sum(1 for t in tijden if tijden[0] + s / 10 <= t < tijden[0] + (s + 1) / 10) for s in range(20)]
    assert max(tiendes) <= 16, tiendes  # evenly spread (10 per 0,1 s), not in bursts of all 20 connections
    assert rijen_kloppen(len(_ONTVANGEN), u)  # every request the server saw is answered or counted in flight
