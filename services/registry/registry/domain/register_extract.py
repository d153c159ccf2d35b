"""Checking a labour-register or tax extract of employments: pure, no database.

Each record names the employer by its taxpayer id and the graduate either by the national
personal identifier (``person_id``, a PINFL: turned into its person key at once and never kept)
or as the institution knows them (the institution's taxpayer id and the student reference),
with the employment's dates, ISCO-08 unit group and type. A record is checked on its own
(formats, dates, codes); whether its graduate and employer are known is the import's to find
out (service_layer/employment_import.py) and is reported, not refused. Errors name the line and
the column.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, get_args

from registry.domain.person_key import PersonKeys, normalized
from registry.domain.streamed_files import FileErrors
from shared.contracts import reference
from shared.contracts.catalogue.registry import EmploymentKind
from shared.platform.errors import Refused

COLUMNS = ("employer_tax_id", "start_date", "end_date", "isco_code", "type")
# Who the graduate is: person_id, or institution_tax_id with student_ref (at least one way).
BY_PERSON, BY_INSTITUTION = ("person_id",), ("institution_tax_id", "student_ref")
OPTIONAL_COLUMNS = (*BY_PERSON, *BY_INSTITUTION, "in_field")
ALL_COLUMNS = (*COLUMNS, *OPTIONAL_COLUMNS)
KINDS: dict[str, EmploymentKind] = {kind: kind for kind in get_args(EmploymentKind)}
MAX_REF_LENGTH = 64
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """A record that passed every check: one employment as the register states it."""

    line: int
    employer_tax_id: str
    # The graduate: by person key, or by institution and student reference.
    person_key: str | None
    institution_tax_id: str | None
    student_ref: str | None
    start_date: date
    end_date: date | None
    isco_code: str
    kind: EmploymentKind
    in_field: bool


class RegisterSheet(FileErrors):
    """The checks of one extract, fed record by record (CSV after its header, or JSON Lines).

    Once any record is bad the file is refused: later records are still checked (to report
    their errors) but none is handed back to be applied.
    """

    def __init__(self, *, person_keys: PersonKeys | None = None) -> None:
        super().__init__()
        self.person_keys = person_keys
        self.columns: dict[str, int] | None = None
        self.rows = 0

    def header(self, line: int, fields: list[str]) -> bool:
        """Take a CSV header row; False (with errors) unless it names the columns."""
        columns = self.column_indexes(line, fields, COLUMNS, OPTIONAL_COLUMNS)
        if columns is not None and not (
            "person_id" in columns or all(c in columns for c in BY_INSTITUTION)
        ):
            self.error(
                line, None, "name the graduate: person_id, or institution_tax_id and student_ref"
            )
            columns = None
        self.columns = columns
        return self.columns is not None

    def csv_record(self, line: int, fields: list[str]) -> RegisterLine | None:
        assert self.columns is not None, "the header comes first"
        if len(fields) != len(self.columns):
            self.rows += 1
            self.error(line, None, f"expected {len(self.columns)} fields, found {len(fields)}")
            return None
        return self.record(line, {name: fields[i] for name, i in self.columns.items()})

    def json_record(self, line: int, value: dict[str, Any] | None) -> RegisterLine | None:
        if value is None:
            self.rows += 1
            self.error(line, None, "not a JSON object")
            return None
        unknown = sorted(set(value) - set(ALL_COLUMNS))
        if unknown:
            self.rows += 1
            self.error(
                line, unknown[0], f"unknown field {unknown[0]!r}; the fields are {ALL_COLUMNS}"
            )
            return None
        with_nul = sorted(k for k, v in value.items() if "\x00" in str(v))
        if with_nul:  # JSON's \u0000: PostgreSQL cannot store it (a 500), SQLite would keep it
            self.rows += 1
            self.error(line, with_nul[0], "text may not contain NUL (\\u0000) characters")
            return None
        return self.record(line, {k: "" if v is None else str(v) for k, v in value.items()})

    def record(self, line: int, raw: dict[str, str]) -> RegisterLine | None:
        """The record on ``line`` as a line to apply, or None if it (or the file) is bad."""
        self.rows += 1
        before = self.error_count
        values = {name: raw.get(name, "").strip() for name in ALL_COLUMNS}
        if not reference.valid_uz_tax_id(values["employer_tax_id"]):
            self.error(line, "employer_tax_id", "employer_tax_id must be a taxpayer id: 9 digits")
        person_key, institution_tax_id, ref = self._graduate(line, values)
        start = self._date(line, "start_date", values["start_date"], required=True)
        end = self._date(line, "end_date", values["end_date"], required=False)
        if start is not None and end is not None and end < start:
            self.error(line, "end_date", "end_date may not be before start_date")
        if values["isco_code"] not in reference.isco08_unit_groups():
            self.error(line, "isco_code", "isco_code must be an ISCO-08 unit group (4 digits)")
        kind = KINDS.get(values["type"])
        if kind is None:
            self.error(line, "type", f"type must be one of {', '.join(KINDS)}")
        in_field = values["in_field"].lower()
        if in_field not in _TRUE + _FALSE:
            self.error(line, "in_field", "in_field must be true or false")
        if self.error_count > before or start is None or kind is None:
            return None
        if self.error_count:
            return None  # the file is refused already: check on, apply nothing
        return RegisterLine(
            line=line,
            employer_tax_id=values["employer_tax_id"],
            person_key=person_key,
            institution_tax_id=institution_tax_id,
            student_ref=ref,
            start_date=start,
            end_date=end,
            isco_code=values["isco_code"],
            kind=kind,
            in_field=in_field in _TRUE,
        )

    def refusal(self, *, csv: bool) -> Refused | None:
        """The error of the whole file once read (None if it may be applied)."""
        if csv and self.columns is None and not self.error_count:
            self.error(1, None, f"the file is empty; the header row is {','.join(COLUMNS)}")
        return self.file_refusal("Invalid register extract")

    def _graduate(
        self, line: int, values: dict[str, str]
    ) -> tuple[str | None, str | None, str | None]:
        """(person key, institution taxpayer id, student reference) naming the graduate."""
        if values["person_id"]:
            national_id = normalized(values["person_id"])
            if self.person_keys is None:
                self.error(line, "person_id", "person identifiers are not accepted: no person key")
            elif national_id is None:
                self.error(line, "person_id", "person_id must be a PINFL: 14 digits")
            else:
                return self.person_keys.of(national_id), None, None
            return None, None, None
        tax_id, ref = values["institution_tax_id"], values["student_ref"]
        if not reference.valid_uz_tax_id(tax_id):
            self.error(
                line, "institution_tax_id", "institution_tax_id must be a taxpayer id: 9 digits"
            )
        if not ref or len(ref) > MAX_REF_LENGTH:
            self.error(line, "student_ref", f"student_ref must be 1-{MAX_REF_LENGTH} characters")
        return None, tax_id, ref

    def _date(self, line: int, column: str, text: str, *, required: bool) -> date | None:
        if not text:
            if required:
                self.error(line, column, f"{column} is required (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error(line, column, f"{column} {text!r} is not a date (YYYY-MM-DD)")
            return None
