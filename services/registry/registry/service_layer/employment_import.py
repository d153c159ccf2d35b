"""Register imports: a labour-register or tax extract verifies, records or lists employments.

The extract (CSV or JSON Lines, domain/register_extract.py checks each record) is read as a
stream and applied in batches inside one unit of work: any malformed record rolls the whole
file back. For each record, by the graduate (institution taxpayer id + student reference) and
the employer (taxpayer id):

- the register's own employment from an earlier import (same start date): unchanged, or ended
  when the register now gives its end;
- else the employer's own records of that graduate overlapping the register's dates become
  *verified* (an ``employment.state_changed`` each; a rejected one stays rejected);
- else the register's employment is recorded as verified (source ``register``); if the employer
  has records of the graduate at other dates they are kept, and the conflict is reported and
  written on the register's employment for the institution and the ministry to see.

Records whose graduate or employer the registry does not know are counted and listed, never
refused; so is a record starting before the graduation year (a job held while studying).
Importing the same file again changes nothing. Memory holds one batch, the institutions' ids
and the report's first ``MAX_LISTED`` entries of each list.
"""

import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any, Final

from registry import events
from registry.domain import access, rules
from registry.domain.model import Employment, Graduate
from registry.domain.person_key import PersonKeys
from registry.domain.register_extract import RegisterLine, RegisterSheet
from registry.domain.streamed_files import CsvUnreadable, csv_records, jsonl_records
from registry.service_layer.employments import apply_move
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.ids import new_id

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_LISTED = 100
PROGRESS_EVERY = 20_000  # rows between progress lines in the log
REGISTER: Final = "register"  # the source, the changer and the recorded author


@dataclass
class RegisterReport:
    """What an import did, row by row counted; the first ``MAX_LISTED`` of each kind listed."""

    rows: int = 0
    verified: int = 0
    recorded: int = 0
    ended: int = 0
    unchanged: int = 0
    unmatched_graduates: int = 0
    unregistered_employers: int = 0
    before_graduation: int = 0
    conflicts: int = 0
    seconds: float = 0.0
    listed: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            "unmatched_graduates": [],
            "unregistered_employers": [],
            "conflicts": [],
        }
    )

    def note(self, kind: str, **entry: Any) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if kind in self.listed and len(self.listed[kind]) < MAX_LISTED:
            self.listed[kind].append(entry)


async def import_register(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    chunks: AsyncIterable[bytes],
    csv: bool,
    person_keys: PersonKeys | None = None,
) -> RegisterReport:
    """Check and apply every record of the extract; Refused if any record is malformed."""
    access.can_import_register(identity)
    started = time.monotonic()
    job = _Import(uow)
    sheet = RegisterSheet(person_keys=person_keys)
    try:
        async for line in _checked(sheet, chunks, csv=csv):
            await job.take(line)
            if sheet.rows % PROGRESS_EVERY == 0:
                log.info("register import", extra={"rows": sheet.rows, "report": vars(job.report)})
    except CsvUnreadable as error:
        sheet.error(error.line, None, str(error))
    refusal = sheet.refusal(csv=csv)
    if refusal is not None:
        raise refusal
    await job.flush()
    job.report.rows = sheet.rows
    job.report.seconds = round(time.monotonic() - started, 3)
    counts = {k: v for k, v in vars(job.report).items() if k != "listed"}
    uow.audit("educluster.registry.employments.register_imported", "employments", counts)
    return job.report


async def _checked(
    sheet: RegisterSheet, chunks: AsyncIterable[bytes], *, csv: bool
) -> AsyncIterator[RegisterLine]:
    """The records that passed the sheet's checks (none once one has failed)."""
    if not csv:
        async for line_no, value in jsonl_records(chunks):
            if (line := sheet.json_record(line_no, value)) is not None:
                yield line
        return
    records = csv_records(chunks)
    try:
        async for line_no, fields in records:
            if sheet.columns is not None:
                if (line := sheet.csv_record(line_no, fields)) is not None:
                    yield line
            elif not sheet.header(line_no, fields):
                return
    finally:
        await records.aclose()


