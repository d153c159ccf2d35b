"""audit trail: who changed what and when (shared/platform/db/audit.py)

Revision ID: assessment_0006
Revises: assessment_0005
Create Date: 2026-12-05
"""

from alembic import op

from shared.platform.db.audit_migration import create_audit_trail_v1, drop_audit_trail_v1

revision = "assessment_0006"
down_revision = "assessment_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_trail_v1(op)


def downgrade() -> None:
    drop_audit_trail_v1(op)
