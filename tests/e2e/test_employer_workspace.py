"""The employer's workspace of the dashboard (#/employer…) in real headless Chromium, on the
four real services and a real broker.

The platform starts as in test_dashboard.py (whose browser fixture and helpers are reused);
its own small seed, through the gateway's API: one university with eight graduates, and an
employer with four confirmed employments, one claimed, one disputed; another employer employs
one more. The employer signs in with its own token and works in the page; what the page says
is checked against what the API then holds.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy.engine import make_url

from educluster.up import Launcher
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import (  # the platform as test_dashboard starts it
    COHORT,
    MINISTRY,
    PERIOD,
    Browsed,
    _post,
    _post_once_known,
    bearer,
)
from tests.e2e.workspace_checks import (
    fits_a_phone,
    focus_ring,
    translated_keys,
    used_keys,
)
from tests.support import eventually

NAMES = (
    "Aziza Karimova",
    "Bobur Toshev",
    "Dilnoza Rahimova",
    "Jasur Aliyev",
    "Malika Yusupova",
    "Otabek Qodirov",
    "Sardor Ergashev",
    "Zarina Nazarova",
)
# Graduate index → the state of its employment by the employer (6: not employed; 7: employed
# by the other employer).
STATES = {
    0: "confirmed",
    1: "confirmed",
    2: "confirmed",
    3: "confirmed",
    4: "claimed",
    5: "disputed",
}
# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser


@dataclass
class Seeded:
    employer: dict = field(default_factory=dict)
    graduates: list[dict] = field(default_factory=list)
    employments: dict[int, dict] = field(default_factory=dict)  # graduate index → employment
    framework: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return bearer("employer", org=self.employer["id"])

    @property
    def token(self) -> str:
        return self.headers["Authorization"].removeprefix("Bearer ")

    def gid(self, index: int) -> str:
        return self.graduates[index]["id"]


async def _employ(api: httpx.AsyncClient, employer: dict, graduate: dict) -> dict:
    return await _post(
        api,
        "/api/v1/employments",
        {
            "graduate_id": graduate["id"],
            "employer_id": employer["id"],
            "start_date": f"{COHORT}-09-01",
            "position": "Dasturchi",
            "isco_code": "2512",
            "in_field": True,
        },
    )


def _assessment(seeded: Seeded, index: int, period: int) -> dict:
    return {
        "employer_id": seeded.employer["id"],
        "graduate_id": seeded.gid(index),
        "period": period,
        "framework_id": seeded.framework["id"],
        "ratings": {"foundation.oral_communication": 4},
        "overall_satisfaction": 4,
        "preparedness": 4,
        "would_hire_again": True,
    }


async def _known_to_the_assessment_service(api: httpx.AsyncClient, seeded: Seeded) -> None:
    """Until the assessment service has the confirmed employments: a bulk submission naming
    each confirmed employee, and one twice, is refused (all or none: nothing is saved) and
    says which items it refused; only the twin is refused once they are all known."""
    items = [_assessment(seeded, i, PERIOD) for i in (0, 1, 2, 3)]
    body = {"items": [*items, items[0]]}

    async def refusals() -> list[list]:
        answer = await api.post("/api/v1/assessments/bulk", json=body, headers=seeded.headers)
        assert answer.status_code in (409, 422), answer.text
        return [error["loc"] for error in answer.json()["errors"]]

    await eventually(
        refusals,
        until=lambda locs: locs == [["body", "items", 4, "graduate_id"]],
        interval_s=0.2,
        what="the confirmed employments known to the assessment service",
    )


async def seed(gateway: str) -> Seeded:
    seeded = Seeded()
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        university = await _post(
            api,
            "/api/v1/organizations",
            {
                "kind": "education",
                "subtype": "university",
                "name": "Samarqand davlat universiteti",
                "region_code": "UZ-SA",
                "tax_id": "201000001",
            },
        )
        program = await _post(
            api,
            "/api/v1/programs",
            {
                "institution_id": university["id"],
                "code": "60610100",
                "name": "Dasturiy injiniring",
                "level": "6",
                "field_code": "0613",
            },
        )
        employers = [
            await _post(
                api,
                "/api/v1/organizations",
                {
                    "kind": "employer",
                    "subtype": "J",
                    "name": name,
                    "region_code": "UZ-SA",
                    "tax_id": tax_id,
                },
            )
            for name, tax_id in (("IT Park rezidenti", "301000001"), ("Boshqa firma", "301000002"))
        ]
        seeded.employer = employers[0]
        for index, name in enumerate(NAMES):
            seeded.graduates.append(
                await _post(
                    api,
                    "/api/v1/graduates",
                    {
                        "program_id": program["id"],
                        "graduation_year": COHORT,
                        "student_ref": f"ws-{index:03d}",
                        "full_name": name,
                    },
                )
            )
        for index, state in STATES.items():
            employment = await _employ(api, seeded.employer, seeded.graduates[index])
            if state != "claimed":  # the ministry confirms or disputes, as an institution would
                move = "confirm" if state == "confirmed" else "dispute"
                reason = {"reason": "the graduate says they never worked there"}
                moved = await api.post(
                    f"/api/v1/employments/{employment['id']}/{move}",
                    json=reason if move == "dispute" else None,
                    headers=MINISTRY,
                )
                assert moved.status_code == 200, moved.text
                employment = moved.json()
            seeded.employments[index] = employment
        other = await _employ(api, employers[1], seeded.graduates[7])
        confirmed = await api.post(f"/api/v1/employments/{other['id']}/confirm", headers=MINISTRY)
        assert confirmed.status_code == 200, confirmed.text
        listed = await eventually(
            lambda: api.get("/api/v1/frameworks", headers=MINISTRY),
            until=lambda r: r.status_code == 200 and bool(r.json()["items"]),
            what="the default framework published",
        )
        seeded.framework = listed.json()["items"][0]
        # Assessed last year: the employees page shows it as the latest assessment.
        await _post_once_known(
            api, "/api/v1/assessments", _assessment(seeded, 3, COHORT), headers=seeded.headers
        )
        await _known_to_the_assessment_service(api, seeded)
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name)."""
    with dashboard.seeded_platform(tmp_path_factory.mktemp("workspace"), seed) as found:
        yield found


