"""cluster activities and strategy goals: the projection of the registry's activity and goal
events (each activity's latest state, every version of each goal)

Revision ID: quality_0012
Revises: quality_0011
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision = "quality_0012"
down_revision = "quality_0011"
branch_labels = None
depends_on = None

# Only adds tables: quality_0011 code runs on this schema (shared/platform/schema_compatibility.py)
backward_compatible = True


def upgrade() -> None:
    op.create_table(
        "q_cluster_activities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cluster_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
    )
    op.create_index("ix_q_cluster_activities_cluster_id", "q_cluster_activities", ["cluster_id"])
    op.create_index("ix_q_cluster_activities_kind", "q_cluster_activities", ["kind"])
    op.create_table(
        "q_cluster_goals",
        sa.Column("goal_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(36), nullable=False),
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("field_code", sa.String(4), nullable=True),
        sa.Column("level", sa.String(2), nullable=True),
        sa.Column("comparator", sa.String(16), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("by_year", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("goal_id", "version"),
    )
    op.create_index("ix_q_cluster_goals_cluster_id", "q_cluster_goals", ["cluster_id"])


def downgrade() -> None:
    op.drop_index("ix_q_cluster_goals_cluster_id", table_name="q_cluster_goals")
    op.drop_table("q_cluster_goals")
    op.drop_index("ix_q_cluster_activities_kind", table_name="q_cluster_activities")
    op.drop_index("ix_q_cluster_activities_cluster_id", table_name="q_cluster_activities")
    op.drop_table("q_cluster_activities")
