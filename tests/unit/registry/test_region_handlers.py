"""Regions: seeding an empty registry, and the ministry adding or renaming one."""

import pytest
from registry.service_layer import regions

from shared.contracts.catalogue import registry as ev
from shared.contracts.reference import Region
from shared.platform.errors import Forbidden, NotFound, RuleViolation
from tests.unit.registry.fakes import FakeRegistryUnitOfWork, RegistryState
from tests.unit.registry.world import MINISTRY, OPERATOR, World, as_authority

ALMATY = Region(code="KZ-75", country="KZ", name_uz="Almati", name_ru="Алматы", name_en="Almaty")


async def test_an_empty_registry_is_seeded_with_uzbekistans_regions_once():
    state = RegistryState()
    first = FakeRegistryUnitOfWork(state)
    assert await regions.seed_if_empty(lambda: first) == 14
    assert first.committed and len(first.published) == 14
    assert all(isinstance(e, ev.RegionUpserted) for e in first.published)
    again = FakeRegistryUnitOfWork(state)
    assert await regions.seed_if_empty(lambda: again) == 0
    assert again.published == []


async def test_the_ministry_adds_a_region_and_renaming_it_to_the_same_publishes_nothing():
    world = World()
    uow = world.uow()
    await regions.put(uow, MINISTRY, ALMATY)
    await regions.put(uow, MINISTRY, ALMATY)
    await uow.commit()
    [event] = uow.published
    assert event.partition_key() == "KZ-75"
    assert await regions.get(uow, MINISTRY, "KZ-75") == ALMATY
    assert [r.code for r in await regions.listed(uow, MINISTRY, country="KZ")] == ["KZ-75"]


async def test_only_the_ministry_adds_regions_and_a_code_must_fit_its_country():
    uow = World().uow()
    with pytest.raises(Forbidden):
        await regions.put(uow, as_authority("UZ-SA"), ALMATY)
    wrong = Region(code="UZ-99", country="KZ", name_uz="a", name_ru="b", name_en="c")
    with pytest.raises(RuleViolation) as refused:
        await regions.put(uow, MINISTRY, wrong)
    assert refused.value.field == "code"


async def test_an_unknown_region_is_not_found_and_operators_read_none():
    uow = World().uow()
    with pytest.raises(NotFound):
        await regions.get(uow, MINISTRY, "KZ-99")
    with pytest.raises(Forbidden):
        await regions.listed(uow, OPERATOR)
