"""Identifiers: time-ordered UUIDs (version 7 layout), so ids sort roughly by creation."""

import os
import time
import uuid


def new_id() -> str:
    """A UUIDv7-style id: 48-bit Unix milliseconds, then 74 random bits."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))
