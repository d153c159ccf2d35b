"""Checking a CSV file of an institution's graduates: pure, no database.

Each complete CSV record (domain/streamed_files.py reads them) is checked against what the
institution has (its programs, its graduates by student reference) and against the lines before
it (a student reference may appear once). Errors name the line (the header is line 1) and the
column; the first ``MAX_LISTED_ERRORS`` are listed, all are counted.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from registry.domain.model import Graduate
from registry.domain.person_key import PersonKeys, normalized
from registry.domain.rules import graduation_year_problem
from registry.domain.streamed_files import (
    MAX_LISTED_ERRORS,
    CsvUnreadable,
    FileErrors,
    csv_records,
)
from shared.platform.errors import Refused

__all__ = ["MAX_LISTED_ERRORS", "CsvUnreadable", "GraduateLine", "GraduateSheet", "csv_records"]

COLUMNS = ("student_ref", "full_name", "program_id", "graduation_year")
# The graduate's PINFL, to match register extracts: kept only as a keyed hash (person_key.py).
OPTIONAL_COLUMNS = ("national_id",)
MAX_REF_LENGTH = 64
MAX_NAME_LENGTH = 300


@dataclass(frozen=True, slots=True)
class GraduateLine:
    """A data record that passed every check: what the file says of one student."""

    line: int
    student_ref: str
    full_name: str
    program_id: str
    graduation_year: int
    person_key: str | None = None  # None: the line gives no national identifier

    def same_as(self, graduate: Graduate) -> bool:
        """Whether ``graduate`` already stands as this line says (then nothing changes)."""
        return (graduate.program_id, graduate.graduation_year, graduate.full_name) == (
            self.program_id,
            self.graduation_year,
            self.full_name,
        ) and self.person_key in (None, graduate.person_key)


class GraduateSheet(FileErrors):
    """The checks of one file of one institution's graduates, fed record by record.

    ``programs`` maps the institution's program ids to whether each is active; ``know`` tells
    it the institution's graduates. Once any record is bad the file is refused: later records
    are still checked (to report their errors) but none is handed back to be written, unless
    ``every_line`` (a preview, which writes nothing, counts what each good line would do).
    """

    def __init__(
        self, *, this_year: int, person_keys: PersonKeys | None = None, every_line: bool = False
    ) -> None:
        super().__init__()
        self.this_year = this_year
        self.person_keys = person_keys
        self.every_line = every_line
        self.columns: dict[str, int] | None = None
        self.programs: Mapping[str, bool] = {}
        self.rows = 0
        self._graduates: dict[str, Graduate] = {}
        self._lines: dict[str, int] = {}  # the line each student_ref was first seen on

    def header(self, line: int, fields: list[str]) -> bool:
        """Take the header row; False (with errors) unless it names exactly the columns."""
        self.columns = self.column_indexes(line, fields, COLUMNS, OPTIONAL_COLUMNS)
        if self.columns is not None and "national_id" in self.columns and not self.person_keys:
            self.error(line, "national_id", "national identifiers are not accepted: no person key")
            self.columns = None
        return self.columns is not None

    def know(self, graduate: Graduate) -> None:
        """A graduate the institution has already, under its student reference."""
        self._graduates[graduate.student_ref] = graduate

    def graduate(self, student_ref: str) -> Graduate | None:
        """The graduate the institution has (or this file created) under ``student_ref``."""
        return self._graduates.get(student_ref)

    def took(self, line: GraduateLine, graduate: Graduate) -> None:
        """``line`` was applied: ``graduate`` now stands under its reference."""
        self._graduates[line.student_ref] = graduate
        self._lines[line.student_ref] = line.line

    def record(self, line: int, fields: list[str]) -> GraduateLine | None:
        """The data record on ``line`` as a line to apply, or None if it (or the file) is bad."""
        self.rows += 1
        assert self.columns is not None, "the header comes first"
        if len(fields) != len(self.columns):
            self.error(line, None, f"expected {len(self.columns)} fields, found {len(fields)}")
            return None
        assert self.columns is not None, "the header comes first"
        values = {name: fields[index].strip() for name, index in self.columns.items()}
        checked = self._check(line, values)
        if checked is not None and self.error_count and not self.every_line:
            # The file is refused already: keep checking the rest, but hand back nothing more.
            self._remember_line(checked.student_ref, line)
            return None
        return checked

    def refusal(self) -> Refused | None:
        """The error of the whole file once read (None if it may be written)."""
        if self.columns is None and not self.error_count:
            self.error(1, None, f"the file is empty; the header row is {','.join(COLUMNS)}")
        return self.file_refusal("Invalid CSV file")

    def _check(self, line: int, values: dict[str, str]) -> GraduateLine | None:
        before = self.error_count
        ref, name = values["student_ref"], values["full_name"]
        if not ref or len(ref) > MAX_REF_LENGTH:
            self.error(line, "student_ref", f"student_ref must be 1-{MAX_REF_LENGTH} characters")
        elif ref in self._lines:
            self.error(line, "student_ref", f"student_ref {ref} is also on line {self._lines[ref]}")
        if not name or len(name) > MAX_NAME_LENGTH:
            self.error(line, "full_name", f"full_name must be 1-{MAX_NAME_LENGTH} characters")
        program_id = self._check_program(line, values["program_id"])
        year = self._check_year(line, values["graduation_year"])
        person_key = self._check_national_id(line, values.get("national_id", ""))
        if self.error_count > before or program_id is None or year is None:
            self._remember_line(ref, line)
            return None
        return GraduateLine(line, ref, name, program_id, year, person_key)

    def _check_national_id(self, line: int, text: str) -> str | None:
        if not text or self.person_keys is None:
            return None
        national_id = normalized(text)
        if national_id is None:
            self.error(line, "national_id", "national_id must be a PINFL: 14 digits")
            return None
        return self.person_keys.of(national_id)

    def _check_program(self, line: int, program_id: str) -> str | None:
        active = self.programs.get(program_id)
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
        problem = graduation_year_problem(int(text), this_year=self.this_year)
        if problem:
            self.error(line, "graduation_year", problem)
            return None
        return int(text)

    def _remember_line(self, ref: str, line: int) -> None:
        if ref and len(ref) <= MAX_REF_LENGTH:
            self._lines.setdefault(ref, line)
