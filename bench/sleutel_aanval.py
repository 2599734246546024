"""The attack of issue 11 again: many wrong API keys in a short time from one address (loopback only).

`python -m bench.sleutel_aanval --url http://127.0.0.1:PORT [--aantal 300] [--parallel 20]` sends `--aantal`
requests `GET /v1/rulesets` with random wrong keys, `--parallel` at a time, and prints how many got 401 (the
key was looked up and refused) and how many 429 (the address is blocked), the first `Retry-After`, and how
long it took. Before issue 11: 300 × 401 in 0.4 s. Now: at most MAX_POGINGEN (10) per server process get
401, the rest 429; the address stays blocked for the window (15 minutes), so run it against a server of
its own. Exit code 1 when no 429 came.
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import socket
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

MAX_AANTAL = 5_000


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP))
    except (OSError, ValueError):
        return False


def _poging(url: str) -> tuple[int, str | None]:
    verzoek = urllib.request.Request(f"{url}/v1/rulesets",
                                     headers={"Authorization": f"Bearer fout-{secrets.token_urlsafe(18)}"})
    try:
        with urllib.request.urlopen(verzoek, timeout=30) as antwoord:
            return antwoord.status, antwoord.headers.get("Retry-After")
    except urllib.error.HTTPError as fout:
        return fout.code, fout.headers.get("Retry-After")
    except OSError as fout:
        return 0, type(fout).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="de dienst, bv. http://127.0.0.1:8000 (alleen loopback)")
    parser.add_argument("--aantal", type=int, default=300, help="aantal verkeerde sleutels (standaard 300)")
    parser.add_argument("--parallel", type=int, default=20, help="tegelijk lopende verzoeken (standaard 20)")
    args = parser.parse_args(argv)
    url = args.url.rstrip("/")
    if not _loopback(url):
        parser.error("alleen een dienst op loopback (127.0.0.1, ::1, localhost)")
    if not 1 <= args.aantal <= MAX_AANTAL or not 1 <= args.parallel <= 100:
        parser.error(f"--aantal 1..{MAX_AANTAL}, --parallel 1..100")
    begin = time.perf_counter()
    with ThreadPoolExecutor(args.parallel) as pool:
        uitkomsten = list(pool.map(lambda _: _poging(url), range(args.aantal)))
    duur = time.perf_counter() - begin
    statussen = Counter(status for status, _ in uitkomsten)
    eerste = next((wacht for status, wacht in uitkomsten if status == 429), None)
    print(f"{args.aantal} verkeerde sleutels in {duur:.2f} s ({args.parallel} tegelijk) tegen {url}")
    print(f"401 (sleutel geweigerd): {statussen.pop(401, 0)}, 429 (adres geblokkeerd): {statussen.get(429, 0)}, "
          f"eerste Retry-After: {eerste if eerste is not None else '-'} s")
    statussen.pop(429, None)
    if statussen:
        print("anders: " + ", ".join(f"{status or 'geen antwoord'}: {n}" for status, n in sorted(statussen.items())))
    return 0 if eerste is not None else 1


if __name__ == "__main__":
    sys.exit(main())
