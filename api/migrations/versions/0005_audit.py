"""Audit log (append-only): who read or changed which advies, sign-ins and sign-outs, replays, deletions.

No casus or advies content: only ids, the action, the role, the client address and the request id. On both
databases a trigger refuses every UPDATE and DELETE of the table (and TRUNCATE on PostgreSQL), so the
service itself cannot rewrite its history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_PG_FUNCTIE = """
CREATE FUNCTION audit_alleen_toevoegen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'het auditlog is alleen aan te vullen (%)', TG_OP;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("tijd", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("key_id", sa.String(16), nullable=True, index=True),
        sa.Column("subject", sa.String(255), nullable=True),
        sa.Column("rol", sa.String(32), nullable=True),
        sa.Column("actie", sa.String(32), nullable=False),
        sa.Column("advies_id", sa.String(32), nullable=True, index=True),
        sa.Column("object_id", sa.String(64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("adres", sa.String(64), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTIE)
        op.execute("CREATE TRIGGER audit_geen_wijziging BEFORE UPDATE OR DELETE ON audit "
                   "FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen()")
        op.execute("CREATE TRIGGER audit_geen_truncate BEFORE TRUNCATE ON audit "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_alleen_toevoegen()")
    else:
        for operatie in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_geen_{operatie.lower()} BEFORE {operatie} ON audit "
                       "BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen aan te vullen'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_geen_truncate ON audit")
        op.execute("DROP TRIGGER IF EXISTS audit_geen_wijziging ON audit")
        op.execute("DROP FUNCTION IF EXISTS audit_alleen_toevoegen()")
    op.drop_table("audit")
