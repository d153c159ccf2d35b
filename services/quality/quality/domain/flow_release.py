"""A cohort's flow release: every cluster's and region's graduate flows, protected together.

Flows of overlapping scopes give each other away: a region's flows minus its cluster's are the
flows of the region's other institutions, a cluster's minus a nested cluster's those of the
institutions between them. So a release computes every scope's flows at once, hides small
flows and protects each scope's flows against each other (domain/flows.py), and then audits
them all together (domain/audit.py, counts only). Its atoms are an institution's employed
graduates with one *signature*: the flow each scope holding the institution puts them in. An
attacker knows which institutions each scope holds and the employers the service knows of (their
region, sector and memberships), not who works where; so every signature some graduate of the
institution could have is an atom — one employer's flows scope by scope, or, for a graduate with
several jobs, the first flow of any of them in each scope — whether anyone has it or not.
Every published total and flow fixes the sum of its atoms; what is checked is each flow hidden by
a rule and each institution's flow too small to publish under any scope's definition (an
institution is what scopes differ by). A checked count is protected when everything published
still allows it to lie the methodology's protection width (a share of its whole: the scope's or
the institution's employed) below and above its true value, where the count leaves room; where
it does not, the smallest published flow that shares its atoms (or, failing that, one of a scope
that does) is hidden too, each scope's flows are protected again, and the audit repeats. A count
still exposed when nothing touching it is left to hide is reported (``unprotected``).

Published counts are taken as exact (shares are published rounded, with n).
docs/methodology.md, "Graduate flows".
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from quality.domain.audit import Hidden, Interval, Published, Solutions, audit
from quality.domain.flows import (
    FLOWS,
    UNKNOWN_EMPLOYER,
    Destinations,
    Employer,
    Flow,
    Placement,
    cells_of,
    flow_figures,
    small_flow,
)
from quality.domain.scorecard import SECONDARY_REASON, Figure
from quality.domain.suppression import SuppressionThresholds, secondary_suppression

Scope = str  # "cluster:<id>" or "region:<code>"
Signature = tuple[Flow, ...]  # a graduate's flow in each scope holding their institution
EmployerFlows = Mapping[Scope, Flow]  # where one kind of employer puts a graduate, scope by scope
_SLACK = 1e-9


@dataclass(frozen=True)
class Released:
    """Each scope's flows as released, how many counts the audit checked, and how many stayed
    exposed (hidden everything touching them: earlier rules or the totals alone pin them)."""

    figures: dict[Scope, dict[Flow, Figure]]
    checked: int
    unprotected: int


@dataclass(frozen=True)
class CheckedCount:
    """A count the release must not disclose: its atoms, true count and whole."""

    atoms: frozenset[str]
    count: int
    whole: int


def protected(count_range: Interval, *, count: int, whole: int, width: float) -> bool:
    """Whether a count that may lie anywhere in ``count_range`` keeps ``width`` of its whole on
    each side of its true value (as far as 0 and the whole leave room)."""
    below, above = min(width * whole, count), min(width * whole, whole - count)
    low, high = count_range
    return count - low >= below - _SLACK and high - count >= above - _SLACK


def exposed_counts(
    published: Mapping[str, Published],
    checked: Mapping[str, CheckedCount],
    *,
    width: float,
    solutions: Solutions,
) -> list[CheckedCount]:
    """The ``checked`` counts that what is ``published`` pins down closer than ``width`` of
    their whole (the audit of counts only)."""
    findings = audit(
        published,
        {name: Hidden(c.atoms, n=c.count, k=0) for name, c in checked.items()},
        protection=width,
        solutions=solutions,
        with_shares=False,
    )
    return [
        checked[f.figure]
        for f in findings
        if not protected(
            f.n_range, count=checked[f.figure].count, whole=checked[f.figure].whole, width=width
        )
    ]


def employer_flows(
    destinations: Mapping[Scope, Destinations], employers: Iterable[Employer]
) -> list[dict[Scope, Flow]]:
    """Where each kind of employer puts a graduate under every scope: employers alike in
    region, sector and the scopes they are members of are one kind; members the service knows
    nothing else of, and an employer it has not heard of yet, are kinds too."""
    member_of: dict[str, set[Scope]] = defaultdict(set)
    for scope, destination in destinations.items():
        for member in destination.members:
            member_of[member].add(scope)
    known = list(employers)
    ids = {employer.id for employer in known}
    strangers = [Employer(m, None, None) for m in sorted(member_of) if m not in ids]
    kinds: dict[tuple[str | None, str | None, frozenset[Scope]], Employer] = {}
    for employer in [*known, *strangers, UNKNOWN_EMPLOYER]:
        scopes = frozenset(member_of.get(employer.id or "", ()))
        kinds.setdefault((employer.region, employer.sector, scopes), employer)
    return [
        {scope: destination.flow_at(employer) for scope, destination in destinations.items()}
        for employer in kinds.values()
    ]


def release(
    scopes: Mapping[Scope, Mapping[str, Placement]],
    *,
    employers: Collection[EmployerFlows],
    thresholds: SuppressionThresholds,
    level: float,
    width: float,
) -> Released:
    """Each scope's flows (graduate → placement under that scope's destinations) as they may be
    released together; ``employers``: where each kind of employer puts a graduate, scope by
    scope (employer_flows)."""
    figures = {
        scope: flow_figures(cells_of(placed), thresholds=thresholds, level=level)
        for scope, placed in scopes.items()
    }
    atoms = _Atoms(scopes, employers)
    checked = _checked(scopes, figures, atoms, thresholds)
    solutions = Solutions()
    while True:  # each round hides at least one more flow, or stops
        exposed = exposed_counts(
            atoms.published(scopes, figures), checked, width=width, solutions=solutions
        )
        touched: set[str] = set()  # atoms of scopes this round changed: audit again first
        for exposure in exposed:
            if not exposure.atoms & touched:
                scope = _hide_complement(exposure, figures, atoms)
                touched |= atoms.of_scope[scope] if scope is not None else set()
        if not touched:
            return Released(figures, checked=len(checked), unprotected=len(exposed))


class _Atoms:
    """Every atom of a release: each institution's signatures, with the graduates in them."""

    def __init__(
        self, scopes: Mapping[Scope, Mapping[str, Placement]], employers: Collection[EmployerFlows]
    ) -> None:
        held: dict[str, set[Scope]] = defaultdict(set)  # institution → the scopes holding it
        employed: dict[str, set[str]] = defaultdict(set)  # institution → its employed graduates
        for scope, placed in scopes.items():
            for graduate, placement in placed.items():
                held[placement.institution_id].add(scope)
                employed[placement.institution_id].add(graduate)
        self.counts: dict[str, int] = defaultdict(int)
        self.of_scope: dict[Scope, set[str]] = defaultdict(set)
        self.of_flow: dict[tuple[Scope, Flow], set[str]] = defaultdict(set)
        self.of_institution: dict[tuple[Scope, str, Flow], set[str]] = defaultdict(set)
        possible: dict[tuple[Scope, ...], set[Signature]] = {}
        for institution, holding in sorted(held.items()):
            order = tuple(sorted(holding))
            if order not in possible:
                possible[order] = _closure({tuple(e[s] for s in order) for e in employers})
            seen = [tuple(scopes[s][g].flow for s in order) for g in employed[institution]]
            for signature in possible[order] | set(seen):
                atom = _name(institution, order, signature)
                for scope, flow in zip(order, signature, strict=True):
                    self.of_scope[scope].add(atom)
                    self.of_flow[(scope, flow)].add(atom)
                    self.of_institution[(scope, institution, flow)].add(atom)
            for signature in seen:
                self.counts[_name(institution, order, signature)] += 1

    def size(self, atoms: Iterable[str]) -> int:
        return sum(self.counts.get(a, 0) for a in atoms)

    def published(
        self,
        scopes: Mapping[Scope, Mapping[str, Placement]],
        figures: Mapping[Scope, Mapping[Flow, Figure]],
    ) -> dict[str, Published]:
        """Every scope's n and every flow it publishes, as exact counts of their atoms."""
        published: dict[str, Published] = {}
        for scope, flows in figures.items():
            whole = len(scopes[scope])
            if self.of_scope[scope]:
                published[scope] = Published(frozenset(self.of_scope[scope]), n=(whole, whole))
            for flow, figure in flows.items():
                own = self.of_flow.get((scope, flow))
                if not figure.suppressed and own:
                    count = self.size(own)
                    published[f"{scope}/{flow}"] = Published(frozenset(own), n=(count, count))
        return published


