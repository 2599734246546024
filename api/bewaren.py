"""Retention and deletion: an advies goes with its besluiten and reviews, and its audit lines stay.

`verwijder` deletes one advies (the beheerder's `DELETE /v1/advies/{advies_id}`); `opschonen` deletes every
advies older than the retention period (`HG_BEWAARTERMIJN_DAGEN`, default 3650 days: ten years), from
`hg-advies opschonen` and from the service once a day. Each deletion writes its audit line in the same
transaction, so no advies disappears without a trace and no trace is written for an advies still there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, delete, select

from api import audit
from api.auth import Principal
from api.models import AdviesRecord, BesluitRecord, ReviewRecord, nu

__all__ = ["verwijder", "opschonen", "dagelijks", "PER_KEER", "SYSTEEM"]

PER_KEER = 500  # adviezen per transaction while cleaning up: short transactions, no long lock
SYSTEEM = Principal(key_id="systeem", rol="systeem")  # who deletes when the retention period has passed
_log = logging.getLogger("hg_advies.bewaren")
_ADVIES = AdviesRecord.__table__.c  # type: ignore[attr-defined]  # SQLModel sets it on table models

_TABELLEN: tuple[Any, ...] = (ReviewRecord, BesluitRecord)  # the advies' children, deleted first


def _verwijder_in(conn: Connection, advies_ids: list[str]) -> None:
    for model in _TABELLEN:
        conn.execute(delete(model).where(model.advies_id.in_(advies_ids)))
    for tabel in _afhankelijk():
        conn.execute(delete(tabel).where(tabel.c.advies_id.in_(advies_ids)))
    conn.execute(delete(AdviesRecord).where(AdviesRecord.id.in_(advies_ids)))  # type: ignore[attr-defined]


def _afhankelijk() -> list[Any]:
    """Other tables that keep rows of an advies by its id (the idempotency answers hold its content)."""
    from api.opslag import TABELLEN

    return [t for naam, t in TABELLEN.items() if naam not in ("advies", "audit") and "advies_id" in t.c]


def verwijder(db: Engine, advies_id: str, regel: dict[str, Any]) -> bool:
    """Delete one advies with its besluiten and reviews, and write `regel` (its audit line) with it; False when
    there was no such advies (then nothing is written)."""
    with db.begin() as conn:
        if conn.execute(select(_ADVIES.id).where(_ADVIES.id == advies_id)).first() is None:
            return False
        _verwijder_in(conn, [advies_id])
        audit.schrijf_in(conn, regel)
    return True


def opschonen(db: Engine, dagen: int, tot: dt.datetime | None = None,
              voortgang: Callable[[int], None] | None = None) -> int:
    """Delete every advies given more than `dagen` days before `tot` (now), in batches; returns how many."""
    grens = (tot or nu()) - dt.timedelta(days=dagen)
    totaal = 0
    while True:
        with db.begin() as conn:
            ids = list(conn.execute(select(_ADVIES.id).where(_ADVIES.aangemaakt < grens)
                                    .order_by(_ADVIES.aangemaakt).limit(PER_KEER)).scalars())
            if not ids:
                return totaal
            _verwijder_in(conn, ids)
            audit.schrijf_in(conn, *(audit.regel("advies_opgeschoond", SYSTEEM, advies_id=i, status=204) for i in ids))
        totaal += len(ids)
        if voortgang is not None:
            voortgang(totaal)


async def dagelijks(db: Engine, dagen: int, interval: float = 24 * 3600.0) -> None:
    """The service's daily clean-up (a task of each server process; deleting twice deletes nothing more): the
    adviezen past the retention period, and the idempotency keys' stored answers older than a day."""
    from api import idempotentie

    while True:
        try:
            aantal = await asyncio.to_thread(opschonen, db, dagen)
            if aantal:
                _log.info("opgeschoond", extra={"aantal": aantal, "bewaartermijn_dagen": dagen})
            await asyncio.to_thread(idempotentie.opschonen, db)  # stored first answers older than a day
        except Exception as exc:  # a database that is down now may be up tomorrow: never stop the service
            _log.warning("opschonen mislukt: %s", type(exc).__name__)
        await asyncio.sleep(interval)
