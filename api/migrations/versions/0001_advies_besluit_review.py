"""Stored advies, besluiten and reviews.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advies",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("casus_id", sa.String(64), nullable=False, index=True),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("key_id", sa.String(16), nullable=False, index=True),
        sa.Column("rol", sa.String(32), nullable=False),
        sa.Column("ruleset_naam", sa.String(64), nullable=False),
        sa.Column("ruleset_versie", sa.String(10), nullable=False),
        sa.Column("ruleset_hash", sa.String(80), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("perceel", sa.String(16), nullable=True),
        sa.Column("pakket", sa.Integer, nullable=True),
        sa.Column("casus", sa.JSON, nullable=False),
        sa.Column("advies", sa.JSON, nullable=False),
    )
    op.create_table(
        "besluit",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("advies_id", sa.String(32), sa.ForeignKey("advies.id"), nullable=False, index=True),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("rol", sa.String(32), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("perceel", sa.String(16), nullable=True),
        sa.Column("pakket", sa.Integer, nullable=True),
        sa.Column("maatwerk", sa.JSON, nullable=False),
        sa.Column("afwijkingen", sa.JSON, nullable=False),
        sa.Column("regels", sa.JSON, nullable=False),
        sa.Column("reden", sa.String(2000), nullable=True),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("advies_id", sa.String(32), sa.ForeignKey("advies.id"), nullable=False, index=True),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("oordeel", sa.String(8), nullable=False),
        sa.Column("toelichting", sa.String(2000), nullable=True),
        sa.Column("stappen", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("review")
    op.drop_table("besluit")
    op.drop_table("advies")
