"""Policy replay jobs (POST /v1/replay): state, progress and report of each run.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replay_job",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bijgewerkt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False, index=True),
        sa.Column("scenario", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("totaal", sa.Integer, nullable=False),
        sa.Column("gedaan", sa.Integer, nullable=False),
        sa.Column("rapport", sa.JSON, nullable=True),
        sa.Column("fout", sa.String(2000), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("replay_job")
