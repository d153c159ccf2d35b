"""who moved each projected employment to its state

Employments projected before it was kept have none (null): the integrity checks count their
assessments as of unknown provenance until the registry next changes their state.

Revision ID: assessment_0005
Revises: assessment_0004
Create Date: 2026-12-12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "assessment_0005"
down_revision: str | Sequence[str] | None = "assessment_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("projected_employments") as batch:
        batch.add_column(sa.Column("changed_by", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projected_employments") as batch:
        batch.drop_column("changed_by")
