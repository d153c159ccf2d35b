"""``educluster up --demo`` / ``educluster demo``: a realistic synthetic region set, loaded
through the public API (gateway) exactly as clients would load it.

Three regions, four universities each with three programs, employers, one cluster per region,
two graduation cohorts imported as CSV, employments, employers' requirements, and this year's
assessments. Every program has a latent quality; employers rate with noise around it, so the
published scores, rankings and funnel plots have something true to find. Deterministic (seeded).
"""

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings

REGIONS = ("UZ-TO", "UZ-SA", "UZ-FA")
FIELDS = (("0613", "Dasturiy injiniring"), ("0413", "Menejment"), ("0714", "Elektronika"))
SECTORS = ("J", "K", "C", "M")
FRAMEWORK_CODES = (
    "foundation.oral_communication",
    "foundation.written_communication",
    "adaptive.applying_knowledge",
    "collaborative.teamwork",
    "technical.professional_knowledge",
    "technical.tools_and_technologies",
    "employability.initiative",
    "digital.information_data_literacy",
)
GRADUATES_PER_COHORT = 25


@dataclass
class Demo:
    client: httpx.AsyncClient
    auth: AuthSettings
    rng: random.Random
    say: Callable[[str], None]
    tax_ids: int = 200000001
    employers: dict[str, list[str]] = field(default_factory=dict)  # region -> employer ids
    quality: dict[str, float] = field(default_factory=dict)  # program id -> latent quality

    def headers(self, role: str = "ministry", org: str | None = None) -> dict[str, str]:
        token = mint_token(self.auth, role=role, org=org, sub=f"demo-{role}-{org or 'all'}")
        return {"Authorization": f"Bearer {token}"}

    def next_tax_id(self, first_digit: int) -> str:
        self.tax_ids += 1
        return f"{first_digit}{self.tax_ids % 100000000:08d}"

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; waits and retries while a projection catches up (409 + Retry-After)."""
        for _ in range(60):
            response = await self.client.request(method, path, **kwargs)
            if response.status_code == 409 and "Retry-After" in response.headers:
                await asyncio.sleep(float(response.headers["Retry-After"]) / 5)
                continue
            if response.status_code >= 400:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
            return response.json()
        raise RuntimeError(f"{method} {path}: the projection did not catch up")


async def _organization(demo: Demo, *, kind: str, subtype: str, region: str, name: str) -> str:
    body = {
        "kind": kind,
        "subtype": subtype,
        "name": name,
        "region_code": region,
        "tax_id": demo.next_tax_id(2 if kind == "education" else 3),
    }
    created = await demo.call("POST", "/api/v1/organizations", headers=demo.headers(), json=body)
    return str(created["id"])


async def _university(demo: Demo, region: str, number: int) -> tuple[str, list[str]]:
    institution = await _organization(
        demo,
        kind="education",
        subtype="university",
        region=region,
        name=f"{region} University {number}",
    )
    programs = []
    for code, (field_code, name) in enumerate(FIELDS, start=1):
        program = await demo.call(
            "POST",
            "/api/v1/programs",
            headers=demo.headers(),
            json={
                "institution_id": institution,
                "code": f"60{field_code}{number}{code:02d}",
                "name": name,
                "level": "6",
                "field_code": field_code,
                "language": "uz",
            },
        )
        programs.append(program["id"])
        demo.quality[program["id"]] = demo.rng.uniform(0.45, 0.95)
    return institution, programs


async def _graduates(demo: Demo, institution: str, programs: list[str]) -> list[dict[str, Any]]:
    this_year = date.today().year
    rows = ["student_ref,full_name,program_id,graduation_year"]
    for program in programs:
        for cohort in (this_year - 2, this_year - 1):
            for i in range(GRADUATES_PER_COHORT):
                rows.append(f"{program[-6:]}-{cohort}-{i:03d},Bitiruvchi {i},{program},{cohort}")
    await demo.call(
        "POST",
        f"/api/v1/graduates/import?institution_id={institution}",
        headers={**demo.headers(), "Content-Type": "text/csv"},
        content="\n".join(rows) + "\n",
    )
    graduates, cursor = [], None
    while True:
        query = f"&cursor={cursor}" if cursor else ""
        page = await demo.call(
            "GET",
            f"/api/v1/graduates?limit=500&institution_id={institution}{query}",
            headers=demo.headers(),
        )
        graduates += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return graduates


def _rating(rng: random.Random, quality: float) -> int:
    """A 1..5 rating around a latent quality (0..1): good programs earn 4s and 5s more often."""
    if rng.random() < quality:
        return rng.choice((4, 4, 5))
    return rng.choice((1, 2, 3, 3))


async def _employ_and_assess(demo: Demo, region: str, graduates: list[dict[str, Any]]) -> int:
    framework = (await demo.call("GET", "/api/v1/frameworks", headers=demo.headers()))["items"][0]
    by_employer: dict[str, list[dict[str, Any]]] = {}
    for graduate in graduates:
        if demo.rng.random() > 0.7:
            continue  # not (yet) employed
        employer = demo.rng.choice(demo.employers[region])
        await demo.call(
            "POST",
            "/api/v1/employments",
            headers=demo.headers(),
            json={
                "graduate_id": graduate["id"],
                "employer_id": employer,
                "start_date": f"{graduate['graduation_year']}-09-01",
                "position": "Mutaxassis",
                "isco_code": "2512",
                "in_field": demo.rng.random() < 0.75,
            },
        )
        quality = demo.quality[graduate["program_id"]]
        by_employer.setdefault(employer, []).append(
            {
                "employer_id": employer,
                "graduate_id": graduate["id"],
                "period": date.today().year,
                "framework_id": framework["id"],
                "ratings": {c: _rating(demo.rng, quality) for c in FRAMEWORK_CODES},
                "overall_satisfaction": _rating(demo.rng, quality),
                "preparedness": _rating(demo.rng, quality - 0.05),
                "would_hire_again": demo.rng.random() < quality,
            }
        )
    for employer, items in by_employer.items():
        await demo.call(
            "POST",
            "/api/v1/assessments/bulk",
            headers=demo.headers("employer", employer),
            json={"items": items},
        )
    return sum(len(items) for items in by_employer.values())


async def _region(demo: Demo, region: str) -> None:
    demo.employers[region] = [
        await _organization(
            demo,
            kind="employer",
            subtype=sector,
            region=region,
            name=f"{region} {sector} employer {i}",
        )
        for i, sector in enumerate(SECTORS * 2)
    ]
    universities = [await _university(demo, region, n) for n in range(1, 5)]
    coordinator = universities[0][0]
    cluster = await demo.call(
        "POST",
        "/api/v1/clusters",
        headers=demo.headers(),
        json={
            "name": f"{region} IT cluster",
            "region_code": region,
            "sectors": ["J"],
            "coordinator_id": coordinator,
        },
    )
    for organization, role in (
        (universities[1][0], "education"),
        *((e, "employer") for e in demo.employers[region][:3]),
    ):
        await demo.call(
            "POST",
            f"/api/v1/clusters/{cluster['id']}/members",
            headers=demo.headers(),
            json={"organization_id": organization, "role": role},
        )
    framework = (await demo.call("GET", "/api/v1/frameworks", headers=demo.headers()))["items"][0]
    for employer in demo.employers[region][:4]:
        await demo.call(
            "POST",
            "/api/v1/requirements",
            headers=demo.headers("employer", employer),
            json={
                "employer_id": employer,
                "field_code": "0613",
                "framework_id": framework["id"],
                "importance": {c: demo.rng.randint(2, 5) for c in FRAMEWORK_CODES},
            },
        )
    assessed = 0
    for institution, programs in universities:
        graduates = await _graduates(demo, institution, programs)
        assessed += await _employ_and_assess(demo, region, graduates)
    demo.say(f"demo: {region}: 4 universities, 12 programs, {assessed} assessments")


async def load_demo(
    base_url: str, *, secret: str, say: Callable[[str], None], seed: int = 2026
) -> None:
    """Load the demo set through the API at ``base_url`` (the gateway)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        demo = Demo(
            client=client, auth=AuthSettings(secret=secret), rng=random.Random(seed), say=say
        )
        for region in REGIONS:
            await _region(demo, region)
    say("demo: loaded; scores appear within seconds")
