"""The assessment service's consumer groups: it keeps a projection of registry events."""

from assessment.adapters.projection import REGISTRY_HANDLERS
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.names import REGISTRY_TOPIC

CONSUMERS: tuple[ConsumerSpec, ...] = (
    ConsumerSpec(
        purpose="registry-projection",
        topics=(REGISTRY_TOPIC,),
        handlers=REGISTRY_HANDLERS,
    ),
)
