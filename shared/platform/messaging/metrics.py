"""Prometheus metrics of the messaging backbone, on the service's own registry."""

from prometheus_client import CollectorRegistry, Counter, Gauge


class MessagingMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.outbox_backlog = Gauge(
            "educluster_outbox_backlog",
            "Committed events not yet acknowledged by the broker",
            ["relay"],
            registry=registry,
        )
        self.outbox_oldest_age = Gauge(
            "educluster_outbox_oldest_age_seconds",
            "How long the oldest unpublished event has waited (0 with none waiting)",
            ["relay"],
            registry=registry,
        )
        self.published = Counter(
            "educluster_outbox_published",
            "Events the relay published and marked sent",
            ["relay"],
            registry=registry,
        )
        self.republished = Counter(
            "educluster_outbox_republished",
            "Retained events queued again after the broker lost its log",
            ["relay"],
            registry=registry,
        )
        self.consumed = Counter(
            "educluster_events_consumed",
            "Events handled by a consumer, by outcome",
            ["consumer", "outcome"],
            registry=registry,
        )
        self.consumer_lag = Gauge(
            "educluster_consumer_lag",
            "Records on a partition this group has not processed yet (its high watermark minus"
            " the group's next offset), for the partitions this process is assigned",
            ["group", "topic", "partition"],
            registry=registry,
        )
        self.transactions = Counter(
            "educluster_consumer_transactions",
            "Database transactions a consumer committed (a batch of events each)",
            ["consumer"],
            registry=registry,
        )
        # Readiness no longer requires these (a broker outage must not empty the Services):
        # they are what alerts watch instead.
        self.broker_reachable = Gauge(
            "educluster_broker_reachable",
            "1 while the broker answers the epoch watch, else 0",
            registry=registry,
        )
        self.consumers_down = Gauge(
            "educluster_consumers_down",
            "Consumers of this process that are not running",
            registry=registry,
        )
        self.dead_lettered = Counter(
            "educluster_events_dead_lettered",
            "Events sent to the dead-letter topic",
            ["consumer"],
            registry=registry,
        )