# --- helpers --------------------------------------------------------------------------------


async def sign_in(browsed: Browsed, token: str, route: str, view: str) -> None:
    """Open ``route``, which asks for a token first, and paste ``token``."""
    await browsed.open(route)
    await browsed.page.wait_for_selector("#token-input", state="visible")
    await browsed.page.fill("#token-input", token)
    await browsed.page.click("#token-submit")
    await browsed.ready(view)


async def changed(browsed: Browsed, view: str, says: str) -> None:
    """After a change the page renders again, led by a message saying what happened."""
    await browsed.page.locator("p.flash", has_text=says).wait_for()
    await browsed.ready(view)


def refused_requests(browsed: Browsed, status: int) -> None:
    """The browser logs each refused request as a console error: those expected are removed
    (any other error still fails the test)."""
    expected = [e for e in browsed.errors if f"status of {status}" in e]
    assert expected, browsed.errors
    browsed.errors[:] = [e for e in browsed.errors if e not in expected]


async def api_get(seeded: Seeded, gateway: str, path: str):
    async with httpx.AsyncClient(base_url=gateway, headers=seeded.headers) as api:
        answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def assessments_of(seeded: Seeded, gateway: str, index: int) -> list[dict]:
    path = f"/api/v1/assessments?graduate_id={seeded.gid(index)}&period={PERIOD}"
    return (await api_get(seeded, gateway, path))["items"]


def radio(name: str, value: str) -> str:
    return f'#assessment-form input[name="{name}"][value="{value}"]'


# --- the tests ------------------------------------------------------------------------------


