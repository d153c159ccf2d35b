"""Messaging tables: outbox, inbox and messaging state.

Revision ID: quality_0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op

from shared.platform.messaging.migration import create_messaging_tables_v1, drop_messaging_tables_v1

revision = "quality_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables_v1(op)


def downgrade() -> None:
    drop_messaging_tables_v1(op)
