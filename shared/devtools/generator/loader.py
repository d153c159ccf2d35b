"""Loading a world through the gateway, region by region, as its users would enter it.

The ministry registers the organizations and clusters, each institution its programs and a CSV
file of its graduates, each employer the graduates it employs, its requirements and, in bulk,
its assessments; a cluster's coordinator states the cluster's requirements. Every creation
carries an Idempotency-Key derived from the world (size, seed) and the entity, so a rerun
creates nothing twice: the API answers it with the first outcome.
"""

import asyncio
import csv
import io
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Iterable
from typing import Any

from shared.devtools.generator.api import Answer, Api
from shared.devtools.generator.progress import Progress
from shared.devtools.generator.records import (
    Assessment,
    Cluster,
    Graduate,
    Organization,
    Program,
    Requirement,
)
from shared.devtools.generator.world import World

BULK_SIZE = 200  # assessments a request: a short write for SQLite's one writer
BULKS_AT_ONCE = 16  # bulk requests drawn and held before they are sent
# Institutions whose graduates are in memory, and employed, at the same time. Each confirms its
# graduates' employments under its own rate limit at the gateway (20/s by default): with two
# at once the demo's loading waited out hundreds of 429s.
INSTITUTIONS_AT_ONCE = 8
KINDS = {
    "university": "universities",
    "college": "colleges",
    "technikum": "technikums",
    "employer": "employers",
    "research": "research institutes",
    "private": "private partners",
}


def kind_of(organization: Organization) -> str:
    """The summary's name for the organization's kind: universities, employers..."""
    if organization.kind == "education":
        return KINDS[organization.subtype]
    return KINDS[organization.kind]


