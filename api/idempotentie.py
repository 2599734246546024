"""`Idempotency-Key` on POST /v1/advies and POST /v1/advies/{advies_id}/besluit: a retry gets the first answer.

A client that got no answer (a timeout, a cut connection, a server killed mid-request) cannot know whether its
advies was stored; sending the same request again with the same key is safe:

- the key (1-128 characters of `A-Z a-z 0-9 . _ : -`, else 422 on `Idempotency-Key`) is scoped per caller
  (the key id of the principal) and per endpoint (the besluit's includes the advies id);
- the first successful answer is stored in `idempotentie` (the sha256 of the body, the status and the exact
  body bytes) in the SAME transaction as the advies or besluit and its audit line, so there is never an
  advies without its key row, nor a key row without its advies;
- a request whose key is stored already gets that answer again (same status, same body, header
  `Idempotent-Replayed: true`) and stores nothing; with another body it is refused (422: the key was used for
  another request);
- two concurrent requests with the same key: both may evaluate, but the second insert hits the primary key
  of `idempotentie` (PostgreSQL waits for the first transaction), its whole transaction is rolled back
  (`IdempotentieBezet`), and it answers with the first one's stored answer;
- only answers that stored something are kept: a refused request (422, 403, 503, ...) stored nothing, and its
  retry is simply evaluated again;
- rows are kept at least 24 hours: `opschonen` deletes older ones; a row goes with its advies (ON DELETE
  CASCADE), so a deleted advies leaves no copy of its content behind.

Without the header nothing of this runs: the hot path only reads one header.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from fastapi import Response
from sqlalchemy import Engine, delete
from sqlalchemy import exc as sa_exc
from sqlmodel import Session
from starlette.datastructures import Headers

from api.auth import Principal
from api.deps import ApiFout
from api.models import IdempotentieRecord, nu

__all__ = ["HEADER", "BEWAARTIJD", "CONSTRAINT", "Verzoek", "IdempotentieBezet", "verzoek", "zoek", "zoek_in",
           "herhaal", "is_botsing", "opschonen", "OPENAPI_PARAMETER"]

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
BEWAARTIJD = dt.timedelta(hours=24)
CONSTRAINT = "idempotentie_pkey"  # the primary key's name (migration 0008)
TABEL = IdempotentieRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
_SLEUTEL = re.compile(r"[A-Za-z0-9._:-]{1,128}")

OPENAPI_PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]{1,128}$"},
    "description": "Optioneel. Een unieke sleutel per verzoek (bijvoorbeeld een UUID). Een herhaling met dezelfde "
                   "sleutel en dezelfde body krijgt het eerste antwoord terug (met `Idempotent-Replayed: true`) en "
                   "slaat niets opnieuw op; dezelfde sleutel met een andere body wordt geweigerd (422). Per "
                   "API-sleutel en per endpoint; minstens 24 uur bewaard.",
}


class IdempotentieBezet(Exception):
    """The write was rolled back whole because another request (or an earlier attempt of this one) stored an
    answer under the same key first: answer with that one (`zoek`)."""


@dataclass
class Verzoek:
    """A request that carries a valid key: where it is scoped, and its body's hash."""

    key_id: str
    endpoint: str
    sleutel: str
    verzoek_hash: str
    antwoord: bytes = b""  # the answer stored under the key, once it is made

    def rij(self, status: int, antwoord: bytes, advies_id: str) -> dict[str, Any]:
        """The row that stores this request's answer (every column of `idempotentie`)."""
        return {"key_id": self.key_id, "endpoint": self.endpoint, "sleutel": self.sleutel,
                "verzoek_hash": self.verzoek_hash, "status": status, "antwoord": antwoord, "advies_id": advies_id,
                "aangemaakt": nu()}


def verzoek(headers: Headers, wie: Principal, endpoint: str, body: bytes) -> Verzoek | None:
    """The key of this request, or None without the header; ApiFout 422 on a key that is not allowed."""
    sleutel = headers.get(HEADER)
    if sleutel is None:
        return None
    if _SLEUTEL.fullmatch(sleutel) is None:
        raise ApiFout(422, HEADER, "ongeldige sleutel: 1 tot 128 tekens, alleen letters, cijfers en . _ : -")
    return Verzoek(wie.key_id, endpoint, sleutel, hashlib.sha256(body).hexdigest())


def zoek_in(session: Session, v: Verzoek) -> IdempotentieRecord | None:
    """The stored answer under this key, or None; ApiFout 422 when the key was used for another body."""
    gevonden = session.get(IdempotentieRecord, (v.key_id, v.endpoint, v.sleutel))
    if gevonden is not None and gevonden.verzoek_hash != v.verzoek_hash:
        raise ApiFout(422, HEADER, "deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe "
                                   "sleutel voor een nieuw verzoek")
    return gevonden


def zoek(db: Engine, v: Verzoek) -> IdempotentieRecord | None:
    """`zoek_in` in a session of its own (run it in a worker thread)."""
    with Session(db, expire_on_commit=False) as session:
        return zoek_in(session, v)


def herhaal(eerder: IdempotentieRecord) -> Response:
    """The stored answer again, marked as a replay."""
    return Response(eerder.antwoord, status_code=eerder.status, media_type="application/json",
                    headers={REPLAYED: "true"})


def is_botsing(fout: BaseException) -> bool:
    """Whether a database error is the primary key of `idempotentie`: another request stored its key first."""
    origineel = fout.orig if isinstance(fout, sa_exc.DBAPIError) else fout
    diag = getattr(origineel, "diag", None)  # psycopg (PostgreSQL) names the constraint
    if diag is not None:
        return getattr(diag, "constraint_name", None) == CONSTRAINT
    # sqlite3: "UNIQUE constraint failed: idempotentie.key_id, idempotentie.endpoint, idempotentie.sleutel"
    return "UNIQUE constraint failed: idempotentie." in str(origineel)


def opschonen(db: Engine, nu_: dt.datetime | None = None) -> int:
    """Delete the keys older than `BEWAARTIJD` (call it daily, e.g. from `hg-advies opschonen`); returns how
    many were deleted. A retry after that is a new request."""
    grens = (nu_ or nu()) - BEWAARTIJD
    with db.begin() as conn:
        return int(conn.execute(delete(TABEL).where(TABEL.c.aangemaakt < grens)).rowcount)

