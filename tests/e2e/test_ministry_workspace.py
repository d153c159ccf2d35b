"""The ministry's workspace of the dashboard (#/workspace/ministry…) in real headless Chromium,
on the four real services and a real broker.

The platform and its data are test_dashboard.py's (five institutions, six employers, two years
of assessments, an interim publication of each year), started for this module alone: the
ministry opens an official release of this year for review, an institution queries one of its
figures through the API, the ministry answers it in the page and publishes; it reads the
methodology, the integrity checks, records an exclusion, and pages through the audit trail; last
(every score is then recomputed) it publishes the next methodology version from the page.
What the page says is checked against what the API then holds.
"""

import re
from collections.abc import Iterator
from typing import get_args

import httpx
import pytest
from quality.entrypoints.schemas import IndicatorName, MethodologyChange, RoundingChange, Thresholds

from educluster.up import Launcher
from shared.contracts.catalogue.registry import EmploymentStatus
from tests.e2e import test_dashboard as dashboard
from tests.e2e.test_dashboard import MINISTRY, PERIOD, Browsed, Seeded, bearer
from tests.e2e.test_employer_workspace import changed, refused_requests, sign_in
from tests.e2e.workspace_checks import (
    DASHBOARD,
    fits_a_phone,
    focus_ring,
    translated_keys,
    used_keys,
)

# test_dashboard's Chromium page (with its console-error check), on this module's platform.
browser = dashboard.browser
TOKEN = MINISTRY["Authorization"].removeprefix("Bearer ")
HOME = f"#/workspace/ministry?period={PERIOD}"
PROGRAM_CHECKS = ("dominant_employer", "self_confirmed")
EMPLOYER_CHECKS = ("straight_lining", "burst", "single_institution", "severity")


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[tuple[Launcher, Seeded]]:
    """This module's platform (test_dashboard's browser fixture uses it by this name)."""
    with dashboard.seeded_platform(tmp_path_factory.mktemp("ministry"), dashboard.seed) as found:
        yield found


async def api_get(gateway: str, path: str, headers=MINISTRY):
    async with httpx.AsyncClient(base_url=gateway, headers=headers) as api:
        answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def english(browsed: Browsed, view: str) -> None:
    await browsed.page.click("button.language[data-language=en]")
    await browsed.ready(view)


