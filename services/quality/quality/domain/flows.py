"""Graduate flows: where a cohort's employed graduates work on its census date.

Each graduate employed on the census date (domain/outcomes.py: an employee job in a counting
state) is in one flow, the first that one of their jobs fits:

- member_employers: an organization that is a member of the cluster (for a region: of one of
  its active clusters) on the census date;
- focus_sectors: another employer in the region whose ISIC section is one of the cluster's
  sectors (for a region: of its active clusters');
- other_in_region: any other employer in the region;
- elsewhere: an employer outside the region (or not yet known to the service).

The flows partition the employed, so they are shares of one n and protected against each
other: a flow too small to publish is hidden, and another with it when the rest would give it
away (suppression.secondary_suppression). docs/methodology.md, "Graduate flows".
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from quality.domain.access import ensure_may_read_scores
from quality.domain.intervals import wilson_interval
from quality.domain.outcomes import HeldJob, Outcome, classify
from quality.domain.scorecard import SECONDARY_REASON, Figure
from quality.domain.suppression import (
    FigureKind,
    SuppressionThresholds,
    secondary_suppression,
    suppression_reason,
)
from shared.platform.auth import Identity
from shared.platform.errors import Forbidden

NO_EMPLOYED_REASON = "no employed graduates in scope"


class Flow(StrEnum):
    MEMBER_EMPLOYERS = "member_employers"
    FOCUS_SECTORS = "focus_sectors"
    OTHER_IN_REGION = "other_in_region"
    ELSEWHERE = "elsewhere"


FLOWS = tuple(Flow)  # in the order they decide a graduate's flow


@dataclass(frozen=True)
class CensusJob:
    """A job in a counting state held on the census date, with what is known of its employer."""

    graduate_id: str
    kind: str  # employee | self_employed | further_study
    employer_id: str | None
    employer_region: str | None
    employer_sector: str | None  # ISIC Rev.4 section of an employer organization
    institution_id: str  # the graduate's program's (what a release's atoms are made of)


@dataclass(frozen=True)
class Employer:
    """An organization a graduate may work at, as the service knows it (None: not known)."""

    id: str | None
    region: str | None
    sector: str | None  # ISIC Rev.4 section of an employer organization


UNKNOWN_EMPLOYER = Employer(None, None, None)  # one the service has not heard of yet


@dataclass(frozen=True)
class Destinations:
    """What the flows are told apart by: the region, its member organizations, its sectors."""

    region_code: str
    members: frozenset[str]
    sectors: frozenset[str]

    def flow_of(self, job: CensusJob) -> Flow:
        return self.flow_at(Employer(job.employer_id, job.employer_region, job.employer_sector))

    def flow_at(self, employer: Employer) -> Flow:
        if employer.id in self.members:
            return Flow.MEMBER_EMPLOYERS
        if employer.region != self.region_code:
            return Flow.ELSEWHERE
        if employer.sector in self.sectors:
            return Flow.FOCUS_SECTORS
        return Flow.OTHER_IN_REGION


@dataclass(frozen=True)
class FlowCell:
    graduates: frozenset[str]
    employers: frozenset[str]  # of the jobs that put its graduates there


@dataclass(frozen=True)
class Placement:
    """Where one employed graduate counts: a flow and the employers that put them there."""

    flow: Flow
    employers: frozenset[str]
    institution_id: str


def placements(jobs: Iterable[CensusJob], destinations: Destinations) -> dict[str, Placement]:
    """Each employed graduate in the first flow one of their employee jobs fits."""
    held: dict[str, list[CensusJob]] = defaultdict(list)
    for job in jobs:
        held[job.graduate_id].append(job)
    placed: dict[str, Placement] = {}
    for graduate, their in held.items():
        outcome = classify(
            (HeldJob(job.kind, None, False) for job in their),
            field_code="",
            not_employed_follow_up=False,
        )
        if outcome.category is not Outcome.EMPLOYED:
            continue  # self-employed or studying on: no employer to place them at
        flows = {job: destinations.flow_of(job) for job in their if job.kind == "employee"}
        flow = min(flows.values(), key=FLOWS.index)
        employers = frozenset(
            j.employer_id for j, f in flows.items() if f is flow and j.employer_id
        )
        placed[graduate] = Placement(flow, employers, their[0].institution_id)
    return placed


def cells_of(placed: Mapping[str, Placement]) -> dict[Flow, FlowCell]:
    """The flows' graduates and their employers."""
    graduates: dict[Flow, set[str]] = {flow: set() for flow in FLOWS}
    employers: dict[Flow, set[str]] = {flow: set() for flow in FLOWS}
    for graduate, placement in placed.items():
        graduates[placement.flow].add(graduate)
        employers[placement.flow] |= placement.employers
    return {
        flow: FlowCell(frozenset(graduates[flow]), frozenset(employers[flow])) for flow in FLOWS
    }


def flow_cells(jobs: Iterable[CensusJob], destinations: Destinations) -> dict[Flow, FlowCell]:
    """Each employed graduate in the first flow one of their employee jobs fits."""
    return cells_of(placements(jobs, destinations))


def flow_figures(
    cells: Mapping[Flow, FlowCell],
    *,
    thresholds: SuppressionThresholds,
    level: float,
    pending: str | None = None,
) -> dict[Flow, Figure]:
    """Each flow's share of the employed with its Wilson interval, or why it is hidden:
    ``pending`` (the census window is open), the employed too few, the flow's own small cell
    (distinct graduates, distinct employers; an empty flow reveals no one and is published),
    or the protection of another flow."""
    n = sum(len(cell.graduates) for cell in cells.values())
    every_employer = frozenset().union(*(cell.employers for cell in cells.values()))
    withheld = (
        pending
        or (NO_EMPLOYED_REASON if n == 0 else None)
        or small_flow(n=n, graduates=n, employers=len(every_employer), thresholds=thresholds)
    )
    if withheld is not None:
        return {flow: Figure.hidden(n=n, reason=withheld) for flow in cells}
    primary = {
        flow: reason
        for flow, cell in cells.items()
        if cell.graduates
        and (
            reason := small_flow(
                n=n,
                graduates=len(cell.graduates),
                employers=len(cell.employers),
                thresholds=thresholds,
            )
        )
    }
    protected = secondary_suppression(
        parent_published=True,
        children={flow: len(cell.graduates) for flow, cell in cells.items()},
        primary=primary,
    )
    # The shares add up to 1, so the employed are a published parent. Another flow can always
    # protect a hidden one: a lone non-empty flow is all the employed, which passed the rules.
    assert not protected.parent_suppressed
    figures = {}
    for flow, cell in cells.items():
        if flow in protected.suppressed:
            figures[flow] = Figure.hidden(n=n, reason=primary.get(flow, SECONDARY_REASON))
            continue
        low, high = wilson_interval(len(cell.graduates), n, level)
        figures[flow] = Figure(len(cell.graduates) / n, low, high, n, False, None)
    return figures


def small_flow(
    *, n: int, graduates: int, employers: int, thresholds: SuppressionThresholds
) -> str | None:
    return suppression_reason(
        kind=FigureKind.SHARE,
        n=n,
        employers=employers,
        graduates=graduates,
        thresholds=thresholds,
        counted="graduates",
    )


def ensure_may_read_region_flows(identity: Identity, *, region_code: str) -> None:
    """A region's graduate flows: the ministry and the region's own authority."""
    ensure_may_read_scores(identity)
    if not (
        identity.is_("ministry")
        or (identity.is_("regional_authority") and identity.region == region_code)
    ):
        raise Forbidden("only the ministry and the region's authority read its graduate flows")
