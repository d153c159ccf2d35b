"""The disclosure audit of a publication before it is made, and the complements it adds.

domain/audit.py does the inference; this module states what a reader holds. Figures are the
shares of assessments — employer satisfaction, preparedness and would hire again — of every
scope, year and pool, each share audited on its own (their counts differ; their n is the
same). Their atoms are batches: ``program|year|publication``, the changes a publication
released into one cell, so a figure of publication t sums the batches of its cells released up
to t (the batch rule makes every difference between publications a whole batch). Every earlier
publication's figures and the new one's are the constraints; each figure the new publication
or an earlier one hides is checked (a year hidden then is a later pool less its year); where
its inferable share range is narrower than the methodology's protection width, the smallest
published figure of the new publication connected to it is hidden too, secondary
suppression runs again, and the audit repeats. The figures checked are
those hidden by a primary rule (too few assessments, employers or graduates, one employer
dominating): complements hide nothing of their own, and what they would let anyone infer of a
primary cell is what is checked. Each competency's mean rating and share satisfied are audited
the same way, together (their n is its ratings'): a batch's sum of 1..5 ratings and its count
at the satisfaction threshold or above are tied (domain/audit.py), its published mean bounds
the one and its share satisfied the other; the mean's protection width is the share width
rescaled to the rating scale (Measure.width). Domain means and the mean of every rating, which
tie competencies together, are not audited: they rely on primary and secondary suppression and
the batch rule (docs/methodology.md).
"""

import asyncio
import logging
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from quality.domain.audit import (
    RATING_SCALE,
    SATISFIED,
    SHARE_SCALE,
    Finding,
    Hidden,
    Interval,
    Published,
    Solutions,
    audit,
)
from quality.domain.cells import ScopeTally
from quality.domain.index import Methodology
from quality.domain.methodology import from_json
from quality.domain.model import Card, Families, ScopeKey, programs_in
from quality.domain.periods import years_of
from quality.domain.publication import CellKey, FigureKey, Publication
from quality.domain.running import ProportionTally
from quality.domain.scorecard import (
    EMPLOYER_SATISFACTION,
    ONE_CATEGORY_REASON,
    PREPAREDNESS,
    SECONDARY_REASON,
    WOULD_HIRE_AGAIN,
    rounded_card,
)
from quality.domain.scorecard import FigureKey as CardFigure
from quality.service_layer import flows, publication_integrity
from quality.service_layer.methodology import current_content
from quality.service_layer.scoreboard import Scoreboard, compute_scoreboard
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork
from shared.platform.errors import NotFound

log = logging.getLogger(__name__)

# The shares of assessments, each with its count of successes in a cell's tally.
AUDITED: dict[str, Callable[[ScopeTally, int], ProportionTally]] = {
    EMPLOYER_SATISFACTION: lambda tally, threshold: tally.overall.satisfied(threshold),
    PREPAREDNESS: lambda tally, threshold: tally.preparedness.satisfied(threshold),
    WOULD_HIRE_AGAIN: lambda tally, threshold: tally.would_hire_again,
}
# The comparison of a cluster's members with the rest of its region compares this one.
COMPARED = EMPLOYER_SATISFACTION
_SLACK = 1e-9  # floating-point slack when turning a rounded share or mean back into counts
MAX_ROUNDS = 20  # complements added per round: one per exposed figure

History = Mapping[CellKey, list[int]]
Structure = Mapping[bool, Families]  # one publication's families, year (False) and pool (True)


# A competency's share satisfied is stated beside its mean: named so after the mean's figure.
_SATISFIED_SUFFIX = "#satisfied"


