"""The registry's pure rules and access scopes (domain/), tested directly."""

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial

import pytest
from registry.domain import access, rules
from registry.domain.model import Program

from shared.platform.auth import Identity
from shared.platform.errors import Forbidden, RuleViolation


def field_of(check, *args, **kwargs) -> str | int:
    with pytest.raises(RuleViolation) as refused:
        check(*args, **kwargs)
    return refused.value.field


def test_an_organizations_subtype_must_fit_its_kind():
    rules.check_subtype("education", "university")
    rules.check_subtype("employer", "J")
    assert field_of(rules.check_subtype, "education", "J") == "subtype"
    assert field_of(rules.check_subtype, "employer", "university") == "subtype"


@pytest.mark.parametrize(
    "tax_id", ["123456789", "20123456", "2012345678", "222222222", "2O1234567"]
)
def test_a_tax_id_is_nine_digits_starting_with_two_to_seven(tax_id):
    assert field_of(rules.check_tax_id, tax_id) == "tax_id"


def test_a_region_code_is_an_iso_code_of_its_own_country():
    rules.check_region_code("KZ-75", "KZ")
    assert field_of(rules.check_region_code, "UZ-99", "KZ") == "code"
    assert field_of(rules.check_region_code, "KZ75", "KZ") == "code"


def test_a_member_role_must_fit_the_organizations_kind_except_the_coordinator():
    rules.check_member_role("coordinator", "government")
    rules.check_member_role("private_partner", "private")
    assert field_of(rules.check_member_role, "employer", "education") == "role"


def test_sectors_are_isic_sections():
    rules.check_sectors(["A", "J"])
    assert field_of(rules.check_sectors, ["J", "Z"]) == "sectors"


def test_a_program_is_classified_by_isced_level_and_detailed_field():
    rules.check_program_classification(level="6", field_code="0613")
    rules.check_program_classification(level=None, field_code=None)
    assert field_of(rules.check_program_classification, level="9", field_code=None) == "level"
    assert (
        field_of(rules.check_program_classification, level=None, field_code="0600") == "field_code"
    )


def test_a_graduation_year_runs_from_1950_to_next_year():
    assert rules.graduation_year_problem(1950, this_year=2025) is None
    assert rules.graduation_year_problem(2026, this_year=2025) is None
    assert "between 1950 and 2026" in rules.graduation_year_problem(2027, this_year=2025)
    assert field_of(rules.check_graduation_year, 1949, this_year=2025) == "graduation_year"


def test_a_follow_up_has_both_parts_and_held_between_the_graduation_year_and_today():
    today = date(2026, 12, 5)
    check = partial(rules.check_follow_up, graduation_year=2024, today=today)
    check(None, None)
    check("employed", date(2024, 1, 1))
    check("not_employed", today)
    assert field_of(check, "employed", None) == "follow_up_on"
    assert field_of(check, None, today) == "follow_up_outcome"
    assert field_of(check, "employed", date(2023, 12, 31)) == "follow_up_on"
    assert field_of(check, "employed", date(2026, 12, 6)) == "follow_up_on"


def test_an_isco_code_is_an_isco_08_unit_group():
    rules.check_isco("2512")
    assert field_of(rules.check_isco, "9999") == "isco_code"


def test_an_end_may_not_come_before_the_start():
    rules.check_period(date(2024, 1, 1), None)
    rules.check_period(date(2024, 1, 1), date(2024, 1, 1))
    assert field_of(rules.check_period, date(2024, 1, 2), date(2024, 1, 1)) == "end_date"


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 6, 30), None), True),
        ((date(2024, 1, 1), date(2024, 6, 30)), (date(2024, 7, 1), None), False),
        ((date(2024, 1, 1), None), (date(2030, 1, 1), date(2030, 2, 1)), True),
        ((date(2024, 3, 1), date(2024, 4, 1)), (date(2024, 1, 1), date(2024, 2, 1)), False),
    ],
)
def test_periods_overlap_when_their_closed_ranges_meet(a, b, overlap):
    assert rules.periods_overlap(*a, *b) is overlap
    assert rules.periods_overlap(*b, *a) is overlap


def test_a_graduates_program_is_an_active_program_of_its_institution():
    at = datetime(2025, 1, 1, tzinfo=UTC)
    program = Program(
        id="p",
        institution_id="i",
        code="c",
        name="n",
        level="6",
        field_code="0613",
        language="uz",
        active=True,
        created_at=at,
        updated_at=at,
    )
    rules.check_program_fits(program, "i")
    assert field_of(rules.check_program_fits, program, "other") == "program_id"
    assert field_of(rules.check_program_fits, _inactive(program), "i") == "program_id"


def _inactive(program: Program) -> Program:
    return replace(program, active=False)


@pytest.mark.parametrize(
    ("identity", "scope"),
    [
        (Identity(sub="m", role="ministry"), access.ReadScope("everything")),
        (Identity(sub="i", role="institution", org="I"), access.ReadScope("institution", "I")),
        (Identity(sub="e", role="employer", org="E"), access.ReadScope("employer", "E")),
        (
            Identity(sub="r", role="regional_authority", region="UZ-SA"),
            access.ReadScope("region", "UZ-SA"),
        ),
        # A token without its org claim sees nothing, never everything.
        (Identity(sub="i", role="institution"), access.ReadScope("institution", "")),
    ],
)
def test_each_role_reads_people_data_within_its_own_scope(identity, scope):
    assert access.read_scope(identity, "graduates") == scope


def test_operators_and_unknown_roles_read_no_people_data():
    with pytest.raises(Forbidden):
        access.read_scope(Identity(sub="o", role="operator"), "graduates")
    with pytest.raises(Forbidden) as refused:
        access.read_scope(Identity(sub="x", role="auditor"), "employments")
    assert "no access to employments" in str(refused.value)


def test_an_institution_acts_only_for_itself_and_an_employer_only_for_itself():
    access.acts_for_institution(Identity(sub="i", role="institution", org="I"), "I")
    with pytest.raises(Forbidden):
        access.acts_for_institution(Identity(sub="i", role="institution", org="I"), "J")
    with pytest.raises(Forbidden):
        access.acts_for_employer(Identity(sub="i", role="institution", org="E"), "E")
