"""Employment provenance over HTTP: an employer's claim shows it nothing until the graduate's
institution (or the graduate, with a one-time code) confirms it; what each role reads of a
graduate (the matrix of docs/registry.md, every cell)."""

import json
from datetime import date, timedelta

import pytest
from registry.domain.access import GRADUATE_FIELDS

from shared.platform.names import REGISTRY_TOPIC
from tests.integration.ledger import kafka_settings
from tests.integration.registry.conftest import (
    MINISTRY,
    as_institution,
    create_graduate,
    drained,
    headers,
)
from tests.integration.registry.test_employments import as_employer, employment_body, record, world
from tests.integration.topic_reader import read_topic


async def move(registry, employment: dict, verb: str, *, auth, reason: str | None = None):
    return await registry.post(
        f"/api/v1/employments/{employment['id']}/{verb}",
        headers=auth,
        json=None if reason is None else {"reason": reason},
    )


async def confirmed(registry, institution: dict, employment: dict) -> dict:
    response = await move(registry, employment, "confirm", auth=as_institution(institution))
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "confirmed"
    return response.json()


async def test_the_observed_path_is_refused_at_each_step(registry):
    # Found: employer E reads a graduate → 403; records an employment from 2000-01-01 → 201;
    # then reads the graduate's full name and student reference → 200, even after ending it.
    institution, _, graduate, employer = await world(registry)
    own = as_employer(employer)
    one = f"/api/v1/graduates/{graduate['id']}"
    assert (await registry.get(one, headers=own)).status_code == 404
    backdated = await registry.post(
        "/api/v1/employments",
        headers=own,
        json=employment_body(graduate, employer, start_date="2000-01-01"),
    )
    assert backdated.status_code == 422
    assert backdated.json()["errors"][0]["loc"] == ["body", "start_date"]

    claim = await record(registry, graduate, employer)
    assert (claim["state"], claim["source"]) == ("claimed", "employer")
    assert (await registry.get(one, headers=own)).status_code == 404
    assert (await registry.get("/api/v1/graduates", headers=own)).json()["items"] == []
    # The employer cannot confirm its own claim.
    assert (await move(registry, claim, "confirm", auth=own)).status_code == 403

    await confirmed(registry, institution, claim)
    seen = await registry.get(one, headers=own)
    assert seen.status_code == 200
    assert seen.json()["full_name"] == graduate["full_name"]
    assert seen.json()["student_ref"] is None

    # Ended long ago (beyond the 12-month assessment window): the graduate is out of reach.
    long_ago = (date.today() - timedelta(days=400)).isoformat()
    ended = await registry.post(
        f"/api/v1/employments/{claim['id']}/end", headers=own, json={"end_date": long_ago}
    )
    assert ended.status_code == 200, ended.text
    assert (await registry.get(one, headers=own)).status_code == 404


async def test_an_employer_still_reads_its_graduate_within_the_window_after_the_job_ends(
    registry,
):
    institution, _, graduate, employer = await world(registry)
    claim = await confirmed(registry, institution, await record(registry, graduate, employer))
    recently = (date.today() - timedelta(days=30)).isoformat()
    own = as_employer(employer)
    await registry.post(
        f"/api/v1/employments/{claim['id']}/end", headers=own, json={"end_date": recently}
    )
    listed = await registry.get("/api/v1/graduates", headers=own)
    assert [g["id"] for g in listed.json()["items"]] == [graduate["id"]]


