"""Reading the stored casussen for a replay over the stored adviezen (POST /v1/replay with `"bron": "opgeslagen"`).

Which adviezen: per `casus_id` the newest advies made in the period (a herindicatie leaves several adviezen for
one casus; the policy question is what the arrangement does for the casussen of that period as they stand last),
with the newest besluit on that advies. The period is in whole days of Europe/Amsterdam, `tot` included, on the
moment the advies was made (`aangemaakt`); without `van` or `tot` the period is open on that side.

How: in parts (`Deel`: the period and a range of advies ids), each read in batches by keyset pagination on the
advies id (`id > last id ... ORDER BY id LIMIT n`), so neither the reader nor the database holds more than one
batch. Advies ids are random hex (uuid4), so equal ranges of the id space hold about equally many adviezen and
two processes can each read and replay their own parts (api/replay_jobs.py). A part is plain data (`as_dict`,
`uit_dict`), so it can become the argument of a queue task.

The stored advies is decoded without its explanation (`uitleg`: three quarters of its ~10 kB and ~95 % of its
decoding time, 0,4 ms per advies) unless `met_uitleg`; `engine.replay.replay_opgeslagen` re-evaluates the rare
advies whose explanation it then needs. The explanation is cut from the JSON text before decoding
(`zonder_uitleg`), not in the database: PostgreSQL's `advies::jsonb - 'uitleg'` costs as much CPU there (it
parses the whole document) as decoding it here. No casus id leaves this module in a report; the rows carry
the advies id only for the besluit lookup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import Engine, Select, Text, and_, bindparam, cast, exists, func, or_, select

from api.models import AdviesRecord, BesluitRecord

__all__ = [
    "AMSTERDAM", "BATCH", "Deel", "Opgeslagen", "OpgeslagenAdvies", "Periode", "delen", "lees", "nieuwste_ids", "tel",
    "zonder_uitleg",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BATCH = 1000  # adviezen per query
_UITLEG_BEGIN = b',"uitleg":['
_UITLEG_EINDE = b'],"ruleset":'  # the key after it in every advies (engine.advies), never a key in a step
_VORIG = b',"vorig_advies_id":'  # the first field after the advies itself in a stored advies (api/routes/advies.py)
_ADVIES = AdviesRecord.__table__  # type: ignore[attr-defined]
_BESLUIT = BesluitRecord.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Periode:
    """Whole days in Europe/Amsterdam, both included; None: open on that side."""

    van: dt.date | None = None
    tot: dt.date | None = None

    def grenzen(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """[begin, einde) in UTC: `van` 00:00 and the day after `tot` 00:00, Amsterdam time (DST-aware)."""
        begin = einde = None
        if self.van is not None:
            begin = dt.datetime.combine(self.van, dt.time(), AMSTERDAM).astimezone(dt.UTC)
        if self.tot is not None:
            einde = dt.datetime.combine(self.tot + dt.timedelta(days=1), dt.time(), AMSTERDAM).astimezone(dt.UTC)
        return begin, einde

    def as_dict(self) -> dict[str, str | None]:
        return {"van": self.van.isoformat() if self.van else None, "tot": self.tot.isoformat() if self.tot else None}

    @classmethod
    def uit_dict(cls, data: Mapping[str, Any] | None) -> Periode:
        data = data or {}
        return cls(*(dt.date.fromisoformat(data[k]) if data.get(k) else None for k in ("van", "tot")))


@dataclass(frozen=True)
class Deel:
    """One part of a stored replay: the period and the advies ids from `vanaf` (included) to `tot` (excluded);
    None: unbounded on that side."""

    periode: Periode
    vanaf: str | None = None
    tot: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"periode": self.periode.as_dict(), "vanaf": self.vanaf, "tot": self.tot}

    @classmethod
    def uit_dict(cls, data: Mapping[str, Any]) -> Deel:
        return cls(Periode.uit_dict(data.get("periode")), data.get("vanaf"), data.get("tot"))


def delen(periode: Periode, aantal: int) -> list[Deel]:
    """The period split into `aantal` parts by equal ranges of the (hex) advies id space; together they cover
    every id, also one that is not hex."""
    aantal = max(1, aantal)
    grenzen = [None] + [f"{i * 16**8 // aantal:08x}" for i in range(1, aantal)] + [None]
    return [Deel(periode, grenzen[i], grenzen[i + 1]) for i in range(aantal)]


@dataclass(frozen=True)
class Opgeslagen:
    """One stored advies to replay: its casus, the advies as stored (without its explanation unless asked),
    the hash of the ruleset that made it, and the newest besluit's (route, perceel, pakket), if any."""

    advies_id: str
    casus: str  # as stored: JSON text (engine.casus.parse_opgeslagen_casus)
    advies: dict[str, Any]
    ruleset_hash: str
    besluit: tuple[str, str | None, int | None] | None
    bron: OpgeslagenAdvies | None = None  # the stored text, when `advies` lacks its explanation

    def heel(self) -> Mapping[str, Any]:
        """The stored advies whole, its explanation included (decoded now)."""
        return self.advies if self.bron is None else self.bron.heel()


