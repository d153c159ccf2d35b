"""An employer's whole journey in real headless Chromium (issue 18): from signing in through
the local identity provider `educluster up` starts to one employee's assessment submitted, and
on into the quality figures.

The platform starts as in test_dashboard.py (whose browser fixture and helpers are reused);
its own small seed, through the gateway's API: one university's program with three graduates,
each employed by one employer (confirmed), one of them assessed already this year; the
provider gets a user for that employer, as docs/identity.md has an administrator add one.
Every interaction of the person goes through a small counting wrapper: the test bounds the
count and prints it with an estimate of the person's time by the keystroke-level model.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from educluster.up import Launcher
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import (  # the platform as test_dashboard starts it
    MINISTRY,
    PERIOD,
    _post,
    _post_once_known,
    bearer,
)
from tests.e2e.test_employer_workspace import _employ, changed
from tests.support import eventually

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser
NAMES = ("Aziza Karimova", "Bobur Toshev", "Dilnoza Rahimova")
PROVIDER_USER = "employer-1"  # what the person types on the provider's page
# The keystroke-level model's operators (Card, Moran & Newell, 1980), in seconds: K a keystroke
# of an average non-secretary typist, P pointing with the mouse, B a button press or release,
# H moving a hand between keyboard and mouse, M mentally preparing (one per decision). A scroll
# has no operator of its own: counted as one P (a wheel flick, finding one's place again).
OPERATOR_S = {"K": 0.28, "P": 1.1, "B": 0.1, "H": 0.4, "M": 1.35}
# Besides one click per question: the provider's sign-in (a click, the user typed, Enter), the
# way to the form (the workspace, the employee) and the submission, with a little to spare.
AROUND_THE_FORM = 10


@dataclass
class Seeded:
    employer: dict = field(default_factory=dict)
    program: dict = field(default_factory=dict)
    graduates: list[dict] = field(default_factory=list)
    framework: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return bearer("employer", org=self.employer["id"])


def _scorecard_path(seeded: Seeded) -> str:
    return f"/api/v1/quality/program/{seeded.program['id']}?period={PERIOD}&view=live"


async def _assessed(api: httpx.AsyncClient, seeded: Seeded) -> int:
    """How many assessments the program's live scorecard of this year counts (0: none yet)."""
    answer = await api.get(_scorecard_path(seeded), headers=MINISTRY)
    if answer.status_code == 404:
        return 0
    assert answer.status_code == 200, answer.text
    return int(answer.json()["indicators"]["employer_satisfaction"]["n"])


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
                "tax_id": "201000051",
            },
        )
        seeded.program = await _post(
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
        seeded.employer = await _post(
            api,
            "/api/v1/organizations",
            {
                "kind": "employer",
                "subtype": "J",
                "name": "IT Park rezidenti",
                "region_code": "UZ-SA",
                "tax_id": "301000051",
            },
        )
        for index, name in enumerate(NAMES):
            graduate = await _post(
                api,
                "/api/v1/graduates",
                {
                    "program_id": seeded.program["id"],
                    "graduation_year": PERIOD - 1,
                    "student_ref": f"journey-{index:03d}",
                    "full_name": name,
                },
            )
            seeded.graduates.append(graduate)
            employment = await _employ(api, seeded.employer, graduate)
            confirm = f"/api/v1/employments/{employment['id']}/confirm"
            confirmed = await api.post(confirm, headers=MINISTRY)
            assert confirmed.status_code == 200, confirmed.text
        listed = await eventually(
            lambda: api.get("/api/v1/frameworks", headers=MINISTRY),
            until=lambda r: r.status_code == 200 and bool(r.json()["items"]),
            what="the default framework published",
        )
        seeded.framework = listed.json()["items"][0]
        # Another employee assessed already: the program has figures before the journey.
        already = {
            "employer_id": seeded.employer["id"],
            "graduate_id": seeded.graduates[2]["id"],
            "period": PERIOD,
            "framework_id": seeded.framework["id"],
            "ratings": {"foundation.oral_communication": 4},
            "overall_satisfaction": 4,
            "preparedness": 4,
            "would_hire_again": True,
        }
        await _post_once_known(api, "/api/v1/assessments", already, headers=seeded.headers)
        await eventually(
            lambda: _assessed(api, seeded),
            until=lambda n: n == 1,
            interval_s=0.2,
            what="the program scored",
        )
    return seeded


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name), with a
    user of the local provider acting for the seeded employer."""
    folder = tmp_path_factory.mktemp("journey")
    with dashboard.seeded_platform(folder, seed) as (launcher, seeded):
        issuer = launcher.env["EDUCLUSTER_OIDC_ISSUER"]
        claims = {"role": "employer", "org": seeded.employer["id"], "name": "IT Park HR"}
        added = httpx.put(f"{issuer}/users/{PROVIDER_USER}", json=claims, timeout=10)
        assert added.status_code < 300, added.text
        yield launcher, seeded


class Person:
    """The page as a person uses it: every click, typed field, key and scroll is counted, with
    the keystroke-level operators it takes."""

    def __init__(self, page) -> None:
        self.page = page
        self.counted: Counter[str] = Counter()
        self.operators: list[str] = []
        self.hand = "mouse"

    def _to(self, device: str) -> None:
        if self.hand != device:
            self.operators.append("H")
            self.hand = device

    async def _scroll_to(self, target) -> None:
        """Scroll a screen at a time, as a person would, until ``target`` is wholly in view."""
        await target.wait_for(state="visible")
        height = self.page.viewport_size["height"]
        while True:
            box = await target.bounding_box()
            if box and box["y"] >= 0 and box["y"] + box["height"] <= height:
                return
            down = box is None or box["y"] > 0
            moved = await self.page.evaluate(
                "(down) => { const from = scrollY;"
                " scrollBy(0, (down ? 0.8 : -0.8) * innerHeight); return scrollY !== from; }",
                down,
            )
            if not moved:  # as far as the page goes: the click itself shows the rest
                return
            self.counted["scroll"] += 1
            self.operators.append("P")

    async def click(self, selector: str) -> None:
        target = self.page.locator(selector)
        await self._scroll_to(target)
        self._to("mouse")
        self.counted["click"] += 1
        self.operators += ["M", "P", "B", "B"]
        await target.click()

    async def type(self, selector: str, text: str) -> None:
        """Type into a field that has the focus already (else it is clicked first)."""
        target = self.page.locator(selector)
        if not await target.evaluate("(e) => e === document.activeElement"):
            await self.click(selector)
        self._to("keyboard")
        self.counted["typed field"] += 1
        self.operators += ["M", *"K" * len(text)]
        await target.press_sequentially(text)

    async def press(self, key: str) -> None:
        self._to("keyboard")
        self.counted["key"] += 1
        self.operators.append("K")
        await self.page.keyboard.press(key)

    @property
    def interactions(self) -> int:
        """Clicks, typed fields and keys (scrolls are reported apart)."""
        return sum(n for kind, n in self.counted.items() if kind != "scroll")

    def estimated_s(self) -> float:
        return sum(OPERATOR_S[operator] for operator in self.operators)


def rating_of(index: int) -> str:
    """The rating the person gives the competency at ``index`` of the form (4, 5, 3, 4, …)."""
    return "453"[index % 3]


async def test_an_employer_signs_in_and_assesses_an_employee_into_the_quality_figures(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    page, person = browser.page, Person(browser.page)
    graduate = seeded.graduates[0]["id"]
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as api:
        before = await _assessed(api, seeded)

    await browser.open()
    await person.click("#provider-sign-in")
    # The provider's page: a user added while it runs has no button; its name is typed.
    await person.type("input[name=sub]", PROVIDER_USER)
    await person.press("Enter")
    await browser.ready("overview")
    browser.errors.clear()  # the provider page's failed stylesheet: not the dashboard's error
    await person.click("#nav-employer")
    await browser.ready("employer")
    await person.click(f".reminders-panel li[data-graduate='{graduate}'] a")
    await browser.ready("employer-assess")
    assert await browser.text("h2.employee-name") == NAMES[0]

    codes = await page.evaluate(
        "[...document.querySelectorAll('fieldset.competency')].map((f) => f.dataset.field)"
    )
    framework = [c["code"] for d in seeded.framework["domains"] for c in d["competencies"]]
    assert codes == [f"ratings.{code}" for code in framework]
    for index, code in enumerate(codes):
        await person.click(
            f'fieldset[data-field="{code}"] input[value="{rating_of(index)}"] + label'
        )
    overall = ("overall_satisfaction", "preparedness", "would_hire_again")
    for name, value in zip(overall, ("4", "4", "yes"), strict=True):
        await person.click(f'fieldset[data-field="{name}"] input[value="{value}"] + label')
    await person.click("#assessment-submit")
    await changed(browser, "employer-assess", "Baholash yuborildi (tahrir 1)")
    assert await page.get_attribute(".assessment-state", "data-status") == "active"

    async with httpx.AsyncClient(base_url=gateway, headers=seeded.headers, timeout=10) as api:
        listed = await api.get(f"/api/v1/assessments?graduate_id={graduate}&period={PERIOD}")
    (stored,) = listed.json()["items"]
    assert stored["ratings"] == {
        code: int(rating_of(index)) for index, code in enumerate(framework)
    }
    assert (stored["overall_satisfaction"], stored["would_hire_again"]) == (4, True)

    bound = len(codes) + len(overall) + AROUND_THE_FORM
    estimate = person.estimated_s()
    print(
        f"\nemployer journey: {person.interactions} interactions "
        f"({dict(person.counted)}; bound {bound}); "
        f"estimated person-time {estimate:.0f} s by the keystroke-level model "
        f"(K {OPERATOR_S['K']} s, P {OPERATOR_S['P']} s, B {OPERATOR_S['B']} s, "
        f"H {OPERATOR_S['H']} s, M {OPERATOR_S['M']} s; reading not included)"
    )
    assert person.interactions <= bound

    # The quality service counts it: the program's live figures, as the ministry reads them.
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as api:
        await eventually(
            lambda: _assessed(api, seeded),
            until=lambda n: n == before + 1,
            interval_s=0.2,
            what="the assessment in the program's figures",
        )
