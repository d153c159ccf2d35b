"""reminders for institutions: subscriptions and deliveries keyed by organization and role

An employer's rows become its organization's rows in the employer role. The two tables are
made anew and their rows copied (they are small): changing a primary key in place is not
portable between SQLite and PostgreSQL. The downgrade keeps employers' rows only. Not
backward compatible (a rename): the code of assessment_0007 reads ``employer_id``.

Revision ID: assessment_0008
Revises: assessment_0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "assessment_0008"
down_revision: str | Sequence[str] | None = "assessment_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Row = dict[str, Any]


def _take(table: str) -> list[Row]:
    """The table's rows (read with its reflected types), then the table is dropped."""
    bind = op.get_bind()
    old = sa.Table(table, sa.MetaData(), autoload_with=bind)
    rows = [dict(row) for row in bind.execute(sa.select(old)).mappings()]
    op.drop_table(table)
    return rows


def _make(owner: dict[str, int], rows: tuple[list[Row], list[Row]]) -> None:
    """Both tables keyed by the ``owner`` columns (name: length), holding ``rows``
    (subscriptions, deliveries)."""

    def key() -> list[sa.Column[str]]:
        return [
            sa.Column(name, sa.String(length), primary_key=True) for name, length in owner.items()
        ]

    subscriptions = op.create_table(
        "reminder_subscriptions",
        *key(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("unsubscribe_token", sa.String(length=64), nullable=False, unique=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    deliveries = op.create_table(
        "reminder_deliveries",
        *key(),
        sa.Column("period", sa.Integer(), primary_key=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    for table, table_rows in zip((subscriptions, deliveries), rows, strict=True):
        if table_rows:
            op.bulk_insert(table, table_rows)


def upgrade() -> None:
    deliveries, subscriptions = _take("reminder_deliveries"), _take("reminder_subscriptions")

    def as_employer(row: Row) -> Row:
        return {"organization_id": row.pop("employer_id"), "role": "employer", **row}

    _make(
        {"organization_id": 36, "role": 16},
        ([as_employer(r) for r in subscriptions], [as_employer(r) for r in deliveries]),
    )


def downgrade() -> None:
    deliveries, subscriptions = _take("reminder_deliveries"), _take("reminder_subscriptions")

    def employers(rows: list[Row]) -> list[Row]:
        return [
            {"employer_id": row.pop("organization_id"), **row}
            for row in rows
            if row.pop("role") == "employer"
        ]

    _make(
        {"employer_id": 36},
        (employers(subscriptions), employers(deliveries)),
    )
