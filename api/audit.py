"""The audit log (in the spirit of NEN 7513): every read or change of an individual advies, on the API and the
pages, every sign-in, sign-out and failed sign-in, every replay and every deletion.

A line holds who (key id, or the identity provider's subject, and the role), when, the action, the advies or
other record it concerns, the HTTP status, the client address and the request id, and never casus or advies
content. The table is append-only (triggers, migration 0005). A line is written in the same transaction as
the change it records where there is one (a new advies, a besluit, a deletion), so a change is never stored
without its line; a read is recorded before its answer is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, insert
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from api.auth import Principal
from api.models import AuditRecord, nu

__all__ = ["ACTIES", "REQUEST_ID", "regel", "schrijf", "schrijf_in", "leg_vast", "adres", "TABEL"]

TABEL = AuditRecord.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models
REQUEST_ID = "hg_request_id"  # scope key: the request id given by the logging middleware (api/logboek.py)

# Every action, with the Dutch words the beheerder's page shows for it.
ACTIES: Mapping[str, str] = {
    "advies_gemaakt": "advies aangevraagd",
    "advies_gelezen": "advies ingezien",
    "alternatieven_gelezen": "wat-als van een advies ingezien",
    "pdf_gelezen": "advies als pdf ingezien",
    "onderbouwing_gelezen": "onderbouwing ingezien",
    "adviezen_gelezen": "lijst van adviezen ingezien",
    "casus_gelezen": "adviezen van een casus ingezien",
    "besluit_vastgelegd": "besluit vastgelegd",
    "review_vastgelegd": "beoordeling vastgelegd",
    "advies_verwijderd": "advies verwijderd",
    "advies_opgeschoond": "advies verwijderd na de bewaartermijn",
    "replay_gestart": "beleidsvergelijking gestart",
    "replay_gelezen": "beleidsvergelijking ingezien",
    "statistiek_gelezen": "afwijkingsoverzicht ingezien",
    "voorstellen_gelezen": "voorstellen voor een volgend scenario ingezien",
    "scenario_opgeslagen": "scenario opgeslagen",
    "scenario_gelezen": "opgeslagen scenario ingezien",
    "scenarios_gelezen": "lijst van scenario's ingezien",
    "audit_gelezen": "auditlog ingezien",
    "aangemeld": "aangemeld",
    "afgemeld": "afgemeld",
    "aanmelden_mislukt": "aanmelden mislukt",
    "sleutel_geweigerd": "onbekende sleutel geweigerd",
}


def adres(verbinding: HTTPConnection) -> str | None:
    """The client's address (behind configured proxies: the forwarded one, see `HG_TRUSTED_PROXIES`)."""
    return verbinding.client.host[:64] if verbinding.client else None


def regel(actie: str, wie: Principal | None, verbinding: HTTPConnection | None = None, *,
          advies_id: str | None = None, object_id: str | None = None, status: int | None = None) -> dict[str, Any]:
    """One line of the log as a row (every column but the id)."""
    assert actie in ACTIES, actie
    request_id = verbinding.scope.get(REQUEST_ID) if verbinding is not None else None
    return {"tijd": nu(), "key_id": wie.key_id if wie else None, "subject": wie.subject if wie else None,
            "rol": wie.rol if wie else None, "actie": actie, "advies_id": advies_id, "object_id": object_id,
            "status": status, "adres": adres(verbinding) if verbinding is not None else None,
            "request_id": request_id}


def schrijf_in(conn: Connection, *regels: dict[str, Any]) -> None:
    """Write lines within a transaction the caller commits (together with the change they record)."""
    if regels:
        conn.execute(insert(TABEL), list(regels))


def schrijf(db: Engine, *regels: dict[str, Any]) -> None:
    """Write lines in a transaction of their own."""
    with db.begin() as conn:
        schrijf_in(conn, *regels)


async def leg_vast(verbinding: HTTPConnection, actie: str, wie: Principal | None, **velden: Any) -> None:
    """Write one line from a request, off the event loop (a read, a sign-in, a refused key)."""
    await run_in_threadpool(schrijf, verbinding.app.state.db, regel(actie, wie, verbinding, **velden))
