"""Cluster activities and strategy goals over HTTP, on SQLite and PostgreSQL with the real
broker: every kind recorded, each violation a 422 naming the field, who may record and read,
graduates shown only to those who may see them, and each committed change one event."""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    create_program,
    drained,
    headers,
)
from tests.integration.topic_reader import read_topic

GOAL_YEAR = date.today().year + 2


@dataclass
class Cluster:
    id: str
    coordinator: dict
    institution: dict
    employer: dict
    research: dict
    partner: dict
    outsider: dict
    program: dict
    graduates: list[dict]

    def url(self, rest: str = "activities") -> str:
        return f"/api/v1/clusters/{self.id}/{rest}"


async def a_cluster(registry) -> Cluster:
    """A Samarkand cluster whose members joined on 1 January 2024 (the coordinator today)."""
    coordinator = await create_organization(registry, tax_id="201000001")
    institution = await create_organization(registry, tax_id="201000002")
    employer = await create_organization(registry, kind="employer", subtype="J", tax_id="301000003")
    research = await create_organization(
        registry, kind="research", subtype="research_institute", tax_id="201000004"
    )
    partner = await create_organization(
        registry, kind="private", subtype="company", tax_id="301000005"
    )
    outsider = await create_organization(registry, kind="employer", subtype="J", tax_id="301000006")
    created = await registry.post(
        "/api/v1/clusters",
        headers=MINISTRY,
        json={
            "name": "Samarkand IT",
            "region_code": "UZ-SA",
            "sectors": ["J"],
            "coordinator_id": coordinator["id"],
        },
    )
    cluster_id = created.json()["id"]
    roles = [
        (institution, "education"),
        (employer, "employer"),
        (research, "research"),
        (partner, "private_partner"),
    ]
    for organization, role in roles:
        joined = await registry.post(
            f"/api/v1/clusters/{cluster_id}/members",
            headers=MINISTRY,
            json={"organization_id": organization["id"], "role": role, "joined_on": "2024-01-01"},
        )
        assert joined.status_code == 201, joined.text
    program = await create_program(registry, institution)
    graduates = [await create_graduate(registry, program, student_ref=f"S-{n}") for n in (1, 2)]
    return Cluster(
        id=cluster_id,
        coordinator=coordinator,
        institution=institution,
        employer=employer,
        research=research,
        partner=partner,
        outsider=outsider,
        program=program,
        graduates=graduates,
    )


def as_employer(organization: dict) -> dict[str, str]:
    return headers("employer", org=organization["id"])


def internship(cluster: Cluster, **outcome) -> dict:
    return {
        "title": "Internships in software engineering",
        "start_date": "2024-09-01",
        "end_date": "2026-06-30",
        "member_ids": [cluster.institution["id"], cluster.employer["id"]],
        "outcome": {
            "kind": "internship",
            "employer_id": cluster.employer["id"],
            "program_id": cluster.program["id"],
            "years": [{"year": 2024, "places_offered": 10, "places_filled": 2}],
            **outcome,
        },
    }


def every_kind(cluster: Cluster) -> list[dict]:
    institution, employer = cluster.institution["id"], cluster.employer["id"]
    research, partner = cluster.research["id"], cluster.partner["id"]
    program = cluster.program["id"]
    base = {"start_date": "2024-09-01", "end_date": "2026-06-30"}
    return [
        internship(cluster, kind="apprenticeship"),
        {
            **base,
            "title": "Cloud architecture for teachers",
            "member_ids": [institution, research],
            "outcome": {
                "kind": "staff_development",
                "institution_id": institution,
                "trainer_id": research,
                "people": 14,
                "hours": 36,
                "topic": "Cloud architecture",
                "field_code": "0613",
            },
        },
        {
            **base,
            "title": "Co-designed software engineering",
            "member_ids": [institution, employer],
            "outcome": {
                "kind": "joint_program",
                "program_id": program,
                "partners": [{"organization_id": employer, "contribution": "curriculum, labs"}],
            },
        },
        {
            **base,
            "title": "Guest lectures",
            "member_ids": [institution, employer],
            "outcome": {
                "kind": "guest_teaching",
                "employer_id": employer,
                "program_id": program,
                "years": [{"year": 2025, "hours": 40}],
            },
        },
        {
            **base,
            "title": "Robotics laboratory",
            "member_ids": [institution, partner],
            "outcome": {
                "kind": "funding",
                "form": "equipment",
                "partner_id": partner,
                "recipient_id": institution,
                "amount": "125000000.50",
                "currency": "UZS",
                "purpose": "A robotics laboratory",
            },
        },
    ]


