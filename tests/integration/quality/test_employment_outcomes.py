"""Employment outcomes counted by the database from the registry's employment states: only the
methodology's counting states count. The quality service alone (its migrated database, its
consumer's handlers; the HTTP check runs it on a broker), no registry or assessment service."""

from datetime import date, timedelta

import pytest
from quality.adapters.tables import dirty_cells, q_employments
from quality.domain.outcomes import OutcomeCounts
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

COHORT = 2023  # graduates of 2023: their census date is 30 June 2024


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


async def outcomes(sessions, counting=COUNTING_EMPLOYMENT_STATES) -> OutcomeCounts:
    async with SqlQualityUnitOfWork(sessions) as uow:
        found = await uow.queries.cohort_outcomes(range(COHORT, COHORT + 1), counting=counting)
    return found["p1"]


async def employed(sessions, counting=COUNTING_EMPLOYMENT_STATES) -> tuple[int, int, int]:
    """Graduates, those employed on the census date, those the employer marked in field."""
    counts = await outcomes(sessions, counting)
    return counts.graduates, counts.employed, counts.marked_in_field


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


def program(field_code: str) -> registry.ProgramRegistered:
    return registry.ProgramRegistered(
        program_id="p1",
        institution_id="i1",
        code="60610100",
        name="Software engineering",
        level="6",
        field_code=field_code,
        language="uz",
        active=True,
    )


def followed_up(graduate_id: str, outcome: str, on: date) -> registry.GraduateUpdated:
    return registry.GraduateUpdated(
        **graduate(graduate_id).model_dump(exclude={"follow_up_outcome", "follow_up_on"}),
        follow_up_outcome=outcome,
        follow_up_on=on,
    )


def job(graduate_id: str, suffix: str = "", **fields) -> registry.EmploymentRecorded:
    """A verified employment (a register's), with ``fields`` changed."""
    recorded = employment(registry.EmploymentRecorded, graduate_id, "verified")
    changes = {"employment_id": f"em-{graduate_id}{suffix}", **fields}
    return registry.EmploymentRecorded(**{**recorded.model_dump(), **changes})


CENSUS = date(COHORT + 1, 6, 30)


async def test_unknown_is_never_counted_as_not_employed_and_only_a_follow_up_says_not_employed(
    sessions,
):
    for g in ("g1", "g2", "g3", "g4", "g5"):
        await deliver(sessions, graduate(g))
    await deliver(sessions, job("g1"))
    await deliver(sessions, followed_up("g2", "not_employed", CENSUS))
    # The institution's word that its own graduate works is not evidence: still unknown.
    await deliver(sessions, followed_up("g3", "employed", CENSUS))
    # A follow-up more than three months from the census date says nothing about it.
    await deliver(sessions, followed_up("g4", "not_employed", date(COHORT, 12, 1)))

    counts = await outcomes(sessions)
    assert (counts.graduates, counts.employed, counts.not_employed, counts.known) == (5, 1, 1, 2)


async def test_deactivating_graduates_without_a_record_does_not_raise_the_employment_rate(
    sessions,
):
    # The case: 9 of 20 employed, 11 without any record.
    for i in range(20):
        await deliver(sessions, graduate(f"g{i}"))
    for i in range(9):
        await deliver(sessions, job(f"g{i}"))
    for i in range(9, 15):
        await deliver(sessions, followed_up(f"g{i}", "not_employed", CENSUS))
    before = await outcomes(sessions)
    for i in range(15, 20):  # the five with no record at all leave the register
        await deliver(sessions, graduate(f"g{i}").model_copy(update={"active": False}))
    after = await outcomes(sessions)

    assert (before.positive, before.known, before.graduates) == (9, 15, 20)
    assert (after.positive, after.known, after.graduates) == (9, 15, 15)


async def test_only_a_job_held_on_the_census_date_counts(sessions):
    for g in ("student", "ended", "later", "held"):
        await deliver(sessions, graduate(g))
    # A student job ending at graduation, one ending a day before the census, one starting
    # the day after it: none is held on the census date.
    await deliver(
        sessions, job("student", start_date=date(COHORT - 1, 9, 1), end_date=date(COHORT, 6, 30))
    )
    await deliver(sessions, job("ended", end_date=CENSUS - timedelta(days=1)))
    await deliver(sessions, job("later", start_date=CENSUS + timedelta(days=1)))
    await deliver(sessions, job("held", start_date=date(COHORT - 1, 9, 1), end_date=CENSUS))

    counts = await outcomes(sessions)
    assert (counts.graduates, counts.employed, counts.known) == (4, 1, 1)


async def test_self_employment_and_further_study_are_outcomes_of_their_own(sessions):
    for g in ("own", "study", "both"):
        await deliver(sessions, graduate(g))
    await deliver(sessions, job("own", kind="self_employed"))
    await deliver(sessions, job("study", kind="further_study"))
    # Working while studying counts as working (the first category that applies).
    await deliver(sessions, job("both", "-study", kind="further_study"))
    await deliver(sessions, job("both", "-work"))

    counts = await outcomes(sessions)
    assert (counts.employed, counts.self_employed, counts.further_study) == (1, 1, 1)
    assert (counts.working, counts.positive, counts.known) == (2, 3, 3)


async def test_graduate_level_and_in_field_come_from_the_occupation_not_the_tick_box(sessions):
    await deliver(sessions, program("0613"))  # software and applications development
    for g in ("developer", "cashier", "technician"):
        await deliver(sessions, graduate(g))
    await deliver(sessions, job("developer", isco_code="2512", in_field=False))
    await deliver(sessions, job("cashier", isco_code="5230", in_field=True))  # ticked in field
    await deliver(sessions, job("technician", isco_code="3512", in_field=True))

    counts = await outcomes(sessions)
    assert counts.working == 3
    assert counts.graduate_level == 2  # 2512 and 3512: major groups 2 and 3
    assert counts.in_field == 2  # ICT professionals and technicians for field 06
    assert counts.marked_in_field == 2  # the employers' own ticks, kept beside
