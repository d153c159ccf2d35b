"""A publication's activity intensity: every cluster's cohorts of its year, protected together.

A program's cohort is one figure in every table listing it, and clusters overlap (one nested in
another, or sharing members): one cluster's total less another's, or less a cohort another
shows, can give a hidden cohort back. So a release hides a cohort in every table once one table
hides it, protects each cluster's cohorts against its total (activities.hidden_cohorts), and then
audits all the tables together (domain/audit.py, counts only), as graduate flows are released
(domain/flow_release.py). Every publication of a year states its tables again, so the tables the
year's earlier publications stated (``earlier``) are audited with the new ones: their totals and
cohorts shown are constraints too, and the counts they hid are checked again (a cohort hidden
then is a later total less the cohorts shown later, less what they gained).

Atoms are batches, ``program|publication``: what a program's cohort gained in one publication,
so its cohort as a publication states it is the sum of its batches up to that publication, and
two publications differ by whole batches (as the share audit's). A cohort that shrank (a graduate
no longer active) starts a new run of batches: what it lost is not told apart from what it kept.
Only the batches a cohort gained are atoms: the audit takes the reader to know which cohorts
changed, more than a reader is told, so it hides no less than it must. Every total and cohort
shown fixes the sum of its atoms; what is checked is each cohort and total hidden by the
small-cell rule, in this publication or an earlier one of the year. A checked count is protected
when everything shown still allows it to lie the methodology's protection width (a share of its
cluster's table then) below and above its true value, where the count leaves room; where it does
not, the smallest cohort this publication shows in a cluster holding it (or, failing that, the
smallest total holding it) is hidden too, and the audit repeats: what earlier publications stated
stays as it was. A count still exposed when nothing touching it is left to hide is reported
(``unprotected``). docs/methodology.md, "Cluster activities".
"""

from collections.abc import Iterable, Mapping, Sequence
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
class Stated:
    """A cluster's table as an earlier publication of the year stated it."""

    table: Table
    hiding: Hiding


Tables = Mapping[str, Table]  # cluster id → its table of the year
Batches = Mapping[str, frozenset[str]]  # program → the batches its cohort sums, in one publication


@dataclass(frozen=True)
class Released:
    hidden: dict[str, Hiding]
    checked: int
    unprotected: int


def release(
    tables: Tables,
    *,
    thresholds: SuppressionThresholds,
    width: float,
    earlier: Sequence[Mapping[str, Stated]] = (),
) -> Released:
    """What each cluster's table (cluster id → Table) hides, all of them protected together and
    against the tables the year's ``earlier`` publications stated (oldest first)."""
    *before, batches = _batches([{c: s.table for c, s in e.items()} for e in earlier] + [tables])
    stated, checked_before = _earlier(earlier, before)
    programs: dict[str, str] = {}  # cohorts hidden for another count's sake
    totals: dict[str, str] = {}
    solutions = Solutions()
    while True:  # each round hides at least one more figure, or stops
        hidden = _hidden(tables, programs, totals, thresholds)
        checked = _distinct(checked_before | _checked(tables, hidden, batches))
        published = stated | _published(tables, hidden, batches)
        exposed = exposed_counts(published, checked, width=width, solutions=solutions)
        touched: set[str] = set()  # programs this round changed: audit again first
        for exposure in exposed:
            held = _programs(exposure.atoms)
            if held & touched:
                continue
            found = _complement(held, tables, hidden)
            if found is not None:
                kind, key = found
                (programs if kind == "program" else totals)[key] = SECONDARY_REASON
                touched |= {key} if kind == "program" else set(tables[key].members)
        if not touched:
            return Released(hidden, checked=len(checked), unprotected=len(exposed))


def _batches(history: Sequence[Tables]) -> list[dict[str, frozenset[str]]]:
    """The batches each program's cohort sums in each publication of ``history`` (oldest first)
    listing it: one more where it grew; a new run where it shrank."""
    runs: dict[str, tuple[int, frozenset[str]]] = {}  # program → its last cohort, its batches
    found = []
    for at, tables in enumerate(history):
        batches = {}
        for program, count in {p: n for t in tables.values() for p, n in t.cohorts.items()}.items():
            last, held = runs.get(program, (0, frozenset()))
            if count < last:
                last, held = 0, frozenset()
            if count > last:
                held |= {f"{program}|{at}"}
            runs[program] = (count, held)
            batches[program] = held
        found.append(batches)
    return found


