"""Cluster activities and strategy goals, on the fake unit of work: each kind's rules, who may
record and read them, graduates shown only to those who may see them, and one event per change."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from gateway.edge.access import allowed
from quality.domain import scorecard
from registry.adapters.repositories import ActivityRepository, GoalRepository
from registry.domain.commands import (
    CreateCluster,
    JoinCluster,
    LeaveCluster,
    RecordActivity,
    SetGoal,
)
from registry.domain.model import Activity, Cluster, Goal, Graduate, Organization, Program
from registry.service_layer import activities, clusters, goals

from shared.contracts.catalogue import registry as ev
from shared.platform.auth import Identity
from shared.platform.db.keyset import Page, decode_cursor, encode_cursor
from shared.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from tests.unit.registry.fakes import FakeRegistryUnitOfWork, InMemoryRepository
from tests.unit.registry.world import (
    MINISTRY,
    World,
    as_authority,
    as_employer,
    as_institution,
)

JOINED = date(2024, 1, 1)
START = date(2024, 9, 1)
END = date(2026, 6, 30)


class FakeActivityRepository(InMemoryRepository[Activity], ActivityRepository):
    pass


class FakeGoalRepository(InMemoryRepository[Goal], GoalRepository):
    def __init__(self, items: dict[str, Goal], history: dict[str, list[Goal]]) -> None:
        super().__init__(items)
        self.history = history

    async def add(self, item: Goal) -> None:
        await super().add(item)
        self.history.setdefault(item.id, []).append(item)

    async def update(self, item: Goal, *, fields) -> None:
        await super().update(item, fields=fields)
        self.history[item.id].append(item)

    async def versions(self, goal_id: str, *, limit: int, cursor: str | None) -> Page[Goal]:
        after = int(decode_cursor(cursor) or 0)
        rest = [g for g in self.history.get(goal_id, []) if g.version > after]
        chosen = rest[:limit]
        more = len(rest) > limit
        return Page[Goal].model_construct(
            items=chosen, next_cursor=encode_cursor(str(chosen[-1].version)) if more else None
        )


class ActivityWorld(World):
    """A world whose units of work also hold activities and goals."""

    def __init__(self) -> None:
        super().__init__()
        self.activities: dict[str, Activity] = {}
        self.goals: dict[str, Goal] = {}
        self.goal_history: dict[str, list[Goal]] = {}

    def uow(self) -> FakeRegistryUnitOfWork:
        uow = super().uow()
        uow.activities = FakeActivityRepository(self.activities)
        uow.goals = FakeGoalRepository(self.goals, self.goal_history)
        return uow


@dataclass
class Scene:
    """A Samarkand cluster: its coordinator, members who joined on 1 January 2024, a program
    of the member institution with two graduates, and an organization outside the cluster."""

    world: ActivityWorld
    cluster: Cluster
    coordinator: Organization
    institution: Organization
    employer: Organization
    research: Organization
    partner: Organization
    outsider: Organization
    program: Program
    graduates: list[Graduate]

    def members(self) -> list[str]:
        return [self.institution.id, self.employer.id]


async def a_scene() -> Scene:
    world = ActivityWorld()
    coordinator = await world.organization()
    uow = world.uow()
    cluster = await clusters.create(
        uow,
        MINISTRY,
        CreateCluster(
            name="Samarkand IT", region_code="UZ-SA", sectors=["J"], coordinator_id=coordinator.id
        ),
    )
    await uow.commit()
    institution = await world.organization()
    employer = await world.employer()
    research = await world.organization(kind="research", subtype="research_institute")
    partner = await world.organization(kind="private", subtype="company")
    roles = {institution: "education", employer: "employer", research: "research"}
    for organization, role in [*roles.items(), (partner, "private_partner")]:
        uow = world.uow()
        await clusters.join(
            uow,
            MINISTRY,
            JoinCluster(
                cluster_id=cluster.id,
                organization_id=organization.id,
                role=role,
                joined_on=JOINED,
            ),
        )
        await uow.commit()
    program = await world.program(institution)
    graduates = [await world.graduate(program, student_ref=f"S-{n}") for n in (1, 2)]
    return Scene(
        world=world,
        cluster=cluster,
        coordinator=coordinator,
        institution=institution,
        employer=employer,
        research=research,
        partner=partner,
        outsider=await world.employer(),
        program=program,
        graduates=graduates,
    )


def internship(scene: Scene, **changes) -> ev.PlacementOutcome:
    fields = {
        "kind": "internship",
        "employer_id": scene.employer.id,
        "program_id": scene.program.id,
        "years": [
            ev.PlacementYear(year=2024, places_offered=10, places_filled=2),
            ev.PlacementYear(year=2025, places_offered=12, places_filled=0),
        ],
    }
    return ev.PlacementOutcome(**{**fields, **changes})


def recording(scene: Scene, outcome, **changes) -> RecordActivity:
    fields = {
        "cluster_id": scene.cluster.id,
        "title": "Internships in software engineering",
        "start_date": START,
        "end_date": END,
        "member_ids": scene.members(),
        "outcome": outcome,
    }
    return RecordActivity(**{**fields, **changes})


async def record(scene: Scene, command: RecordActivity, identity: Identity | None = None):
    uow = scene.world.uow()
    activity = await activities.record(uow, identity or as_institution(scene.coordinator), command)
    await uow.commit()
    return activity, uow.published


async def refused_field(scene: Scene, command: RecordActivity, identity: Identity | None = None):
    with pytest.raises(RuleViolation) as refused:
        await activities.record(
            scene.world.uow(), identity or as_institution(scene.coordinator), command
        )
    return tuple(refused.value.loc[1:])


# --- what each kind records ---------------------------------------------------------------


async def test_an_internship_is_recorded_with_its_graduates_and_announced_once_by_cluster():
    scene = await a_scene()
    graduates = [g.id for g in scene.graduates]
    outcome = internship(
        scene,
        years=[
            ev.PlacementYear(year=2024, places_offered=10, places_filled=2, graduate_ids=graduates)
        ],
    )
    activity, published = await record(
        scene, recording(scene, outcome), as_institution(scene.institution)
    )
    assert activity.kind == "internship" and activity.status == "planned"
    [event] = published
    assert isinstance(event, ev.ClusterActivityRecorded)
    assert event.partition_key() == scene.cluster.id
    assert event.subject() == f"clusters/{scene.cluster.id}/activities/{activity.id}"
    assert event.outcome.years[0].graduate_ids == graduates


@pytest.mark.parametrize(
    ("years", "loc"),
    [
        ([(2024, -1, 0)], ("outcome", "years", 0, "places_offered")),
        ([(2024, 5, -1)], ("outcome", "years", 0, "places_filled")),
        ([(2024, 5, 6)], ("outcome", "years", 0, "places_filled")),
        ([(2023, 5, 1)], ("outcome", "years", 0, "year")),  # before the start
        ([(2027, 5, 1)], ("outcome", "years", 0, "year")),  # after the end
        ([(2024, 5, 1), (2024, 3, 1)], ("outcome", "years", 1, "year")),
        ([], ("outcome", "years")),
    ],
)
async def test_internship_places_are_counts_with_filled_at_most_offered_in_the_activity_years(
    years, loc
):
    scene = await a_scene()
    placements = [ev.PlacementYear(year=y, places_offered=o, places_filled=f) for y, o, f in years]
    assert await refused_field(scene, recording(scene, internship(scene, years=placements))) == loc


async def test_graduates_named_are_the_programs_at_most_the_places_filled_each_once():
    scene = await a_scene()
    other_program = await scene.world.program(scene.institution, code="60110100")
    stranger = await scene.world.graduate(other_program, student_ref="S-9")
    mine = scene.graduates[0].id

    def naming(ids, filled=2):
        year = ev.PlacementYear(year=2024, places_offered=5, places_filled=filled, graduate_ids=ids)
        return recording(scene, internship(scene, years=[year]))

    async def refused(ids, filled=2):
        return await refused_field(scene, naming(ids, filled), as_institution(scene.institution))

    at = ("outcome", "years", 0, "graduate_ids")
    assert await refused([mine, "nobody"]) == (*at, 1)
    assert await refused([stranger.id]) == (*at, 0)  # of another program
    assert await refused([mine, mine]) == at
    assert await refused([g.id for g in scene.graduates], filled=1) == at


async def test_a_graduate_the_caller_may_not_see_cannot_be_named():
    scene = await a_scene()
    year = ev.PlacementYear(
        year=2024, places_offered=5, places_filled=1, graduate_ids=[scene.graduates[0].id]
    )
    command = recording(scene, internship(scene, years=[year]))
    # The employer employs no one yet: to it the graduate is unknown.
    field = await refused_field(scene, command, as_employer(scene.employer))
    assert field == ("outcome", "years", 0, "graduate_ids", 0)
    activity, _ = await record(scene, command, as_institution(scene.institution))
    assert activity.outcome.years[0].graduate_ids == [scene.graduates[0].id]


async def test_an_apprenticeship_has_an_employer_member_and_a_program_of_an_institution_involved():
    scene = await a_scene()
    wrong_employer = internship(scene, kind="apprenticeship", employer_id=scene.institution.id)
    assert await refused_field(scene, recording(scene, wrong_employer)) == (
        "outcome",
        "employer_id",
    )
    not_involved = recording(scene, internship(scene), member_ids=[scene.employer.id])
    assert await refused_field(scene, not_involved) == ("outcome", "program_id")
    unknown = internship(scene, program_id="nothing")
    assert await refused_field(scene, recording(scene, unknown)) == ("outcome", "program_id")


def staff_development(scene: Scene, **changes) -> ev.StaffDevelopmentOutcome:
    fields = {
        "kind": "staff_development",
        "institution_id": scene.institution.id,
        "trainer_id": scene.research.id,
        "people": 14,
        "hours": 36,
        "topic": "Cloud architecture",
        "field_code": "0613",
    }
    return ev.StaffDevelopmentOutcome(**{**fields, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"people": -1}, "people"),
        ({"hours": -5}, "hours"),
        ({"topic": "  "}, "topic"),
        ({"field_code": "0000"}, "field_code"),
        ({"field_code": "06"}, "field_code"),  # a broad field, not a detailed one
        ({"trainer_id": "partner"}, "trainer_id"),  # a private partner trains no one
        ({"institution_id": "employer"}, "institution_id"),
    ],
)
async def test_staff_development_counts_people_and_hours_in_an_isced_f_field(changes, field):
    scene = await a_scene()
    named = {"partner": scene.partner.id, "employer": scene.employer.id}
    changes = {k: named.get(v, v) if k.endswith("_id") else v for k, v in changes.items()}
    members = [scene.institution.id, scene.research.id, scene.partner.id, scene.employer.id]
    command = recording(scene, staff_development(scene, **changes), member_ids=members)
    assert await refused_field(scene, command) == ("outcome", field)


async def test_staff_development_by_a_research_institute_is_recorded():
    scene = await a_scene()
    members = [scene.institution.id, scene.research.id]
    activity, [event] = await record(
        scene, recording(scene, staff_development(scene), member_ids=members)
    )
    assert activity.kind == "staff_development" and event.outcome.people == 14


async def test_a_joint_program_names_partners_involved_each_with_a_contribution():
    scene = await a_scene()

    def joint(*partners):
        outcome = ev.JointProgramOutcome(
            kind="joint_program",
            program_id=scene.program.id,
            partners=[
                ev.JointProgramPartner(organization_id=o, contribution=c) for o, c in partners
            ],
        )
        return recording(scene, outcome)

    assert await refused_field(scene, joint((scene.outsider.id, "labs"))) == (
        "outcome",
        "partners",
        0,
        "organization_id",
    )
    assert await refused_field(scene, joint((scene.employer.id, " "))) == (
        "outcome",
        "partners",
        0,
        "contribution",
    )
    assert await refused_field(scene, joint()) == ("outcome", "partners")
    activity, _ = await record(scene, joint((scene.employer.id, "curriculum and labs")))
    assert activity.kind == "joint_program"


async def test_guest_teaching_hours_per_year_are_not_negative():
    scene = await a_scene()

    def teaching(hours):
        outcome = ev.GuestTeachingOutcome(
            kind="guest_teaching",
            employer_id=scene.employer.id,
            program_id=scene.program.id,
            years=[ev.TeachingYear(year=2025, hours=hours)],
        )
        return recording(scene, outcome)

    assert await refused_field(scene, teaching(-2)) == ("outcome", "years", 0, "hours")
    activity, _ = await record(scene, teaching(40))
    assert activity.outcome.years[0].hours == 40


def funding(scene: Scene, **changes) -> RecordActivity:
    fields = {
        "kind": "funding",
        "form": "equipment",
        "partner_id": scene.partner.id,
        "recipient_id": scene.institution.id,
        "amount": Decimal("125000000.00"),
        "currency": "UZS",
        "purpose": "A robotics laboratory",
    }
    outcome = ev.FundingOutcome(**{**fields, **changes})
    return recording(scene, outcome, member_ids=[scene.institution.id, scene.partner.id])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("-1")}, "amount"),
        ({"currency": "uzs"}, "currency"),
        ({"currency": "SO'M"}, "currency"),
        ({"purpose": ""}, "purpose"),
        ({"partner_id": "institution"}, "partner_id"),  # an institution is no private partner
    ],
)
async def test_funding_is_an_amount_in_an_iso_4217_currency_from_a_private_partner(changes, field):
    scene = await a_scene()
    if changes.get("partner_id") == "institution":
        changes = {"partner_id": scene.institution.id, "recipient_id": scene.partner.id}
    assert await refused_field(scene, funding(scene, **changes)) == ("outcome", field)


async def test_funding_from_a_private_partner_is_recorded_exactly():
    scene = await a_scene()
    activity, [event] = await record(scene, funding(scene))
    assert event.outcome.amount == Decimal("125000000.00") and event.outcome.currency == "UZS"


# --- members and dates ----------------------------------------------------------------------


async def test_only_current_members_may_be_named_each_once():
    scene = await a_scene()
    outsider = recording(scene, internship(scene), member_ids=[*scene.members(), scene.outsider.id])
    assert await refused_field(scene, outsider) == ("member_ids", 2)
    twice = recording(scene, internship(scene), member_ids=[*scene.members(), scene.employer.id])
    assert await refused_field(scene, twice) == ("member_ids", 2)
    assert await refused_field(scene, recording(scene, internship(scene), member_ids=[])) == (
        "member_ids",
    )
    uow = scene.world.uow()
    await clusters.leave(
        uow,
        MINISTRY,
        LeaveCluster(
            cluster_id=scene.cluster.id, organization_id=scene.employer.id, left_on=date.today()
        ),
    )
    await uow.commit()
    assert await refused_field(scene, recording(scene, internship(scene))) == ("member_ids", 1)


async def test_an_activity_starts_no_earlier_than_its_members_joined_and_ends_after_it_starts():
    scene = await a_scene()
    early = recording(
        scene,
        internship(scene, years=[ev.PlacementYear(year=2023, places_offered=1, places_filled=0)]),
        start_date=date(2023, 9, 1),
    )
    assert await refused_field(scene, early) == ("start_date",)
    backwards = recording(scene, internship(scene), end_date=date(2024, 8, 1))
    assert await refused_field(scene, backwards) == ("end_date",)


async def test_an_activity_of_a_member_that_left_must_end_by_the_day_it_left():
    scene = await a_scene()
    activity, _ = await record(scene, recording(scene, internship(scene), end_date=None))
    uow = scene.world.uow()
    left_on = date(2025, 12, 31)
    await clusters.leave(
        uow,
        MINISTRY,
        LeaveCluster(
            cluster_id=scene.cluster.id, organization_id=scene.employer.id, left_on=left_on
        ),
    )
    await uow.commit()
    coordinator = as_institution(scene.coordinator)
    with pytest.raises(RuleViolation) as refused:
        await activities.update(
            scene.world.uow(), coordinator, scene.cluster.id, activity.id, {"status": "running"}
        )
    assert refused.value.field == "end_date"
    uow = scene.world.uow()
    changed = await activities.update(
        uow, coordinator, scene.cluster.id, activity.id, {"status": "running", "end_date": left_on}
    )
    assert changed.end_date == left_on


async def test_a_closed_cluster_takes_no_new_activity():
    scene = await a_scene()
    uow = scene.world.uow()
    await clusters.update(uow, MINISTRY, scene.cluster.id, {"status": "closed"})
    await uow.commit()
    with pytest.raises(Conflict):
        await record(scene, recording(scene, internship(scene)))


# --- who may --------------------------------------------------------------------------------


async def test_the_coordinator_and_the_members_involved_record_no_one_else():
    scene = await a_scene()
    command = recording(scene, internship(scene))
    for stranger in (
        as_employer(scene.outsider),  # not a member
        MINISTRY,
        as_authority("UZ-SA"),
        Identity(sub="r", role="employer", org=scene.research.id),  # a member not involved
    ):
        with pytest.raises(Forbidden):
            await activities.record(scene.world.uow(), stranger, command)
    for involved in (as_employer(scene.employer), as_institution(scene.institution)):
        await record(scene, command, involved)


async def test_members_the_ministry_and_the_regions_authority_read_others_do_not():
    scene = await a_scene()
    activity, _ = await record(scene, recording(scene, internship(scene)))

    async def read(identity):
        uow = scene.world.uow()
        page = await activities.list_page(uow, identity, scene.cluster.id, limit=10, cursor=None)
        one = await activities.get(uow, identity, scene.cluster.id, activity.id)
        return [a.id for a in page.items], one.id

    expected = ([activity.id], activity.id)
    for reader in (
        MINISTRY,
        as_authority("UZ-SA"),
        as_institution(scene.coordinator),
        as_employer(scene.employer),
        Identity(sub="p", role="employer", org=scene.partner.id),  # a member not involved
    ):
        assert await read(reader) == expected
    for stranger in (as_employer(scene.outsider), as_authority("UZ-TK")):
        with pytest.raises(Forbidden):
            await read(stranger)
    with pytest.raises(NotFound):
        await activities.get(scene.world.uow(), MINISTRY, scene.cluster.id, "nothing")


async def test_graduates_who_took_part_are_shown_only_to_those_who_may_see_them():
    scene = await a_scene()
    [first, second] = [g.id for g in scene.graduates]
    year = ev.PlacementYear(
        year=2024, places_offered=5, places_filled=2, graduate_ids=[first, second]
    )
    activity, _ = await record(
        scene, recording(scene, internship(scene, years=[year])), as_institution(scene.institution)
    )
    await scene.world.employment(scene.graduates[0], scene.employer, confirmed=True)

    async def shown(identity):
        one = await activities.get(scene.world.uow(), identity, scene.cluster.id, activity.id)
        return one.outcome.years[0].graduate_ids

    assert await shown(as_institution(scene.institution)) == [first, second]
    assert await shown(MINISTRY) == [first, second]
    assert await shown(as_employer(scene.employer)) == [first]  # the one it employs
    assert await shown(as_institution(scene.coordinator)) == []

    # The employer sends back what it saw, with a third place filled: the hidden graduate stays.
    employer = as_employer(scene.employer)
    sent = internship(
        scene,
        years=[
            ev.PlacementYear(year=2024, places_offered=5, places_filled=3, graduate_ids=[first])
        ],
    )
    uow = scene.world.uow()
    answer = await activities.update(
        uow, employer, scene.cluster.id, activity.id, {"outcome": sent}
    )
    await uow.commit()
    assert answer.outcome.years[0].graduate_ids == [first]
    [event] = uow.published
    assert event.outcome.years[0].graduate_ids == [first, second]
    assert event.outcome.years[0].places_filled == 3


# --- changes --------------------------------------------------------------------------------


async def test_status_moves_forward_each_change_announced_once_and_no_change_announces_nothing():
    scene = await a_scene()
    activity, _ = await record(scene, recording(scene, internship(scene)))
    member = as_employer(scene.employer)

    async def change(changes):
        uow = scene.world.uow()
        changed = await activities.update(uow, member, scene.cluster.id, activity.id, changes)
        await uow.commit()
        return changed, uow.published

    running, [event] = await change({"status": "running"})
    assert isinstance(event, ev.ClusterActivityUpdated) and event.status == "running"
    assert (await change({"status": "running"}))[1] == []
    done, [event] = await change({"status": "completed"})
    assert done.status == "completed"
    for status in ("running", "planned", "cancelled"):
        with pytest.raises(RuleViolation) as refused:
            await change({"status": status})
        assert refused.value.field == "status"


async def test_an_activity_keeps_its_kind_and_its_outcome_rules_on_change():
    scene = await a_scene()
    activity, _ = await record(scene, recording(scene, internship(scene)))
    coordinator = as_institution(scene.coordinator)
    for outcome, loc in [
        (staff_development(scene), ("outcome", "kind")),
        (
            internship(
                scene, years=[ev.PlacementYear(year=2024, places_offered=1, places_filled=2)]
            ),
            ("outcome", "years", 0, "places_filled"),
        ),
    ]:
        with pytest.raises(RuleViolation) as refused:
            await activities.update(
                scene.world.uow(), coordinator, scene.cluster.id, activity.id, {"outcome": outcome}
            )
        assert tuple(refused.value.loc[1:]) == loc
    with pytest.raises(Forbidden):
        await activities.update(
            scene.world.uow(),
            as_employer(scene.outsider),
            scene.cluster.id,
            activity.id,
            {"title": "Mine now"},
        )


# --- strategy goals -------------------------------------------------------------------------


def a_goal(scene: Scene, **changes) -> SetGoal:
    fields = {
        "cluster_id": scene.cluster.id,
        "measure": "indicator",
        "code": "employer_satisfaction",
        "field_code": "0613",
        "comparator": "at_least",
        "target": Decimal("0.8"),
        "by_year": date.today().year + 2,
    }
    return SetGoal(**{**fields, **changes})


async def test_the_coordinator_sets_a_goal_and_each_revision_is_a_new_version_the_old_kept():
    scene = await a_scene()
    coordinator = as_institution(scene.coordinator)
    uow = scene.world.uow()
    goal = await goals.set_goal(uow, coordinator, a_goal(scene))
    revised = await goals.set_goal(
        uow, coordinator, a_goal(scene, goal_id=goal.id, target=Decimal("0.85"))
    )
    same = await goals.set_goal(
        uow, coordinator, a_goal(scene, goal_id=goal.id, target=Decimal("0.85"))
    )
    await uow.commit()
    assert (goal.version, revised.version, same.version) == (1, 2, 2)
    assert [(e.version, e.target) for e in uow.published] == [
        (1, Decimal("0.8")),
        (2, Decimal("0.85")),
    ]
    assert {e.partition_key() for e in uow.published} == {scene.cluster.id}
    history = await goals.versions_page(
        scene.world.uow(), MINISTRY, scene.cluster.id, goal.id, limit=10, cursor=None
    )
    assert [(g.version, g.target) for g in history.items] == [
        (1, Decimal("0.8")),
        (2, Decimal("0.85")),
    ]
    current = await goals.get(
        scene.world.uow(), as_employer(scene.employer), scene.cluster.id, goal.id
    )
    assert current.version == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "happiness"}, "code"),
        ({"target": Decimal("80")}, "target"),  # a share: 0.8, not 80
        ({"code": "competency_mean", "target": Decimal("0.5")}, "target"),
        ({"measure": "activity", "code": "employer_satisfaction"}, "code"),
        ({"measure": "activity", "code": "staff_trained", "target": Decimal("-1")}, "target"),
        ({"field_code": "0000"}, "field_code"),
        ({"level": "9"}, "level"),
        ({"by_year": 2000}, "by_year"),
    ],
)
async def test_a_goal_targets_a_published_indicator_or_an_activity_measure_in_range(changes, field):
    scene = await a_scene()
    with pytest.raises(RuleViolation) as refused:
        await goals.set_goal(
            scene.world.uow(), as_institution(scene.coordinator), a_goal(scene, **changes)
        )
    assert refused.value.field == field


def test_goal_indicators_are_the_figures_the_quality_service_publishes_on_their_scales():
    assert set(ev.GOAL_INDICATORS) == {
        "index",
        *scorecard.ANSWER_SHARES,
        *scorecard.MEAN_INDICATORS,
        *scorecard.OUTCOME_INDICATORS,
        scorecard.COVERAGE,
    }
    means = {code: (1, 5) for code in scorecard.MEAN_INDICATORS}
    assert {**ev.GOAL_INDICATORS, **means} == ev.GOAL_INDICATORS


async def test_only_the_coordinator_sets_goals():
    scene = await a_scene()
    for identity in (as_employer(scene.employer), MINISTRY, as_authority("UZ-SA")):
        with pytest.raises(Forbidden):
            await goals.set_goal(scene.world.uow(), identity, a_goal(scene))


@pytest.mark.parametrize(
    ("role", "method", "path", "expected"),
    [
        ("institution", "POST", "/api/v1/clusters/c/activities", True),
        ("employer", "PATCH", "/api/v1/clusters/c/activities/a", True),
        ("ministry", "POST", "/api/v1/clusters/c/activities", False),
        ("regional_authority", "GET", "/api/v1/clusters/c/activities", True),
        ("employer", "GET", "/api/v1/clusters/c/activities/a", True),
        ("operator", "GET", "/api/v1/clusters/c/activities", False),
        ("ministry", "DELETE", "/api/v1/clusters/c/activities/a", False),
        ("institution", "POST", "/api/v1/clusters/c/goals", True),
        ("institution", "PUT", "/api/v1/clusters/c/goals/g", True),
        ("regional_authority", "PUT", "/api/v1/clusters/c/goals/g", False),
        ("ministry", "GET", "/api/v1/clusters/c/goals/g/versions", True),
    ],
)
def test_the_gateway_lets_each_role_reach_the_activity_and_goal_routes_it_may_call(
    role, method, path, expected
):
    assert allowed(role, method, path) is expected