async def test_the_ministry_opens_a_release_answers_a_query_and_publishes_it(platform, browser):
    gateway, seeded = platform[0].gateway_url, platform[1]
    page = browser.page
    await sign_in(browser, TOKEN, HOME, "ministry")
    assert await page.is_visible("#nav-ministry")
    assert await page.is_hidden("#nav-employer")
    assert await page.is_hidden("#period")  # the workspace has its own year
    assert await page.input_value("#min-ws-period") == str(PERIOD)
    # The period's publications as the API lists them: the seed's interim one.
    listed = await api_get(gateway, f"/api/v1/quality/publications?period={PERIOD}")
    shown = await page.evaluate(
        "[...document.querySelectorAll('table.min-ws-publications tbody tr')]"
        ".map((r) => [Number(r.dataset.number), r.dataset.status])"
    )
    assert shown == [[p["number"], p["status"]] for p in listed["items"]]
    assert [p["release"] for p in listed["items"]] == ["provisional"]
    await english(browser, "ministry")

    # An official release of the year, for review.
    await page.check("#min-ws-open-form input[name=kind][value=official]")
    await page.click("#min-ws-open-submit")
    await changed(browser, "ministry", "opened for review")
    listed = await api_get(gateway, f"/api/v1/quality/publications?period={PERIOD}")
    draft = listed["items"][0]
    assert (draft["status"], draft["kind"]) == ("draft", "official")
    number = draft["number"]
    row = f"table.min-ws-publications tr[data-number='{number}']"
    assert await page.get_attribute(row, "data-status") == "draft"
    assert await browser.count(f".min-ws-review[data-number='{number}']") == 1
    assert await browser.count("#min-ws-open-form") == 0  # one draft at a time

    # An institution queries one of its own figures, through the API.
    big = seeded.institutions["big"]["id"]
    async with httpx.AsyncClient(base_url=gateway) as api:
        filed = await api.post(
            f"/api/v1/quality/publications/{number}/queries",
            headers=bearer("institution", org=big),
            json={
                "scope": "organization",
                "scope_id": big,
                "indicator": "employer_satisfaction",
                "reason": "Two assessments of our graduates are missing",
            },
        )
    assert filed.status_code == 201, filed.text
    query = filed.json()
    await page.reload()
    await browser.ready("ministry")
    item = f"li.min-ws-query[data-query='{query['id']}']"
    assert await page.get_attribute(item, "data-answered") == "false"
    text = await browser.text(item)
    assert "Two assessments of our graduates are missing" in text
    assert "Samarqand davlat universiteti" in text and "Employer satisfaction" in text
    assert "Queries awaiting an answer: 1" in await browser.text(".min-ws-publish")

    # Publishing asks once more, then the API refuses while the query awaits its answer.
    await page.check("#min-ws-close-review")
    await page.click("#min-ws-publish")
    assert await page.is_hidden("#min-ws-publish")
    await page.click("#min-ws-publish-cancel")  # no: nothing happens
    assert await page.is_visible("#min-ws-publish")
    await page.click("#min-ws-publish")
    await page.click("#min-ws-publish-confirm")
    problem = ".min-ws-publish .form-problem"
    await page.wait_for_selector(problem, state="visible")
    assert "await an answer" in await browser.text(problem)
    refused_requests(browser, 409)
    assert (await api_get(gateway, f"/api/v1/quality/publications/{number}"))["status"] == "draft"

    # An empty answer is refused beside its field; then answered.
    await page.click(f"{item} button[type=submit]")
    await page.wait_for_selector(f"{item} [data-field=answer] .field-error", state="visible")
    refused_requests(browser, 422)
    await page.fill(f"{item} textarea", "Both are in the next release: they arrived late.")
    await page.click(f"{item} button[type=submit]")
    await changed(browser, "ministry", "Answer sent")
    assert await page.get_attribute(item, "data-answered") == "true"
    assert "arrived late" in await browser.text(item)
    (answered,) = await api_get(gateway, f"/api/v1/quality/publications/{number}/queries")
    assert answered["answer"] == "Both are in the next release: they arrived late."

    # Published, closing the review window early.
    await page.check("#min-ws-close-review")
    await page.click("#min-ws-publish")
    await page.click("#min-ws-publish-confirm")
    await changed(browser, "ministry", f"Publication no. {number} published")
    assert await page.get_attribute(row, "data-status") == "published"
    assert await browser.count(".min-ws-review") == 0
    stored = await api_get(gateway, f"/api/v1/quality/publications/{number}")
    assert (stored["status"], stored["release"]) == ("published", "official")


async def test_a_restatement_needs_a_reason_and_an_interim_publication_is_made_at_once(
    platform, browser
):
    gateway = platform[0].gateway_url
    page = browser.page
    cohort = PERIOD - 1
    await sign_in(browser, TOKEN, f"#/workspace/ministry?period={cohort}", "ministry")
    await english(browser, "ministry")
    before = await api_get(gateway, f"/api/v1/quality/publications?period={cohort}")
    form = "#min-ws-open-form"
    # A restatement without its reason: refused beside the reason.
    await page.check(f"{form} input[name=kind][value=official]")
    await page.check("#min-ws-restate")
    await page.click("#min-ws-open-submit")
    error = f"{form} [data-field=reason] .field-error"
    await page.wait_for_selector(error, state="visible")
    assert "says why" in await browser.text(error)
    refused_requests(browser, 422)
    # With a reason, of a year never released officially: the API's refusal, stated.
    await page.fill(f"{form} [data-field=reason] textarea", "register corrections")
    await page.click("#min-ws-open-submit")
    problem = f"{form} .form-problem"
    await page.wait_for_selector(problem, state="visible")
    assert "no official release to restate" in await browser.text(problem)
    assert await page.is_hidden(error)
    refused_requests(browser, 409)
    after = await api_get(gateway, f"/api/v1/quality/publications?period={cohort}")
    assert after == before  # nothing made

    await page.uncheck("#min-ws-restate")
    await page.check("#min-ws-open-form input[name=kind][value=interim]")
    await page.click("#min-ws-open-submit")
    await changed(browser, "ministry", "Interim publication no.")
    listed = await api_get(gateway, f"/api/v1/quality/publications?period={cohort}")
    made = listed["items"][0]
    assert (made["kind"], made["status"]) == ("interim", "published")
    row = f"table.min-ws-publications tr[data-number='{made['number']}']"
    assert await page.get_attribute(row, "data-status") == "published"


