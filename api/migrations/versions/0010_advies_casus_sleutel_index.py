"""An index on (casus_id, key_id, aangemaakt) of the advies table, for the herindicatie link of an
indicatiesteller's POST /v1/advies: the newest advies of a casus by the same key (api/opslag.py `vorige`).

With only (casus_id, aangemaakt) and key_id indexed apart, PostgreSQL planned that lookup, on statistics from
when the table was small, as a BitmapAnd of both indexes that read every advies of the casus and sorted them:
263 ms per request for a casus with 14,000 adviezen (make bench-api, which sends one casus; 2026-12-01). With
this index the lookup is one index entry read backwards, whatever the statistics say. The index on
(casus_id, aangemaakt) stays for the roles that read every advies of a casus.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_advies_casus_id_key_id_aangemaakt", "advies", ["casus_id", "key_id", "aangemaakt"])


def downgrade() -> None:
    op.drop_index("ix_advies_casus_id_key_id_aangemaakt", table_name="advies")
