"""Published figures for one scope: every value with its interval and n, or a reason instead.

`score` turns a scope's tally and outcome counts into a `Scorecard` under a methodology version;
`secondary_suppress` then hides enough of a parent's children (or the parent) that no suppressed
figure is a parent minus its published children. docs/methodology.md gives every definition.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from quality.domain.cells import ScopeTally
from quality.domain.index import (
    DEFAULT_METHODOLOGY,
    IndexResult,
    IndicatorValue,
    Methodology,
    Scale,
    composite_index,
)
from quality.domain.intervals import wilson_interval
from quality.domain.running import RATING_MAX, RATING_MIN, MeanTally, ProportionTally
from quality.domain.suppression import FigureKind, secondary_suppression, suppression_reason

SECONDARY_REASON = "suppressed to protect a smaller group (secondary suppression)"
NO_GRADUATES_REASON = "no graduates in scope"
NO_INTERVAL_REASON = "fewer than 2 ratings"

EMPLOYER_SATISFACTION = "employer_satisfaction"
PREPAREDNESS = "preparedness"
WOULD_HIRE_AGAIN = "would_hire_again"
COMPETENCY_MEAN = "competency_mean"
EMPLOYED_12M = "employed_12m"
EMPLOYED_IN_FIELD = "employed_in_field"
COVERAGE = "coverage"
SHARE_INDICATORS = (
    EMPLOYER_SATISFACTION,
    PREPAREDNESS,
    WOULD_HIRE_AGAIN,
    EMPLOYED_12M,
    EMPLOYED_IN_FIELD,
    COVERAGE,
)
MEAN_INDICATORS = (COMPETENCY_MEAN,)

# Coverage is left out of secondary suppression: it is never suppressed for being small, and
# distinct assessed graduates do not add up across scopes (one graduate, two employers).
_ADDITIVE_INDICATORS = tuple(
    name for name in SHARE_INDICATORS + MEAN_INDICATORS if name != COVERAGE
)
_MEASURES = ("mean", "satisfied")
_PARENT = ""  # key of the parent card while solving a family; never a child id

FigureKey = tuple[str, ...]  # ("indicator", name) | ("domain"|"competency", code, measure)


@dataclass(frozen=True)
class Figure:
    value: float | None  # share 0..1 or mean 1..5; None when suppressed
    ci_low: float | None
    ci_high: float | None
    n: int  # observations behind the value, published even when the value is not
    suppressed: bool
    reason: str | None

    @classmethod
    def hidden(cls, *, n: int, reason: str) -> "Figure":
        return cls(value=None, ci_low=None, ci_high=None, n=n, suppressed=True, reason=reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "suppressed": self.suppressed,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class OutcomeCounts:
    """Employment outcomes of the scope's graduation cohort; both shares are of `graduates`."""

    graduates: int
    employed_12m: int
    employed_in_field: int

    def __post_init__(self) -> None:
        if self.graduates < 0 or not (
            0 <= self.employed_12m <= self.graduates
            and 0 <= self.employed_in_field <= self.graduates
        ):
            raise ValueError("employed counts lie between 0 and the number of graduates")


@dataclass(frozen=True)
class CoverageCounts:
    """Distinct graduates with an active assessment, out of the graduates in scope."""

    assessed: int
    graduates: int

    def __post_init__(self) -> None:
        if not 0 <= self.assessed <= self.graduates:
            raise ValueError("assessed graduates lie between 0 and the graduates in scope")


@dataclass(frozen=True)
class DomainFigures:
    mean: Figure
    satisfied: Figure
    n: int  # ratings pooled over the domain's competencies


@dataclass(frozen=True)
class CompetencyFigures:
    domain: str | None  # None for a competency the domain mapping does not name
    mean: Figure
    satisfied: Figure
    # "1".."5" and "not_rated"; None unless both the mean and the share are published, since
    # the distribution gives both away.
    distribution: dict[str, int] | None
    n: int


