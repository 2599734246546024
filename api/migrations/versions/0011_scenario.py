"""Saved scenarios (POST /v1/scenarios): one row per version of a named scenario.

`(naam, versie)` is unique: api/routes/scenarios.py inserts the next version number in one statement and, when a
concurrent save of the same name took that number first, recognises this constraint by its name and tries again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenario",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("naam", sa.String(64), nullable=False, index=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("rol", sa.String(32), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("naam", "versie", name="scenario_naam_versie_key"),
    )


def downgrade() -> None:
    op.drop_table("scenario")
