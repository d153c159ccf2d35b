"""each publication's structure: which programs every scope summed (year and pool)

Publications made before this have none; the audit ties them to the structure of the day.

Revision ID: quality_0011
Revises: quality_0010
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0011"
down_revision = "quality_0010"
branch_labels = None
depends_on = None

# Only adds a table: quality_0010 code runs on this schema (shared/platform/schema_compatibility.py)
backward_compatible = True


def upgrade() -> None:
    op.create_table(
        "publication_structures",
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("pooled", sa.Boolean(), nullable=False),
        sa.Column("families", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("publication", "pooled"),
    )


def downgrade() -> None:
    op.drop_table("publication_structures")
