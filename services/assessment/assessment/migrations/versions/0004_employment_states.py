"""employment states in the registry projection

Employments projected before provenance existed were employers' claims: they become "claimed"
(their next registry event, a confirmation say, brings the state the registry holds).

Revision ID: assessment_0004
Revises: assessment_0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "assessment_0004"
down_revision: str | Sequence[str] | None = "assessment_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("projected_employments") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="claimed")
        )


def downgrade() -> None:
    with op.batch_alter_table("projected_employments") as batch:
        batch.drop_column("state")
