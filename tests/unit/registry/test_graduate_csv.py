"""The CSV reader and the per-record checks of a graduates file (pure: no database)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from registry.domain.graduate_csv import (
    MAX_LISTED_ERRORS,
    CsvUnreadable,
    GraduateLine,
    GraduateSheet,
    csv_records,
)
from registry.domain.model import Graduate

HEADER = ["student_ref", "full_name", "program_id", "graduation_year"]
THIS_YEAR = 2025


async def chunked(data: bytes, size: int) -> AsyncIterator[bytes]:
    for offset in range(0, len(data), size):
        yield data[offset : offset + size]


async def records(data: bytes, size: int = 4) -> list[tuple[int, list[str]]]:
    return [record async for record in csv_records(chunked(data, size))]


def a_sheet(programs: dict[str, bool] | None = None) -> GraduateSheet:
    sheet = GraduateSheet(this_year=THIS_YEAR)
    assert sheet.header(1, HEADER)
    sheet.programs = {"P1": True, "OLD": False} if programs is None else programs
    return sheet


def locs(sheet: GraduateSheet) -> list[list]:
    return [e["loc"] for e in sheet.errors]


async def test_a_bom_crlf_quoted_fields_and_tiny_chunks_are_read_as_records():
    text = (
        "a,b\r\n"
        '"Karimova, Dilnoza",x\r\n'
        "\r\n"
        '"Line\r\nbreak","O\'Neil ""Ali"""\r\n'
        "Ўткир Ҳошимов,last"
    )
    got = await records("\ufeff".encode() + text.encode(), size=3)
    assert got == [
        (1, ["a", "b"]),
        (2, ["Karimova, Dilnoza", "x"]),
        (4, ["Line\r\nbreak", 'O\'Neil "Ali"']),
        (6, ["Ўткир Ҳошимов", "last"]),
    ]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"a,b\nS-1,Bad \xff byte\n", 2),
        (b'a,b\nS-1,"never closed\nS-2,x\n', 2),
        (b'a,b\nS-1,"closed"junk\n', 2),
        (b"a,b\n" + b"x" * 20_000, 2),
    ],
)
async def test_an_unreadable_stream_names_the_line_where_reading_stopped(data, line):
    with pytest.raises(CsvUnreadable) as unreadable:
        await records(data, size=5)
    assert unreadable.value.line == line


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ([*HEADER, "email"], "email"),
        (HEADER[:3], "graduation_year"),
        ([*HEADER, "student_ref"], "student_ref"),
        (["ref", *HEADER[1:]], "ref"),
    ],
)
def test_a_header_other_than_the_four_columns_is_refused_naming_the_column(header, column):
    sheet = GraduateSheet(this_year=THIS_YEAR)
    assert not sheet.header(1, header)
    assert ["body", "row", 1, column] in locs(sheet)
    assert sheet.columns is None


def test_the_columns_may_come_in_any_order_and_values_are_stripped():
    sheet = GraduateSheet(this_year=THIS_YEAR)
    assert sheet.header(1, [" graduation_year", "program_id", "full_name", "student_ref "])
    sheet.programs = {"P1": True}
    line = sheet.record(2, ["2024", "P1", "  Spaced Name ", " S-5 "])
    assert line == GraduateLine(2, "S-5", "Spaced Name", "P1", 2024)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        (["", "No Ref", "P1", "2024"], ["body", "row", 2, "student_ref"]),
        (["x" * 65, "Long Ref", "P1", "2024"], ["body", "row", 2, "student_ref"]),
        (["S-1", "", "P1", "2024"], ["body", "row", 2, "full_name"]),
        (["S-1", "n" * 301, "P1", "2024"], ["body", "row", 2, "full_name"]),
        (["S-1", "Unknown Program", "nope", "2024"], ["body", "row", 2, "program_id"]),
        (["S-1", "Retired Program", "OLD", "2024"], ["body", "row", 2, "program_id"]),
        (["S-1", "Bad Year", "P1", "twenty"], ["body", "row", 2, "graduation_year"]),
        (["S-1", "Bad Year", "P1", "２０２４"], ["body", "row", 2, "graduation_year"]),
        (["S-1", "Old Year", "P1", "1949"], ["body", "row", 2, "graduation_year"]),
        (["S-1", "Far Year", "P1", str(THIS_YEAR + 2)], ["body", "row", 2, "graduation_year"]),
        (["S-1", "Too", "Many", "P1", "2024"], ["body", "row", 2]),
        (["S-1", "Too Few"], ["body", "row", 2]),
    ],
)
def test_a_bad_record_is_reported_by_line_and_column(fields, loc):
    sheet = a_sheet()
    assert sheet.record(2, fields) is None
    assert locs(sheet) == [loc]
    assert all(e["msg"] for e in sheet.errors)


