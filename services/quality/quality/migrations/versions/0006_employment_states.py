"""Employment states in the registry projection (only the methodology's counting states count
in employment outcomes).

Revision ID: quality_0006
Revises: quality_0005
Create Date: 2026-12-05

Employments projected before this revision were employers' claims: they become "claimed" (the
next registry event of each, a confirmation say, brings the state the registry holds).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "quality_0006"
down_revision: str | Sequence[str] | None = "quality_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("q_employments") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="claimed")
        )


def downgrade() -> None:
    with op.batch_alter_table("q_employments") as batch:
        batch.drop_column("state")
