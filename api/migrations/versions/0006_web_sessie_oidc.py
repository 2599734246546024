"""Web sessions signed in through OpenID Connect; idle timeout.

`laatst_gebruikt`: when the session was last used (the idle timeout, `HG_SESSIE_INACTIEF_MINUTEN`); existing
sessions count as last used when they started. `subject`: the identity provider's subject of a session signed
in through OpenID Connect (null for a key session); `id_token`: its ID token, kept for the sign-out at the
provider (`id_token_hint`) and deleted with the session.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessie") as batch:
        batch.add_column(sa.Column("laatst_gebruikt", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("subject", sa.String(255), nullable=True))
        batch.add_column(sa.Column("id_token", sa.Text(), nullable=True))
    op.execute("UPDATE web_sessie SET laatst_gebruikt = aangemaakt")
    with op.batch_alter_table("web_sessie") as batch:  # SQLite: the table is copied, PostgreSQL: ALTER
        batch.alter_column("laatst_gebruikt", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("web_sessie") as batch:
        batch.drop_column("id_token")
        batch.drop_column("subject")
        batch.drop_column("laatst_gebruikt")
