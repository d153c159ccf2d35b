"""Registering and changing organizations, on the fake unit of work."""

import pytest
from registry.domain.commands import RegisterOrganization
from registry.service_layer import organizations

from shared.contracts.catalogue import registry as ev
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.registry.world import MINISTRY, OPERATOR, World, as_authority, as_institution


def a_university(**fields: str) -> RegisterOrganization:
    values = {
        "kind": "education",
        "subtype": "university",
        "name": "Samarkand State University",
        "region_code": "UZ-SA",
        "tax_id": "201234567",
    }
    return RegisterOrganization(**(values | fields))


async def test_the_ministry_registers_an_organization_and_its_registration_is_published():
    world = World()
    uow = world.uow()
    organization = await organizations.register(uow, MINISTRY, a_university())
    await uow.commit()

    assert organization.active and organization.tax_id == "201234567"
    assert world.state.organizations[organization.id] == organization
    [event] = uow.published
    assert isinstance(event, ev.OrganizationRegistered)
    assert (event.organization_id, event.kind, event.region_code) == (
        organization.id,
        "education",
        "UZ-SA",
    )
    assert event.partition_key() == organization.id


async def test_a_second_organization_with_the_same_tax_id_is_a_conflict_on_tax_id():
    world = World()
    uow = world.uow()
    await organizations.register(uow, MINISTRY, a_university())
    with pytest.raises(Conflict) as refused:
        await organizations.register(uow, MINISTRY, a_university(name="Another one"))
    assert refused.value.loc == ["body", "tax_id"]
    assert len(world.state.organizations) == 1


async def test_a_regional_authority_registers_organizations_only_in_its_own_region():
    world = World()
    uow = world.uow()
    with pytest.raises(Forbidden):
        await organizations.register(uow, as_authority("UZ-TK"), a_university())
    registered = await organizations.register(uow, as_authority("UZ-SA"), a_university())
    assert registered.region_code == "UZ-SA"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"region_code": "UZ-XX"}, "region_code"),
        ({"tax_id": "123"}, "tax_id"),
        ({"subtype": "bakery"}, "subtype"),
        ({"kind": "employer", "subtype": "Z"}, "subtype"),
    ],
)
async def test_an_organization_that_breaks_a_rule_is_refused_naming_the_field(fields, field):
    uow = World().uow()
    with pytest.raises(RuleViolation) as refused:
        await organizations.register(uow, MINISTRY, a_university(**fields))
    assert refused.value.field == field
    await uow.commit()
    assert uow.published == []


async def test_an_update_that_changes_nothing_publishes_nothing():
    world = World()
    organization = await world.organization()
    uow = world.uow()
    same = await organizations.update(uow, MINISTRY, organization.id, {"name": organization.name})
    await uow.commit()
    assert same == organization
    assert uow.published == []


async def test_an_update_publishes_the_full_new_state_and_stamps_it():
    world = World()
    organization = await world.organization()
    uow = world.uow()
    changed = await organizations.update(uow, MINISTRY, organization.id, {"active": False})
    await uow.commit()
    assert not changed.active and changed.updated_at >= organization.updated_at
    assert world.state.organizations[organization.id] == changed
    [event] = uow.published
    assert isinstance(event, ev.OrganizationUpdated) and event.active is False


async def test_an_institution_edits_its_own_details_but_not_whether_it_is_active():
    world = World()
    institution = await world.organization()
    uow = world.uow()
    renamed = await organizations.update(
        uow, as_institution(institution), institution.id, {"name": "New name"}
    )
    assert renamed.name == "New name"
    with pytest.raises(Forbidden):
        await organizations.update(
            uow, as_institution(institution), institution.id, {"active": False}
        )


async def test_reading_an_unknown_organization_is_not_found_and_operators_read_nothing():
    world = World()
    await world.organization()
    uow = world.uow()
    with pytest.raises(NotFound):
        await organizations.get(uow, MINISTRY, "no-such-organization")
    with pytest.raises(Forbidden):
        await organizations.list_page(uow, OPERATOR, limit=10, cursor=None)
    page = await organizations.list_page(uow, MINISTRY, kind="education", limit=10, cursor=None)
    assert len(page.items) == 1 and page.next_cursor is None
