"""A cohort's flow release: every cluster's and region's graduate flows, protected together.

Flows of overlapping scopes give each other away: a region's flows minus its cluster's are the
flows of the region's other institutions, a cluster's minus a nested cluster's those of the
institutions between them. So a release computes every scope's flows at once, hides small
flows and protects each scope's flows against each other (domain/flows.py), and then audits
them all together (domain/audit.py, counts only): its atoms are the institutions' employed
graduates split by the flow each scope puts them in, every published total and flow fixes the
sum of its atoms, and what is checked is each flow hidden by a rule and each institution's flow
too small to publish under any scope's definition (an institution is what scopes differ by).
A checked count is protected when everything published still allows it to lie the
methodology's protection width (a share of its whole: the scope's or the institution's
employed) below and above its true value, where the count leaves room; where it does not,
the smallest published flow that shares its atoms (or, failing that, one of a scope that does)
is hidden too, each scope's flows are protected again, and the audit repeats.

The attacker is assumed to know every count a published figure states (shares are published
rounded, with n: the counts are taken as exact) and which atoms exist. docs/methodology.md,
"Graduate flows".
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from quality.domain.audit import Hidden, Interval, Published, Solutions, audit
from quality.domain.flows import FLOWS, Flow, Placement, cells_of, flow_figures, small_flow
from quality.domain.scorecard import SECONDARY_REASON, Figure
from quality.domain.suppression import SuppressionThresholds, secondary_suppression

Scope = str  # "cluster:<id>" or "region:<code>"
_SLACK = 1e-9


@dataclass(frozen=True)
class _Checked:
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


def release(
    scopes: Mapping[Scope, Mapping[str, Placement]],
    *,
    thresholds: SuppressionThresholds,
    level: float,
    width: float,
) -> dict[Scope, dict[Flow, Figure]]:
    """Each scope's flows (graduate → placement under that scope's destinations) as they may be
    released together."""
    figures = {
        scope: flow_figures(cells_of(placed), thresholds=thresholds, level=level)
        for scope, placed in scopes.items()
    }
    atoms = _atoms(scopes)
    counts: dict[str, int] = defaultdict(int)
    for atom in atoms.values():
        counts[atom] += 1
    of_scope = {scope: frozenset(atoms[g] for g in placed) for scope, placed in scopes.items()}
    of_flow = {
        (scope, flow): frozenset(atoms[g] for g, p in placed.items() if p.flow is flow)
        for scope, placed in scopes.items()
        for flow in FLOWS
    }
    checked = _checked(scopes, figures, atoms, thresholds)
    solutions = Solutions()
    for _ in range(len(of_flow) + 1):  # each round hides at least one more flow
        published: dict[str, Published] = {}
        for scope, flows in figures.items():
            whole = len(scopes[scope])
            if of_scope[scope]:
                published[scope] = Published(of_scope[scope], n=(whole, whole))
            for flow, figure in flows.items():
                if not figure.suppressed and of_flow[(scope, flow)]:
                    count = sum(counts[a] for a in of_flow[(scope, flow)])
                    published[f"{scope}/{flow}"] = Published(of_flow[scope, flow], n=(count, count))
        hidden = {name: Hidden(c.atoms, n=c.count, k=0) for name, c in checked.items()}
        exposed = [
            checked[finding.figure]
            for finding in audit(
                published, hidden, protection=width, solutions=solutions, with_shares=False
            )
            if not protected(
                finding.n_range,
                count=checked[finding.figure].count,
                whole=checked[finding.figure].whole,
                width=width,
            )
        ]
        if not exposed:
            return figures
        touched: set[str] = set()  # atoms of scopes this round changed: audit again first
        for exposure in exposed:
            if not exposure.atoms & touched:
                scope = _hide_complement(exposure, figures, of_flow, of_scope, counts)
                touched |= of_scope[scope]
    raise AssertionError("every flow touching an exposed count is hidden")  # pragma: no cover


def _atoms(scopes: Mapping[Scope, Mapping[str, Placement]]) -> dict[str, str]:
    """Each graduate's atom: their institution and the flow each scope puts them in."""
    where: dict[str, list[str]] = defaultdict(list)
    institution: dict[str, str] = {}
    for scope in sorted(scopes):
        for graduate, placement in scopes[scope].items():
            where[graduate].append(f"{scope}={placement.flow.value}")
            institution[graduate] = placement.institution_id
    return {g: f"{institution[g]}|{';'.join(flows)}" for g, flows in where.items()}


def _checked(
    scopes: Mapping[Scope, Mapping[str, Placement]],
    figures: Mapping[Scope, Mapping[Flow, Figure]],
    atoms: Mapping[str, str],
    thresholds: SuppressionThresholds,
) -> dict[str, _Checked]:
    """The flows hidden by a rule, and each institution's flows under each scope's destinations
    that a rule would hide (empty ones reveal no one)."""
    checked: dict[str, _Checked] = {}
    for scope, placed in scopes.items():
        by_institution: dict[str, dict[str, Placement]] = defaultdict(dict)
        for graduate, placement in placed.items():
            by_institution[placement.institution_id][graduate] = placement
        for flow, cell in cells_of(placed).items():
            if figures[scope][flow].reason not in (None, SECONDARY_REASON) and cell.graduates:
                own = frozenset(atoms[g] for g in cell.graduates)
                checked[f"{scope}/{flow}"] = _Checked(own, len(cell.graduates), len(placed))
        for institution, theirs in by_institution.items():
            for flow, cell in cells_of(theirs).items():
                small = small_flow(
                    n=len(theirs),
                    graduates=len(cell.graduates),
                    employers=len(cell.employers),
                    thresholds=thresholds,
                )
                if cell.graduates and small:
                    own = frozenset(atoms[g] for g in cell.graduates)
                    name = f"{scope}/{institution}/{flow}"
                    checked[name] = _Checked(own, len(cell.graduates), len(theirs))
    return checked


def _hide_complement(
    exposed: _Checked,
    figures: dict[Scope, dict[Flow, Figure]],
    of_flow: Mapping[tuple[Scope, Flow], frozenset[str]],
    of_scope: Mapping[Scope, frozenset[str]],
    counts: Mapping[str, int],
) -> Scope:
    """Hide the smallest published flow holding some of the exposed count's atoms (else the
    smallest of a scope holding them), then protect its scope's flows against each other;
    return the scope."""
    visible = [
        (scope, flow)
        for scope, flows in figures.items()
        for flow, figure in flows.items()
        if not figure.suppressed
    ]
    candidates = [key for key in visible if of_flow[key] & exposed.atoms] or [
        key for key in visible if of_scope[key[0]] & exposed.atoms
    ]
    if not candidates:
        raise AssertionError("an exposed count whose scopes show no flow")  # pragma: no cover
    scope, flow = min(
        candidates, key=lambda key: (sum(counts[a] for a in of_flow[key]), key[0], key[1])
    )
    flows = figures[scope]
    whole = next(iter(flows.values())).n
    flows[flow] = Figure.hidden(n=whole, reason=SECONDARY_REASON)
    hidden = {
        f.value: figure.reason or SECONDARY_REASON
        for f, figure in flows.items()
        if figure.suppressed
    }
    sizes = {f.value: sum(counts[a] for a in of_flow[(scope, f)]) for f in flows}
    again = secondary_suppression(parent_published=True, children=sizes, primary=hidden)
    for other in again.suppressed - set(hidden):
        flows[Flow(other)] = Figure.hidden(n=whole, reason=SECONDARY_REASON)
    return scope
