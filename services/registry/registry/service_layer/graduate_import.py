"""Bulk import of an institution's graduates from a CSV file: all rows, or none.

The stream is read and checked record by record (domain/graduate_csv.py) and written in
batches inside one unit of work. Only the institution's graduates (to tell created, updated
and unchanged rows apart) and the events of changed rows stay in memory, and the events are
handed to the outbox with each batch. Any bad row rolls the whole file back, refused with the
first errors by line number. A preview reads the file through the same checks and counts what
the import would do, every refused line explained, and writes nothing.
"""

from collections.abc import AsyncIterable
from dataclasses import dataclass, field, replace
from typing import Any

from registry import events
from registry.domain import access
from registry.domain.graduate_csv import CsvUnreadable, GraduateLine, GraduateSheet, csv_records
from registry.domain.model import Graduate
from registry.domain.person_key import PersonKeys
from registry.service_layer.common import require_organization
from registry.service_layer.unit_of_work import AbstractRegistryUnitOfWork
from shared.platform.auth import Identity
from shared.platform.db.queries import now
from shared.platform.errors import Refused, RuleViolation
from shared.platform.ids import new_id

BATCH_SIZE = 1000


@dataclass
class ImportCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class RefusedLine:
    line: int  # the header is line 1
    column: str | None  # None: the line as a whole (its field count, the file unreadable)
    reason: str


@dataclass
class ImportPreview(ImportCounts):
    """What an import would do: the good lines' counts, and every error (the first listed)."""

    error_count: int = 0
    errors: list[RefusedLine] = field(default_factory=list)

    @property
    def would_import(self) -> bool:
        return not self.error_count


async def import_graduates(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    institution_id: str | None,
    chunks: AsyncIterable[bytes],
    person_keys: PersonKeys | None = None,
) -> ImportCounts:
    """Check and write every record of the CSV stream; Refused if any record is bad.

    An institution imports into itself; the ministry names the institution.
    """
    target = await _checked_target(uow, identity, institution_id)
    job = _Import(uow, institution_id=target, person_keys=person_keys)
    refusal = await job.read(chunks)
    if refusal is not None:
        raise refusal
    await job.flush()
    uow.audit("educluster.registry.graduates.imported", f"organizations/{target}", vars(job.counts))
    return job.counts


async def preview_import(
    uow: AbstractRegistryUnitOfWork,
    identity: Identity,
    *,
    institution_id: str | None,
    chunks: AsyncIterable[bytes],
    person_keys: PersonKeys | None = None,
) -> ImportPreview:
    """What importing the CSV stream would do, with every refused line; writes nothing.

    The same checks as the import (and the same access): the caller only reads.
    """
    target = await _checked_target(uow, identity, institution_id)
    job = _Preview(uow, institution_id=target, person_keys=person_keys)
    await job.read(chunks)
    return ImportPreview(
        **vars(job.counts),
        error_count=job.sheet.error_count,
        errors=[_refused_line(error) for error in job.sheet.errors],
    )


def _refused_line(error: dict[str, Any]) -> RefusedLine:
    _body, _row, line, *column = error["loc"]
    return RefusedLine(line=line, column=column[0] if column else None, reason=error["msg"])


