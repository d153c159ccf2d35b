"""A small world for assessment benchmarks, seeded through the services' own APIs.

One institution, program and employer, N graduates (CSV import), an open employment of each by
the employer and one assessment per graduate for their graduation year; every call is retried
(same Idempotency-Key) until the assessment service's projection knows what it names.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from educluster.up import Launcher
from shared.platform.auth import mint_token
from shared.platform.auth_settings import AuthSettings

THIS_YEAR = date.today().year
COHORT = THIS_YEAR - 2  # graduated, employed and first assessed two years ago
PERIODS = (THIS_YEAR - 1, THIS_YEAR)  # what the writers submit in phase B
BULK = "/api/v1/assessments/bulk"
SEED_CONCURRENCY = 8
MAX_ATTEMPTS = 30  # per request, before it is given up
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Seeded:
    assessment: str  # the service's base URL
    employer: dict[str, str]  # the employer's request headers
    employer_id: str
    graduate_ids: list[str]
    framework_id: str
    codes: list[str]  # the framework's competency codes


# --- seeding, through the services' APIs ------------------------------------------------------


async def _call(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> Any:
    """One call, retried after the advised delay while refused for now (409/503 with
    Retry-After: a projection catching up, a busy database)."""
    for _ in range(MAX_ATTEMPTS):
        response = await client.request(method, path, **kwargs)
        if response.status_code in (409, 503) and "Retry-After" in response.headers:
            await asyncio.sleep(float(response.headers["Retry-After"]))
            continue
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()
    raise RuntimeError(f"{method} {path}: still refused after {MAX_ATTEMPTS} attempts")


async def every_page(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = await _call(client, "GET", f"{path}&limit=500{cursor}")
        items += page["items"]
        if not page["next_cursor"]:
            return items
        cursor = f"&cursor={page['next_cursor']}"


def _step(what: str, started: float) -> None:
    print(f"seed: {what} in {time.perf_counter() - started:.1f} s", flush=True)


async def _graduates(registry: httpx.AsyncClient, n: int) -> list[str]:
    where = {"region_code": "UZ-TO", "name": "Bench university", "subtype": "university"}
    body = where | {"kind": "education", "tax_id": "200000001"}
    institution = (await _call(registry, "POST", "/api/v1/organizations", json=body))["id"]
    body = {"institution_id": institution, "code": "60610100", "name": "Dasturiy injiniring"}
    body |= {"level": "6", "field_code": "0613"}
    program = (await _call(registry, "POST", "/api/v1/programs", json=body))["id"]
    rows = ["student_ref,full_name,program_id,graduation_year"]
    rows += [f"B-{i:06d},Bitiruvchi {i},{program},{COHORT}" for i in range(n)]
    await _call(
        registry,
        "POST",
        f"/api/v1/graduates/import?institution_id={institution}",
        headers={"Content-Type": "text/csv"},
        content="\n".join(rows) + "\n",
    )
    graduates = await every_page(registry, f"/api/v1/graduates?institution_id={institution}")
    return [graduate["id"] for graduate in graduates]


async def _employ(registry: httpx.AsyncClient, employer_id: str, graduate_ids: list[str]) -> None:
    slots = asyncio.Semaphore(SEED_CONCURRENCY)
    job: dict[str, Any] = {"employer_id": employer_id, "start_date": f"{COHORT}-09-01"}
    job |= {"position": "Dasturchi", "isco_code": "2512", "in_field": True}

    async def employ(graduate_id: str) -> None:
        async with slots:
            body = job | {"graduate_id": graduate_id}
            employment = await _call(registry, "POST", "/api/v1/employments", json=body)
            # Only a confirmed employment makes its employer eligible to assess.
            await _call(registry, "POST", f"/api/v1/employments/{employment['id']}/confirm")

    await asyncio.gather(*(employ(graduate_id) for graduate_id in graduate_ids))


async def _framework(assessment: httpx.AsyncClient) -> tuple[str, list[str]]:
    """The default framework (the assessment service publishes it as it starts)."""
    for _ in range(int(TIMEOUT_S / 0.2)):
        if items := (await _call(assessment, "GET", "/api/v1/frameworks"))["items"]:
            codes = [c["code"] for d in items[0]["domains"] for c in d["competencies"]]
            return items[0]["id"], codes
        await asyncio.sleep(0.2)
    raise RuntimeError("the assessment service published no framework")


async def seed(launcher: Launcher, secret: str, *, graduates: int, bulk: int) -> Seeded:
    auth = AuthSettings(secret=secret)
    ministry = {"Authorization": f"Bearer {mint_token(auth, role='ministry', sub='bench')}"}
    url = {service: f"http://127.0.0.1:{port}" for service, port in launcher.ports.items()}
    options: dict[str, Any] = {"timeout": TIMEOUT_S}
    async with (
        httpx.AsyncClient(base_url=url["registry"], headers=ministry, **options) as registry,
        httpx.AsyncClient(base_url=url["assessment"], headers=ministry, **options) as assessment,
    ):
        started = time.perf_counter()
        body = {"kind": "employer", "subtype": "J", "name": "Bench employer", "tax_id": "300000001"}
        employer = await _call(
            registry, "POST", "/api/v1/organizations", json=body | {"region_code": "UZ-TO"}
        )
        graduate_ids = await _graduates(registry, graduates)
        _step(f"1 institution, 1 program, 1 employer, {len(graduate_ids):,} graduates", started)
        started = time.perf_counter()
        await _employ(registry, employer["id"], graduate_ids)
        _step(f"{len(graduate_ids):,} confirmed employments, {SEED_CONCURRENCY} at a time", started)
        framework_id, codes = await _framework(assessment)
        token = mint_token(auth, role="employer", org=employer["id"], sub="bench-employer")
        seeded = Seeded(
            assessment=url["assessment"],
            employer={"Authorization": f"Bearer {token}"},
            employer_id=employer["id"],
            graduate_ids=graduate_ids,
            framework_id=framework_id,
            codes=codes,
        )
        started = time.perf_counter()
        for batch in batches(seeded, periods=(COHORT,), size=bulk):
            items = {"items": batch}
            await _call(assessment, "POST", BULK, json=items, headers=seeded.employer)
        _step(f"{len(graduate_ids):,} assessments for {COHORT}, once projected", started)
    return seeded


def batches(seeded: Seeded, *, periods: tuple[int, ...], size: int) -> list[list[dict[str, Any]]]:
    items = [
        {
            "employer_id": seeded.employer_id,
            "graduate_id": graduate_id,
            "period": period,
            "framework_id": seeded.framework_id,
            "ratings": {code: 1 + (n + i) % 5 for i, code in enumerate(seeded.codes)},
            "overall_satisfaction": 1 + n % 5,
            "preparedness": 1 + (n + 2) % 5,
            "would_hire_again": n % 3 != 0,
        }
        for period in periods
        for n, graduate_id in enumerate(seeded.graduate_ids)
    ]
    return [items[i : i + size] for i in range(0, len(items), size)]
