"""Subscriptions to score.updated follow scores to score.published.

Revision ID: gateway_0004
Revises: gateway_0003
Create Date: 2026-12-04

The public quality topic no longer carries score.updated (the live figures are the ministry's,
on educluster.quality.live.v1); what outside subscribers receive of a scope's figures is its
score.published, once per publication. The downgrade turns them back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0004"
down_revision: str | Sequence[str] | None = "gateway_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPDATED = "educluster.quality.score.updated.v1"
PUBLISHED = "educluster.quality.score.published.v1"

_subscriptions = sa.table(
    "subscriptions", sa.column("id", sa.String()), sa.column("types", sa.JSON())
)


def _rename(old: str, new: str) -> None:
    bind = op.get_bind()
    for subscription_id, types in bind.execute(sa.select(_subscriptions)).all():
        if types and old in types:
            renamed = sorted({new if t == old else t for t in types})
            bind.execute(
                _subscriptions.update()
                .where(_subscriptions.c.id == subscription_id)
                .values(types=renamed)
            )


def upgrade() -> None:
    _rename(UPDATED, PUBLISHED)


def downgrade() -> None:
    _rename(PUBLISHED, UPDATED)
