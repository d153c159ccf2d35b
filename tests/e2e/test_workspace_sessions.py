"""Sessions inside the workspaces of the dashboard, in real headless Chromium, on the four real
services and a real broker.

The platform starts as in test_dashboard.py (whose browser fixture and helpers are reused),
verifying tokens without leeway (so a token is refused the moment it expires) and reading the
identity provider's claims where a Keycloak realm would put them (``educluster.role``,
``educluster.org``); its own small seed, as the ministry through the gateway's API: a
university with a program and two graduates, an employer that employs one (confirmed) and
claims the other's employment, and a cluster the university coordinates.

For each workspace (employer, institution, ministry, cluster coordinator) a person signs in
with a token that expires seconds later and works on. When the page's clock says the token has
expired, the page ends the session and asks to sign in again, saying why, whatever is done
next; when the page's clock is behind (a device set a few minutes slow) the API refuses the
token first, and the page does the same then, at whatever the person did (opening a page,
sending a form). An assessment in progress is a draft on the device: it is there again after
the new sign-in.
"""

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from educluster.up import Launcher
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_coordinator_workspace import _organization
from tests.e2e.test_dashboard import COHORT, MINISTRY, PERIOD, SECRET, Browsed, _post, bearer
from tests.e2e.test_employer_workspace import _employ, radio, refused_requests
from tests.support import eventually

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser
SETTINGS = {
    # A token is refused as soon as it expires, so the tests need not wait out the leeway.
    "EDUCLUSTER_JWT_LEEWAY_S": "0",
    # Where a Keycloak realm's mappers put them (docs/identity.md).
    "EDUCLUSTER_OIDC_ROLE_CLAIM": "educluster.role",
    "EDUCLUSTER_OIDC_ORG_CLAIM": "educluster.org",
}
# Long enough to sign in and open a workspace on a busy machine, short enough to wait out.
LIFETIME_S = 15
# A device whose clock is this far behind holds on to an expired token until the API refuses it.
SLOW_CLOCK_S = 600
EXPIRED = "Your session has expired: sign in again."


@dataclass
class Seeded:
    university: dict = field(default_factory=dict)
    employer: dict = field(default_factory=dict)
    graduates: list[dict] = field(default_factory=list)
    claimed: dict = field(default_factory=dict)  # an employment the university may confirm
    cluster: dict = field(default_factory=dict)


