"""Which competencies an employer may mark "not required in this job": those of the framework
it rated null (issue 18). A refusal names the code's position in ``not_required``."""

import pytest
from assessment.domain.framework_rules import check_not_required
from assessment.domain.model import in_code_order

from shared.platform.errors import RuleViolation
from tests.unit.assessment.test_assessment_rules import FRAMEWORK

RATINGS = {"a.one": None, "a.two": 3, "b.one": None}


def test_competencies_rated_null_may_be_marked_not_required():
    check_not_required(["b.one", "a.one"], RATINGS, FRAMEWORK, path=("not_required",))
    check_not_required([], RATINGS, FRAMEWORK, path=("not_required",))


@pytest.mark.parametrize(
    ("codes", "index", "says"),
    [
        (["a.one", "c.x"], 1, "is not a competency of fw version 2"),
        (["a.two"], 0, "only with a null rating"),  # rated 3
        (["b.one", "a.one", "a.two"], 2, "only with a null rating"),
    ],
)
def test_a_code_outside_the_framework_or_not_rated_null_is_refused_at_its_position(
    codes, index, says
):
    with pytest.raises(RuleViolation) as refused:
        check_not_required(codes, RATINGS, FRAMEWORK, path=("items", 3, "not_required"))
    assert refused.value.loc == ["body", "items", 3, "not_required", index]
    assert says in str(refused.value)


def test_a_code_left_out_of_the_ratings_is_not_rated_null():
    with pytest.raises(RuleViolation) as refused:
        check_not_required(["a.one"], {"a.two": 3}, FRAMEWORK, path=("not_required",))
    assert refused.value.loc == ["body", "not_required", 0]


def test_the_same_codes_in_any_order_are_stored_alike():
    assert in_code_order(["b.one", "a.one", "b.one"]) == in_code_order(["a.one", "b.one"])
    assert in_code_order(["b.one", "a.one"]) == ["a.one", "b.one"]
