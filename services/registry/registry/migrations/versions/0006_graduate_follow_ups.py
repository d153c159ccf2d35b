"""graduates' follow-ups: what the institution learnt of a graduate's activity and the day it held

Graduates registered before follow-ups existed have none (both columns null).

Revision ID: registry_0006
Revises: registry_0005
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0006"
down_revision = "registry_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("graduates") as batch:
        batch.add_column(sa.Column("follow_up_outcome", sa.String(16), nullable=True))
        batch.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("graduates") as batch:
        batch.drop_column("follow_up_on")
        batch.drop_column("follow_up_outcome")
