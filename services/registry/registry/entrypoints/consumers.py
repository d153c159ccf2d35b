"""The registry's consumer groups: none. It is the source of registry events and consumes
no other service's (each service learns of registry state from the registry's topic)."""

from shared.platform.messaging.consumer import ConsumerSpec

CONSUMERS: tuple[ConsumerSpec, ...] = ()
