"""Employment outcomes counted by the database from the registry's employment states: only the
methodology's counting states count. The quality service alone (its migrated database, its
consumer's handlers; the HTTP check runs it on a broker), no registry or assessment service."""

from datetime import date

import pytest
from quality.adapters.tables import dirty_cells, q_employments
from quality.entrypoints.consumers import HANDLERS
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import select, text

from shared.contracts.catalogue import registry
from shared.contracts.catalogue.registry import COUNTING_EMPLOYMENT_STATES
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from shared.platform.messaging.envelope import new_event
from shared.platform.messaging.payloads import EventPayload
from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import MINISTRY

COHORT = 2023  # graduates of 2023: employed within 12 months when started by 30 June 2024


@pytest.fixture
async def sessions(make_database_url):
    url = await make_database_url("quality")
    await upgrade("quality", url)
    engine = create_engine(url)
    yield session_factory(engine)
    await engine.dispose()


async def deliver(sessions, payload: EventPayload) -> None:
    """The registry's event through the quality consumer's handler for its type."""
    event = new_event(payload, service="registry", subject=payload.subject())
    async with SqlQualityUnitOfWork(sessions, service="quality") as uow:
        await HANDLERS[event.type](event, uow)
        await uow.commit()


def graduate(graduate_id: str) -> registry.GraduateRegistered:
    return registry.GraduateRegistered(
        graduate_id=graduate_id,
        institution_id="i1",
        program_id="p1",
        graduation_year=COHORT,
        active=True,
    )


def employment(
    kind: type[registry._EmploymentState], graduate_id: str, state: str, **extra
) -> registry._EmploymentState:
    return kind(
        employment_id=f"em-{graduate_id}",
        graduate_id=graduate_id,
        institution_id="i1",
        program_id="p1",
        employer_id="e1",
        start_date=date(COHORT, 9, 1),
        end_date=None,
        isco_code="2512",
        in_field=True,
        state=state,
        **extra,
    )


def changed(graduate_id: str, state: str, previous: str) -> registry.EmploymentStateChanged:
    change = employment(
        registry.EmploymentStateChanged,
        graduate_id,
        state,
        previous_state=previous,
        changed_by="institution",
    )
    assert isinstance(change, registry.EmploymentStateChanged)
    return change


async def employed(sessions, counting=COUNTING_EMPLOYMENT_STATES) -> tuple[int, int, int]:
    async with SqlQualityUnitOfWork(sessions) as uow:
        outcomes = await uow.queries.cohort_outcomes(range(COHORT, COHORT + 1), counting=counting)
    counts = outcomes["p1"]
    return counts.graduates, counts.employed_12m, counts.employed_in_field


async def test_only_employments_in_the_counting_states_count_in_outcomes(sessions):
    for g in ("g1", "g2", "g3"):
        await deliver(sessions, graduate(g))
    await deliver(sessions, employment(registry.EmploymentRecorded, "g1", "claimed"))
    await deliver(sessions, employment(registry.EmploymentRecorded, "g2", "claimed"))
    await deliver(sessions, employment(registry.EmploymentRecorded, "g3", "verified"))

    # Two claims count for nothing; the register's verified employment counts.
    assert await employed(sessions) == (3, 1, 1)
    # Unless a methodology version says claims count too.
    assert await employed(sessions, counting=("claimed", "confirmed", "verified")) == (3, 3, 3)

    await deliver(sessions, changed("g1", "confirmed", previous="claimed"))
    assert await employed(sessions) == (3, 2, 2)

    await deliver(sessions, changed("g1", "rejected", previous="confirmed"))
    await deliver(sessions, changed("g2", "disputed", previous="claimed"))
    assert await employed(sessions) == (3, 1, 1)


async def test_the_consumer_projects_a_state_change_and_marks_the_cohort(sessions):
    await deliver(sessions, graduate("g1"))
    await deliver(sessions, employment(registry.EmploymentRecorded, "g1", "claimed"))
    async with sessions() as session:
        await session.execute(dirty_cells.delete())
        await session.commit()

    await deliver(sessions, changed("g1", "confirmed", previous="claimed"))

    async with sessions() as session:
        state = await session.scalar(select(q_employments.c.state))
        marks = (
            await session.execute(select(dirty_cells.c.program_id, dirty_cells.c.period))
        ).all()
    assert state == "confirmed"
    assert [tuple(m) for m in marks] == [("p1", COHORT)]


async def test_employments_projected_before_the_states_existed_become_claims(make_database_url):
    url = await make_database_url("quality")
    await upgrade("quality", url, "quality_0005")
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO q_employments (id, graduate_id, start_date, in_field)"
                    " VALUES ('em1', 'g1', '2023-09-01', true)"
                )
            )
        await upgrade("quality", url)
        async with engine.connect() as conn:
            assert await conn.scalar(select(q_employments.c.state)) == "claimed"
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_kind", ["sqlite"])
async def test_a_methodology_counting_rejected_employments_is_refused_naming_the_field(
    make_database_url, broker
):
    url = await make_database_url("quality")
    async with running_quality(url, broker.bootstrap_servers) as quality:
        path = "/api/v1/quality/methodology"
        for bad in (["confirmed", "rejected"], ["hired"], [], ["verified", "verified"]):
            refused = await quality.post(
                path, headers=MINISTRY, json={"counting_employment_states": bad}
            )
            assert refused.status_code == 422, (bad, refused.text)
            (error,) = refused.json()["errors"]
            assert error["loc"][:2] == ["body", "counting_employment_states"], (bad, error)

        published = await quality.post(
            path, headers=MINISTRY, json={"counting_employment_states": ["verified"]}
        )
        assert published.status_code == 201, published.text
        assert published.json()["counting_employment_states"] == ["verified"]
        current = await quality.get(path, headers=MINISTRY)
        assert current.json()["counting_employment_states"] == ["verified"]