def a_goal(**changes) -> dict:
    return {
        "measure": "indicator",
        "code": "employer_satisfaction",
        "field_code": "0613",
        "comparator": "at_least",
        "target": "0.8",
        "by_year": GOAL_YEAR,
        **changes,
    }


async def test_every_kind_is_recorded_and_each_committed_change_publishes_one_event(
    registry, broker
):
    cluster = await a_cluster(registry)
    coordinator = as_institution(cluster.coordinator)

    ids = []
    for body in every_kind(cluster):
        created = await registry.post(cluster.url(), headers=coordinator, json=body)
        assert created.status_code == 201, created.text
        assert created.json()["kind"] == body["outcome"]["kind"]
        ids.append(created.json()["id"])
    funding = (await registry.get(cluster.url(f"activities/{ids[-1]}"), headers=MINISTRY)).json()
    assert funding["outcome"]["amount"] == "125000000.50"  # exact, as decimal text
    running = await registry.patch(
        cluster.url(f"activities/{ids[0]}"),
        headers=as_employer(cluster.employer),
        json={"status": "running"},
    )
    assert running.status_code == 200 and running.json()["status"] == "running"
    again = await registry.patch(
        cluster.url(f"activities/{ids[0]}"), headers=coordinator, json={"status": "running"}
    )
    assert again.status_code == 200  # no change, so no event
    backwards = await registry.patch(
        cluster.url(f"activities/{ids[0]}"), headers=coordinator, json={"status": "planned"}
    )
    assert backwards.status_code == 422
    goal = await registry.post(cluster.url("goals"), headers=coordinator, json=a_goal())
    assert goal.status_code == 201, goal.text
    revised = await registry.put(
        cluster.url(f"goals/{goal.json()['id']}"), headers=coordinator, json=a_goal(target="0.85")
    )
    assert revised.status_code == 200 and revised.json()["version"] == 2
    await drained(registry)

    records = [
        r
        for r in await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
        if b"cluster.activity" in r.value or b"cluster.goal" in r.value
    ]
    events = [json.loads(r.value) for r in records]
    assert Counter(e["type"] for e in events) == {
        "educluster.registry.cluster.activity.recorded.v1": 5,
        "educluster.registry.cluster.activity.updated.v1": 1,
        "educluster.registry.cluster.goal.set.v1": 2,
    }
    assert {r.key.decode() for r in records} == {cluster.id}
    assert sorted(e["data"]["version"] for e in events if "goal" in e["type"]) == [1, 2]
    assert [e["data"]["status"] for e in events if "updated" in e["type"]] == ["running"]


async def test_each_violation_is_a_422_naming_the_field_and_nothing_is_written(registry):
    cluster = await a_cluster(registry)
    coordinator = as_institution(cluster.coordinator)
    institution, employer = cluster.institution["id"], cluster.employer["id"]
    year = {"year": 2024, "places_offered": 10, "places_filled": 2}
    cases = [
        (
            {"member_ids": [institution, employer, cluster.outsider["id"]]},
            ["member_ids", 2],
        ),
        ({"start_date": "2023-12-01"}, ["start_date"]),
        ({"end_date": "2024-01-01"}, ["end_date"]),
        (
            {"outcome_years": [{**year, "places_filled": 11}]},
            ["outcome", "years", 0, "places_filled"],
        ),
        (
            {"outcome_years": [{**year, "places_offered": -1}]},
            ["outcome", "years", 0, "places_offered"],
        ),
        ({"outcome_years": [{**year, "year": 2027}]}, ["outcome", "years", 0, "year"]),
        (
            {"outcome_years": [{**year, "graduate_ids": ["nobody"]}]},
            ["outcome", "years", 0, "graduate_ids", 0],
        ),
        ({"outcome_employer_id": institution}, ["outcome", "employer_id"]),
        ({"outcome_kind": "voyage"}, ["outcome"]),
        # Refused by the body's types, named as the JSON has it (no union tag in between).
        (
            {"outcome_years": [{**year, "places_offered": "many"}]},
            ["outcome", "years", 0, "places_offered"],
        ),
        (
            {"outcome_years": [{"year": 2024, "places_filled": 2}]},
            ["outcome", "years", 0, "places_offered"],
        ),
    ]
    for change, loc in cases:
        body = internship(cluster)
        for name, value in change.items():
            if name.startswith("outcome_"):
                body["outcome"][name.removeprefix("outcome_")] = value
            else:
                body[name] = value
        refused = await registry.post(cluster.url(), headers=coordinator, json=body)
        assert refused.status_code == 422, (change, refused.text)
        assert refused.json()["errors"][0]["loc"][1:] == loc, refused.text
    kinds = every_kind(cluster)
    staff, funding = kinds[1], kinds[4]
    for body, field, value in [
        (staff, "field_code", "0000"),
        (staff, "people", -3),
        (funding, "currency", "usd"),
        (funding, "amount", "-5"),
    ]:
        bad = {**body, "outcome": {**body["outcome"], field: value}}
        refused = await registry.post(cluster.url(), headers=coordinator, json=bad)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["loc"] == ["body", "outcome", field]
    listed = await registry.get(cluster.url(), headers=MINISTRY)
    assert listed.json()["items"] == []


