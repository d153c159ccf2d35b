"""employment provenance: each employment's state and source, one-time confirmation codes, and
the date each organization was registered (no one worked for it before)

Employments recorded before provenance existed were employers' claims: they become "claimed".

Revision ID: registry_0003
Revises: registry_0002
Create Date: 2026-12-04 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "registry_0003"
down_revision: str | Sequence[str] | None = "registry_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("registered_on", sa.Date(), nullable=True))
    with op.batch_alter_table("employments") as batch:
        batch.add_column(
            sa.Column("state", sa.String(16), nullable=False, server_default="claimed")
        )
        batch.add_column(
            sa.Column("source", sa.String(16), nullable=False, server_default="employer")
        )
        batch.add_column(
            sa.Column("kind", sa.String(16), nullable=False, server_default="employee")
        )
        batch.add_column(sa.Column("state_by", sa.String(36), nullable=True))
        batch.add_column(sa.Column("state_reason", sa.String(500), nullable=True))
    op.create_table(
        "employment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("employment_id", sa.String(36), sa.ForeignKey("employments.id"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_employment_codes_employment", "employment_codes", ["employment_id"])


def downgrade() -> None:
    op.drop_index("ix_employment_codes_employment", table_name="employment_codes")
    op.drop_table("employment_codes")
    with op.batch_alter_table("employments") as batch:
        for column in ("state_reason", "state_by", "kind", "source", "state"):
            batch.drop_column(column)
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("registered_on")
