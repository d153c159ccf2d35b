"""Webhook signatures: HMAC-SHA256 over the timestamp and the body (the Stripe scheme).

``EduCluster-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>``. The
timestamp is signed with the body, so a receiver that refuses old timestamps also refuses a
captured request replayed later. docs/gateway.md shows a receiver's check.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "EduCluster-Signature"


def signature(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for ``body`` signed with ``secret`` at ``timestamp`` (default: now)."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, tolerance_s: int = 300) -> bool:
    """A receiver's check: a ``v1`` signature matches and the timestamp is recent enough."""
    parts = [item.partition("=") for item in header.split(",")]
    fields: dict[str, list[str]] = {}
    for key, _, value in parts:
        fields.setdefault(key.strip(), []).append(value.strip())
    try:
        t = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - t) > tolerance_s:
        return False
    expected = signature(secret, body, timestamp=t).partition(",v1=")[2]
    return any(hmac.compare_digest(expected, candidate) for candidate in fields.get("v1", []))
