"""The cluster coordinator's workspace of the dashboard (#/workspace/cluster…) in real headless
Chromium, on the four real services and a real broker.

The platform starts as in test_dashboard.py (whose browser fixture and helpers are reused, with
test_employer_workspace.py's sign-in and refusal helpers); its own small seed, as the ministry
through the gateway's API: a university with a program coordinates a cluster; an employer is
a member today, another was a member and has left. The university signs in with its own token
and works in the page; what the page says is checked against what the API then holds.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx
import pytest

from educluster.up import Launcher
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import COHORT, MINISTRY, PERIOD, Browsed, _post, bearer
from tests.e2e.test_employer_workspace import changed, refused_requests, sign_in
from tests.e2e.workspace_checks import (
    fits_a_phone,
    focus_ring,
    translated_keys,
    used_keys,
)
from tests.support import eventually

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser
TODAY = date.today()
LEFT_ON = TODAY - timedelta(days=1)


@dataclass
class Seeded:
    university: dict = field(default_factory=dict)
    program: dict = field(default_factory=dict)
    employer: dict = field(default_factory=dict)  # a member today
    former: dict = field(default_factory=dict)  # a member that has left
    cluster: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return bearer("institution", org=self.university["id"])

    @property
    def token(self) -> str:
        return self.headers["Authorization"].removeprefix("Bearer ")

    @property
    def member_token(self) -> str:
        return bearer("employer", org=self.employer["id"])["Authorization"].removeprefix("Bearer ")

    @property
    def base(self) -> str:
        return f"#/workspace/cluster/{self.cluster['id']}"

    @property
    def api(self) -> str:
        return f"/api/v1/clusters/{self.cluster['id']}"


async def _organization(api: httpx.AsyncClient, kind: str, subtype: str, name: str, tax_id: str):
    body = {"kind": kind, "subtype": subtype, "name": name, "region_code": "UZ-SA"}
    return await _post(api, "/api/v1/organizations", body | {"tax_id": tax_id})


async def seed(gateway: str) -> Seeded:
    seeded = Seeded()
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        seeded.university = await _organization(
            api, "education", "university", "Samarqand davlat universiteti", "201000011"
        )
        seeded.program = await _post(
            api,
            "/api/v1/programs",
            {
                "institution_id": seeded.university["id"],
                "code": "60610100",
                "name": "Dasturiy injiniring",
                "level": "6",
                "field_code": "0613",
            },
        )
        seeded.employer = await _organization(
            api, "employer", "J", "IT Park rezidenti", "301000011"
        )
        seeded.former = await _organization(api, "employer", "J", "Eski hamkor", "301000012")
        seeded.cluster = await _post(
            api,
            "/api/v1/clusters",
            {
                "name": "Samarqand IT klasteri",
                "region_code": "UZ-SA",
                "sectors": ["J", "P"],
                "coordinator_id": seeded.university["id"],
            },
        )
        members = f"/api/v1/clusters/{seeded.cluster['id']}/members"
        await _post(api, members, {"organization_id": seeded.employer["id"], "role": "employer"})
        joined = {"role": "employer", "joined_on": f"{COHORT}-01-10"}
        await _post(api, members, {"organization_id": seeded.former["id"]} | joined)
        left = await api.delete(
            f"{members}/{seeded.former['id']}?left_on={LEFT_ON.isoformat()}", headers=MINISTRY
        )
        assert left.status_code == 200, left.text
        # The quality service knows the cluster and its coordinator (its progress page reads).
        await eventually(
            lambda: api.get(
                f"/api/v1/quality/clusters/{seeded.cluster['id']}/goals/progress",
                headers=seeded.headers,
            ),
            until=lambda r: r.status_code == 200,
            interval_s=0.2,
            what="the cluster known to the quality service",
        )
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name)."""
    with dashboard.seeded_platform(tmp_path_factory.mktemp("coordinator"), seed) as found:
        yield found


async def api_get(seeded: Seeded, gateway: str, path: str):
    async with httpx.AsyncClient(base_url=gateway, headers=seeded.headers) as api:
        answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def in_english(browsed: Browsed, view: str) -> None:
    await browsed.page.click("button.language[data-language=en]")
    await browsed.ready(view)


# --- the tests ------------------------------------------------------------------------------


