"""The event catalogue: importing this package declares every published event type."""

from shared.events.catalogue import assessment, registry  # noqa: F401
