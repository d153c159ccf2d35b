"""The assessment service's own tables: frameworks, and its projection of registry events."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from shared.db.types import UtcDateTime

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
)
