"""Published figures for one scope: every value with its interval and n, or a reason instead.

`score` turns a scope's tally and outcome counts into a `Scorecard` (see `scorecard`) under a
methodology version; `disclosure.secondary_suppress` then hides enough of a parent's children (or
the parent) that no suppressed figure is a parent minus its published children.
docs/methodology.md gives every definition.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from quality.domain.cells import ALL_RATINGS, ScopeTally
from quality.domain.clustered import (
    GroupMoments,
    clustered_mean_interval,
    clustered_share_interval,
    conservative_mean_interval,
)
from quality.domain.disclosure import suppress_within
from quality.domain.index import DEFAULT_METHODOLOGY, Methodology
from quality.domain.intervals import wilson_bounds, wilson_interval
from quality.domain.outcomes import OutcomeCounts
from quality.domain.running import RATING_MAX, RATING_MIN, MeanTally, ProportionTally
from quality.domain.scorecard import (
    COMPETENCY_MEAN,
    COVERAGE,
    EMPLOYED_12M,
    EMPLOYED_IN_FIELD,
    EMPLOYER_MARKED_IN_FIELD,
    EMPLOYER_SATISFACTION,
    EQUAL_RATINGS_NOTE,
    GRADUATE_LEVEL,
    NO_GRADUATES_REASON,
    NO_INTERVAL_REASON,
    OUTCOME_KNOWN,
    PREPAREDNESS,
    WOULD_HIRE_AGAIN,
    CompetencyFigures,
    CoverageCounts,
    DomainFigures,
    Figure,
    Scorecard,
    published_index,
)
from quality.domain.summary import EVERY_RATING, RatingGroup, ScopeSummary
from quality.domain.suppression import FigureKind, dominance_reason, suppression_reason


@dataclass(frozen=True)
class _Rules:
    methodology: Methodology
    by_employer: Mapping[str, int]  # assessments per distinct employer behind the figures
    graduates: int  # distinct graduates behind them

    def counting(self, summary: ScopeSummary, codes: Iterable[str], group: RatingGroup) -> "_Rules":
        """The rules for a figure built on the ratings of `codes` (rating group `group`): only
        who rated them counts (an employer's assessments: the most it rated any one of the
        codes, as the figure's n counts the most-rated code's assessments)."""
        by_employer: dict[str, int] = {}
        for code in codes:
            for employer, count in summary.competency_employers.get(code, {}).items():
                by_employer[employer] = max(by_employer.get(employer, 0), count)
        return replace(self, by_employer=by_employer, graduates=summary.rated_by(group))

    def share(self, tally: ProportionTally, *, assessments: int | None = None) -> Figure:
        # A pooled figure has more ratings than assessments; the rules count assessments.
        reason = self._reason(FigureKind.SHARE, tally.n if assessments is None else assessments)
        return _share_figure(tally, level=self.methodology.interval_level, reason=reason)

    def mean(self, tally: MeanTally) -> Figure:
        """One competency's mean: one rating per assessment, a plain t interval."""
        reason = self._reason(FigureKind.MEAN, tally.n)
        if reason is None and tally.n < 2:
            reason = NO_INTERVAL_REASON
        if reason is not None:
            return Figure.hidden(n=tally.n, reason=reason)
        return _mean_figure(tally, tally.interval(self.methodology.interval_level))

    def satisfied(self, tally: MeanTally) -> Figure:
        return self.share(tally.satisfied(self.methodology.satisfied_threshold))

    def pooled_mean(self, pooled: "_Pooled") -> Figure:
        """The mean of several competencies' ratings, its interval by assessment."""
        ratings, level = pooled.ratings, self.methodology.interval_level
        reason = self._reason(FigureKind.MEAN, pooled.assessments)
        if reason is None and min(ratings.n, pooled.assessments) < 2:
            reason = NO_INTERVAL_REASON
        if reason is not None:
            return Figure.hidden(n=ratings.n, reason=reason)
        if pooled.moments is None:
            interval = conservative_mean_interval(ratings, pooled.assessments, level)
        else:
            interval = clustered_mean_interval(pooled.moments, level)
        return _mean_figure(ratings, interval)

    def pooled_satisfied(self, pooled: "_Pooled") -> Figure:
        """The share of several competencies' ratings at the threshold or above, its interval
        by assessment."""
        ratings, level = pooled.ratings, self.methodology.interval_level
        threshold = self.methodology.satisfied_threshold
        reason = self._reason(FigureKind.SHARE, pooled.assessments)
        if reason is None and pooled.assessments < 2:
            reason = NO_INTERVAL_REASON
        if reason is not None:
            return Figure.hidden(n=ratings.n, reason=reason)
        satisfied = ratings.satisfied(threshold)
        share = satisfied.successes / satisfied.n
        if pooled.moments is None:
            low, high = wilson_bounds(share, pooled.assessments, level)
        else:
            low, high = clustered_share_interval(pooled.moments, threshold, level)
        return _published(share, low, high, ratings.n)

    def _reason(self, kind: FigureKind, n: int) -> str | None:
        thresholds = self.methodology.thresholds
        return (
            suppression_reason(
                kind=kind,
                n=n,
                employers=len(self.by_employer),
                graduates=self.graduates,
                thresholds=thresholds,
            )
            or ("no assessments" if n == 0 else None)
            or dominance_reason(kind=kind, n=n, by_employer=self.by_employer, thresholds=thresholds)
        )


