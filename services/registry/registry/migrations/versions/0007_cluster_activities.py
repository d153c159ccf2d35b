"""cluster activities and strategy goals: what members do together, and the coordinator's
versioned goals (each version kept)

Revision ID: registry_0007
Revises: registry_0006
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0007"
down_revision = "registry_0006"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _goal_columns() -> list[sa.Column]:
    return [
        sa.Column("cluster_id", sa.String(36), sa.ForeignKey("clusters.id"), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("field_code", sa.String(4), nullable=True),
        sa.Column("level", sa.String(2), nullable=True),
        sa.Column("comparator", sa.String(16), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("by_year", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.String(36), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "cluster_activities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cluster_id", sa.String(36), sa.ForeignKey("clusters.id"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_cluster_activities_cluster", "cluster_activities", ["cluster_id", "id"])
    op.create_table(
        "cluster_goals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_goal_columns(),
        *_timestamps(),
    )
    op.create_index("ix_cluster_goals_cluster", "cluster_goals", ["cluster_id", "id"])
    op.create_table(
        "cluster_goal_versions",
        sa.Column("goal_id", sa.String(36), sa.ForeignKey("cluster_goals.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        *_goal_columns(),
        *_timestamps(),
    )


def downgrade() -> None:
    op.drop_table("cluster_goal_versions")
    op.drop_index("ix_cluster_goals_cluster", table_name="cluster_goals")
    op.drop_table("cluster_goals")
    op.drop_index("ix_cluster_activities_cluster", table_name="cluster_activities")
    op.drop_table("cluster_activities")