class _Import:
    """One extract: its records gathered into batches, each matched with a few queries."""

    def __init__(self, uow: AbstractRegistryUnitOfWork) -> None:
        self.uow = uow
        self.at = now()
        self.report = RegisterReport()
        self._lines: list[RegisterLine] = []
        self._institutions: dict[str, str | None] = {}  # taxpayer id → id (None: unknown)

    async def take(self, line: RegisterLine) -> None:
        self._lines.append(line)
        if len(self._lines) >= BATCH_SIZE:
            await self.flush()

    async def flush(self) -> None:
        """Match and apply the batch gathered so far (in the unit of work's transaction)."""
        lines, self._lines = self._lines, []
        if not lines:
            return
        graduates = await self._graduates(lines)
        people = await self.uow.graduates.by_person_keys(
            {line.person_key for line in lines if line.person_key is not None}
        )
        employers = await self.uow.organizations.ids_of_tax_ids(
            {line.employer_tax_id for line in lines}
        )
        known: dict[tuple[str, str], list[Employment]] = defaultdict(list)
        known_ids = {g.id for g in graduates.values()}
        known_ids |= {g.id for records in people.values() for g in records}
        for employment in await self.uow.employments.of_graduates(known_ids):
            known[(employment.graduate_id, employment.employer_id)].append(employment)
        inserts: list[Employment] = []
        for line in lines:
            if line.person_key is not None:
                graduate = _as_of(people.get(line.person_key, []), line.start_date.year)
            else:
                graduate = graduates.get((line.institution_tax_id or "", line.student_ref or ""))
            employer_id = employers.get(line.employer_tax_id)
            if graduate is None:
                named = (
                    {"person_id": "(not kept)"}
                    if line.person_key is not None
                    else {
                        "institution_tax_id": line.institution_tax_id,
                        "student_ref": line.student_ref,
                    }
                )
                self.report.note("unmatched_graduates", line=line.line, **named)
            elif employer_id is None:
                self.report.note(
                    "unregistered_employers", line=line.line, tax_id=line.employer_tax_id
                )
            elif line.start_date.year < graduate.graduation_year:
                self.report.before_graduation += 1
            else:
                records = known[(graduate.id, employer_id)]
                created = await self._apply(line, graduate, employer_id, records)
                if created is not None:
                    records.append(created)
                    inserts.append(created)
        await self.uow.employments.add_many(inserts)
        await self.uow.flush_events()

    async def _graduates(self, lines: list[RegisterLine]) -> dict[tuple[str, str], Graduate]:
        """(institution taxpayer id, student reference) → the graduate, for the batch."""
        by_institution: list[tuple[str, str]] = []
        for line in lines:
            if line.institution_tax_id is not None and line.student_ref is not None:
                by_institution.append((line.institution_tax_id, line.student_ref))
        unknown = {tax_id for tax_id, _ in by_institution} - self._institutions.keys()
        if unknown:
            ids = await self.uow.organizations.ids_of_tax_ids(unknown)
            self._institutions.update({tax_id: ids.get(tax_id) for tax_id in unknown})
        refs: dict[str, set[str]] = defaultdict(set)
        for tax_id, ref in by_institution:
            refs[tax_id].add(ref)
        found: dict[tuple[str, str], Graduate] = {}
        for tax_id, student_refs in refs.items():
            institution_id = self._institutions[tax_id]
            if institution_id is not None:
                by_ref = await self.uow.graduates.by_student_refs(institution_id, student_refs)
                found.update({(tax_id, ref): g for ref, g in by_ref.items()})
        return found

    async def _apply(
        self, line: RegisterLine, graduate: Graduate, employer_id: str, records: list[Employment]
    ) -> Employment | None:
        """Apply one matched record to the employer's records of the graduate; the register's
        new employment, if it records one."""
        standing = [e for e in records if e.state != "rejected"]
        own = next(
            (e for e in standing if e.source == REGISTER and e.start_date == line.start_date), None
        )
        if own is not None:
            if own.end_date is None and line.end_date is not None:
                ended = replace(own, end_date=line.end_date, updated_at=self.at)
                await self.uow.employments.update(ended, fields=["end_date", "updated_at"])
                self.uow.publish(events.employment_ended(ended, graduate))
                records[records.index(own)] = ended
                self.report.ended += 1
            else:
                self.report.unchanged += 1
            return None
        overlapping = [
            e
            for e in standing
            if rules.periods_overlap(e.start_date, e.end_date, line.start_date, line.end_date)
        ]
        if overlapping:
            changed = [e for e in overlapping if e.state != "verified"]
            for employment in changed:
                moved = await apply_move(
                    self.uow, employment, graduate, "verify", None, by=REGISTER, changer=REGISTER
                )
                records[records.index(employment)] = moved
            self.report.note("verified" if changed else "unchanged")
            return None
        return self._record(line, graduate, employer_id, elsewhere=standing)

    def _record(
        self,
        line: RegisterLine,
        graduate: Graduate,
        employer_id: str,
        *,
        elsewhere: list[Employment],
    ) -> Employment:
        """The register's employment, verified; ``elsewhere``: the employer's records of the
        graduate at other dates (a conflict, kept and written on the new employment)."""
        conflict = None
        if elsewhere:
            ids = ", ".join(e.id for e in elsewhere)
            conflict = f"register import: the employer's records {ids} give other dates"
            self.report.note("conflicts", line=line.line, employments=[e.id for e in elsewhere])
        employment = Employment(
            id=new_id(),
            graduate_id=graduate.id,
            employer_id=employer_id,
            start_date=line.start_date,
            end_date=line.end_date,
            position=f"ISCO-08 {line.isco_code} (register)",
            isco_code=line.isco_code,
            in_field=line.in_field,
            state="verified",
            source=REGISTER,
            kind=line.kind,
            state_by=REGISTER,
            state_reason=conflict,
            created_at=self.at,
            updated_at=self.at,
        )
        self.uow.publish(events.employment_recorded(employment, graduate))
        self.report.recorded += 1
        return employment


def _as_of(records: list[Graduate], year: int) -> Graduate | None:
    """Of one person's graduate records, the latest graduation by ``year`` (the job follows
    it); the earliest, if every one came later (then the job started before graduation)."""
    if not records:
        return None
    done = [g for g in records if g.graduation_year <= year]
    if done:
        return max(done, key=lambda g: (g.graduation_year, g.id))
    return min(records, key=lambda g: (g.graduation_year, g.id))