@dataclass(frozen=True)
class Measure:
    """A figure audited across every card: a share of assessments, or one competency's mean
    rating (its k the sum of its ratings), with its share satisfied as constraints (of SATISFIED:
    together they bound more than either alone)."""

    name: str  # as the audit reports it: the indicator, or competency:<code>:mean
    key: CardFigure
    scale: Interval = SHARE_SCALE

    @classmethod
    def share(cls, indicator: str) -> "Measure":
        return cls(indicator, ("indicator", indicator))

    @classmethod
    def mean(cls, code: str) -> "Measure":
        return cls(f"competency:{code}:mean", ("competency", code, "mean"), RATING_SCALE)

    @property
    def counts_of(self) -> tuple[str, ...]:
        """The counts its figures state: k, and a competency's count satisfied."""
        return ("k",) if self.scale == SHARE_SCALE else ("k", SATISFIED)

    def figure(self, card: Mapping[str, Any], of: str = "k") -> Mapping[str, Any]:
        """This figure in a card; a competency the card does not list has no ratings there."""
        figure: Mapping[str, Any]
        if self.scale == SHARE_SCALE:
            figure = card["indicators"][self.name]
        elif (competency := card["competencies"].get(self.key[1])) is None:
            figure = {"n": 0, "value": None, "suppressed": True, "reason": None}
        else:
            figure = competency["satisfied" if of == SATISFIED else "mean"]
        return figure

    def counts(self, tally: ScopeTally, threshold: int, of: str = "k") -> tuple[int, int]:
        """The true n and k (successes, the sum of ratings, or those satisfied) of a cell."""
        if self.scale == SHARE_SCALE:
            counted = AUDITED[self.name](tally, threshold)
            return counted.n, counted.successes
        ratings = tally.competencies.get(self.key[1])
        if ratings is None:
            return 0, 0
        return ratings.n, ratings.satisfied(
            threshold
        ).successes if of == SATISFIED else ratings.total

    def scale_of(self, of: str) -> Interval:
        return SHARE_SCALE if of == SATISFIED else self.scale

    def half_width(self, methodology: Methodology, of: str = "k") -> float:
        """How far a published value may lie from the exact one."""
        if self.scale_of(of) == SHARE_SCALE:
            return methodology.rounding.share_half_width()
        return 0.5 * 10.0**-methodology.rounding.mean_decimals

    def width(self, methodology: Methodology) -> float:
        return protection_width(methodology, self.scale)

    def options(self, methodology: Methodology) -> dict[str, Any]:
        """The audit's options for this measure (domain/audit.py ``audit``)."""
        options: dict[str, Any] = {"protection": self.width(methodology), "scale": self.scale}
        if SATISFIED in self.counts_of:
            options |= {
                "satisfied_from": methodology.satisfied_threshold,
                "satisfied_protection": protection_width(methodology, SHARE_SCALE),
            }
        return options

    def named(self, name: str, of: str) -> str:
        """The name of the figure ``name`` that states count ``of``."""
        return name + _SATISFIED_SUFFIX if of == SATISFIED else name

    def reported(self, name: str) -> tuple[str, str]:
        """The indicator and the figure (without its publication) a figure's name reports."""
        figure = name.split("/", 1)[1]
        if figure.endswith(_SATISFIED_SUFFIX):
            return self.name.removesuffix(":mean") + ":satisfied", figure.removesuffix(
                _SATISFIED_SUFFIX
            )
        return self.name, figure


def protection_width(methodology: Methodology, scale: Interval) -> float:
    """The methodology's share width, on a rating scale rescaled as the index rescales a mean
    (a tenth of 1..5 is ±0.4 of a mean)."""
    return methodology.thresholds.protection_width * (scale[1] - scale[0])


SHARES = [Measure.share(indicator) for indicator in AUDITED]


async def _solved(
    published: Mapping[str, Published],
    hidden: Mapping[str, Hidden],
    options: Mapping[str, Any],
    solutions: Solutions | None = None,
) -> list[Finding]:
    """The audit's integer programs, off the event loop: requests and consumers go on.
    ``options``: the measure's (Measure.options); ``solutions``: what this publication's earlier
    audits solved (its rounds repeat most of it)."""
    return await asyncio.to_thread(audit, published, hidden, solutions=solutions, **options)


def _name(key: ScopeKey, pooled: bool, publication: int) -> str:
    return f"{publication}/{key[0]}:{key[1]}:{'pool' if pooled else 'year'}"


def _atoms(programs: set[str], years: range, history: History, upto: int) -> frozenset[str]:
    return frozenset(
        f"{program}|{year}|{batch}"
        for program in programs
        for year in years
        for batch in history.get((program, year), ())
        if batch <= upto
    )


