"""rank intervals stored with each rank (live scores and publications' figures)

Existing ranks get theirs at the next scoring window or publication.

Revision ID: quality_0009
Revises: quality_0008
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0009"
down_revision = "quality_0008"
branch_labels = None
depends_on = None

TABLES = ("scores", "publication_figures")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("rank_low", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("rank_high", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("rank_high")
            batch.drop_column("rank_low")