def _in_periode(tabel: Any, periode: Periode) -> list[Any]:
    begin, einde = periode.grenzen()
    voorwaarden = []
    if begin is not None:
        voorwaarden.append(tabel.c.aangemaakt >= begin)
    if einde is not None:
        voorwaarden.append(tabel.c.aangemaakt < einde)
    return voorwaarden


def _nieuwste(periode: Periode) -> tuple[Any, list[Any]]:
    """The advies table as `a`, and the conditions: in the period, and no newer advies of its casus in it."""
    a, b = _ADVIES.alias("a"), _ADVIES.alias("b")
    nieuwer = exists().where(
        b.c.casus_id == a.c.casus_id, *_in_periode(b, periode),
        or_(b.c.aangemaakt > a.c.aangemaakt, and_(b.c.aangemaakt == a.c.aangemaakt, b.c.id > a.c.id)))
    return a, [*_in_periode(a, periode), ~nieuwer]


def nieuwste_ids(db: Engine, periode: Periode) -> set[str]:
    """The ids of the adviezen a replay over the stored adviezen of `periode` takes (the newest per casus)."""
    a, voorwaarden = _nieuwste(periode)
    with db.connect() as conn:
        return {r[0] for r in conn.execute(select(a.c.id).where(*voorwaarden))}


def tel(db: Engine, periode: Periode) -> int:
    """How many casussen (newest advies per casus) the period holds."""
    a, voorwaarden = _nieuwste(periode)
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(a).where(*voorwaarden)).scalar_one())


def zonder_uitleg(tekst: str | bytes) -> dict[str, Any]:
    """A stored advies decoded without its `uitleg`. The text between `,"uitleg":[` and the first `],"ruleset":`
    after it is left out: those quotes cannot be inside a JSON string (they would be escaped), so both are
    structure, and if that `]` is not the one that closes the explanation, what is left has unbalanced
    brackets and is no JSON at all; then (and for any advies of another shape) the whole text is decoded."""
    return OpgeslagenAdvies(tekst).zonder_uitleg()


