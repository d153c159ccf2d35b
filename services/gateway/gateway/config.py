"""Settings of the gateway service (environment prefix EDUCLUSTER_GATEWAY_)."""

import ipaddress
import json
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from shared.platform.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCLUSTER_GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    # Where each service listens; the route table (edge/routes.py) says which paths it owns.
    registry_url: str = "http://127.0.0.1:8001"
    assessment_url: str = "http://127.0.0.1:8002"
    quality_url: str = "http://127.0.0.1:8003"
    # A service that cannot be reached within this is answered with 503.
    connect_timeout_s: float = Field(default=2.0, gt=0)
    # Longest silence from a service (after the request was sent) before answering 504.
    read_timeout_s: float = Field(default=30.0, gt=0)
    # Open connections to all services together; more requests wait for a free one.
    upstream_connections: int = Field(default=256, ge=1)
    # Idle pooled connections are dropped before uvicorn's 5 s keep-alive closes them on the
    # other side, so a request never races a connection that is being closed under it.
    upstream_keepalive_s: float = Field(default=4.0, gt=0)

    # --- identity, access and limits (docs/gateway.md, docs/access.md) ---------------------
    # Anonymous reads of the published quality routes (anonymous in docs/access.md); the
    # quality service's own EDUCLUSTER_QUALITY_PUBLIC_SCORES should say the same.
    public_scores: bool = False
    # Per client (token principal, else address): a bucket of rate_limit_burst requests
    # refilled at rate_limit_per_s; 0 turns the limit off (only for a bench that drives one
    # client at thousands of requests a second: it says so explicitly).
    rate_limit_per_s: float = Field(default=20.0, ge=0)
    rate_limit_burst: int = Field(default=40, ge=1)
    # Proxies (addresses or CIDRs, comma-separated or a JSON list) whose X-Forwarded-For is
    # believed: behind them an anonymous client is the right-most address they did not add.
    # Empty: the peer's address, whatever the header says. Production: the ingress's pods.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # Request bodies above this are refused with 413 (CSV imports are the large ones).
    max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    # Origins whose pages may call the API (comma-separated or a JSON list; "*" for any);
    # empty: no CORS headers at all.
    cors_origins: Annotated[list[str], NoDecode] = []
    # Verified tokens kept (until their exp) so a client's next requests skip verification.
    token_cache_size: int = Field(default=10_000, ge=0)

    # --- quality events: server-sent events and webhooks (docs/gateway.md) ------------------
    # A comment line on an idle event stream this often keeps proxies from closing it.
    sse_heartbeat_s: float = Field(default=15.0, gt=0)
    # How often the gateway looks for newly stored events while streams are open (one query
    # per process, not per stream).
    sse_poll_s: float = Field(default=0.5, gt=0)
    # Open event streams at once per caller (token principal) and per client address (behind
    # trusted_proxies, the forwarded one); beyond either, 429.
    sse_max_streams_per_principal: int = Field(default=5, ge=1)
    sse_max_streams_per_address: int = Field(default=50, ge=1)
    # Stored quality events (and finished deliveries of them) are kept this long; a stream
    # can resume, and the delivery log reaches back, this far.
    quality_events_retention_days: int = Field(default=30, ge=1)
    # How often the delivery loop looks for deliveries that are due, and how many it sends
    # at once.
    webhook_poll_s: float = Field(default=0.5, gt=0)
    webhook_concurrency: int = Field(default=16, ge=1)
    # Attempts at once to one target (scheme, host and port), so a slow receiver holds only
    # its own deliveries (per gateway process).
    webhook_concurrency_per_target: int = Field(default=2, ge=1)
    # A target's circuit opens after this many failed attempts in a row (no answer, 5xx or
    # 429): its deliveries wait, pending, for the cool-down (doubling after each failed trial,
    # at most the cap), then one trial attempt decides whether it closes.
    webhook_circuit_failures: int = Field(default=5, ge=1)
    webhook_circuit_cooldown_s: float = Field(default=30.0, gt=0)
    webhook_circuit_cooldown_cap_s: float = Field(default=900.0, gt=0)
    # Whole request to a receiver (connect, send, answer) must finish within this.
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    # Attempts per delivery; between them base * 2^(attempt-1) seconds, at most the cap, of
    # which a random quarter is taken off (jitter, so failed receivers are not hit in step).
    webhook_max_attempts: int = Field(default=12, ge=1)
    webhook_backoff_base_s: float = Field(default=10.0, gt=0)
    webhook_backoff_cap_s: float = Field(default=3600.0, gt=0)
    # A subscription is disabled after this many deliveries in a row failed every attempt, or
    # once it has failed without a success in between for this long.
    webhook_disable_after_failures: int = Field(default=5, ge=1)
    webhook_disable_after_s: float = Field(default=3 * 24 * 3600.0, gt=0)
    # Receivers on loopback, private or link-local addresses are refused unless allowed (the
    # gateway sits next to the services and their databases; a webhook must not reach them).
    webhook_allow_private_targets: bool = False
    # Active subscriptions one owner (token principal) may hold; beyond, 409.
    max_subscriptions_per_owner: int = Field(default=20, ge=1)

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for proxy in value:
            ipaddress.ip_network(proxy, strict=False)  # ValueError names the bad entry
        return value

    def service_urls(self) -> dict[str, str]:
        return {
            "registry": self.registry_url,
            "assessment": self.assessment_url,
            "quality": self.quality_url,
        }
