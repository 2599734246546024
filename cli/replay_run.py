"""Replay over many casussen: streamed, on every core (processes, not threads), folded per chunk.

The parent reads the input in chunks and only moves bytes; a worker process parses each casus once,
evaluates it under the base and the scenario ruleset, folds the pair into a `ReplayTelling` for its
chunk (and, for CSV, renders one row per casus), and sends back that small summary. The parent
merges the summaries in input order. At most a few chunks are in flight per worker, so memory stays
flat however long the input is (apart from the changed casussen the report lists).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from cli.invoer import casus_uit_document, lees_document
from engine.errors import CasusFout, Fout, translate_json_error
from engine.parameters import GeenRegelsetFout
from engine.replay import ReplayTelling, replay_casus
from rapport.tekst import csv_ongeldig, csv_rij, csv_tekst

__all__ = ["CHUNK", "Chunk", "Deel", "Opdracht", "bestand_chunks", "jsonl_chunks", "regelsets", "replay_delen",
           "verwerk", "voorbereiden"]

CHUNK = 400
IN_PROCESS_BELOW = 2 * CHUNK

Item = tuple[int | str, bytes | Path]
"""Where a casus comes from (line number or file name) and its raw form (a JSON line or a file)."""


@dataclass(frozen=True)
class Chunk:
    eerste: int  # the input position (0-based) of the first item: orders the changed casussen
    items: list[Item]
    gewicht: int  # progress units: bytes of a JSON Lines file, or files of a folder


@dataclass(frozen=True)
class Opdracht:
    """What every worker needs: the scenario's changes and the dates that override the casus' own."""

    parameters: dict[str, Any] = field(default_factory=dict)
    regels_uit: tuple[str, ...] = ()
    basis_peildatum: dt.date | None = None  # the "voor" side; None: the casus' own peildatum
    peildatum: dt.date | None = None  # the "na" side; None: the casus' own peildatum
    csv: bool = False
    regels_bij: tuple[Any, ...] = ()  # the scenario's added rules (engine.regels_bij.RegelBij)


@dataclass
class Deel:
    """The summary of one chunk, as sent back to the parent."""

    telling: ReplayTelling
    ongeldig: list[dict[str, Any]]
    csv: str
    aantal: int
    gewicht: int


# --- reading -------------------------------------------------------------------------------------------


def jsonl_chunks(invoer: Iterable[bytes]) -> Iterator[Chunk]:
    """Non-empty lines in chunks; each item carries its 1-based line number."""
    items: list[Item] = []
    gewicht = positie = eerste = 0
    for nummer, regel in enumerate(invoer, start=1):
        gewicht += len(regel)
        if regel.strip():
            items.append((nummer, regel))
            positie += 1
            if len(items) >= CHUNK:
                yield Chunk(eerste, items, gewicht)
                items, gewicht, eerste = [], 0, positie
    if items or gewicht:
        yield Chunk(eerste, items, gewicht)


def bestand_chunks(paden: Sequence[Path]) -> Iterator[Chunk]:
    for start in range(0, len(paden), CHUNK):
        deel = paden[start : start + CHUNK]
        yield Chunk(start, [(p.name, p) for p in deel], len(deel))


# --- the worker side -----------------------------------------------------------------------------------

_opdracht = Opdracht()
_rulesets: dict[dt.date, tuple[Any, Any]] = {}


def _zet(opdracht: Opdracht) -> None:
    global _opdracht
    _opdracht = opdracht
    _rulesets.clear()


def regelsets(peildatum: dt.date) -> tuple[Any, Any]:
    """The (base, scenario) compiled rulesets for a casus with this peildatum (cached per process)."""
    found = _rulesets.get(peildatum)
    if found is None:
        from rules import standaard_engine

        engine, o = standaard_engine(), _opdracht
        basis = engine.ruleset(o.basis_peildatum or peildatum)
        anders = engine.ruleset(o.peildatum or peildatum, o.parameters, o.regels_uit, o.regels_bij)
        found = _rulesets[peildatum] = (basis, anders)
    return found


def voorbereiden(opdracht: Opdracht) -> None:
    """Compile, in the parent, the rulesets of every version the replay can meet: a scenario that does
    not fit a version fails here (ParameterFout) before any work, and forked workers inherit them."""
    from rules import standaard_engine

    _zet(opdracht)
    for versie in standaard_engine().tree.versions:
        regelsets(versie)


def _advies_paar(casus: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    basis, anders = regelsets(casus.peildatum)
    if basis is anders:  # e.g. two dates with the same version in force: one evaluation is enough
        from engine.evaluate import evaluate

        advies = evaluate(casus, basis)
        return advies, advies
    return replay_casus(casus, basis, anders)


def _document(payload: bytes | Path) -> Any:
    if isinstance(payload, bytes):
        return orjson.loads(payload)
    try:
        tekst = payload.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reden = "geen UTF-8-tekst" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        raise CasusFout([Fout("(casus)", f"kan het bestand niet lezen ({reden})")]) from exc
    return lees_document(tekst)


def verwerk(chunk: Chunk) -> Deel:
    """Replay one chunk of casussen (in a worker process, or in-process for small inputs)."""
    from engine.casus import parse_casus

    telling = ReplayTelling()
    ongeldig: list[dict[str, Any]] = []
    rijen: list[list[str]] = []
    for i, (plaats, payload) in enumerate(chunk.items):
        casus_id: Any = None  # only a vetted pseudonym is repeated: never a name or a possible BSN
        try:
            casus = parse_casus(casus_uit_document(_document(payload)))
            casus_id = casus.casus_id
            voor, na = _advies_paar(casus)
        except orjson.JSONDecodeError as exc:
            fouten = [translate_json_error(exc)]
        except CasusFout as exc:
            casus_id, fouten = exc.casus_id or casus_id, exc.fouten
        except GeenRegelsetFout as exc:
            fouten = [Fout("peildatum", str(exc))]
        else:
            verschil = telling.voeg_toe(voor, na, chunk.eerste + i)
            if _opdracht.csv:
                rijen.append(csv_rij(voor, na, verschil.wijzigingen if verschil else (),
                                     verschil.regels if verschil else ()))
            continue
        waar = {"regel": plaats} if isinstance(plaats, int) else {"bestand": plaats}
        ongeldig.append({"casus_id": casus_id, **waar, "fouten": [f.as_dict() for f in fouten]})
        if _opdracht.csv:
            rijen.append(csv_ongeldig(casus_id, ongeldig[-1]["fouten"]))
    return Deel(telling, ongeldig, csv_tekst(rijen) if rijen else "", len(chunk.items), chunk.gewicht)


# --- the parent side -----------------------------------------------------------------------------------


def replay_delen(
    chunks: Iterable[Chunk],
    opdracht: Opdracht,
    workers: int | None,
    bij_deel: Callable[[Deel], None],
    bij_start: Callable[[], None] = lambda: None,
) -> None:
    """Replay every chunk and hand each summary to `bij_deel`, in input order.

    `bij_start` runs once the worker processes exist (start a progress bar's thread there, never
    before a fork). Small inputs, or `workers == 1`, run in this process.
    """
    workers = workers or os.cpu_count() or 1
    if opdracht != _opdracht:
        _zet(opdracht)
    chunks = iter(chunks)
    vooraf: list[Chunk] = []
    gelezen = 0
    for chunk in chunks:  # look ahead: small inputs are not worth a process pool
        vooraf.append(chunk)
        gelezen += len(chunk.items)
        if gelezen >= IN_PROCESS_BELOW:
            break
    if workers == 1 or gelezen < IN_PROCESS_BELOW:
        bij_start()
        for chunk in chain(vooraf, chunks):
            bij_deel(verwerk(chunk))
        return
    # fork: workers inherit the Opdracht, the engine and the rulesets the parent compiled (regelsets)
    with mp.get_context("fork").Pool(workers) as pool:
        bij_start()
        pending: deque[Any] = deque()
        for chunk in chain(vooraf, chunks):
            pending.append(pool.apply_async(verwerk, (chunk,)))
            while len(pending) > 3 * workers:
                bij_deel(pending.popleft().get())
        while pending:
            bij_deel(pending.popleft().get())
