"""Web sessions in the database: a random id in the `hg_sessie` cookie, only its hash stored; CSRF tokens.

Every worker process sees the same sessions. A session ends `GELDIG` (8 hours) after sign-in, and earlier
when it has not been used for the idle timeout (`HG_SESSIE_INACTIEF_MINUTEN`, default 30): `laatst_gebruikt`
is brought forward on use, at most once a minute per session (`BIJWERKEN`), so most reads cost no write.
The CSRF token of a session is derived from its secret id (an HMAC), so it needs no column and cannot be
guessed without the cookie; it is compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, update
from sqlmodel import Session

from api.auth import Principal
from api.models import WebSessieRecord, nu

__all__ = ["COOKIE", "GELDIG", "INACTIEF", "BIJWERKEN", "Beeindigd", "nieuwe_sessie", "vind_sessie",
           "beeindig_sessie", "csrf_token", "csrf_klopt"]

COOKIE = "hg_sessie"
GELDIG = dt.timedelta(hours=8)
INACTIEF = dt.timedelta(minutes=30)  # the default idle timeout (HG_SESSIE_INACTIEF_MINUTEN)
BIJWERKEN = dt.timedelta(minutes=1)  # laatst_gebruikt is written at most this often per session

_TABEL = WebSessieRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models


@dataclass(frozen=True)
class Beeindigd:
    """A session that was ended: who it was, and for a session of the identity provider its ID token."""

    wie: Principal
    id_token: str | None


def _hash(sessie_id: str) -> str:
    return hashlib.sha256(sessie_id.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives a stored time back without its zone: it is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def nieuwe_sessie(db: Engine, wie: Principal, id_token: str | None = None) -> str:
    """Store a new session for this principal (and drop expired ones); returns the id for the cookie."""
    sessie_id = secrets.token_urlsafe(32)
    begin = nu()
    with Session(db) as session:
        session.execute(delete(WebSessieRecord).where(WebSessieRecord.verloopt < begin))  # type: ignore[arg-type]
        session.add(WebSessieRecord(id=_hash(sessie_id), key_id=wie.key_id, rol=wie.rol, aangemaakt=begin,
                                    verloopt=begin + GELDIG, laatst_gebruikt=begin, subject=wie.subject,
                                    id_token=id_token))
        session.commit()
    return sessie_id


def vind_sessie(db: Engine, sessie_id: str | None, inactief: dt.timedelta = INACTIEF) -> Principal | None:
    """The principal of a session that exists, has not expired and was used within `inactief`; records the
    use (at most once per `BIJWERKEN`, or a tenth of the idle timeout if that is shorter). A session found
    expired or idle is deleted."""
    if not sessie_id or len(sessie_id) > 128:
        return None
    sleutel, moment = _hash(sessie_id), nu()
    with Session(db) as session:
        record = session.get(WebSessieRecord, sleutel)
        if record is None:
            return None
        gebruikt = _utc(record.laatst_gebruikt)
        if _utc(record.verloopt) <= moment or gebruikt + inactief <= moment:
            session.execute(delete(_TABEL).where(_TABEL.c.id == sleutel))
            session.commit()
            return None
        if moment - gebruikt >= min(BIJWERKEN, inactief / 10):
            # Conditional, so concurrent requests of one session write once and never move it back.
            session.execute(update(_TABEL).where(_TABEL.c.id == sleutel, _TABEL.c.laatst_gebruikt < moment)
                            .values(laatst_gebruikt=moment))
            session.commit()
        return Principal(record.key_id, record.rol, record.subject)


def beeindig_sessie(db: Engine, sessie_id: str | None) -> Beeindigd | None:
    """Delete the session; returns who it was (None: there was none)."""
    if not sessie_id or len(sessie_id) > 128:
        return None
    with Session(db) as session:
        record = session.get(WebSessieRecord, _hash(sessie_id))
        if record is None:
            return None
        beeindigd = Beeindigd(Principal(record.key_id, record.rol, record.subject), record.id_token)
        session.execute(delete(_TABEL).where(_TABEL.c.id == record.id))
        session.commit()
    return beeindigd


def csrf_token(geheim: str) -> str:
    """The CSRF token for a secret (the session id, or the sign-in form's pre-session value)."""
    return hmac.new(geheim.encode(), b"hg-advies csrf", hashlib.sha256).hexdigest()


def csrf_klopt(geheim: str | None, token: str | None) -> bool:
    if not geheim or not token:
        return False
    return hmac.compare_digest(csrf_token(geheim).encode(), token.encode())
