"""The assessment service's consumer groups: it keeps a projection of registry events, and
withdraws the assessments a rejected employment made eligible."""

from assessment.adapters.projection import REGISTRY_HANDLERS
from assessment.service_layer.employment_rejections import employment_state_changed
from assessment.service_layer.unit_of_work import assessment_uow
from shared.contracts.catalogue.registry import EmploymentStateChanged
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.messaging.envelope import CloudEvent, InvalidEvent
from shared.platform.messaging.inbox_apply import EventHandler
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import REGISTRY_TOPIC

_project_employment = REGISTRY_HANDLERS[EmploymentStateChanged.event_type]


async def _employment_state_changed(event: CloudEvent, uow: UnitOfWork) -> None:
    """The new state into the projection first (the withdrawals read it), then what a
    rejection withdraws, in the same transaction as the event's inbox row."""
    payload = event.payload()
    if not isinstance(payload, EmploymentStateChanged):
        raise InvalidEvent(f"{event.type}: not an EmploymentStateChanged")
    await _project_employment(event, uow)
    await employment_state_changed(assessment_uow(uow), payload)


HANDLERS: dict[str, EventHandler] = {
    **REGISTRY_HANDLERS,
    EmploymentStateChanged.event_type: _employment_state_changed,
}

CONSUMERS: tuple[ConsumerSpec, ...] = (
    ConsumerSpec(
        purpose="registry-projection",
        topics=(REGISTRY_TOPIC,),
        handlers=HANDLERS,
    ),
)