def _name(institution: str, order: tuple[Scope, ...], signature: Signature) -> str:
    flows = ";".join(f"{s}={f.value}" for s, f in zip(order, signature, strict=True))
    return f"{institution}|{flows}"


def _closure(signatures: set[Signature]) -> set[Signature]:
    """The signatures of one employer's graduates and of graduates with several jobs (the
    first flow of any of their jobs, scope by scope)."""
    found, fresh = set(signatures), set(signatures)
    while fresh:
        fresh = {
            tuple(min(x, y, key=FLOWS.index) for x, y in zip(a, b, strict=True))
            for a in fresh
            for b in found
        } - found
        found |= fresh
    return found


def _checked(
    scopes: Mapping[Scope, Mapping[str, Placement]],
    figures: Mapping[Scope, Mapping[Flow, Figure]],
    atoms: _Atoms,
    thresholds: SuppressionThresholds,
) -> dict[str, CheckedCount]:
    """The flows hidden by a rule, and each institution's flows under each scope's destinations
    that a rule would hide (empty ones reveal no one)."""
    checked: dict[str, CheckedCount] = {}
    for scope, placed in scopes.items():
        by_institution: dict[str, dict[str, Placement]] = defaultdict(dict)
        for graduate, placement in placed.items():
            by_institution[placement.institution_id][graduate] = placement
        for flow, cell in cells_of(placed).items():
            if figures[scope][flow].reason not in (None, SECONDARY_REASON) and cell.graduates:
                own = frozenset(atoms.of_flow[(scope, flow)])
                checked[f"{scope}/{flow}"] = CheckedCount(own, len(cell.graduates), len(placed))
        for institution, theirs in by_institution.items():
            for flow, cell in cells_of(theirs).items():
                small = small_flow(
                    n=len(theirs),
                    graduates=len(cell.graduates),
                    employers=len(cell.employers),
                    thresholds=thresholds,
                )
                if cell.graduates and small:
                    own = frozenset(atoms.of_institution[(scope, institution, flow)])
                    name = f"{scope}/{institution}/{flow}"
                    checked[name] = CheckedCount(own, len(cell.graduates), len(theirs))
    return checked


