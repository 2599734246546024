"""Stored records: each advies (immutable), the professional's besluiten, and HG-deskundige reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api import ids

__all__ = [
    "AdviesRecord",
    "BesluitRecord",
    "ReviewRecord",
    "ReplayJobRecord",
    "ReplayDeelRecord",
    "WebSessieRecord",
    "AuditRecord",
    "AanmeldpogingRecord",
    "IdempotentieRecord",
    "ScenarioRecord",
    "nieuw_id",
    "nu",
    "utc",
]


def nieuw_id() -> str:
    return ids.nieuw_id()


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
    the key's id and role, and when the session started, was last used (the idle timeout) and ends. Signed
    in through the identity provider (OpenID Connect): the provider's subject, and its ID token for the
    sign-out at the provider (`id_token_hint`); `key_id` is then a hash of issuer and subject. Kept in the
    database so every worker process sees it."""

    __tablename__ = "web_sessie"

    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the session id in the cookie
    key_id: str = Field(max_length=16)
    rol: str = Field(max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)
    verloopt: dt.datetime = Field(index=True)
    laatst_gebruikt: dt.datetime = Field(default_factory=nu)
    subject: str | None = Field(default=None, max_length=255)
    id_token: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AuditRecord(SQLModel, table=True):
    """One line of the audit log (in the spirit of NEN 7513): who (key id, or the identity provider's subject,
    and role), when, which action, on which advies or other record, with which result, from which address and
    in which request. Never casus or advies content. Append-only: triggers refuse UPDATE and DELETE
    (migration 0005); the rows stay when their advies is deleted."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    tijd: dt.datetime = Field(default_factory=nu, index=True)
    key_id: str | None = Field(default=None, index=True, max_length=16)
    subject: str | None = Field(default=None, max_length=255)
    rol: str | None = Field(default=None, max_length=32)
    actie: str = Field(max_length=32)
    advies_id: str | None = Field(default=None, index=True, max_length=32)
    object_id: str | None = Field(default=None, max_length=64)
    status: int | None = None
    adres: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)


class AanmeldpogingRecord(SQLModel, table=True):
    """One failed key attempt (a wrong key on the API or the sign-in page): the client's address and when.
    Shared by the worker processes to limit attempts per address (api/pogingen.py); deleted once it has left
    the window."""

    __tablename__ = "aanmeldpoging"

    id: int | None = Field(default=None, primary_key=True)
    adres: str = Field(index=True, max_length=64)
    tijd: dt.datetime = Field(default_factory=nu, index=True)


class IdempotentieRecord(SQLModel, table=True):
    """The first answer to a request that carried an `Idempotency-Key` (POST /v1/advies, the besluit): a retry
    with the same key gets these bytes again and stores nothing. Scoped per caller (key id) and endpoint
    (with the advies id for the besluit); the body's sha256 tells a retry from another request under the same
    key. Written in the transaction of what it answers (api/idempotentie.py); deleted with its advies, and
    after 24 hours by `api.idempotentie.opschonen`."""

    __tablename__ = "idempotentie"

    key_id: str = Field(primary_key=True, max_length=16)
    endpoint: str = Field(primary_key=True, max_length=80)  # "POST /v1/advies", "POST /v1/advies/<id>/besluit"
    sleutel: str = Field(primary_key=True, max_length=128)  # the header's value
    verzoek_hash: str = Field(max_length=64)  # sha256 hex of the request body
    status: int
    antwoord: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # the exact body of the first answer
    advies_id: str = Field(foreign_key="advies.id", ondelete="CASCADE", index=True, max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu, index=True)


class ScenarioRecord(SQLModel, table=True):
    """One saved version of a beleidsmaker's scenario: its name and version number (1, 2, ... per name), the
    scenario as validated (contract format), who saved it (key id and role, never the key) and when. Never
    updated: saving a name again adds the next version (api/routes/scenarios.py assigns it in one statement)."""

    __tablename__ = "scenario"
    __table_args__ = (UniqueConstraint("naam", "versie", name="scenario_naam_versie_key"),)

    id: int | None = Field(default=None, primary_key=True)
    naam: str = Field(index=True, max_length=64)
    versie: int
    scenario: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    key_id: str = Field(max_length=16)
    rol: str = Field(max_length=32)
    aangemaakt: dt.datetime = Field(default_factory=nu)


class ReplayDeelRecord(SQLModel, table=True):
    """One part of a replay over the stored adviezen that runs on the job queue (api/wachtrij.py): created empty
    when the job is split, its counts (`ReplayTelling.naar_dict` without casus ids) written when the part is done,
    and which process did it. The rows of a job are deleted once the job's report is written."""

    __tablename__ = "replay_deel"

    job_id: str = Field(primary_key=True, max_length=32)
    nummer: int = Field(primary_key=True)
    telling: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    meting: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    door: str | None = Field(default=None, max_length=200)  # host:pid of the process that replayed it
    begonnen: dt.datetime | None = None
    klaar: dt.datetime | None = None
