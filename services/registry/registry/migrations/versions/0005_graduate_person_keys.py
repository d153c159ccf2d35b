"""graduates' person keys: the keyed hash of a national identifier, to match register extracts

Revision ID: registry_0005
Revises: registry_0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0005"
down_revision = "registry_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("graduates") as batch:
        batch.add_column(sa.Column("person_key", sa.String(64), nullable=True))
    op.create_index("ix_graduates_person_key", "graduates", ["person_key"])


def downgrade() -> None:
    op.drop_index("ix_graduates_person_key", table_name="graduates")
    with op.batch_alter_table("graduates") as batch:
        batch.drop_column("person_key")
