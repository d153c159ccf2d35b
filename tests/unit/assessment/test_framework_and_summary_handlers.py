"""Publishing frameworks, and the de-identified program summary, through the in-memory unit of
work."""

import pytest
from assessment.domain.summary import SummaryRules
from assessment.service_layer import assessments
from assessment.service_layer import frameworks as handlers
from assessment.service_layer.commands import PublishFramework
from assessment.service_layer.summaries import program_summary

from shared.contracts.catalogue.assessment import FrameworkPublished
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, NotFound, RuleViolation
from tests.unit.assessment.conftest import (
    AS_EMPLOYER,
    AS_INSTITUTION,
    FRAMEWORK,
    MINISTRY,
    OPERATOR,
    POLICY,
    PROGRAM,
    submission,
)
from tests.unit.assessment.fakes import FakeAssessmentUnitOfWork


def localized(text: str) -> dict[str, str]:
    return {"uz": text, "ru": text, "en": text}


def framework(*competencies: str) -> PublishFramework:
    return PublishFramework(
        code="regional-it",
        name=localized("Regional IT"),
        source={},
        domains=[
            {
                "code": "it",
                "name": localized("IT"),
                "competencies": [
                    {"code": c, "name": localized(c), "description": localized(c)}
                    for c in competencies
                ],
            }
        ],
    )


async def test_the_ministry_publishes_the_next_version_of_a_framework_code(uow):
    first = await handlers.publish_next_version(uow, MINISTRY, framework("it.coding"))
    second = await handlers.publish_next_version(
        uow, MINISTRY, framework("it.coding", "it.testing")
    )
    await uow.commit()
    assert (first.version, second.version) == (1, 2)
    assert second.content["scale"]["max"] == 5  # the default framework's scale
    assert uow.published[1] == FrameworkPublished(
        framework_id=second.id,
        code="regional-it",
        version=2,
        scale_min=1,
        scale_max=5,
        domains=[
            {
                "code": "it",
                "name_en": "IT",
                "competencies": [
                    {"code": "it.coding", "name_en": "it.coding"},
                    {"code": "it.testing", "name_en": "it.testing"},
                ],
            }
        ],
    )
    assert uow.published[1].partition_key() == second.id


async def test_only_the_ministry_publishes_frameworks(uow):
    for who in (AS_EMPLOYER, AS_INSTITUTION, Identity(sub="r", role="regional_authority")):
        with pytest.raises(Forbidden):
            await handlers.publish_next_version(uow, who, framework("it.coding"))
    assert await uow.frameworks.latest_version("regional-it") == 0


async def test_a_code_used_twice_in_a_framework_is_refused_naming_its_place(uow):
    with pytest.raises(RuleViolation) as refused:
        await handlers.publish_next_version(uow, MINISTRY, framework("it.coding", "it.coding"))
    assert refused.value.loc == ["body", "domains", 0, "competencies", 1, "code"]


async def test_the_default_framework_is_published_once():
    uow = FakeAssessmentUnitOfWork()
    for _ in range(2):
        await handlers.ensure_default(lambda: uow)
    assert uow.commits == 1
    assert [type(e) for e in uow.published] == [FrameworkPublished]
    listed = await handlers.list_frameworks(uow, AS_EMPLOYER, limit=10, cursor=None)
    assert [f.version for f in listed.items] == [1]


async def test_operators_have_no_access_to_frameworks(uow):
    with pytest.raises(Forbidden):
        await handlers.list_frameworks(uow, OPERATOR, limit=10, cursor=None)
    with pytest.raises(Forbidden):
        await handlers.get_framework(uow, OPERATOR, FRAMEWORK.id)
    with pytest.raises(NotFound):
        await handlers.get_framework(uow, MINISTRY, "nope")


async def summary(uow, who: Identity):
    rules = SummaryRules(min_assessments=3, min_employers=2)
    return await program_summary(
        uow, who, program_id=PROGRAM.id, period=submission().period, rules=rules
    )


async def test_one_employer_s_assessments_of_a_program_are_counted_but_never_shown(world):
    uow = world.uow
    for n in range(1, 6):
        if n > 1:
            world.graduate(f"grad-{n}")
        await assessments.submit(uow, AS_EMPLOYER, submission(f"grad-{n}"), policy=POLICY)
        shown = await summary(uow, AS_INSTITUTION)
        assert shown["n"] == n and shown["suppressed"] is True
    assert "employers" in shown["reason"]
    assert "overall_satisfaction" not in shown and "emp-1" not in str(shown)


async def test_a_program_summary_is_for_its_institution_region_and_the_ministry(uow):
    allowed = (
        MINISTRY,
        AS_INSTITUTION,
        Identity(sub="r", role="regional_authority", region="UZ-TK"),
    )
    for who in allowed:
        assert (await summary(uow, who))["n"] == 0
    refused = (
        AS_EMPLOYER,
        Identity(sub="d", role="institution", org="inst-2"),
        Identity(sub="r", role="regional_authority", region="UZ-SA"),
    )
    for who in refused:
        with pytest.raises(Forbidden):
            await summary(uow, who)
    with pytest.raises(NotFound):
        await program_summary(uow, MINISTRY, program_id="nope", period=2026, rules=SummaryRules())
