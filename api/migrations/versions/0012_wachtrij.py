"""The job queue for replays over the stored adviezen (api/wachtrij.py): procrastinate's schema on PostgreSQL,
and the table of the parts of a queued replay (`replay_deel`).

procrastinate's own schema SQL (`procrastinate.schema.SchemaManager.get_schema`, of the installed 3.x version) is
run only on PostgreSQL and only when its tables are missing (a database where `procrastinate schema --apply` was
run by hand is left as it is). SQLite has no queue (replays run in the service's own replay process), so there
only `replay_deel` is created, to keep one schema for both. A later procrastinate version that changes its schema
ships its own migration SQL (procrastinate/sql/migrations): apply it in a new migration of this project.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replay_deel",
        sa.Column("job_id", sa.String(32), primary_key=True),
        sa.Column("nummer", sa.Integer(), primary_key=True),
        sa.Column("telling", sa.JSON(), nullable=True),
        sa.Column("meting", sa.JSON(), nullable=True),
        sa.Column("door", sa.String(200), nullable=True),
        sa.Column("begonnen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("klaar", sa.DateTime(timezone=True), nullable=True),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if bind.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is not None:
        return
    from procrastinate.schema import SchemaManager

    # straight to psycopg, without parameters: the script goes as it is (several statements, `%` untouched),
    # in the migration's transaction
    with bind.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(SchemaManager.get_schema())


def downgrade() -> None:
    op.drop_table("replay_deel")
    # procrastinate's tables are left: removing them would drop queued work of other versions
