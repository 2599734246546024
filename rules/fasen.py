"""The order in which rule families fire (durable-rules fires the lowest priority number first).

The explanation follows this order, so it reads as a professional reasons: acute danger and scope
first, then the warnings about the input, access, who indicates, the perceel and the pakket; then who
in the household counts, and from there the vrije trede, the phase, the budget and the help.
"""

from enum import IntEnum

__all__ = ["Fase"]


class Fase(IntEnum):
    VEILIGHEID = 1
    SCOPE = 2
    WAARSCHUWING = 3
    TOEGANG = 4
    INSTANTIE = 5
    PERCEEL = 6
    PAKKET_BASIS = 7
    PAKKET_MINIMUM = 8
    PAKKET_VAST = 9
    LID = 10
    HUISHOUDEN = 11
    VRIJE_TREDE = 12
    KETENZORG = 13
    BUDGET = 14
    DUUR = 15
    LOOPTIJD = 16
    ONDERDELEN = 17
    ONDERDELEN_VERVANGEND = 18
    MAATWERK = 19
    RESULTAATGEBIEDEN = 20
    SIGNALEN = 21
