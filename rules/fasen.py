"""The order in which rule families fire (durable-rules fires the lowest priority number first).

Acute danger and scope come first, so the explanation opens with what matters most for safety;
then the warnings about the input, the members, the household and the decision itself.
"""

from enum import IntEnum

__all__ = ["Fase"]


class Fase(IntEnum):
    VEILIGHEID = 1
    SCOPE = 2
    WAARSCHUWING = 3
    LID = 4
    HUISHOUDEN = 5
    TOEGANG = 6
    INSTANTIE = 7
    PERCEEL = 8
    PAKKET_BASIS = 9
    PAKKET_MINIMUM = 10
    PAKKET_VAST = 11
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
