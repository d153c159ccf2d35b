"""Secondary suppression: no suppressed figure may be recovered by subtraction.

Separate from `scoring` because it works on finished scorecards, within one card and across a
parent and its children, and repeats until nothing changes; docs/methodology.md gives the rule.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from quality.domain.scorecard import (
    COMPETENCY_MEAN,
    COVERAGE,
    SECONDARY_REASON,
    Figure,
    FigureKey,
    Scorecard,
    published_index,
)
from quality.domain.suppression import secondary_suppression

_MEASURES = ("mean", "satisfied")
_PARENT = ""  # key of the parent card while solving a family; never a child id


@dataclass(frozen=True)
class SuppressedFamily:
    """A parent scorecard and its children after secondary suppression."""

    parent: Scorecard
    children: dict[str, Scorecard]


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


def suppress_within(card: Scorecard) -> Scorecard:
    """Hide distributions of suppressed competencies, then protect within the one card."""
    return _solve({_PARENT: _hide(card, set())})[_PARENT]


def hide_figures(card: Scorecard, keys: set[FigureKey]) -> Scorecard:
    """``card`` with the figures ``keys`` hidden as complements (index recomputed)."""
    return _hide(card, keys)


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
            # Never suppressed for being small, and distinct assessed graduates do not add up
            # across scopes (one graduate, two employers): nothing to protect by subtraction.
            continue
        group: dict[FigureKey, Figure] = {
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
    parent: FigureKey = ("indicator", COMPETENCY_MEAN)
    children: list[FigureKey] = [("domain", d, "mean") for d in card.domains]
    yield parent, children + [("competency", c, "mean") for c in unmapped]


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
        index=published_index(indicators, card.methodology),
    )
