"""A cohort's flow release on hand-made placements: nested clusters protected against each
other, what stays published, and the protection rule itself."""

from quality.domain.flow_release import protected, release
from quality.domain.flows import FLOWS, Flow, Placement
from quality.domain.suppression import DEFAULT_THRESHOLDS

WIDTH = DEFAULT_THRESHOLDS.protection_width


def employed(institution: str, per_flow: dict[Flow, int]) -> dict[str, Placement]:
    """Graduates of an institution, each at their own employer, so many in each flow."""
    placed = {}
    for flow, count in per_flow.items():
        for i in range(count):
            graduate = f"{institution}-{flow.value}-{i}"
            placed[graduate] = Placement(flow, frozenset({f"e-{graduate}"}), institution)
    return placed


def released(scopes):
    """The release where every scope tells employers apart alike (one kind of employer per
    flow, the same flow in every scope)."""
    employers = [dict.fromkeys(scopes, flow) for flow in FLOWS]
    made = release(
        scopes, employers=employers, thresholds=DEFAULT_THRESHOLDS, level=0.9, width=WIDTH
    )
    assert made.unprotected == 0
    return made.figures


def count(figures, scope: str, flow: Flow) -> int | None:
    figure = figures[scope][flow]
    return None if figure.value is None else round(figure.value * figure.n)


def test_a_nested_cluster_does_not_give_away_the_institution_between_them():
    big = employed("i1", dict.fromkeys(FLOWS, 10)) | employed("i2", dict.fromkeys(FLOWS, 10))
    small = employed("i3", {Flow.MEMBER_EMPLOYERS: 2, Flow.ELSEWHERE: 1})
    scopes = {"cluster:k1": big | small, "cluster:k2": big}

    figures = released(scopes)

    for flow in FLOWS:  # k1 − k2 would be i3's graduates in the flow
        assert (
            count(figures, "cluster:k1", flow) is None or count(figures, "cluster:k2", flow) is None
        ), flow
    hidden = {s: {f for f, fig in flows.items() if fig.suppressed} for s, flows in figures.items()}
    assert len(hidden["cluster:k1"]) >= 2 or len(hidden["cluster:k2"]) >= 2
    assert any(not fig.suppressed for flows in figures.values() for fig in flows.values())


def test_a_region_less_its_cluster_does_not_give_away_the_one_graduate_between_them():
    # The region's 41 less the cluster's 40 is one graduate of i2: which flow they are in must
    # stay open. (The release used to know the graduate's flow from the one atom i2 had, found
    # every such count exposed whatever it hid, and failed.)
    members = employed("i1", dict.fromkeys(FLOWS, 10))
    outside = employed("i2", {Flow.ELSEWHERE: 1})
    scopes = {"cluster:k": members, "region:R": members | outside}

    figures = released(scopes)

    known = [f for f in FLOWS if count(figures, "region:R", f) is not None]
    assert count(figures, "region:R", Flow.ELSEWHERE) is None
    assert len(known) <= 2  # the elsewhere flow and one more hidden: i2's one is either
    assert all(count(figures, "cluster:k", f) == 10 for f in FLOWS)  # the cluster: all shown


def test_scopes_that_share_no_graduates_are_published_as_computed_alone():
    one = employed("i1", dict.fromkeys(FLOWS, 10))
    other = employed("i2", dict.fromkeys(FLOWS, 12))

    figures = released({"cluster:a": one, "cluster:b": other})

    assert not any(fig.suppressed for flows in figures.values() for fig in flows.values())
    assert figures["cluster:b"][Flow.ELSEWHERE].value == 0.25


def test_a_count_is_protected_when_it_may_lie_the_width_of_its_whole_either_side():
    # 3 of 40: the width is 2 graduates each side (5 % of 40), as far as 0 and 40 allow.
    assert protected((1, 5), count=3, whole=40, width=0.05)
    assert not protected((2, 5), count=3, whole=40, width=0.05)
    assert not protected((1, 4), count=3, whole=40, width=0.05)
    assert protected((0, 2), count=1, whole=4, width=0.05)  # 0.2 each side: one graduate
    assert not protected((1, 1), count=1, whole=4, width=0.05)
    assert protected((40, 40), count=40, whole=40, width=0.05) is False  # nothing below
    assert protected((0, 0), count=0, whole=40, width=0.05) is False  # nothing above
