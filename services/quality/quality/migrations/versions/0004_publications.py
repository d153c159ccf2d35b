"""Publications: released cells, the changes waiting to be released, publications, their
figures, cells and queries.

Revision ID: quality_0004
Revises: quality_0003
Create Date: 2026-12-04

Nothing has been released before this revision, so every active assessment counted so far is a
change waiting for its cell's first release.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "quality_0004"
down_revision: str | Sequence[str] | None = "quality_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _cell_key() -> tuple[sa.Column[str], sa.Column[int]]:
    return (
        sa.Column("program_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "released_cells",
        *_cell_key(),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("program_id", "period"),
    )
    changes = op.create_table(
        "unreleased_changes",
        *_cell_key(),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("employer_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("program_id", "period", "assessment_id"),
    )
    op.create_table(
        "publications",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("methodology_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("restates", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )
    op.create_index("ix_publications_period", "publications", ["period"])
    op.create_table(
        "publication_figures",
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("pooled", sa.Boolean(), nullable=False),
        sa.Column("methodology_version", sa.Integer(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("publication", "scope", "scope_id", "pooled"),
    )
    op.create_table(
        "publication_cells",
        sa.Column("publication", sa.Integer(), nullable=False),
        *_cell_key(),
        sa.Column("tally", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("publication", "program_id", "period"),
    )
    op.create_table(
        "publication_queries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("publication", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=False),
        sa.Column("pooled", sa.Boolean(), nullable=False),
        sa.Column("indicator", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("raised_by", sa.String(length=36), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(length=2000), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_publication_queries_publication", "publication_queries", ["publication"])
    states = sa.table(
        "assessment_states",
        sa.column("assessment_id", sa.String()),
        sa.column("active", sa.Boolean()),
        sa.column("state", sa.JSON()),
    )
    rows = op.get_bind().execute(
        sa.select(states.c.assessment_id, states.c.state).where(states.c.active.is_(True))
    )
    waiting = [
        {
            "program_id": state["program_id"],
            "period": state["period"],
            "assessment_id": assessment_id,
            "employer_id": state["employer_id"],
        }
        for assessment_id, state in rows
    ]
    if waiting:
        op.bulk_insert(changes, waiting)


def downgrade() -> None:
    for table in (
        "publication_queries",
        "publication_cells",
        "publication_figures",
        "publications",
        "unreleased_changes",
        "released_cells",
    ):
        op.drop_table(table)
