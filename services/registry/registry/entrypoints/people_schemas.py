"""Request and response bodies for graduates and employments (table rows are not API models)."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from registry.entrypoints.schemas import Body, Id, Name, Patch

StudentRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Position = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
IscoCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
# The range that depends on today (up to next year) is a registry rule, checked in the handler.
Year = Annotated[int, Field(strict=True)]


class GraduateCreate(Body):
    program_id: Id
    graduation_year: Year
    student_ref: StudentRef = Field(description="the institution's own reference for the student")
    full_name: Name
    institution_id: Id | None = Field(
        default=None, description="optional; when given it must be the program's institution"
    )


class GraduateUpdate(Patch):
    program_id: Id | None = None
    graduation_year: Year | None = None
    full_name: Name | None = None
    active: bool | None = None


class GraduatePublic(BaseModel):
    id: str
    institution_id: str
    program_id: str
    graduation_year: int
    student_ref: str
    full_name: str
    active: bool
    created_at: datetime
    updated_at: datetime


class GraduateImportSummary(BaseModel):
    rows: int = Field(description="data rows in the file (the header not counted)")
    created: int
    updated: int
    unchanged: int


class EmploymentCreate(Body):
    graduate_id: Id
    employer_id: Id
    start_date: date
    end_date: date | None = None
    position: Position
    isco_code: IscoCode = Field(description="ISCO-08 unit group")
    in_field: bool = Field(description="whether the job matches the graduate's field of study")


class EmploymentEnd(Body):
    end_date: date


class EmploymentPublic(BaseModel):
    id: str
    graduate_id: str
    employer_id: str
    start_date: date
    end_date: date | None
    position: str
    isco_code: str
    in_field: bool
    created_at: datetime
    updated_at: datetime
