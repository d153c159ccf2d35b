"""Drop the outbox: the gateway publishes no events, so nothing ever wrote it.

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-12-04

The downgrade creates it again exactly as gateway_0001 did (messaging tables, version 1).
"""

from collections.abc import Sequence

from alembic import op

from shared.platform.messaging.migration import create_outbox_v1, drop_outbox_v1

revision: str = "gateway_0003"
down_revision: str | Sequence[str] | None = "gateway_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    drop_outbox_v1(op)


def downgrade() -> None:
    create_outbox_v1(op)
