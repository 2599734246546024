"""The order in which rule families fire (durable-rules fires the lowest priority number first)."""

from enum import IntEnum

__all__ = ["Fase"]


class Fase(IntEnum):
    LID = 1
    HUISHOUDEN = 2
    SCOPE = 3
    VEILIGHEID = 4
    TOEGANG = 5
    INSTANTIE = 6
    PERCEEL = 7
    PAKKET_BASIS = 8
    PAKKET_MINIMUM = 9
    PAKKET_VAST = 10
    VRIJE_TREDE = 11
    BUDGET = 12
    DUUR = 13
    ONDERDELEN = 14
    MAATWERK = 15
    SIGNALEN = 16
