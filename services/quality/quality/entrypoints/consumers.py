"""The quality service's consumer group: registry facts and assessment events, each type
handed to its use case (the rebuild replays the history through these same handlers)."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from quality.service_layer import aggregation, registry_events
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork, quality_uow
from shared.contracts.catalogue import assessment, registry
from shared.platform.messaging.consumer import ConsumerSpec
from shared.platform.messaging.envelope import CloudEvent, InvalidEvent
from shared.platform.messaging.inbox_apply import EventHandler
from shared.platform.messaging.payloads import EventPayload
from shared.platform.messaging.unit_of_work import UnitOfWork
from shared.platform.names import ASSESSMENT_TOPIC, REGISTRY_TOPIC

P = TypeVar("P", bound=EventPayload)
UseCase = Callable[[AbstractQualityUnitOfWork, P], Awaitable[None]]


def _on(kind: type[P], use_case: UseCase[P]) -> tuple[str, EventHandler]:
    """``kind``'s event type and a handler giving ``use_case`` the typed payload and the quality
    unit of work."""

    async def handle(event: CloudEvent, uow: UnitOfWork) -> None:
        payload = event.payload()
        if not isinstance(payload, kind):
            raise InvalidEvent(f"{event.type}: not a {kind.__name__}")
        await use_case(quality_uow(uow), payload)

    return kind.event_type, handle


HANDLERS: dict[str, EventHandler] = dict(
    [
        _on(registry.OrganizationRegistered, registry_events.organization_changed),
        _on(registry.OrganizationUpdated, registry_events.organization_changed),
        _on(registry.ClusterCreated, registry_events.cluster_changed),
        _on(registry.ClusterUpdated, registry_events.cluster_changed),
        _on(registry.ClusterMemberJoined, registry_events.membership_changed),
        _on(registry.ClusterMemberLeft, registry_events.membership_changed),
        _on(registry.ClusterActivityRecorded, registry_events.activity_changed),
        _on(registry.ClusterActivityUpdated, registry_events.activity_changed),
        _on(registry.ClusterGoalSet, registry_events.goal_set),
        _on(registry.ProgramRegistered, registry_events.program_changed),
        _on(registry.ProgramUpdated, registry_events.program_changed),
        _on(registry.GraduateRegistered, registry_events.graduate_changed),
        _on(registry.GraduateUpdated, registry_events.graduate_changed),
        _on(registry.EmploymentRecorded, registry_events.employment_changed),
        _on(registry.EmploymentEnded, registry_events.employment_changed),
        _on(registry.EmploymentStateChanged, registry_events.employment_changed),
        _on(assessment.FrameworkPublished, aggregation.apply_framework),
        _on(assessment.RequirementPublished, aggregation.apply_requirement),
        _on(assessment.AssessmentSubmitted, aggregation.apply_assessment),
        _on(assessment.AssessmentRevised, aggregation.apply_assessment),
        _on(assessment.AssessmentWithdrawn, aggregation.apply_assessment),
    ]
)

CONSUMERS: tuple[ConsumerSpec, ...] = (
    ConsumerSpec(purpose="scoring", topics=(REGISTRY_TOPIC, ASSESSMENT_TOPIC), handlers=HANDLERS),
)
