"""The institution's workspace of the dashboard (#/workspace/institution…) in real headless
Chromium, on the four real services and a real broker.

The platform starts as in test_dashboard.py (whose browser fixture and helpers are reused);
its own small seed, through the gateway's API: one university with a program and four
graduates, an employer claiming two of their employments and employing a third (confirmed),
and, once the quality service has scored the university, the ministry opening an official
release of this year for review.
The institution signs in with its own token and works in the page; what the page says is
checked against what the API then holds.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from educluster.up import Launcher
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import (  # the platform as test_dashboard starts it
    COHORT,
    MINISTRY,
    PERIOD,
    _post,
    bearer,
)
from tests.e2e.test_employer_workspace import _employ, changed, refused_requests, sign_in
from tests.e2e.workspace_checks import (
    DASHBOARD,
    fits_a_phone,
    focus_ring,
    translated_keys,
    used_keys,
)
from tests.support import eventually

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser
HOME = "#/workspace/institution"
NAMES = ("Aziza Karimova", "Bobur Toshev", "Dilnoza Rahimova", "Jasur Aliyev")
HEADER = "student_ref,full_name,program_id,graduation_year"


@dataclass
class Seeded:
    institution: dict = field(default_factory=dict)
    program: dict = field(default_factory=dict)
    employer: dict = field(default_factory=dict)
    graduates: list[dict] = field(default_factory=list)
    employments: dict[int, dict] = field(default_factory=dict)  # graduate index → employment
    publication: int = 0  # the official release under review

    @property
    def headers(self) -> dict[str, str]:
        return bearer("institution", org=self.institution["id"])

    @property
    def token(self) -> str:
        return self.headers["Authorization"].removeprefix("Bearer ")


async def _scored(api: httpx.AsyncClient, seeded: Seeded) -> None:
    """Until the quality service has the institution's scorecard of this year (from its
    graduates and employments): an official release then has its figures to review."""
    path = f"/api/v1/quality/organization/{seeded.institution['id']}?period={PERIOD}&view=live"
    await eventually(
        lambda: api.get(path, headers=MINISTRY),
        until=lambda r: r.status_code == 200,
        interval_s=0.2,
        what="the institution scored",
    )


async def seed(gateway: str) -> Seeded:
    seeded = Seeded()
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        seeded.institution = await _post(
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
        seeded.program = await _post(
            api,
            "/api/v1/programs",
            {
                "institution_id": seeded.institution["id"],
                "code": "60610100",
                "name": "Dasturiy injiniring",
                "level": "6",
                "field_code": "0613",
            },
        )
        seeded.employer = await _post(
            api,
            "/api/v1/organizations",
            {
                "kind": "employer",
                "subtype": "J",
                "name": "IT Park rezidenti",
                "region_code": "UZ-SA",
                "tax_id": "301000001",
            },
        )
        for index, name in enumerate(NAMES):
            seeded.graduates.append(
                await _post(
                    api,
                    "/api/v1/graduates",
                    {
                        "program_id": seeded.program["id"],
                        "graduation_year": COHORT,
                        "student_ref": f"iw-{index:03d}",
                        "full_name": name,
                    },
                )
            )
        for index in (0, 1, 2):  # 0 and 1 stay claimed; 2 is confirmed
            seeded.employments[index] = await _employ(api, seeded.employer, seeded.graduates[index])
        confirm = f"/api/v1/employments/{seeded.employments[2]['id']}/confirm"
        confirmed = await api.post(confirm, headers=MINISTRY)
        assert confirmed.status_code == 200, confirmed.text
        await _scored(api, seeded)
        opened = await api.post(
            "/api/v1/quality/publications",
            headers=MINISTRY,
            json={"period": PERIOD, "kind": "official"},
        )
        assert opened.status_code == 201, opened.text
        seeded.publication = opened.json()["number"]
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name)."""
    with dashboard.seeded_platform(tmp_path_factory.mktemp("institution"), seed) as found:
        yield found


