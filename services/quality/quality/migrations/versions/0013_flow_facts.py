"""graduate flows: an employment's employer, an employer's ISIC section, a cluster's sectors

The registry's events carry all three; rows projected before this revision have none until
their next event (or a rebuild from the event history, `educluster quality rebuild`), and an
employment without its employer counts as elsewhere in the flows.

Revision ID: quality_0013
Revises: quality_0012
Create Date: 2026-12-13
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0013"
down_revision = "quality_0012"
branch_labels = None
depends_on = None

# Only adds nullable columns: quality_0012 code runs on this schema
backward_compatible = True


def upgrade() -> None:
    with op.batch_alter_table("q_organizations") as batch:
        batch.add_column(sa.Column("subtype", sa.String(length=40), nullable=True))
    with op.batch_alter_table("q_clusters") as batch:
        batch.add_column(sa.Column("sectors", sa.JSON(), nullable=True))
    with op.batch_alter_table("q_employments") as batch:
        batch.add_column(sa.Column("employer_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("q_employments") as batch:
        batch.drop_column("employer_id")
    with op.batch_alter_table("q_clusters") as batch:
        batch.drop_column("sectors")
    with op.batch_alter_table("q_organizations") as batch:
        batch.drop_column("subtype")
