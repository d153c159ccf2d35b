"""graduate flows released per cohort: every cluster's and region's, protected together, kept

Revision ID: quality_0014
Revises: quality_0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0014"
down_revision = "quality_0013"
branch_labels = None
depends_on = None

# Only adds a table: quality_0013 code runs on this schema
backward_compatible = True


def upgrade() -> None:
    op.create_table(
        "q_flow_releases",
        sa.Column("cohort", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("document", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("q_flow_releases")
