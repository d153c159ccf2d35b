"""The assessment service's own tables: frameworks, requirements, assessments, and its
projection of registry events."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from shared.platform.db.audit import audit_table
from shared.platform.db.types import UtcDateTime

metadata = MetaData()

frameworks = Table(
    "frameworks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(80), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    UniqueConstraint("code", "version", name="uq_frameworks_code_version"),
)

# The registry's facts this service needs, kept from registry events (never read from the
# registry's database). Rows are full states: the latest event of an id wins.
projected_organizations = Table(
    "projected_organizations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("region_code", String(10), nullable=False),
    Column("active", Boolean, nullable=False),
)

projected_programs = Table(
    "projected_programs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("institution_id", String(36), nullable=False, index=True),
    Column("field_code", String(4), nullable=False),
    Column("level", String(2), nullable=False),
    Column("active", Boolean, nullable=False),
)

projected_graduates = Table(
    "projected_graduates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("institution_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("graduation_year", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
)

projected_employments = Table(
    "projected_employments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("graduate_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=False, index=True),
    Column("institution_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("in_field", Boolean, nullable=False),
    # Provenance (claimed, confirmed, verified, disputed, rejected): only some make eligible.
    Column("state", String(16), nullable=False, server_default="claimed"),
    # Who moved it to that state (institution, ministry, graduate, register): whether an
    # assessment rests on the scored institution's own word (the integrity checks). Null for
    # states projected before it was kept.
    Column("changed_by", String(16), nullable=True),
)

projected_clusters = Table(
    "projected_clusters",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("coordinator_id", String(36), nullable=False, index=True),
    Column("region_code", String(10), nullable=False),
    Column("status", String(20), nullable=False),
)

# One row per published version. ``owner_key`` ("employer:<id>" / "cluster:<id>") and
# ``target_key`` ("field:<code>" / "program:<id>") name the series a version belongs to; the
# unique constraint makes two concurrent publications of the same version collide.
requirements = Table(
    "requirements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("owner_key", String(50), nullable=False),
    Column("target_key", String(50), nullable=False),
    Column("version", Integer, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("employer_id", String(36), nullable=True, index=True),
    Column("cluster_id", String(36), nullable=True, index=True),
    Column("field_code", String(4), nullable=True),
    Column("program_id", String(36), nullable=True),
    Column("framework_id", String(36), nullable=False),
    Column("importance", JSON, nullable=False),
    Column("published_by", String(200), nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    UniqueConstraint("owner_key", "target_key", "version", name="uq_requirements_version"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("employer_id", String(36), nullable=False),
    Column("graduate_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # active | withdrawn
    Column("revision", Integer, nullable=False),
    Column("institution_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False, index=True),
    Column("framework_id", String(36), nullable=False),
    Column("ratings", JSON, nullable=False),
    # The codes rated null that the employer marked "not required in this job" (a JSON list).
    Column("not_required", JSON, nullable=False, server_default=text("'[]'")),
    Column("overall_satisfaction", Integer, nullable=False),
    Column("preparedness", Integer, nullable=False),
    Column("would_hire_again", Boolean, nullable=False),
    Column("comment", Text, nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # One active assessment per employer, graduate and period; withdrawn ones are history.
    Index(
        "uq_assessments_one_active",
        "employer_id",
        "graduate_id",
        "period",
        unique=True,
        sqlite_where=text("status = 'active'"),
        postgresql_where=text("status = 'active'"),
    ),
    Index("ix_assessments_employer_period", "employer_id", "period"),
)

# Every state an assessment has had, including the withdrawn one: the history employers see.
assessment_revisions = Table(
    "assessment_revisions",
    metadata,
    Column("assessment_id", String(36), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("action", String(10), nullable=False),  # submitted | revised | withdrawn
    Column("state", JSON, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

# Who changed what and when (shared/platform/db/audit.py): one entry per committed event.
audit_trail = audit_table(metadata)

# An organization's own request for reminders, in the role it asked as (employer: of pending
# assessments; institution: of claims awaiting its confirmation); the token, sent in each
# e-mail's unsubscribe link, is all an unsubscribe needs (no sign-in from a mail client).
reminder_subscriptions = Table(
    "reminder_subscriptions",
    metadata,
    Column("organization_id", String(36), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("language", String(2), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("unsubscribe_token", String(64), nullable=False, unique=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per subscription and period (an institution's: period 0): when its last reminder
# went out, and when to try next (a claim: only the replica whose conditional update moves
# next_attempt_at sends).
reminder_deliveries = Table(
    "reminder_deliveries",
    metadata,
    Column("organization_id", String(36), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("period", Integer, primary_key=True),
    Column("last_sent_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
)
