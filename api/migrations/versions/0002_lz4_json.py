"""PostgreSQL: compress the stored casus and advies JSON with lz4 instead of pglz.

Every advies row carries ~9 kB of JSON (the advies with its explanation), which PostgreSQL compresses
into TOAST on insert. With lz4 an insert costs the server ~350 µs of CPU instead of ~600 µs (measured:
4,000 inserts of vj-2020-1's advies, same table, same machine), which is most of the database's share
of POST /v1/advies. Only new values are compressed with lz4; existing rows stay readable as they are.
Servers older than PostgreSQL 14, or built without lz4, keep pglz. SQLite: nothing to do.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = ("casus", "advies")


def _lz4_available(conn: sa.Connection) -> bool:
    if int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) < 140000:
        return False
    # default_toast_compression accepts 'lz4' only on a server built with it (a SET LOCAL: no lasting effect)
    try:
        with conn.begin_nested():
            conn.execute(sa.text("SET LOCAL default_toast_compression = 'lz4'"))
    except sa.exc.DBAPIError:
        return False
    return True


def _set_compression(method: str) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or (method == "lz4" and not _lz4_available(conn)):
        return
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE advies ALTER COLUMN {column} SET COMPRESSION {method}")


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")
