"""Batch advies over JSON Lines: streamed, in input order, on every core (processes, not threads).

The parent only moves bytes; worker processes parse, validate, evaluate and serialise. At most a
few chunks are in flight per worker, so memory stays flat however long the input is.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any, BinaryIO

import orjson

from engine.errors import CasusFout, Fout, translate_json_error
from engine.parameters import GeenRegelsetFout

__all__ = ["advies_regels", "verwerk_regel"]

CHUNK = 400
IN_PROCESS_BELOW = 2 * CHUNK


def verwerk_regel(regel: bytes, alternatieven: bool = False) -> tuple[bytes, bool]:
    """One input line to one output line; the flag says whether the line was refused."""
    from engine.alternatieven import advies_met_alternatieven
    from engine.casus import parse_casus
    from rules import standaard_engine

    casus_id: Any = None  # only a vetted pseudonym is repeated: never a name or a possible BSN
    try:
        casus = parse_casus(orjson.loads(regel))
        casus_id = casus.casus_id
        advies = advies_met_alternatieven(standaard_engine(), casus, alternatieven_erbij=alternatieven)
        return orjson.dumps(advies), False
    except orjson.JSONDecodeError as exc:
        fouten = [translate_json_error(exc)]
    except CasusFout as exc:
        casus_id, fouten = exc.casus_id, exc.fouten
    except GeenRegelsetFout as exc:
        fouten = [Fout("peildatum", str(exc))]
    return orjson.dumps({"casus_id": casus_id, "fouten": [f.as_dict() for f in fouten]}), True


def _chunk(regels: list[bytes], alternatieven: bool = False) -> tuple[bytes, int]:
    out, fouten = [], 0
    for regel in regels:
        tekst, fout = verwerk_regel(regel, alternatieven)
        out.append(tekst)
        fouten += fout
    return b"\n".join(out) + b"\n", fouten


def _chunks(invoer: Iterable[bytes]) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for regel in invoer:
        if regel.strip():
            chunk.append(regel)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def advies_regels(
    invoer: Iterable[bytes], uit: BinaryIO, workers: int | None = None, alternatieven: bool = False
) -> tuple[int, int]:
    """Write one advies (or error) line per non-empty input line; returns (lines, refused lines).

    With `alternatieven`, each advies carries its alternatives (one more evaluation per candidate)."""
    workers = workers or os.cpu_count() or 1
    chunks = _chunks(invoer)
    first: list[list[bytes]] = []
    gelezen = 0
    for chunk in chunks:  # look ahead: small inputs are not worth a process pool
        first.append(chunk)
        gelezen += len(chunk)
        if gelezen >= IN_PROCESS_BELOW:
            break
    totaal = fouten = 0
    if workers == 1 or gelezen < IN_PROCESS_BELOW:
        for chunk in chain(first, chunks):
            tekst, n = _chunk(chunk, alternatieven)
            uit.write(tekst)
            totaal, fouten = totaal + len(chunk), fouten + n
        return totaal, fouten
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: deque[tuple[int, Any]] = deque()
        for chunk in chain(first, chunks):
            pending.append((len(chunk), pool.apply_async(_chunk, (chunk, alternatieven))))
            while len(pending) > 3 * workers:
                totaal, fouten = _write(pending.popleft(), uit, totaal, fouten)
        while pending:
            totaal, fouten = _write(pending.popleft(), uit, totaal, fouten)
    return totaal, fouten


def _write(item: tuple[int, Any], uit: BinaryIO, totaal: int, fouten: int) -> tuple[int, int]:
    aantal, result = item
    tekst, n = result.get()
    uit.write(tekst)
    return totaal + aantal, fouten + n
