"""The quality service's own tables (its Alembic history builds them).

Three groups: the projection of registry and assessment events the scores need; the running
aggregates (one tally per program and period, updated in constant time per event); and what
was published (scores, methodology versions, alerts).
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from shared.platform.db.audit import audit_table
from shared.platform.db.types import UtcDateTime

metadata = MetaData()

# --- projection of registry events ------------------------------------------------------------
q_organizations = Table(
    "q_organizations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(300), nullable=True),  # as registered (open data)
    Column("kind", String(20), nullable=False),
    # An employer's ISIC Rev.4 section; other kinds' subtypes are not sectors (graduate flows).
    Column("subtype", String(40), nullable=True),
    Column("region_code", String(10), nullable=False, index=True),
    Column("active", Boolean, nullable=False),
)

q_clusters = Table(
    "q_clusters",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(300), nullable=True),
    Column("region_code", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("sectors", JSON, nullable=True),  # the region's focus: ISIC Rev.4 sections
)

q_memberships = Table(
    "q_memberships",
    metadata,
    Column("cluster_id", String(36), nullable=False),
    Column("organization_id", String(36), nullable=False, index=True),
    Column("joined_on", Date, nullable=False),
    Column("left_on", Date, nullable=True),
    PrimaryKeyConstraint("cluster_id", "organization_id", "joined_on"),
)

q_programs = Table(
    "q_programs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(300), nullable=True),
    Column("institution_id", String(36), nullable=False, index=True),
    Column("field_code", String(4), nullable=False),
    Column("level", String(2), nullable=False),
    Column("active", Boolean, nullable=False),
)

q_graduates = Table(
    "q_graduates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("program_id", String(36), nullable=False, index=True),
    Column("graduation_year", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    # The institution's latest follow-up of the graduate (only not_employed counts).
    Column("follow_up_outcome", String(16), nullable=True),
    Column("follow_up_on", Date, nullable=True),
)

q_employments = Table(
    "q_employments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("graduate_id", String(36), nullable=False, index=True),
    Column("employer_id", String(36), nullable=True),  # where the graduate works (flows)
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("in_field", Boolean, nullable=False),
    # The registry's provenance state (EmploymentStatus); the methodology says which count.
    Column("state", String(16), nullable=False, server_default="claimed"),
    Column("kind", String(16), nullable=False, server_default="employee"),  # EmploymentKind
    Column("isco_code", String(4), nullable=True),  # ISCO-08 unit group
)

# The clusters' activities (latest state) and every version of their strategy goals.
q_cluster_activities = Table(
    "q_cluster_activities",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("cluster_id", String(36), nullable=False, index=True),
    Column("kind", String(24), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=True),
    Column("member_ids", JSON, nullable=False),
    Column("outcome", JSON, nullable=False),  # the event's outcome (ids only, no names)
)

q_cluster_goals = Table(
    "q_cluster_goals",
    metadata,
    Column("goal_id", String(36), nullable=False),
    Column("version", Integer, nullable=False),
    Column("cluster_id", String(36), nullable=False, index=True),
    Column("measure", String(16), nullable=False),
    Column("code", String(64), nullable=False),
    Column("field_code", String(4), nullable=True),
    Column("level", String(2), nullable=True),
    Column("comparator", String(16), nullable=False),
    Column("target", String(40), nullable=False),  # decimal text, exact
    Column("by_year", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    PrimaryKeyConstraint("goal_id", "version"),
)

# A cohort's graduate flows of every cluster and region, released together and kept.
q_flow_releases = Table(
    "q_flow_releases",
    metadata,
    Column("cohort", Integer, primary_key=True, autoincrement=False),
    Column("document", JSON, nullable=False),
)

# --- projection of assessment events ----------------------------------------------------------
q_frameworks = Table(
    "q_frameworks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("domains", JSON, nullable=False),  # competency code -> domain code
)

q_requirements = Table(
    "q_requirements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("series", String(120), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("employer_id", String(36), nullable=True),
    Column("cluster_id", String(36), nullable=True),
    Column("field_code", String(4), nullable=True),
    Column("program_id", String(36), nullable=True),
    Column("importance", JSON, nullable=False),
)

# The last state of every assessment seen, so a revision or withdrawal subtracts exactly what
# was added before.
assessment_states = Table(
    "assessment_states",
    metadata,
    Column("assessment_id", String(36), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("state", JSON, nullable=False),
)

# --- running aggregates -----------------------------------------------------------------------
cells = Table(
    "cells",
    metadata,
    Column("program_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("tally", JSON, nullable=False),
    PrimaryKeyConstraint("program_id", "period"),
)

# Programs and periods whose figures may have changed since scores were last computed.
dirty_cells = Table(
    "dirty_cells",
    metadata,
    Column("program_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("generation", Integer, nullable=False),
    PrimaryKeyConstraint("program_id", "period"),
)

# --- what is published ------------------------------------------------------------------------
methodologies = Table(
    "methodologies",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("content", JSON, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
)

scores = Table(
    "scores",
    metadata,
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("pooled", Boolean, nullable=False),  # the 3-year pool ending at ``period``
    Column("methodology_version", Integer, nullable=False),
    Column("card", JSON, nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
    # Its rank among the scope's units of that period (None: not ranked), stored at publication.
    Column("rank", Integer, nullable=True),
    Column("rank_low", Integer, nullable=True),
    Column("rank_high", Integer, nullable=True),
    PrimaryKeyConstraint("scope", "scope_id", "period", "pooled"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("raised_at", UtcDateTime, nullable=False),
)

# --- publications (docs/publication.md) -------------------------------------------------------
# Each cell as the publications state it: it moves only when a batch of changes large enough to
# protect each of them is released (domain/publication.py).
released_cells = Table(
    "released_cells",
    metadata,
    Column("program_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("tally", JSON, nullable=False),
    PrimaryKeyConstraint("program_id", "period"),
)

# The assessments changed (submitted, revised, withdrawn) in a cell since it was last released.
unreleased_changes = Table(
    "unreleased_changes",
    metadata,
    Column("program_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("assessment_id", String(36), nullable=False),
    Column("employer_id", String(36), nullable=False),
    PrimaryKeyConstraint("program_id", "period", "assessment_id"),
)

publications = Table(
    "publications",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("period", Integer, nullable=False, index=True),
    Column("kind", String(10), nullable=False),  # official | interim
    Column("status", String(10), nullable=False),  # draft | published
    Column("methodology_version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("review_until", UtcDateTime, nullable=True),
    Column("published_at", UtcDateTime, nullable=True),
    Column("restates", Integer, nullable=True),
    Column("reason", String(2000), nullable=True),
    Column("summary", JSON, nullable=False),
)

# Every scorecard of a publication (the year and its pool), with its rank; never updated.
publication_figures = Table(
    "publication_figures",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("pooled", Boolean, nullable=False),
    Column("methodology_version", Integer, nullable=False),
    Column("card", JSON, nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
    Column("rank", Integer, nullable=True),
    Column("rank_low", Integer, nullable=True),
    Column("rank_high", Integer, nullable=True),
    PrimaryKeyConstraint("publication", "scope", "scope_id", "pooled"),
)

# Each cluster's comparison with comparable non-members, as a publication states it.
publication_comparisons = Table(
    "publication_comparisons",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("cluster_id", String(36), nullable=False),
    Column("pooled", Boolean, nullable=False),
    Column("content", JSON, nullable=False),
    PrimaryKeyConstraint("publication", "cluster_id", "pooled"),
)

# Each region's and cluster's graduate flows of the cohort whose census year a publication is
# about, as it states them (computed by the first one after the census window closed, carried
# by the later ones).
publication_flows = Table(
    "publication_flows",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(36), nullable=False),
    Column("content", JSON, nullable=False),
    PrimaryKeyConstraint("publication", "scope", "scope_id"),
)

# Each cluster's activity intensity of a publication's year, protected together (quality_0016).
publication_intensity = Table(
    "publication_intensity",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("cluster_id", String(36), nullable=False),
    Column("content", JSON, nullable=False),
    PrimaryKeyConstraint("publication", "cluster_id"),
)

# The cells a publication releases (their new state and the changes it takes in), applied to
# released_cells when it is published.
publication_cells = Table(
    "publication_cells",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("period", Integer, nullable=False),
    Column("tally", JSON, nullable=False),
    Column("changes", JSON, nullable=False),  # assessment ids
    PrimaryKeyConstraint("publication", "program_id", "period"),
)

# Which programs each of a publication's scopes summed (its families, year and pool), so the
# audit ties its figures to their batches even after programs move or memberships change.
publication_structures = Table(
    "publication_structures",
    metadata,
    Column("publication", Integer, nullable=False),
    Column("pooled", Boolean, nullable=False),
    Column("families", JSON, nullable=False),  # model.families_to_json
    PrimaryKeyConstraint("publication", "pooled"),
)

# An institution's query on one of its draft figures, and the ministry's answer.
publication_queries = Table(
    "publication_queries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("publication", Integer, nullable=False, index=True),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(36), nullable=False),
    Column("pooled", Boolean, nullable=False),
    Column("indicator", String(60), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("raised_by", String(36), nullable=False),  # the institution
    Column("raised_at", UtcDateTime, nullable=False),
    Column("answer", String(2000), nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
)

# Assessments, or all of an employer's, the ministry took out of the figures (with why).
exclusions = Table(
    "exclusions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("assessment_id", String(36), nullable=True, index=True),
    Column("employer_id", String(36), nullable=True, index=True),
    Column("reason", String(500), nullable=False),
    Column("excluded_by", String(255), nullable=False),
    Column("excluded_at", UtcDateTime(), nullable=False),
)

# Who changed what and when (shared/platform/db/audit.py): one entry per committed event.
audit_trail = audit_table(metadata)
