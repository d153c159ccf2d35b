"""The dashboard at / in real headless Chromium, on the four real services and a real broker.

The platform is started as `educluster up` starts it (the bundled broker, topics, migrations,
each service a uvicorn process) but on free ports, then a small region is seeded through the
gateway's API: five institutions in two regions (two of them too small to publish), a cluster,
six employers, graduates, employments, requirements and two years of assessments. Once the
quality service has scored it all, Playwright's Python package drives the Debian Chromium
(/usr/bin/chromium; Playwright never downloads a browser here).
"""

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

import httpx
import jwt
import pytest

from educluster.up import Launcher
from shared.devtools.local_broker import free_port
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from shared.platform.names import SERVICES
from tests.support import TEST_TOKEN_TTL_S, eventually

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SECRET = "test-secret-for-dashboard-tests-only"
PERIOD = date.today().year
COHORT = PERIOD - 1  # graduated last year, so assessed in both years
# The cohort's census date (30 June of PERIOD), or today while it is still ahead.
FOLLOWED_UP_ON = min(date.today(), date(PERIOD, 6, 30)).isoformat()
# The cohort's outcomes are published once its census date plus 92 days has passed.
OUTCOMES_PUBLISHED = date.today() >= date(PERIOD, 9, 30)
FIELD = "0613"
# Every competency of the default framework is rated (a domain with unrated competencies has
# its rated ones hidden by secondary suppression), around a base rating per competency (one
# below, at and above it, so never all 4 or 5 nor all 1 to 3: a share satisfied of 100 % or 0 %
# is stated only as a bound, which a parent less a sibling would undo, and the audit would hide
# the competency's figures around it); the importance employers state is set so that every
# quadrant of the gap chart has a point.
RATED = {
    "foundation.oral_communication": 4,
    "foundation.written_communication": 3,
    "foundation.numeracy": 4,
    "foundation.investigating_knowledge": 4,
    "adaptive.adapting_to_change": 4,
    "adaptive.applying_knowledge": 4,
    "adaptive.working_independently": 4,
    "adaptive.learning_new_skills": 4,
    "collaborative.teamwork": 4,
    "collaborative.interpersonal_relations": 4,
    "collaborative.diverse_backgrounds": 4,
    "technical.professional_knowledge": 4,
    "technical.standard_methods": 4,
    "technical.tools_and_technologies": 3,
    "technical.quality_of_work": 4,
    "employability.initiative": 3,
    "employability.innovation_problem_solving": 3,
    "employability.time_management": 4,
    "employability.professional_ethics": 4,
    "digital.information_data_literacy": 3,
    "digital.communication_collaboration": 4,
    "digital.content_creation": 3,
    "digital.safety": 4,
    "digital.problem_solving": 3,
}
IMPORTANCE = (
    {
        "foundation.oral_communication": 5,
        "foundation.written_communication": 5,
        "technical.professional_knowledge": 5,
        "technical.tools_and_technologies": 4,
        "collaborative.teamwork": 3,
        "adaptive.adapting_to_change": 2,
        "employability.initiative": 4,
        "digital.information_data_literacy": 5,
        "digital.content_creation": 2,
    },
    {
        "foundation.oral_communication": 4,
        "technical.professional_knowledge": 5,
        "collaborative.teamwork": 2,
        "digital.information_data_literacy": 4,
    },
) * 3  # each importance stated by at least three employers (fewer are withheld)


@dataclass(frozen=True)
class Institution:
    key: str
    name: str
    region: str
    graduates: int  # in the cohort
    employed: int  # of them, assessed by the six employers in turn
    satisfied: tuple[int, int]  # overall satisfaction >= 4, last year and this year


INSTITUTIONS = (
    Institution("big", "Samarqand davlat universiteti", "UZ-SA", 33, 30, (24, 25)),
    # 11 of 12 last year, not 12 of 12: a publication states 100 % only as a bound, which the
    # audit then protects by hiding its neighbours (tests/unit/quality/test_publications.py).
    Institution("falling", "Samarqand iqtisodiyot instituti", "UZ-SA", 14, 12, (11, 3)),
    Institution("small1", "Kattaqoʻrgʻon texnikumi", "UZ-SA", 6, 6, (5, 4)),
    Institution("small2", "Urgut kolleji", "UZ-SA", 6, 6, (4, 5)),
    Institution(
        "capital", "Toshkent axborot texnologiyalari universiteti", "UZ-TO", 21, 20, (14, 17)
    ),
)
PUBLISHED = ("big", "falling", "capital")


def bearer(role: str, *, org: str | None = None) -> dict[str, str]:
    token = mint_token(
        AuthSettings(secret=SECRET),
        role=role,
        org=org,
        sub=f"e2e-{role}-{org}",
        ttl_s=TEST_TOKEN_TTL_S,
    )
    return {"Authorization": f"Bearer {token}"}


MINISTRY = bearer("ministry")


# --- the platform ---------------------------------------------------------------------------