async def test_an_employer_sees_its_employees_by_employment_state_with_their_latest_assessment(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await sign_in(browser, seeded.token, "#/employer", "employer")
    assert await browser.page.is_visible("#nav-employer")
    employments = (
        await api_get(seeded, gateway, f"/api/v1/employments?employer_id={seeded.employer['id']}")
    )["items"]
    by_state: dict[str, set[str]] = {}
    for employment in employments:
        by_state.setdefault(employment["state"], set()).add(employment["graduate_id"])
    shown = await browser.page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('section.state-group')].map(
            (s) => [s.dataset.state, [...s.querySelectorAll('tbody tr')].map((r) => r.dataset.graduate)]))"""
    )
    assert {state: set(ids) for state, ids in shown.items()} == by_state
    assert {"confirmed", "claimed", "disputed"} <= set(shown)
    assert seeded.gid(7) not in str(shown)  # the other employer's employee
    # Names of employees it may read (confirmed); a claimed one is shown by a reference.
    assert await browser.text(f"tr[data-graduate='{seeded.gid(3)}'] th") == NAMES[3]
    assert NAMES[4] not in await browser.text(".employees-panel")
    # The latest assessment: last year's, submitted.
    status = browser.page.locator(f"tr[data-graduate='{seeded.gid(3)}'] td.assessment-status")
    assert await status.get_attribute("data-status") == "active"
    assert str(COHORT) in await status.inner_text()
    # The reminder: confirmed employees with no assessment this year; never the others.
    pending = await browser.page.evaluate(
        "[...document.querySelectorAll('.reminders-panel li[data-graduate]')]"
        ".map((li) => li.dataset.graduate)"
    )
    assert seeded.gid(3) in pending
    assert not {seeded.gid(4), seeded.gid(5), seeded.gid(7)} & set(pending)
    assert str(PERIOD) in await browser.text(".reminders-panel h2")
    disputed = f"section[data-state=disputed] tr[data-graduate='{seeded.gid(5)}']"
    assert "eʼtiroz" in await browser.text(disputed)  # why it cannot be assessed, in Uzbek


async def test_a_draft_survives_a_reload_then_is_submitted_revised_withdrawn_and_in_the_history(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    route = f"#/employer/assess/{seeded.gid(0)}?period={PERIOD}"
    await sign_in(browser, seeded.token, route, "employer-assess")
    page = browser.page
    # Every competency of the framework, with its description in the page's language (Uzbek),
    # rated 1–5, not observed or not required.
    competencies = [c for d in seeded.framework["domains"] for c in d["competencies"]]
    assert await browser.count("fieldset.competency") == len(competencies) == 24
    first = page.locator("fieldset.competency").first
    assert competencies[0]["description"]["uz"] in await first.inner_text()
    assert "Kuzatilmagan" in await first.inner_text()
    assert "Ushbu ishda talab qilinmaydi" in await first.inner_text()
    assert "qurilmada" in await browser.text(".device-note")  # drafts stay on this device

    await page.check(radio("rating:foundation.oral_communication", "4"))
    await page.check(radio("rating:foundation.numeracy", "not_required"))
    await page.check(radio("overall_satisfaction", "4"))
    await page.focus(radio("preparedness", "3"))  # from the keyboard
    await page.keyboard.press("Space")
    key = f"educluster.draft.{seeded.employer['id']}.{seeded.gid(0)}.{PERIOD}"
    assert await page.evaluate(f"localStorage.getItem('{key}')")
    await page.reload()
    await browser.ready("employer-assess")
    for name, value in (
        ("rating:foundation.oral_communication", "4"),
        ("rating:foundation.numeracy", "not_required"),
        ("overall_satisfaction", "4"),
        ("preparedness", "3"),
    ):
        assert await page.is_checked(radio(name, value)), name
    assert await assessments_of(seeded, gateway, 0) == []  # a draft is never sent

    # "Would hire again" left out: the API names it, the page shows it beside that question.
    await page.click("#assessment-submit")
    error = "fieldset[data-field=would_hire_again] .field-error"
    await page.wait_for_selector(error, state="visible")
    assert await browser.text(error) == "Toʻldirilishi shart."
    assert await page.get_attribute(radio("would_hire_again", "yes"), "aria-invalid") == "true"
    refused_requests(browser, 422)
    assert await assessments_of(seeded, gateway, 0) == []

    await page.check(radio("would_hire_again", "yes"))
    await page.dblclick("#assessment-submit")  # a double click submits once
    await changed(browser, "employer-assess", "Baholash yuborildi (tahrir 1)")
    (stored,) = await assessments_of(seeded, gateway, 0)
    assert stored["status"] == "active" and stored["revision"] == 1
    assert stored["ratings"] == {"foundation.oral_communication": 4, "foundation.numeracy": None}
    assert stored["not_required"] == ["foundation.numeracy"]  # apart from "not observed"
    assert (stored["overall_satisfaction"], stored["preparedness"]) == (4, 3)
    assert stored["would_hire_again"] is True
    assert await page.get_attribute(".assessment-state", "data-status") == "active"
    assert await page.get_attribute(".assessment-state", "data-assessment") == stored["id"]
    assert await page.evaluate(f"localStorage.getItem('{key}')") is None
    assert await browser.count(".history-panel li[data-action=submitted]") == 1

    await page.check(radio("overall_satisfaction", "5"))
    await page.click("#assessment-submit")  # now: save the revision (PUT)
    await changed(browser, "employer-assess", "Baholash tahrirlandi (tahrir 2)")
    (stored,) = await assessments_of(seeded, gateway, 0)
    assert (stored["revision"], stored["overall_satisfaction"]) == (2, 5)
    assert stored["not_required"] == ["foundation.numeracy"]
    assert "tahrir 2" in await browser.text(".assessment-state")
    # The revised assessment, read back from the API (no draft left): "not required" as chosen.
    assert await page.evaluate(f"localStorage.getItem('{key}')") is None
    assert await page.is_checked(radio("rating:foundation.numeracy", "not_required"))

    await page.click("#withdraw")
    await page.click("#withdraw-confirm")
    await changed(browser, "employer-assess", "Baholash qaytarib olindi")
    (stored,) = await assessments_of(seeded, gateway, 0)
    assert stored["status"] == "withdrawn"
    assert await page.get_attribute(".assessment-state", "data-status") == "withdrawn"
    history = await api_get(seeded, gateway, f"/api/v1/assessments/{stored['id']}/history")
    assert [r["action"] for r in history] == ["submitted", "revised", "withdrawn"]
    shown = await page.evaluate(
        f"[...document.querySelectorAll(\".history[data-assessment='{stored['id']}'] li\")]"
        ".map((li) => li.dataset.action)"
    )
    assert shown == ["submitted", "revised", "withdrawn"]


async def test_the_table_view_submits_two_employees_at_once_and_shows_each_rows_outcome(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await sign_in(browser, seeded.token, f"#/employer/table?period={PERIOD}", "employer-table")
    page = browser.page
    await page.click("button.language[data-language=en]")
    await browser.ready("employer-table")
    one, two, three = (f"tr[data-graduate='{seeded.gid(i)}']" for i in (1, 2, 3))
    assert await browser.count(three) == 1  # pending too, left empty: not sent

    def cell(row: str, name: str) -> str:
        return f'{row} select[name="{name}"]'

    # Keyboard: a cell takes a value by typing it.
    await page.focus(cell(one, "rating:foundation.oral_communication"))
    await page.keyboard.press("5")
    assert await page.input_value(cell(one, "rating:foundation.oral_communication")) == "5"
    await page.select_option(cell(one, "rating:digital.safety"), "not_observed")
    for name, value in (("overall_satisfaction", "4"), ("preparedness", "4")):
        await page.select_option(cell(one, name), value)
    await page.select_option(cell(one, "would_hire_again"), "yes")
    await page.select_option(cell(two, "rating:foundation.numeracy"), "2")
    await page.select_option(cell(two, "rating:digital.safety"), "not_required")
    await page.select_option(cell(two, "preparedness"), "3")
    await page.select_option(cell(two, "would_hire_again"), "no")

    await page.click("#table-submit")  # the second row has no overall satisfaction
    await page.wait_for_selector(f"{two}[data-status=refused]")
    assert "Overall satisfaction: Required." in await browser.text(f"{two} td.row-status")
    assert await page.get_attribute(cell(two, "overall_satisfaction"), "aria-invalid") == "true"
    assert await page.get_attribute(one, "data-status") == "not_saved"
    refused_requests(browser, 422)
    assert await assessments_of(seeded, gateway, 1) == []  # all or none

    await page.select_option(cell(two, "overall_satisfaction"), "3")
    await page.click("#table-submit")
    await page.wait_for_selector(f"{two}[data-status=submitted]")
    assert await page.get_attribute(one, "data-status") == "submitted"
    assert await browser.text(f"{one} td.row-status") == "Submitted"
    assert await page.get_attribute(three, "data-status") == ""
    assert "2" in await browser.text(".table-summary")
    (first,) = await assessments_of(seeded, gateway, 1)
    (second,) = await assessments_of(seeded, gateway, 2)
    assert await page.get_attribute(one, "data-assessment") == first["id"]
    assert first["ratings"] == {"foundation.oral_communication": 5, "digital.safety": None}
    assert first["not_required"] == []  # not observed
    assert (first["overall_satisfaction"], first["would_hire_again"]) == (4, True)
    assert second["ratings"] == {"foundation.numeracy": 2, "digital.safety": None}
    assert second["not_required"] == ["digital.safety"]
    assert (second["overall_satisfaction"], second["preparedness"]) == (3, 3)
    assert await assessments_of(seeded, gateway, 3) == []


async def test_a_refused_claim_shows_the_problem_next_to_the_field_it_names(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await sign_in(browser, seeded.token, "#/employer", "employer")
    page = browser.page
    await page.click("button.language[data-language=en]")
    await browser.ready("employer")
    form = "#claim-form"
    await page.fill(f"{form} [data-field=graduate_id] input", seeded.gid(6))
    await page.fill(f"{form} [data-field=start_date] input", f"{COHORT - 2}-09-01")
    await page.fill(f"{form} [data-field=position] input", "Tahlilchi")
    await page.fill(f"{form} [data-field=isco_code] input", "2511")
    await page.click(f"{form} button[type=submit]")
    error = f"{form} [data-field=start_date] .field-error"
    await page.wait_for_selector(error, state="visible")
    assert "graduation year" in await browser.text(error)  # the API's reason, by its field
    assert await page.get_attribute(f"{form} [data-field=start_date] input", "aria-invalid")
    assert await browser.count(f"{form} .field-error:not([hidden])") == 1
    refused_requests(browser, 422)

    await page.fill(f"{form} [data-field=start_date] input", f"{COHORT}-10-01")
    await page.click(f"{form} button[type=submit]")
    await changed(browser, "employer", "Employment recorded")
    claimed = f"section[data-state=claimed] tr[data-graduate='{seeded.gid(6)}']"
    assert await browser.count(claimed) == 1
    listed = await api_get(seeded, gateway, f"/api/v1/employments?graduate_id={seeded.gid(6)}")
    (employment,) = listed["items"]
    assert (employment["state"], employment["start_date"]) == ("claimed", f"{COHORT}-10-01")

    # The graduate confirms it here with the code the institution gave them.
    await page.fill("#code-form input", "NOT-A-CODE")
    await page.click("#code-form button[type=submit]")
    await page.wait_for_selector("#code-form [data-field=code] .field-error", state="visible")
    refused_requests(browser, 422)
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        issued = await api.post(f"/api/v1/employments/{employment['id']}/confirmation-code")
    assert issued.status_code == 201, issued.text
    await page.fill("#code-form input", issued.json()["code"])
    await page.click("#code-form button[type=submit]")
    await changed(browser, "employer", "Employment confirmed")
    assert (
        await browser.count(f"section[data-state=confirmed] tr[data-graduate='{seeded.gid(6)}']")
        == 1
    )
    confirmed = await api_get(seeded, gateway, f"/api/v1/employments/{employment['id']}")
    assert confirmed["state"] == "confirmed"


def unsubscribe_token(launcher: Launcher, employer_id: str) -> str:
    """The token a reminder's link carries (read where the assessment service keeps it)."""
    path = make_url(launcher.env["EDUCLUSTER_ASSESSMENT_DATABASE_URL"]).database
    with closing(sqlite3.connect(path)) as db:
        (token,) = db.execute(
            "SELECT unsubscribe_token FROM reminder_subscriptions WHERE organization_id = ?",
            (employer_id,),
        ).fetchone()
    return str(token)