def _constraint(
    atoms: frozenset[str],
    figure: Mapping[str, Any],
    half_width: float,
    scale: Interval = SHARE_SCALE,
    of: str = "k",
) -> Published:
    """What a figure states: always its n; where its share (or mean) is published (rounded to
    within ``half_width``), the counts of successes (or sums of ratings) that round to it."""
    n = figure["n"]
    if figure.get("reason") == ONE_CATEGORY_REASON and figure.get("ci_low") is not None:
        return Published(atoms, n=(n, n), share=(figure["ci_low"], figure["ci_high"]), of=of)
    if figure["suppressed"] or figure["value"] is None:
        return Published(atoms, n=(n, n), of=of)
    low = max(math.ceil(scale[0] * n), math.ceil(n * (figure["value"] - half_width) - _SLACK))
    high = min(math.floor(scale[1] * n), math.floor(n * (figure["value"] + half_width) + _SLACK))
    return Published(atoms, n=(n, n), k=(low, high), of=of)


def _bound(figure: Mapping[str, Any]) -> Interval | None:
    """The share range a figure published as a bound states itself, in whole counts of its n:
    the audit protects it within that as well as by the width (nothing can widen it)."""
    if figure.get("reason") != ONE_CATEGORY_REASON or figure.get("ci_low") is None:
        return None
    n = figure["n"]
    low, high = math.ceil(figure["ci_low"] * n - _SLACK), math.floor(figure["ci_high"] * n + _SLACK)
    return low / n, high / n


def _hidden_by_rule(figure: Mapping[str, Any]) -> bool:
    """Hidden by a primary rule (complements hide nothing of their own)."""
    return bool(figure["suppressed"]) and figure["n"] > 0 and figure["reason"] != SECONDARY_REASON


@dataclass
class Earlier:
    """What the earlier publications state of one measure, and the figures they hid by a
    primary rule with their true counts then: a later publication must keep those protected
    too (its pool less its year is an earlier year)."""

    constraints: dict[str, Published] = field(default_factory=dict)
    hidden: dict[str, Hidden] = field(default_factory=dict)

    def and_hidden(self, hidden: Mapping[str, Hidden]) -> dict[str, Hidden]:
        """The new publication's ``hidden`` figures and the earlier ones it does not repeat."""
        repeated = {(h.atoms, h.of) for h in hidden.values()}
        earlier = {n: h for n, h in self.hidden.items() if (h.atoms, h.of) not in repeated}
        return {**earlier, **hidden}


async def _earlier(
    uow: AbstractQualityUnitOfWork,
    history: History,
    structures: Mapping[int, Structure],
    publications: list[Publication],
    methodology: Methodology,
    measures: list[Measure],
) -> dict[Measure, Earlier]:
    """Every figure of each of ``measures`` in the earlier publications, as constraints (repeats
    stated once), and those hidden by a primary rule (one figure per set of atoms): each
    publication's cards read once for all of them."""
    constraints: dict[Measure, dict[Published, str]] = {measure: {} for measure in measures}
    earlier = {measure: Earlier() for measure in measures}
    hidden_atoms: dict[Measure, set[tuple[frozenset[str], str]]] = {m: set() for m in measures}
    for publication in publications:
        structure = structures[publication.number]
        states: dict[CellKey, ScopeTally] | None = None
        for (key, pooled), card in (await uow.publications.cards(publication.number)).items():
            families = structure[pooled]
            if key not in families and key[0] != "program":
                continue  # a scope with nothing under it: nothing to tie it to
            programs = programs_in(families, key)
            years = years_of(publication.period, pooled=pooled)
            atoms = _atoms(programs, years, history, publication.number)
            name = _name(key, pooled, publication.number)
            for measure in measures:
                for of in measure.counts_of:
                    shown = measure.figure(card, of)
                    half_width = measure.half_width(methodology, of)
                    figure = _constraint(atoms, shown, half_width, measure.scale_of(of), of)
                    constraints[measure].setdefault(figure, measure.named(name, of))
                    if not _hidden_by_rule(shown) or (atoms, of) in hidden_atoms[measure]:
                        continue
                    hidden_atoms[measure].add((atoms, of))
                    if states is None:
                        states = await _states_at(uow, publication.number)
                    tallies = {c: t for c, t in states.items() if c[1] in years}
                    threshold = methodology.satisfied_threshold
                    n, k = _true_counts(tallies, programs, threshold, measure, of)
                    earlier[measure].hidden[measure.named(name, of)] = Hidden(
                        atoms, n, k, of, stated=_bound(shown)
                    )
    for measure, stated in constraints.items():
        earlier[measure].constraints = {name: figure for figure, name in stated.items()}
    return earlier


