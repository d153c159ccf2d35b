"""Publications on the in-memory unit of work: the release rule, immutability, restatements,
the interim round, and a property test that no two publications isolate a small batch."""

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quality.domain.methodology import from_json
from quality.domain.publication import PendingChanges, releasable
from quality.domain.scorecard import ONE_CATEGORY_REASON
from quality.domain.suppression import DEFAULT_THRESHOLDS
from quality.service_layer import (
    aggregation,
    publication_audit,
    publications,
    reading,
    registry_events,
)
from quality.service_layer.methodology import current_content
from quality.service_layer.publication_audit import audit_report

from shared.contracts.catalogue import assessment as ev
from shared.contracts.catalogue import registry
from shared.platform.auth import Identity
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.quality.fakes import FakeQualityUnitOfWork
from tests.unit.quality.test_scoring_handlers import PERIOD, institution_i1, program_of_i1, state

MINISTRY = Identity(sub="m", role="ministry")
BATCH = max(DEFAULT_THRESHOLDS.min_share_n, DEFAULT_THRESHOLDS.min_mean_n)  # 10


@pytest.fixture
async def uow() -> FakeQualityUnitOfWork:
    uow = FakeQualityUnitOfWork()
    await institution_i1(uow)
    await program_of_i1(uow, "p1")
    return uow


async def submit(uow, i: int, *, employer: int | None = None, overall: int = 4, revision=1):
    one: dict[str, Any] = state(revision, assessment_id=f"a{i}", overall=overall)
    one |= {"employer_id": f"e{i if employer is None else employer}", "graduate_id": f"g{i}"}
    kind = ev.AssessmentSubmitted if revision == 1 else ev.AssessmentRevised
    await aggregation.apply_assessment(uow, kind(**one))


async def interim(uow, period: int = PERIOD):
    """An interim publication of ``period`` the ministry makes at once."""
    return await publications.open_release(
        lambda: uow,
        lambda: uow,
        MINISTRY,
        period=period,
        kind="interim",
        restate=False,
        reason=None,
        review_s=0,
    )


async def published_n(uow, number: int) -> int:
    cards = await uow.publications.cards(number)
    return cards[(("program", "p1"), False)]["indicators"]["employer_satisfaction"]["n"]


async def test_changes_wait_until_a_batch_from_enough_employers_is_released_together(uow):
    for i in range(BATCH - 1):
        await submit(uow, i)
    first = await interim(uow)
    assert first.summary["released_cells"] == 0 and first.summary["held_back_cells"] == 1
    assert ("p1", PERIOD) not in uow.released.rows

    await submit(uow, BATCH - 1)
    second = await interim(uow)
    assert second.summary["released_cells"] == 1
    assert uow.released.rows[("p1", PERIOD)] == uow.cells.rows[("p1", PERIOD)]
    assert await published_n(uow, second.number) == BATCH
    assert await uow.backlog.pending() == {}


async def test_a_batch_from_too_few_employers_waits(uow):
    for i in range(BATCH + 5):
        await submit(uow, i, employer=i % (DEFAULT_THRESHOLDS.min_employers - 1))
    made = await interim(uow)
    assert made.summary["released_cells"] == 0


async def test_revising_one_assessment_again_and_again_is_one_change(uow):
    for i in range(BATCH):
        await submit(uow, i)
    await interim(uow)
    for revision in range(2, 2 + BATCH):
        await submit(uow, 0, overall=1 + revision % 5, revision=revision)
    held = await interim(uow)
    assert held.summary["released_cells"] == 0
    pending = await uow.backlog.pending()
    assert pending[("p1", PERIOD)].assessments == frozenset({"a0"})


async def test_a_published_publication_never_changes(uow):
    for i in range(BATCH):
        await submit(uow, i)
    first = await interim(uow)
    before = await uow.publications.cards(first.number)
    for i in range(BATCH, 2 * BATCH):
        await submit(uow, i, overall=1)
    second = await interim(uow)
    assert await uow.publications.cards(first.number) == before
    assert await published_n(uow, second.number) == 2 * BATCH
    with pytest.raises(Conflict):
        await publications.publish_release(uow, MINISTRY, first.number, close_review=True)