async def test_the_coordinator_sees_its_cluster_its_members_and_who_left(platform, browser):
    seeded = platform[1]
    page = browser.page
    await sign_in(browser, seeded.token, "#/", "overview")
    assert await page.is_visible("#nav-coordinator")
    await page.click("#nav-coordinator")  # one cluster: its members at once
    await browser.ready("coord-clusters")
    assert await page.get_attribute(".coord-workspace", "data-cluster") == seeded.cluster["id"]
    assert "Samarqand IT klasteri" in await browser.text(".workspace-header")
    current = await page.evaluate(
        "[...document.querySelectorAll('.coord-members-panel tbody tr')]"
        ".map((r) => [r.dataset.id, r.dataset.role])"
    )
    assert sorted(current) == sorted(
        [[seeded.university["id"], "coordinator"], [seeded.employer["id"], "employer"]]
    )
    former = f".coord-left-panel tr[data-id='{seeded.former['id']}']"
    assert await browser.text(f"{former} td.left-on") == LEFT_ON.isoformat()
    assert "Eski hamkor" in await browser.text(former)
    # Members join and leave by the ministry's or the region's decision: said, not offered.
    assert "vazirlik" in await browser.text(".coord-membership-note")
    assert await browser.count(".coord-members-panel button, .coord-members-panel form") == 0
    figures = await page.get_attribute("a[data-tab=figures]", "href")
    assert figures == f"#/cluster/{seeded.cluster['id']}"
    assert await page.get_attribute("#nav-coordinator", "class") == "active"