def score(
    tally: ScopeTally | ScopeSummary,
    *,
    outcomes: OutcomeCounts,
    coverage: CoverageCounts,
    domains: Mapping[str, str],
    methodology: Methodology = DEFAULT_METHODOLOGY,
    outcomes_pending: str | None = None,
) -> Scorecard:
    """Every figure of one scope; `domains` maps competency codes to domain codes;
    `outcomes_pending` says why the outcome figures are not published yet (their census window
    is still open), if so. A program is scored from its tally, any scope from its summary:
    the same figures (domain/summary.py)."""
    if isinstance(tally, ScopeTally):
        tally = ScopeSummary.of(tally, domains)
    rules = _Rules(methodology, by_employer=tally.employers, graduates=tally.graduates)
    competencies = sorted(set(tally.competencies) | set(tally.not_rated) | set(domains))
    ratings = {code: tally.competencies.get(code, MeanTally()) for code in competencies}
    # Rating figures count the distinct employers and graduates who rated them, not the scope's:
    # a competency rated by one employer of twelve describes that one employer.
    pooled_rules = rules.counting(tally, competencies, EVERY_RATING)
    every_rating = _Pooled.of(tally, competencies, group=ALL_RATINGS)
    indicators = {
        EMPLOYER_SATISFACTION: rules.satisfied(tally.overall),
        PREPAREDNESS: rules.satisfied(tally.preparedness),
        WOULD_HIRE_AGAIN: rules.share(tally.would_hire_again),
        COMPETENCY_MEAN: pooled_rules.pooled_mean(every_rating),
        **_outcome_figures(outcomes, methodology, pending=outcomes_pending),
        COVERAGE: _coverage_figure(coverage, methodology),
    }
    domain_figures = {}
    for domain in sorted(set(domains.values())):
        codes = [code for code in competencies if domains.get(code) == domain]
        pooled = _Pooled.of(tally, codes, group=domain)
        domain_rules = rules.counting(tally, codes, ("domain", domain))
        domain_figures[domain] = DomainFigures(
            mean=domain_rules.pooled_mean(pooled),
            satisfied=domain_rules.pooled_satisfied(pooled),
            n=pooled.ratings.n,
        )
    competency_figures = {}
    for code in competencies:
        rated = ratings[code]
        distribution = {str(r): count for r, count in rated.distribution().items()}
        distribution["not_rated"] = tally.not_rated.get(code, 0)
        competency_rules = rules.counting(tally, [code], ("competency", code))
        competency_figures[code] = CompetencyFigures(
            domain=domains.get(code),
            mean=competency_rules.mean(rated),
            satisfied=competency_rules.satisfied(rated),
            distribution=distribution,
            n=rated.n,
        )
    card = Scorecard(
        methodology=methodology,
        indicators=indicators,
        domains=domain_figures,
        competencies=competency_figures,
        index=published_index(indicators, methodology),
    )
    # Hide distributions of suppressed competencies, then protect within the card.
    return suppress_within(card)


