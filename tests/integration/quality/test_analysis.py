"""Rankings, the cluster comparison, competency gaps and alerts on a small hand-built region:
two institutions teaching the same field, one of them in a cluster."""

import math

from quality.adapters.tables import q_memberships, q_requirements
from sqlalchemy import func, select

from tests.integration.assessment.world import PERIOD, settled
from tests.integration.quality.conftest import publish_interim, running_quality
from tests.integration.quality.test_scores import (
    OVERALL,
    PREPARED,
    assess_all,
    employed_cohort,
    scorecard,
    wilson,
)
from tests.integration.registry.conftest import MINISTRY, as_institution, headers
from tests.support import eventually

ALL_FIVES, ALL_TWOS = [5] * 12, [2] * 12


async def count(quality, table) -> int:
    async with quality.app.state.runtime.engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(table))


def newcombe(x1, n1, x2, n2, level=0.90):
    """Newcombe's hybrid score interval (method 10), from two Wilson intervals."""
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = wilson(x1, n1, level), wilson(x2, n2, level)
    return (
        p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


async def get(quality, path):
    response = await quality.get(path, headers=MINISTRY)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_cluster_against_its_region_with_gaps_rankings_and_alerts(services):
    registry, assessment, quality = services
    # The index needs every weighted indicator; this period's cohort outcomes are not out
    # before its window closes (30 September), so this test weighs the ratings only.
    ratings_only = await quality.post(
        "/api/v1/quality/methodology",
        headers=MINISTRY,
        json={
            "weights": {"employer_satisfaction": 0.3, "preparedness": 0.2, "competency_mean": 0.2}
        },
    )
    assert ratings_only.status_code == 201, ratings_only.text
    members, others = (
        await employed_cohort(registry, assessment, tax_digit=1),
        await employed_cohort(registry, assessment, tax_digit=2),
    )
    member, other = members[0], others[0]
    cluster = await registry.post(
        "/api/v1/clusters",
        headers=MINISTRY,
        json={
            "name": "Samarqand IT",
            "region_code": "UZ-SA",
            "sectors": ["J"],
            "coordinator_id": member.institution["id"],
        },
    )
    assert cluster.status_code == 201, cluster.text
    cluster_id = cluster.json()["id"]
    await settled(member, employments=24)
    # Three employers state the same (an importance fewer state is withheld).
    for stating in members[:3]:
        requirement = await assessment.post(
            "/api/v1/requirements",
            headers=stating.as_employer,
            json={
                "employer_id": stating.employer["id"],
                "field_code": "0613",
                "framework_id": member.framework["id"],
                "importance": {
                    "foundation.oral_communication": 5,
                    "technical.professional_knowledge": 3,
                },
            },
        )
        assert requirement.status_code == 201, requirement.text
    await eventually(
        lambda: count(quality, q_requirements),
        until=lambda n: n == 3,
        what="requirements projected",
    )
    await eventually(lambda: count(quality, q_memberships), what="membership projected")

    # 9 of 12 satisfied this year; ratings that differ (a publication withholds a mean of
    # identical ratings): oral communication 3 or 5 (mean 4), professional knowledge nine 5s,
    # two 4s and a 1 (mean 4.5; not all satisfied, or its share would be stated as a bound that
    # the region less the other program would undo, and the audit would hide it whole).
    varied = [
        {
            "foundation.oral_communication": 3 if i % 2 else 5,
            "technical.professional_knowledge": 5 if i < 9 else 4 if i < 11 else 1,
            "digital.information_data_literacy": None,
        }
        for i in range(12)
    ]
    await assess_all(assessment, members, ratings=varied)
    # The other program's ratings vary too, both years (means 4.5, eleven of twelve satisfied).
    # Identical ones would be withheld, and all satisfied stated as a bound: in a region of two
    # programs the region's figures less the member's would give either away, the audit would
    # rightly hide the member's and the cluster's competencies in their place, and the
    # cluster's gap could not be published.
    mixed = [
        {
            "foundation.oral_communication": 5 if i < 9 else 4 if i < 11 else 1,
            "technical.professional_knowledge": 4 if i < 2 else 1 if i == 2 else 5,
            "digital.information_data_literacy": None,
        }
        for i in range(12)
    ]
    await assess_all(
        assessment, others, overall=ALL_FIVES, prepared=ALL_FIVES, period=PERIOD - 1, ratings=mixed
    )
    await assess_all(assessment, others, overall=ALL_TWOS, prepared=ALL_TWOS, ratings=mixed)

    program = other.program["id"]
    card = await scorecard(
        quality,
        "program",
        program,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 12,
    )
    assert card["indicators"]["employer_satisfaction"]["value"] == 0.0
    # 0.3·0 + 0.2·0 + 0.2·(4.5 − 1)/4 over the weight 0.7 (outcomes weigh nothing here)
    assert math.isclose(card["index"]["value"], 100 * 0.2 * 0.875 / 0.7)
    assert card["index"]["ci_low"] < card["index"]["value"] < card["index"]["ci_high"]
    await scorecard(
        quality,
        "cluster",
        cluster_id,
        until=lambda c: c["indicators"]["employer_satisfaction"]["n"] == 12,
    )

    comparison = await get(
        quality, f"/api/v1/quality/clusters/{cluster_id}/comparison?period={PERIOD}"
    )
    assert comparison["members"] == {"n": 12, "share": 0.75, "reason": None}
    assert comparison["non_members"] == {"n": 12, "share": 0.0, "reason": None}
    low, high = newcombe(9, 12, 0, 12)
    assert math.isclose(comparison["difference"]["value"], 0.75)
    assert math.isclose(comparison["difference"]["ci_low"], low, abs_tol=1e-9)
    assert math.isclose(comparison["difference"]["ci_high"], high, abs_tol=1e-9)

    gaps = await get(
        quality, f"/api/v1/quality/cluster/{cluster_id}/competency-gaps?period={PERIOD}"
    )
    # importance 5 and 3 (crosshair 4); performance 4.0 and 4.5 (crosshair 4.25)
    assert gaps["competencies"]["foundation.oral_communication"]["quadrant"] == "concentrate_here"
    assert gaps["competencies"]["foundation.oral_communication"]["gap"] == 1.0
    professional = gaps["competencies"]["technical.professional_knowledge"]
    assert professional["quadrant"] == "possible_overkill" and professional["gap"] == -1.5

    ranking = await get(
        quality, f"/api/v1/quality/rankings?scope=program&period={PERIOD}&region=UZ-SA"
    )
    # Both bachelor's programs in ICT: one comparable group (level 6, broad field 06).
    assert [(r["scope_id"], r["group"], r["rank"]) for r in ranking["items"]] == [
        (member.program["id"], "6/06", 1),
        (program, "6/06", 2),
    ]
    # Both institutions teach ICT bachelors only: the benchmark is the rate of the two, 9/24.
    benchmarks = await get(
        quality, f"/api/v1/quality/benchmarks?scope=organization&period={PERIOD}"
    )
    by_unit = {b["unit_id"]: b for b in benchmarks["items"]}
    ours, theirs = by_unit[member.institution["id"]], by_unit[other.institution["id"]]
    assert math.isclose(ours["expected"], 9 / 24) and math.isclose(theirs["expected"], 9 / 24)
    assert (ours["flag"], theirs["flag"]) == ("materially_above", "materially_below")
    assert math.isclose(ours["ci_low"], wilson(9, 12)[0] - 9 / 24)
    # The cluster holds the member's program only: its own benchmark, the same as its member's.
    clusters = await get(quality, f"/api/v1/quality/benchmarks?scope=cluster&period={PERIOD}")
    (ours_too,) = clusters["items"]
    assert ours_too["unit_id"] == cluster_id and ours_too["n"] == 12
    assert math.isclose(ours_too["expected"], 9 / 24)
    not_benchmarked = await quality.get(
        f"/api/v1/quality/benchmarks?scope=county&period={PERIOD}", headers=MINISTRY
    )
    assert not_benchmarked.status_code == 422 and "scope" in not_benchmarked.text
    wider = await get(
        quality, f"/api/v1/quality/program/{member.program['id']}?period={PERIOD}&level=0.95"
    )
    assert math.isclose(
        wider["indicators"]["employer_satisfaction"]["ci_low"], wilson(9, 12, 0.95)[0]
    )
    assert wider["rank"] == 1 and wider["rank_interval"][0] == 1
    in_field = await get(
        quality, f"/api/v1/quality/scores?scope=program&period={PERIOD}&field=0613"
    )
    assert len(in_field["items"]) == 2
    elsewhere = await get(
        quality, f"/api/v1/quality/scores?scope=program&period={PERIOD}&region=UZ-TK"
    )
    assert elsewhere["items"] == []
    history = await get(quality, f"/api/v1/quality/program/{program}/history")
    assert [c["period"] for c in history][-2:] == [PERIOD - 1, PERIOD]

    # Alerts are raised by publications, so that they only cite published figures.
    await publish_interim(quality, PERIOD - 1)
    await publish_interim(quality, PERIOD)

    async def alerts():
        return (await get(quality, "/api/v1/quality/alerts?limit=100"))["items"]

    raised = await eventually(
        alerts,
        until=lambda items: (
            {"index_below_threshold", "significant_drop", "competency_gap"}
            <= {a["kind"] for a in items}
        ),
        what="alerts raised",
    )
    by_kind = {(a["kind"], a["scope"], a["scope_id"]) for a in raised}
    assert ("significant_drop", "program", program) in by_kind
    assert ("index_below_threshold", "program", program) in by_kind
    assert ("competency_gap", "cluster", cluster_id) in by_kind
    assert not any(a["scope_id"] == member.program["id"] for a in raised)
    assert OVERALL and PREPARED  # the member's figures are those of test_scores


async def test_scores_are_public_only_when_configured(make_database_url, broker):
    for public, anonymous in ((False, 401), (True, 200)):
        async with running_quality(
            await make_database_url(f"quality-{public}"),
            broker.bootstrap_servers,
            public_scores=public,
        ) as quality:
            path = "/api/v1/quality/methodology"
            assert (await quality.get(path)).status_code == anonymous
            assert (await quality.get(path, headers=headers("operator"))).status_code == 403
            assert (await quality.get(path, headers=as_institution({"id": "x"}))).status_code == 200
            # Found: alerts were read anonymously when scores were public (the gateway refused,
            # the service did not). They name units and their drops: a role is always needed.
            alerts = "/api/v1/quality/alerts"
            assert (await quality.get(alerts)).status_code == 401
            as_reader = await quality.get(alerts, headers=as_institution({"id": "x"}))
            assert as_reader.status_code == 200