@dataclass(frozen=True)
class Scorecard:
    methodology: Methodology  # the version that produced every figure (and the index weights)
    indicators: dict[str, Figure]
    domains: dict[str, DomainFigures]
    competencies: dict[str, CompetencyFigures]
    index: IndexResult

    @property
    def methodology_version(self) -> int:
        return self.methodology.version

    def to_json(self) -> dict[str, Any]:
        return {
            "methodology_version": self.methodology.version,
            "indicators": {name: f.to_json() for name, f in self.indicators.items()},
            "index": {
                "value": self.index.value,
                "suppressed": self.index.value is None,
                "reason": self.index.reason,
                "published_weight_share": self.index.published_weight_share,
                "weights_used": dict(self.index.weights_used),
            },
            "domains": {
                code: {"mean": d.mean.to_json(), "satisfied": d.satisfied.to_json(), "n": d.n}
                for code, d in self.domains.items()
            },
            "competencies": {
                code: {
                    "domain": c.domain,
                    "mean": c.mean.to_json(),
                    "satisfied": c.satisfied.to_json(),
                    "distribution": c.distribution,
                    "n": c.n,
                }
                for code, c in self.competencies.items()
            },
        }


@dataclass(frozen=True)
class SuppressedFamily:
    """A parent scorecard and its children after secondary suppression."""

    parent: Scorecard
    children: dict[str, Scorecard]


@dataclass(frozen=True)
class _Rules:
    methodology: Methodology
    employers: int  # distinct employers behind the scope's assessments
    graduates: int  # distinct graduates behind them

    def share(self, tally: ProportionTally, *, assessments: int | None = None) -> Figure:
        # A pooled figure has more ratings than assessments; the rules count assessments.
        reason = self._reason(FigureKind.SHARE, tally.n if assessments is None else assessments)
        return _share_figure(tally, level=self.methodology.interval_level, reason=reason)

    def mean(self, tally: MeanTally, *, assessments: int) -> Figure:
        reason = self._reason(FigureKind.MEAN, assessments)
        if reason is None and tally.n < 2:
            reason = NO_INTERVAL_REASON
        if reason is not None:
            return Figure.hidden(n=tally.n, reason=reason)
        low, high = tally.interval(self.methodology.interval_level)
        return _published(tally.mean, max(low, RATING_MIN), min(high, RATING_MAX), tally.n)

    def satisfied(self, tally: MeanTally, *, assessments: int | None = None) -> Figure:
        satisfied = tally.satisfied(self.methodology.satisfied_threshold)
        return self.share(satisfied, assessments=assessments)

    def _reason(self, kind: FigureKind, n: int) -> str | None:
        return suppression_reason(
            kind=kind,
            n=n,
            employers=self.employers,
            graduates=self.graduates,
            thresholds=self.methodology.thresholds,
        ) or ("no assessments" if n == 0 else None)


