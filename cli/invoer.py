"""Reading casus documents (JSON or YAML) from a file, a folder or standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import yaml

from engine.casus import weiger_dubbele_sleutels
from engine.errors import CasusFout, Fout

__all__ = ["lees_document", "lees_tekst", "casus_uit_document", "casus_bestanden"]

SUFFIXES = (".json", ".yaml", ".yml")


def lees_tekst(bron: str) -> str:
    if bron == "-":
        return sys.stdin.read()
    return Path(bron).read_text(encoding="utf-8")


def lees_document(tekst: str) -> Any:
    """JSON first (the common, fast case), then YAML; an unreadable document is a CasusFout."""
    try:
        document = orjson.loads(tekst)
    except orjson.JSONDecodeError:
        pass
    else:
        weiger_dubbele_sleutels(tekst, document)
        return document
    try:
        return yaml.safe_load(tekst)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        waar = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark is not None else ""
        raise CasusFout([Fout("(casus)", f"geen geldige JSON of YAML{waar}")]) from exc


def casus_uit_document(document: Any) -> Any:
    """A library file (`casussen/*.yaml`) wraps the casus under `casus` with its expected advies."""
    if isinstance(document, dict) and "casus" in document and "casus_id" not in document:
        return document["casus"]
    return document


def casus_bestanden(map_: Path) -> Iterator[Path]:
    yield from sorted(p for p in map_.iterdir() if p.suffix in SUFFIXES and p.is_file())