class Loader:
    """Sends one world through ``api``; ``created`` and ``existing`` (answered from an earlier
    run) count what was sent by kind, ``seconds`` the time spent on each phase."""

    def __init__(self, api: Api, world: World, *, framework_id: str, progress: Progress) -> None:
        self.api, self.world, self.framework_id = api, world, framework_id
        self.progress = progress
        self.ids: dict[str, str] = {}  # world key -> id, for organizations, programs, clusters
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()  # not sent: what they refer to failed
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self._institutions = asyncio.Semaphore(INSTITUTIONS_AT_ONCE)

    def key(self, *parts: object) -> str:
        return "/".join(["generator", self.world.tag, *map(str, parts)])

    async def run(self) -> None:
        for region in self.world.regions:
            await self._timed("registry", self._structure(region.code))
            graduate_ids: dict[str, str] = {}
            people = (self._people(i, graduate_ids) for i in self.world.institutions(region.code))
            await self._timed("graduates and employments", _all(people))
            requirements = (self._requirement(r) for r in self.world.requirements(region.code))
            await self._timed("requirements", _all(requirements))
            await self._timed("assessments", self._assessments(region.code, graduate_ids))

    async def _timed(self, phase: str, work: Awaitable[Any]) -> None:
        started = time.monotonic()
        await work
        self.seconds[phase] += time.monotonic() - started

    def _count(
        self, kind: str, answer: Answer | None, count: int = 1, *, shown_as: str = ""
    ) -> None:
        """``count`` of ``kind`` sent: created, or there from an earlier run."""
        if answer is not None:
            (self.existing if answer.replayed else self.created)[kind] += count
            self.progress.add(shown_as or kind, count)

    # --- registry: organizations, programs, clusters ------------------------------------------

    async def _structure(self, region_code: str) -> None:
        await _all(self._organization(o) for o in self.world.organizations(region_code))
        institutions = self.world.institutions(region_code)
        await _all(self._program(p) for i in institutions for p in self.world.programs(i.key))
        await _all(self._cluster(c) for c in self.world.clusters(region_code))

    async def _organization(self, organization: Organization) -> None:
        body = {
            "kind": organization.kind,
            "subtype": organization.subtype,
            "name": organization.name,
            "region_code": organization.region_code,
            "tax_id": organization.tax_id,
        }
        answer = await self.api.send(
            "POST", "/api/v1/organizations", key=self.key(organization.key), json=body
        )
        if answer is not None:
            self.ids[organization.key] = answer.body["id"]
        self._count(kind_of(organization), answer, shown_as="organizations")

    async def _program(self, program: Program) -> None:
        institution_id = self.ids.get(program.institution_key)
        if institution_id is None:
            self.skipped["programs"] += 1
            return
        body = {
            "institution_id": institution_id,
            "code": program.code,
            "name": program.name,
            "level": program.level,
            "field_code": program.field_code,
            "language": program.language,
        }
        answer = await self.api.send(
            "POST",
            "/api/v1/programs",
            role="institution",
            org=institution_id,
            key=self.key(program.key),
            json=body,
        )
        if answer is not None:
            self.ids[program.key] = answer.body["id"]
        self._count("programs", answer)

    async def _cluster(self, cluster: Cluster) -> None:
        members = {m.organization_key: self.ids.get(m.organization_key) for m in cluster.members}
        if members[cluster.coordinator_key] is None:
            self.skipped["clusters"] += 1
            return
        body = {
            "name": cluster.name,
            "region_code": cluster.region_code,
            "sectors": list(cluster.sectors),
            "coordinator_id": members[cluster.coordinator_key],
        }
        answer = await self.api.send(
            "POST", "/api/v1/clusters", key=self.key(cluster.key), json=body
        )
        self._count("clusters", answer)
        if answer is None:
            return
        cluster_id = self.ids[cluster.key] = answer.body["id"]
        self._count("cluster members", answer)  # its coordinator
        path = f"/api/v1/clusters/{cluster_id}/members"
        joined: set[str] = set()
        if answer.replayed:  # joining is no creation with a key: who joined already is asked
            present = await self.api.pages(f"{path}?include_history=false")
            joined = {m["organization_id"] for m in present or []}
        for member in cluster.members:
            organization_id = members[member.organization_key]
            if member.role == "coordinator":
                continue  # joined as the cluster was created
            if organization_id is None:
                self.skipped["cluster members"] += 1
            elif organization_id in joined:
                self.existing["cluster members"] += 1
            else:
                body = {"organization_id": organization_id, "role": member.role}
                if member.joined_on is not None:
                    body["joined_on"] = member.joined_on.isoformat()
                self._count("cluster members", await self.api.send("POST", path, json=body))

    # --- people: graduates (a CSV file per institution) and their employments ------------------

    async def _people(self, institution: Organization, graduate_ids: dict[str, str]) -> None:
        institution_id = self.ids.get(institution.key)
        async with self._institutions:
            graduates = list(self.world.graduates(institution.key))
            if not graduates:
                return
            if institution_id is None:
                self.skipped["graduates"] += len(graduates)
                return
            known = await self._import(institution_id, graduates)
            for graduate in graduates:
                if graduate.student_ref in known:
                    graduate_ids[graduate.key] = known[graduate.student_ref]
            await _all(
                self._employment(g, graduate_ids[g.key], institution_id)
                for g in graduates
                if g.employment is not None and g.key in graduate_ids
            )

    async def _import(self, institution_id: str, graduates: list[Graduate]) -> dict[str, str]:
        """Sends the institution's graduates as one CSV file; their ids by student_ref."""
        rows = io.StringIO()
        sheet = csv.writer(rows, lineterminator="\n")
        sheet.writerow(("student_ref", "full_name", "program_id", "graduation_year"))
        for g in graduates:
            if g.program_key in self.ids:
                sheet.writerow(
                    (g.student_ref, g.full_name, self.ids[g.program_key], g.graduation_year)
                )
            else:
                self.skipped["graduates"] += 1
        answer = await self.api.send(
            "POST",
            f"/api/v1/graduates/import?institution_id={institution_id}",
            role="institution",
            org=institution_id,
            csv=rows.getvalue(),
        )
        if answer is None:
            return {}
        # Importing again changes nothing: the rows already there come back as unchanged.
        self.created["graduates"] += answer.body["created"]
        self.existing["graduates"] += answer.body["rows"] - answer.body["created"]
        self.progress.add("graduates", answer.body["rows"])
        listed = await self.api.pages(
            f"/api/v1/graduates?institution_id={institution_id}",
            role="institution",
            org=institution_id,
        )
        return {g["student_ref"]: g["id"] for g in listed or []}

    async def _employment(self, graduate: Graduate, graduate_id: str, institution_id: str) -> None:
        """The employer records the employment, then the institution confirms it (a claim alone
        counts nowhere); confirming again on a re-run changes nothing."""
        job = graduate.employment
        assert job is not None
        employer_id = self.ids.get(job.employer_key)
        if employer_id is None:
            self.skipped["employments"] += 1
            return
        body = {
            "graduate_id": graduate_id,
            "employer_id": employer_id,
            "start_date": job.start_date.isoformat(),
            "position": job.position,
            "isco_code": job.isco_code,
            "in_field": job.in_field,
        }
        answer = await self.api.send(
            "POST",
            "/api/v1/employments",
            role="employer",
            org=employer_id,
            key=self.key("employment", graduate.key),
            json=body,
        )
        if answer is None:
            return
        confirmed = await self.api.send(
            "POST",
            f"/api/v1/employments/{answer.body['id']}/confirm",
            role="institution",
            org=institution_id,
        )
        self._count("employments", confirmed and answer)

    # --- assessment: requirements and assessments ---------------------------------------------

    async def _requirement(self, requirement: Requirement) -> None:
        speaker = self.ids.get(requirement.speaker_key)
        owner = requirement.employer_key or requirement.cluster_key or ""
        if speaker is None or owner not in self.ids:
            self.skipped["requirements"] += 1
            return
        body: dict[str, Any] = {
            "field_code": requirement.field_code,
            "framework_id": self.framework_id,
            "importance": dict(requirement.importance),
        }
        body["employer_id" if requirement.employer_key else "cluster_id"] = self.ids[owner]
        answer = await self.api.send(
            "POST",
            "/api/v1/requirements",
            role="employer" if requirement.employer_key else "institution",
            org=speaker,
            key=self.key(requirement.key),
            json=body,
        )
        self._count("requirements", answer)

    async def _assessments(self, region_code: str, graduate_ids: dict[str, str]) -> None:
        """Each employer's assessments of the region in bulks of up to BULK_SIZE (across
        periods: fewer, fuller requests), a few bulks in flight at a time."""
        pending: dict[str, list[Assessment]] = {}
        bulks: Counter[str] = Counter()
        sending: list[Awaitable[None]] = []

        def send(employer_key: str) -> None:
            chunk = pending.pop(employer_key)
            sending.append(self._bulk(employer_key, bulks[employer_key], chunk, graduate_ids))
            bulks[employer_key] += 1

        for assessment in self.world.assessments(region_code):
            pending.setdefault(assessment.employer_key, []).append(assessment)
            if len(pending[assessment.employer_key]) == BULK_SIZE:
                send(assessment.employer_key)
            if len(sending) >= BULKS_AT_ONCE:
                await _all(sending)
                sending.clear()
        for employer_key in list(pending):
            send(employer_key)
        await _all(sending)

    async def _bulk(
        self, employer_key: str, n: int, chunk: list[Assessment], graduate_ids: dict[str, str]
    ) -> None:
        employer_id = self.ids.get(employer_key)
        items = [self._item(a, employer_id, graduate_ids) for a in chunk]
        sendable = [item for item in items if item is not None]
        self.skipped["assessments"] += len(items) - len(sendable)
        if not sendable or employer_id is None:
            return
        answer = await self.api.send(
            "POST",
            "/api/v1/assessments/bulk",
            role="employer",
            org=employer_id,
            # What is drawn for a period depends on the world's year: a key per year.
            key=self.key("assessments", self.world.calendar.year, employer_key, n),
            json={"items": sendable},
        )
        self._count("assessments", answer, len(sendable))

    def _item(
        self, assessment: Assessment, employer_id: str | None, graduate_ids: dict[str, str]
    ) -> dict[str, Any] | None:
        graduate_id = graduate_ids.get(assessment.graduate_key)
        if employer_id is None or graduate_id is None:
            return None
        return {
            "employer_id": employer_id,
            "graduate_id": graduate_id,
            "period": assessment.period,
            "framework_id": self.framework_id,
            "ratings": dict(assessment.ratings),
            "overall_satisfaction": assessment.overall_satisfaction,
            "preparedness": assessment.preparedness,
            "would_hire_again": assessment.would_hire_again,
        }


async def _all(work: Iterable[Awaitable[Any]]) -> None:
    await asyncio.gather(*work)