async def test_an_employer_asks_for_e_mail_reminders_and_a_reminders_link_stops_them(
    platform, browser
):
    launcher, seeded = platform
    gateway, page = launcher.gateway_url, browser.page
    await sign_in(browser, seeded.token, "#/employer", "employer")
    await page.click("button.language[data-language=en]")
    await browser.ready("employer")
    form = "#mail-form"
    await page.fill(f"{form} [data-field=email] input", "not-an-address")
    await page.click(f"{form} button[type=submit]")
    await page.wait_for_selector(f"{form} [data-field=email] .field-error", state="visible")
    refused_requests(browser, 422)
    await page.fill(f"{form} [data-field=email] input", "hr@employer.example")
    await page.select_option(f"{form} [data-field=language] select", "ru")
    await page.click(f"{form} button[type=submit]")
    await changed(browser, "employer", "Reminders set")
    saved = await api_get(seeded, gateway, "/api/v1/reminders/subscription")
    assert (saved["email"], saved["language"], saved["enabled"]) == (
        "hr@employer.example",
        "ru",
        True,
    )

    # The page a reminder links to stops them with one press (a POST, never the link itself).
    token = unsubscribe_token(launcher, seeded.employer["id"])
    await browser.open(f"#/unsubscribe?token={token}", view="unsubscribe")
    await page.click("#unsubscribe")
    await page.wait_for_selector("#unsubscribe-outcome[data-outcome=done]")
    assert "Reminders stopped" in await browser.text("#unsubscribe-outcome")
    assert (await api_get(seeded, gateway, "/api/v1/reminders/subscription"))["enabled"] is False


