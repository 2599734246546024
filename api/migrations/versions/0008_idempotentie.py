"""Idempotency keys of POST /v1/advies and the besluit.

One row per (caller, endpoint, key): the sha256 of the request body and the exact first answer (status and
body), written in the same transaction as the advies or besluit it answers. The rows go with their advies
(ON DELETE CASCADE) and are deleted after 24 hours (`api.idempotentie.opschonen`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idempotentie",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("endpoint", sa.String(80), nullable=False),
        sa.Column("sleutel", sa.String(128), nullable=False),
        sa.Column("verzoek_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("antwoord", sa.LargeBinary(), nullable=False),
        sa.Column("advies_id", sa.String(32), sa.ForeignKey("advies.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False, index=True),
        # api/idempotentie.py recognises a concurrent request with the same key by this constraint's name
        sa.PrimaryKeyConstraint("key_id", "endpoint", "sleutel", name="idempotentie_pkey"),
    )


def downgrade() -> None:
    op.drop_table("idempotentie")
