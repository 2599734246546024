"""Failed key attempts per client, shared between workers.

One row per wrong key (on the API or the sign-in page): the client's address and when. Every process reads
the addresses that reached the limit within the window and deletes the rows that left it (api/pogingen.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "aanmeldpoging",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("adres", sa.String(64), nullable=False, index=True),
        sa.Column("tijd", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("aanmeldpoging")
