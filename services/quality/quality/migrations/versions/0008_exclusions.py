"""exclusions: assessments, or all of an employer's, the ministry took out of the figures

Revision ID: quality_0008
Revises: quality_0007
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0008"
down_revision = "quality_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exclusions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("assessment_id", sa.String(36), nullable=True),
        sa.Column("employer_id", sa.String(36), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("excluded_by", sa.String(255), nullable=False),
        sa.Column("excluded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_exclusions_assessment_id", "exclusions", ["assessment_id"])
    op.create_index("ix_exclusions_employer_id", "exclusions", ["employer_id"])


def downgrade() -> None:
    op.drop_index("ix_exclusions_employer_id", table_name="exclusions")
    op.drop_index("ix_exclusions_assessment_id", table_name="exclusions")
    op.drop_table("exclusions")
