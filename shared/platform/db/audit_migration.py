"""Migration operations for the audit trail table (db/audit.py), version 1.

Every service that keeps an audit trail calls these from one of its migrations, so the tables
are identical. Frozen: a later change gets a new function and a new migration, never an edit.
"""

from typing import Any

import sqlalchemy as sa


def create_audit_trail_v1(op: Any) -> None:
    op.create_table(
        "audit_trail",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_sub", sa.String(255), nullable=True),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("actor_org", sa.String(36), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(120), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_trail_subject", "audit_trail", ["subject", "seq"])
    op.create_index("ix_audit_trail_at", "audit_trail", ["at"])


def drop_audit_trail_v1(op: Any) -> None:
    op.drop_index("ix_audit_trail_at", table_name="audit_trail")
    op.drop_index("ix_audit_trail_subject", table_name="audit_trail")
    op.drop_table("audit_trail")