# --- helpers --------------------------------------------------------------------------------


async def api_get(gateway: str, path: str, headers: dict[str, str]):
    async with httpx.AsyncClient(base_url=gateway, headers=headers) as api:
        answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def graduate_refs(seeded: Seeded, gateway: str) -> set[str]:
    path = f"/api/v1/graduates?institution_id={seeded.institution['id']}&limit=500"
    return {g["student_ref"] for g in (await api_get(gateway, path, MINISTRY))["items"]}


async def employment(seeded: Seeded, gateway: str, index: int) -> dict:
    path = f"/api/v1/employments/{seeded.employments[index]['id']}"
    return await api_get(gateway, path, seeded.headers)


def csv_file(seeded: Seeded, *rows: str) -> dict:
    lines = [HEADER, *(row.replace("{program}", seeded.program["id"]) for row in rows)]
    data = ("\n".join(lines) + "\n").encode()
    return {"name": "bitiruvchilar.csv", "mimeType": "text/csv", "buffer": data}


# --- the tests ------------------------------------------------------------------------------


async def test_an_institution_sees_its_own_workspace_and_programs_with_their_graduates(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await sign_in(browser, seeded.token, HOME, "inst-ws")
    page = browser.page
    assert await page.is_visible("#nav-institution")
    assert await page.is_hidden("#nav-employer")  # not the employer's workspace
    assert await page.is_hidden("#nav-ministry")
    assert await browser.text(".inst-workspace .page-title .subtitle") == seeded.institution["name"]
    row = f"tr[data-program='{seeded.program['id']}']"
    graduates = len(await graduate_refs(seeded, gateway))
    assert await browser.text(f"{row} td.graduates") == str(graduates)
    # Counted by the registry in one request, not read page by page.
    asked = await page.evaluate("performance.getEntriesByType('resource').map((r) => r.name)")
    assert any("/graduates/counts?institution_id=" in url for url in asked)
    assert not any("/graduates?program_id=" in url for url in asked)
    assert seeded.program["name"] in await browser.text(row)
    link = await page.get_attribute("#inst-published-link", "href")
    assert link == f"#/institution/{seeded.institution['id']}"
    await page.click("#inst-published-link")
    await browser.ready("institution")
    assert await browser.text("h1") == seeded.institution["name"]


async def test_a_preview_shows_the_refused_line_and_writes_nothing_then_the_good_file_imports(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await sign_in(browser, seeded.token, f"{HOME}/import", "inst-ws-import")
    page = browser.page
    before = await graduate_refs(seeded, gateway)

    await page.click("#import-preview")  # no file chosen: said beside the field
    assert await browser.text("[data-field=file] .field-error") == "Faylni tanlang."

    bad = csv_file(
        seeded,
        f"imp-001,Aziz Karimov,{{program}},{COHORT}",
        "imp-002,Bobur Aliyev,{program},1900",
        f"iw-000,{NAMES[0]},{{program}},{COHORT}",
    )
    await page.set_input_files("#import-file", files=[bad])
    await page.click("#import-preview")
    await page.wait_for_selector("#import-outcome [data-would-import=false]")
    refused = "#import-outcome table.refused-lines tbody tr"
    assert await browser.count(refused) == 1
    assert await page.get_attribute(refused, "data-line") == "3"
    assert await page.get_attribute(refused, "data-column") == "graduation_year"
    assert "1950" in await browser.text(f"{refused} td.reason")  # the API's reason
    counts = "#import-outcome dd[data-count={}]"
    assert await browser.text(counts.format("created")) == "1"
    assert await browser.text(counts.format("unchanged")) == "1"
    assert await browser.text(counts.format("error_count")) == "1"
    assert await browser.count("#import-run") == 0  # nothing to import from a refused file
    assert await graduate_refs(seeded, gateway) == before  # the preview wrote nothing

    good = csv_file(
        seeded,
        f"imp-001,Aziz Karimov,{{program}},{COHORT}",
        f"imp-002,Bobur Aliyev,{{program}},{COHORT}",
    )
    await page.set_input_files("#import-file", files=[good])
    assert await browser.count("#import-outcome *") == 0  # another file: a new preview
    await page.click("#import-preview")
    await page.wait_for_selector("#import-outcome [data-would-import=true]")
    assert await browser.text(counts.format("created")) == "2"
    assert await graduate_refs(seeded, gateway) == before
    await page.click("#import-run")
    await page.wait_for_selector("#import-outcome .import-result")
    assert await browser.text(counts.format("created")) == "2"
    assert await graduate_refs(seeded, gateway) == before | {"imp-001", "imp-002"}


async def test_claimed_employments_are_confirmed_or_disputed_with_a_reason(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    view = "inst-ws-confirmations"
    await sign_in(browser, seeded.token, f"{HOME}/confirmations", view)
    page = browser.page
    claims = await page.evaluate(
        "[...document.querySelectorAll('li.claim')].map((li) => li.dataset.employment)"
    )
    assert sorted(claims) == sorted(seeded.employments[i]["id"] for i in (0, 1))
    first, second = (f"li.claim[data-employment='{seeded.employments[i]['id']}']" for i in (0, 1))
    assert NAMES[1] in await browser.text(f"{second} h3")
    assert seeded.employer["name"] in await browser.text(second)

    await page.click(f"{second} button.dispute")  # no reason: the API's problem beside it
    error = f"{second} [data-field=reason] .field-error"
    await page.wait_for_selector(error, state="visible")
    assert await browser.text(error) == "Toʻldirilishi shart."
    assert await page.get_attribute(f"{second} textarea", "aria-invalid") == "true"
    refused_requests(browser, 422)
    assert (await employment(seeded, gateway, 1))["state"] == "claimed"

    # From the keyboard: the reason, then Tab past "confirm" to "dispute".
    reason = "Bitiruvchi u yerda hech qachon ishlamagan"
    await page.focus(f"{second} textarea")
    await page.keyboard.type(reason)
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await changed(browser, view, "eʼtiroz bildirildi")
    disputed = await employment(seeded, gateway, 1)
    assert (disputed["state"], disputed["state_reason"]) == ("disputed", reason)

    await page.click(f"{first} button.confirm")
    await changed(browser, view, "tasdiqlandi")
    assert (await employment(seeded, gateway, 0))["state"] == "confirmed"
    assert await browser.count("li.claim") == 0


async def test_the_draft_review_files_a_query_and_shows_the_ministrys_answer(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    view = "inst-ws-review"
    await sign_in(browser, seeded.token, f"{HOME}/review", view)
    page = browser.page
    number = seeded.publication
    assert await page.get_attribute(".review-window", "data-publication") == str(number)
    org = seeded.institution["id"]
    shown = await page.evaluate(
        "[...document.querySelectorAll('table.draft-figures')].map((t) => t.dataset.id)"
    )
    assert shown[0] == org and set(shown) <= {org, seeded.program["id"]}  # its own figures only
    figures = f"table.draft-figures[data-id='{org}']"
    assert await browser.count(f"{figures} tr[data-indicator=employer_satisfaction]") == 1

    form = "#query-form"
    await page.select_option(f"{form} select", f"organization|{org}|employer_satisfaction")
    await page.click("#query-submit")  # no reason: refused beside the field
    await page.wait_for_selector(f"{form} [data-field=reason] .field-error", state="visible")
    refused_requests(browser, 422)

    reason = "Ikki baholash hisobga olinmagan."
    await page.fill(f"{form} textarea", reason)
    await page.click("#query-submit")
    await changed(browser, view, "Soʻrov yuborildi")
    path = f"/api/v1/quality/publications/{number}/queries"
    (query,) = await api_get(gateway, path, seeded.headers)
    assert (query["scope_id"], query["indicator"], query["reason"]) == (
        org,
        "employer_satisfaction",
        reason,
    )
    item = f"ul.queries li[data-query='{query['id']}']"
    assert await page.get_attribute(item, "data-answered") == "false"
    assert reason in await browser.text(item)

    answer = "Ikkalasini ish beruvchi qaytarib olgan."
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        answered = await api.post(f"{path}/{query['id']}/answer", json={"answer": answer})
    assert answered.status_code == 200, answered.text
    await page.reload()
    await browser.ready(view)
    assert await page.get_attribute(item, "data-answered") == "true"
    assert answer in await browser.text(f"{item} .query-answer")


async def test_the_workspace_fits_a_phone_and_every_control_is_labelled(platform, browser):
    seeded = platform[1]
    page = browser.page
    await page.set_viewport_size({"width": 375, "height": 800})
    await sign_in(browser, seeded.token, HOME, "inst-ws")
    for route, view in (
        (HOME, "inst-ws"),
        (f"{HOME}/import", "inst-ws-import"),
        (f"{HOME}/confirmations", "inst-ws-confirmations"),
        (f"{HOME}/review", "inst-ws-review"),
    ):
        await browser.open(route, view=view)
        if view == "inst-ws-import":  # with a preview's refused lines shown
            wrong = csv_file(seeded, "x-1,Name,nope,1900")
            await page.set_input_files("#import-file", files=[wrong])
            await page.click("#import-preview")
            await page.wait_for_selector("#import-outcome table.refused-lines")
        await fits_a_phone(page, route)
    # Tab reaches the workspace's sections, each with a visible focus ring.
    await page.focus(".workspace-tabs a[data-tab=programs]")
    for _ in range(3):
        await page.keyboard.press("Tab")
        assert (await focus_ring(page, "dataset.tab"))[0]


async def test_an_employer_does_not_see_the_institution_workspace(platform, browser):
    employer = bearer("employer", org=platform[1].employer["id"])
    await sign_in(browser, employer["Authorization"].removeprefix("Bearer "), HOME, "inst-ws")
    assert await browser.page.is_hidden("#nav-institution")
    assert await browser.page.is_visible("#nav-employer")
    assert await browser.count(".inst-workspace") == 0
    assert "faqat taʼlim muassasasi" in await browser.text("#view")


def test_every_label_of_the_institution_workspace_is_in_each_language():
    keys = translated_keys(re.compile(r"inst_ws\."))
    names = ["index.html", *sorted(path.name for path in DASHBOARD.glob("inst_*.js"))]
    used = used_keys(r'"(inst_ws\.[\w.]+)"', *names)
    assert len(used) > 60
    assert used == keys  # every label used is translated, and none is left over


async def test_an_institution_asks_for_e_mail_reminders_of_claims_awaiting_it(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    view = "inst-ws-confirmations"
    await sign_in(browser, seeded.token, f"{HOME}/confirmations", view)
    page = browser.page
    form = "#mail-form"  # the employer workspace's reminder settings, the same module
    assert "tasdiqingizni kutsa" in await browser.text(".mail-panel .explain")
    await page.fill(f"{form} [data-field=email] input", "not-an-address")
    await page.click(f"{form} button[type=submit]")
    await page.wait_for_selector(f"{form} [data-field=email] .field-error", state="visible")
    refused_requests(browser, 422)
    await page.fill(f"{form} [data-field=email] input", "registrar@university.example")
    await page.select_option(f"{form} [data-field=language] select", "ru")
    await page.click(f"{form} button[type=submit]")
    await changed(browser, view, "Eslatmalar sozlandi")
    saved = await api_get(gateway, "/api/v1/reminders/subscription", seeded.headers)
    assert (saved["role"], saved["email"], saved["language"], saved["enabled"]) == (
        "institution",
        "registrar@university.example",
        "ru",
        True,
    )
    assert saved["organization_id"] == seeded.institution["id"]
    assert await page.input_value(f"{form} [data-field=email] input") == saved["email"]
