"""The assessment service's outgoing integration events: one mapping per event type, from the
service's state to the catalogue payload (shared/contracts/catalogue/assessment.py)."""

from typing import Any

from assessment.domain.model import Assessment, Framework, Graduate, Program, Requirement
from shared.contracts.catalogue.assessment import (
    AssessmentRevised,
    AssessmentSubmitted,
    AssessmentWithdrawn,
    FrameworkCompetency,
    FrameworkDomain,
    FrameworkPublished,
    RequirementPublished,
)


def framework_published(framework: Framework) -> FrameworkPublished:
    """framework.published: the version's structure, with English names."""
    content = framework.content
    return FrameworkPublished(
        framework_id=framework.id,
        code=framework.code,
        version=framework.version,
        scale_min=content["scale"]["min"],
        scale_max=content["scale"]["max"],
        domains=[
            FrameworkDomain(
                code=d["code"],
                name_en=d["name"]["en"],
                competencies=[
                    FrameworkCompetency(code=c["code"], name_en=c["name"]["en"])
                    for c in d["competencies"]
                ],
            )
            for d in content["domains"]
        ],
    )


def requirement_published(requirement: Requirement, framework: Framework) -> RequirementPublished:
    """requirement.published: one version of a series, with the framework version it uses."""
    return RequirementPublished(
        requirement_id=requirement.id,
        version=requirement.version,
        employer_id=requirement.employer_id,
        cluster_id=requirement.cluster_id,
        field_code=requirement.field_code,
        program_id=requirement.program_id,
        framework_id=framework.id,
        framework_version=framework.version,
        importance=requirement.importance,
    )


def _scoring_state(
    assessment: Assessment, *, graduate: Graduate, program: Program, framework: Framework
) -> dict[str, Any]:
    # Everything scoring needs and no free text: the comment stays in this service.
    return {
        "assessment_id": assessment.id,
        "revision": assessment.revision,
        "employer_id": assessment.employer_id,
        "graduate_id": assessment.graduate_id,
        "program_id": assessment.program_id,
        "institution_id": assessment.institution_id,
        "field_code": program.field_code,
        "level": program.level,
        "graduation_year": graduate.graduation_year,
        "period": assessment.period,
        "framework_id": assessment.framework_id,
        "framework_version": framework.version,
        "ratings": assessment.ratings,
        "not_required": assessment.not_required,
        "overall_satisfaction": assessment.overall_satisfaction,
        "preparedness": assessment.preparedness,
        "would_hire_again": assessment.would_hire_again,
    }


def assessment_submitted(
    assessment: Assessment, *, graduate: Graduate, program: Program, framework: Framework
) -> AssessmentSubmitted:
    """assessment.submitted: the first state of an assessment."""
    return AssessmentSubmitted(
        **_scoring_state(assessment, graduate=graduate, program=program, framework=framework)
    )


def assessment_revised(
    assessment: Assessment, *, graduate: Graduate, program: Program, framework: Framework
) -> AssessmentRevised:
    """assessment.revised: the new state, replacing the previous one."""
    return AssessmentRevised(
        **_scoring_state(assessment, graduate=graduate, program=program, framework=framework)
    )


def assessment_withdrawn(
    assessment: Assessment, *, graduate: Graduate, program: Program, framework: Framework
) -> AssessmentWithdrawn:
    """assessment.withdrawn: the state that no longer counts."""
    return AssessmentWithdrawn(
        **_scoring_state(assessment, graduate=graduate, program=program, framework=framework)
    )
