"""graduate flows in publications: each region's and cluster's flows as a publication states them

The flows of a cohort are made with the first publication of its census year after the census
window has closed and carried by the later ones; q_flow_releases (quality_0014) is only read,
for a cohort released there before this revision (its first publication carries that release).

Revision ID: quality_0015
Revises: quality_0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0015"
down_revision = "quality_0014"
branch_labels = None
depends_on = None

# Only adds a table: quality_0014 code runs on this schema
backward_compatible = True


def upgrade() -> None:
    op.create_table(
        "publication_flows",
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("publication", "scope", "scope_id"),
    )


def downgrade() -> None:
    op.drop_table("publication_flows")