async def _states_at(uow: AbstractQualityUnitOfWork, number: int) -> dict[CellKey, ScopeTally]:
    """The cells as publication ``number`` left them."""
    return {
        cell: ScopeTally.from_json(tally)
        for cell, tally in (await uow.publications.cell_states(number)).items()
    }


class CellStates(Protocol):
    """The cells as a publication states them, one by one."""

    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]: ...


def _true_counts(
    tallies: Mapping[CellKey, ScopeTally],
    programs: set[str],
    threshold: int,
    measure: Measure,
    of: str = "k",
) -> tuple[int, int]:
    n = k = 0
    for (program, _), tally in tallies.items():
        if program in programs:
            cell_n, cell_k = measure.counts(tally, threshold, of)
            n += cell_n
            k += cell_k
    return n, k


async def structures_of(
    uow: AbstractQualityUnitOfWork, methodology: Methodology, publications: list[Publication]
) -> dict[int, Structure]:
    """Which programs each scope of ``publications`` summed, what ties their figures to their
    batches: as stored with each one (programs move, memberships change), or today's, from the
    released cells, for one made before structures were stored."""
    stored = {p.number: await uow.publications.structure(p.number) for p in publications}
    today: dict[tuple[int, bool], Families] = {}
    today_keys = (False, True)
    for period in sorted({p.period for p in publications if stored[p.number] is None}):
        for pooled in today_keys:
            board = await compute_scoreboard(
                uow, period=period, pooled=pooled, methodology=methodology, cells=uow.released
            )
            today[(period, pooled)] = board.families
    return {
        p.number: stored[p.number] or {pooled: today[(p.period, pooled)] for pooled in today_keys}
        for p in publications
    }


async def _stated(
    cards: Mapping[FigureKey, Card],
    *,
    period: int,
    number: int,
    structure: Structure,
    history: History,
    cells: CellStates,
    methodology: Methodology,
    measure: Measure,
) -> tuple[dict[str, Published], dict[str, Hidden]]:
    """What publication ``number`` states of ``measure`` (its constraints; ``cards`` rounded as
    published) and the figures it hides by a primary rule, with their true counts from
    ``cells``."""
    threshold = methodology.satisfied_threshold
    stated: dict[str, Published] = {}
    hidden: dict[str, Hidden] = {}
    tallies = {
        pooled: await cells.in_years(years_of(period, pooled=pooled)) for pooled in (False, True)
    }
    for (key, pooled), card in cards.items():
        families = structure[pooled]
        if key not in families and key[0] != "program":
            continue
        years = years_of(period, pooled=pooled)
        name = _name(key, pooled, number)
        programs = programs_in(families, key)
        atoms = _atoms(programs, years, history, number)
        for of in measure.counts_of:
            figure = measure.figure(card, of)
            half_width = measure.half_width(methodology, of)
            named = measure.named(name, of)
            stated[named] = _constraint(atoms, figure, half_width, measure.scale_of(of), of)
            if _hidden_by_rule(figure):  # module docstring: what is checked
                n, k = _true_counts(tallies[pooled], programs, threshold, measure, of)
                hidden[named] = Hidden(atoms, n=n, k=k, of=of, stated=_bound(figure))
    return stated, hidden


