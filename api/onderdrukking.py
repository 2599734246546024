"""Disclosure control: the one helper behind every aggregate a beleidsmaker or HG-deskundige reads (the replay
over the stored adviezen, the deviation statistics, the proposals). A count from 1 to `minimum` - 1 is shown as
null with its path in `onderdrukt`; `groep` and `complement` add the complementary suppression where shown counts
add up to a shown total (api/replay_onderdrukking.py says where)."""

from __future__ import annotations

from typing import Any

__all__ = ["Onderdrukking"]


class Onderdrukking:
    """Disclosure control over one answer: a count from 1 to `minimum` - 1 becomes None and its path is recorded
    in `paden` (the answer's `onderdrukt`)."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        self.paden: list[str] = []

    def aantal(self, waarde: int, pad: str) -> int | None:
        """A count as shown: None (and `pad` recorded) when it is small."""
        if self.klein(waarde):
            self.paden.append(pad)
            return None
        return waarde

    @staticmethod
    def aandeel(teller: int | None, noemer: int | None) -> float | None:
        """A share, None when either count is hidden (a share of a hidden count would reveal it)."""
        if teller is None or noemer is None:
            return None
        return round(teller / noemer, 4) if noemer else 0.0

    def klein(self, waarde: object) -> bool:
        return isinstance(waarde, int) and not isinstance(waarde, bool) and 0 < waarde < self.minimum

    def verberg(self, houder: dict[str, Any], sleutel: str, pad: str) -> None:
        if houder.get(sleutel) is not None:
            houder[sleutel] = None
            self.paden.append(pad)

    def enkel(self, houder: dict[str, Any], sleutel: str, pad: str) -> None:
        if self.klein(houder.get(sleutel)):
            self.verberg(houder, sleutel, pad)

    def groep(self, houder: dict[str, Any], pad: str, totaal: int | None) -> None:
        """Counts in `houder` that add up to `totaal` (None: the total is not shown)."""
        klein = [k for k, v in houder.items() if self.klein(v)]
        for k in klein:
            self.verberg(houder, k, f"{pad}.{k}")
        if len(klein) == 1 and totaal is not None:
            over = sorted((v, k) for k, v in houder.items() if isinstance(v, int) and v > 0)
            if over:
                self.verberg(houder, over[0][1], f"{pad}.{over[0][1]}")

    def complement(self, houder: dict[str, Any], sleutel: str, totaal: int | None, pad: str) -> None:
        """Hide `sleutel` when it or `totaal` minus it is small (the other would give it away)."""
        waarde = houder.get(sleutel)
        if totaal is not None and isinstance(waarde, int) and (self.klein(waarde) or self.klein(totaal - waarde)):
            self.verberg(houder, sleutel, pad)
        else:
            self.enkel(houder, sleutel, pad)

    def tellingen(self, waarde: Any, pad: str) -> Any:
        """Every count in a nested structure (a section whose layout this module does not know)."""
        if isinstance(waarde, dict):
            for k in list(waarde):
                if self.klein(waarde[k]):
                    self.verberg(waarde, k, f"{pad}.{k}")
                else:
                    self.tellingen(waarde[k], f"{pad}.{k}")
        elif isinstance(waarde, list):
            for i, item in enumerate(waarde):
                if self.klein(item):
                    waarde[i] = None
                    self.paden.append(f"{pad}[{i}]")
                else:
                    self.tellingen(item, f"{pad}[{i}]")
        return waarde