def _hide_complement(
    exposed: CheckedCount, figures: dict[Scope, dict[Flow, Figure]], atoms: _Atoms
) -> Scope | None:
    """Hide the smallest published flow holding some of the exposed count's atoms (else the
    smallest of a scope holding them), then protect its scope's flows against each other;
    return the scope (None: nothing touching the count is left to hide)."""
    visible = [
        (scope, flow)
        for scope, flows in figures.items()
        for flow, figure in flows.items()
        if not figure.suppressed
    ]
    candidates = [key for key in visible if atoms.of_flow.get(key, set()) & exposed.atoms] or [
        key for key in visible if atoms.of_scope[key[0]] & exposed.atoms
    ]
    if not candidates:
        return None
    scope, flow = min(
        candidates, key=lambda key: (atoms.size(atoms.of_flow.get(key, ())), key[0], key[1])
    )
    flows = figures[scope]
    whole = next(iter(flows.values())).n
    flows[flow] = Figure.hidden(n=whole, reason=SECONDARY_REASON)
    hidden = {
        f.value: figure.reason or SECONDARY_REASON
        for f, figure in flows.items()
        if figure.suppressed
    }
    sizes = {f.value: atoms.size(atoms.of_flow.get((scope, f), ())) for f in flows}
    again = secondary_suppression(parent_published=True, children=sizes, primary=hidden)
    for other in again.suppressed - set(hidden):
        flows[Flow(other)] = Figure.hidden(n=whole, reason=SECONDARY_REASON)
    return scope