async def audit_publication(
    uow: AbstractQualityUnitOfWork,
    *,
    number: int,
    period: int,
    boards: dict[bool, Scoreboard],
    structures: Mapping[int, Structure],
    releasing: set[CellKey],
    cells: CellStates,
    methodology: Methodology,
) -> "Audited":
    """Audit the new publication ``number`` (its scoreboards ``boards``: year and pool), hiding
    complements in them until every hidden figure is protected: each share of assessments and
    then each competency mean with a hidden figure in turn (hiding more only widens what the
    audits before could infer). The audit of the compared share, with the summary of all.
    ``structures``: those of the published publications (structures_of); ``cells``: the cells
    as this publication releases them (read often: the reader remembers them)."""
    history: dict[CellKey, list[int]] = {
        k: list(v) for k, v in (await uow.publications.release_history()).items()
    }
    for cell in releasing:
        history.setdefault(cell, []).append(number)
    publications = await uow.publications.published()
    solutions = Solutions()
    rounded = _Rounded(boards, methodology)
    measures = SHARES + [Measure.mean(code) for code in _hidden_means(rounded.cards())]
    earlier = await _earlier(uow, history, structures, publications, methodology, measures)
    audits = {}
    for measure in measures:
        rounds = _Rounds(
            rounded, earlier[measure], number, period, history, cells, methodology, measure
        )
        rounds.solutions = solutions
        audits[measure.name] = await _audit_rounds(rounds, publications)
    compared = audits[COMPARED]
    counts = ("audited_figures", "complements", "withheld_by_fallback", "unprotected")
    compared.summary = {
        **{key: sum(a.summary[key] for a in audits.values()) for key in counts},
        "protection_width": compared.options["protection"],
        "mean_protection_width": protection_width(methodology, RATING_SCALE),
        "earlier_publications": compared.summary["earlier_publications"],
        "indicators": {
            indicator: {key: a.summary[key] for key in counts} for indicator, a in audits.items()
        },
    }
    return compared


async def _audit_rounds(rounds: "_Rounds", publications: list[Publication]) -> "Audited":
    """One share's (or mean's) audit: complements until every figure it hides is protected,
    then the fallbacks."""
    width = rounds.measure.width(rounds.methodology)
    complements = 0
    now, hidden, exposed = await rounds.run()
    for round_number in range(1, MAX_ROUNDS + 1):
        chosen = {c for name in exposed if (c := _complement(now, hidden[name])) is not None}
        log.info(
            "publication audit round",
            extra={
                "indicator": rounds.measure.name,
                "round": round_number,
                "hidden": len(hidden),
                "exposed": len(exposed),
            },
        )
        if not chosen:
            break
        rounds.hide(chosen)
        complements += len(chosen)
        now, hidden, exposed = await rounds.run()
    withheld = 0
    for widen in (_overlapping, _everything):  # the fallbacks, mildest first
        if not exposed:
            break
        names = widen(now, [hidden[name] for name in exposed])
        rounds.hide(names)
        withheld += len(names)
        now, hidden, exposed = await rounds.run()
    if exposed:  # earlier publications alone pin them: nothing this one hides can help
        log.error(
            "figures exposed by earlier publications",
            extra={"indicator": rounds.measure.name, "figures": exposed[:20]},
        )
    return Audited(
        summary={
            "audited_figures": len(hidden),
            "complements": complements,
            "withheld_by_fallback": withheld,
            "unprotected": len(exposed),
            "protection_width": width,
            "earlier_publications": len(publications) if rounds.earlier.constraints else 0,
        },
        constraints={**rounds.earlier.constraints, **now},
        hidden=hidden,
        history=rounds.history,
        options=rounds.measure.options(rounds.methodology),
        solutions=rounds.solutions,
    )


def _hidden_means(cards: Mapping[FigureKey, Card]) -> list[str]:
    """The competencies with a mean or a share satisfied hidden by a primary rule somewhere
    (``cards`` as stated): the others have nothing to audit."""
    return sorted(
        {
            code
            for card in cards.values()
            for code, competency in card["competencies"].items()
            if _hidden_by_rule(competency["mean"]) or _hidden_by_rule(competency["satisfied"])
        }
    )


class _Rounded:
    """The boards' cards as the publication states them, rounded again only where a card
    changed (hidden since): every measure's every round reads them all."""

    def __init__(self, boards: dict[bool, Scoreboard], methodology: Methodology) -> None:
        self.boards = boards
        self._rounding = methodology.rounding
        self._stated: dict[FigureKey, tuple[object, Card]] = {}

    def cards(self) -> dict[FigureKey, Card]:
        stated = {}
        for pooled, board in self.boards.items():
            for key, card in board.cards.items():
                known = self._stated.get((key, pooled))
                if known is None or known[0] is not card:
                    known = (card, rounded_card(card.to_json(), self._rounding))
                    self._stated[(key, pooled)] = known
                stated[(key, pooled)] = known[1]
        return stated


