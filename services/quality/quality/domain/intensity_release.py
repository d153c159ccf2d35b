"""A publication's activity intensity: every cluster's cohorts of its year, protected together.

A program's cohort is one figure in every table listing it, and clusters overlap (one nested in
another, or sharing members): one cluster's total less another's, or less a cohort another
shows, can give a hidden cohort back. So a release hides a cohort in every table once one table
hides it, protects each cluster's cohorts against its total (activities.hidden_cohorts), and then
audits all the tables together (domain/audit.py, counts only), as graduate flows are released
(domain/flow_release.py). Its atoms are the programs' cohorts; every total and cohort shown fixes
the sum of its atoms; what is checked is each cohort and total hidden by the small-cell rule. A
checked count is protected when everything shown still allows it to lie the methodology's
protection width (a share of its cluster's table) below and above its true value, where the
count leaves room; where it does not, the smallest cohort shown in a cluster holding it (or,
failing that, the smallest total holding it) is hidden too, and the audit repeats. A count still
exposed when nothing touching it is left to hide is reported (``unprotected``).
docs/methodology.md, "Cluster activities".
"""

from collections.abc import Mapping
from dataclasses import dataclass

from quality.domain.activities import hidden_cohorts, small_cohort
from quality.domain.audit import Published, Solutions
from quality.domain.flow_release import CheckedCount, exposed_counts
from quality.domain.scorecard import SECONDARY_REASON
from quality.domain.suppression import SuppressionThresholds


@dataclass(frozen=True)
class Table:
    """One cluster's year: the cohort of each program of its members and of each program its
    activities reach (``listed``)."""

    cohorts: Mapping[str, int]
    members: frozenset[str]
    listed: frozenset[str]

    @property
    def total(self) -> int:
        return sum(self.cohorts[p] for p in self.members)

    @property
    def whole(self) -> int:
        return sum(self.cohorts.values())


@dataclass(frozen=True)
class Hiding:
    """Why a table's total is hidden (None: shown), and each hidden listed program's cohort."""

    total: str | None
    programs: dict[str, str]


@dataclass(frozen=True)
class Released:
    hidden: dict[str, Hiding]
    checked: int
    unprotected: int


def release(
    tables: Mapping[str, Table], *, thresholds: SuppressionThresholds, width: float
) -> Released:
    """What each cluster's table (cluster id → Table) hides, all of them protected together."""
    programs: dict[str, str] = {}  # cohorts hidden for another count's sake
    totals: dict[str, str] = {}
    solutions = Solutions()
    while True:  # each round hides at least one more figure, or stops
        hidden = _hidden(tables, programs, totals, thresholds)
        checked = _checked(tables, hidden)
        exposed = exposed_counts(
            _published(tables, hidden), checked, width=width, solutions=solutions
        )
        touched: set[str] = set()  # atoms this round changed: audit again first
        for exposure in exposed:
            if exposure.atoms & touched:
                continue
            found = _complement(exposure, tables, hidden)
            if found is not None:
                kind, key = found
                (programs if kind == "program" else totals)[key] = SECONDARY_REASON
                touched |= {key} if kind == "program" else set(tables[key].members)
        if not touched:
            return Released(hidden, checked=len(checked), unprotected=len(exposed))


def _hidden(
    tables: Mapping[str, Table],
    programs: Mapping[str, str],
    totals: Mapping[str, str],
    thresholds: SuppressionThresholds,
) -> dict[str, Hiding]:
    """Each table protected on its own, until a cohort hidden in one is hidden in every one."""
    forced = dict(programs)
    while True:
        hidden = {}
        for cluster, table in sorted(tables.items()):
            family = table.listed & table.members
            total, own = hidden_cohorts(
                {p: table.cohorts[p] for p in family},
                unlisted=sum(table.cohorts[p] for p in table.members - table.listed),
                thresholds=thresholds,
                also=forced,
                total_also=totals.get(cluster),
            )
            for p in table.listed - table.members:  # no total of this table holds it
                if reason := small_cohort(table.cohorts[p], thresholds) or forced.get(p):
                    own[p] = reason
            hidden[cluster] = Hiding(total, own)
        more = {p for h in hidden.values() for p in h.programs} - forced.keys()
        if not more:
            return hidden
        forced |= dict.fromkeys(more, SECONDARY_REASON)


def _published(tables: Mapping[str, Table], hidden: Mapping[str, Hiding]) -> dict[str, Published]:
    """Every total and cohort shown, as exact counts of their programs' cohorts."""
    published: dict[str, Published] = {}
    for cluster, table in tables.items():
        if hidden[cluster].total is None and table.members:
            n = (table.total, table.total)
            published[f"cluster:{cluster}"] = Published(frozenset(table.members), n=n)
        for p in table.listed - hidden[cluster].programs.keys():
            count = table.cohorts[p]
            published[f"program:{p}"] = Published(frozenset({p}), n=(count, count))
    return published


def _checked(tables: Mapping[str, Table], hidden: Mapping[str, Hiding]) -> dict[str, CheckedCount]:
    """The cohorts and totals a rule hides (empty ones reveal no one), each against the whole
    of its cluster's table."""
    checked: dict[str, CheckedCount] = {}
    for cluster, table in tables.items():
        for p, reason in hidden[cluster].programs.items():
            if reason != SECONDARY_REASON and table.cohorts[p] > 0:
                checked[f"{cluster}/{p}"] = CheckedCount(
                    frozenset({p}), table.cohorts[p], table.whole
                )
        if hidden[cluster].total not in (None, SECONDARY_REASON) and table.total > 0:
            checked[cluster] = CheckedCount(frozenset(table.members), table.total, table.whole)
    return checked


def _complement(
    exposed: CheckedCount, tables: Mapping[str, Table], hidden: Mapping[str, Hiding]
) -> tuple[str, str] | None:
    """The smallest cohort shown beside the exposed count in a cluster holding it (else the
    smallest total shown holding it): ("program", id) or ("cluster", id); None: none is left."""
    holding = [c for c, t in tables.items() if exposed.atoms & (t.members | t.listed)]
    cohorts = {
        p: tables[c].cohorts[p]
        for c in holding
        for p in tables[c].listed & tables[c].members
        if p not in hidden[c].programs and tables[c].cohorts[p] > 0
    }
    if cohorts:
        return "program", min(cohorts, key=lambda p: (cohorts[p], p))
    shown = [c for c in holding if hidden[c].total is None and exposed.atoms & tables[c].members]
    if not shown:
        return None
    return "cluster", min(shown, key=lambda c: (tables[c].total, c))