async def test_the_methodology_is_shown_with_its_version_weights_and_thresholds(platform, browser):
    gateway = platform[0].gateway_url
    route = f"#/workspace/ministry/methodology?period={PERIOD}"
    await sign_in(browser, TOKEN, route, "ministry-methodology")
    current = await api_get(gateway, "/api/v1/quality/methodology")
    page = browser.page
    version = await page.get_attribute(".min-ws-methodology", "data-version")
    assert version == str(current["version"])
    weights = await page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('tr[data-weight]')]"
        ".map((r) => [r.dataset.weight, Number(r.dataset.value)]))"
    )
    assert weights == current["weights"]
    thresholds = await page.evaluate(
        "[...document.querySelectorAll('tr[data-threshold]')].map((r) => r.dataset.threshold)"
    )
    assert set(thresholds) == set(current["thresholds"])
    assert "POST /api/v1/quality/methodology" in await browser.text(".min-ws-methodology")


async def test_the_integrity_checks_and_an_exclusion_refused_without_a_reason_then_recorded(
    platform, browser
):
    gateway, seeded = platform[0].gateway_url, platform[1]
    page = browser.page
    route = f"#/workspace/ministry/integrity?period={PERIOD}&all=1"
    await sign_in(browser, TOKEN, route, "ministry-integrity")
    report = await api_get(gateway, f"/api/v1/assessments/integrity?period={PERIOD}")
    assert report["programs"] and report["employers"]
    for check in PROGRAM_CHECKS + EMPLOYER_CHECKS:
        rows = await page.evaluate(
            f"[...document.querySelectorAll(\"section.min-ws-check[data-check='{check}'] "
            'tbody tr")].map((r) => [r.dataset.id, r.dataset.flagged])'
        )
        units, key = (
            (report["programs"], "program_id")
            if check in PROGRAM_CHECKS
            else (report["employers"], "employer_id")
        )
        expected = {(u[key], str(u[check]["flagged"]).lower()) for u in units}
        assert set(map(tuple, rows)) == expected, check
    employer = seeded.employers[0]
    assert employer["name"] in await browser.text("section.min-ws-check[data-check=burst]")
    await english(browser, "ministry-integrity")

    # One of the first employer's assessments of this year, read as that employer would.
    headers = bearer("employer", org=employer["id"])
    mine = await api_get(gateway, f"/api/v1/assessments?period={PERIOD}&limit=1", headers)
    assessment = mine["items"][0]["id"]
    form = "#min-ws-exclude-form"
    await page.fill(f"{form} [data-field=assessment_id] input", assessment)
    await page.click(f"{form} button[type=submit]")
    error = f"{form} [data-field=reason] .field-error"
    await page.wait_for_selector(error, state="visible")
    assert await browser.text(error) == "Required."
    assert await page.get_attribute(f"{form} [data-field=reason] textarea", "aria-invalid")
    refused_requests(browser, 422)
    assert await api_get(gateway, "/api/v1/quality/exclusions") == []

    await page.fill(f"{form} [data-field=reason] textarea", "Rated before the graduate started")
    await page.click(f"{form} button[type=submit]")
    await changed(browser, "ministry-integrity", "Exclusion recorded")
    (recorded,) = await api_get(gateway, "/api/v1/quality/exclusions")
    assert (recorded["assessment_id"], recorded["reason"]) == (
        assessment,
        "Rated before the graduate started",
    )
    row = f"table.min-ws-exclusions tr[data-exclusion='{recorded['id']}']"
    assert "Rated before the graduate started" in await browser.text(row)


