"""activity intensity in publications: each cluster's intensity of the publication's year

Computed when a publication is made, every cluster's table protected together (overlapping
clusters audited jointly), and read by everyone but the ministry from the publication.

Revision ID: quality_0016
Revises: quality_0015
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0016"
down_revision = "quality_0015"
branch_labels = None
depends_on = None

# Only adds a table: quality_0015 code runs on this schema
backward_compatible = True


def upgrade() -> None:
    op.create_table(
        "publication_intensity",
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=36), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("publication", "cluster_id"),
    )


def downgrade() -> None:
    op.drop_table("publication_intensity")