async def test_who_records_and_who_reads_and_graduates_shown_only_to_those_who_may_see_them(
    registry,
):
    cluster = await a_cluster(registry)
    first, second = (g["id"] for g in cluster.graduates)
    year = {"year": 2024, "places_offered": 10, "places_filled": 2, "graduate_ids": [first, second]}
    body = internship(cluster, years=[year])
    for stranger in (
        as_employer(cluster.outsider),
        MINISTRY,
        headers("regional_authority", region="UZ-SA"),
    ):
        assert (await registry.post(cluster.url(), headers=stranger, json=body)).status_code == 403
    created = await registry.post(
        cluster.url(), headers=as_institution(cluster.institution), json=body
    )
    assert created.status_code == 201, created.text
    one = cluster.url(f"activities/{created.json()['id']}")

    async def graduates_seen(auth) -> list[str] | int:
        listed = await registry.get(cluster.url(), headers=auth)
        if listed.status_code != 200:
            return listed.status_code
        read = (await registry.get(one, headers=auth)).json()
        assert listed.json()["items"] == [read]
        return read["outcome"]["years"][0]["graduate_ids"]

    assert await graduates_seen(as_institution(cluster.institution)) == [first, second]
    assert await graduates_seen(MINISTRY) == [first, second]
    assert await graduates_seen(headers("regional_authority", region="UZ-SA")) == [first, second]
    assert await graduates_seen(as_institution(cluster.coordinator)) == []
    assert await graduates_seen(as_employer(cluster.employer)) == []  # employs neither
    assert await graduates_seen(as_employer(cluster.outsider)) == 403
    assert await graduates_seen(headers("regional_authority", region="UZ-TK")) == 403
    edited = await registry.patch(
        one, headers=as_employer(cluster.outsider), json={"title": "Mine now"}
    )
    assert edited.status_code == 403

    # The employer sends back the outcome it saw, a third place filled: the graduates hidden
    # from it stay named.
    sent = {**body["outcome"], "years": [{**year, "places_filled": 3, "graduate_ids": []}]}
    changed = await registry.patch(
        one, headers=as_employer(cluster.employer), json={"outcome": sent}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["outcome"]["years"][0]["graduate_ids"] == []
    seen = (await registry.get(one, headers=as_institution(cluster.institution))).json()
    assert seen["outcome"]["years"][0] == {**year, "places_filled": 3}


async def test_goals_are_versioned_set_by_the_coordinator_and_read_by_members(registry):
    cluster = await a_cluster(registry)
    coordinator = as_institution(cluster.coordinator)
    member = as_institution(cluster.institution)
    refused = await registry.post(cluster.url("goals"), headers=member, json=a_goal())
    assert refused.status_code == 403
    out_of_range = await registry.post(
        cluster.url("goals"), headers=coordinator, json=a_goal(target="80")
    )
    assert out_of_range.status_code == 422
    assert out_of_range.json()["errors"][0]["loc"] == ["body", "target"]
    goal = (await registry.post(cluster.url("goals"), headers=coordinator, json=a_goal())).json()
    activity_goal = await registry.post(
        cluster.url("goals"),
        headers=coordinator,
        json=a_goal(measure="activity", code="internship_places_per_graduate", target="0.5"),
    )
    assert activity_goal.status_code == 201, activity_goal.text
    url = cluster.url(f"goals/{goal['id']}")
    await registry.put(url, headers=coordinator, json=a_goal(target="0.85"))
    await registry.put(url, headers=coordinator, json=a_goal(target="0.85", active=False))

    current = (await registry.get(url, headers=member)).json()
    assert (current["version"], current["target"], current["active"]) == (3, "0.85", False)
    versions = (await registry.get(f"{url}/versions?limit=2", headers=MINISTRY)).json()
    assert [(v["version"], v["target"]) for v in versions["items"]] == [(1, "0.8"), (2, "0.85")]
    rest = await registry.get(f"{url}/versions?cursor={versions['next_cursor']}", headers=MINISTRY)
    assert [v["version"] for v in rest.json()["items"]] == [3]
    active = (await registry.get(cluster.url("goals?active=true"), headers=member)).json()
    assert [g["code"] for g in active["items"]] == ["internship_places_per_graduate"]
    stranger = await registry.get(cluster.url("goals"), headers=as_employer(cluster.outsider))
    assert stranger.status_code == 403
