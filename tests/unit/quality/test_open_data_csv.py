"""The open-data CSV cannot smuggle a formula into a spreadsheet (OWASP CSV injection)."""

import csv
import io

import pytest
from quality.domain.open_data import COLUMNS, to_csv


def row(**cells) -> dict:
    return {column: None for column in COLUMNS} | cells


def read_back(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example","open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_text_cell_that_a_spreadsheet_would_run_starts_with_a_quote(name):
    (written,) = read_back(to_csv([row(name=name, name_uz=name, reason=name, scope_id=name)]))
    for column in ("name", "name_uz", "reason", "scope_id"):
        assert written[column] == "'" + name


def test_numbers_ordinary_names_and_empty_cells_are_written_as_they_are():
    (written,) = read_back(
        to_csv(
            [
                row(
                    name="Toshkent davlat texnika universiteti",
                    name_ru="Ташкентский государственный технический университет",
                    name_en="Tashkent State Technical University - Almalyk branch",
                    value=-0.5,
                    ci_low=-1.25,
                    n=12,
                    pooled=False,
                )
            ]
        )
    )
    assert written["name"] == "Toshkent davlat texnika universiteti"
    assert written["name_ru"] == "Ташкентский государственный технический университет"
    assert written["name_en"] == "Tashkent State Technical University - Almalyk branch"
    assert (written["value"], written["ci_low"], written["n"]) == ("-0.5", "-1.25", "12")
    assert (written["pooled"], written["ci_high"], written["reason"]) == ("false", "", "")