async def test_an_official_release_is_restated_only_with_a_reason(uow):
    for i in range(BATCH):
        await submit(uow, i)

    async def official(**how):
        return await publications.open_release(
            lambda: uow, lambda: uow, MINISTRY, period=PERIOD, kind="official", review_s=0, **how
        )

    with pytest.raises(Conflict):  # nothing to restate yet
        await official(restate=True, reason="a correction")
    draft = await official(restate=False, reason=None)
    with pytest.raises(Conflict):  # one draft at a time
        await official(restate=False, reason=None)
    assert await publications.publish_interim(lambda: uow) == []  # the draft speaks for it
    await publications.publish_release(uow, MINISTRY, draft.number, close_review=False)
    with pytest.raises(Conflict):
        await official(restate=False, reason=None)
    with pytest.raises(RuleViolation) as refused:
        await official(restate=True, reason=" ")
    assert refused.value.field == "reason"
    restatement = await official(restate=True, reason="register corrections")
    assert restatement.restates == draft.number
    institution = Identity(sub="i", role="institution", org="i1")
    with pytest.raises(Forbidden):
        await publications.publish_release(uow, institution, restatement.number, close_review=True)


@given(
    changes=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 7), st.integers(0, 30)), max_size=60
    ),
    every=st.integers(1, 12),
)
@settings(max_examples=60, deadline=None)
def test_consecutive_released_states_of_a_cell_differ_by_a_whole_batch(changes, every):
    # A reader holding every publication sees a cell change only between two publications;
    # each such change takes in at least BATCH assessments from min_employers employers.
    pending: dict[tuple[str, int], set[tuple[str, str]]] = {}
    released_changes: list[set[tuple[str, str]]] = []
    for step, (cell, employer, assessment) in enumerate(changes, start=1):
        pending.setdefault((f"p{cell}", PERIOD), set()).add((f"a{assessment}", f"e{employer}"))
        if step % every:
            continue
        view = {
            key: PendingChanges(frozenset(a for a, _ in batch), frozenset(e for _, e in batch))
            for key, batch in pending.items()
        }
        for key in releasable(view, DEFAULT_THRESHOLDS):
            released_changes.append(pending.pop(key))
    for batch in released_changes:
        assert len({a for a, _ in batch}) >= BATCH
        assert len({e for _, e in batch}) >= DEFAULT_THRESHOLDS.min_employers


async def assessed(
    uow,
    program: str,
    *,
    employers: list[int],
    satisfied: int,
    year: int = PERIOD,
    prepared: int | None = None,
) -> None:
    """One assessment per entry of ``employers`` (employer numbers), ``satisfied`` of them 5s
    (and ``prepared`` of them, or as many, prepared 5; the rest 2)."""
    prepared = satisfied if prepared is None else prepared
    for i, employer in enumerate(employers):
        one: dict[str, Any] = state(assessment_id=f"{program}-{year}-{i}", program_id=program)
        one |= {
            "employer_id": f"e{employer}",
            "graduate_id": f"{program}-g{i}",
            "overall_satisfaction": 5 if i < satisfied else 2,
            "preparedness": 5 if i < prepared else 2,
            "period": year,
        }
        await aggregation.apply_assessment(uow, ev.AssessmentSubmitted(**one))


def shown(cards, scope_id: str, *, pooled: bool = False) -> dict:
    key = ("organization" if scope_id == "i1" else "program", scope_id)
    return cards[(key, pooled)]["indicators"]["employer_satisfaction"]


async def test_the_audit_adds_a_complement_where_secondary_suppression_pins_a_hidden_share(uow):
    # Channel 6: complements that protect counts, not values. p1 is hidden (one employer wrote
    # 6 of its 10 assessments); secondary suppression hides p2, the smallest sibling. With
    # p1 + p2 = 14 satisfied of 21 and p2 at most 11, p1 is at least 3 of 10: its true 3/10 is
    # pinned from below. The audit hides p3 as well.
    for program in ("p2", "p3"):
        await program_of_i1(uow, program)
    await assessed(uow, "p1", employers=[0] * 6 + [1, 2, 3, 4], satisfied=3)
    await assessed(uow, "p2", employers=list(range(10, 21)), satisfied=11)
    await assessed(uow, "p3", employers=list(range(20, 50)), satisfied=20)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    assert shown(cards, "p1")["suppressed"] and shown(cards, "p2")["suppressed"]
    assert shown(cards, "p3")["suppressed"], "the audit's complement"
    assert not shown(cards, "i1")["suppressed"] and shown(cards, "i1")["n"] == 51
    audit = made.summary["audit"]
    assert audit["complements"] >= 1 and audit["unprotected"] == 0
    assert audit["protection_width"] == DEFAULT_THRESHOLDS.protection_width

    # The audit of the publication as it stands says the same, figure by figure.
    report = await audit_report(uow, made.number)
    assert report["protected"] is True
    (p1,) = [
        f
        for f in report["figures"]
        if (f["indicator"], f["figure"]) == ("employer_satisfaction", "program:p1:year")
    ]
    low, high = p1["share_range"]
    assert low <= 0.3 - 0.1 + 1e-9 and high >= 0.3 + 0.1 - 1e-9  # true 3/10, width 0.10
    with pytest.raises(NotFound):
        await audit_report(uow, made.number + 1)


