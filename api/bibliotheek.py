"""The project's casuïstiek (`casussen/*.yaml`) for the service: OpenAPI examples and the default replay set.

Read once per process: the files are part of the release, not data that changes while the service runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import orjson
import yaml

__all__ = ["CASUSSEN", "bibliotheek"]

CASUSSEN = Path(__file__).resolve().parents[1] / "casussen"


@functools.cache
def _gelezen() -> tuple[tuple[str, str, bytes], ...]:
    out = []
    for pad in sorted(CASUSSEN.glob("*.yaml")):
        document = yaml.safe_load(pad.read_text(encoding="utf-8"))
        casus = orjson.dumps(document["casus"], default=str)  # YAML dates (peildatum) as ISO text
        out.append((pad.stem, str(document.get("titel", pad.stem)), casus))
    return tuple(out)


def bibliotheek(prefix: str = "") -> list[tuple[str, str, dict[str, Any]]]:
    """(file stem, titel, casus as JSON-ready data) of each library casus whose file name starts with
    `prefix`, in file-name order; every call gets its own copies."""
    return [(stem, titel, orjson.loads(casus)) for stem, titel, casus in _gelezen() if stem.startswith(prefix)]