def score(
    tally: ScopeTally,
    *,
    outcomes: OutcomeCounts,
    coverage: CoverageCounts,
    domains: Mapping[str, str],
    methodology: Methodology = DEFAULT_METHODOLOGY,
) -> Scorecard:
    """Every figure of one scope; `domains` maps competency codes to domain codes."""
    rules = _Rules(methodology, employers=len(tally.employers), graduates=len(tally.graduates))
    competencies = sorted(set(tally.competencies) | set(tally.not_rated) | set(domains))
    ratings = {code: tally.competencies.get(code, MeanTally()) for code in competencies}
    indicators = {
        EMPLOYER_SATISFACTION: rules.satisfied(tally.overall),
        PREPAREDNESS: rules.satisfied(tally.preparedness),
        WOULD_HIRE_AGAIN: rules.share(tally.would_hire_again),
        COMPETENCY_MEAN: rules.mean(
            _pooled(ratings.values()), assessments=max((t.n for t in ratings.values()), default=0)
        ),
        EMPLOYED_12M: _outcome_figure(outcomes.employed_12m, outcomes.graduates, methodology),
        EMPLOYED_IN_FIELD: _outcome_figure(
            outcomes.employed_in_field, outcomes.graduates, methodology
        ),
        COVERAGE: _coverage_figure(coverage, methodology),
    }
    domain_figures = {}
    for domain in sorted(set(domains.values())):
        members = [ratings[code] for code in competencies if domains.get(code) == domain]
        pooled, most_rated = _pooled(members), max((t.n for t in members), default=0)
        domain_figures[domain] = DomainFigures(
            mean=rules.mean(pooled, assessments=most_rated),
            satisfied=rules.satisfied(pooled, assessments=most_rated),
            n=pooled.n,
        )
    competency_figures = {}
    for code in competencies:
        rated = ratings[code]
        distribution = {str(r): count for r, count in rated.distribution().items()}
        distribution["not_rated"] = tally.not_rated.get(code, 0)
        competency_figures[code] = CompetencyFigures(
            domain=domains.get(code),
            mean=rules.mean(rated, assessments=rated.n),
            satisfied=rules.satisfied(rated),
            distribution=distribution,
            n=rated.n,
        )
    card = Scorecard(
        methodology=methodology,
        indicators=indicators,
        domains=domain_figures,
        competencies=competency_figures,
        index=_index(indicators, methodology),
    )
    # Hide distributions of suppressed competencies, then protect within the card.
    return _solve({_PARENT: _hide(card, set())})[_PARENT]


def secondary_suppress(parent: Scorecard, children: Mapping[str, Scorecard]) -> SuppressedFamily:
    """Protect suppressed figures against subtraction: parent − Σ published children.

    `children` must partition the parent's assessments and graduates (e.g. an organization's
    programs). For every additive figure (shares, means, per domain and competency) the rule of
    `suppression.secondary_suppression` runs over the children's n; complements get
    SECONDARY_REASON. The parent is hidden instead when no child can protect the residual.
    Inside each card, a domain against its competencies and the pooled competency mean against
    domains and unmapped competencies are protected the same way. Repeats until nothing changes,
    then recomputes each card's index from what is still published.
    """
    if _PARENT in children:
        raise ValueError("a child id cannot be empty")
    if any(child.methodology != parent.methodology for child in children.values()):
        raise ValueError("a parent and its children are scored under one methodology")
    solved = _solve({_PARENT: parent, **children})
    return SuppressedFamily(
        parent=solved[_PARENT], children={k: v for k, v in solved.items() if k != _PARENT}
    )


def _solve(cards: dict[str, Scorecard]) -> dict[str, Scorecard]:
    # Hiding only ever grows, so this stops after at most as many rounds as there are figures.
    cards = dict(cards)
    while True:
        hide: dict[str, set[FigureKey]] = {card_id: set() for card_id in cards}
        for card_id, card in cards.items():
            figures = _figures(card)
            for parent_key, child_keys in _groupings_within(card):
                group = {key: figures[key] for key in child_keys}
                hide_parent, hidden = _protect(figures[parent_key], group)
                hide[card_id] |= hidden | ({parent_key} if hide_parent else set())
        if len(cards) > 1:
            _protect_across(cards, hide)
        if not any(hide.values()):
            return cards
        cards = {card_id: _hide(cards[card_id], hide[card_id]) for card_id in cards}


def _protect_across(cards: Mapping[str, Scorecard], hide: dict[str, set[FigureKey]]) -> None:
    parent = _figures(cards[_PARENT])
    children = {card_id: _figures(card) for card_id, card in cards.items() if card_id != _PARENT}
    for key, parent_figure in parent.items():
        if key == ("indicator", COVERAGE):
            continue
        group = {
            (card_id,): figures[key] for card_id, figures in children.items() if key in figures
        }
        hide_parent, hidden = _protect(parent_figure, group)
        if hide_parent:
            hide[_PARENT].add(key)
        for (card_id,) in hidden:
            hide[card_id].add(key)


