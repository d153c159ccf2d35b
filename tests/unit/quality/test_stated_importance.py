"""The importance employers state is shown as an average only over enough employers (issue 16):
fewer, and the average would be one employer's requirement under another name."""

from quality.domain.model import Requirement
from quality.service_layer.gaps import MIN_STATING_EMPLOYERS, competency_gaps, stated_importance

from tests.unit.quality.fakes import FakeQualityUnitOfWork

CLUSTER, PROGRAM = "k1", "p1"


def requirement(n: int, *, employer: str | None, importance: dict[str, int]) -> Requirement:
    return Requirement(
        id=f"r{n}",
        series=f"s{n}",
        version=1,
        employer_id=employer,
        cluster_id=None if employer else CLUSTER,
        field_code=None,
        program_id=PROGRAM,
        importance=importance,
    )


def mean(value: float) -> dict[str, dict[str, object]]:
    return {"mean": {"value": value, "suppressed": False, "n": 12, "ci_high": value + 0.3}}


async def test_an_importance_stated_by_fewer_than_three_employers_is_withheld_saying_why() -> None:
    uow = FakeQualityUnitOfWork()
    # "shared" is stated by three employers; "rare" by one employer twice, and the cluster.
    stated = [
        ("e1", {"shared": 5, "rare": 5}),
        ("e1", {"rare": 4}),
        ("e2", {"shared": 4}),
        ("e3", {"shared": 3}),
        (None, {"rare": 1}),
    ]
    for n, (employer, importance) in enumerate(stated):
        uow.requirements.rows[f"s{n}"] = requirement(n, employer=employer, importance=importance)
    importance = await stated_importance(
        uow, scope="program", scope_id=PROGRAM, years=range(2025, 2026)
    )
    gaps = competency_gaps({"competencies": {"shared": mean(4.5), "rare": mean(3.0)}}, importance)

    assert MIN_STATING_EMPLOYERS == 3
    assert gaps["competencies"]["shared"]["importance"] == 4.0
    assert gaps["competencies"]["shared"]["requirements"] == 3
    assert "rare" not in gaps["competencies"]
    assert gaps["withheld"] == {
        "rare": {"importance": None, "reason": "fewer than 3 employers stated it"}
    }
    assert gaps["not_analysed"] == ["rare"]
