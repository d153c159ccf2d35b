"""WCAG 2.2 AA across the dashboard: axe-core, run in real headless Chromium on every page.

The platform and its data are test_dashboard.py's (five institutions, six employers, a cluster
with an activity and a goal, two years of assessments, an interim publication of each year),
started for this module alone with public scores on, so that a visitor without a token reads
the public pages; the seed adds an employment still to be confirmed, one confirmed but not
assessed yet and an official release under review, so that each workspace page has something
to show. Every page
is checked as the role that sees it, in Uzbek and in English, at desktop width and at 375 px
(a phone); so are the token prompt, a rejected token, a failed sign-in, a refused form, another
role's workspace and a page that does not exist.

axe-core comes from the `axe-playwright-python` package (its bundled axe.min.js, MPL-2.0):
nothing is downloaded while testing. It is evaluated in the page through the DevTools
protocol, which the page's Content-Security-Policy does not govern: the CSP stays as shipped.
"""

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from axe_playwright_python.async_playwright import Axe

from educluster.up import Launcher
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import COHORT, MINISTRY, PERIOD, Browsed, Seeded, _post, bearer
from tests.e2e.test_employer_workspace import refused_requests

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser

# WCAG 2.0, 2.1 and 2.2, levels A and AA: the rules axe-core tags with these.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()
LANGUAGES = ("uz", "en")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


class PublicScores(Launcher):
    """The platform as `educluster up` runs it with public scores on (gateway and quality)."""

    def __init__(self, *, env, **options) -> None:
        public = {
            "EDUCLUSTER_GATEWAY_PUBLIC_SCORES": "true",
            "EDUCLUSTER_QUALITY_PUBLIC_SCORES": "true",
        }
        super().__init__(env={**env, **public}, **options)


