"""The integrity section of a publication's audit: counts for everyone, names for the
ministry's audit report; from the assessments the quality service counts."""

from quality.service_layer import aggregation, publication_integrity
from quality.service_layer.exclusions import exclude

from shared.contracts.catalogue import assessment as ev
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_scoring_handlers import MINISTRY, PERIOD, state

SAME = {f"C{i}": 3 for i in range(6)}  # six competencies rated alike: straight-lined


async def submit(uow, n: int, *, employer: str, program: str = "p1", ratings=None) -> None:
    for i in range(n):
        one = {
            **state(assessment_id=f"{employer}-{program}-{i}", program_id=program),
            "employer_id": employer,
            "graduate_id": f"g-{employer}-{program}-{i}",
            "ratings": ratings or {f"C{c}": 1 + (i + c) % 5 for c in range(6)},
        }
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**one))


async def test_planted_patterns_are_counted_for_everyone_and_named_for_the_ministry():
    uow = FakeQualityUnitOfWork()
    await submit(uow, 8, employer="lazy", ratings=SAME)  # straight-lines all 8: and 8 of 12
    await submit(uow, 4, employer="honest")  # in p1: "lazy" dominates the program
    await submit(uow, 6, employer="other", program="p2")

    summary = await publication_integrity.summary(uow, PERIOD)
    assert summary["assessments_checked"] == 18
    assert summary["by_check"]["dominant_employer"] == 1
    assert summary["by_check"]["straight_lining"] == 1
    assert "lazy" not in repr(summary) and "p1" not in repr(summary)  # counts only
    assert summary["not_checked_here"] == ["burst", "self_confirmed"]

    flags = await publication_integrity.flags(uow, PERIOD)
    assert [p["program_id"] for p in flags["programs"]] == ["p1"]
    lazy = next(e for e in flags["employers"] if e["employer_id"] == "lazy")
    assert lazy["straight_lining"]["share"] == 1.0

    await exclude(uow, MINISTRY, assessment_id=None, employer_id="lazy", reason="straight-lined")
    after = await publication_integrity.summary(uow, PERIOD)
    assert after["assessments_checked"] == 10 and after["exclusions_in_force"] == 1
    assert "straight_lining" not in after["by_check"]