async def test_the_audit_protects_the_other_shares_of_assessments_as_well(uow):
    # The same pinning as above, in preparedness only: employer satisfaction is the same in
    # every program (nothing to protect there beyond secondary suppression), p1's share prepared
    # (3 of 10) is pinned by i1 − p2 unless p3's is hidden too.
    for program in ("p2", "p3"):
        await program_of_i1(uow, program)
    await assessed(uow, "p1", employers=[0] * 6 + [1, 2, 3, 4], satisfied=5, prepared=3)
    await assessed(uow, "p2", employers=list(range(10, 21)), satisfied=5, prepared=11)
    await assessed(uow, "p3", employers=list(range(20, 50)), satisfied=15, prepared=20)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    prepared = cards[(("program", "p3"), False)]["indicators"]["preparedness"]
    assert prepared["suppressed"], "the audit's complement, in preparedness"
    audit = made.summary["audit"]
    assert audit["unprotected"] == 0
    assert audit["indicators"]["preparedness"]["complements"] >= 1
    report = await audit_report(uow, made.number)
    assert report["protected"] is True
    (p1,) = [
        f
        for f in report["figures"]
        if (f["indicator"], f["figure"]) == ("preparedness", "program:p1:year")
    ]
    low, high = p1["share_range"]
    assert low <= 0.3 - 0.1 + 1e-9 and high >= 0.3 + 0.1 - 1e-9


async def test_when_complements_run_out_the_figures_around_an_exposed_one_are_withheld(
    uow, monkeypatch
):
    # The same pinned p1 as above, with no complement round allowed: the publication must not
    # go out with p1 exposed. The fallback hides every figure sharing p1's assessments.
    monkeypatch.setattr(publication_audit, "MAX_ROUNDS", 0)
    for program in ("p2", "p3"):
        await program_of_i1(uow, program)
    await assessed(uow, "p1", employers=[0] * 6 + [1, 2, 3, 4], satisfied=3)
    await assessed(uow, "p2", employers=list(range(10, 21)), satisfied=11)
    await assessed(uow, "p3", employers=list(range(20, 50)), satisfied=20)

    made = await interim(uow)

    audit = made.summary["audit"]
    assert audit["complements"] == 0 and audit["withheld_by_fallback"] >= 1
    assert audit["unprotected"] == 0
    cards = await uow.publications.cards(made.number)
    assert shown(cards, "i1")["suppressed"], "i1 − p2 − p3 would be p1"
    assert not shown(cards, "p3")["suppressed"], "p3 shares no assessment with p1"
    assert (await audit_report(uow, made.number))["protected"] is True


async def test_a_hidden_year_is_not_its_pool_less_the_years_published_before(uow):
    # Channel 2: pool − the published years = the hidden year. p1's year is hidden (one
    # employer wrote 6 of 10), but its pool (22, last year's 12 included) meets every rule.
    await program_of_i1(uow, "p2")
    last = PERIOD - 1
    await assessed(uow, "p1", employers=list(range(12)), satisfied=8, year=last)
    await assessed(uow, "p2", employers=list(range(20, 32)), satisfied=5, year=last)
    before = await interim(uow, last)
    assert not shown(await uow.publications.cards(before.number), "p1")["suppressed"]
    await assessed(uow, "p1", employers=[0] * 6 + [1, 2, 3, 4], satisfied=1)
    await assessed(uow, "p2", employers=list(range(20, 32)), satisfied=5)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    assert shown(cards, "p1")["suppressed"]
    assert shown(cards, "p1", pooled=True)["suppressed"], "the pool would give the year away"
    assert made.summary["audit"]["earlier_publications"] == 1
    assert made.summary["audit"]["unprotected"] == 0


