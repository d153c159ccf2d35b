"""The live figures kept between scoring windows, moved by what each window's marks changed.

Recomputing every scope of each marked period made a window's cost grow with the data; once the
data grew the consumers never caught up. A board keeps, for one period (or pool), every scope's
inputs (small sums: domain/summary.py), its primary scorecard (before secondary suppression) and
its card as stored. A window reloads only the marked programs, moves each of their ancestors'
inputs by the program's difference, re-scores those scopes and runs secondary suppression over
the families they belong to — and over the families of every card that changes in turn. Its
work is what the change touches, not the period.

A board is built afresh (one whole-period computation) when there is none for its period yet,
when what every card is scored with changed (methodology, the frameworks' domains, outcomes
becoming publishable), when a program's owner, region or clusters changed, when anyone else
wrote the period's stored cards (another replica's window, a rebuild), when a window failed
before its commit, and after ``reconcile_every_s``: complements that an earlier change made
necessary, and that no longer are, are dropped then (the live view errs on hiding more).
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from math import inf

from quality.domain.index import Methodology
from quality.domain.model import Card, Families, ScopeKey
from quality.domain.periods import years_of
from quality.domain.scorecard import Scorecard
from quality.service_layer.scoreboard import (
    ScopeInputs,
    ScoringBasis,
    compute_scoreboard,
    families_of,
    outcomes_pending,
    program_inputs,
    protect_from,
    scope_families,
)
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork

# Boards kept at once: a change in one year moves that year and the pools of the next ones.
MAX_BOARDS = 12


@dataclass
class Changes:
    """What one window changed of a period's stored cards."""

    saved: dict[ScopeKey, Card] = field(default_factory=dict)
    deleted: set[ScopeKey] = field(default_factory=set)


@dataclass
class LiveBoard:
    period: int
    pooled: bool
    basis: ScoringBasis
    families: Families
    inputs: dict[ScopeKey, ScopeInputs]
    primary: dict[ScopeKey, Scorecard]
    cards: dict[ScopeKey, Scorecard]
    stored: dict[ScopeKey, Card]  # each card as stored, to tell what a window changed
    built_at: float
    written: tuple[int, str] = (0, "")  # the stored cards' count and latest write, after ours
    # Ranks: the comparable groups they were last stored with (None: never, rank every unit),
    # the scopes changed since, and when.
    rank_groups: dict[ScopeKey, str] | None = None
    unranked: set[ScopeKey] = field(default_factory=set)
    ranked_at: float = -inf

    @property
    def ancestors(self) -> dict[str, frozenset[ScopeKey]]:
        return _ancestors(self.families)

    async def refresh(self, uow: AbstractQualityUnitOfWork, programs: set[str]) -> Changes | None:
        """Move the board by the marked ``programs``; None when a program's ancestors changed
        (the board must then be built afresh)."""
        years = years_of(self.period, pooled=self.pooled)
        methodology, domains = self.basis.methodology, self.basis.domains
        fresh = await program_inputs(uow, years, uow.cells, methodology, domains, programs)
        before = {key[1] for key in self.inputs if key[0] == "program"}
        present = (before - programs) | set(fresh)
        families = await scope_families(uow, present, years)
        was, now = self.ancestors, _ancestors(families)
        if any(was.get(p) != now.get(p) for p in before & present):
            return None
        touched: set[ScopeKey] = set()
        for program in programs:
            key: ScopeKey = ("program", program)
            old, new = self.inputs.get(key) or ScopeInputs.empty(), fresh.get(program)
            for ancestor in was.get(program, frozenset()) | now.get(program, frozenset()):
                self.inputs.setdefault(ancestor, ScopeInputs.empty()).move(
                    old, new or ScopeInputs.empty()
                )
                touched.add(ancestor)
            if new is None:
                self.inputs.pop(key, None)
            else:
                self.inputs[key] = new
            touched.add(key)
        self.families = families
        self.unranked |= touched
        return self._rescore(touched)

    def _rescore(self, touched: set[ScopeKey]) -> Changes:
        changes = Changes()
        live = set(self.families) | {k for k in self.inputs if k[0] == "program"}
        for key in touched - live:  # a scope left with nothing to score
            for kept in (self.inputs, self.primary, self.cards, self.stored):
                kept.pop(key, None)
            changes.deleted.add(key)
        moved = set()
        for key in touched & live:
            card = self.basis.score(self.inputs[key])
            if self.primary.get(key) != card:
                self.primary[key] = card
                moved.add(key)
        # Complements chosen because of a moved card may no longer be needed: its families
        # start over from the primary cards, and so do the families of every card restarted
        # that had been hidden as a complement (its own families chose it), then protect.
        of = families_of(self.families)
        restart, frontier = set(moved), list(moved)
        while frontier:
            for parent in of.get(frontier.pop(), ()):
                for member in _members(parent, self.families) - restart:
                    restart.add(member)
                    if self.cards.get(member) != self.primary[member]:
                        frontier.append(member)
        for key in restart:
            self.cards[key] = self.primary[key]
        changed = restart | protect_from(self.cards, self.families, of, restart)
        for key in changed:
            content = self.cards[key].to_json()
            if self.stored.get(key) != content:
                self.stored[key] = content
                changes.saved[key] = content
        return changes


