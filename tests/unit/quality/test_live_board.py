"""The live board: windows that move the figures by what changed store exactly what a
whole-period recomputation would, and read only the programs that changed."""

import random
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

import pytest
from quality.domain.cells import ScopeTally
from quality.domain.disclosure import secondary_suppress
from quality.domain.index import DEFAULT_METHODOLOGY
from quality.domain.ranking import Place
from quality.service_layer import aggregation, registry_events
from quality.service_layer.live_board import LiveBoards
from quality.service_layer.publisher import publish_changes
from quality.service_layer.scoreboard import compute_scoreboard

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from tests.unit.quality.fakes import FakeCells, FakeQualityUnitOfWork, FakeScores

PERIOD = 2024
TODAY = date(PERIOD, 6, 1)
INSTITUTIONS = {"i1": "UZ-SA", "i2": "UZ-SA", "i3": "UZ-TK"}
PROGRAMS = {"p1": "i1", "p2": "i1", "p3": "i2", "p4": "i2", "p5": "i3", "p6": "i3"}


class CountingCells(FakeCells):
    """Cells that remember which programs each read asked for (None: every program)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[set[str] | None] = []

    async def by_program(
        self, years: range, programs: Collection[str] | None = None
    ) -> dict[str, ScopeTally]:
        self.reads.append(None if programs is None else set(programs))
        return await super().by_program(years, programs)


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    uow = FakeQualityUnitOfWork()
    uow.cells = CountingCells()
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
    await registry_events.membership_changed(
        uow,
        registry.ClusterMemberJoined(
            cluster_id="k1", organization_id="i3", role="education", joined_on=date(2020, 1, 1)
        ),
    )
    return uow


async def organization(uow: FakeQualityUnitOfWork, organization_id: str, region: str) -> None:
    await registry_events.organization_changed(
        uow,
        registry.OrganizationRegistered(
            organization_id=organization_id,
            kind="education",
            subtype="university",
            name=organization_id,
            region_code=region,
            tax_id="123456789",
            active=True,
        ),
    )


async def program_of(
    uow: FakeQualityUnitOfWork,
    program_id: str,
    institution: str,
    *,
    field_code: str = "0613",
    level: str = "6",
) -> None:
    await registry_events.program_changed(
        uow,
        registry.ProgramRegistered(
            program_id=program_id,
            institution_id=institution,
            code=program_id.upper(),
            name=program_id,
            field_code=field_code,
            level=level,
            language="uz",
            active=True,
        ),
    )


def assessment(number: int, rng: random.Random, program: str | None = None) -> dict[str, Any]:
    program = program or rng.choice(sorted(PROGRAMS))
    return {
        "assessment_id": f"a{number}",
        "revision": 1,
        "employer_id": f"e{rng.randrange(12)}",
        "graduate_id": f"{program}-g{rng.randrange(30)}",
        "program_id": program,
        "institution_id": PROGRAMS[program],
        "field_code": "0613",
        "level": "6",
        "graduation_year": PERIOD - 1,
        "period": PERIOD,
        "framework_id": "f1",
        "framework_version": 1,
        "ratings": {"F1": rng.randint(1, 5), "T1": rng.choice([None, 2, 3, 4, 5])},
        "overall_satisfaction": rng.randint(1, 5),
        "preparedness": rng.randint(1, 5),
        "would_hire_again": rng.random() < 0.7,
    }


async def assert_live_figures_hold(uow: FakeQualityUnitOfWork, boards: LiveBoards) -> None:
    """What the windows stored is what the board holds; the board's families, inputs and
    primary cards are exactly a recomputation's; and every family is protected. (Which
    complements secondary suppression picks depends on the order it meets the families in,
    so the final cards of two exact computations may differ in their complements.)"""
    for pooled in (False, True):
        board = boards.board(PERIOD, pooled)
        assert board is not None
        fresh = await compute_scoreboard(
            uow, period=PERIOD, pooled=pooled, methodology=DEFAULT_METHODOLOGY, today=TODAY
        )
        assert board.families == fresh.families
        assert board.inputs == fresh.inputs
        assert board.primary == fresh.primary
        assert await uow.scores.cards(period=PERIOD, pooled=pooled) == board.stored
        assert board.stored == {key: card.to_json() for key, card in board.cards.items()}
        for parent, children in board.families.items():
            family = secondary_suppress(
                board.cards[parent], {str(c): board.cards[c] for c in children}
            )
            assert family.parent == board.cards[parent]
            assert all(family.children[str(c)] == board.cards[c] for c in children)


@pytest.mark.parametrize("seed", range(10))
async def test_windows_kept_by_differences_store_what_a_recomputation_gives(uow, seed):
    rng = random.Random(seed)
    boards = LiveBoards()
    number = 0
    for _ in range(8):  # windows, each after a burst of assessments on a few programs
        for _ in range(rng.randrange(1, 12)):
            number += 1
            await aggregation.apply_assessment(
                uow, ev.AssessmentSubmitted(**assessment(number, rng))
            )
        if rng.random() < 0.3 and number > 1:  # a withdrawal now and then
            gone = assessment(rng.randrange(1, number), random.Random(seed))
            await aggregation.apply_assessment(
                uow, ev.AssessmentWithdrawn(**{**gone, "revision": 2})
            )
        await publish_changes(lambda: uow, today=TODAY, boards=boards)
        await assert_live_figures_hold(uow, boards)


async def test_a_window_after_one_program_changed_reads_only_that_programs_cells(uow):
    rng = random.Random(1)
    boards = LiveBoards()
    for number in range(40):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    uow.cells.reads.clear()

    await aggregation.apply_assessment(
        uow, ev.AssessmentSubmitted(**assessment(100, rng, program="p5"))
    )
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    assert uow.cells.reads and all(read == {"p5"} for read in uow.cells.reads)
    await assert_live_figures_hold(uow, boards)


async def test_a_program_moving_to_another_institution_rebuilds_the_period(uow):
    rng = random.Random(2)
    boards = LiveBoards()
    for number in range(40):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    await program_of(uow, "p1", "i3")  # from i1 (UZ-SA) to i3 (UZ-TK)
    uow.cells.reads.clear()
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    assert None in uow.cells.reads  # the whole period was read again
    await assert_live_figures_hold(uow, boards)


async def test_cards_written_by_someone_else_make_the_next_window_start_afresh(uow):
    rng = random.Random(3)
    boards = LiveBoards()
    for number in range(30):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    # Another replica's window (or a rebuild) wrote this period meanwhile.
    key = next(k for k in uow.scores.rows if k[0] == "program")
    del uow.scores.rows[key]

    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(99, rng, "p2")))
    uow.cells.reads.clear()
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    assert None in uow.cells.reads
    await assert_live_figures_hold(uow, boards)


async def test_boards_are_rebuilt_once_the_reconciliation_interval_has_passed(uow):
    rng = random.Random(4)
    now = [0.0]
    boards = LiveBoards(reconcile_every_s=60, clock=lambda: now[0])
    for number in range(30):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    for minutes, whole_period in ((0.5, False), (1.5, True)):
        now[0] = minutes * 60
        await aggregation.apply_assessment(
            uow, ev.AssessmentSubmitted(**assessment(int(minutes * 1000), rng, "p3"))
        )
        uow.cells.reads.clear()
        await publish_changes(lambda: uow, today=TODAY, boards=boards)
        assert (None in uow.cells.reads) is whole_period


async def test_a_complement_no_longer_needed_is_published_again_in_the_next_window(uow):
    """i1 (in cluster k1 alone) and i2 make region UZ-SA. While i2 has too few assessments,
    i1 hides as its complement in the region, and with it k1 (k1 = i1). Once i2 has enough,
    nothing in i1's or k1's own figures moved, but both are published again."""
    rng = random.Random(5)
    boards = LiveBoards()
    for number in range(12):
        await aggregation.apply_assessment(
            uow, ev.AssessmentSubmitted(**distinct(assessment(number, rng, "p1"), number))
        )
    for number in range(100, 105):
        await aggregation.apply_assessment(
            uow, ev.AssessmentSubmitted(**distinct(assessment(number, rng, "p3"), number))
        )
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    assert satisfaction(await uow.scores.cards(period=PERIOD, pooled=False), "cluster", "k1")[
        "suppressed"
    ]

    for number in range(105, 112):
        await aggregation.apply_assessment(
            uow, ev.AssessmentSubmitted(**distinct(assessment(number, rng, "p3"), number))
        )
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    stored = await uow.scores.cards(period=PERIOD, pooled=False)
    assert not satisfaction(stored, "cluster", "k1")["suppressed"]
    fresh = await compute_scoreboard(
        uow, period=PERIOD, pooled=False, methodology=DEFAULT_METHODOLOGY, today=TODAY
    )
    assert stored == {key: card.to_json() for key, card in fresh.cards.items()}


def distinct(one: dict[str, Any], number: int) -> dict[str, Any]:
    """Each assessment by its own employer of its own graduate: no small-cell rule but n."""
    return {**one, "employer_id": f"e{number}", "graduate_id": f"{one['program_id']}-g{number}"}


def satisfaction(cards: dict[Any, Any], scope: str, scope_id: str) -> dict[str, Any]:
    return cards[(scope, scope_id)]["indicators"]["employer_satisfaction"]


class CountingScores(FakeScores):
    """Scores that remember which units each ranking stored (None: every unit of the scope)."""

    def __init__(self) -> None:
        super().__init__()
        self.ranked: list[tuple[str, set[str] | None]] = []

    async def save_ranks(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        ranks: Mapping[str, Place],
        units: Collection[str] | None = None,
    ) -> None:
        self.ranked.append((scope, None if units is None else set(units)))
        await super().save_ranks(scope, period=period, pooled=pooled, ranks=ranks, units=units)


async def test_a_window_ranks_again_only_the_comparable_groups_it_touched(uow):
    uow.scores = CountingScores()
    await program_of(uow, "p2", "i1", field_code="0913", level="7")  # p2 ranks in its own group
    rng = random.Random(6)
    for number in range(60):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    boards = LiveBoards()
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    assert ("program", None) in uow.scores.ranked  # the first window ranks every unit
    uow.scores.ranked.clear()

    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(99, rng, "p2")))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)

    # p2 is alone in its group; its institution, region, cluster and the nation moved too.
    assert ("program", {"p2"}) in uow.scores.ranked
    assert ("organization", {"i1", "i2", "i3"}) in uow.scores.ranked
    assert not any(scope == "program" and units != {"p2"} for scope, units in uow.scores.ranked)
    stored = await uow.scores.get(("program", "p2"), period=PERIOD, pooled=False)
    assert stored is not None
    full = LiveBoards()  # the same ranks as ranking every unit afresh
    uow.scores.ranked.clear()
    await uow.marks.mark(program_id="p2", period=PERIOD)
    before = dict(uow.scores.rows)
    await publish_changes(lambda: uow, today=TODAY, boards=full)
    assert uow.scores.rows == before


async def test_ranks_wait_for_their_interval_and_are_stored_without_further_marks(uow):
    uow.scores = CountingScores()
    rng = random.Random(7)
    for number in range(40):
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(number, rng)))
    now = [0.0]
    boards = LiveBoards(rank_every_s=30, clock=lambda: now[0])
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    uow.scores.ranked.clear()

    now[0] = 10.0
    await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**assessment(99, rng, "p4")))
    await publish_changes(lambda: uow, today=TODAY, boards=boards)
    assert uow.scores.ranked == []  # too soon after the last ranking

    now[0] = 31.0
    await publish_changes(lambda: uow, today=TODAY, boards=boards)  # no marks, ranks due
    assert any(scope == "program" and "p4" in (units or ()) for scope, units in uow.scores.ranked)