async def seed(gateway: str) -> Seeded:
    """test_dashboard's data, then two graduates of the big institution employed by the first
    employer: one claimed (the institution's confirmations list it), one confirmed and not
    assessed (the employer's rating sheet lists it); and an official release under review."""
    seeded = await dashboard.seed(gateway)
    big = seeded.institutions["big"]
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        for number, name in enumerate(("Aziza Karimova", "Bobur Toshev")):
            graduate = await _post(
                api,
                "/api/v1/graduates",
                {
                    "program_id": seeded.programs["big"]["id"],
                    "graduation_year": COHORT,
                    "student_ref": f"a11y-{number:03d}",
                    "full_name": name,
                },
            )
            employment = {
                "graduate_id": graduate["id"],
                "employer_id": seeded.employers[0]["id"],
                "start_date": f"{COHORT}-09-01",
                "position": "Dasturchi",
                "isco_code": "2512",
                "in_field": True,
            }
            employment = await _post(api, "/api/v1/employments", employment)
            if number:  # confirmed, not assessed yet: the employer's rating sheet has a row
                confirm = f"/api/v1/employments/{employment['id']}/confirm"
                confirmed = await api.post(confirm, headers=MINISTRY)
                assert confirmed.status_code == 200, confirmed.text
        review = {"period": PERIOD, "kind": "official"}
        await _post(api, "/api/v1/quality/publications", review)
    assert big["id"] == seeded.cluster["coordinator_id"]
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name): started
    by test_dashboard's helper, whose launcher is swapped for one with public scores on (the
    helper takes no settings) while it starts."""
    folder = tmp_path_factory.mktemp("accessibility")
    with ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dashboard, "Launcher", PublicScores)
            found = stack.enter_context(dashboard.seeded_platform(folder, seed))
        yield found


# --- the pages, by who sees them --------------------------------------------------------------


def token(role: str, org: dict | None = None) -> str:
    headers = bearer(role, org=org["id"]) if org else MINISTRY
    return headers["Authorization"].removeprefix("Bearer ")


def pages(seeded: Seeded, role: str) -> list[tuple[str, str]]:
    """(route, view) of every page ``role`` sees."""
    big = seeded.institutions["big"]
    cluster = f"#/workspace/cluster/{seeded.cluster['id']}"
    if role == "public":
        return [
            ("#/", "overview"),
            ("#/?show=institutions", "overview"),
            ("#/region/UZ-SA", "region"),
            (f"#/institution/{big['id']}", "institution"),
            (f"#/cluster/{seeded.cluster['id']}", "cluster"),
            ("#/unsubscribe?token=not-a-reminder", "unsubscribe"),
        ]
    if role == "ministry":
        return [
            ("#/alerts", "alerts"),
            (f"#/workspace/ministry?period={PERIOD}", "ministry"),
            ("#/workspace/ministry/methodology", "ministry-methodology"),
            ("#/workspace/ministry/integrity", "ministry-integrity"),
            ("#/workspace/ministry/audit", "ministry-audit"),
            ("#/", "overview"),  # with the ministry's switch to live figures
        ]
    if role == "employer":
        graduate = seeded.employed["big"][0][0]  # employed by employers[0]
        return [
            ("#/employer", "employer"),
            (f"#/employer/assess/{graduate['id']}?period={PERIOD}", "employer-assess"),
            ("#/employer/table", "employer-table"),
            ("#/employer/requirements", "employer-requirements"),
        ]
    assert role == "institution"  # the big institution, which coordinates the cluster
    return [
        ("#/workspace/institution", "inst-ws"),
        ("#/workspace/institution/import", "inst-ws-import"),
        ("#/workspace/institution/confirmations", "inst-ws-confirmations"),
        ("#/workspace/institution/review", "inst-ws-review"),
        ("#/workspace/cluster", "coord-clusters"),
        (cluster, "coord-members"),
        (f"{cluster}/activities", "coord-activities"),
        (f"{cluster}/goals", "coord-goals"),
    ]


def tokens(seeded: Seeded) -> dict[str, str | None]:
    return {
        "public": None,
        "ministry": token("ministry"),
        "employer": token("employer", seeded.employers[0]),
        "institution": token("institution", seeded.institutions["big"]),
    }


# --- axe ----------------------------------------------------------------------------------


async def violations(browsed: Browsed) -> list[dict]:
    """What axe-core finds against WCAG 2.2 AA in the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    return (await AXE.run(browsed.page, options=options)).response["violations"]


def report(where: str, found: list[dict]) -> list[str]:
    """One line per violation: its rule, impact, help and the first few elements it names."""
    lines = []
    for violation in found:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        more = f" (+{len(targets) - 3} more)" if len(targets) > 3 else ""
        lines.append(
            f"{where}: {violation['id']} [{violation['impact']}] {violation['help']}"
            f" — {'; '.join(targets[:3])}{more}"
        )
    return lines


async def check(browsed: Browsed, where: str, problems: list[str]) -> None:
    """axe-core's findings, and (which it does not check) whether the page scrolls sideways:
    at 375 px it must not (WCAG 1.4.10 reflow; a wide table scrolls in its own box)."""
    problems.extend(report(where, await violations(browsed)))
    wide = await browsed.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if wide > 0:
        problems.append(f"{where}: reflow — the page scrolls sideways by {wide} px")


