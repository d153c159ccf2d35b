"""In-memory fakes of the quality service's repositories and unit of work (no database).

Each fake subclasses the real port; stored values are copied in and out (tallies as JSON), so
a use case that mutates what it read changes nothing until it saves, as with the database.
The read-side fake answers from the fake projection; employment outcomes are given, not
counted (``FakeScoringQueries.outcomes``; the counting states asked for are kept in
``counted_states``).
"""

import copy
from collections.abc import AsyncIterator, Collection, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from quality.adapters.repositories import (
    AlertFilter,
    AlertRepository,
    AssessmentStateRepository,
    CellRepository,
    ClusterWorkRepository,
    DirtyMarkRepository,
    ExclusionRepository,
    FrameworkRepository,
    MethodologyRepository,
    PublicationRepository,
    RankingRow,
    RegistryProjectionRepository,
    ReleaseBacklogRepository,
    RequirementRepository,
    Row,
    ScoreFilter,
    ScoreReader,
    ScoreRepository,
    ScoringQueries,
)
from quality.domain.cells import ScopeTally
from quality.domain.flows import CensusJob, Employer
from quality.domain.model import (
    Alert,
    Card,
    CountedAssessment,
    Exclusion,
    Families,
    Mark,
    ProgramKind,
    Requirement,
    ScopeKey,
    StoredScore,
)
from quality.domain.outcomes import OutcomeCounts, census_date
from quality.domain.publication import (
    CellKey,
    FigureKey,
    FigureQuery,
    Kind,
    PendingChanges,
    Publication,
    ReleasedCell,
)
from quality.domain.ranking import RANKED_BY, UNRANKED, Place
from quality.service_layer.unit_of_work import AbstractQualityUnitOfWork

from shared.platform.db.keyset import Page, decode_cursor, encode_cursor
from tests.unit.fakes import FakeUnitOfWork


def _page(items: list[Any], key: str, *, limit: int, cursor: str | None) -> Page[Any]:
    """A keyset page of ``items`` sorted by their ``key``, as fetch_page pages rows."""
    after = decode_cursor(cursor)
    ordered = sorted(items, key=lambda item: _get(item, key))
    rest = [i for i in ordered if after is None or str(_get(i, key)) > after][: limit + 1]
    more = len(rest) > limit
    rest = rest[:limit]
    return Page(items=rest, next_cursor=encode_cursor(str(_get(rest[-1], key))) if more else None)


def _get(item: Any, key: str) -> Any:
    return item[key] if isinstance(item, dict) else getattr(item, key)


class FakeAssessmentStates(AssessmentStateRepository):
    def __init__(self) -> None:
        self.rows: dict[str, CountedAssessment] = {}

    async def get(self, assessment_id: str) -> CountedAssessment | None:
        return copy.deepcopy(self.rows.get(assessment_id))

    async def save(self, counted: CountedAssessment) -> None:
        self.rows[counted.assessment_id] = copy.deepcopy(counted)

    async def active_of_employer(self, employer_id: str) -> AsyncIterator[CountedAssessment]:
        for counted in list(self.rows.values()):
            if counted.active and counted.state.get("employer_id") == employer_id:
                yield copy.deepcopy(counted)

    async def active_of_period(self, period: int) -> AsyncIterator[CountedAssessment]:
        for counted in list(self.rows.values()):
            if counted.active and counted.state.get("period") == period:
                yield copy.deepcopy(counted)


class FakeExclusions(ExclusionRepository):
    def __init__(self) -> None:
        self.rows: list[Exclusion] = []

    async def add(self, exclusion: Exclusion) -> None:
        self.rows.append(exclusion)

    async def covers(self, *, assessment_id: str, employer_id: str) -> bool:
        return any(
            (e.assessment_id, e.employer_id) in ((assessment_id, None), (None, employer_id))
            for e in self.rows
        )

    async def all(self) -> list[Exclusion]:
        return list(self.rows)