def _protect(parent: Figure, children: Mapping[FigureKey, Figure]) -> tuple[bool, set[FigureKey]]:
    result = secondary_suppression(
        parent_published=not parent.suppressed,
        children={"/".join(key): figure.n for key, figure in children.items()},
        primary={"/".join(key) for key, figure in children.items() if figure.suppressed},
    )
    by_id = {"/".join(key): key for key in children}
    hide_parent = result.parent_suppressed and not parent.suppressed
    return hide_parent, {by_id[child] for child in result.secondary}


def _groupings_within(card: Scorecard) -> Iterable[tuple[FigureKey, list[FigureKey]]]:
    for domain in card.domains:
        members = [code for code, c in card.competencies.items() if c.domain == domain]
        for measure in _MEASURES:
            yield ("domain", domain, measure), [("competency", c, measure) for c in members]
    unmapped = [code for code, c in card.competencies.items() if c.domain is None]
    yield (
        ("indicator", COMPETENCY_MEAN),
        [("domain", d, "mean") for d in card.domains]
        + [("competency", c, "mean") for c in unmapped],
    )


def _figures(card: Scorecard) -> dict[FigureKey, Figure]:
    figures: dict[FigureKey, Figure] = {("indicator", n): f for n, f in card.indicators.items()}
    for kind, group in (("domain", card.domains), ("competency", card.competencies)):
        for code, item in group.items():
            figures[(kind, code, "mean")] = item.mean
            figures[(kind, code, "satisfied")] = item.satisfied
    return figures


def _hide(card: Scorecard, keys: set[FigureKey]) -> Scorecard:
    def hidden(key: FigureKey, figure: Figure) -> Figure:
        if key not in keys or figure.suppressed:
            return figure
        return Figure.hidden(n=figure.n, reason=SECONDARY_REASON)

    indicators = {name: hidden(("indicator", name), f) for name, f in card.indicators.items()}
    domains = {
        code: replace(
            d,
            mean=hidden(("domain", code, "mean"), d.mean),
            satisfied=hidden(("domain", code, "satisfied"), d.satisfied),
        )
        for code, d in card.domains.items()
    }
    competencies = {}
    for code, c in card.competencies.items():
        mean = hidden(("competency", code, "mean"), c.mean)
        satisfied = hidden(("competency", code, "satisfied"), c.satisfied)
        shown = not mean.suppressed and not satisfied.suppressed
        competencies[code] = replace(
            c, mean=mean, satisfied=satisfied, distribution=c.distribution if shown else None
        )
    return replace(
        card,
        indicators=indicators,
        domains=domains,
        competencies=competencies,
        index=_index(indicators, card.methodology),
    )


def _index(indicators: Mapping[str, Figure], methodology: Methodology) -> IndexResult:
    # Built from published values only, so the index cannot leak a suppressed indicator.
    values = {
        name: IndicatorValue(figure.value, Scale.RATING if name in MEAN_INDICATORS else Scale.SHARE)
        for name, figure in indicators.items()
    }
    return composite_index(values, methodology)


def _pooled(tallies: Iterable[MeanTally]) -> MeanTally:
    pooled = MeanTally()
    for tally in tallies:
        pooled.n += tally.n
        pooled.total += tally.total
        pooled.total_sq += tally.total_sq
        pooled.counts = [a + b for a, b in zip(pooled.counts, tally.counts, strict=True)]
    return pooled


def _outcome_figure(employed: int, graduates: int, methodology: Methodology) -> Figure:
    reason = suppression_reason(
        kind=FigureKind.SHARE,
        n=graduates,
        employers=None,  # an outcome (employed or not) does not describe an employer
        graduates=graduates,
        thresholds=methodology.thresholds,
        counted="graduates",
    ) or (NO_GRADUATES_REASON if graduates == 0 else None)
    tally = ProportionTally(successes=employed, n=graduates)
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


def _published(value: float | None, low: float, high: float, n: int) -> Figure:
    return Figure(value=value, ci_low=low, ci_high=high, n=n, suppressed=False, reason=None)