async def test_an_employer_states_its_requirement_and_changes_it_as_a_new_version(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    route = f"#/employer/requirements?period={PERIOD}"
    await sign_in(browser, seeded.token, route, "employer-requirements")
    page = browser.page
    form = "#requirement-form"
    await page.fill(f"{form} [data-field=field_code] input", "06")
    await page.select_option(f'{form} select[name="importance:foundation.numeracy"]', "5")
    await page.click("#requirement-submit")
    await page.wait_for_selector(f"{form} [data-field=field_code] .field-error", state="visible")
    refused_requests(browser, 422)

    await page.fill(f"{form} [data-field=field_code] input", "0613")
    await page.select_option(f'{form} select[name="importance:digital.safety"]', "3")
    await page.click("#requirement-submit")
    await changed(browser, "employer-requirements", "versiya 1")
    path = f"/api/v1/requirements?employer_id={seeded.employer['id']}"
    (stated,) = (await api_get(seeded, gateway, path))["items"]
    assert (stated["field_code"], stated["version"]) == ("0613", 1)
    assert stated["importance"] == {"foundation.numeracy": 5, "digital.safety": 3}
    row = f"tr[data-requirement='{stated['id']}']"
    assert await browser.text(f"{row} td.num") == "1"

    await page.click(f"{row} a")
    await browser.ready("employer-requirements", route=f"{route}&edit={stated['id']}")
    assert await page.input_value(f"{form} [data-field=field_code] input") == "0613"
    await page.select_option(f'{form} select[name="importance:digital.safety"]', "4")
    await page.click("#requirement-submit")
    await changed(browser, "employer-requirements", "versiya 2")
    (current,) = (await api_get(seeded, gateway, path))["items"]
    assert (current["version"], current["importance"]["digital.safety"]) == (2, 4)


async def test_the_workspace_fits_a_phone_and_is_operable_from_the_keyboard(platform, browser):
    seeded = platform[1]
    page = browser.page
    await page.set_viewport_size({"width": 375, "height": 800})
    await sign_in(browser, seeded.token, "#/employer", "employer")
    for route, view in (
        (f"#/employer?period={PERIOD}", "employer"),
        (f"#/employer/assess/{seeded.gid(3)}?period={PERIOD}", "employer-assess"),
        (f"#/employer/table?period={PERIOD}", "employer-table"),
        (f"#/employer/requirements?period={PERIOD}", "employer-requirements"),
    ):
        await browser.open(route, view=view)
        await fits_a_phone(page, route)
    # The rating sheet scrolls inside its own box.
    await browser.open(f"#/employer/table?period={PERIOD}", view="employer-table")
    sheet = await page.evaluate(
        "(() => { const s = document.querySelector('.table-wrap.sheet');"
        " return [s.scrollWidth, s.clientWidth]; })()"
    )
    assert sheet[0] > sheet[1]
    # Tab reaches the workspace's controls, each with a visible focus ring.
    await page.focus("#employer-period")
    for _ in range(4):
        await page.keyboard.press("Tab")
        await focus_ring(page)


async def test_a_ministry_user_does_not_see_the_employer_workspace(platform, browser):
    ministry = MINISTRY["Authorization"].removeprefix("Bearer ")
    await sign_in(browser, ministry, "#/employer", "employer")
    assert await browser.page.is_hidden("#nav-employer")
    assert await browser.page.is_visible("#nav-alerts")  # its own navigation is there
    assert await browser.count(".employer-workspace") == 0
    assert await browser.count("#claim-form") == 0
    assert "faqat ish beruvchi" in await browser.text("#view")


def test_every_label_of_the_workspace_is_in_each_language():
    keys = translated_keys()
    used = {"nav.employer"} | used_keys(
        r'"((?:employer|form|importance|employment_state)\.[\w.]+)"',
        "employer.js",
        "employer_assess.js",
        "employer_lookup.js",
        "employer_table.js",
        "employer_requirements.js",
        "forms.js",
        "drafts.js",
    )
    # Keys built from a value: every value the API can give.
    used |= {
        f"employment_state.{s}"
        for s in ("confirmed", "verified", "claimed", "disputed", "rejected")
    }
    used |= {f"employer.why.{s}" for s in ("claimed", "disputed", "rejected")}
    used |= {f"employer.action.{a}" for a in ("submitted", "revised", "withdrawn")}
    used |= {f"employer.status_{s}" for s in ("withdrawn", "none")}
    used |= {f"importance.{level}" for level in range(1, 6)}
    assert len(used) > 100
    assert used - keys == set()


async def test_an_employer_finds_its_hire_by_national_id_picks_the_degree_and_claims_it(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    pinfl = "52305001230045"
    university, bachelor = seeded.graduates[0]["institution_id"], seeded.graduates[0]["program_id"]
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        master = await _post(
            api,
            "/api/v1/programs",
            {
                "institution_id": university,
                "code": "70610100",
                "name": "Axborot tizimlari magistraturasi",
                "level": "7",
                "field_code": "0613",
            },
        )
        degrees = [
            await _post(
                api,
                "/api/v1/graduates",
                {
                    "program_id": program,
                    "graduation_year": year,
                    "student_ref": f"pinfl-{year}",
                    "full_name": "Kamola Saidova",
                    "national_id": pinfl,
                },
            )
            for program, year in ((bachelor, COHORT - 2), (master["id"], COHORT))
        ]
    await sign_in(browser, seeded.token, "#/employer", "employer")
    page = browser.page
    await page.click("button.language[data-language=en]")
    await browser.ready("employer")
    lookup, claim = "#lookup-form", "#claim-form"

    # A prefix is no identifier: refused beside the field, nothing listed.
    await page.fill(f"{lookup} [data-field=national_id] input", pinfl[:10])
    await page.click(f"{lookup} button[type=submit]")
    await page.wait_for_selector(f"{lookup} [data-field=national_id] .field-error", state="visible")
    assert await browser.count("#lookup-matches input") == 0
    refused_requests(browser, 422)
    # Nobody with this identifier: said so, and nothing to pick.
    await page.fill(f"{lookup} [data-field=national_id] input", "62305001230045")
    await page.click(f"{lookup} button[type=submit]")
    await page.locator("#lookup-matches .message", has_text="No graduate").wait_for()

    # Typed as printed (spaced): both degrees, named, the latest first.
    await page.fill(f"{lookup} [data-field=national_id] input", "5230 5001 2300 45")
    await page.click(f"{lookup} button[type=submit]")
    await page.locator("#lookup-matches input[type=radio]").nth(1).wait_for()
    shown = await page.evaluate(
        "[...document.querySelectorAll('#lookup-matches .option')]"
        ".map((o) => [o.dataset.graduate, o.innerText.trim()])"
    )
    assert [graduate for graduate, _ in shown] == [degrees[1]["id"], degrees[0]["id"]]
    named = f"Samarqand davlat universiteti — 60610100 Dasturiy injiniring, {COHORT - 2}"
    assert shown[1][1] == named
    assert "Axborot tizimlari magistraturasi" in shown[0][1]
    assert await page.input_value(f"{claim} [data-field=graduate_id] input") == ""

    await page.check(f"#lookup-matches input[value='{degrees[0]['id']}']")
    graduate_id = await page.input_value(f"{claim} [data-field=graduate_id] input")
    assert graduate_id == degrees[0]["id"]
    await page.fill(f"{claim} [data-field=start_date] input", f"{COHORT}-11-01")
    await page.fill(f"{claim} [data-field=position] input", "Tizim tahlilchisi")
    await page.fill(f"{claim} [data-field=isco_code] input", "2511")
    await page.click(f"{claim} button[type=submit]")
    await changed(browser, "employer", "Employment recorded")
    listed = await api_get(seeded, gateway, f"/api/v1/employments?graduate_id={graduate_id}")
    (employment,) = listed["items"]
    assert (employment["employer_id"], employment["state"]) == (seeded.employer["id"], "claimed")
    assert (employment["start_date"], employment["position"]) == (
        f"{COHORT}-11-01",
        "Tizim tahlilchisi",
    )
    # The identifier never reached a URL the page asked for.
    assert pinfl not in await page.evaluate(
        "performance.getEntriesByType('resource').map((r) => r.name).join(' ')"
    )