def start_platform(data_dir: Path, settings: Mapping[str, str] = {}) -> Launcher:
    """The platform as `educluster up` runs it, each service on a free port, all ready; with
    ``settings`` (EDUCLUSTER_… variables) on top of the tests' own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUCLUSTER_")}
    env |= {
        "EDUCLUSTER_JWT_SECRET": SECRET,
        "EDUCLUSTER_LOCAL_BROKER_PORT": str(free_port()),
        "EDUCLUSTER_LOG_LEVEL": "WARNING",
        "EDUCLUSTER_QUALITY_SCORE_WINDOW_S": "0.2",
        # The seed sends hundreds of requests as one ministry: past the default rate limit.
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_PER_S": "100000",
        "EDUCLUSTER_GATEWAY_RATE_LIMIT_BURST": "100000",
        # A consumer's first join of its group is held for about half the session timeout by
        # the bundled broker (15 s at the default 30 s): shorter here, for a quick start.
        "EDUCLUSTER_KAFKA_SESSION_TIMEOUT_MS": "6000",
        "EDUCLUSTER_KAFKA_HEARTBEAT_INTERVAL_MS": "500",
    } | dict(settings)
    launcher = Launcher(
        host="127.0.0.1",
        data_dir=data_dir,
        ports={service: free_port() for service in SERVICES},
        env=env,
    )
    launcher.start()
    return launcher


def logs(launcher: Launcher) -> str:
    return "\n".join(
        f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(launcher.data_dir.glob("*.log"))
    )


# --- the data, through the gateway ----------------------------------------------------------


@dataclass
class Seeded:
    institutions: dict[str, dict] = field(default_factory=dict)  # key → organization
    programs: dict[str, dict] = field(default_factory=dict)  # institution key → its program
    employers: list[dict] = field(default_factory=list)
    cluster: dict = field(default_factory=dict)
    framework: dict = field(default_factory=dict)
    # institution key → [(graduate, employer index)]
    employed: dict[str, list[tuple[dict, int]]] = field(default_factory=dict)
    publications: dict[int, int] = field(default_factory=dict)  # period → publication number


async def _post(api: httpx.AsyncClient, path: str, body: dict, headers=MINISTRY) -> dict:
    response = await api.post(path, json=body, headers=headers)
    assert response.status_code == 201, f"{path}: {response.status_code} {response.text}"
    return response.json()


async def _post_once_known(api: httpx.AsyncClient, path: str, body: dict, headers) -> dict:
    """POST to the assessment service, which answers 409 while the registry facts the request
    names (an employment's confirmation among them) have not reached its projection yet:
    retried until they have."""
    response = await eventually(
        lambda: api.post(path, json=body, headers=headers),
        until=lambda r: r.status_code != 409,
        interval_s=0.2,
        what=f"{path} accepted",
    )
    assert response.status_code == 201, f"{path}: {response.status_code} {response.text}"
    return response.json()


async def _organization(api, *, kind: str, subtype: str, name: str, region: str, tax_id: str):
    body = {"kind": kind, "subtype": subtype, "name": name, "region_code": region}
    return await _post(api, "/api/v1/organizations", body | {"tax_id": tax_id})


async def _institution(api, seeded: Seeded, number: int, spec: Institution) -> None:
    organization = await _organization(
        api,
        kind="education",
        subtype="university",
        name=spec.name,
        region=spec.region,
        tax_id=f"20000000{number}",
    )
    seeded.institutions[spec.key] = organization
    program = await _post(
        api,
        "/api/v1/programs",
        {
            "institution_id": organization["id"],
            "code": f"6061010{number}",
            "name": "Dasturiy injiniring",
            "level": "6",
            "field_code": FIELD,
        },
    )
    seeded.programs[spec.key] = program
    employed = []
    for g in range(spec.graduates):
        graduate = await _post(
            api,
            "/api/v1/graduates",
            {
                "program_id": program["id"],
                "graduation_year": COHORT,
                "student_ref": f"{spec.key}-{g:03d}",
                "full_name": f"Bitiruvchi {spec.key} {g}",
            },
        )
        if g < spec.employed:
            employer = g % len(seeded.employers)
            employment = await _post(
                api,
                "/api/v1/employments",
                {
                    "graduate_id": graduate["id"],
                    "employer_id": seeded.employers[employer]["id"],
                    "start_date": f"{COHORT}-09-01",
                    "position": "Dasturchi",
                    "isco_code": "2512",
                    "in_field": g % 4 != 3,
                },
            )
            # Only a confirmed employment makes its employer eligible to assess.
            confirm = f"/api/v1/employments/{employment['id']}/confirm"
            confirmed = await api.post(confirm, headers=MINISTRY)
            assert confirmed.status_code == 200, confirmed.text
            employed.append((graduate, employer))
        elif g % 3 != 2:  # two of three without a job were followed up: not employed
            followed = await api.patch(
                f"/api/v1/graduates/{graduate['id']}",
                headers=MINISTRY,
                json={"follow_up_outcome": "not_employed", "follow_up_on": FOLLOWED_UP_ON},
            )
            assert followed.status_code == 200, followed.text
    seeded.employed[spec.key] = employed


def _assessment(seeded: Seeded, spec: Institution, g: int, graduate: dict, period: int) -> dict:
    satisfied = spec.satisfied[period - COHORT]
    overall = (5 if g % 2 else 4) if g < satisfied else (3 if g % 2 else 2)
    return {
        "employer_id": seeded.employers[g % len(seeded.employers)]["id"],
        "graduate_id": graduate["id"],
        "period": period,
        "framework_id": seeded.framework["id"],
        "ratings": {
            code: base + (g + period + i) % 3 - 1 for i, (code, base) in enumerate(RATED.items())
        },
        "overall_satisfaction": overall,
        "preparedness": min(5, overall + (1 if g % 3 == 0 else 0)),
        "would_hire_again": overall >= 3,
    }


async def _assess(api: httpx.AsyncClient, seeded: Seeded) -> None:
    """Each employer's assessments of both years, in one bulk request per year."""
    for period in (COHORT, PERIOD):
        for e, employer in enumerate(seeded.employers):
            items = [
                _assessment(seeded, spec, g, graduate, period)
                for spec in INSTITUTIONS
                for g, (graduate, employer_index) in enumerate(seeded.employed[spec.key])
                if employer_index == e
            ]
            await _post_once_known(
                api,
                "/api/v1/assessments/bulk",
                {"items": items},
                headers=bearer("employer", org=employer["id"]),
            )


async def seed(gateway: str) -> Seeded:
    seeded = Seeded()
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        for e in range(6):
            seeded.employers.append(
                await _organization(
                    api,
                    kind="employer",
                    subtype="J",
                    name=f"IT Park rezidenti {e + 1}",
                    region="UZ-SA",
                    tax_id=f"30000000{e}",
                )
            )
        for number, spec in enumerate(INSTITUTIONS):
            await _institution(api, seeded, number, spec)
        await _cluster(api, seeded)
        await _requirements(api, seeded)
        await _assess(api, seeded)
        await _scored(api, seeded)
    return seeded


async def _cluster(api: httpx.AsyncClient, seeded: Seeded) -> None:
    """The big institution coordinates a cluster that two of the employers join."""
    seeded.cluster = await _post(
        api,
        "/api/v1/clusters",
        {
            "name": "Samarqand IT klasteri",
            "region_code": "UZ-SA",
            "sectors": ["J", "P"],
            "coordinator_id": seeded.institutions["big"]["id"],
        },
    )
    for employer in seeded.employers[:2]:
        await _post(
            api,
            f"/api/v1/clusters/{seeded.cluster['id']}/members",
            {"organization_id": employer["id"], "role": "employer"},
        )
    # Its work, recorded by the coordinator: a running internship for the big institution's
    # program with a member employer (from today: the members joined today), and a goal.
    big, employer = seeded.institutions["big"], seeded.employers[0]
    coordinator = bearer("institution", org=big["id"])
    work = f"/api/v1/clusters/{seeded.cluster['id']}"
    internship = {
        "title": "Dasturiy injiniring amaliyoti",
        "status": "running",
        "start_date": date.today().isoformat(),
        "member_ids": [big["id"], employer["id"]],
        "outcome": {
            "kind": "internship",
            "employer_id": employer["id"],
            "program_id": seeded.programs["big"]["id"],
            "years": [{"year": PERIOD, "places_offered": 12, "places_filled": 9}],
        },
    }
    await _post(api, f"{work}/activities", internship, headers=coordinator)
    goal = {
        "measure": "indicator",
        "code": "employer_satisfaction",
        "field_code": FIELD,
        "comparator": "at_least",
        "target": "0.8",
        "by_year": PERIOD + 2,
    }
    await _post(api, f"{work}/goals", goal, headers=coordinator)


async def _requirements(api: httpx.AsyncClient, seeded: Seeded) -> None:
    listed = await eventually(
        lambda: api.get("/api/v1/frameworks", headers=MINISTRY),
        until=lambda r: r.status_code == 200 and bool(r.json()["items"]),
        what="the default framework published",
    )
    seeded.framework = listed.json()["items"][0]
    for employer, importance in zip(seeded.employers, IMPORTANCE, strict=False):
        await _post_once_known(
            api,
            "/api/v1/requirements",
            {
                "employer_id": employer["id"],
                "field_code": FIELD,
                "framework_id": seeded.framework["id"],
                "importance": importance,
            },
            headers=bearer("employer", org=employer["id"]),
        )


async def _scored(api: httpx.AsyncClient, seeded: Seeded) -> None:
    want = {
        seeded.institutions[spec.key]["id"]: spec.employed
        for spec in INSTITUTIONS
        if spec.key in PUBLISHED
    }

    async def organizations_scored() -> bool:
        for period in (COHORT, PERIOD):
            page = await api.get(
                f"/api/v1/quality/scores?scope=organization&period={period}&limit=500",
                headers=MINISTRY,
            )
            if page.status_code != 200:
                return False
            have = {
                item["scope_id"]: item["indicators"]["employer_satisfaction"]["n"]
                for item in page.json()["items"]
            }
            if any(have.get(unit) != n for unit, n in want.items()):
                return False
        return True

    async def alerted() -> bool:
        page = await api.get("/api/v1/quality/alerts?limit=200", headers=MINISTRY)
        kinds = {a["kind"] for a in page.json()["items"]} if page.status_code == 200 else set()
        return {"significant_drop", "competency_gap"} <= kinds

    await eventually(organizations_scored, interval_s=0.2, what="every institution scored")
    # What the dashboard shows everyone comes from publications (alerts too): one of each year.
    for period in (COHORT, PERIOD):
        made = await api.post(
            "/api/v1/quality/publications",
            headers=MINISTRY,
            json={"period": period, "kind": "interim"},
        )
        assert made.status_code == 201, made.text
        seeded.publications[period] = made.json()["number"]
    await eventually(alerted, interval_s=0.2, what="the drop and the cluster's gaps alerted")


# --- the browser ------------------------------------------------------------------------------

# What the gateway sends with its pages (gateway.limits); added here if a response lacks it, so
# the page is always checked against it: an inline script or style would be a console error.
PAGE_POLICY = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
LABELS = {"uz": "Umumiy koʻrinish", "ru": "Обзор", "en": "Overview"}


S = TypeVar("S")


@contextmanager
def seeded_platform(
    folder: Path, seed_world: Callable[[str], Awaitable[S]], settings: Mapping[str, str] = {}
) -> Iterator[tuple[Launcher, S]]:
    """A platform started in ``folder`` (with ``settings``) and seeded through its gateway by
    ``seed_world``."""
    if not Path(CHROMIUM).exists():
        # Never skipped: a machine without the browser must not pass the dashboard silently.
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    started = start_platform(folder, settings)
    try:
        seeded = asyncio.run(seed_world(started.gateway_url))
    except BaseException:
        print(logs(started))
        started.stop()
        raise
    try:
        yield started, seeded
    finally:
        started.stop()


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    with seeded_platform(tmp_path_factory.mktemp("dashboard"), seed) as found:
        yield found


@dataclass
class Browsed:
    page: object  # playwright.async_api.Page
    gateway: str
    errors: list[str]

    async def open(self, route: str = "#/", *, view: str | None = None) -> None:
        await self.page.goto(f"{self.gateway}/{route}")
        if view:
            await self.ready(view, route=route)

    async def ready(self, view: str, *, route: str | None = None) -> None:
        """Wait until the page has rendered ``view`` (at ``route``, when the view is shown
        already and only its route changes)."""
        at = f'[data-route="{route}"]' if route else ""
        await self.page.wait_for_selector(
            f"body[data-state=ready][data-view={view}]{at}, body[data-state=error]"
        )
        state = await self.page.get_attribute("body", "data-state")
        assert state == "ready", await self.text("#view")  # the page's own error message

    async def sign_in(self, view: str = "overview") -> None:
        await self.page.wait_for_selector("#token-input", state="visible")
        await self.page.fill("#token-input", MINISTRY["Authorization"].removeprefix("Bearer "))
        await self.page.click("#token-submit")
        await self.ready(view)

    async def text(self, selector: str) -> str:
        return (await self.page.inner_text(selector)).strip()

    async def count(self, selector: str) -> int:
        return await self.page.locator(selector).count()


@pytest.fixture
async def browser(platform):
    from playwright.async_api import async_playwright

    gateway = platform[0].gateway_url
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await chromium.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

        async def with_policy(route) -> None:
            response = await route.fetch()
            headers = {"content-security-policy": PAGE_POLICY, **response.headers}
            await route.fulfill(response=response, headers=headers)

        await page.route(f"{gateway}/", with_policy)
        try:
            yield Browsed(page, gateway, errors)
        finally:
            await chromium.close()
    assert errors == [], "console errors"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def _published_units(gateway: str, query: str) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        path = f"/api/v1/quality/scores?{query}&limit=500&view=published"
        page = (await api.get(path)).json()
    return {
        item["scope_id"]: item["indicators"]["employer_satisfaction"]["n"]
        for item in page["items"]
        if not item["indicators"]["employer_satisfaction"]["suppressed"]
    }


async def _funnel(browsed: Browsed) -> dict:
    return await browsed.page.evaluate(
        """() => ({
            units: [...document.querySelectorAll('svg.funnel circle.unit')].map(
                (c) => [c.closest('[data-id]').dataset.id, Number(c.dataset.n)]),
            limits: [...document.querySelectorAll('svg.funnel path.limit')].map((p) => ({
                level: p.dataset.level,
                side: p.dataset.side,
                segments: p.getAttribute('d').split('L').length,
                ys: new Set(p.getAttribute('d').split(/[ML]/).filter(Boolean)
                    .map((xy) => xy.split(',')[1])).size,
            })),
            overall: document.querySelectorAll('svg.funnel line.overall').length,
            errorBars: document.querySelectorAll('svg.funnel .unit-point .error-bar').length,
        })"""
    )


async def test_the_overview_asks_for_a_token_then_plots_regions_and_institutions_as_funnels(
    platform, browser, tmp_path
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    await browser.open()
    assert await browser.page.is_visible("#token-panel")
    assert await browser.count("svg.funnel") == 0
    await browser.sign_in()
    assert await browser.page.evaluate("sessionStorage.getItem('educluster.token')")

    regions = await _published_units(gateway, f"scope=region&period={PERIOD}")
    drawn = await _funnel(browser)
    assert dict(drawn["units"]) == regions  # one circle per region, at its n
    assert sorted((limit["level"], limit["side"]) for limit in drawn["limits"]) == [
        ("95", "lower"),
        ("95", "upper"),
        ("998", "lower"),
        ("998", "upper"),
    ]
    # Curves through the sizes the service computed the limits at, not lines.
    assert all(limit["segments"] >= 20 and limit["ys"] > 10 for limit in drawn["limits"])
    assert drawn["overall"] == 1 and drawn["errorBars"] == len(regions)
    screenshot = tmp_path / "overview.png"
    await browser.page.screenshot(path=str(screenshot), full_page=True)
    width, height = _png_size(screenshot.read_bytes())
    assert width >= 1280 and height >= 900 and screenshot.stat().st_size > 30_000

    await browser.page.click("#show-institutions")
    await browser.ready("overview", route="#/?show=institutions")
    institutions = await _published_units(gateway, f"scope=organization&period={PERIOD}")
    assert dict((await _funnel(browser))["units"]) == institutions
    assert set(institutions) == {seeded.institutions[key]["id"] for key in PUBLISHED}
    falling = seeded.institutions["falling"]["id"]
    computed = await _funnel_positions(gateway, f"scope=organization&period={PERIOD}")
    assert computed[falling].startswith("below")  # 3 of 12 against about 70%
    assert await browser.page.get_attribute(f"g.unit-point[data-id='{falling}']", "class") == (
        f"unit-point {computed[falling]}"
    )
    await browser.page.screenshot(path=str(tmp_path / "institutions.png"), full_page=True)


async def test_the_page_names_its_publication_and_the_ministry_may_switch_to_live(
    platform, browser
):
    seeded = platform[1]
    await browser.open()
    await browser.sign_in()
    note = await browser.text("#publication-note")
    number = seeded.publications[PERIOD]
    assert f"{number}" in note and "Dastlabki" in note  # provisional, in Uzbek
    assert await browser.page.get_attribute("#publication-note", "data-publication") == str(number)
    assert await browser.page.is_visible("#live-control")  # a ministry token

    await browser.page.check("#live")
    await browser.ready("overview")
    assert "vazirlik" in await browser.text("#publication-note")  # live, for the ministry only
    assert "live" in (await browser.page.get_attribute("#publication-note", "class"))

    await browser.page.uncheck("#live")
    await browser.ready("overview")
    assert f"{number}" in await browser.text("#publication-note")


async def _funnel_positions(gateway: str, query: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        drawn = (await api.get(f"/api/v1/quality/funnel?{query}&view=published")).json()
    return {point["scope_id"]: point["position"] for point in drawn["points"]}


async def test_the_funnel_draws_the_limits_and_positions_the_service_computed(platform, browser):
    gateway = platform[0].gateway_url
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        path = f"/api/v1/quality/funnel?scope=region&period={PERIOD}&view=published"
        computed = (await api.get(path)).json()
    await browser.open()
    await browser.sign_in()
    drawn = await browser.page.evaluate(
        """() => ({
            positions: Object.fromEntries([...document.querySelectorAll('svg.funnel g.unit-point')]
                .map((g) => [g.dataset.id, g.getAttribute('class').split(' ')[1]])),
            points: [...document.querySelectorAll('svg.funnel path.limit')].map(
                (p) => p.getAttribute('d').split('L').length),
        })"""
    )
    assert drawn["positions"] == {p["scope_id"]: p["position"] for p in computed["points"]}
    assert set(drawn["points"]) == {len(computed["limits"])}  # one vertex per computed size


async def test_an_institution_page_charts_its_profile_trend_and_employment_outcomes(
    platform, browser, tmp_path
):
    seeded = platform[1]
    await browser.open()
    await browser.sign_in()
    await browser.open(f"#/institution/{seeded.institutions['big']['id']}", view="institution")
    assert await browser.text("h1") == "Samarqand davlat universiteti"
    assert await browser.count("svg.profile .row.interval circle.estimate") == 6  # six domains
    assert await browser.count("svg.profile .row.interval .error-bar") == 6
    # Both years of employer satisfaction and preparedness, with intervals, and the index with
    # its interval where every component is published: the year whose outcomes are out.
    indexed = 1 if OUTCOMES_PUBLISHED else 0
    assert await browser.count("svg.trend-history circle.point") == 4 + indexed
    assert await browser.count("svg.trend-history .error-bar") == 4 + indexed
    # One cohort, in the year its outcomes are reported (once its window has closed): four
    # outcome figures; the other year has none, and says so for each.
    published = 4 if OUTCOMES_PUBLISHED else 0
    assert await browser.count("svg.outcomes circle.point") == published
    assert await browser.count(".outcomes-panel .suppressed-list li") == 8 - published
    if OUTCOMES_PUBLISHED:
        index = float((await browser.text("[data-indicator=index] .value")).replace(",", "."))
        assert index > 50
        interval = (await browser.text("[data-indicator=index] .interval")).split(": ")[-1]
        low, high = (float(bound.replace(",", ".")) for bound in interval.split("–"))
        assert low < index < high
    else:
        reason = await browser.text("[data-indicator=index] .reason")
        assert "not every weighted indicator is published" in reason
    # Its benchmark: the national rates of its mix of fields and levels, as the API computes it.
    async with httpx.AsyncClient(base_url=browser.gateway, headers=MINISTRY) as api:
        path = f"/api/v1/quality/benchmarks?scope=organization&period={PERIOD}&view=published"
        listed = (await api.get(path)).json()["items"]
    (big,) = [b for b in listed if b["unit_id"] == seeded.institutions["big"]["id"]]
    assert big["expected"] is not None
    expected = await browser.text("[data-benchmark=expected]")
    assert str(round(big["expected"] * 100)) in expected
    assert await browser.count(".benchmark-panel [data-benchmark=flag]") == 1
    await browser.page.screenshot(path=str(tmp_path / "institution.png"), full_page=True)


async def test_a_cluster_page_shows_members_the_comparison_and_the_gap_quadrants(
    platform, browser, tmp_path
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    cluster = seeded.cluster["id"]
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        gaps = (
            await api.get(f"/api/v1/quality/cluster/{cluster}/competency-gaps?period={PERIOD}")
        ).json()["competencies"]
    await browser.open()
    await browser.sign_in()
    await browser.open(f"#/cluster/{cluster}", view="cluster")
    assert await browser.text("h1") == "Samarqand IT klasteri"
    assert await browser.count("table.members tbody tr") == 3  # coordinator, two employers
    assert await browser.count("svg.difference circle.estimate") == 1
    assert await browser.count("svg.difference .error-bar") == 1
    assert "n = 30" in await browser.text("[data-group=members]")
    quadrants = await browser.page.evaluate(
        "[...document.querySelectorAll('svg.quadrant g.competency')]"
        ".map((g) => [g.dataset.code, g.classList[1]])"
    )
    assert dict(quadrants) == {code: gap["quadrant"] for code, gap in gaps.items()}
    assert {q for _, q in quadrants} == {
        "concentrate_here",
        "keep_up_the_good_work",
        "low_priority",
        "possible_overkill",
    }
    await browser.page.screenshot(path=str(tmp_path / "cluster.png"), full_page=True)


async def test_a_cluster_page_shows_its_activities_goals_intensity_flows_and_the_effect(
    platform, browser, tmp_path
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    cluster = seeded.cluster["id"]
    flows_path = f"/api/v1/quality/clusters/{cluster}/flows?cohort={COHORT}"

    async def flows_counted() -> dict:
        async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
            return (await api.get(flows_path)).json()

    # The big institution's 30 employed graduates, all at the six software firms of the region
    # (ISIC J, a focus sector; the two that are members joined after the census date).
    flows = await eventually(
        flows_counted, until=lambda f: f.get("n") == 30, interval_s=0.2, what="the flows counted"
    )
    await browser.open()
    await browser.sign_in()
    await browser.page.click("button.language[data-language=en]")
    await browser.ready("overview")
    await browser.open(f"#/cluster/{cluster}", view="cluster")
    activity = browser.page.locator(".activities-panel tr[data-kind=internship]")
    assert "Dasturiy injiniring amaliyoti" in await activity.inner_text()
    assert "Running" in await activity.inner_text()
    goal = browser.page.locator(".goals-panel tr[data-goal]")
    assert "Employer satisfaction (0613)" in await goal.inner_text()
    assert "at least 80%" in await goal.inner_text()
    status = await goal.get_attribute("data-status")
    assert {"met": "Met", "not_met": "Not met", "undetermined": "Undetermined"}[status] in (
        await goal.inner_text()
    )
    # 12 places offered and 9 filled this year (whose cohort has not graduated yet: no rate).
    year = browser.page.locator(f".intensity-panel tr[data-year='{PERIOD}']")
    assert "12 / 9 (—)" in await year.inner_text()
    assert await browser.count(".flows-panel tr[data-flow]") == 4
    focus = ".flows-panel tr[data-flow=focus_sectors]"
    if OUTCOMES_PUBLISHED:
        shares = {f["flow"]: f["value"] for f in flows["flows"]}
        assert shares == {
            "member_employers": 0.0,
            "focus_sectors": 1.0,
            "other_in_region": 0.0,
            "elsewhere": 0.0,
        }
        assert "100%" in await browser.text(focus)
        assert await browser.count(".flows-panel svg.mini-interval") == 4
    else:  # the census window is open: every flow waits, and says until when
        assert "outcomes are published from" in await browser.text(focus)
    # The internship's programs against comparable ones: one row per figure, and the
    # assumptions behind the comparison, opened from the keyboard.
    assert await browser.count(".effect-panel tr[data-joined]") == 2
    await browser.page.focus("details.assumptions summary")
    await browser.page.keyboard.press("Enter")
    assert await browser.page.is_visible("details.assumptions li")
    assert "Parallel trends" in await browser.text("details.assumptions")

    await browser.page.click("button.language[data-language=uz]")
    await browser.ready("cluster")
    assert await browser.text(".flows-panel h2") == "Bitiruvchilar qayerda ishlaydi"
    assert "Davom etmoqda" in await activity.inner_text()
    await browser.page.click("button.language[data-language=ru]")
    await browser.ready("cluster")
    assert await browser.text(".goals-panel h2") == "Стратегические цели и их выполнение"
    assert "Приоритетные отрасли региона" in await browser.text(focus)
    await browser.page.screenshot(path=str(tmp_path / "cluster-work.png"), full_page=True)


async def test_the_language_switch_relabels_the_page_and_is_remembered_after_a_reload(browser):
    await browser.open()
    await browser.sign_in()
    assert await browser.text("#nav-overview") == LABELS["uz"]  # Uzbek (Latin) by default
    assert "\u02bb" in LABELS["uz"]
    for lang in ("ru", "en"):
        await browser.page.click(f"button.language[data-language={lang}]")
        await browser.ready("overview")
        assert await browser.text("#nav-overview") == LABELS[lang]
        assert await browser.page.get_attribute("html", "lang") == lang
    assert await browser.text(".funnel-panel h2") == (
        "Employer satisfaction against sample size (funnel plot)"
    )
    await browser.page.reload()
    await browser.ready("overview")  # the token is still there: no prompt
    assert await browser.text("#nav-overview") == "Overview"
    assert await browser.text("[data-indicator=employer_satisfaction] h3") == (
        "Employer satisfaction"
    )
    assert await browser.page.evaluate("localStorage.getItem('educluster.language')") == "en"


async def test_suppressed_figures_say_not_enough_data_and_why(platform, browser):
    seeded = platform[1]
    await browser.open()
    await browser.sign_in()
    await browser.open("#/region/UZ-SA", view="region")
    for key in ("small1", "small2"):
        row = f"tr.suppressed[data-id='{seeded.institutions[key]['id']}']"
        assert "Maʼlumot yetarli emas — baholashlar soni 10 tadan kam" in await browser.text(row)
    await browser.page.click("button.language[data-language=en]")
    await browser.ready("region")
    row = f"tr.suppressed[data-id='{seeded.institutions['small1']['id']}']"
    assert "Not enough data — fewer than 10 assessments" in await browser.text(row)
    await browser.open(f"#/institution/{seeded.institutions['small1']['id']}", view="institution")
    assert await browser.text("[data-indicator=employer_satisfaction] .reason") == (
        "fewer than 10 assessments"
    )
    reason = await browser.text("[data-indicator=index] .reason")
    assert "not every weighted indicator is published" in reason
    assert await browser.count("svg.profile .row.suppressed") == 6
    await browser.page.click("button.language[data-language=ru]")
    await browser.ready("institution")
    assert await browser.text("[data-indicator=employer_satisfaction] .reason") == (
        "меньше 10 оценок"
    )


async def test_the_alerts_page_lists_the_drop_and_the_cluster_gaps(platform, browser):
    seeded = platform[1]
    await browser.open()
    await browser.sign_in()
    await browser.page.click("button.language[data-language=en]")
    await browser.ready("overview")
    await browser.page.click("#nav-alerts")
    await browser.ready("alerts")
    falling = seeded.institutions["falling"]["name"]
    drops = browser.page.locator("tr.alert.significant_drop", has_text=falling)
    assert "Significant drop" in await drops.inner_text()
    gaps = await browser.count("tr.alert.competency_gap")
    assert gaps >= 1
    await browser.page.select_option("#alert-kind", "competency_gap")
    await browser.ready("alerts", route="#/alerts?kind=competency_gap")
    assert await browser.count("tr.alert") == gaps


def test_the_gateway_serves_the_dashboard_files_and_nothing_else_from_disk(platform):
    gateway = platform[0].gateway_url
    with httpx.Client(base_url=gateway, timeout=5) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        script = client.get("/dashboard/app.js")
        assert script.headers["content-type"].startswith("text/javascript")
        assert client.get("/dashboard/config.json").json()["public_scores"] is False
        for missing in ("/dashboard/nothing.js", "/dashboard/..%2Fentrypoints%2Fdashboard.py"):
            answer = client.get(missing)
            assert answer.status_code == 404
            assert answer.headers["content-type"] == "application/problem+json"
        paths = client.get("/openapi.json").json()["paths"]
    assert "/" not in paths and not any(path.startswith("/dashboard") for path in paths)
    # A page that runs under default-src 'self': no inline code or styles, nothing evaluated.
    html = page.text
    assert "<style" not in html and " style=" not in html
    assert all('src="' in tag for tag in html.split("<script")[1:])
    directory = Path(__file__).resolve().parents[2] / "services/gateway/gateway/dashboard"
    for source in directory.glob("*.js"):
        text = source.read_text()
        for unsafe in ("eval(", "new Function", "innerHTML", "insertAdjacentHTML", ".style."):
            assert unsafe not in text, (source.name, unsafe)


async def test_the_unit_table_shows_each_rank_with_its_band(platform, browser):
    gateway = platform[0].gateway_url
    async with httpx.AsyncClient(base_url=gateway, headers=MINISTRY) as api:
        path = f"/api/v1/quality/rankings?scope=region&period={PERIOD}&view=published"
        ranked = [r for r in (await api.get(path)).json()["items"] if r["rank"] is not None]
    await browser.open()
    await browser.sign_in()
    for item in ranked:
        low, high = item["rank_interval"]
        cells = await browser.page.locator(
            f"tr[data-id='{item['scope_id']}'] td.num"
        ).all_text_contents()
        shown = str(item["rank"]) if low == high else f"{item['rank']} ({low}–{high})"
        assert shown in cells


async def test_a_person_signs_in_through_the_identity_provider_and_out_again(platform, browser):
    """The local provider `educluster up` starts: one click per role on its page, the code
    exchanged by the gateway, the dashboard signed in as that role; signing out ends the
    session at the provider too and asks again."""
    await browser.open()
    await browser.page.click("button.language[data-language=en]")
    await browser.page.wait_for_selector("#provider-sign-in", state="visible")
    await browser.page.click("#provider-sign-in")
    # The provider's page (its own, with a stylesheet from a CDN this machine cannot reach).
    await browser.page.click("button[name=sub][value=ministry]")
    await browser.ready("overview")
    browser.errors.clear()  # the provider page's failed stylesheet: not the dashboard's error
    assert browser.page.url == f"{browser.gateway}/#/"  # no code or state left in the address
    assert await browser.text("#access-state") == "Signed in with a token"
    assert await browser.page.is_visible("#live-control")  # the ministry's, from its claims
    token = await browser.page.evaluate("sessionStorage.getItem('educluster.token')")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["role"], claims["iss"]) == (
        "ministry",
        platform[0].env["EDUCLUSTER_OIDC_ISSUER"],
    )

    await browser.page.click("#sign-out")
    await browser.page.click("form[action$='/end_session/confirm'] button")
    await browser.page.wait_for_selector("#provider-sign-in", state="visible")
    browser.errors.clear()
    assert await browser.page.evaluate("sessionStorage.getItem('educluster.token')") is None


# --- an anonymous reader of public scores -----------------------------------------------------

PUBLIC_SCORES = {
    "EDUCLUSTER_GATEWAY_PUBLIC_SCORES": "true",
    "EDUCLUSTER_QUALITY_PUBLIC_SCORES": "true",
}


class TestAnonymousReader:
    """Public scores on, no token: the pages name what they show (the quality service's names
    of scored units, the frameworks' competency names) where they showed ids and codes."""

    @pytest.fixture(scope="class")
    @classmethod
    def platform(cls, tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
        """The module's data on a platform of its own, with public scores on (the browser
        fixture reads this one in this class)."""
        folder = tmp_path_factory.mktemp("public")
        with seeded_platform(folder, seed, PUBLIC_SCORES) as found:
            yield found

    async def test_institution_and_cluster_pages_show_names_without_a_token(
        self, platform, browser
    ):
        seeded = platform[1]
        big, cluster = seeded.institutions["big"], seeded.cluster["id"]
        async with httpx.AsyncClient(base_url=browser.gateway) as anonymous:
            # The registry stays closed to anonymous readers; the names and frameworks do not.
            assert (await anonymous.get("/api/v1/organizations")).status_code == 401
            (framework,) = (await anonymous.get("/api/v1/frameworks")).json()["items"]
        competency = {
            c["code"]: c["name"]["uz"] for d in framework["domains"] for c in d["competencies"]
        }

        await browser.open(f"#/institution/{big['id']}", view="institution")
        assert await browser.page.is_hidden("#token-panel")
        assert await browser.text("h1") == "Samarqand davlat universiteti"
        assert await browser.text(".subtitle a") == "Samarqand viloyati"  # the page speaks uz

        await browser.open(f"#/cluster/{cluster}", view="cluster")
        assert await browser.text("h1") == "Samarqand IT klasteri"
        rows = await browser.page.evaluate(
            "[...document.querySelectorAll('table.gaps tbody tr')]"
            ".map((row) => [row.dataset.code, row.cells[0].textContent])"
        )
        assert rows and all(name == competency[code] for code, name in rows)

        await browser.open("#/?show=institutions", view="overview")
        named = await browser.text(f"tr[data-id='{big['id']}']")
        assert "Samarqand davlat universiteti" in named