class OpgeslagenAdvies(Mapping[str, Any]):
    """A stored advies read from its JSON text, decoded as far as it is used: `is_advies` compares the whole
    text, `zonder_uitleg` decodes it without its explanation (a quarter of the text), `uitleg_gelijk` compares the
    explanation to another as JSON text, and the explanation itself is decoded only when it is asked for. Equal
    texts are equal values; another encoding of equal steps counts as unequal, and the caller then decodes."""

    __slots__ = ("_raw", "_kort", "_uitleg", "_heel")

    def __init__(self, raw: bytes | str) -> None:
        self._raw = raw.encode() if isinstance(raw, str) else raw
        self._kort: dict[str, Any] | None = None
        self._uitleg: tuple[int, int] | None = None  # where the explanation's JSON text is, when cut out cleanly
        self._heel: dict[str, Any] | None = None

    def heel(self) -> dict[str, Any]:
        """The whole advies, decoded (once)."""
        if self._heel is None:
            self._heel = orjson.loads(self._raw)
        return self._heel

    def zonder_uitleg(self) -> dict[str, Any]:
        """The advies without `uitleg` (see the module function), decoded once."""
        if self._kort is None:
            raw = self._raw
            begin = raw.find(_UITLEG_BEGIN)
            einde = raw.find(_UITLEG_EINDE, begin) if begin >= 0 else -1
            if einde >= 0:
                try:
                    kort: dict[str, Any] = orjson.loads(raw[:begin] + raw[einde + 1:])
                except orjson.JSONDecodeError:
                    pass
                else:
                    if "uitleg" not in kort:
                        self._kort, self._uitleg = kort, (begin + len(_UITLEG_BEGIN) - 1, einde + 1)
                        return kort
            self._kort = {k: v for k, v in self.heel().items() if k != "uitleg"}
        return self._kort

    def uitleg_gelijk(self, uitleg: Any) -> bool:
        """Whether the stored explanation is `uitleg`, judged on the JSON text (False: decode and compare)."""
        self.zonder_uitleg()
        if self._uitleg is None:
            return False
        begin, einde = self._uitleg
        return self._raw[begin:einde] == orjson.dumps(uitleg)

    def is_advies(self, kern: bytes) -> bool:
        """Whether the stored advies is the advies with JSON text `kern` (as orjson encodes it, without the fields
        a herindicatie adds) followed only by its own `vorig_advies_id` and `ten_opzichte_van_vorige`."""
        return self._raw.startswith(kern[:-1] + _VORIG)

    def __getitem__(self, sleutel: str) -> Any:
        return self.heel()["uitleg"] if sleutel == "uitleg" else self.zonder_uitleg()[sleutel]

    def __iter__(self) -> Iterator[str]:
        return iter(self.heel())

    def __len__(self) -> int:
        return len(self.heel())


def _query(deel: Deel) -> Select[Any]:
    a, voorwaarden = _nieuwste(deel.periode)
    if deel.vanaf is not None:
        voorwaarden.append(a.c.id >= deel.vanaf)
    if deel.tot is not None:
        voorwaarden.append(a.c.id < deel.tot)
    return (select(a.c.id, a.c.ruleset_hash, cast(a.c.casus, Text), cast(a.c.advies, Text))
            .where(*voorwaarden, a.c.id > bindparam("na")).order_by(a.c.id).limit(bindparam("n")))


def lees(db: Engine, deel: Deel, batch: int = BATCH, met_uitleg: bool = False) -> Iterator[list[Opgeslagen]]:
    """The stored adviezen of one part, in batches of at most `batch`, ordered by advies id."""
    query = _query(deel)
    besluiten = (select(_BESLUIT.c.advies_id, _BESLUIT.c.route, _BESLUIT.c.perceel, _BESLUIT.c.pakket)
                 .where(_BESLUIT.c.advies_id.in_(bindparam("ids", expanding=True)))
                 .order_by(_BESLUIT.c.aangemaakt, _BESLUIT.c.id))
    na = ""  # below every id; the part's own bounds are in the query
    while True:
        with db.connect() as conn:  # one short read per batch: no transaction stays open while replaying
            rijen = conn.execute(query, {"na": na, "n": batch}).all()
            laatste: dict[str, tuple[str, str | None, int | None]] = {}
            if rijen:
                for advies_id, route, perceel, pakket in conn.execute(besluiten, {"ids": [r[0] for r in rijen]}):
                    laatste[advies_id] = (route, perceel, pakket)  # ordered by time: the newest wins
        if not rijen:
            return
        gelezen = []
        for advies_id, ruleset_hash, casus, tekst in rijen:
            if met_uitleg:
                gelezen.append(Opgeslagen(advies_id, casus, orjson.loads(tekst), ruleset_hash, laatste.get(advies_id)))
            else:
                bron = OpgeslagenAdvies(tekst)
                gelezen.append(Opgeslagen(advies_id, casus, bron.zonder_uitleg(), ruleset_hash, laatste.get(advies_id),
                                          bron))
        yield gelezen
        if len(rijen) < batch:
            return
        na = rijen[-1][0]