async def use(browsed: Browsed, language: str, width: str) -> None:
    """Pages at ``width`` and in ``language`` (the dashboard reads it from localStorage)."""
    await browsed.page.set_viewport_size(WIDTHS[width])
    await browsed.page.add_init_script(f"localStorage.setItem('educluster.language', '{language}')")


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["public", "ministry", "employer", "institution"])
async def test_every_page_meets_wcag_2_2_aa_for_the_role_that_sees_it(
    platform, browser, role, language, width
):
    seeded = platform[1]
    await use(browser, language, width)
    problems: list[str] = []
    signed_in = False
    for route, view in pages(seeded, role):
        await browser.page.goto(f"{browser.gateway}/{route}")
        if role != "public" and not signed_in:
            await browser.page.wait_for_selector("#token-input", state="visible")
            await browser.page.fill("#token-input", tokens(seeded)[role])
            await browser.page.click("#token-submit")
            signed_in = True
        await browser.ready(view, route=route)
        assert await browser.page.get_attribute("html", "lang") == language
        await check(browser, f"{route} ({role}, {language}, {width})", problems)
    assert not problems, "axe-core finds WCAG 2.2 AA violations:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_sign_in_prompts_a_refused_form_and_the_pages_instead_meet_wcag_2_2_aa(
    platform, browser, language, width
):
    seeded = platform[1]
    page = browser.page
    await use(browser, language, width)
    problems: list[str] = []
    # A page that needs a token asks for one; then a token that is not accepted.
    await page.goto(f"{browser.gateway}/#/employer")
    await page.wait_for_selector("body[data-state=token] #token-input", state="visible")
    await check(browser, f"token prompt ({language}, {width})", problems)
    await page.fill("#token-input", "not.a.token")
    await page.click("#token-submit")
    await page.wait_for_selector("#token-error", state="visible")
    refused_requests(browser, 401)
    await check(browser, f"rejected token ({language}, {width})", problems)
    # A form the API refuses, with the problem beside its field.
    await page.fill("#token-input", tokens(seeded)["employer"])
    await page.click("#token-submit")
    await browser.ready("employer")
    await page.fill("#code-form input", "NOT-A-CODE")
    await page.click("#code-form button[type=submit]")
    await page.wait_for_selector("#code-form [data-field=code] .field-error", state="visible")
    refused_requests(browser, 422)
    await check(browser, f"refused form ({language}, {width})", problems)
    # A workspace of another role, and a page that does not exist: what the page says instead.
    await browser.open("#/workspace/ministry", view="ministry")
    await check(browser, f"another role's workspace ({language}, {width})", problems)
    await browser.open("#/no-such-page", view="not-found")
    await check(browser, f"page not found ({language}, {width})", problems)
    # Back from the identity provider with a refusal: the prompt says the sign-in failed.
    await page.evaluate("sessionStorage.clear()")
    await page.goto(f"{browser.gateway}/?error=access_denied#/employer")
    await page.wait_for_selector("#sign-in-failed", state="visible")
    await check(browser, f"sign-in failed ({language}, {width})", problems)
    assert not problems, "axe-core finds WCAG 2.2 AA violations:\n" + "\n".join(problems)


async def test_a_control_the_keyboard_focuses_in_the_rating_sheet_is_not_hidden_on_a_phone(
    platform, browser
):
    """WCAG 2.4.11 (focus not obscured), which axe-core does not check: the rating sheet keeps
    the employees' names in a sticky column as it scrolls sideways; tabbing on, then back,
    each focused control is scrolled into view clear of that column."""
    seeded = platform[1]
    page = browser.page
    await use(browser, "uz", "phone")
    await page.goto(f"{browser.gateway}/#/employer/table?period={PERIOD}")
    await page.wait_for_selector("#token-input", state="visible")
    await page.fill("#token-input", tokens(seeded)["employer"])
    await page.click("#token-submit")
    await browser.ready("employer-table")
    sheet = "#assessment-table .table-wrap.sheet"
    assert await page.evaluate(
        f"(s => s.scrollWidth > s.clientWidth)(document.querySelector('{sheet}'))"
    )
    # The focused control: wholly inside the box, right of the names' column.
    clear = """() => {
        const control = document.activeElement;
        const box = control.getBoundingClientRect();
        const wrap = control.closest('.table-wrap').getBoundingClientRect();
        const names = control.closest('tr').querySelector('th').getBoundingClientRect();
        return [control.name, box.left >= names.right && box.right <= wrap.right];
    }"""
    await page.focus(f"{sheet} select")
    seen = []
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        await page.keyboard.press(key)
        seen.append(await page.evaluate(clear))
    assert [name for name, shown in seen if not shown] == [], seen