async def test_the_graduate_confirms_once_with_the_code_its_institution_issued(registry):
    institution, _, graduate, employer = await world(registry)
    claim = await record(registry, graduate, employer)
    path = f"/api/v1/employments/{claim['id']}/confirmation-code"
    assert (await registry.post(path, headers=as_employer(employer))).status_code == 403
    issued = await registry.post(path, headers=as_institution(institution))
    assert issued.status_code == 201, issued.text
    code = issued.json()["code"]

    wrong = await registry.post("/api/v1/employments/confirmations", json={"code": "AAAA-BBBB"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "code"]
    # No account: the graduate has only the code (typed in lower case, spaces around it).
    used = await registry.post(
        "/api/v1/employments/confirmations", json={"code": f" {code.lower()} "}
    )
    assert used.status_code == 200, used.text
    assert (used.json()["state"], used.json()["state_by"]) == ("confirmed", "graduate")
    again = await registry.post("/api/v1/employments/confirmations", json={"code": code})
    assert again.status_code == 422


async def test_an_institution_lists_the_claims_waiting_for_its_confirmation(registry):
    # Its confirmations page needs only the claimed ones, not every employment it may read.
    institution, program, graduate, employer = await world(registry)
    other = await create_graduate(registry, program, student_ref="S-0002")
    waiting = await record(registry, graduate, employer)
    await confirmed(registry, institution, await record(registry, other, employer))
    path = "/api/v1/employments"
    own = as_institution(institution)

    claimed = await registry.get(path, params={"state": "claimed"}, headers=own)
    assert claimed.status_code == 200, claimed.text
    assert [e["id"] for e in claimed.json()["items"]] == [waiting["id"]]
    done = await registry.get(path, params={"state": "confirmed"}, headers=own)
    assert [e["graduate_id"] for e in done.json()["items"]] == [other["id"]]
    unknown = await registry.get(path, params={"state": "pending"}, headers=own)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["query", "state"]


async def test_disputes_and_rejections_need_a_reason_and_are_announced(registry, broker):
    institution, _, graduate, employer = await world(registry)
    claim = await record(registry, graduate, employer)
    auth = as_institution(institution)
    no_reason = await move(registry, claim, "dispute", auth=auth)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"][-1] in ("body", "reason")
    disputed = await move(registry, claim, "dispute", auth=auth, reason="not on our records")
    assert disputed.json()["state"] == "disputed"
    rejected = await move(registry, claim, "reject", auth=MINISTRY, reason="register: no match")
    assert rejected.json()["state"] == "rejected"
    final = await move(registry, claim, "confirm", auth=auth)
    assert final.status_code == 409
    await drained(registry)

    records = await read_topic(kafka_settings(broker.bootstrap_servers), REGISTRY_TOPIC)
    changes = [
        json.loads(r.value)["data"]
        for r in records
        if json.loads(r.value)["type"] == "educluster.registry.employment.state_changed.v1"
    ]
    assert [(c["previous_state"], c["state"], c["changed_by"], c["reason"]) for c in changes] == [
        ("claimed", "disputed", "institution", "not on our records"),
        ("disputed", "rejected", "ministry", "register: no match"),
    ]


READERS = {
    "institution": lambda w: as_institution(w["institution"]),
    "employer": lambda w: as_employer(w["employer"]),
    "regional_authority": lambda w: headers("regional_authority", region="UZ-SA"),
    "ministry": lambda w: MINISTRY,
}


@pytest.mark.parametrize("role", sorted(GRADUATE_FIELDS))
async def test_each_role_reads_exactly_its_fields_of_a_graduate(registry, role):
    institution, _, graduate, employer = await world(registry)
    await confirmed(registry, institution, await record(registry, graduate, employer))
    # Every field has a value, so a null is one the role may not read.
    follow_up = {"follow_up_outcome": "employed", "follow_up_on": "2025-03-14"}
    set_ = await registry.patch(
        f"/api/v1/graduates/{graduate['id']}", headers=as_institution(institution), json=follow_up
    )
    assert set_.status_code == 200, set_.text
    auth = READERS[role]({"institution": institution, "employer": employer})
    one = await registry.get(f"/api/v1/graduates/{graduate['id']}", headers=auth)
    listed = await registry.get("/api/v1/graduates", headers=auth)
    assert one.status_code == 200, one.text
    assert listed.json()["items"] == [one.json()]
    shown = {name for name, value in one.json().items() if value is not None}
    assert shown == GRADUATE_FIELDS[role]
    assert set(one.json()) == set(GRADUATE_FIELDS["institution"])


async def test_an_employment_before_the_employer_was_registered_is_refused(registry):
    _, _, graduate, _ = await world(registry)
    body = {"kind": "employer", "subtype": "J", "name": "New firm", "region_code": "UZ-SA"}
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = await registry.post(
        "/api/v1/organizations",
        headers=MINISTRY,
        json=body | {"tax_id": "303456789", "registered_on": tomorrow},
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["loc"] == ["body", "registered_on"]
    firm = await registry.post(
        "/api/v1/organizations",
        headers=MINISTRY,
        json=body | {"tax_id": "303456789", "registered_on": "2025-03-01"},
    )
    assert firm.status_code == 201, firm.text
    assert firm.json()["registered_on"] == "2025-03-01"
    early = await registry.post(
        "/api/v1/employments",
        headers=as_employer(firm.json()),
        json=employment_body(graduate, firm.json(), start_date="2024-09-01"),
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["loc"] == ["body", "start_date"]
    assert await record(registry, graduate, firm.json(), start_date="2025-03-01")


async def test_the_ministry_corrects_an_organizations_registration_date(registry):
    body = {"kind": "employer", "subtype": "J", "name": "Late firm", "region_code": "UZ-SA"}
    firm = await registry.post(
        "/api/v1/organizations", headers=MINISTRY, json=body | {"tax_id": "303456780"}
    )
    assert firm.status_code == 201, firm.text

    corrected = await registry.patch(
        f"/api/v1/organizations/{firm.json()['id']}",
        headers=MINISTRY,
        json={"registered_on": "2024-05-02"},
    )

    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["registered_on"] == "2024-05-02"
    again = await registry.get(f"/api/v1/organizations/{firm.json()['id']}", headers=MINISTRY)
    assert again.json()["registered_on"] == "2024-05-02"