async def institution(uow, org: str, program: str, *, field: str = "0613") -> None:
    await registry_events.organization_changed(
        uow,
        registry.OrganizationRegistered(
            organization_id=org,
            kind="education",
            subtype="university",
            name=org,
            region_code="UZ-SA",
            tax_id=f"2{abs(hash(org)) % 10**8:08d}",
            active=True,
        ),
    )
    await registry_events.program_changed(
        uow,
        registry.ProgramRegistered(
            program_id=program,
            institution_id=org,
            code=program.upper(),
            name="Program",
            field_code=field,
            level="6",
            language="uz",
            active=True,
        ),
    )


async def cluster(uow, cluster_id: str, members: list[str]) -> None:
    await registry_events.cluster_changed(
        uow,
        registry.ClusterCreated(
            cluster_id=cluster_id,
            name=cluster_id,
            region_code="UZ-SA",
            sectors=["J"],
            coordinator_id=members[0],
            status="active",
        ),
    )
    for member in members:
        await registry_events.membership_changed(
            uow,
            registry.ClusterMemberJoined(
                cluster_id=cluster_id,
                organization_id=member,
                role="education",
                joined_on=date(PERIOD - 3, 1, 1),
            ),
        )


async def test_a_cluster_less_a_nested_one_does_not_give_a_member_away(uow):
    # Channel 3: K1 = {A, B, C} ⊃ K2 = {A, B}, so C = K1 − K2 unless the audit sees both.
    for org in ("A", "B", "C"):
        await institution(uow, org, f"p{org}")
    await cluster(uow, "K1", ["A", "B", "C"])
    await cluster(uow, "K2", ["A", "B"])
    await assessed(uow, "pA", employers=list(range(12)), satisfied=9)
    await assessed(uow, "pB", employers=list(range(20, 32)), satisfied=6)
    await assessed(uow, "pC", employers=[40] * 6 + [41, 42, 43, 44], satisfied=2)  # dominated

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)

    def es(scope: str, scope_id: str) -> dict:
        return cards[((scope, scope_id), False)]["indicators"]["employer_satisfaction"]

    assert es("organization", "C")["suppressed"]
    assert es("cluster", "K1")["suppressed"] or es("cluster", "K2")["suppressed"]
    assert made.summary["audit"]["unprotected"] == 0


def attacker_ranges(
    atoms: dict[str, int], published: list[tuple[frozenset[str], int]], hidden: frozenset[str]
) -> tuple[int, int]:
    """Brute force, independent of the product's audit: every split of the satisfied counts
    over the atoms (each atom's n known to the attacker, which only makes it stronger) that
    every published count allows; the least and greatest satisfied count of ``hidden``."""
    names = sorted(atoms)
    low, high = None, None

    def consistent(k: dict[str, int], complete: bool) -> bool:
        for members, total in published:
            if members <= k.keys() or complete:
                if sum(k[a] for a in members) != total:
                    return False
            elif sum(k[a] for a in members if a in k) > total:
                return False
        return True

    def search(i: int, k: dict[str, int]) -> None:
        nonlocal low, high
        if not consistent(k, complete=i == len(names)):
            return
        if i == len(names):
            value = sum(k[a] for a in hidden)
            low = value if low is None else min(low, value)
            high = value if high is None else max(high, value)
            return
        for v in range(atoms[names[i]] + 1):
            search(i + 1, {**k, names[i]: v})

    search(0, {})
    assert low is not None and high is not None, "the publications contradict each other"
    return low, high


@given(
    sizes=st.lists(st.integers(10, 13), min_size=3, max_size=3),
    satisfied=st.lists(st.floats(0, 1), min_size=3, max_size=3),
    dominated=st.lists(st.booleans(), min_size=3, max_size=3),
)
@settings(max_examples=25, deadline=None)
def test_a_brute_force_attacker_pins_no_hidden_share_of_a_publication(sizes, satisfied, dominated):
    import asyncio

    asyncio.run(_attack(sizes, satisfied, dominated))


