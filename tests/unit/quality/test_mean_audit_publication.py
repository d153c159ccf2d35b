"""A publication audits competency means like shares: a hidden year's mean is not its pool less
the year published before (on the in-memory unit of work)."""

from typing import Any

import pytest
from quality.service_layer import aggregation
from quality.service_layer.publication_audit import audit_report

from shared.contracts.catalogue import assessment as ev
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_publications import interim
from tests.unit.quality.test_scoring_handlers import PERIOD, institution_i1, program_of_i1, state

COMPETENCY = "C9"


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    uow = FakeQualityUnitOfWork()
    await institution_i1(uow)
    await program_of_i1(uow, "p1")
    return uow


async def rated(uow, year: int, ratings: list[int | None], *, program: str = "p1") -> None:
    """One assessment of ``program`` per entry, each from its own employer, rating COMPETENCY
    so."""
    for i, rating in enumerate(ratings):
        one: dict[str, Any] = state(assessment_id=f"{program}-{year}-{i}", program_id=program)
        one |= {
            "employer_id": f"e-{program}-{year}-{i}",
            "graduate_id": f"g-{program}-{year}-{i}",
            "period": year,
            "ratings": {"F1": 4, COMPETENCY: rating},
        }
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**one))


def mean(cards, *, pooled: bool) -> dict[str, Any]:
    return cards[(("program", "p1"), pooled)]["competencies"][COMPETENCY]["mean"]


async def release(uow, period: int):
    return await interim(uow, period)


async def test_a_hidden_years_competency_mean_is_not_its_pool_less_the_year_before(uow):
    # Last year: 12 ratings of C9 summing 48 (mean 4.00), published. This year: 8 ratings
    # summing 20 (mean 2.50, too few: hidden). The pool, 20 ratings at 3.40, would give this
    # year's sum as 68 − 48 = 20 exactly: the audit must not let it out.
    last = PERIOD - 1
    await rated(uow, last, [3] * 6 + [5] * 6)
    before = await release(uow, last)
    assert mean(await uow.publications.cards(before.number), pooled=False)["value"] == 4.0
    await rated(uow, PERIOD, [2] * 4 + [3] * 4 + [None] * 2)

    made = await release(uow, PERIOD)

    cards = await uow.publications.cards(made.number)
    assert mean(cards, pooled=False)["suppressed"] and mean(cards, pooled=False)["n"] == 8
    assert mean(cards, pooled=True)["suppressed"], "the pool would give the year away"
    summary = made.summary["audit"]["indicators"][f"competency:{COMPETENCY}:mean"]
    assert summary["complements"] + summary["withheld_by_fallback"] >= 1
    assert summary["unprotected"] == 0
    report = await audit_report(uow, made.number)
    assert report["protected"] is True
    (year,) = [
        f
        for f in report["figures"]
        if (f["indicator"], f["figure"]) == (f"competency:{COMPETENCY}:mean", "program:p1:year")
    ]
    low, high = year["share_range"]
    width = report["mean_protection_width"]
    assert low <= 2.5 - width + 1e-9 and high >= 2.5 + width - 1e-9


async def assessed(uow, program: str, ratings: list[int | None]) -> None:
    """One assessment of ``program`` this year per entry, each from its own employer."""
    await program_of_i1(uow, program)
    await rated(uow, PERIOD, ratings, program=program)


def competency(cards, program: str | None) -> dict[str, Any]:
    """C9 in a year's card: of ``program``, or of the institution."""
    scope = ("program", program) if program else ("organization", "i1")
    return cards[(scope, False)]["competencies"][COMPETENCY]


async def test_a_parents_ratings_less_a_siblings_do_not_pin_two_hidden_means():
    # p1 and p2 each have 6 ratings of C9, all 4 (too few: hidden); p3 has 10 threes and 10
    # fives (mean 4.00, 50 % satisfied). The institution less p3 is twelve ratings summing 48,
    # all satisfied (4 or 5): all twelve are 4s, both hidden means 4.00 exactly, though by the
    # means alone each lies anywhere in 3..5. Its counts per rating would say the same
    # outright: publications state no distribution (the ministry's live view does).
    uow = FakeQualityUnitOfWork()
    await institution_i1(uow)
    await assessed(uow, "p1", [4] * 6 + [None] * 4)
    await assessed(uow, "p2", [4] * 6 + [None] * 4)
    await assessed(uow, "p3", [3] * 10 + [5] * 10)

    made = await release(uow, PERIOD)

    cards = await uow.publications.cards(made.number)
    assert competency(cards, "p1")["mean"]["suppressed"]
    parent, p3 = competency(cards, None), competency(cards, "p3")
    assert all(
        item["distribution"] is None
        for card in cards.values()
        for item in card["competencies"].values()
    )
    shown = [f for c in (parent, p3) for f in (c["mean"], c["satisfied"]) if not f["suppressed"]]
    assert len(shown) < 4, "the institution less p3 would give p1 and p2 away"
    report = await audit_report(uow, made.number)
    (p1,) = [
        f
        for f in report["figures"]
        if (f["indicator"], f["figure"]) == (f"competency:{COMPETENCY}:mean", "program:p1:year")
    ]
    assert p1["protected"] and p1["share_range"][1] - p1["share_range"][0] >= 0.8


async def test_a_share_satisfied_stated_as_a_bound_is_not_its_parents_less_a_siblings():
    # p1: twelve ratings of C9, eleven 5s and a 4: all satisfied, so its share satisfied is
    # stated as a bound only (81 % to 100 %). p2: 24 ratings, half satisfied (50 %). The
    # institution's 67 % of 36 is 24 satisfied; less p2's 12 leaves p1's 12 of 12: exactly the
    # 100 % the bound withholds. (Their means are hidden already: no mean where the share is.)
    uow = FakeQualityUnitOfWork()
    await institution_i1(uow)
    await assessed(uow, "p1", [5] * 11 + [4])
    await assessed(uow, "p2", [2, 3] * 6 + [4, 5] * 6)

    made = await release(uow, PERIOD)

    cards = await uow.publications.cards(made.number)
    p1, p2, parent = (competency(cards, program) for program in ("p1", "p2", None))
    assert p1["satisfied"]["value"] is None and p1["mean"]["value"] is None
    assert p2["satisfied"]["suppressed"] or parent["satisfied"]["suppressed"], (
        "the institution less p2 would give p1's 100 % away"
    )
    summary = made.summary["audit"]["indicators"][f"competency:{COMPETENCY}:mean"]
    assert summary["complements"] >= 1 and summary["unprotected"] == 0
    report = await audit_report(uow, made.number)
    assert report["protected"] is True
