"""The gateway's unit of work: its repositories, in one transaction per use case."""

from collections.abc import Callable

from gateway.adapters.repositories import (
    DeliveryRepository,
    QualityEventRepository,
    SubscriptionRepository,
)
from gateway.adapters.sql_repositories import (
    SqlDeliveryRepository,
    SqlQualityEventRepository,
    SqlSubscriptionRepository,
)
from shared.platform.messaging.unit_of_work import AbstractUnitOfWork, UnitOfWork, narrowed


class AbstractGatewayUnitOfWork(AbstractUnitOfWork):
    """What the gateway's use cases work on (the gateway publishes no events)."""

    subscriptions: SubscriptionRepository
    deliveries: DeliveryRepository
    quality_events: QualityEventRepository


class SqlGatewayUnitOfWork(UnitOfWork, AbstractGatewayUnitOfWork):
    def open_repositories(self) -> None:
        self.subscriptions = SqlSubscriptionRepository(self.session)
        self.deliveries = SqlDeliveryRepository(self.session)
        self.quality_events = SqlQualityEventRepository(self.session)


def gateway_uow(uow: AbstractUnitOfWork) -> AbstractGatewayUnitOfWork:
    """``uow`` as the gateway unit of work it is."""
    return narrowed(uow, AbstractGatewayUnitOfWork)


def gateway_units(factory: Callable[[], UnitOfWork]) -> Callable[[], AbstractGatewayUnitOfWork]:
    """The runtime's unit-of-work factory, typed as the gateway's."""
    return lambda: gateway_uow(factory())