async def _attack(sizes: list[int], satisfied: list[float], dominated: list[bool]) -> None:
    uow = FakeQualityUnitOfWork()
    await institution_i1(uow)
    programs = [f"p{i}" for i in range(3)]
    truth: dict[str, tuple[int, int]] = {}
    for i, program in enumerate(programs):
        await program_of_i1(uow, program)
        n = sizes[i]
        employers = [100 * i] * 6 + list(range(100 * i + 1, 100 * i + n - 5))
        if not dominated[i]:
            employers = list(range(100 * i, 100 * i + n))
        k = round(satisfied[i] * n)
        await assessed(uow, program, employers=employers[:n], satisfied=k)
        truth[program] = (n, k)
    made = await interim(uow)
    cards = await uow.publications.cards(made.number)
    width = DEFAULT_THRESHOLDS.protection_width
    atoms = {p: truth[p][0] for p in programs}
    of_scope = {("program", p): frozenset({p}) for p in programs} | {
        (scope, scope_id): frozenset(programs)
        for scope, scope_id in (("organization", "i1"), ("region", "UZ-SA"), ("national", "UZ"))
    }
    published = [
        (of_scope[key], round(f["value"] * f["n"]))
        for (key, pooled), card in cards.items()
        if not pooled and not (f := card["indicators"]["employer_satisfaction"])["suppressed"]
    ]
    for program in programs:
        figure = cards[(("program", program), False)]["indicators"]["employer_satisfaction"]
        if not figure["suppressed"] or "secondary" in figure["reason"]:
            continue  # published, or a complement: nothing of its own to protect
        n, k = truth[program]
        low, high = attacker_ranges(atoms, published, frozenset({program}))
        share = k / n
        assert share - low / n >= min(width, share) - 1e-9, (program, low, high, truth)
        assert high / n - share >= min(width, 1 - share) - 1e-9, (program, low, high, truth)


async def test_a_comparison_that_would_reveal_a_hidden_member_of_the_region_is_withheld(uow):
    # Channel 4: members + non-members are one more grouping of the region. C is hidden
    # (dominance); secondary suppression picks D (another field) as its complement, so only
    # C + D is known. Non-members of K = {A} in A's field are B + C: less B, C exactly.
    for org, field in (("A", "0613"), ("B", "0613"), ("C", "0613"), ("D", "0413")):
        await institution(uow, org, f"p{org}", field=field)
    await cluster(uow, "K", ["A"])
    await assessed(uow, "pA", employers=list(range(30)), satisfied=24)
    await assessed(uow, "pB", employers=list(range(100, 130)), satisfied=15)
    await assessed(uow, "pC", employers=[200] * 6 + [201, 202, 203, 204], satisfied=2)
    await assessed(uow, "pD", employers=list(range(300, 311)), satisfied=6)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    hidden = {
        scope_id
        for (scope, scope_id), pooled in cards
        if scope == "program" and not pooled and shown(cards, scope_id)["suppressed"]
    }
    assert hidden == {"pC", "pD"}  # the complement is in another field
    stored = await uow.publications.comparison(made.number, "K", pooled=False)
    assert stored is not None
    assert stored["non_members"]["share"] is None and stored["difference"]["suppressed"]
    assert made.summary["audit"]["comparisons_withheld"] >= 1


async def test_a_cell_where_every_answer_agrees_is_published_only_as_a_bound(uow):
    # 12 of 12 satisfied says how each of the 12 employers answered: only its interval is
    # published. p2 is hidden (one employer wrote 6 of 10) and p3, the smaller sibling, is its
    # complement, so nothing pins p1 and its bound stands.
    for program in ("p2", "p3"):
        await program_of_i1(uow, program)
    await assessed(uow, "p1", employers=list(range(12)), satisfied=12)
    await assessed(uow, "p2", employers=[20] * 6 + [21, 22, 23, 24], satisfied=4)
    await assessed(uow, "p3", employers=list(range(30, 41)), satisfied=7)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    bound = shown(cards, "p1")
    assert bound["value"] is None and bound["reason"] == ONE_CATEGORY_REASON
    assert 0.7 < bound["ci_low"] < 0.9 and bound["ci_high"] == 1.0
    assert made.summary["audit"]["unprotected"] == 0

    # Found: the rankings of the publication listed p1, the best, as "not enough data"; now it
    # ranks first there, as the rank stored with its published scorecard says.
    view = reading.View(publication=made.number)
    listed = await reading.rankings(
        uow, view, scope="program", period=PERIOD, pooled=False, level=0.9
    )
    ranks = {r["scope_id"]: r["rank"] for r in listed}
    assert ranks["p1"] == 1
    for program, rank in ranks.items():
        shown_card = await reading.scorecard(
            uow, view, ("program", program), period=PERIOD, pooled=False, level=None
        )
        assert shown_card["rank"] == rank, program


