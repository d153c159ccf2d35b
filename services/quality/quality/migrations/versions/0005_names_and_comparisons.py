"""Names of organizations, clusters and programs in the projection (open-data exports), and
each publication's cluster comparisons.

Revision ID: quality_0005
Revises: quality_0004
Create Date: 2026-12-04

Nullable: rows projected before this revision get their name with the next event about them
(or at once from `educluster quality rebuild`); exports leave a missing name empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "quality_0005"
down_revision: str | Sequence[str] | None = "quality_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("q_organizations", "q_clusters", "q_programs")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("name", sa.String(length=300), nullable=True))
    op.create_table(
        "publication_comparisons",
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=36), nullable=False),
        sa.Column("pooled", sa.Boolean(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("publication", "cluster_id", "pooled"),
    )


def downgrade() -> None:
    op.drop_table("publication_comparisons")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("name")
