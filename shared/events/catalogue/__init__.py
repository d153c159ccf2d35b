"""The event catalogue: importing this package declares every published event type."""

from shared.events.catalogue import assessment, quality, registry  # noqa: F401