async def test_a_bound_is_not_undone_by_subtraction(uow):
    # With the institution (18 of 24) and p2 (6 of 12) published, p1 would be 12 of 12 again.
    await program_of_i1(uow, "p2")
    await assessed(uow, "p1", employers=list(range(12)), satisfied=12)
    await assessed(uow, "p2", employers=list(range(20, 32)), satisfied=6)

    made = await interim(uow)

    cards = await uow.publications.cards(made.number)
    assert shown(cards, "p1")["value"] is None and shown(cards, "p2")["value"] is None
    assert not shown(cards, "i1")["suppressed"]
    assert made.summary["audit"]["unprotected"] == 0


async def move(uow, program: str, to: str) -> None:
    await registry_events.program_changed(
        uow,
        registry.ProgramUpdated(
            program_id=program,
            institution_id=to,
            code=program.upper(),
            name="Program",
            field_code="0613",
            level="6",
            language="uz",
            active=True,
        ),
    )


async def test_a_program_that_moved_is_not_its_old_institution_then_less_now(uow):
    # Found: the audit tied earlier publications to today's structure, so when pM moved from A
    # to B it could not fit A's earlier figure (which counted pM) and audited the new
    # publication alone, which then stated A = pA: A then − A now = pM exactly.
    await institution(uow, "A", "pA")
    await institution(uow, "B", "pB")
    await move(uow, "pM", "A")
    await assessed(uow, "pA", employers=list(range(12)), satisfied=9)
    await assessed(uow, "pM", employers=[40] * 6 + [41, 42, 43, 44], satisfied=2)  # dominated
    await assessed(uow, "pB", employers=list(range(20, 32)), satisfied=6)
    first = await interim(uow)
    await move(uow, "pM", "B")

    second = await interim(uow)

    atoms = {"pA": 12, "pM": 10, "pB": 12}
    everything = frozenset(atoms)
    then = {"A": frozenset({"pA", "pM"}), "B": frozenset({"pB"})}
    now = {"A": frozenset({"pA"}), "B": frozenset({"pM", "pB"})}
    published: list[tuple[frozenset[str], int]] = []
    for made, organizations in ((first, then), (second, now)):
        for (key, pooled), card in (await uow.publications.cards(made.number)).items():
            figure = card["indicators"]["employer_satisfaction"]
            if pooled or figure["suppressed"] or figure["n"] == 0 or key[1] == "i1":
                continue
            members = {"program": lambda i: frozenset({i}), "organization": organizations.get}
            summed = members.get(key[0], lambda _: everything)(key[1])
            published.append((summed, round(figure["value"] * figure["n"])))
    low, high = attacker_ranges(atoms, published, frozenset({"pM"}))
    share, width = 2 / 10, DEFAULT_THRESHOLDS.protection_width
    assert share - low / 10 >= width - 1e-9 and high / 10 - share >= width - 1e-9, (low, high)
    assert second.summary["audit"]["earlier_publications"] == 1
    assert (await audit_report(uow, second.number))["protected"] is True


