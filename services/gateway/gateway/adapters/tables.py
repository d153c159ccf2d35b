"""The gateway service's own tables (its Alembic history builds them).

Quality events as consumed (the sequence of the event stream and the webhooks' source), the
webhook subscriptions, and one delivery per (subscription, event): the delivery log.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from shared.platform.db.types import UtcDateTime

metadata = MetaData()

# A 64-bit sequence on PostgreSQL; SQLite's rowid (declared AUTOINCREMENT below, so an id is
# never handed out twice, even after the newest rows were deleted).
_sequence = BigInteger().with_variant(Integer(), "sqlite")

quality_events = Table(
    "quality_events",
    metadata,
    # The event stream's id: assigned in commit order (see service_layer.quality_events).
    Column("id", _sequence, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),  # the CloudEvent id
    Column("type", String(200), nullable=False),
    # Null for methodology.published, which has no scope.
    Column("scope", String(20), nullable=True),
    Column("scope_id", String(64), nullable=True),
    # Known only for the region scope (the scope id is the region code); null otherwise.
    Column("region_code", String(10), nullable=True),
    Column("payload", JSON, nullable=False),  # the whole CloudEvent, as received
    Column("received_at", UtcDateTime, nullable=False, index=True),
    sqlite_autoincrement=True,
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("owner", String(200), nullable=False),  # the creator's ``sub``, for display
    Column("owner_role", String(40), nullable=False),
    # Identity.principal of the creator: who may see and manage it (gateway_0005)
    Column("owner_principal", String(64), nullable=False, index=True),
    Column("url", String(2048), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("scope", String(20), nullable=True),
    Column("region", String(10), nullable=True),
    Column("types", JSON, nullable=True),  # full CloudEvents types; null: every type
    # active | disabled (by the gateway, after persistent failure) | deactivated (by its owner)
    Column("status", String(20), nullable=False),
    Column("status_reason", String(500), nullable=True),
    Column("consecutive_failures", Integer, nullable=False),  # deliveries that failed for good
    Column("failing_since", UtcDateTime, nullable=True),  # first failure since the last success
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", _sequence, primary_key=True, autoincrement=True),
    Column("subscription_id", String(36), ForeignKey("subscriptions.id"), nullable=False),
    Column("quality_event_id", _sequence, ForeignKey("quality_events.id"), nullable=False),
    Column("status", String(20), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),  # null once finished
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", String(500), nullable=True),
    # One entry per attempt ({at, status_code, error, duration_ms}); at most max_attempts.
    Column("attempt_log", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    UniqueConstraint(
        "subscription_id", "quality_event_id", name="uq_deliveries_subscription_event"
    ),
    Index("ix_deliveries_due", "status", "next_attempt_at"),
    Index("ix_deliveries_subscription", "subscription_id", "id"),
    Index("ix_deliveries_quality_event", "quality_event_id"),
    sqlite_autoincrement=True,
)
