"""Settings shared by every service.

Each service declares one ``ServiceSettings`` subclass with its own env prefix
(``EDUCLUSTER_<SERVICE>_``); Kafka settings are common to all services and read from
``EDUCLUSTER_KAFKA_*``. Settings are built in the app factory, never at import time.
"""

import os
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.platform.auth_settings import AuthSettings, OidcSettings


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_KAFKA_", extra="ignore")

    bootstrap_servers: str = "127.0.0.1:9092"
    partitions: int = Field(default=6, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    # The bundled broker's fetch long-poll does not return early: latency ~ this wait.
    fetch_max_wait_ms: int = Field(default=100, ge=1)
    max_poll_records: int = Field(default=200, ge=1)
    request_timeout_ms: int = Field(default=10_000, ge=1000)
    session_timeout_ms: int = Field(default=30_000, ge=1000)
    heartbeat_interval_ms: int = Field(default=3_000, ge=100)
    rebalance_timeout_ms: int = Field(default=60_000, ge=1000)
    send_timeout_s: float = Field(default=10.0, gt=0)
    epoch_check_interval_s: float = Field(default=3.0, gt=0)
    # Retention of the topics the platform creates: at least every service's outbox retention
    # (EDUCLUSTER_<SERVICE>_OUTBOX_RETENTION_DAYS, 30), so a restore can re-publish what is kept.
    topic_retention_days: int = Field(default=30, ge=1)
    # PLAINTEXT for the bundled broker and compose; SASL_SSL in Kubernetes: the TLS listener
    # with SCRAM-SHA-512, a KafkaUser (and its ACLs) per service (docs/deploy.md).
    security_protocol: Literal["PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["SCRAM-SHA-512"] = "SCRAM-SHA-512"
    sasl_username: str = ""
    sasl_password: str = ""
    # The cluster CA certificate the brokers' certificates chain to (Strimzi's
    # <cluster>-cluster-ca-cert Secret, mounted).
    ssl_cafile: str = ""

    @model_validator(mode="after")
    def _sasl_ssl_is_complete(self) -> Self:
        if self.security_protocol == "SASL_SSL":
            missing = [
                f"EDUCLUSTER_KAFKA_{name.upper()}"
                for name in ("sasl_username", "sasl_password", "ssl_cafile")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"security_protocol SASL_SSL needs {', '.join(missing)}")
        return self


class ServiceSettings(BaseSettings):
    """Base for one service's settings; subclasses set ``env_prefix`` and ``service_name``."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    database_url: str = ""
    log_level: str = Field(default_factory=lambda: os.environ.get("EDUCLUSTER_LOG_LEVEL", "INFO"))
    relay_enabled: bool = True
    relay_batch_size: int = Field(default=500, ge=1)
    relay_idle_poll_s: float = Field(default=0.05, gt=0)
    relay_max_backoff_s: float = Field(default=5.0, gt=0)
    outbox_retention_days: int = Field(default=30, ge=1)
    # Audit trail entries older than this are purged (registry, assessment, quality).
    audit_retention_days: int = Field(default=3650, ge=1)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_s: float = Field(default=0.2, ge=0)
    consumers_enabled: bool = True
    # A request's own work is bounded below the gateway's upstream timeout (30 s): it commits
    # and answers in time, or rolls back and answers 503 (never a commit after a 504).
    request_budget_s: float = Field(default=20.0, gt=0)
    # The longest wait for a database lock (SQLite busy timeout, PostgreSQL lock_timeout).
    db_lock_timeout_s: float = Field(default=5.0, gt=0)
    # PostgreSQL connections per process: pool plus overflow, times the pods at the autoscaler's
    # maximum, for every service, must fit max_connections (deploy/k8s/*/postgres.yaml).
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=5, ge=0)
    # PostgreSQL's CA certificate (the CloudNativePG <cluster>-ca Secret, mounted): connections
    # use TLS and verify the server's certificate and host name. Platform-wide, like the log level.
    db_ssl_root_cert: str = Field(
        default_factory=lambda: os.environ.get("EDUCLUSTER_DB_SSL_ROOT_CERT", "")
    )
    # A second port for /metrics and the detailed /readyz, which then leave the service's own
    # port (it keeps /healthz and a status-only /readyz); 0: everything on the service's port.
    # Platform-wide (EDUCLUSTER_OPS_PORT), like the log level.
    ops_port: int = Field(
        default_factory=lambda: os.environ.get("EDUCLUSTER_OPS_PORT", "0"),
        ge=0,
        le=65535,
        validate_default=True,
    )
    ops_host: str = "0.0.0.0"  # the pod's address, for Prometheus
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    oidc: OidcSettings = Field(default_factory=OidcSettings)

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///var/{self.service_name}.db"