@dataclass
class _Rounds:
    """A publication's audit rounds: what it states, re-checked after each hiding."""

    rounded: _Rounded
    earlier: Earlier
    number: int
    period: int
    history: History
    cells: CellStates
    methodology: Methodology
    measure: Measure
    # Hiding more only widens what can be inferred: a figure once protected stays protected.
    cleared: set[str] = field(default_factory=set)
    solutions: Solutions = field(default_factory=Solutions)

    async def run(self) -> tuple[dict[str, Published], dict[str, Hidden], list[str]]:
        """What the publication states now, the figures it hides, and those still exposed."""
        boards = self.rounded.boards
        now, hidden = await _stated(
            self.rounded.cards(),
            period=self.period,
            number=self.number,
            structure={pooled: board.families for pooled, board in boards.items()},
            history=self.history,
            cells=self.cells,
            methodology=self.methodology,
            measure=self.measure,
        )
        hidden = self.earlier.and_hidden(hidden)
        pending = {name: h for name, h in hidden.items() if name not in self.cleared}
        options = self.measure.options(self.methodology)
        try:
            findings = await _solved(
                {**self.earlier.constraints, **now}, pending, options, self.solutions
            )
        except ValueError:  # earlier figures without a stored structure that no longer fit
            log.warning("earlier publications left out of the audit: the structure changed")
            self.earlier = Earlier()
            hidden = {name: h for name, h in hidden.items() if name.startswith(f"{self.number}/")}
            pending = {name: h for name, h in pending.items() if name in hidden}
            findings = await _solved(now, pending, options, self.solutions)

        self.cleared |= {f.figure for f in findings if f.protected}
        return now, hidden, [f.figure for f in findings if not f.protected]

    def hide(self, names: Collection[str]) -> None:
        for name in names:
            _hide(self.rounded.boards, name, self.measure)
        for board in self.rounded.boards.values():
            board.protect()


@dataclass
class Audited:
    """An audited publication: its summary, and what the audit held, for further groupings."""

    summary: dict[str, Any]
    constraints: dict[str, Published]
    hidden: dict[str, Hidden]
    history: History
    options: dict[str, Any]  # the audit's (Measure.options)
    solutions: Solutions


Group = tuple[dict[str, Any], set[str]]  # a comparison group's figure and its programs


async def exposing(
    audited: Audited, groups: list[Group], *, years: range, number: int, half_width: float
) -> bool:
    """Whether publishing these comparison groups alongside the publication would leave a
    hidden figure narrower than the protection width."""
    if not audited.hidden:
        return False
    extra = {
        f"group-{i}": _constraint(
            _atoms(programs, years, audited.history, number),
            {"n": figure["n"], "value": figure["share"], "suppressed": figure["share"] is None},
            half_width,
        )
        for i, (figure, programs) in enumerate(groups)
    }
    findings = await _solved(
        {**audited.constraints, **extra}, audited.hidden, audited.options, audited.solutions
    )
    return not all(f.protected for f in findings)


def _complement(published: Mapping[str, Published], figure: Hidden) -> str | None:
    """The published figure to hide next for ``figure``: its counterpart where that is
    published (a competency's mean beside its share satisfied stated as a bound, or the other
    way round: together they bound more than either), else the smallest published sibling under
    its tightest published parent (the parent itself when it has none), else the smallest
    published figure overlapping it."""
    counterparts = [
        name
        for name, p in _shown(published).items()
        if p.atoms == figure.atoms and p.of != figure.of
    ]
    if counterparts:
        return min(counterparts)
    shown = {name: p for name, p in published.items() if p.k is not None and p.n[0] > 0}
    parents = [(len(p.atoms), name) for name, p in shown.items() if figure.atoms < p.atoms]
    if parents:
        parent = min(parents)[1]
        siblings = [
            (p.n[0], name)
            for name, p in shown.items()
            if p.atoms <= shown[parent].atoms and p.atoms.isdisjoint(figure.atoms)
        ]
        return min(siblings)[1] if siblings else parent
    overlapping = [(p.n[0], name) for name, p in shown.items() if p.atoms & figure.atoms]
    return min(overlapping)[1] if overlapping else None


def _shown(published: Mapping[str, Published]) -> dict[str, Published]:
    """The figures whose share is published (exactly, rounded or as an interval)."""
    return {
        name: p
        for name, p in published.items()
        if (p.k is not None or p.share is not None) and p.n[0] > 0
    }