async def test_the_audit_trail_lists_the_registrys_entries_filtered_and_paged(platform, browser):
    gateway = platform[0].gateway_url
    page = browser.page
    await sign_in(browser, TOKEN, "#/workspace/ministry/audit", "ministry-audit")
    first = await api_get(gateway, "/api/v1/audit/registry?limit=20")
    seqs = await page.evaluate(
        "[...document.querySelectorAll('table.min-ws-audit tbody tr')].map((r) => r.dataset.seq)"
    )
    assert seqs == [str(entry["seq"]) for entry in first["items"]]
    top = f"table.min-ws-audit tr[data-seq='{first['items'][0]['seq']}']"
    assert first["items"][0]["action"] in await browser.text(top)
    assert first["items"][0]["subject"] in await browser.text(top)

    # Filtered by action, ten a page: the eleven organizations registered, on two pages.
    action = "educluster.registry.organization.registered.v1"
    form = "#min-ws-audit-form"
    await page.fill(f"{form} [data-field=action] input", action)
    await page.select_option(f"{form} [data-field=limit] select", "10")
    await page.click(f"{form} button[type=submit]")
    await browser.page.wait_for_function("location.hash.includes('action=')")
    await browser.ready("ministry-audit", route=await page.evaluate("location.hash"))
    wanted = await api_get(gateway, f"/api/v1/audit/registry?action={action}&limit=500")
    assert len(wanted["items"]) == 11
    rows = "table.min-ws-audit tbody tr"
    shown = await page.evaluate(
        f"[...document.querySelectorAll('{rows}')].map((r) => r.dataset.seq)"
    )
    assert shown == [str(e["seq"]) for e in wanted["items"][:10]]
    await page.click("#min-ws-audit-next")
    await browser.page.wait_for_function("location.hash.includes('cursor=')")
    await browser.ready("ministry-audit", route=await page.evaluate("location.hash"))
    shown = await page.evaluate(
        f"[...document.querySelectorAll('{rows}')].map((r) => r.dataset.seq)"
    )
    assert shown == [str(wanted["items"][10]["seq"])]
    assert await browser.count("#min-ws-audit-next") == 0  # the last page
    assert await page.input_value(f"{form} [data-field=action] input") == action

    # Another service's trail: the quality service's, with the ministry's own decisions.
    await page.select_option(f"{form} [data-field=service] select", "quality")
    await page.fill(f"{form} [data-field=action] input", "")
    await page.click(f"{form} button[type=submit]")
    await browser.page.wait_for_function("location.hash.includes('service=quality')")
    await browser.ready("ministry-audit", route=await page.evaluate("location.hash"))
    quality = await api_get(gateway, "/api/v1/audit/quality?limit=10")
    shown = await page.evaluate(
        f"[...document.querySelectorAll('{rows}')].map((r) => r.dataset.seq)"
    )
    assert shown == [str(e["seq"]) for e in quality["items"]]


async def test_an_employer_opening_the_ministry_workspace_is_told_it_is_for_the_ministry(
    platform, browser
):
    seeded = platform[1]
    token = bearer("employer", org=seeded.employers[0]["id"])["Authorization"].split()[1]
    for route, view in (
        ("#/workspace/ministry", "ministry"),
        ("#/workspace/ministry/integrity", "ministry-integrity"),
        ("#/workspace/ministry/audit", "ministry-audit"),
    ):
        if route == "#/workspace/ministry":
            await sign_in(browser, token, route, view)
        else:
            await browser.open(route, view=view)
        assert await browser.page.is_hidden("#nav-ministry")
        assert await browser.page.is_visible("#nav-employer")  # its own workspace
        assert "faqat vazirlik" in await browser.text("#view")
        assert await browser.count(".min-ws form, .min-ws table") == 0
    assert browser.errors == []  # nothing was asked of an API it may not call


async def test_the_workspace_fits_a_phone_and_is_operable_from_the_keyboard(platform, browser):
    page = browser.page
    await page.set_viewport_size({"width": 375, "height": 800})
    await sign_in(browser, TOKEN, HOME, "ministry")
    for route, view in (
        (HOME, "ministry"),
        (f"#/workspace/ministry/methodology?period={PERIOD}", "ministry-methodology"),
        (f"#/workspace/ministry/integrity?period={PERIOD}&all=1", "ministry-integrity"),
        ("#/workspace/ministry/audit", "ministry-audit"),
    ):
        await browser.open(route, view=view)
        await fits_a_phone(page, route)
    # The tabs, the year and the forms are reached with Tab, each with a visible focus ring.
    await browser.open(HOME, view="ministry")
    await page.focus(".min-ws .workspace-tabs a")
    reached = set()
    for _ in range(8):  # three more tabs, the year, then the form's kind, restate, reason, button
        await page.keyboard.press("Tab")
        reached.add((await focus_ring(page, "id"))[0])
    assert {"min-ws-period", "min-ws-restate", "min-ws-open-submit"} <= reached
    # The audit's next page from the keyboard.
    await browser.open("#/workspace/ministry/audit", view="ministry-audit")
    await page.focus("#min-ws-audit-next")
    await page.keyboard.press("Enter")
    await page.wait_for_function("location.hash.includes('cursor=')")
    await browser.ready("ministry-audit", route=await page.evaluate("location.hash"))


