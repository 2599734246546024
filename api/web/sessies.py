"""Web sessions in the database: a random id in the `hg_sessie` cookie, only its hash stored; CSRF tokens.

Every worker process sees the same sessions. The CSRF token of a session is derived from its secret id
(an HMAC), so it needs no column and cannot be guessed without the cookie; it is compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import Engine, delete
from sqlmodel import Session

from api.auth import Principal
from api.models import WebSessieRecord, nu

__all__ = ["COOKIE", "GELDIG", "nieuwe_sessie", "vind_sessie", "beeindig_sessie", "csrf_token", "csrf_klopt"]

COOKIE = "hg_sessie"
GELDIG = dt.timedelta(hours=8)


def _hash(sessie_id: str) -> str:
    return hashlib.sha256(sessie_id.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives a stored time back without its zone: it is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def nieuwe_sessie(db: Engine, wie: Principal) -> str:
    """Store a new session for this principal (and drop expired ones); returns the id for the cookie."""
    sessie_id = secrets.token_urlsafe(32)
    begin = nu()
    with Session(db) as session:
        session.execute(delete(WebSessieRecord).where(WebSessieRecord.verloopt < begin))  # type: ignore[arg-type]
        session.add(WebSessieRecord(id=_hash(sessie_id), key_id=wie.key_id, rol=wie.rol, aangemaakt=begin,
                                    verloopt=begin + GELDIG))
        session.commit()
    return sessie_id


def vind_sessie(db: Engine, sessie_id: str | None) -> Principal | None:
    """The principal of a session that exists and has not expired."""
    if not sessie_id or len(sessie_id) > 128:
        return None
    with Session(db) as session:
        record = session.get(WebSessieRecord, _hash(sessie_id))
    if record is None or _utc(record.verloopt) <= nu():
        return None
    return Principal(record.key_id, record.rol)


def beeindig_sessie(db: Engine, sessie_id: str | None) -> None:
    if not sessie_id:
        return
    with Session(db) as session:
        session.execute(delete(WebSessieRecord).where(WebSessieRecord.id == _hash(sessie_id)))  # type: ignore[arg-type]
        session.commit()


def csrf_token(geheim: str) -> str:
    """The CSRF token for a secret (the session id, or the sign-in form's pre-session value)."""
    return hmac.new(geheim.encode(), b"hg-advies csrf", hashlib.sha256).hexdigest()


def csrf_klopt(geheim: str | None, token: str | None) -> bool:
    if not geheim or not token:
        return False
    return hmac.compare_digest(csrf_token(geheim).encode(), token.encode())
