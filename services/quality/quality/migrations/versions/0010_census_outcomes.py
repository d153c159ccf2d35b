"""census outcomes: employment kind and occupation, graduates' follow-ups

Employments projected before this revision read as kind "employee" with no occupation (never
graduate level or in field) until their next registry event carries both.

Revision ID: quality_0010
Revises: quality_0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0010"
down_revision = "quality_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("q_employments") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="employee")
        )
        batch.add_column(sa.Column("isco_code", sa.String(length=4), nullable=True))
    with op.batch_alter_table("q_graduates") as batch:
        batch.add_column(sa.Column("follow_up_outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("q_graduates") as batch:
        batch.drop_column("follow_up_on")
        batch.drop_column("follow_up_outcome")
    with op.batch_alter_table("q_employments") as batch:
        batch.drop_column("isco_code")
        batch.drop_column("kind")