def _earlier(
    earlier: Sequence[Mapping[str, Stated]], batches: Sequence[Batches]
) -> tuple[dict[str, Published], dict[str, CheckedCount]]:
    """What the earlier publications showed, and the counts they hid by a rule, each named
    after its publication's place in ``earlier``."""
    stated: dict[str, Published] = {}
    checked: dict[str, CheckedCount] = {}
    for at, (states, their_batches) in enumerate(zip(earlier, batches, strict=True)):
        tables = {c: s.table for c, s in states.items()}
        hiding = {c: s.hiding for c, s in states.items()}
        stated |= _published(tables, hiding, their_batches, at=f"{at}/")
        checked |= _checked(tables, hiding, their_batches, at=f"{at}/")
    return stated, checked


def _programs(atoms: Iterable[str]) -> set[str]:
    return {atom.rsplit("|", 1)[0] for atom in atoms}


def _distinct(checked: Mapping[str, CheckedCount]) -> dict[str, CheckedCount]:
    """One checked count per set of atoms (the same atoms are the same count), the latest."""
    by_atoms = {count.atoms: name for name, count in checked.items()}
    return {name: checked[name] for name in by_atoms.values()}


def _hidden(
    tables: Tables,
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


def _published(
    tables: Tables, hidden: Mapping[str, Hiding], batches: Batches, *, at: str = ""
) -> dict[str, Published]:
    """Every total and cohort shown (``at``: the publication's prefix), as exact counts of
    their batches (an empty count says nothing)."""
    published: dict[str, Published] = {}
    for cluster, table in tables.items():
        total = frozenset().union(*(batches[p] for p in table.members))
        if hidden[cluster].total is None and total:
            published[f"{at}cluster:{cluster}"] = Published(total, n=(table.total, table.total))
        for p in table.listed - hidden[cluster].programs.keys():
            count = table.cohorts[p]
            if batches[p]:
                published[f"{at}program:{p}"] = Published(batches[p], n=(count, count))
    return published


def _checked(
    tables: Tables, hidden: Mapping[str, Hiding], batches: Batches, *, at: str = ""
) -> dict[str, CheckedCount]:
    """The cohorts and totals a rule hides (empty ones reveal no one), each against the whole
    of its cluster's table."""
    checked: dict[str, CheckedCount] = {}
    for cluster, table in tables.items():
        for p, reason in hidden[cluster].programs.items():
            if reason != SECONDARY_REASON and table.cohorts[p] > 0:
                checked[f"{at}{cluster}/{p}"] = CheckedCount(
                    batches[p], table.cohorts[p], table.whole
                )
        if hidden[cluster].total not in (None, SECONDARY_REASON) and table.total > 0:
            total = frozenset().union(*(batches[p] for p in table.members))
            checked[f"{at}{cluster}"] = CheckedCount(total, table.total, table.whole)
    return checked


def _complement(
    exposed: set[str], tables: Tables, hidden: Mapping[str, Hiding]
) -> tuple[str, str] | None:
    """The smallest cohort shown beside the exposed count (its programs) in a cluster holding
    it (else the smallest total shown holding it): ("program", id) or ("cluster", id); None:
    none is left."""
    holding = [c for c, t in tables.items() if exposed & (t.members | t.listed)]
    cohorts = {
        p: tables[c].cohorts[p]
        for c in holding
        for p in tables[c].listed & tables[c].members
        if p not in hidden[c].programs and tables[c].cohorts[p] > 0
    }
    if cohorts:
        return "program", min(cohorts, key=lambda p: (cohorts[p], p))
    shown = [c for c in holding if hidden[c].total is None and exposed & tables[c].members]
    if not shown:
        return None
    return "cluster", min(shown, key=lambda c: (tables[c].total, c))
