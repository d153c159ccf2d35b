"""Subscriptions are owned by the creator's whole identity, not its subject.

Revision ID: gateway_0005
Revises: gateway_0004
Create Date: 2026-12-05

``owner_principal`` is the creator's Identity.principal (a digest of issuer, subject, role,
organization and region): two regional authorities whose tokens share a subject no longer see
each other's subscriptions. A subscription made before this knows only its creator's subject,
so it gets an empty principal no caller has: the ministry still sees and manages it, and its
creator subscribes again. ``owner`` stays, the subject shown to the ministry; its index goes (no
query filters on it any more). Not backward compatible: the code before it inserts
subscriptions without ``owner_principal``, which has no default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0005"
down_revision: str | Sequence[str] | None = "gateway_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner_principal", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column("owner_principal", server_default=None)
        batch_op.create_index(
            batch_op.f("ix_subscriptions_owner_principal"), ["owner_principal"], unique=False
        )
        batch_op.drop_index(batch_op.f("ix_subscriptions_owner"))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscriptions_owner"), ["owner"], unique=False)
        batch_op.drop_index(batch_op.f("ix_subscriptions_owner_principal"))
        batch_op.drop_column("owner_principal")
