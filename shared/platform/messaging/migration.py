"""Migration operations for the messaging tables (outbox, inbox, messaging_state), version 1.

Every service's first migration calls these, so all four databases carry identical tables.
Frozen: a later change to the messaging tables gets a new function and a new migration in
each service, never an edit here.
"""

from typing import Any

import sqlalchemy as sa


def create_outbox_v1(op: Any) -> None:
    """The outbox alone (part of version 1; a service that stops publishing drops it)."""
    sequence_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "outbox",
        sa.Column("id", sequence_id, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kafka_partition", sa.Integer(), nullable=True),
        sa.Column("kafka_offset", sa.BigInteger(), nullable=True),
        sa.Column("publish_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["id"],
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_index("ix_outbox_created_at", "outbox", ["created_at"])


def drop_outbox_v1(op: Any) -> None:
    op.drop_index("ix_outbox_created_at", table_name="outbox")
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    op.drop_table("outbox")


def create_messaging_tables_v1(op: Any) -> None:
    create_outbox_v1(op)
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "event_id", name="pk_inbox"),
    )
    op.create_table(
        "messaging_state",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def drop_messaging_tables_v1(op: Any) -> None:
    op.drop_table("messaging_state")
    op.drop_table("inbox")
    drop_outbox_v1(op)


def create_idempotency_table_v1(op: Any) -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name="pk_idempotency_keys"),
    )


def drop_idempotency_table_v1(op: Any) -> None:
    op.drop_table("idempotency_keys")