class FakeCells(CellRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], dict[str, Any]] = {}  # (program, period) → tally JSON

    async def get(self, program_id: str, period: int) -> ScopeTally | None:
        stored = self.rows.get((program_id, period))
        return None if stored is None else ScopeTally.from_json(stored)

    async def save(self, tally: ScopeTally, *, program_id: str, period: int) -> None:
        self.rows[(program_id, period)] = tally.to_json()

    async def in_years(self, years: range) -> dict[CellKey, ScopeTally]:
        return {k: ScopeTally.from_json(t) for k, t in self.rows.items() if k[1] in years}

    async def by_program(
        self, years: range, programs: Collection[str] | None = None
    ) -> dict[str, ScopeTally]:
        found = {
            p
            for (p, period) in self.rows
            if period in years and (programs is None or p in programs)
        }
        return {p: await self.combined({p}, years) for p in found}

    async def combined(self, program_ids: Collection[str], years: range) -> ScopeTally:
        return ScopeTally.combine(
            ScopeTally.from_json(t)
            for (p, period), t in self.rows.items()
            if p in program_ids and period in years
        )


class FakeScores(ScoreRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, int, bool], StoredScore] = {}

    async def get(self, key: ScopeKey, *, period: int, pooled: bool) -> StoredScore | None:
        return self.rows.get((*key, period, pooled))

    async def cards(self, *, period: int, pooled: bool) -> dict[ScopeKey, Card]:
        return {
            s.key: copy.deepcopy(s.card)
            for s in self.rows.values()
            if s.period == period and s.pooled == pooled
        }

    async def save(self, score: StoredScore) -> None:
        self.rows[(score.scope, score.scope_id, score.period, score.pooled)] = score

    async def delete(self, key: ScopeKey, *, period: int, pooled: bool) -> None:
        self.rows.pop((*key, period, pooled), None)

    async def save_ranks(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        ranks: Mapping[str, Place],
        units: Collection[str] | None = None,
    ) -> None:
        for (kind, scope_id, at, pool), score in list(self.rows.items()):
            if units is not None and scope_id not in units:
                continue
            if (kind, at, pool) == (scope, period, pooled):
                place = ranks.get(scope_id, UNRANKED)
                stored = replace(score, rank=place.rank, rank_low=place.low, rank_high=place.high)
                self.rows[(kind, scope_id, at, pool)] = stored

    async def written(self, *, period: int, pooled: bool) -> tuple[int, str]:
        of_period = [s for s in self.rows.values() if (s.period, s.pooled) == (period, pooled)]
        return len(of_period), max((s.computed_at.isoformat() for s in of_period), default="")

    async def claim_publication(self) -> bool:
        return True

    async def hold_publication(self) -> None:
        return None

    async def periods(self) -> list[int]:
        return sorted({s.period for s in self.rows.values()})

    async def latest_period(self, key: ScopeKey) -> int | None:
        return max((s.period for s in self.rows.values() if s.key == key), default=None)

    async def history(self, key: ScopeKey, *, pooled: bool) -> list[StoredScore]:
        mine = [s for s in self.rows.values() if s.key == key and s.pooled == pooled]
        return sorted(mine, key=lambda s: s.period)

    async def of_scope(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[StoredScore]:
        if region is not None:
            raise NotImplementedError("the fake does not narrow scores by region")
        return [
            s
            for s in self.rows.values()
            if s.scope == scope and s.period == period and s.pooled == pooled
        ]

    async def ranking_rows(
        self, scope: str, *, period: int, pooled: bool, region: str | None = None
    ) -> list[RankingRow]:
        return [
            RankingRow(
                s.scope_id,
                copy.deepcopy(s.card["indicators"][RANKED_BY]),
                Place(s.rank, s.rank_low, s.rank_high),
            )
            for s in await self.of_scope(scope, period=period, pooled=pooled, region=region)
        ]

    async def page(
        self,
        scope: str,
        *,
        period: int,
        pooled: bool,
        narrowed: ScoreFilter,
        limit: int,
        cursor: str | None,
    ) -> Page[StoredScore]:
        if narrowed != ScoreFilter():
            raise NotImplementedError("the fake does not narrow scores")
        items = await self.of_scope(scope, period=period, pooled=pooled)
        return _page(items, "scope_id", limit=limit, cursor=cursor)


class FakeBacklog(ReleaseBacklogRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, int, str], str] = {}  # (program, period, assessment) → employer

    async def record(
        self, *, program_id: str, period: int, assessment_id: str, employer_id: str
    ) -> None:
        self.rows[(program_id, period, assessment_id)] = employer_id

    async def pending(self, years: range | None = None) -> dict[CellKey, PendingChanges]:
        cells: dict[CellKey, tuple[set[str], set[str]]] = {}
        for (program_id, period, assessment_id), employer_id in self.rows.items():
            if years is None or period in years:
                ids, employers = cells.setdefault((program_id, period), (set(), set()))
                ids.add(assessment_id)
                employers.add(employer_id)
        return {k: PendingChanges(frozenset(a), frozenset(e)) for k, (a, e) in cells.items()}

    async def clear(self, cell: CellKey, assessment_ids: Collection[str]) -> None:
        for assessment_id in assessment_ids:
            self.rows.pop((*cell, assessment_id), None)