async def test_the_coordinator_records_an_activity_and_a_refused_one_writes_nothing(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    page = browser.page
    await sign_in(browser, seeded.token, f"{seeded.base}/activities", "coord-activities")
    await in_english(browser, "coord-activities")
    form = "#activity-form"

    async def activities() -> list[dict]:
        return (await api_get(seeded, gateway, f"{seeded.api}/activities"))["items"]

    async def submit_refused(field_name: str, says: str) -> None:
        await page.click("#activity-submit")
        error = f"{form} [data-field='{field_name}'] .field-error"
        await page.wait_for_selector(error, state="visible")
        assert says in await browser.text(error)
        assert await browser.count(f"{form} .field-error:not([hidden])") == 1
        refused_requests(browser, 422)
        assert await activities() == []  # nothing written

    await page.fill(f"{form} [data-field=title] input", "Dasturiy injiniring amaliyoti")
    await page.select_option(f"{form} [data-field='outcome.kind'] select", "internship")
    await page.check(f"{form} input[name=member_ids][value='{seeded.university['id']}']")
    await page.check(f"{form} input[name=member_ids][value='{seeded.employer['id']}']")
    await page.select_option(
        f"{form} [data-field='outcome.employer_id'] select", seeded.employer["id"]
    )
    await page.select_option(
        f"{form} [data-field='outcome.program_id'] select", seeded.program["id"]
    )
    year = f"{form} [data-field='outcome.years.0.year'] input"
    assert await page.input_value(year) == str(PERIOD)
    await page.fill(f"{form} [data-field='outcome.years.0.places_offered'] input", "5")
    await page.fill(f"{form} [data-field='outcome.years.0.places_filled'] input", "7")
    await page.fill(f"{form} [data-field=start_date] input", TODAY.isoformat())
    # More places filled than offered: said beside that field, and nothing written.
    await submit_refused("outcome.years.0.places_filled", "may not exceed places_offered")
    filled = f"{form} [data-field='outcome.years.0.places_filled'] input"
    assert await page.get_attribute(filled, "aria-invalid") == "true"
    # Dates outside the membership (the members joined today): beside the start date.
    await page.fill(filled, "4")
    await page.fill(
        f"{form} [data-field=start_date] input", (TODAY - timedelta(days=3)).isoformat()
    )
    await submit_refused("start_date", "joined")

    await page.fill(f"{form} [data-field=start_date] input", TODAY.isoformat())
    await page.click("#activity-submit")
    await changed(browser, "coord-activities", "Activity recorded")
    (recorded,) = await activities()
    assert recorded["kind"] == "internship" and recorded["status"] == "planned"
    assert sorted(recorded["member_ids"]) == sorted(
        [seeded.university["id"], seeded.employer["id"]]
    )
    assert recorded["outcome"]["years"] == [
        {"year": PERIOD, "places_offered": 5, "places_filled": 4, "graduate_ids": []}
    ]
    row = f"tr[data-activity='{recorded['id']}']"
    assert "5 places, 4 filled" in await browser.text(row)

    # Its status changes (planned → running), and its outcome with it.
    await page.click(f"{row} a")
    await browser.ready("coord-activities", route=f"{seeded.base}/activities?edit={recorded['id']}")
    change = "#activity-change-form"
    assert (
        await page.input_value(f"{change} [data-field='outcome.years.0.places_filled'] input")
        == "4"
    )
    await page.select_option(f"{change} [data-field=status] select", "running")
    await page.fill(f"{change} [data-field='outcome.years.0.places_filled'] input", "5")
    await page.click("#activity-change-submit")
    await changed(browser, "coord-activities", "Activity changed")
    (stored,) = await activities()
    assert stored["status"] == "running"
    assert stored["outcome"]["years"][0]["places_filled"] == 5
    assert await page.get_attribute(row, "data-status") == "running"


async def test_the_coordinator_sets_a_goal_and_revises_it_as_a_new_version(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    page = browser.page
    await sign_in(browser, seeded.token, f"{seeded.base}/goals", "coord-goals")
    await in_english(browser, "coord-goals")
    form = "#goal-form"
    await page.select_option(f"{form} [data-field=code] select", "indicator:employer_satisfaction")
    await page.fill(f"{form} [data-field=target] input", "1.5")  # a share is 0..1
    await page.fill(f"{form} [data-field=by_year] input", str(PERIOD + 2))
    await page.click("#goal-submit")
    await page.wait_for_selector(f"{form} [data-field=target] .field-error", state="visible")
    refused_requests(browser, 422)
    assert (await api_get(seeded, gateway, f"{seeded.api}/goals"))["items"] == []

    await page.fill(f"{form} [data-field=target] input", "0.8")
    await page.click("#goal-submit")
    await changed(browser, "coord-goals", "Goal saved (version 1)")
    (goal,) = (await api_get(seeded, gateway, f"{seeded.api}/goals"))["items"]
    assert (goal["code"], goal["target"], goal["version"]) == ("employer_satisfaction", "0.8", 1)
    row = f"tr[data-goal='{goal['id']}']"
    assert "80%" in await browser.text(f"{row} td.target")

    await page.click(f"{row} a[href*=edit]")
    await browser.ready("coord-goals", route=f"{seeded.base}/goals?edit={goal['id']}")
    assert await page.input_value(f"{form} [data-field=target] input") == "0.8"
    await page.fill(f"{form} [data-field=target] input", "0.85")
    await page.click("#goal-submit")
    await changed(browser, "coord-goals", "Goal saved (version 2)")
    versions = await api_get(seeded, gateway, f"{seeded.api}/goals/{goal['id']}/versions")
    assert [(v["version"], v["target"]) for v in versions["items"]] == [(1, "0.8"), (2, "0.85")]
    assert await page.get_attribute(row, "data-version") == "2"
    assert await browser.count(f"{row} .goal-versions li") == 2

    # Its progress, as the quality service computes it for version 2 (no figure published yet).
    progress = f"/api/v1/quality/clusters/{seeded.cluster['id']}/goals/progress"
    await eventually(
        lambda: api_get(seeded, gateway, progress),
        until=lambda p: [g["version"] for g in p["goals"]] == [2],
        interval_s=0.2,
        what="the revised goal's progress",
    )
    await page.reload()
    await browser.ready("coord-goals")
    cell = f"{row} td.goal-status"
    assert await page.get_attribute(cell, "data-version") == "2"
    assert await page.get_attribute(cell, "data-status") == "undetermined"


async def test_a_member_that_does_not_coordinate_gets_no_coordinator_workspace(platform, browser):
    seeded = platform[1]
    page = browser.page
    await sign_in(browser, seeded.member_token, "#/", "overview")
    assert await page.is_hidden("#nav-coordinator")
    await browser.open("#/workspace/cluster", view="coord-clusters")
    assert "klaster koordinatori" in await browser.text(".coord-refused")
    assert await browser.count("#view .workspace-tabs, #view form") == 0
    # Its cluster's page directly: the same clear message, nothing to change.
    await browser.open(f"{seeded.base}/activities", view="coord-activities")
    assert await browser.count(".coord-refused") == 1
    assert await browser.count("#activity-form") == 0
    assert await page.is_hidden("#nav-coordinator")


async def test_the_workspace_fits_a_phone_and_is_operable_from_the_keyboard(platform, browser):
    seeded = platform[1]
    page = browser.page
    await page.set_viewport_size({"width": 375, "height": 800})
    await sign_in(browser, seeded.token, seeded.base, "coord-members")
    for route, view in (
        (seeded.base, "coord-members"),
        (f"{seeded.base}/activities", "coord-activities"),
        (f"{seeded.base}/goals", "coord-goals"),
    ):
        await browser.open(route, view=view)
        await fits_a_phone(page, route)
    # From the keyboard: another kind rebuilds the outcome's fields; a year is added by Enter
    # and takes the focus; each control shows where the focus is.
    await browser.open(f"{seeded.base}/activities", view="coord-activities")
    kind = "#activity-form [data-field='outcome.kind'] select"
    await page.focus(kind)
    await page.select_option(kind, "guest_teaching")
    assert await browser.count("#activity-form [data-field='outcome.years.0.hours']") == 1
    await page.focus("#activity-form button.coord-add")
    await page.keyboard.press("Enter")
    focused = await page.evaluate("document.activeElement.closest('[data-field]').dataset.field")
    assert focused == "outcome.years.1.year"
    for _ in range(3):
        await page.keyboard.press("Tab")
        await focus_ring(page)


def test_every_label_of_the_coordinator_workspace_is_in_each_language():
    keys = translated_keys(re.compile(r".*coord_ws\."))
    used = used_keys(
        r'"(coord_ws\.[\w.]+)"',
        "coord_workspace.js",
        "coord_activities.js",
        "coord_goals.js",
        "index.html",
    )
    # Keys built from a value: every value the API can give.
    used |= {f"coord_ws.status.{s}" for s in ("active", "suspended", "closed")}
    used |= {f"coord_ws.form.{f}" for f in ("funding", "equipment", "facilities")}
    assert len(used) > 100
    assert used - keys == set()
