"""Bulk import of an institution's graduates from a CSV file: all rows, or none.

The body is read as a stream and never held whole: bytes are decoded incrementally, split into
lines, and each complete CSV record is checked and written in batches inside one unit of work.
Only the institution's student references stay in memory (to tell created, updated and
unchanged rows apart and to catch a reference repeated in the file), and the events of changed
rows, which the unit of work holds until it commits. Any bad row rolls the whole file back with
a 422 listing the first errors by line number (the header is line 1).
"""

import codecs
import csv
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from registry import events
from registry.adapters.tables import graduates, programs
from registry.service_layer.graduates import graduation_year_problem
from shared.platform.db.queries import now
from shared.platform.errors import Refused
from shared.platform.ids import new_id
from shared.platform.messaging.unit_of_work import UnitOfWork

COLUMNS = ("student_ref", "full_name", "program_id", "graduation_year")
BATCH_SIZE = 1000
MAX_LISTED_ERRORS = 100
MAX_REF_LENGTH = 64
MAX_NAME_LENGTH = 300
# No valid record comes near this; a longer one is a wrong file, not a graduate.
MAX_RECORD_CHARS = 16_384


class CsvUnreadable(Exception):
    """The stream cannot be read on as CSV from ``line`` on (bad encoding, runaway record)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _quote_open_after(text: str, quoted: bool) -> bool:
    """Whether a quoted field is still open after ``text``, given whether one was before.

    Follows the csv module: a quote opens a field only at its start, and ``""`` inside quotes
    is a literal quote. Called only for lines that contain a quote character.
    """
    at_start, just_closed = not quoted, False
    for char in text:
        if quoted:
            if char == '"':
                quoted, just_closed = False, True
            continue
        if char == '"' and (at_start or just_closed):
            quoted = True
        at_start, just_closed = char in ",\r\n", False
    return quoted


async def _lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    """Physical lines with their endings, decoded as UTF-8 (a leading BOM dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest, line_no = "", 0
    try:
        async for chunk in chunks:
            parts = (rest + decoder.decode(chunk)).split("\n")
            rest = parts.pop()
            for part in parts:
                line_no += 1
                yield part + "\n"
            if len(rest) > MAX_RECORD_CHARS:
                raise CsvUnreadable(line_no + 1, "line too long: is this a CSV file?")
        rest += decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        where = line_no + 1 + rest.count("\n") + error.object[: error.start].count(b"\n")
        raise CsvUnreadable(where, f"not UTF-8 text ({error.reason})") from error
    if rest:
        yield rest


async def csv_records(chunks: AsyncIterable[bytes]) -> AsyncIterator[tuple[int, list[str]]]:
    """(first line number, fields) of each non-blank CSV record; CRLF or LF line endings."""
    line_no, start, quoted = 0, 0, False
    pending: list[str] = []  # the lines of a record whose quoted field spans lines
    async for line in _lines(chunks):
        line_no += 1
        if not pending:
            start = line_no
            if '"' not in line:  # the common case: no quoting, plain split
                text = line.rstrip("\r\n")
                if text:
                    yield start, text.split(",")
                continue
        pending.append(line)
        quoted = _quote_open_after(line, quoted)
        if quoted:
            if sum(map(len, pending)) > MAX_RECORD_CHARS:
                raise CsvUnreadable(start, "a quoted field is never closed")
            continue
        try:
            fields = next(csv.reader(pending, strict=True), [])
        except csv.Error as error:
            raise CsvUnreadable(start, f"malformed CSV: {error}") from error
        pending = []
        if fields:
            yield start, fields
    if pending:
        raise CsvUnreadable(start, "a quoted field is never closed")


@dataclass(slots=True)
class _Known:
    """A student reference of the institution: its graduate now, and where the file had it."""

    id: str | None
    program_id: str
    year: int
    name: str
    active: bool
    line: int | None = None


@dataclass
class ImportCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class GraduateImport:
    """One import into one institution, fed record by record inside one unit of work."""

    def __init__(self, uow: UnitOfWork, *, institution_id: str) -> None:
        self.uow, self.institution_id = uow, institution_id
        self.counts = ImportCounts()
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self._programs: dict[str, bool] = {}
        self._known: dict[str, _Known] = {}
        self.columns: dict[str, int] | None = None
        self._inserts: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._at: datetime = now()

    async def load(self) -> None:
        """Preload the institution's programs and its graduates' references, once."""
        session = self.uow.session
        result = await session.execute(
            select(programs.c.id, programs.c.active).where(
                programs.c.institution_id == self.institution_id
            )
        )
        self._programs = {row.id: row.active for row in result}
        statement = select(
            graduates.c.id,
            graduates.c.student_ref,
            graduates.c.program_id,
            graduates.c.graduation_year,
            graduates.c.full_name,
            graduates.c.active,
        ).where(graduates.c.institution_id == self.institution_id)
        stream = await session.stream(statement.execution_options(yield_per=5000))
        async for partition in stream.partitions():
            for g in partition:
                self._known[g.student_ref] = _Known(
                    g.id, g.program_id, g.graduation_year, g.full_name, g.active
                )

    def error(self, line: int, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            loc: list[Any] = ["body", "row", line] + ([column] if column else [])
            self.errors.append({"loc": loc, "msg": message})

    def header(self, line: int, fields: list[str]) -> bool:
        """Take the header row; False (with errors) unless it names exactly the columns."""
        names = [f.strip() for f in fields]
        for name in dict.fromkeys(names):
            if name not in COLUMNS:
                self.error(line, name, f"unknown column {name!r}; the columns are {COLUMNS}")
            elif names.count(name) > 1:
                self.error(line, name, f"column {name} appears more than once")
        for name in COLUMNS:
            if name not in names:
                self.error(line, name, f"missing column {name}")
        if self.error_count:
            return False
        self.columns = {name: names.index(name) for name in COLUMNS}
        return True

    async def row(self, line: int, fields: list[str]) -> None:
        self.counts.rows += 1
        if len(fields) != len(COLUMNS):
            self.error(line, None, f"expected {len(COLUMNS)} fields, found {len(fields)}")
            return
        assert self.columns is not None, "the header comes first"
        values = {name: fields[index].strip() for name, index in self.columns.items()}
        checked = self._check(line, values)
        if checked is None:
            return
        if self.error_count:
            # The file is refused already: keep checking the rest, but write nothing more.
            self._remember_line(values["student_ref"], line)
            return
        await self._apply(line, values["student_ref"], *checked)

    def _check(self, line: int, values: dict[str, str]) -> tuple[str, int, str] | None:
        before = self.error_count
        ref, name = values["student_ref"], values["full_name"]
        if not ref or len(ref) > MAX_REF_LENGTH:
            self.error(line, "student_ref", f"student_ref must be 1-{MAX_REF_LENGTH} characters")
        else:
            seen = self._known.get(ref)
            if seen is not None and seen.line is not None:
                self.error(line, "student_ref", f"student_ref {ref} is also on line {seen.line}")
        if not name or len(name) > MAX_NAME_LENGTH:
            self.error(line, "full_name", f"full_name must be 1-{MAX_NAME_LENGTH} characters")
        program_id = self._check_program(line, values["program_id"])
        year = self._check_year(line, values["graduation_year"])
        if self.error_count > before or program_id is None or year is None:
            self._remember_line(ref, line)
            return None
        return program_id, year, name

    def _check_program(self, line: int, program_id: str) -> str | None:
        active = self._programs.get(program_id)
        if active is None:
            self.error(line, "program_id", f"{program_id!r} is not a program of this institution")
            return None
        if not active:
            self.error(line, "program_id", f"program {program_id} is not active")
            return None
        return program_id

    def _check_year(self, line: int, text: str) -> int | None:
        if not text.isascii() or not text.isdigit():
            self.error(line, "graduation_year", f"graduation_year {text!r} is not a year")
            return None
        problem = graduation_year_problem(int(text))
        if problem:
            self.error(line, "graduation_year", problem)
            return None
        return int(text)

    def _remember_line(self, ref: str, line: int) -> None:
        if not ref or len(ref) > MAX_REF_LENGTH:
            return
        seen = self._known.get(ref)
        if seen is None:
            self._known[ref] = _Known(None, "", 0, "", False, line)
        elif seen.line is None:
            seen.line = line

    async def _apply(self, line: int, ref: str, program_id: str, year: int, name: str) -> None:
        known = self._known.get(ref)
        if known is None:
            row = {
                "id": new_id(),
                "institution_id": self.institution_id,
                "program_id": program_id,
                "graduation_year": year,
                "student_ref": ref,
                "full_name": name,
                "active": True,
                "created_at": self._at,
                "updated_at": self._at,
            }
            self._known[ref] = _Known(row["id"], program_id, year, name, True, line)
            self._inserts.append(row)
            self._publish(row, created=True)
            self.counts.created += 1
        elif (known.program_id, known.year, known.name) == (program_id, year, name):
            known.line = line
            self.counts.unchanged += 1
        else:
            known.program_id, known.year, known.name, known.line = program_id, year, name, line
            self._updates.append(
                {"gid": known.id, "pid": program_id, "year": year, "name": name, "at": self._at}
            )
            self._publish(
                {
                    "id": known.id,
                    "institution_id": self.institution_id,
                    "program_id": program_id,
                    "graduation_year": year,
                    "active": known.active,
                },
                created=False,
            )
            self.counts.updated += 1
        if len(self._inserts) >= BATCH_SIZE or len(self._updates) >= BATCH_SIZE:
            await self.flush()

    def _publish(self, row: dict[str, Any], *, created: bool) -> None:
        self.uow.publish(events.graduate(row, created=created))

    async def flush(self) -> None:
        """Write the rows gathered so far (executemany, in this unit of work's transaction)."""
        session = self.uow.session
        if self._inserts:
            await session.execute(graduates.insert(), self._inserts)
            self._inserts = []
        if self._updates:
            await session.execute(
                graduates.update()
                .where(graduates.c.id == bindparam("gid"))
                .values(
                    program_id=bindparam("pid"),
                    graduation_year=bindparam("year"),
                    full_name=bindparam("name"),
                    updated_at=bindparam("at"),
                ),
                self._updates,
            )
            self._updates = []
        await self.uow.flush_events()


async def import_graduates(
    uow: UnitOfWork, *, institution_id: str, chunks: AsyncIterable[bytes]
) -> ImportCounts:
    """Check and write every row of the CSV stream; raise a 422 problem if any row is bad."""
    job = GraduateImport(uow, institution_id=institution_id)
    records = csv_records(chunks)
    try:
        async for line, fields in records:
            if job.columns is not None:
                await job.row(line, fields)
            elif job.header(line, fields):
                await job.load()
            else:
                break
    except CsvUnreadable as error:
        job.error(error.line, None, str(error))
    finally:
        await records.aclose()
    if job.columns is None and not job.error_count:
        job.error(1, None, f"the file is empty; the header row is {','.join(COLUMNS)}")
    if job.error_count:
        raise _rejected(job)
    await job.flush()
    return job.counts


def _rejected(job: GraduateImport) -> Refused:
    listed = "" if job.error_count <= MAX_LISTED_ERRORS else f" (the first {MAX_LISTED_ERRORS})"
    return Refused(
        f"The file has {job.error_count} error(s){listed}; nothing was imported.",
        errors=job.errors,
        title="Invalid CSV file",
    )
