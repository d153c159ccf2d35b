"""The registry's own tables (its Alembic history builds them)."""

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from shared.platform.db.audit import audit_table
from shared.platform.db.types import UtcDateTime

metadata = MetaData()


def _timestamps() -> list[Column[Any]]:
    return [
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    ]


regions = Table(
    "regions",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("country", String(2), nullable=False),
    Column("name_uz", String(200), nullable=False),
    Column("name_ru", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    *_timestamps(),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("subtype", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("region_code", String(10), ForeignKey("regions.code"), nullable=False),
    Column("tax_id", String(20), nullable=False, unique=True),
    Column("contact_email", String(254), nullable=True),
    Column("contact_phone", String(40), nullable=True),
    Column("registered_on", Date, nullable=True),
    Column("active", Boolean, nullable=False),
    *_timestamps(),
    Index("ix_organizations_kind_region", "kind", "region_code"),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("region_code", String(10), ForeignKey("regions.code"), nullable=False),
    Column("sectors", JSON, nullable=False),
    Column("coordinator_id", String(36), ForeignKey("organizations.id"), nullable=False),
    Column("status", String(20), nullable=False),
    *_timestamps(),
)

cluster_members = Table(
    "cluster_members",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("cluster_id", String(36), ForeignKey("clusters.id"), nullable=False),
    Column("organization_id", String(36), ForeignKey("organizations.id"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date, nullable=True),
    Index("ix_cluster_members_cluster", "cluster_id", "organization_id"),
)
# At most one current membership per organization and cluster (history rows have left_on).
Index(
    "uq_cluster_members_current",
    cluster_members.c.cluster_id,
    cluster_members.c.organization_id,
    unique=True,
    postgresql_where=cluster_members.c.left_on.is_(None),
    sqlite_where=cluster_members.c.left_on.is_(None),
)

programs = Table(
    "programs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("institution_id", String(36), ForeignKey("organizations.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("level", String(2), nullable=False),
    Column("field_code", String(4), nullable=False),
    Column("language", String(8), nullable=False),
    Column("active", Boolean, nullable=False),
    *_timestamps(),
    UniqueConstraint("institution_id", "code", name="uq_programs_institution_code"),
)

graduates = Table(
    "graduates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("institution_id", String(36), ForeignKey("organizations.id"), nullable=False),
    Column("program_id", String(36), ForeignKey("programs.id"), nullable=False),
    Column("graduation_year", Integer, nullable=False),
    Column("student_ref", String(64), nullable=False),
    Column("full_name", String(300), nullable=False),
    Column("person_key", String(64), nullable=True),
    Column("follow_up_outcome", String(16), nullable=True),
    Column("follow_up_on", Date, nullable=True),
    Column("active", Boolean, nullable=False),
    *_timestamps(),
    UniqueConstraint("institution_id", "student_ref", name="uq_graduates_institution_ref"),
    Index("ix_graduates_program", "program_id"),
    Index("ix_graduates_person_key", "person_key"),
    # Counts per program and year of an institution's graduates, from the index alone.
    Index("ix_graduates_cohorts", "institution_id", "program_id", "graduation_year"),
)

employments = Table(
    "employments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("graduate_id", String(36), ForeignKey("graduates.id"), nullable=False),
    Column("employer_id", String(36), ForeignKey("organizations.id"), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("position", String(200), nullable=False),
    Column("isco_code", String(4), nullable=False),
    Column("in_field", Boolean, nullable=False),
    Column("state", String(16), nullable=False, server_default="claimed"),
    Column("source", String(16), nullable=False, server_default="employer"),
    Column("kind", String(16), nullable=False, server_default="employee"),
    Column("state_by", String(36), nullable=True),
    Column("state_reason", String(500), nullable=True),
    *_timestamps(),
    Index("ix_employments_graduate", "graduate_id"),
    Index("ix_employments_employer", "employer_id"),
)

# One-time codes an institution issues for a graduate to confirm an employment: only the
# code's hash is kept; a code is spent once used.
employment_codes = Table(
    "employment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("employment_id", String(36), ForeignKey("employments.id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Index("ix_employment_codes_employment", "employment_id"),
)

# What members of a cluster do together; the kind's own record (places, hours, money) is the
# outcome, as JSON (amounts as decimal text, exact on both databases).
cluster_activities = Table(
    "cluster_activities",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("cluster_id", String(36), ForeignKey("clusters.id"), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("title", String(300), nullable=False),
    Column("status", String(16), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("member_ids", JSON, nullable=False),
    Column("outcome", JSON, nullable=False),
    *_timestamps(),
    Index("ix_cluster_activities_cluster", "cluster_id", "id"),
)


def _goal_columns() -> list[Column[Any]]:
    return [
        Column("cluster_id", String(36), ForeignKey("clusters.id"), nullable=False),
        Column("measure", String(16), nullable=False),
        Column("code", String(64), nullable=False),
        Column("field_code", String(4), nullable=True),
        Column("level", String(2), nullable=True),
        Column("comparator", String(16), nullable=False),
        Column("target", String(40), nullable=False),  # decimal text, exact on both databases
        Column("by_year", Integer, nullable=False),
        Column("active", Boolean, nullable=False),
        Column("set_by", String(36), nullable=False),
    ]


# A cluster's strategy goals as they stand (their latest version) ...
cluster_goals = Table(
    "cluster_goals",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    *_goal_columns(),
    *_timestamps(),
    Index("ix_cluster_goals_cluster", "cluster_id", "id"),
)

# ... and every version of each, never changed once written.
cluster_goal_versions = Table(
    "cluster_goal_versions",
    metadata,
    Column("goal_id", String(36), ForeignKey("cluster_goals.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    *_goal_columns(),
    *_timestamps(),
)

# Who changed what and when (shared/platform/db/audit.py): one entry per committed event.
audit_trail = audit_table(metadata)
