"""graduates' cohort index: an institution's graduates per program and year, counted from it

Revision ID: registry_0008
Revises: registry_0007
Create Date: 2026-12-13
"""

from alembic import op

revision = "registry_0008"
down_revision = "registry_0007"
branch_labels = None
depends_on = None
# Only adds an index: the code of registry_0007 still runs on this schema.
backward_compatible = True


def upgrade() -> None:
    op.create_index(
        "ix_graduates_cohorts", "graduates", ["institution_id", "program_id", "graduation_year"]
    )


def downgrade() -> None:
    op.drop_index("ix_graduates_cohorts", table_name="graduates")