async def seed(gateway: str) -> Seeded:
    seeded = Seeded()
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        seeded.university = await _organization(
            api, "education", "university", "Samarqand davlat universiteti", "201000031"
        )
        seeded.employer = await _organization(
            api, "employer", "J", "IT Park rezidenti", "301000031"
        )
        program = await _post(
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
        for index, name in enumerate(("Aziza Karimova", "Bobur Toshev")):
            graduate = {
                "program_id": program["id"],
                "graduation_year": COHORT,
                "student_ref": f"ss-{index:03d}",
                "full_name": name,
            }
            seeded.graduates.append(await _post(api, "/api/v1/graduates", graduate))
        employed = await _employ(api, seeded.employer, seeded.graduates[0])
        confirmed = await api.post(
            f"/api/v1/employments/{employed['id']}/confirm", headers=MINISTRY
        )
        assert confirmed.status_code == 200, confirmed.text
        seeded.claimed = await _employ(api, seeded.employer, seeded.graduates[1])
        seeded.cluster = await _post(
            api,
            "/api/v1/clusters",
            {
                "name": "Samarqand IT klasteri",
                "region_code": "UZ-SA",
                "sectors": ["J"],
                "coordinator_id": seeded.university["id"],
            },
        )
        await _post(
            api,
            f"/api/v1/clusters/{seeded.cluster['id']}/members",
            {"organization_id": seeded.employer["id"], "role": "employer"},
        )
        # The assessment form needs the framework; the goals page, the cluster known to quality.
        await eventually(
            lambda: api.get("/api/v1/frameworks", headers=MINISTRY),
            until=lambda r: r.status_code == 200 and bool(r.json()["items"]),
            what="the default framework published",
        )
        await eventually(
            lambda: api.get(
                f"/api/v1/quality/clusters/{seeded.cluster['id']}/goals/progress",
                headers=bearer("institution", org=seeded.university["id"]),
            ),
            until=lambda r: r.status_code == 200,
            interval_s=0.2,
            what="the cluster known to the quality service",
        )
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name)."""
    with dashboard.seeded_platform(tmp_path_factory.mktemp("sessions"), seed, SETTINGS) as found:
        yield found


@dataclass(frozen=True)
class Workspace:
    """A workspace as its user opens it: who signs in, its first page, another of its pages,
    and something sent from a form (``act``, at ``form``)."""

    role: str
    org: str | None  # the Seeded field naming the organization the token acts for
    nav: str
    home: str  # route; {cluster} is the seeded cluster's id
    home_view: str
    next: str
    next_view: str
    form: str
    form_view: str
    act: str  # what sends the form: a selector to click


WORKSPACES = {
    "employer": Workspace(
        "employer",
        "employer",
        "#nav-employer",
        "#/employer",
        "employer",
        "#/employer/requirements",
        "employer-requirements",
        "#/employer/assess/{graduate}?period={period}",
        "employer-assess",
        "#assessment-submit",
    ),
    "institution": Workspace(
        "institution",
        "university",
        "#nav-institution",
        "#/workspace/institution",
        "inst-ws",
        "#/workspace/institution/confirmations",
        "inst-ws-confirmations",
        "#/workspace/institution/confirmations",
        "inst-ws-confirmations",
        "li.claim[data-employment='{claimed}'] button.confirm",
    ),
    "ministry": Workspace(
        "ministry",
        None,
        "#nav-ministry",
        "#/workspace/ministry?period={period}",
        "ministry",
        "#/workspace/ministry/methodology",
        "ministry-methodology",
        "#/workspace/ministry?period={period}",
        "ministry",
        "#min-ws-open-submit",
    ),
    "cluster coordinator": Workspace(
        "institution",
        "university",
        "#nav-coordinator",
        "#/workspace/cluster/{cluster}",
        "coord-members",
        "#/workspace/cluster/{cluster}/goals",
        "coord-goals",
        "#/workspace/cluster/{cluster}/goals",
        "coord-goals",
        "#goal-submit",
    ),
}


def filled(template: str, seeded: Seeded) -> str:
    return template.format(
        cluster=seeded.cluster["id"],
        graduate=seeded.graduates[0]["id"],
        claimed=seeded.claimed["id"],
        period=PERIOD,
    )


def token(workspace: Workspace, seeded: Seeded, lifetime_s: int = 3600) -> tuple[str, float]:
    """A token of the workspace's user, and when it expires."""
    org = getattr(seeded, workspace.org)["id"] if workspace.org else None
    settings = AuthSettings(secret=SECRET)
    sub = f"e2e-session-{workspace.role}"
    minted = mint_token(settings, role=workspace.role, org=org, sub=sub, ttl_s=lifetime_s)
    return minted, time.time() + lifetime_s


async def sign_in(browsed: Browsed, token: str, route: str, view: str) -> None:
    """Open ``route`` (in English), which asks for a token first, and paste ``token``."""
    await browsed.open(route)
    await browsed.page.click("button.language[data-language=en]")
    await paste(browsed, token, view)


async def paste(browsed: Browsed, token: str, view: str) -> None:
    await browsed.page.wait_for_selector("#token-input", state="visible")
    await browsed.page.fill("#token-input", token)
    await browsed.page.click("#token-submit")
    await browsed.ready(view)


def in_time(expires: float) -> None:
    """The workspace opened before the token expired (else the test proves nothing)."""
    if time.time() >= expires - 1:
        pytest.fail(f"the workspace took longer than the token's {LIFETIME_S} s to open")


