"""Run the failed attack categories of `../shared/findings/attacks-2026-12.log` again, against a real server.

`python -m bench.aanvallen [--uiterlijk 300]` starts `hg-advies serve` on a temporary SQLite file on 127.0.0.1
(its own keys: two indicatiestellers and one key per other role; the default disclosure minimum of 5), sends
each attack of the categories that failed on 2026-12-01 and prints one line per attempt in the log's format,
`[category] HELD|FAIL | what was sent -> what came back`, then the totals. Exit code 1 when any attempt
FAILs. Loopback only, bounded in count and time; it stops its server itself. The sign-in limit is tried
last: it locks the address out.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.api_load import ROOT, vrije_poort
from tests.voorbeelden import VOORBEELD

__all__ = ["main"]

ROLLEN = ("indicatiesteller", "indicatiesteller_2", "hg_deskundige", "beleidsmaker", "beheerder")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ID_WAARDEN = ["Jansen", "mevrouw.Jansen", "Fatima.Yilmaz", "123.456.782", "1234.56.782", "123-456-782", "1985-03-12",
              "12-03-1985", "3011AB", "3011-AB", "0612345678", "Coolsingel-40", "NL91ABNA0417164300",
              "j.jansen_gmail.com", "AB1234567"]
LID_WAARDEN = ["Jan.Jansen", "mevrouw-Jansen", "1985-03-12", "0612345678", "Mohammed"]
TEKSTEN = ["mevrouw Jansen, BSN 123456782, Coolsingel 40", "mail j.jansen@example.nl",
           "bel 06-12345678 of +31 6 1234 5678", "geboren 12-03-1985, 3011 AB Rotterdam", "BSN 123.456.782",
           "IBAN NL91ABNA0417164300"]


class Aanval:
    def __init__(self, url: str, sleutels: dict[str, str], log: Path) -> None:
        self.url, self.sleutels, self.log = url, sleutels, log
        self.regels: list[tuple[str, bool]] = []
        self.http = httpx.Client(base_url=url, timeout=60)

    def meld(self, categorie: str, wat: str, gehouden: bool, uitkomst: object) -> None:
        self.regels.append((categorie, gehouden))
        print(f"[{categorie}] {'HELD' if gehouden else 'FAIL'} | {wat} -> {str(uitkomst)[:160]}", flush=True)

    def auth(self, rol: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.sleutels[rol]}"}

    def advies(self, rol: str = "indicatiesteller", **wijziging: Any) -> httpx.Response:
        casus = copy.deepcopy(VOORBEELD)
        casus.update(wijziging)
        return self.http.post("/v1/advies", json=casus, headers=self.auth(rol))

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)

    def aanmelden(self, browser: httpx.Client, rol: str) -> httpx.Response:
        token = CSRF.search(browser.get("/aanmelden").text)
        assert token, "no CSRF field on the sign-in page"
        return browser.post("/aanmelden", data={"csrf": token.group(1), "sleutel": self.sleutels[rol]})


def _weigert(response: httpx.Response, veld: str, waarde: str) -> bool:
    """422 naming the field, without echoing the value."""
    if response.status_code != 422:
        return False
    fouten = response.json().get("fouten", [])
    return any(f["veld"].startswith(veld) for f in fouten) and waarde not in response.text


def privacy(a: Aanval) -> None:
    for waarde in ID_WAARDEN:
        r = a.advies(casus_id=waarde)
        a.meld("privacy-value", f"casus_id={waarde!r}", _weigert(r, "casus_id", waarde), r.status_code)
    for waarde in LID_WAARDEN:
        leden = copy.deepcopy(VOORBEELD["leden"])
        leden[0]["id"] = waarde
        r = a.advies(leden=leden)
        a.meld("privacy-value", f"leden[0].id={waarde!r}", _weigert(r, "leden[0].id", waarde), r.status_code)
    advies = a.advies().json()
    regel = advies["uitleg"][0]["regel"]
    for tekst in TEKSTEN:
        besluit = {"route": advies["route"], "perceel": advies["perceel"], "pakket": advies["pakket"],
                   "maatwerk": [m["resultaatgebied"] for m in advies["maatwerk"]], "reden": tekst}
        r = a.http.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit, headers=a.auth("indicatiesteller"))
        a.meld("privacy-text", f"besluit reden={tekst!r}", _weigert(r, "reden", tekst), r.status_code)
        review = {"oordeel": "oneens", "toelichting": tekst, "stappen": [{"regel": regel, "oordeel": "oneens",
                                                                          "toelichting": tekst}]}
        r = a.http.post(f"/v1/advies/{advies['advies_id']}/review", json=review, headers=a.auth("hg_deskundige"))
        a.meld("privacy-text", f"review toelichting={tekst!r}", _weigert(r, "toelichting", tekst), r.status_code)
    scenario = {"naam": "aanval", "beschrijving": TEKSTEN[0], "parameters": {}}
    r = a.http.post("/v1/replay", json={"scenario": scenario}, headers=a.auth("beleidsmaker"))
    a.meld("privacy-text", "scenario beschrijving with name, BSN, address", _weigert(r, "scenario", "Jansen"),
           r.status_code)


def koppen(a: Aanval) -> None:
    browser = a.browser()
    a.aanmelden(browser, "hg_deskundige")
    for pad, client, kop in (("/aanmelden", a.http, {}), ("/adviezen", browser, {}),
                             ("/v1/rulesets", a.http, a.auth("beleidsmaker"))):
        h = client.get(pad, headers=kop).headers
        for naam, verwacht in (("content-security-policy", "frame-ancestors 'none'"), ("x-frame-options", "DENY"),
                               ("referrer-policy", "no-referrer"), ("x-content-type-options", "nosniff"),
                               ("cache-control", "no-store")):
            a.meld("headers", f"{pad} has {naam}", verwacht in (h.get(naam) or ""), h.get(naam))


def sessie(a: Aanval) -> None:
    browser = a.browser()
    a.aanmelden(browser, "hg_deskundige")
    eerste = browser.cookies.get("hg_sessie")
    a.aanmelden(browser, "hg_deskundige")
    tweede = browser.cookies.get("hg_sessie")
    oud = a.browser()
    oud.cookies.set("hg_sessie", eerste or "")
    r = oud.get("/adviezen")
    a.meld("session", "second sign-in in same browser: first session id still valid?",
           eerste != tweede and r.status_code == 303, f"{r.status_code} {r.headers.get('location')}")


def idor(a: Aanval) -> None:
    vreemd = a.advies().json()["advies_id"]
    r1 = a.http.get(f"/v1/advies/{vreemd}", headers=a.auth("indicatiesteller_2"))
    r2 = a.http.get(f"/v1/advies/{secrets.token_hex(16)}", headers=a.auth("indicatiesteller_2"))
    a.meld("idor", "existence oracle: foreign id vs random id", r1.status_code == r2.status_code == 404,
           f"{r1.status_code}/{r2.status_code}")


def beleid(a: Aanval) -> None:
    def stat() -> Any:
        return a.http.get("/v1/statistiek/afwijkingen", headers=a.auth("beleidsmaker")).json()

    voor = stat()
    advies = a.advies().json()
    besluit = {"route": advies["route"], "perceel": advies["perceel"], "pakket": 1 if advies["pakket"] != 1 else 2,
               "maatwerk": [], "reden": "Lichter pakket past beter."}
    a.http.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit, headers=a.auth("indicatiesteller"))
    na = stat()
    verschil = sorted(k for k in voor.keys() | na.keys() if voor.get(k) != na.get(k))
    a.meld("beleid-leak", "diff GET /v1/statistiek/afwijkingen around one besluit", voor == na,
           "no difference" if voor == na else f"changed: {verschil}")


def invoer(a: Aanval) -> None:
    casus = orjson.dumps(VOORBEELD)
    r = a.http.post("/v1/advies", content=casus, headers={**a.auth("indicatiesteller"), "Content-Type": "text/plain"})
    a.meld("badinput", "valid casus JSON as text/plain", r.status_code == 422, r.status_code)
    dubbel = casus.replace(b'"casus_id":', b'"casus_id":"DUP-1","casus_id":', 1)
    r = a.http.post("/v1/advies", content=dubbel, headers={**a.auth("indicatiesteller"),
                                                           "Content-Type": "application/json"})
    a.meld("badinput", "duplicate key casus_id", r.status_code == 422, r.status_code)
    advies = a.advies().json()
    for wat, wijziging in (("pakket 1.0", {"pakket": 1.0}), ("pakket true", {"pakket": True}),
                           ("maatwerk 100k elements", {"maatwerk": ["psychosociaal"] * 100_000})):
        besluit = {"route": advies["route"], "perceel": advies["perceel"], "pakket": advies["pakket"],
                   "maatwerk": [], "reden": "Anders.", **wijziging}
        r = a.http.post(f"/v1/advies/{advies['advies_id']}/besluit", json=besluit, headers=a.auth("indicatiesteller"))
        a.meld("badinput", f"{wat} -> besluit", r.status_code in (413, 422), r.status_code)


def lichamen(a: Aanval) -> None:
    advies_id = a.advies().json()["advies_id"]
    for wat, pad, grootte in (("50 MB besluit body, no key", "besluit", 50), ("44 MB review body, no key", "review",
                                                                              44)):
        begin = time.monotonic()
        r = a.http.post(f"/v1/advies/{advies_id}/{pad}", content=b"{" + b" " * (grootte * 2**20) + b"}",
                        headers={"Content-Type": "application/json"})
        duur = time.monotonic() - begin
        a.meld("bodysize", wat, r.status_code == 401 and duur < 5, f"{r.status_code} in {duur:.2f} s")
    r = a.http.post(f"/v1/advies/{advies_id}/besluit", content=b"{" + b" " * (50 * 2**20) + b"}",
                    headers={**a.auth("indicatiesteller"), "Content-Type": "application/json"})
    a.meld("bodysize", "50 MB besluit body, with key", r.status_code == 413, r.status_code)


def replays(a: Aanval) -> None:
    scenario = {"naam": "aanval-cap", "parameters": {}}
    statussen = Counter(a.http.post("/v1/replay", json={"scenario": scenario, "casussen": [VOORBEELD] * 2000},
                                    headers=a.auth("beleidsmaker")).status_code for _ in range(6))
    a.meld("concurrency", "6 replays at once by one beleidsmaker (cap of queued replays)", statussen[429] >= 1,
           dict(statussen))


def audit_bewaren(a: Aanval) -> None:
    advies = a.advies(casus_id="AUDIT-RO-1").json()
    for _ in range(3):
        a.http.get(f"/v1/advies/{advies['advies_id']}", headers=a.auth("hg_deskundige"))
    regels = a.http.get("/v1/audit", params={"advies_id": advies["advies_id"]}, headers=a.auth("beheerder")).json()
    gelezen = [r for r in regels["regels"] if r["actie"] == "advies_gelezen" and r["rol"] == "hg_deskundige"]
    a.meld("audit-retention", "3 reads of one advies by the hg_deskundige: audit lines?", len(gelezen) == 3,
           f"{len(gelezen)} lines")
    r = a.http.delete(f"/v1/advies/{advies['advies_id']}", headers=a.auth("beheerder"))
    a.meld("audit-retention", "beheerder DELETE /v1/advies/{id}", r.status_code == 204, r.status_code)
    blijft = a.http.get("/v1/audit", params={"advies_id": advies["advies_id"]}, headers=a.auth("beheerder")).json()
    a.meld("audit-retention", "audit lines stay after the deletion", len(blijft["regels"]) >= 5, len(blijft["regels"]))
    openapi = a.http.get("/openapi.json").json()
    deletes = [p for p, ops in openapi["paths"].items() if "delete" in ops]
    a.meld("audit-retention", "OpenAPI: a DELETE operation", bool(deletes), deletes)
    log = a.log.read_text(encoding="utf-8", errors="replace")
    a.meld("audit-retention", "server log holds no casus_id, casus facts or keys",
           "AUDIT-RO-1" not in log and "intieme_terreur" not in log
           and not any(k in log for k in a.sleutels.values()), f"{len(log)} bytes of log")


def formulier(a: Aanval) -> None:
    browser = a.browser()
    a.aanmelden(browser, "indicatiesteller")
    basis = {"casus_id": "WEB-AANVAL", "peildatum": "2021-09-01", "woonplaats": "rotterdam",
             "leden-0-id": "moeder", "leden-0-leeftijd": "36", "leden-0-rollen": "slachtoffer",
             "leden-0-in_beeld": "ja", "leden-0-meewerkend": "ja",
             "geweld-binnen_huiselijke_kring": "ja", "geweld-structureel": "ja", "geweld-vormen": "fysiek",
             "veiligheid-niveau": "hoog", "vaardigheden": "beperkt", "woonsituatie-zelfstandig_wonen_veilig": "ja",
             "bestaande_wmo_zorg": "geen", "inzet-verwachte_duur_maanden": "12"}
    for wat, extra in (("a member in row 36", {"leden-35-id": "vader", "leden-35-leeftijd": "38",
                                               "leden-35-rollen": "pleger"}),
                       ("extra fields naam, bsn", {"naam": "Jansen", "bsn": "123456782"})):
        token = CSRF.search(browser.get("/advies/nieuw").text)
        assert token
        r = browser.post("/advies/nieuw", data={"csrf": token.group(1), **basis, **extra})
        a.meld("web-input", f"casus form with {wat}", r.status_code == 422 and "Jansen" not in r.text, r.status_code)


def idempotent(a: Aanval) -> None:
    kop = {**a.auth("indicatiesteller"), "Idempotency-Key": secrets.token_hex(12)}
    eerste = a.http.post("/v1/advies", json=VOORBEELD, headers=kop)
    tweede = a.http.post("/v1/advies", json=VOORBEELD, headers=kop)
    a.meld("idempotency", "a retry with the same Idempotency-Key", eerste.status_code == 200
           and eerste.content == tweede.content, f"{eerste.status_code}/{tweede.status_code}")


def aanmeldlimiet(a: Aanval) -> None:
    """Last: it blocks 127.0.0.1."""
    browser = a.browser()
    statussen = []
    for i in range(30):
        token = CSRF.search(browser.get("/aanmelden").text)
        assert token
        r = browser.post("/aanmelden", data={"csrf": token.group(1), "sleutel": f"fout-{i}-{secrets.token_hex(8)}"},
                         headers={"X-Forwarded-For": f"10.9.9.{i + 1}"})
        statussen.append(r.status_code)
    a.meld("ratelimit", "30 failed sign-ins, each with a different X-Forwarded-For", 429 in statussen,
           dict(Counter(statussen)))
    r = a.aanmelden(browser, "hg_deskundige")
    a.meld("ratelimit", "blocked client with the correct key (and another X-Forwarded-For)", r.status_code == 429,
           r.status_code)
    begin = time.monotonic()
    api = Counter(a.http.get("/v1/rulesets", headers={"Authorization": f"Bearer fout-{i}-{secrets.token_hex(8)}"})
                  .status_code for i in range(300))
    a.meld("ratelimit", f"300 wrong API keys in {time.monotonic() - begin:.1f} s", api[429] > 0 and api[401] <= 10,
           dict(api))


@contextlib.contextmanager
def server(map_: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    sleutels = {rol: secrets.token_urlsafe(24) for rol in ROLLEN}
    poort = vrije_poort()
    log = map_ / "server.log"
    env = {**os.environ, "HG_DATABASE_URL": f"sqlite:///{map_ / 'aanval.sqlite'}",
           "HG_API_KEYS": ",".join(f"{k}:{rol.removesuffix('_2')}" for rol, k in sleutels.items())}
    env.pop("HG_MINIMUM_AANTAL", None)
    exe = Path(sys.executable).parent / "hg-advies"
    with open(log, "wb") as uit:
        proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(poort)], env=env,
                                stdout=uit, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{poort}"
    try:
        einde = time.monotonic() + 60
        while time.monotonic() < einde:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None:
                raise SystemExit(f"hg-advies serve stopte: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url, sleutels, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.aanvallen", description=__doc__.split("\n")[0])
    parser.add_argument("--uiterlijk", type=float, default=300.0, help="at most this many seconds in all")
    args = parser.parse_args(argv)
    stappen: list[Callable[[Aanval], None]] = [privacy, koppen, sessie, idor, beleid, invoer, lichamen, replays,
                                               audit_bewaren, formulier, idempotent, aanmeldlimiet]
    begin = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hg-aanval-") as tmp, server(Path(tmp)) as (url, sleutels, log):
        aanval = Aanval(url, sleutels, log)
        for stap in stappen:
            if time.monotonic() - begin > args.uiterlijk:
                print(f"stopped after {args.uiterlijk:.0f} s", file=sys.stderr)
                return 1
            stap(aanval)
    telling = Counter(gehouden for _, gehouden in aanval.regels)
    print(f"{telling[True]} held, {telling[False]} failed, in {time.monotonic() - begin:.0f} s")
    return 1 if telling[False] else 0


if __name__ == "__main__":
    sys.exit(main())
