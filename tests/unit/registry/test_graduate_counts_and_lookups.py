"""Counting an institution's graduates per program and year on the fake unit of work (the
port's own count, by reading them), and the hourly quota of an employer's lookups."""

from datetime import UTC, datetime, timedelta

import pytest
from registry.service_layer import graduates
from registry.service_layer.graduate_lookup import seconds_until_one_more

from shared.platform.errors import Forbidden
from tests.unit.registry.world import (
    MINISTRY,
    OPERATOR,
    World,
    as_employer,
    as_institution,
)


async def test_counts_cover_only_the_graduates_the_caller_may_read():
    world = World()
    institution = await world.organization()
    bachelor = await world.program(institution)
    master = await world.program(institution, code="70610100")
    hired, *_ = [await world.graduate(bachelor, student_ref=f"B-{i}") for i in range(3)]
    await world.graduate(master, student_ref="M-1")
    employer = await world.employer()
    await world.employment(hired, employer, confirmed=True)

    async def counts(identity):
        found = await graduates.count_visible(world.uow(), identity, institution_id=institution.id)
        return sorted((c.program_id, c.graduation_year, c.count) for c in found)

    # Ids made in one millisecond have no order: compared sorted.
    everything = sorted([(bachelor.id, 2024, 3), (master.id, 2024, 1)])
    assert await counts(as_institution(institution)) == everything
    assert await counts(MINISTRY) == everything
    assert await counts(as_employer(employer)) == [(bachelor.id, 2024, 1)]
    assert await counts(as_institution(await world.organization())) == []
    with pytest.raises(Forbidden):
        await counts(OPERATOR)


AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return AT - timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("latest", "wait_s"),
    [
        ([], 0),
        ([ago(1), ago(2)], 0),  # under the quota
        ([ago(1), ago(2), ago(59.5)], 30),  # the oldest leaves the hour in 30 s
        ([ago(1), ago(2), ago(60)], 0),  # it just left
        ([ago(1), ago(2), ago(90)], 0),
    ],
)
def test_the_next_lookup_waits_until_the_oldest_of_the_quota_is_an_hour_old(latest, wait_s):
    assert seconds_until_one_more(latest, quota=3, at=AT) == wait_s
