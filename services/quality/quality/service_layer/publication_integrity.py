"""The integrity section of a publication's audit: the shared integrity checks
(shared/contracts/integrity.py) over the assessments the quality service counts for the period.

Only the checks its data allows: one employer's share of a program, straight-lining,
single-institution employers and rater severity. Bursts (submission times) and self-confirmed
employments (who confirmed) are the assessment service's report alone. The publication's summary,
which everyone reads, carries counts only; which programs and employers are flagged is in the
ministry's audit report. Flags are shown, never applied: the ministry acts through exclusions.
"""

from dataclasses import asdict
from typing import Any

from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.contracts.integrity import (
    Assessed,
    IntegrityRules,
    dominant_employer,
    single_institution,
    straight_lining,
)
from shared.contracts.rater_severity import rater_severity

RULES = IntegrityRules()
NOT_CHECKED_HERE = ("burst", "self_confirmed")


async def _counted(uow: AbstractQualityUnitOfWork, period: int) -> list[Assessed]:
    return [
        Assessed(
            employer_id=c.state["employer_id"],
            graduate_id=c.state["graduate_id"],
            program_id=c.state["program_id"],
            institution_id=c.state["institution_id"],
            ratings=c.state["ratings"],
            overall_satisfaction=c.state["overall_satisfaction"],
        )
        async for c in uow.assessments.active_of_period(period)
    ]


def _grouped(rows: list[Assessed], key: str) -> dict[str, list[Assessed]]:
    groups: dict[str, list[Assessed]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


async def flags(uow: AbstractQualityUnitOfWork, period: int) -> dict[str, Any]:
    """The flagged programs and employers of the period, each with its checks' numbers."""
    rows = await _counted(uow, period)
    severity = rater_severity(rows, rules=RULES.severity)
    programs = []
    for program_id, of_program in sorted(_grouped(rows, "program_id").items()):
        check = dominant_employer(of_program, rules=RULES)
        if check.flagged:
            programs.append({"program_id": program_id, "dominant_employer": asdict(check)})
    employers = []
    for employer_id, of_employer in sorted(_grouped(rows, "employer_id").items()):
        checks: dict[str, Any] = {
            "straight_lining": straight_lining(of_employer, rules=RULES),
            "single_institution": single_institution(of_employer, rules=RULES),
            "severity": severity[employer_id],
        }
        raised = {name: asdict(check) for name, check in checks.items() if check.flagged}
        if raised:
            employers.append({"employer_id": employer_id, **raised})
    return {
        "assessments": len(rows),
        "programs": programs,
        "employers": employers,
        "not_checked_here": list(NOT_CHECKED_HERE),
    }


async def summary(uow: AbstractQualityUnitOfWork, period: int) -> dict[str, Any]:
    """The counts a publication's summary states (no program or employer named)."""
    found = await flags(uow, period)
    by_check: dict[str, int] = {}
    for flagged in (*found["programs"], *found["employers"]):
        for name in flagged.keys() - {"program_id", "employer_id"}:
            by_check[name] = by_check.get(name, 0) + 1
    return {
        "assessments_checked": found["assessments"],
        "programs_flagged": len(found["programs"]),
        "employers_flagged": len(found["employers"]),
        "by_check": dict(sorted(by_check.items())),
        "exclusions_in_force": len(await uow.exclusions.all()),
        "not_checked_here": found["not_checked_here"],
    }