def test_every_label_of_the_workspace_is_in_each_language():
    keys = translated_keys(re.compile(r"min_ws\.|nav\.ministry$"))
    used = {"nav.ministry"} | used_keys(
        r'"(min_ws\.[\w.]+)"',
        "min_workspace.js",
        "min_publications.js",
        "min_integrity.js",
        "min_audit.js",
    )
    # Keys built from a value: every value the API can give.
    checks = PROGRAM_CHECKS + EMPLOYER_CHECKS
    used |= {f"min_ws.check.{c}" for c in checks} | {f"min_ws.check_explain.{c}" for c in checks}
    used |= {f"min_ws.status.{s}" for s in ("draft", "published")}
    used |= {f"min_ws.kind.{k}" for k in ("official", "interim")}
    used |= {f"min_ws.service.{s}" for s in ("registry", "assessment", "quality")}
    assert len(used) > 80
    assert used - keys == set()


# --- publishing the next methodology version from the page (issue 18) ----------------------

METHODOLOGY = "#/workspace/ministry/methodology"
M_FORM = "#min-ws-m-form"


def m_field(path: str) -> str:
    """The form's field for the API's ``path`` ("thresholds.min_share_n")."""
    return f"{M_FORM} [data-field='{path}']"


async def prefilled(page) -> dict:
    """The form's number fields by their API path, as numbers."""
    return await page.evaluate(
        f"Object.fromEntries([...document.querySelectorAll('{M_FORM} input[data-path]')]"
        ".map((i) => [i.dataset.path, Number(i.value)]))"
    )


async def test_the_ministry_publishes_the_next_methodology_version_with_only_what_it_changed(
    platform, browser
):
    gateway = platform[0].gateway_url
    page = browser.page
    await sign_in(browser, TOKEN, METHODOLOGY, "ministry-methodology")
    await english(browser, "ministry-methodology")
    before = await api_get(gateway, "/api/v1/quality/methodology")
    # Every field holds the version in force.
    shown = await prefilled(page)
    for path, value in shown.items():
        name, _, member = path.partition(".")
        expected = before[name].get(member, 0) if member else before[name]
        assert value == expected, path
    assert {p.partition(".")[2] for p in shown if p.startswith("thresholds.")} == set(
        before["thresholds"]
    )
    states = await page.evaluate(
        f"[...document.querySelectorAll('{M_FORM} input[name=counting_employment_states]"
        ":checked')].map((b) => b.value)"
    )
    assert sorted(states) == sorted(before["counting_employment_states"])
    satisfied = m_field("satisfied_threshold") + " select"
    assert await page.input_value(satisfied) == str(before["satisfied_threshold"])

    # Nothing changed: the page says so, asks nothing and sends nothing.
    await page.click("#min-ws-m-publish")
    assert "nothing was sent" in await browser.text("#min-ws-m-unchanged")
    assert await page.is_hidden("#min-ws-m-publish-confirm")
    assert await api_get(gateway, "/api/v1/quality/methodology") == before

    # The interval level and one threshold, published from the keyboard after the question.
    minimum = before["thresholds"]["min_share_n"] + 2
    await page.fill(f"{m_field('interval_level')} input", "0.95")
    await page.fill(f"{m_field('thresholds.min_share_n')} input", str(minimum))
    await page.focus("#min-ws-m-publish")
    await page.keyboard.press("Enter")
    question = await browser.text(f"{M_FORM} .confirm")
    assert f"version {before['version'] + 1}" in question
    assert "Interval level" in question and "Small-cell thresholds" in question
    assert (await focus_ring(page, "id"))[0] == "min-ws-m-publish-confirm"
    async with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/quality/methodology")
    ) as posted:
        await page.keyboard.press("Enter")
    thresholds = {**before["thresholds"], "min_share_n": minimum}  # a group is sent whole
    assert (await posted.value).post_data_json == {
        "interval_level": 0.95,
        "thresholds": thresholds,
    }
    await changed(browser, "ministry-methodology", f"version {before['version'] + 1} published")
    after = await api_get(gateway, "/api/v1/quality/methodology")
    assert after == {
        **before,
        "version": before["version"] + 1,
        "interval_level": 0.95,
        "thresholds": thresholds,
    }
    assert await page.get_attribute(".min-ws-methodology", "data-version") == str(after["version"])
    assert (await prefilled(page))["interval_level"] == 0.95  # the form now holds the new one