class LiveBoards:
    """The boards of the periods a window touched lately (at most ``limit``)."""

    def __init__(
        self,
        *,
        reconcile_every_s: float = inf,
        rank_every_s: float = 0.0,
        limit: int = MAX_BOARDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._boards: OrderedDict[tuple[int, bool], LiveBoard] = OrderedDict()
        self._reconcile_every_s = reconcile_every_s
        self._rank_every_s = rank_every_s
        self._limit = limit
        self.clock = clock

    def due_for_ranks(self) -> list[LiveBoard]:
        """Boards whose changed scopes wait to be ranked and whose last ranking is old enough:
        ranking draws from every unit's posterior, too much to do every window at scale."""
        return [
            board
            for board in self._boards.values()
            if (board.rank_groups is None or board.unranked)
            and self.clock() - board.ranked_at >= self._rank_every_s
        ]

    def board(self, period: int, pooled: bool) -> LiveBoard | None:
        return self._boards.get((period, pooled))

    def forget(self) -> None:
        """Drop every board: the stored cards may differ from them (a failed window)."""
        self._boards.clear()

    async def window(
        self,
        uow: AbstractQualityUnitOfWork,
        *,
        period: int,
        pooled: bool,
        programs: set[str],
        methodology: Methodology,
        today: date,
    ) -> tuple[LiveBoard, Changes]:
        """The period's board after this window's marks, and what changed of its cards."""
        basis = ScoringBasis(
            methodology=methodology,
            domains=await uow.frameworks.domains(),
            outcomes_pending=outcomes_pending(period, methodology, today=today),
        )
        board = self._boards.pop((period, pooled), None)
        changes = None
        if board is not None and await self._current(uow, board, basis):
            changes = await board.refresh(uow, programs)
        if board is None or changes is None:
            board, changes = await self._build(uow, period, pooled, basis, today)
        self._boards[(period, pooled)] = board
        while len(self._boards) > self._limit:
            self._boards.popitem(last=False)
        return board, changes

    async def _current(
        self, uow: AbstractQualityUnitOfWork, board: LiveBoard, basis: ScoringBasis
    ) -> bool:
        return (
            board.basis == basis
            and self.clock() - board.built_at < self._reconcile_every_s
            and board.written == await uow.scores.written(period=board.period, pooled=board.pooled)
        )

    async def _build(
        self,
        uow: AbstractQualityUnitOfWork,
        period: int,
        pooled: bool,
        basis: ScoringBasis,
        today: date,
    ) -> tuple[LiveBoard, Changes]:
        scoreboard = await compute_scoreboard(
            uow, period=period, pooled=pooled, methodology=basis.methodology, today=today
        )
        stored = await uow.scores.cards(period=period, pooled=pooled)
        board = LiveBoard(
            period=period,
            pooled=pooled,
            basis=basis,
            families=scoreboard.families,
            inputs=scoreboard.inputs,
            primary=scoreboard.primary,
            cards=scoreboard.cards,
            stored={key: card.to_json() for key, card in scoreboard.cards.items()},
            built_at=self.clock(),
        )
        changes = Changes(deleted=set(stored) - set(board.stored))
        for key, content in sorted(board.stored.items()):
            if stored.get(key) != content:
                changes.saved[key] = content
        return board, changes


def _ancestors(families: Families) -> dict[str, frozenset[ScopeKey]]:
    """Program → every scope above it."""
    parents: dict[ScopeKey, set[ScopeKey]] = {}
    for parent, children in families.items():
        for child in children:
            parents.setdefault(child, set()).add(parent)
    found: dict[ScopeKey, frozenset[ScopeKey]] = {}

    def above(key: ScopeKey) -> frozenset[ScopeKey]:
        if key not in found:
            direct = parents.get(key, set())
            found[key] = frozenset(direct).union(*(above(p) for p in direct))
        return found[key]

    return {key[1]: above(key) for key in parents if key[0] == "program"}


def _members(parent: ScopeKey, families: Families) -> set[ScopeKey]:
    return {parent, *families[parent]}