async def test_a_year_hidden_before_is_not_a_later_pool_less_its_year(uow):
    # Found: the audit checked only the figures the new publication hides. p1's last year
    # (dominated: one employer wrote 6 of 10) was hidden by the publication of that year; the
    # next year's publication showed p1's new year (12, all distinct) and its pool (22, which
    # meets every rule), and pool − year gave last year back exactly.
    await program_of_i1(uow, "p2")
    last = PERIOD - 1
    await assessed(uow, "p1", employers=[0] * 6 + [1, 2, 3, 4], satisfied=2, year=last)
    await assessed(uow, "p2", employers=list(range(20, 42)), satisfied=11, year=last)
    before = await interim(uow, last)
    assert shown(await uow.publications.cards(before.number), "p1")["suppressed"]
    await assessed(uow, "p1", employers=list(range(50, 62)), satisfied=9)
    await assessed(uow, "p2", employers=list(range(70, 92)), satisfied=15)

    made = await interim(uow)

    atoms = {"p1-last": 10, "p1-now": 12, "p2-last": 22, "p2-now": 22}
    summed = {
        (pub, key[1], pooled): frozenset(
            a
            for a in atoms
            if (key[0] != "program" or a.startswith(key[1]))
            and (
                pooled and pub == made.number or a.endswith("now" if pub == made.number else "last")
            )
        )
        for pub in (before.number, made.number)
        for key, pooled in (await uow.publications.cards(pub))
    }
    published = [
        (summed[(pub, key[1], pooled)], round(figure["value"] * figure["n"]))
        for pub in (before.number, made.number)
        for (key, pooled), card in (await uow.publications.cards(pub)).items()
        if not (figure := card["indicators"]["employer_satisfaction"])["suppressed"]
        and figure["value"] is not None
    ]
    low, high = attacker_ranges(atoms, published, frozenset({"p1-last"}))
    share, width = 2 / 10, DEFAULT_THRESHOLDS.protection_width
    assert share - low / 10 >= width - 1e-9 and high / 10 - share >= width - 1e-9, (low, high)
    assert made.summary["audit"]["unprotected"] == 0
    assert (await audit_report(uow, made.number))["protected"] is True


async def test_an_earlier_publications_bound_stays_a_constraint_of_later_audits(uow):
    # Found: later audits stated an earlier publication's figures by (atoms, n, k) only, so a
    # figure published as a bound (every answer agreeing: k unknown, its share at least the
    # bound) reached them as its n alone, and what the bound tells a reader went unchecked.
    for program in ("p2", "p3"):  # as in the bound's own test: its siblings hidden
        await program_of_i1(uow, program)
    await assessed(uow, "p1", employers=list(range(12)), satisfied=12)
    await assessed(uow, "p2", employers=[20] * 6 + [21, 22, 23, 24], satisfied=4)
    await assessed(uow, "p3", employers=list(range(30, 41)), satisfied=7)
    made = await interim(uow)
    bound = shown(await uow.publications.cards(made.number), "p1")
    assert bound["reason"] == ONE_CATEGORY_REASON

    methodology = from_json(await current_content(uow))
    history = await uow.publications.release_history()
    structures = await publication_audit.structures_of(uow, methodology, [made])
    (measure,) = [m for m in publication_audit.SHARES if m.name == "employer_satisfaction"]
    earlier = await publication_audit._earlier(
        uow, history, structures, [made], methodology, [measure]
    )

    stated = earlier[measure].constraints[f"{made.number}/program:p1:year"]
    assert stated.share == (bound["ci_low"], bound["ci_high"])


async def test_no_publication_shares_years_with_a_release_under_review(uow):
    # Found: while last year's official release was under review, this year's interim
    # publication (whose pool holds last year) was made from last year's cells without the
    # draft's batch, and audited without the draft (not yet published); the draft, published
    # after it, had been audited before it. The pair was never audited together, and the
    # release history then put the draft's batch inside the interim's figures (a draft's
    # number is older). Publications of the periods sharing its years now wait for it.
    last = PERIOD - 1
    await assessed(uow, "p1", employers=list(range(12)), satisfied=6, year=last)
    draft = await publications.open_release(
        lambda: uow,
        lambda: uow,
        MINISTRY,
        period=last,
        kind="official",
        restate=False,
        reason=None,
        review_s=0,
    )
    await assessed(uow, "p1", employers=list(range(20, 32)), satisfied=7)

    assert await publications.publish_interim(lambda: uow) == []
    with pytest.raises(Conflict) as refused:
        await interim(uow)
    assert f"publication {draft.number} of {last} is under review" in str(refused.value)
    with pytest.raises(Conflict):
        await publications.open_release(
            lambda: uow,
            lambda: uow,
            MINISTRY,
            period=PERIOD,
            kind="official",
            restate=False,
            reason=None,
            review_s=0,
        )

    await publications.publish_release(uow, MINISTRY, draft.number, close_review=True)
    (made,) = await publications.publish_interim(lambda: uow)
    assert made > draft.number
