"""Publications through the real services: what non-ministry readers see, the review of an
official release, restatements, and the events (publication issue, channel 1 among others)."""

import csv
import io

import frictionless
from quality.service_layer.publications import publish_interim as interim_round
from quality.service_layer.unit_of_work import quality_uow

from shared.platform.names import QUALITY_TOPIC
from tests.integration.assessment.world import PERIOD, World, employ, settled
from tests.integration.quality.conftest import publish_interim
from tests.integration.quality.test_rebuild import url_of
from tests.integration.quality.test_score_events import quality_events
from tests.integration.quality.test_scores import assessed_program, scorecard
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    create_organization,
    create_program,
    headers,
)
from tests.support import educluster

REGIONAL = headers("regional_authority", region="UZ-SA")


# What the registry's own facts move (graduates registered, employments) rather than assessments.
REGISTRY_FIGURES = {"coverage", "employed_12m", "employed_in_field"}


def satisfaction(card: dict) -> dict:
    return card["indicators"]["employer_satisfaction"]


def assessment_figures(card: dict) -> dict:
    """Every figure of a scorecard computed from assessments."""
    indicators = {k: v for k, v in card["indicators"].items() if k not in REGISTRY_FIGURES}
    return {
        "indicators": indicators,
        "domains": card["domains"],
        "competencies": card["competencies"],
    }


async def read(quality, path: str, auth=REGIONAL):
    return await quality.get(f"/api/v1/quality/{path}", headers=auth)


async def small_program(world: World, *, code: str, assessed: int) -> dict:
    """A new program of ``world``'s institution, ``assessed`` of its graduates employed by
    ``world``'s employer and assessed by it, each 1 of 5 (a figure that would move a parent)."""
    program = await create_program(world.registry, world.institution, code=code)
    other = World(
        world.registry,
        world.assessment,
        world.institution,
        program,
        world.employer,
        world.framework,
    )
    for g in range(assessed):
        graduate = await create_graduate(world.registry, program, student_ref=f"N-{code}-{g}")
        await employ(other, graduate)
        other.graduates.append(graduate)
    await settled(other, employments=12 + assessed)
    for graduate in other.graduates:
        body = other.assessment_body(graduate, overall_satisfaction=1, preparedness=1)
        response = await world.assessment.post(
            "/api/v1/assessments", headers=other.as_employer, json=body
        )
        assert response.status_code == 201, response.text
    return program


async def test_readers_see_publications_only_and_a_new_small_program_moves_nothing(
    services, broker
):
    # Channel 1: a new program with 3 assessments moved its institution from 55/80 to 56/83.
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    institution = world.institution["id"]
    org = f"organization/{institution}?period={PERIOD}"
    await scorecard(
        quality, "organization", institution, until=lambda c: satisfaction(c)["n"] == 12
    )

    assert (await read(quality, org)).status_code == 404  # nothing published yet
    assert (await read(quality, org + "&view=live")).status_code == 403
    first = await publish_interim(quality, PERIOD)
    assert first["status"] == "published" and first["release"] == "provisional"
    assert first["summary"]["released_cells"] == 1
    published = (await read(quality, org)).json()
    assert satisfaction(published)["n"] == 12 and satisfaction(published)["value"] == 0.75
    assert published["view"] == "published"
    assert published["publication"] == {"number": first["number"], "release": "provisional"}

    await small_program(world, code="60610200", assessed=3)
    live = await scorecard(
        quality, "organization", institution, until=lambda c: satisfaction(c)["n"] == 15
    )
    assert live["view"] == "live" and live["publication"] is None
    second = await publish_interim(quality, PERIOD)
    assert second["summary"]["released_cells"] == 0
    assert second["summary"]["held_back_cells"] == 1
    again = (await read(quality, org)).json()
    assert again["publication"]["number"] == second["number"]
    # Nothing to subtract: no figure built from assessments moved.
    assert assessment_figures(again) == assessment_figures(published)
    # The ministry still reads the live figure; one publication's figures stay readable.
    assert satisfaction((await read(quality, org, auth=MINISTRY)).json())["n"] == 15
    pinned = await read(quality, org + f"&publication={first['number']}")
    assert pinned.json()["indicators"] == published["indicators"]

    events = await quality_events(quality, broker, topics=(QUALITY_TOPIC,))
    kinds = [e["type"] for _, e in events]
    assert "educluster.quality.score.updated.v1" not in kinds  # live: the ministry's topic
    assert kinds.count("educluster.quality.release.published.v1") == 2
    of_institution = [
        e["data"]
        for key, e in events
        if e["type"] == "educluster.quality.score.published.v1" and key == institution
    ]
    yearly = [d for d in of_institution if not d["pooled"]]
    assert [d["publication"] for d in yearly] == [first["number"], second["number"]]
    assert yearly[0]["indicators"]["employer_satisfaction"] == satisfaction(published)
    assert yearly[1]["indicators"]["employer_satisfaction"] == satisfaction(published)
    assert len([e for _, e in events if e["type"].endswith("score.published.v1")]) == (
        first["summary"]["figures"] + second["summary"]["figures"]
    )