class _FakePublishedScores(FakeScores):
    """The figures of one publication, or of the latest published one of each period."""

    def __init__(self, publications: "FakePublications", number: int | None) -> None:
        self._publications = publications
        self._number = number

    @property  # type: ignore[override]
    def rows(self) -> dict[tuple[str, str, int, bool], StoredScore]:
        stored = self._publications.stored
        if self._number is not None:
            numbers = {self._number}
        else:
            latest: dict[int, int] = {}
            for p in stored.values():
                if p.status == "published":
                    latest[p.period] = max(latest.get(p.period, 0), p.number)
            numbers = set(latest.values())
        return {
            (f.scope, f.scope_id, f.period, f.pooled): replace(
                f, publication=n, publication_kind=stored[n].kind
            )
            for n in numbers
            for f in self._publications.figure_rows.get(n, [])
        }


class FakePublications(PublicationRepository):
    def __init__(self) -> None:
        self.stored: dict[int, Publication] = {}
        self.figure_rows: dict[int, list[StoredScore]] = {}
        self.cell_rows: dict[int, list[ReleasedCell]] = {}
        self.comparison_rows: dict[int, dict[tuple[str, bool], dict[str, Any]]] = {}
        self.flow_rows: dict[int, dict[tuple[str, str], Row]] = {}
        self.intensity_rows: dict[int, dict[str, Row]] = {}
        self.structures: dict[int, dict[bool, Families]] = {}
        self.query_rows: dict[str, FigureQuery] = {}

    async def next_number(self) -> int:
        return max(self.stored, default=0) + 1

    async def add(self, publication: Publication) -> None:
        self.stored[publication.number] = publication

    async def update(self, publication: Publication) -> None:
        self.stored[publication.number] = publication

    async def get(self, number: int) -> Publication | None:
        return self.stored.get(number)

    async def draft_of(self, period: int) -> Publication | None:
        drafts = [
            p
            for p in self.stored.values()
            if (p.period, p.kind, p.status) == (period, "official", "draft")
        ]
        return drafts[0] if drafts else None

    async def latest(
        self, period: int, *, kind: Kind | None = None, before: int | None = None
    ) -> Publication | None:
        found = [
            p
            for p in self.stored.values()
            if p.period == period
            and p.status == "published"
            and (kind is None or p.kind == kind)
            and (before is None or p.number < before)
        ]
        return max(found, key=lambda p: p.number, default=None)

    async def page(
        self, *, period: int | None, with_drafts: bool, limit: int, cursor: str | None
    ) -> Page[Publication]:
        raise NotImplementedError("publication lists are tested against a database")

    async def periods(self) -> list[int]:
        return sorted({p.period for p in self.stored.values() if p.status == "published"})

    async def published(self) -> list[Publication]:
        return sorted(
            (p for p in self.stored.values() if p.status == "published"), key=lambda p: p.number
        )

    async def release_history(self) -> dict[CellKey, list[int]]:
        history: dict[CellKey, list[int]] = {}
        for p in await self.published():
            for cell in self.cell_rows.get(p.number, []):
                history.setdefault((cell.program_id, cell.period), []).append(p.number)
        return history

    async def cell_states(self, upto: int) -> dict[CellKey, dict[str, Any]]:
        states: dict[CellKey, dict[str, Any]] = {}
        for p in await self.published():
            if p.number <= upto:
                for cell in self.cell_rows.get(p.number, []):
                    states[(cell.program_id, cell.period)] = cell.tally
        return states

    async def save_figures(self, number: int, figures: list[StoredScore]) -> None:
        self.figure_rows[number] = list(figures)

    async def cards(self, number: int) -> dict[FigureKey, Card]:
        return {(f.key, f.pooled): copy.deepcopy(f.card) for f in self.figure_rows[number]}

    def figures(self, number: int | None = None) -> ScoreReader:
        return _FakePublishedScores(self, number)

    async def save_structure(self, number: int, structure: Mapping[bool, Families]) -> None:
        self.structures[number] = {
            p: {k: set(c) for k, c in f.items()} for p, f in structure.items()
        }

    async def structure(self, number: int) -> dict[bool, Families] | None:
        return self.structures.get(number)

    async def save_comparisons(
        self, number: int, comparisons: Mapping[tuple[str, bool], dict[str, Any]]
    ) -> None:
        self.comparison_rows[number] = dict(comparisons)

    async def save_flows(self, number: int, flows: Mapping[tuple[str, str], Row]) -> None:
        self.flow_rows[number] = copy.deepcopy(dict(flows))

    async def flows(self, number: int) -> dict[tuple[str, str], Row]:
        return copy.deepcopy(self.flow_rows.get(number, {}))

    async def flow(self, number: int, scope: str, scope_id: str) -> Row | None:
        return copy.deepcopy(self.flow_rows.get(number, {}).get((scope, scope_id)))

    async def save_intensity(self, number: int, intensity: Mapping[str, Row]) -> None:
        self.intensity_rows[number] = copy.deepcopy(dict(intensity))

    async def intensity(self, number: int, cluster_id: str) -> Row | None:
        return copy.deepcopy(self.intensity_rows.get(number, {}).get(cluster_id))

    async def comparison(self, number: int, cluster_id: str, *, pooled: bool) -> Row | None:
        return self.comparison_rows.get(number, {}).get((cluster_id, pooled))

    async def save_cells(self, number: int, cells: list[ReleasedCell]) -> None:
        self.cell_rows[number] = list(cells)

    async def cells(self, number: int) -> list[ReleasedCell]:
        return list(self.cell_rows.get(number, []))

    async def add_query(self, query: FigureQuery) -> None:
        self.query_rows[query.id] = query

    async def get_query(self, number: int, query_id: str) -> FigureQuery | None:
        query = self.query_rows.get(query_id)
        return query if query is not None and query.publication == number else None

    async def answer_query(self, query: FigureQuery) -> None:
        self.query_rows[query.id] = query

    async def queries(self, number: int, *, raised_by: str | None = None) -> list[FigureQuery]:
        return [
            q
            for q in self.query_rows.values()
            if q.publication == number and raised_by in (None, q.raised_by)
        ]


