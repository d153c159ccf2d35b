"""Ranks stored with the scores at publication, not computed on every read.

Revision ID: quality_0003
Revises: quality_0002
Create Date: 2026-12-04

Every scored cell is marked, so the first publication window after the upgrade stores the
ranks of every period that has scores.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "quality_0003"
down_revision: str | Sequence[str] | None = "quality_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        batch.add_column(sa.Column("rank", sa.Integer(), nullable=True))
    op.execute(
        "INSERT INTO dirty_cells (program_id, period, generation) "
        "SELECT program_id, period, 0 FROM cells "
        "WHERE NOT EXISTS (SELECT 1 FROM dirty_cells d "
        "WHERE d.program_id = cells.program_id AND d.period = cells.period)"
    )


def downgrade() -> None:
    with op.batch_alter_table("scores") as batch:
        batch.drop_column("rank")