async def test_an_official_release_is_reviewed_answered_published_and_only_restated(
    services, broker
):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    institution = world.institution
    own = as_institution(institution)
    rival = await create_organization(registry, tax_id="201234569")
    empty = await create_program(registry, institution, code="60610300")  # nothing to score
    await scorecard(
        quality, "organization", institution["id"], until=lambda c: satisfaction(c)["n"] == 12
    )
    opened = {"period": PERIOD, "kind": "official"}

    refused = await quality.post("/api/v1/quality/publications", headers=own, json=opened)
    assert refused.status_code == 403
    draft = await quality.post("/api/v1/quality/publications", headers=MINISTRY, json=opened)
    assert draft.status_code == 201, draft.text
    number = draft.json()["number"]
    assert (draft.json()["status"], draft.json()["release"]) == ("draft", "official")
    assert draft.json()["review_until"] is not None
    again = await quality.post("/api/v1/quality/publications", headers=MINISTRY, json=opened)
    assert again.status_code == 409  # one draft at a time

    # Readers other than the reviewers see neither the draft nor any figure yet.
    assert (await read(quality, f"publications/{number}")).status_code == 403
    org = f"organization/{institution['id']}?period={PERIOD}"
    assert (await read(quality, org)).status_code == 404
    # An institution sees its own draft figures only.
    figures = f"publications/{number}/figures?scope=organization"
    mine = (await read(quality, figures, auth=own)).json()
    assert [f["scope_id"] for f in mine] == [institution["id"]]
    assert (await read(quality, figures, auth=as_institution(rival))).json() == []

    queries = f"/api/v1/quality/publications/{number}/queries"
    query = {
        "scope": "organization",
        "scope_id": institution["id"],
        "indicator": "employer_satisfaction",
        "reason": "Two assessments of our graduates are missing.",
    }
    bad = await quality.post(queries, headers=own, json={**query, "indicator": "happiness"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "indicator"
    missing = {**query, "scope": "program", "scope_id": empty["id"]}
    assert (await quality.post(queries, headers=own, json=missing)).status_code == 404
    others = {**query, "scope_id": rival["id"]}
    assert (await quality.post(queries, headers=own, json=others)).status_code == 403
    filed = await quality.post(queries, headers=own, json=query)
    assert filed.status_code == 201, filed.text
    assert (await quality.post(queries, headers=MINISTRY, json=query)).status_code == 403

    publish = f"/api/v1/quality/publications/{number}/publish"
    early = await quality.post(publish, headers=MINISTRY, json={"close_review": True})
    assert early.status_code == 409 and "await an answer" in early.json()["detail"]
    answer = f"{queries}/{filed.json()['id']}/answer"
    reply = {"answer": "Both were withdrawn by their employer."}
    assert (await quality.post(answer, headers=own, json=reply)).status_code == 403
    answered = await quality.post(answer, headers=MINISTRY, json=reply)
    assert answered.status_code == 200 and answered.json()["answer"] == reply["answer"]
    assert (await quality.post(answer, headers=MINISTRY, json=reply)).status_code == 409
    in_review = await quality.post(publish, headers=MINISTRY, json={})
    assert in_review.status_code == 409 and "review" in in_review.json()["detail"]
    made = await quality.post(publish, headers=MINISTRY, json={"close_review": True})
    assert made.status_code == 200 and made.json()["status"] == "published"
    assert (await quality.post(publish, headers=MINISTRY, json={})).status_code == 409
    assert (await quality.post(queries, headers=own, json=query)).status_code == 409

    released = (await read(quality, org)).json()
    assert released["publication"] == {"number": number, "release": "official"}
    before = (await read(quality, figures.replace("organization", "program"))).json()

    # A published release is never changed: a correction is a restatement, with a reason.
    twice = await quality.post("/api/v1/quality/publications", headers=MINISTRY, json=opened)
    assert twice.status_code == 409 and "restate" in twice.json()["detail"]
    no_reason = await quality.post(
        "/api/v1/quality/publications", headers=MINISTRY, json={**opened, "restate": True}
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"][-1] == "reason"
    restated = await quality.post(
        "/api/v1/quality/publications",
        headers=MINISTRY,
        json={**opened, "restate": True, "reason": "late register corrections"},
    )
    assert restated.status_code == 201, restated.text
    assert restated.json()["restates"] == number
    second = restated.json()["number"]
    made = await quality.post(
        f"/api/v1/quality/publications/{second}/publish",
        headers=MINISTRY,
        json={"close_review": True},
    )
    assert made.status_code == 200
    assert (await read(quality, figures.replace("organization", "program"))).json() == before

    events = await quality_events(quality, broker, topics=(QUALITY_TOPIC,))
    (published,) = [e["data"] for _, e in events if e["type"].endswith("release.published.v1")]
    assert published["publication"] == number and published["release"] == "official"
    (restatement,) = [e["data"] for _, e in events if e["type"].endswith("release.restated.v1")]
    assert restatement["restates"] == number and restatement["reason"]
    assert restatement["changed"] == []  # nothing new was released: the same figures

    assert (await read(quality, "publications/9999", auth=MINISTRY)).status_code == 404
    ghost = await quality.post(
        "/api/v1/quality/publications/9999/publish", headers=MINISTRY, json={}
    )
    assert ghost.status_code == 404


async def test_an_interim_round_publishes_only_periods_with_something_new(services):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    await scorecard(
        quality, "program", world.program["id"], until=lambda c: satisfaction(c)["n"] == 12
    )
    runtime = quality.app.state.runtime

    def uow():
        return quality_uow(runtime.uow_factory())

    made = await interim_round(uow)
    # Every period with live scores (the cohort's year to this one) gets its first publication.
    assert made and len(made) == len(set(made))
    assert await interim_round(uow) == []  # nothing new since: nothing published


async def test_a_publication_downloads_as_a_valid_frictionless_package_matching_the_api(
    services, tmp_path
):
    registry, assessment, quality = services
    world, _ = await assessed_program(registry, assessment)
    institution = world.institution["id"]
    await scorecard(
        quality, "organization", institution, until=lambda c: satisfaction(c)["n"] == 12
    )
    made = await publish_interim(quality, PERIOD)
    base = f"publications/{made['number']}"

    package = await read(quality, f"{base}/datapackage.json")
    data = await read(quality, f"{base}/data.csv")
    assert package.status_code == 200 and data.status_code == 200, data.text
    assert data.headers["content-type"].startswith("text/csv")
    (tmp_path / "datapackage.json").write_text(package.text)
    (tmp_path / "data.csv").write_text(data.text)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    rows = list(csv.DictReader(io.StringIO(data.text)))
    api = (await read(quality, f"organization/{institution}?period={PERIOD}")).json()
    (row,) = [
        r
        for r in rows
        if (r["scope"], r["scope_id"], r["pooled"], r["indicator"])
        == ("organization", institution, "false", "employer_satisfaction")
    ]
    assert float(row["value"]) == satisfaction(api)["value"]
    assert int(row["n"]) == satisfaction(api)["n"]
    assert row["name"] == world.institution["name"]
    assert row["release"] == "provisional" and int(row["publication"]) == made["number"]
    region = next(r for r in rows if r["scope"] == "region" and r["scope_id"] == "UZ-SA")
    assert region["name_en"] == "Samarkand Region" and region["name_ru"]
    as_json = (await read(quality, f"{base}/data.json")).json()
    assert len(as_json["rows"]) == len(rows)
    assert as_json["columns"] == list(rows[0].keys())

    draft = await quality.post(
        "/api/v1/quality/publications", headers=MINISTRY, json={"period": PERIOD}
    )
    assert (
        await read(quality, f"publications/{draft.json()['number']}/data.csv")
    ).status_code == 404
    assert (await read(quality, "publications/999/datapackage.json")).status_code == 404

    # The ministry's audit of the publication: no satisfaction figure hidden here; every
    # employer would hire again, a share stated only as its interval, which the audit checks,
    # as it does the competency means and shares satisfied hidden for their few ratings (or
    # stated as a bound).
    audit = await read(quality, f"{base}/audit", auth=MINISTRY)
    assert audit.status_code == 200, audit.text
    assert audit.json()["protected"] is True
    checked = {f["indicator"] for f in audit.json()["figures"]}
    competencies = {
        c for c in checked if c.startswith("competency:") and c.endswith((":mean", ":satisfied"))
    }
    assert checked - competencies <= {"would_hire_again"}
    assert all(f["protected"] for f in audit.json()["figures"])
    assert (await read(quality, f"{base}/audit")).status_code == 403
    assert (await read(quality, "publications/999/audit", auth=MINISTRY)).status_code == 404


async def test_the_audit_command_reports_the_latest_publication_and_refuses_without_one(services):
    registry, assessment, quality = services
    env = {"EDUCLUSTER_QUALITY_DATABASE_URL": url_of(quality)}
    code, out, err = await educluster("quality", "audit", env=env)
    assert code == 2 and "published publication" in err  # none yet: nothing to audit

    world, _ = await assessed_program(registry, assessment)
    await scorecard(
        quality, "program", world.program["id"], until=lambda c: satisfaction(c)["n"] == 12
    )
    made = await publish_interim(quality, PERIOD)
    code, out, err = await educluster("quality", "audit", env=env)
    assert code == 0, out + err
    assert f"publication {made['number']} ({PERIOD})" in out
    assert out.splitlines()[-1] == "quality: every hidden figure protected"
    code, out, err = await educluster("quality", "audit", "--publication", "99", env=env)
    assert code == 2 and "99" in err