def _overlapping(published: Mapping[str, Published], figures: list[Hidden]) -> list[str]:
    """Every published figure sharing atoms with ``figures``: the first fallback."""
    return [
        name
        for name, p in _shown(published).items()
        if any(p.atoms & figure.atoms for figure in figures)
    ]


def _everything(published: Mapping[str, Published], figures: list[Hidden]) -> list[str]:
    """Every published figure of the audited share or mean: the last fallback."""
    return list(_shown(published))


def _hide(boards: dict[bool, Scoreboard], name: str, measure: Measure) -> None:
    """Hide the figure ``name`` as a complement: a competency's mean and share satisfied
    together (either with the other published would bound what it hides)."""
    _, figure = measure.reported(name)
    scope, scope_id, span = figure.rsplit(":", 2)
    board = boards[span == "pool"]
    key: ScopeKey = (scope, scope_id)  # type: ignore[assignment]
    kinds = ("mean", "satisfied") if SATISFIED in measure.counts_of else ()
    board.hide(key, {measure.key, *((*measure.key[:2], kind) for kind in kinds)})


class _CellsAt(CellStates):
    """The cells as one publication left them."""

    def __init__(self, states: Mapping[CellKey, ScopeTally]) -> None:
        self._states = states

    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]:
        return {cell: t for cell, t in self._states.items() if cell[1] in years}


async def audit_report(uow: AbstractQualityUnitOfWork, number: int) -> dict[str, Any]:
    """The audit of published publication ``number`` as it stands (against every publication
    before it): for each figure of each audited share and competency mean it or an earlier
    publication hides by a primary rule, the range of its n and share (or mean) that anyone
    holding those publications can infer, and whether that keeps the protection width; and how
    the graduate flows it states were checked when they were released (service_layer/flows.py).
    NotFound when there is no such publication."""
    publication = await uow.publications.get(number)
    if publication is None or publication.status != "published":
        raise NotFound("published publication", str(number))
    methodology = from_json(await current_content(uow))
    width = methodology.thresholds.protection_width
    history = {
        cell: [s for s in numbers if s <= number]
        for cell, numbers in (await uow.publications.release_history()).items()
    }
    earlier_ones = [p for p in await uow.publications.published() if p.number < number]
    structures = await structures_of(uow, methodology, [*earlier_ones, publication])
    states = _CellsAt(await _states_at(uow, number))
    cards = {
        key: rounded_card(card, methodology.rounding)
        for key, card in (await uow.publications.cards(number)).items()
    }
    measures = SHARES + [Measure.mean(code) for code in _hidden_means(cards)]
    earlier = await _earlier(uow, history, structures, earlier_ones, methodology, measures)
    figures, constraints = [], 0
    for measure in measures:
        stated, hidden = await _stated(
            cards,
            period=publication.period,
            number=number,
            structure=structures[number],
            history=history,
            cells=states,
            methodology=methodology,
            measure=measure,
        )
        constraints += len(earlier[measure].constraints) + len(stated)
        findings = await _solved(
            {**earlier[measure].constraints, **stated},
            earlier[measure].and_hidden(hidden),
            measure.options(methodology),
        )
        figures += [
            {
                "indicator": measure.reported(f.figure)[0],
                "figure": measure.reported(f.figure)[1],
                "hidden_by": int(f.figure.split("/", 1)[0]),  # this or an earlier publication
                "n_range": list(f.n_range),
                # a mean's range for a competency mean
                "share_range": list(f.share_range),
                "protected": f.protected,
            }
            for f in findings
        ]
    stated_flows = await flows.audited(uow, publication)
    return {
        # Which programs and employers the integrity checks flag, as the assessments stand now
        # (the publication's summary states the counts as they stood when it was made).
        "integrity": await publication_integrity.flags(uow, publication.period),
        "publication": number,
        "period": publication.period,
        "indicators": [measure.name for measure in measures],
        "protection_width": width,
        "mean_protection_width": protection_width(methodology, RATING_SCALE),
        "earlier_publications": len(earlier_ones),
        "constraints": constraints,
        "figures": figures,
        "flows": stated_flows,
        "protected": all(f["protected"] for f in figures)
        and stated_flows["protected"] is not False,
    }
