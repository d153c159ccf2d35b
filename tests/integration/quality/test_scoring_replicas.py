"""Two quality replicas keep live figures in memory and take turns at the scoring window (one
at a time: the publisher's lock). Each notices when the other wrote since its own last window
and computes the period whole, so the stored cards stay exactly what the cells give — on the
real databases (SQLite, and PostgreSQL with its advisory lock)."""

import random
from datetime import date

import pytest
from quality.service_layer import aggregation, registry_events
from quality.service_layer.live_board import LiveBoards
from quality.service_layer.methodology import ensure_default
from quality.service_layer.publisher import publish_changes
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork, quality_uow

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from tests.unit.quality.test_live_board import (
    INSTITUTIONS,
    PROGRAMS,
    TODAY,
    assert_live_figures_hold,
    assessment,
    organization,
    program_of,
)


@pytest.fixture
async def uow_factory(make_database_url):
    url = await make_database_url("quality")
    await upgrade("quality", url)
    engine = create_engine(url)
    sessions = session_factory(engine)

    def make():
        return quality_uow(SqlQualityUnitOfWork(sessions, service="quality"))

    await ensure_default(make)
    async with make() as uow:
        for institution, region in INSTITUTIONS.items():
            await organization(uow, institution, region)
        for program, institution in PROGRAMS.items():
            await program_of(uow, program, institution)
        await registry_events.membership_changed(
            uow,
            registry.ClusterMemberJoined(
                cluster_id="k1", organization_id="i1", role="education", joined_on=date(2020, 1, 1)
            ),
        )
        await uow.commit()
    yield make
    await engine.dispose()


async def test_two_replicas_taking_turns_store_what_the_cells_give(uow_factory):
    rng = random.Random(9)
    replicas = [LiveBoards(), LiveBoards()]
    number = 0
    for turn in range(6):
        async with uow_factory() as uow:
            for _ in range(rng.randrange(3, 15)):
                number += 1
                await aggregation.apply_assessment(
                    uow, ev.AssessmentSubmitted(**assessment(number, rng))
                )
            await uow.commit()
        boards = replicas[turn % 2 if turn < 4 else 0]  # A, B, A, B, then A twice
        await publish_changes(uow_factory, today=TODAY, boards=boards)
        async with uow_factory() as uow:
            await assert_live_figures_hold(uow, boards)
