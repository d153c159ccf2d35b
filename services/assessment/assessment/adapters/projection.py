"""The assessment service's projection of registry events: the latest state of each id.

Events of one institution arrive in order (they share a Kafka key), and the inbox around every
handler makes a redelivered event a no-op, so a plain upsert is exact.
"""

from assessment.adapters.tables import (
    projected_clusters,
    projected_employments,
    projected_graduates,
    projected_organizations,
    projected_programs,
)
from shared.contracts.catalogue import registry as ev
from shared.contracts.registry_projection import (
    cluster_row,
    employment_row,
    graduate_row,
    organization_row,
    program_row,
    projector,
)
from shared.platform.messaging.inbox_apply import EventHandler

PROJECTIONS = (
    (
        projected_organizations,
        organization_row,
        (ev.OrganizationRegistered, ev.OrganizationUpdated),
    ),
    (projected_clusters, cluster_row, (ev.ClusterCreated, ev.ClusterUpdated)),
    (projected_programs, program_row, (ev.ProgramRegistered, ev.ProgramUpdated)),
    (projected_graduates, graduate_row, (ev.GraduateRegistered, ev.GraduateUpdated)),
    (
        projected_employments,
        employment_row,
        (ev.EmploymentRecorded, ev.EmploymentEnded, ev.EmploymentStateChanged),
    ),
)

REGISTRY_HANDLERS: dict[str, EventHandler] = {
    event.event_type: projector(table, to_row)
    for table, to_row, events in PROJECTIONS
    for event in events
}