async def asks_to_sign_in_again(browsed: Browsed, route: str, nav: str) -> None:
    """The page at ``route`` asks to sign in again, says the session expired, shows nothing of
    the workspace and puts the focus on the sign-in."""
    page = browsed.page
    await page.wait_for_function(
        "(route) => document.body.dataset.state === 'token' && document.body.dataset.route === route",
        arg=route,
    )
    assert await page.is_visible("#session-expired")
    assert await browsed.text("#session-expired") == EXPIRED
    assert await page.get_attribute("#session-expired", "role") == "alert"
    assert await page.is_hidden("#token-error")  # not "refused": it expired
    assert await page.evaluate("document.getElementById('view').childElementCount") == 0
    assert await page.is_hidden(nav)
    assert await page.evaluate("document.activeElement.id") == "provider-sign-in"
    assert await page.evaluate("sessionStorage.getItem('educluster.token')") is None


async def api_get(path: str, gateway: str, headers: dict[str, str]) -> dict:
    async with httpx.AsyncClient(base_url=gateway, headers=headers) as api:
        answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- the session expires while the page is open ----------------------------------------------


@pytest.mark.parametrize("name", WORKSPACES)
async def test_at_its_expiry_a_workspace_asks_to_sign_in_again_whatever_is_done_next(
    platform, browser, name
):
    seeded, workspace = platform[1], WORKSPACES[name]
    home, next_page = filled(workspace.home, seeded), filled(workspace.next, seeded)
    short, expires = token(workspace, seeded, LIFETIME_S)
    await sign_in(browser, short, home, workspace.home_view)
    in_time(expires)
    assert await browser.page.is_visible(workspace.nav)

    await browser.page.wait_for_selector("#session-expired", timeout=(LIFETIME_S + 10) * 1000)
    await asks_to_sign_in_again(browser, home, workspace.nav)

    # On to another page of the workspace (a link, the address, going back): still the prompt.
    await browser.page.evaluate("(route) => { window.location.hash = route; }", next_page)
    await asks_to_sign_in_again(browser, next_page, workspace.nav)

    # Signed in again, the person is where they went.
    await paste(browser, token(workspace, seeded)[0], workspace.next_view)
    assert await browser.page.is_hidden("#session-expired")
    assert await browser.page.is_visible(workspace.nav)


# --- the page's clock is behind: the API refuses the token first -------------------------------


@pytest.mark.parametrize("name", WORKSPACES)
async def test_a_token_the_api_refuses_ends_the_session_at_whatever_the_person_does(
    platform, browser, name
):
    seeded, workspace = platform[1], WORKSPACES[name]
    home, form = filled(workspace.home, seeded), filled(workspace.form, seeded)
    page = browser.page
    await page.clock.install(time=time.time() - SLOW_CLOCK_S)
    short, expires = token(workspace, seeded, LIFETIME_S)
    await sign_in(browser, short, home, workspace.home_view)
    in_time(expires)
    if form != home:
        await page.evaluate("(route) => { window.location.hash = route; }", form)
        await browser.ready(workspace.form_view, route=form)
        in_time(expires)
    await asyncio.sleep(expires - time.time() + 1)  # the page still thinks it has minutes

    await page.click(filled(workspace.act, seeded))
    await asks_to_sign_in_again(browser, form, workspace.nav)
    refused_requests(browser, 401)

    await paste(browser, token(workspace, seeded)[0], workspace.form_view)
    assert await page.is_visible(workspace.nav)


# --- nothing half-done is lost: the assessment form's draft -----------------------------------

ANSWERS = (
    ("rating:foundation.oral_communication", "4"),
    ("rating:foundation.numeracy", "not_observed"),
    ("overall_satisfaction", "4"),
    ("would_hire_again", "yes"),
)
COMMENT = "Yaxshi ishlaydi, jamoada faol"


async def fill_in_part(browsed: Browsed) -> None:
    for name, value in ANSWERS:
        await browsed.page.check(radio(name, value))
    await browsed.page.fill("#assessment-form textarea[name=comment]", COMMENT)