async def test_a_methodology_value_the_service_refuses_is_shown_beside_its_field(platform, browser):
    gateway = platform[0].gateway_url
    page = browser.page
    await sign_in(browser, TOKEN, METHODOLOGY, "ministry-methodology")
    await english(browser, "ministry-methodology")
    await page.set_viewport_size({"width": 375, "height": 800})
    before = await api_get(gateway, "/api/v1/quality/methodology")

    # A number left empty: said beside it, and neither asked nor sent.
    await page.fill(f"{m_field('outcome_lag_days')} input", "")
    await page.click("#min-ws-m-publish")
    assert await browser.text(f"{m_field('outcome_lag_days')} .field-error") == "Required."
    assert await page.is_hidden("#min-ws-m-publish-confirm")
    await page.fill(f"{m_field('outcome_lag_days')} input", str(before["outcome_lag_days"]))

    # The API's model allows 3 assessments for a share; the service's floor is 5.
    threshold = m_field("thresholds.min_share_n")
    await page.fill(f"{threshold} input", "3")
    await page.click("#min-ws-m-publish")
    await page.click("#min-ws-m-publish-confirm")
    await page.wait_for_selector(f"{threshold} .field-error", state="visible")
    assert "may not be below 5" in await browser.text(f"{threshold} .field-error")
    assert await page.get_attribute(f"{threshold} input", "aria-invalid") == "true"
    assert await page.evaluate("document.activeElement.dataset.path") == "thresholds.min_share_n"
    assert await page.is_hidden(f"{m_field('interval_level')} .field-error")
    refused_requests(browser, 422)
    assert await api_get(gateway, "/api/v1/quality/methodology") == before  # nothing written
    assert await page.get_attribute(".min-ws-methodology", "data-version") == str(before["version"])
    await fits_a_phone(page, METHODOLOGY)


def test_the_methodology_form_has_every_field_of_the_api_labelled_in_each_language():
    source = (DASHBOARD / "min_methodology.js").read_text()

    def listed(name: str) -> list[str]:
        return re.findall(r'"(\w+)"', re.search(rf"const {name} = \[(.*?)\];", source)[1])

    # The form's fields are the API's change (only 1 may be the published weight share).
    labelled = dict(re.findall(r'^  (\w+): "(min_ws\.[\w.]+)",$', source, re.M))
    assert set(labelled) == set(MethodologyChange.model_fields) - {"min_published_weight_share"}
    weighted = re.findall(r"\w+", IndicatorName.__metadata__[0].metadata[0].pattern)
    assert listed("WEIGHTED") == weighted
    assert listed("THRESHOLDS") == list(Thresholds.model_fields)
    assert listed("ROUNDING") == list(RoundingChange.model_fields)
    assert set(listed("STATES")) == set(get_args(EmploymentStatus))
    keys = translated_keys(re.compile(r"min_ws\.|indicator\.|employment_state\."))
    used = used_keys(r'"(min_ws\.[\w.]+)"', "min_methodology.js") | set(labelled.values())
    # Keys built from a name: every name the API takes.
    used |= {f"indicator.{name}" for name in weighted}
    used |= {f"min_ws.threshold.{name}" for name in Thresholds.model_fields}
    used |= {f"min_ws.m.{name}" for name in RoundingChange.model_fields}
    used |= {f"employment_state.{state}" for state in get_args(EmploymentStatus)}
    assert len(used) > 30
    assert used - keys == set()
