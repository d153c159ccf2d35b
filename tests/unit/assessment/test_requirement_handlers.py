"""Publishing and reading requirements through the in-memory unit of work."""

import pytest
from assessment.adapters.repositories import RequirementFilter
from assessment.domain.model import Cluster
from assessment.service_layer import requirements as handlers
from assessment.service_layer.commands import PublishRequirement

from shared.contracts.catalogue.assessment import RequirementPublished
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, NotKnownYet, RuleViolation
from tests.unit.assessment.conftest import (
    AS_EMPLOYER,
    AS_INSTITUTION,
    AS_OTHER_EMPLOYER,
    EMPLOYER,
    FRAMEWORK,
    INSTITUTION,
    MINISTRY,
    OPERATOR,
    PROGRAM,
)

CLUSTER = Cluster(id="cl-1", coordinator_id=INSTITUTION.id, region_code="UZ-TK", status="active")
EVERYTHING = RequirementFilter(include_superseded=True)


def stated(**changes) -> PublishRequirement:
    fields = {
        "employer_id": EMPLOYER.id,
        "field_code": "0613",
        "framework_id": FRAMEWORK.id,
        "importance": {"technical.professional_knowledge": 5, "collaborative.teamwork": 4},
        **changes,
    }
    return PublishRequirement(**fields)


async def published(uow, identity=AS_EMPLOYER, **changes):
    requirement = await handlers.publish(uow, identity, stated(**changes))
    await uow.commit()
    return requirement


async def test_each_publication_is_the_next_version_of_its_series_and_supersedes_the_last(uow):
    first = await published(uow)
    second = await published(uow, importance={"technical.professional_knowledge": 3})
    by_program = await published(uow, field_code=None, program_id=PROGRAM.id)

    assert [(r.version, r.current) for r in (first, second, by_program)] == [
        (1, True),
        (2, True),
        (1, True),
    ]
    assert (await uow.requirements.get(first.id)).current is False
    assert uow.published[1] == RequirementPublished(
        requirement_id=second.id,
        version=2,
        employer_id=EMPLOYER.id,
        cluster_id=None,
        field_code="0613",
        program_id=None,
        framework_id=FRAMEWORK.id,
        framework_version=1,
        importance={"technical.professional_knowledge": 3},
    )
    assert {e.partition_key() for e in uow.published} == {EMPLOYER.id}


async def test_only_the_employer_itself_states_its_requirements(uow):
    for who in (AS_OTHER_EMPLOYER, AS_INSTITUTION, MINISTRY):
        with pytest.raises(Forbidden):
            await handlers.publish(uow, who, stated())


async def test_a_cluster_s_requirements_are_stated_by_its_coordinator_only(uow):
    uow.facts.clusters[CLUSTER.id] = CLUSTER
    requirement = await published(uow, AS_INSTITUTION, employer_id=None, cluster_id=CLUSTER.id)
    assert requirement.owner_key == f"cluster:{CLUSTER.id}"
    assert uow.published[0].partition_key() == CLUSTER.id
    with pytest.raises(Forbidden):
        await handlers.publish(uow, AS_EMPLOYER, stated(employer_id=None, cluster_id=CLUSTER.id))


@pytest.mark.parametrize(
    ("changes", "field", "retry"),
    [
        ({"field_code": "0610"}, "field_code", False),
        ({"importance": {"made.up": 3}}, "made.up", False),
        ({"framework_id": "nope"}, "framework_id", False),
        ({"field_code": None, "program_id": "not-yet"}, "program_id", True),
        ({"employer_id": None, "cluster_id": "not-yet"}, "cluster_id", True),
    ],
)
async def test_an_invalid_requirement_is_refused_naming_the_field(uow, changes, field, retry):
    with pytest.raises(RuleViolation) as refused:
        await handlers.publish(uow, AS_EMPLOYER, stated(**changes))
    assert refused.value.field == field
    assert isinstance(refused.value, NotKnownYet) is retry
    assert uow.requirements.rows == {}


async def test_authorities_and_institutions_see_every_requirement_employers_their_own(uow):
    employer_s_cluster = Cluster(
        id="cl-2", coordinator_id=EMPLOYER.id, region_code="UZ-TK", status="active"
    )
    for cluster in (CLUSTER, employer_s_cluster):
        uow.facts.clusters[cluster.id] = cluster
    own = await published(uow)
    coordinated = await published(uow, employer_id=None, cluster_id=employer_s_cluster.id)
    another_s = await published(uow, AS_INSTITUTION, employer_id=None, cluster_id=CLUSTER.id)
    regional = Identity(sub="r", role="regional_authority", region="UZ-TK")

    async def visible(who: Identity) -> list[str]:
        page = await handlers.list_visible(uow, who, EVERYTHING, limit=10, cursor=None)
        return sorted(r.id for r in page.items)

    for who in (MINISTRY, regional, AS_INSTITUTION):
        assert await visible(who) == sorted([own.id, coordinated.id, another_s.id])
    assert await visible(AS_EMPLOYER) == sorted([own.id, coordinated.id])
    assert await visible(AS_OTHER_EMPLOYER) == []
    with pytest.raises(Forbidden):
        await visible(OPERATOR)

    assert await handlers.get_visible(uow, AS_INSTITUTION, own.id) == own
    assert await handlers.get_visible(uow, AS_EMPLOYER, coordinated.id) == coordinated
    for hidden in (own, another_s):
        with pytest.raises(Forbidden):
            await handlers.get_visible(uow, AS_OTHER_EMPLOYER, hidden.id)


async def test_superseded_versions_are_listed_only_on_request(uow):
    await published(uow)
    latest = await published(uow, importance={"collaborative.teamwork": 2})
    current = await handlers.list_visible(
        uow, MINISTRY, RequirementFilter(field_code="0613"), limit=10, cursor=None
    )
    assert [r.id for r in current.items] == [latest.id]
    every = await handlers.list_visible(uow, MINISTRY, EVERYTHING, limit=10, cursor=None)
    assert sorted(r.version for r in every.items) == [1, 2]
