"""Stored records: each advies (immutable), the professional's besluiten, and HG-deskundige reviews."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

__all__ = ["AdviesRecord", "BesluitRecord", "ReviewRecord", "ReplayJobRecord", "WebSessieRecord", "nieuw_id", "nu",
           "utc"]


def nieuw_id() -> str:
    return uuid.uuid4().hex


def nu() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time: SQLite gives it back without its zone (it is UTC)."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class AdviesRecord(SQLModel, table=True):
    """One advies as given: the anonymised casus, the full advies with its explanation, the ruleset,
    who asked (key id and role, never the key) and when. Never updated after insert."""

    __tablename__ = "advies"

    id: str = Field(default_factory=nieuw_id, primary_key=True, max_length=32)
    casus_id: str = Field(index=True, max_length=64)
    aangemaakt: dt.datetime = Field(default_factory=nu, index=True)
    key_id: str = Field(index=True, max_length=16)
    rol: str = Field(max_length=32)
    ruleset_naam: str = Field(max_length=64)
    ruleset_versie: str = Field(max_length=10)
    ruleset_hash: str = Field(max_length=80)
    route: str = Field(max_length=32)
    perceel: str | None = Field(default=None, max_length=16)
    pakket: int | None = None
    casus: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    advies: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class BesluitRecord(SQLModel, table=True):
    """What the indicatiesteller actually indicated, and why when it deviates from the advies."""

    __tablename__ = "besluit"

    id: str = Field(default_factory=nieuw_id, primary_key=True, max_length=32)
    advies_id: str = Field(foreign_key="advies.id", index=True, max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)
    key_id: str = Field(max_length=16)
    rol: str = Field(max_length=32)
    route: str = Field(max_length=32)
    perceel: str | None = Field(default=None, max_length=16)
    pakket: int | None = None
    maatwerk: list[str] = Field(sa_column=Column(JSON, nullable=False))
    afwijkingen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    regels: list[str] = Field(sa_column=Column(JSON, nullable=False))  # rules that shaped the advies
    reden: str | None = Field(default=None, max_length=2000)


class ReviewRecord(SQLModel, table=True):
    """An HG-deskundige's judgement of an advies' rationale, as a whole and per explanation step."""

    __tablename__ = "review"

    id: str = Field(default_factory=nieuw_id, primary_key=True, max_length=32)
    advies_id: str = Field(foreign_key="advies.id", index=True, max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)
    key_id: str = Field(max_length=16)
    oordeel: str = Field(max_length=8)
    toelichting: str | None = Field(default=None, max_length=2000)
    stappen: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))


class ReplayJobRecord(SQLModel, table=True):
    """A policy replay run for a beleidsmaker: its state, progress and, when done, the report.
    The uploaded casussen are never stored; the report names casussen by casus_id only."""

    __tablename__ = "replay_job"

    id: str = Field(default_factory=nieuw_id, primary_key=True, max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)
    bijgewerkt: dt.datetime = Field(default_factory=nu)
    key_id: str = Field(index=True, max_length=16)
    scenario: str = Field(max_length=64)
    status: str = Field(max_length=16)  # wachtend | bezig | klaar | mislukt
    totaal: int
    gedaan: int = 0
    rapport: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    fout: str | None = Field(default=None, max_length=2000)


class WebSessieRecord(SQLModel, table=True):
    """A signed-in browser (the web pages): only a hash of the session id, never the id or the key itself;
    the key's id and role, and when the session started and ends. Kept in the database so every worker
    process sees it."""

    __tablename__ = "web_sessie"

    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the session id in the cookie
    key_id: str = Field(max_length=16)
    rol: str = Field(max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)
    verloopt: dt.datetime = Field(index=True)