@dataclass(frozen=True)
class _Pooled:
    """The ratings of several competencies pooled, and what their figures need."""

    ratings: MeanTally
    assessments: int  # of the most-rated competency: what the small-cell rules count
    moments: GroupMoments | None  # per-assessment moments; None when they do not add up

    @classmethod
    def of(cls, tally: ScopeSummary, codes: Iterable[str], *, group: str) -> "_Pooled":
        members = [tally.competencies.get(code, MeanTally()) for code in codes]
        ratings = MeanTally()
        for member in members:
            ratings.n += member.n
            ratings.total += member.total
            ratings.total_sq += member.total_sq
            ratings.counts = [a + b for a, b in zip(ratings.counts, member.counts, strict=True)]
        moments = tally.groups.get(group)
        # Moments describe these ratings only when every one of them was counted in them (not
        # so for assessments counted before moments were kept, or under another framework's
        # domains); otherwise the interval is the conservative one.
        if moments is not None and (moments.k, moments.s) != (ratings.n, ratings.total):
            moments = None
        return cls(ratings, max((m.n for m in members), default=0), moments)


def _outcome_figures(
    outcomes: OutcomeCounts, methodology: Methodology, *, pending: str | None
) -> dict[str, Figure]:
    """The census outcome figures: each a share of graduates, with its own denominator."""
    shares = {
        EMPLOYED_12M: (outcomes.positive, outcomes.known),
        GRADUATE_LEVEL: (outcomes.graduate_level, outcomes.working),
        EMPLOYED_IN_FIELD: (outcomes.in_field, outcomes.working),
        EMPLOYER_MARKED_IN_FIELD: (outcomes.marked_in_field, outcomes.working),
    }
    known = (outcomes.known, outcomes.graduates)
    if pending is not None:
        return {
            name: Figure.hidden(n=n, reason=pending)
            for name, (_, n) in {OUTCOME_KNOWN: known, **shares}.items()
        }
    figures = {OUTCOME_KNOWN: _outcome_share(*known, methodology)}
    too_few_known = (
        outcomes.graduates > 0 and outcomes.known < methodology.min_known_share * outcomes.graduates
    )
    for name, (counted, n) in shares.items():
        figures[name] = (
            Figure.hidden(n=n, reason=too_few_known_reason(methodology))
            if too_few_known
            else _outcome_share(counted, n, methodology)
        )
    return figures


def too_few_known_reason(methodology: Methodology) -> str:
    return (
        f"outcomes known for less than {methodology.min_known_share:.0%} of the cohort "
        "(the least for publishing outcomes)"
    )


def _outcome_share(counted: int, n: int, methodology: Methodology) -> Figure:
    reason = suppression_reason(
        kind=FigureKind.SHARE,
        n=n,
        employers=None,  # an outcome (employed or not) does not describe an employer
        graduates=n,
        thresholds=methodology.thresholds,
        counted="graduates",
    ) or (NO_GRADUATES_REASON if n == 0 else None)
    tally = ProportionTally(successes=counted, n=n)
    return _share_figure(tally, level=methodology.interval_level, reason=reason)


def _coverage_figure(coverage: CoverageCounts, methodology: Methodology) -> Figure:
    # Never suppressed for being small: the coverage of a tiny cell is what tells readers its
    # other figures rest on 3 of 900 graduates, and it names no employer's or graduate's view.
    reason = NO_GRADUATES_REASON if coverage.graduates == 0 else None
    tally = ProportionTally(successes=coverage.assessed, n=coverage.graduates)
    return _share_figure(tally, level=methodology.interval_level, reason=reason)


def _share_figure(tally: ProportionTally, *, level: float, reason: str | None) -> Figure:
    if reason is not None:
        return Figure.hidden(n=tally.n, reason=reason)
    low, high = wilson_interval(tally.successes, tally.n, level)
    return _published(tally.successes / tally.n, low, high, tally.n)


def _mean_figure(ratings: MeanTally, interval: tuple[float, float]) -> Figure:
    low, high = max(interval[0], RATING_MIN), min(interval[1], RATING_MAX)
    figure = _published(ratings.mean, low, high, ratings.n)
    if sum(1 for count in ratings.counts if count) == 1:
        # Publications withhold such a mean (it states every answer): the note tells them.
        return replace(figure, reason=EQUAL_RATINGS_NOTE)
    return figure


def _published(value: float | None, low: float, high: float, n: int) -> Figure:
    return Figure(value=value, ci_low=low, ci_high=high, n=n, suppressed=False, reason=None)