class _Import:
    """One import into one institution: what the sheet accepts, gathered into batches."""

    every_line = False  # whether lines after the first refused one are still applied

    def __init__(
        self,
        uow: AbstractRegistryUnitOfWork,
        *,
        institution_id: str,
        person_keys: PersonKeys | None,
    ) -> None:
        self.uow, self.institution_id = uow, institution_id
        self.at = now()
        self.sheet = GraduateSheet(
            this_year=self.at.year, person_keys=person_keys, every_line=self.every_line
        )
        self.counts = ImportCounts()
        self._inserts: list[Graduate] = []
        self._updates: list[Graduate] = []

    async def read(self, chunks: AsyncIterable[bytes]) -> Refused | None:
        """Check every record of the stream, applying those the sheet hands back; the refusal
        of the whole file, if any record (or the file) is bad."""
        sheet = self.sheet
        records = csv_records(chunks)
        try:
            async for line, fields in records:
                if sheet.columns is not None:
                    checked = sheet.record(line, fields)
                    if checked is not None:
                        await self.apply(checked)
                elif sheet.header(line, fields):
                    await self.load()
                else:
                    break
        except CsvUnreadable as error:
            sheet.error(error.line, None, str(error))
        finally:
            await records.aclose()
        self.counts.rows = sheet.rows
        return sheet.refusal()

    async def load(self) -> None:
        """What the institution has: its programs and graduates (read once, after the header)."""
        self.sheet.programs = await self.uow.programs.activity(self.institution_id)
        async for graduate in self.uow.graduates.of_institution(self.institution_id):
            self.sheet.know(graduate)

    async def apply(self, line: GraduateLine) -> None:
        known = self.sheet.graduate(line.student_ref)
        if known is None:
            graduate = Graduate(
                id=new_id(),
                institution_id=self.institution_id,
                program_id=line.program_id,
                graduation_year=line.graduation_year,
                student_ref=line.student_ref,
                full_name=line.full_name,
                person_key=line.person_key,
                active=True,
                created_at=self.at,
                updated_at=self.at,
            )
            self._insert(graduate)
            self.counts.created += 1
        elif line.same_as(known):
            graduate = known
            self.counts.unchanged += 1
        else:
            graduate = replace(
                known,
                program_id=line.program_id,
                graduation_year=line.graduation_year,
                full_name=line.full_name,
                person_key=line.person_key or known.person_key,
                updated_at=self.at,
            )
            self._update(graduate)
            self.counts.updated += 1
        self.sheet.took(line, graduate)
        if len(self._inserts) >= BATCH_SIZE or len(self._updates) >= BATCH_SIZE:
            await self.flush()

    def _insert(self, graduate: Graduate) -> None:
        self._inserts.append(graduate)
        self.uow.publish(events.graduate_registered(graduate))

    def _update(self, graduate: Graduate) -> None:
        self._updates.append(graduate)
        self.uow.publish(events.graduate_updated(graduate))

    async def flush(self) -> None:
        """Write the graduates gathered so far (in this unit of work's transaction)."""
        await self.uow.graduates.add_many(self._inserts)
        await self.uow.graduates.update_many(self._updates)
        self._inserts, self._updates = [], []
        await self.uow.flush_events()


class _Preview(_Import):
    """An import that only counts: every good line is applied to the sheet (so a later line
    is judged as in the import), none is written or announced."""

    every_line = True

    def _insert(self, graduate: Graduate) -> None:
        pass

    def _update(self, graduate: Graduate) -> None:
        pass

    async def flush(self) -> None:
        pass


async def _checked_target(
    uow: AbstractRegistryUnitOfWork, identity: Identity, institution_id: str | None
) -> str:
    target = _import_target(identity, institution_id)
    await _require_institution(uow, target)
    return target


def _import_target(identity: Identity, institution_id: str | None) -> str:
    """The institution the file is for: the caller's own, or the one the ministry names."""
    if identity.is_("institution") and identity.org:
        target = institution_id or identity.org
    elif identity.is_("ministry") and not institution_id:
        raise _bad_institution("the ministry must name the institution (?institution_id=)")
    else:
        target = institution_id or ""
    access.acts_for_institution(identity, target)
    return target


async def _require_institution(uow: AbstractRegistryUnitOfWork, institution_id: str) -> None:
    try:
        await require_organization(uow, institution_id, field="institution_id", kind="education")
    except RuleViolation as error:
        raise _bad_institution(str(error)) from error


def _bad_institution(message: str) -> Refused:
    # The institution is named in the query, not the body.
    return Refused(message, errors=[{"loc": ["query", "institution_id"], "msg": message}])
