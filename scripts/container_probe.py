"""HTTP checks of scripts/container_check.sh against a running container (standard library only: it runs on the
host's python3, not in the project's virtualenv).

  container_probe.py wacht URL [SECONDEN]          GET URL/health until it answers 200
  container_probe.py advies URL SLEUTEL BIBLIOTHEEK  POST the library casus, compare with its `verwacht`; prints the id
  container_probe.py lees URL SLEUTEL BIBLIOTHEEK ID GET /v1/advies/ID back and compare it the same way
  container_probe.py replay URL SLEUTEL BIBLIOTHEEK   an advies for each of its casussen, then a replay over the
                                                     stored adviezen (PostgreSQL: the queue), waited for until `klaar`

BIBLIOTHEEK is a JSON file {"casus": {...}, "verwacht": {...}, "casussen": [...], "scenario": {...}} (library files
read in the image). Exit 1 with a line on stderr naming what differed.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

VELDEN = ("route", "perceel", "pakket")


def _fout(melding: str) -> None:
    print(f"container_probe: {melding}", file=sys.stderr)
    sys.exit(1)


def _vraag(url: str, sleutel: str | None = None, body: bytes | None = None) -> tuple[int, Any, float]:
    kop = {"Accept": "application/json"}
    if sleutel:
        kop["Authorization"] = f"Bearer {sleutel}"
    if body is not None:
        kop["Content-Type"] = "application/json"
    verzoek = urllib.request.Request(url, data=body, headers=kop, method="POST" if body is not None else "GET")
    begin = time.monotonic()
    try:
        with urllib.request.urlopen(verzoek, timeout=30) as antwoord:
            status, inhoud = antwoord.status, antwoord.read()
    except urllib.error.HTTPError as exc:
        status, inhoud = exc.code, exc.read()
    duur = time.monotonic() - begin
    try:
        return status, json.loads(inhoud or b"null"), duur
    except ValueError:
        return status, inhoud[:200].decode("utf-8", "replace"), duur


def wacht(url: str, seconden: float = 120.0) -> None:
    begin = time.monotonic()
    laatste = "no answer"
    while time.monotonic() - begin < seconden:
        try:
            status, inhoud, _ = _vraag(f"{url}/health")
            if status == 200:
                print(f"container_probe: /health 200 after {time.monotonic() - begin:.1f} s: {inhoud}", file=sys.stderr)
                return
            laatste = f"HTTP {status}: {inhoud}"
        except OSError as exc:
            laatste = str(exc)
        time.sleep(0.5)
    _fout(f"{url}/health did not answer 200 within {seconden:.0f} s ({laatste})")


def _vergelijk(advies: Any, verwacht: dict[str, Any], wat: str) -> None:
    if not isinstance(advies, dict):
        _fout(f"{wat}: no JSON object: {advies!r}")
    verschil = {veld: (advies.get(veld), verwacht.get(veld))
                for veld in VELDEN if advies.get(veld) != verwacht.get(veld)}
    if verschil:
        _fout(f"{wat}: differs from `verwacht` (got, expected): {verschil}")


def advies(url: str, sleutel: str, bibliotheek: str) -> None:
    with open(bibliotheek, encoding="utf-8") as f:
        doc = json.load(f)
    status, antwoord, duur = _vraag(f"{url}/v1/advies", sleutel, json.dumps(doc["casus"]).encode())
    if status != 200:
        _fout(f"POST /v1/advies answered {status}: {antwoord}")
    _vergelijk(antwoord, doc["verwacht"], "POST /v1/advies")
    print(f"container_probe: POST /v1/advies 200 in {duur * 1000:.0f} ms: "
          + ", ".join(f"{veld}={antwoord[veld]}" for veld in VELDEN), file=sys.stderr)
    print(antwoord["advies_id"])


def lees(url: str, sleutel: str, bibliotheek: str, advies_id: str) -> None:
    with open(bibliotheek, encoding="utf-8") as f:
        doc = json.load(f)
    status, antwoord, _ = _vraag(f"{url}/v1/advies/{advies_id}", sleutel)
    if status != 200:
        _fout(f"GET /v1/advies/{advies_id} answered {status}: {antwoord}")
    _vergelijk(antwoord, doc["verwacht"], f"GET /v1/advies/{advies_id}")
    if antwoord.get("advies_id") != advies_id:
        _fout(f"GET /v1/advies/{advies_id} gave advies_id {antwoord.get('advies_id')!r}")
    print(f"container_probe: GET /v1/advies/{advies_id} 200, the stored advies", file=sys.stderr)


def replay(url: str, sleutel: str, bibliotheek: str, seconden: float = 300.0) -> None:
    with open(bibliotheek, encoding="utf-8") as f:
        doc = json.load(f)
    for casus in doc["casussen"]:
        status, antwoord, _ = _vraag(f"{url}/v1/advies", sleutel, json.dumps(casus).encode())
        if status != 200:
            _fout(f"POST /v1/advies ({casus.get('casus_id')}) answered {status}: {antwoord}")
    verzoek = {"scenario": doc["scenario"], "bron": "opgeslagen"}
    begin = time.monotonic()
    status, job, _ = _vraag(f"{url}/v1/replay", sleutel, json.dumps(verzoek).encode())
    if status != 202:
        _fout(f"POST /v1/replay (bron opgeslagen) answered {status}: {job}")
    while time.monotonic() - begin < seconden:
        status, job, _ = _vraag(f"{url}/v1/replay/{job['job_id']}", sleutel)
        if status != 200:
            _fout(f"GET /v1/replay/{{job_id}} answered {status}: {job}")
        if job["status"] in ("klaar", "mislukt"):
            break
        time.sleep(0.5)
    if job["status"] != "klaar":
        _fout(f"the replay over the stored adviezen is '{job['status']}' after {time.monotonic() - begin:.0f} s: "
              f"{job.get('fout')}")
    status, rapport, _ = _vraag(f"{url}/v1/replay/{job['job_id']}/rapport", sleutel)
    if status != 200 or not isinstance(rapport, dict):
        _fout(f"GET /v1/replay/{{job_id}}/rapport answered {status}: {rapport}")
    uitvoering = rapport.get("uitvoering") or {}
    if uitvoering.get("wachtrij") is not True:
        _fout(f"the replay over the stored adviezen did not go through the queue: {uitvoering}")
    print(f"container_probe: replay over {job['totaal']} stored adviezen klaar in {time.monotonic() - begin:.1f} s, "
          f"through the queue, by {', '.join(uitvoering.get('uitgevoerd_door', []))}", file=sys.stderr)
    for door in uitvoering.get("uitgevoerd_door", []):  # host:pid
        print(door.rsplit(":", 1)[0])


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and argv[0] == "wacht":
        wacht(argv[1], float(argv[2]) if len(argv) > 2 else 120.0)
    elif len(argv) == 4 and argv[0] == "advies":
        advies(*argv[1:])
    elif len(argv) == 5 and argv[0] == "lees":
        lees(*argv[1:])
    elif len(argv) == 4 and argv[0] == "replay":
        replay(*argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
