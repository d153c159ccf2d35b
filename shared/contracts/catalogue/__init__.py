"""The event catalogue: importing this package declares every published event type."""

from shared.contracts.catalogue import assessment, quality, registry  # noqa: F401
