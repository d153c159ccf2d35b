"""The comparable groups units are ranked within (domain/ranking.py: comparable_group)."""

from quality.domain.model import ScopeKey
from quality.domain.ranking import comparable_group
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork


async def comparable_groups(uow: AbstractQualityUnitOfWork) -> dict[ScopeKey, str]:
    """Each program's group (level and broad field); other scopes rank all their units together,
    an institution or a cluster spanning many fields and levels."""
    kinds = await uow.projection.program_kinds()
    return {
        ("program", id_): comparable_group(kind.level, kind.field_code)
        for id_, kind in kinds.items()
    }
