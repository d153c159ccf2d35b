"""which null ratings the employer marked "not required in this job"

Assessments stored before it have none marked (an empty list): their null ratings stay
"not observed / not required", as they were recorded.

Revision ID: assessment_0009
Revises: assessment_0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "assessment_0009"
down_revision: str | Sequence[str] | None = "assessment_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only adds a column with a default: assessment_0008 code runs on this schema.
backward_compatible = True


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column("not_required", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("not_required")