async def restored(browsed: Browsed) -> None:
    for name, value in ANSWERS:
        assert await browsed.page.is_checked(radio(name, value)), name
    assert await browsed.page.input_value("#assessment-form textarea[name=comment]") == COMMENT
    assert (await browsed.text(".draft-state")).startswith("Draft from this device restored")


async def test_an_assessment_in_progress_is_there_again_after_the_session_expired(
    platform, browser
):
    gateway, seeded, workspace = platform[0].gateway_url, platform[1], WORKSPACES["employer"]
    form = filled(workspace.form, seeded)
    short, expires = token(workspace, seeded, LIFETIME_S)
    await sign_in(browser, short, form, "employer-assess")
    await fill_in_part(browser)
    in_time(expires)

    await browser.page.wait_for_selector("#session-expired", timeout=(LIFETIME_S + 10) * 1000)
    await asks_to_sign_in_again(browser, form, workspace.nav)
    await paste(browser, token(workspace, seeded)[0], "employer-assess")
    await restored(browser)
    graduate = seeded.graduates[0]["id"]
    path = f"/api/v1/assessments?graduate_id={graduate}&period={PERIOD}"
    employer = {"Authorization": f"Bearer {token(workspace, seeded)[0]}"}
    assert (await api_get(path, gateway, employer))["items"] == []  # kept on the device, never sent


async def test_an_assessment_the_api_refused_for_an_expired_token_is_kept_as_a_draft(
    platform, browser
):
    gateway, seeded, workspace = platform[0].gateway_url, platform[1], WORKSPACES["employer"]
    form = filled(workspace.form, seeded)
    page = browser.page
    await page.clock.install(time=time.time() - SLOW_CLOCK_S)
    short, expires = token(workspace, seeded, LIFETIME_S)
    await sign_in(browser, short, form, "employer-assess")
    await fill_in_part(browser)
    in_time(expires)
    await asyncio.sleep(expires - time.time() + 1)

    await page.click("#assessment-submit")
    await asks_to_sign_in_again(browser, form, workspace.nav)
    refused_requests(browser, 401)
    await paste(browser, token(workspace, seeded)[0], "employer-assess")
    await restored(browser)
    graduate = seeded.graduates[0]["id"]
    path = f"/api/v1/assessments?graduate_id={graduate}&period={PERIOD}"
    employer = {"Authorization": f"Bearer {token(workspace, seeded)[0]}"}
    assert (await api_get(path, gateway, employer))["items"] == []


# --- the identity provider's claims, where it is configured to put them ----------------------


async def test_a_provider_token_with_the_configured_claim_names_opens_its_workspace(
    platform, browser
):
    """The provider puts role and organization under ``educluster`` (a Keycloak realm's
    mappers, docs/identity.md); the services read them there, and so does the page."""
    launcher, seeded = platform
    issuer = launcher.env["EDUCLUSTER_OIDC_ISSUER"]
    claims = {"educluster": {"role": "employer", "org": seeded.employer["id"]}, "name": "HR"}
    async with httpx.AsyncClient(timeout=10) as provider:
        added = await provider.put(f"{issuer}/users/employer-nested", json=claims)
    assert added.status_code < 300, added.text

    await browser.open("#/employer")
    await browser.page.click("button.language[data-language=en]")
    await browser.page.wait_for_selector("#provider-sign-in", state="visible")
    await browser.page.click("#provider-sign-in")
    await browser.page.fill("input[name=sub]", "employer-nested")  # on the provider's page
    await browser.page.click("button[type=submit]:has-text('Authorize')")
    await browser.ready("employer", route="#/employer")
    browser.errors.clear()  # the provider page's failed stylesheet: not the dashboard's error
    token_claims = await browser.page.evaluate(
        "JSON.parse(atob(sessionStorage.getItem('educluster.token').split('.')[1]"
        ".replace(/-/g, '+').replace(/_/g, '/')))"
    )
    assert "role" not in token_claims and token_claims["iss"] == issuer
    assert await browser.page.is_visible("#nav-employer")
    employee = f"tr[data-graduate='{seeded.graduates[0]['id']}']"
    assert await browser.count(employee) == 1  # its employees, read with the provider's token