def test_next_year_is_a_graduation_year_but_the_one_after_is_not():
    sheet = a_sheet()
    assert sheet.record(2, ["S-1", "Planned", "P1", str(THIS_YEAR + 1)]) is not None


def test_a_student_ref_repeated_in_the_file_names_the_first_line():
    sheet = a_sheet()
    first = sheet.record(2, ["S-1", "Aziz", "P1", "2024"])
    assert first is not None
    sheet.took(first, a_graduate(first))
    assert sheet.record(3, ["S-1", "Aziz Again", "P1", "2024"]) is None
    [error] = sheet.errors
    assert error["loc"] == ["body", "row", 3, "student_ref"] and "line 2" in error["msg"]


def test_a_ref_on_a_bad_line_still_counts_as_seen():
    sheet = a_sheet()
    assert sheet.record(2, ["S-1", "Bad Year", "P1", "1900"]) is None
    assert sheet.record(3, ["S-1", "Good", "P1", "2024"]) is None
    assert locs(sheet)[-1] == ["body", "row", 3, "student_ref"]


def test_once_the_file_is_refused_good_records_are_checked_but_not_handed_back():
    sheet = a_sheet()
    assert sheet.record(2, ["S-1", "Bad Year", "P1", "1900"]) is None
    assert sheet.record(3, ["S-2", "Good", "P1", "2024"]) is None
    assert sheet.record(4, ["S-2", "Again", "P1", "2024"]) is None
    assert locs(sheet) == [["body", "row", 2, "graduation_year"], ["body", "row", 4, "student_ref"]]
    assert sheet.rows == 3


def test_the_error_list_is_capped_and_the_refusal_gives_the_total():
    sheet = a_sheet()
    for line in range(2, 252):
        sheet.record(line, [f"S-{line}", "Old", "P1", "1900"])
    refusal = sheet.refusal()
    assert refusal is not None
    assert len(refusal.errors) == MAX_LISTED_ERRORS
    assert "250 error" in str(refusal) and refusal.title == "Invalid CSV file"


def test_an_empty_file_is_refused_on_line_one_and_a_good_one_is_not():
    assert GraduateSheet(this_year=THIS_YEAR).refusal().errors[0]["loc"] == ["body", "row", 1]
    assert a_sheet().refusal() is None


def test_a_line_the_institution_already_has_unchanged_is_the_same():
    sheet = a_sheet()
    line = sheet.record(2, ["S-1", "Aziz", "P1", "2024"])
    known = a_graduate(line)
    sheet.know(known)
    assert sheet.graduate("S-1") == known and line.same_as(known)
    renamed = sheet.record(3, ["S-2", "Bobur", "P1", "2023"])
    assert not renamed.same_as(known)


def a_graduate(line: GraduateLine) -> Graduate:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    return Graduate(
        id=f"g-{line.student_ref}",
        institution_id="i",
        program_id=line.program_id,
        graduation_year=line.graduation_year,
        student_ref=line.student_ref,
        full_name=line.full_name,
        active=True,
        created_at=at,
        updated_at=at,
    )