class FakeDirtyMarks(DirtyMarkRepository):
    def __init__(self, cells: FakeCells, scores: FakeScores) -> None:
        self.generations: dict[tuple[str, int], int] = {}
        self._cells, self._scores = cells, scores

    async def mark(self, *, program_id: str, period: int) -> None:
        key = (program_id, period)
        self.generations[key] = self.generations.get(key, 0) + 1

    async def mark_scored(self, program_ids: Collection[str] | None = None) -> None:
        scored = {
            (s.scope_id, s.period) for s in self._scores.rows.values() if s.scope == "program"
        }
        pending = set(self.generations)
        for program_id, period in sorted(set(self._cells.rows) | scored | pending):
            if program_ids is None or program_id in program_ids:
                await self.mark(program_id=program_id, period=period)

    async def take(self) -> list[Mark]:
        return [(p, period, g) for (p, period), g in self.generations.items()]

    async def clear(self, marks: list[Mark]) -> None:
        for program_id, period, generation in marks:
            if self.generations.get((program_id, period)) == generation:
                del self.generations[(program_id, period)]

    async def pending(self) -> int:
        return len(self.generations)


class FakeFrameworks(FrameworkRepository):
    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, dict[str, str]]] = {}

    async def save(self, *, framework_id: str, version: int, domains: dict[str, str]) -> None:
        self.rows[framework_id] = (version, dict(domains))

    async def domains_of(self, framework_id: str) -> dict[str, str] | None:
        row = self.rows.get(framework_id)
        return None if row is None else dict(row[1])

    async def domains(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for _, domains in sorted(self.rows.values(), key=lambda row: row[0]):
            merged.update(domains)
        return merged


class FakeRequirements(RequirementRepository):
    """``importance_for`` answers with the requirements naming the scope itself (a program's,
    a cluster's own); the fake does not expand scopes into their programs and fields."""

    def __init__(self) -> None:
        self.rows: dict[str, Requirement] = {}  # series → current version

    async def has_version_from(self, series: str, version: int) -> bool:
        current = self.rows.get(series)
        return current is not None and current.version >= version

    async def replace(self, requirement: Requirement) -> None:
        self.rows[requirement.series] = requirement

    async def importance_for(
        self, *, scope: str, scope_id: str, years: range
    ) -> list[tuple[str, dict[str, int]]]:
        named = {"program": "program_id", "cluster": "cluster_id"}.get(scope)
        return [
            (r.employer_id or r.cluster_id or "", dict(r.importance))
            for r in self.rows.values()
            if named is not None and getattr(r, named) == scope_id
        ]


class FakeMethodologies(MethodologyRepository):
    def __init__(self) -> None:
        self.versions: list[tuple[dict[str, Any], datetime]] = []

    async def latest(self) -> dict[str, Any] | None:
        if not self.versions:
            return None
        return copy.deepcopy(max(self.versions, key=lambda v: v[0]["version"])[0])

    async def latest_version(self) -> int | None:
        return max((content["version"] for content, _ in self.versions), default=None)

    async def add(self, content: dict[str, Any], *, published_at: datetime) -> None:
        self.versions.append((copy.deepcopy(content), published_at))


class FakeAlerts(AlertRepository):
    def __init__(self) -> None:
        self.rows: list[Alert] = []

    async def add(self, alert: Alert) -> None:
        self.rows.append(alert)

    async def details(self, key: ScopeKey, *, period: int, kind: str) -> list[dict[str, Any]]:
        return [
            a.detail
            for a in self.rows
            if (a.scope, a.scope_id) == key and a.period == period and a.kind == kind
        ]

    async def page(
        self, narrowed: AlertFilter, *, limit: int, cursor: str | None
    ) -> Page[dict[str, Any]]:
        wanted = {k: v for k, v in vars(narrowed).items() if v is not None}
        rows = [vars(a) for a in self.rows if all(getattr(a, k) == v for k, v in wanted.items())]
        return _page(rows, "id", limit=limit, cursor=cursor)


class FakeRegistryProjection(RegistryProjectionRepository):
    def __init__(self) -> None:
        self.organizations: dict[str, Row] = {}
        self.clusters: dict[str, Row] = {}
        self.memberships: dict[tuple[str, str, date], Row] = {}
        self.programs: dict[str, Row] = {}
        self.graduates: dict[str, Row] = {}
        self.employments: dict[str, Row] = {}

    async def save_organization(self, row: Row) -> None:
        self.organizations[row["id"]] = dict(row)

    async def save_cluster(self, row: Row) -> None:
        self.clusters[row["id"]] = dict(row)

    async def save_membership(self, row: Row) -> None:
        key = (row["cluster_id"], row["organization_id"], row["joined_on"])
        self.memberships[key] = dict(row)

    async def save_program(self, row: Row) -> None:
        self.programs[row["id"]] = dict(row)

    async def save_graduate(self, row: Row) -> None:
        self.graduates[row["id"]] = dict(row)

    async def save_employment(self, row: Row) -> None:
        self.employments[row["id"]] = dict(row)

    async def programs_of(self, institution_id: str) -> list[str]:
        return [p["id"] for p in self.programs.values() if p["institution_id"] == institution_id]

    async def cohort_of(self, graduate_id: str) -> tuple[str, int] | None:
        graduate = self.graduates.get(graduate_id)
        return None if graduate is None else (graduate["program_id"], graduate["graduation_year"])

    async def programs_of_cohort(self, cohort: int) -> list[str]:
        return sorted(
            {g["program_id"] for g in self.graduates.values() if g["graduation_year"] == cohort}
        )

    async def program_kinds(self) -> dict[str, ProgramKind]:
        return {
            p["id"]: ProgramKind(p["institution_id"], p["level"], p["field_code"])
            for p in self.programs.values()
        }

    async def cluster(self, cluster_id: str) -> Row | None:
        return self.clusters.get(cluster_id)

    async def census_jobs(
        self, cohort: int, *, scope: str, scope_id: str, counting: Collection[str]
    ) -> list[CensusJob]:
        census, first, last = census_date(cohort), date(cohort + 1, 1, 1), date(cohort + 1, 12, 31)
        if scope == "region":
            owners = {i for i, o in self.organizations.items() if o["region_code"] == scope_id}
        else:
            owners = {
                m["organization_id"]
                for m in self.memberships.values()
                if m["cluster_id"] == scope_id
                and m["joined_on"] <= last
                and (m["left_on"] is None or m["left_on"] >= first)
            }
        programs = {i for i, p in self.programs.items() if p["institution_id"] in owners}
        cohort_ids = {
            i
            for i, g in self.graduates.items()
            if g["active"] and g["graduation_year"] == cohort and g["program_id"] in programs
        }
        jobs = []
        for e in self.employments.values():
            held = e["start_date"] <= census and (e["end_date"] is None or e["end_date"] >= census)
            if e["graduate_id"] in cohort_ids and e["state"] in counting and held:
                employer = self.organizations.get(e["employer_id"], {})
                sector = employer.get("subtype") if employer.get("kind") == "employer" else None
                jobs.append(
                    CensusJob(
                        e["graduate_id"],
                        e["kind"],
                        e["employer_id"],
                        employer.get("region_code"),
                        sector,
                        self.programs[self.graduates[e["graduate_id"]]["program_id"]][
                            "institution_id"
                        ],
                    )
                )
        return jobs

    async def employers(self) -> list[Employer]:
        return [
            Employer(i, o["region_code"], o.get("subtype") if o["kind"] == "employer" else None)
            for i, o in self.organizations.items()
        ]

    async def members_on(self, cluster_ids: Collection[str], day: date) -> set[str]:
        return {
            m["organization_id"]
            for m in self.memberships.values()
            if m["cluster_id"] in cluster_ids
            and m["joined_on"] <= day
            and (m["left_on"] is None or m["left_on"] >= day)
        }

    async def clusters_in(self, region_code: str) -> list[Row]:
        return [
            dict(c)
            for _, c in sorted(self.clusters.items())
            if c["region_code"] == region_code and c["status"] == "active"
        ]


class FakeScoringQueries(ScoringQueries):
    async def scope_names(self) -> dict[ScopeKey, str]:
        p = self._projection
        names: dict[ScopeKey, str] = {}
        for scope, rows in (
            ("organization", p.organizations),
            ("cluster", p.clusters),
            ("program", p.programs),
        ):
            names.update({(scope, i): r["name"] for i, r in rows.items() if r.get("name")})
        return names

    def __init__(self, projection: FakeRegistryProjection) -> None:
        self._projection = projection
        self.outcomes: dict[str, OutcomeCounts] = {}
        self.counted_states: list[tuple[str, ...]] = []

    async def cohort_outcomes(
        self,
        cohorts: range,
        *,
        counting: Collection[str],
        programs: Collection[str] | None = None,
    ) -> dict[str, OutcomeCounts]:
        self.counted_states.append(tuple(counting))
        return {p: o for p, o in self.outcomes.items() if programs is None or p in programs}

    async def covered_graduates(
        self, cohorts: range, programs: Collection[str] | None = None
    ) -> dict[str, set[str]]:
        covered: dict[str, set[str]] = {}
        for g in self._projection.graduates.values():
            if programs is not None and g["program_id"] not in programs:
                continue
            if g["active"] and g["graduation_year"] in cohorts:
                covered.setdefault(g["program_id"], set()).add(g["id"])
        return covered

    async def program_owners(self) -> dict[str, str]:
        return {p["id"]: p["institution_id"] for p in self._projection.programs.values()}

    async def organization_regions(self) -> dict[str, str]:
        return {o["id"]: o["region_code"] for o in self._projection.organizations.values()}

    async def cluster_members(self, years: range) -> list[tuple[str, str]]:
        first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
        return [
            (m["cluster_id"], m["organization_id"])
            for m in self._projection.memberships.values()
            if m["joined_on"] <= last and (m["left_on"] is None or m["left_on"] >= first)
        ]

    async def comparison_groups(
        self, cluster_id: str, *, region_code: str, years: range
    ) -> tuple[set[str], set[str]]:
        p = self._projection
        member_orgs = {o for c, o in await self.cluster_members(years) if c == cluster_id}
        members = {i for i, r in p.programs.items() if r["institution_id"] in member_orgs}
        fields = {p.programs[i]["field_code"] for i in members}
        region = {
            i
            for i, r in p.organizations.items()
            if r["region_code"] == region_code and r["kind"] == "education"
        }
        others = {
            i
            for i, r in p.programs.items()
            if r["institution_id"] in region - member_orgs and r["field_code"] in fields
        }
        return members, others


class FakeClusterWork(ClusterWorkRepository):
    def __init__(self, projection: FakeRegistryProjection) -> None:
        self._projection = projection
        self.activity_rows: dict[str, Row] = {}
        self.goal_rows: dict[tuple[str, int], Row] = {}
        self.flow_releases: dict[int, dict[str, Any]] = {}

    async def save_activity(self, row: Row) -> None:
        self.activity_rows[row["id"]] = copy.deepcopy(row)

    async def save_goal(self, row: Row) -> None:
        self.goal_rows[row["goal_id"], row["version"]] = dict(row)

    async def activities(
        self, *, cluster_id: str | None = None, kind: str | None = None
    ) -> list[Row]:
        return [
            copy.deepcopy(r)
            for _, r in sorted(self.activity_rows.items())
            if cluster_id in (None, r["cluster_id"]) and kind in (None, r["kind"])
        ]

    async def goals(self, cluster_id: str) -> list[Row]:
        latest: dict[str, Row] = {}
        for (goal_id, _), row in sorted(self.goal_rows.items()):
            if row["cluster_id"] == cluster_id:
                latest[goal_id] = dict(row)
        return [latest[g] for g in sorted(latest)]

    async def is_member(self, cluster_id: str, organization_id: str) -> bool:
        return any(
            m["cluster_id"] == cluster_id
            and m["organization_id"] == organization_id
            and m["left_on"] is None
            for m in self._projection.memberships.values()
        )

    async def flow_release(self, cohort: int) -> dict[str, Any] | None:
        return copy.deepcopy(self.flow_releases.get(cohort))


class FakeQualityUnitOfWork(FakeUnitOfWork, AbstractQualityUnitOfWork):
    """The quality unit of work in memory: repositories survive commits and rollbacks alike
    (a test looks at what a use case left), published events count only once committed."""

    def __init__(self) -> None:
        super().__init__()
        projection, cells, scores = FakeRegistryProjection(), FakeCells(), FakeScores()
        self.projection = projection
        self.cluster_work = FakeClusterWork(projection)
        self.assessments = FakeAssessmentStates()
        self.exclusions = FakeExclusions()
        self.cells = cells
        self.released = FakeCells()
        self.backlog = FakeBacklog()
        self.scores = scores
        self.publications = FakePublications()
        self.marks = FakeDirtyMarks(cells, scores)
        self.frameworks = FakeFrameworks()
        self.requirements = FakeRequirements()
        self.methodologies = FakeMethodologies()
        self.alerts = FakeAlerts()
        self.queries = FakeScoringQueries(projection)
