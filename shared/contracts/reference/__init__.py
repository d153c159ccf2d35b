"""Reference data every service validates against: regions, classifications, subtypes, tax ids.

Pure Python (standard library only), so any layer can import it. The data are shipped as
package data beside this file and read with :mod:`importlib.resources`:

* ``regions_uz.csv`` - Uzbekistan's 14 first-level divisions (12 regions, the Republic of
  Karakalpakstan and Tashkent city) with their ISO 3166-2:UZ codes and names in Uzbek
  (Latin script), Russian and English. Uzbek names write the letters oʻ and gʻ with
  U+02BB MODIFIER LETTER TURNED COMMA (the form of the current official Uzbek Latin
  alphabet), never with an ASCII apostrophe, so ``"Fargʻona viloyati"``, not
  ``"Farg'ona viloyati"``.
* ``isced_f_2013.csv`` - ISCED-F 2013 fields of education and training (UNESCO UIS): broad
  (2 digits), narrow (3 digits) and detailed (4 digits) fields, including the
  "inter-disciplinary programmes and qualifications" (xx8/xx88) and "not elsewhere
  classified" (xx9/xx99, and the xxx9 detailed fields) codes of the classification's list of
  possible codes, and 99/999/9999 "Field unknown". The "not further defined" codes
  (xx0, x00, e.g. 0610) are coding aids for vague answers, not fields, and are left out.
* ``isced_2011_levels.csv`` - ISCED 2011 levels of education 0-8.
* ``isic_rev4_sections.csv`` - ISIC Rev.4 sections A-U.
* ``isco_08.csv`` / ``isco_08_major_groups.csv`` - ISCO-08 (ILO) unit groups (436, 4-digit)
  and major groups (10, 1-digit).

Loaders are cached with :func:`functools.cache`; each call returns a fresh list or dict, so
callers may modify what they get without touching the cache.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = [
    "Region",
    "education_subtypes",
    "employer_subtypes",
    "government_subtypes",
    "isced_2011_levels",
    "isced_f_broad_fields",
    "isced_f_detailed_fields",
    "isced_f_name",
    "isced_f_narrow_fields",
    "isco08_major_group",
    "isco08_major_groups",
    "isco08_unit_groups",
    "isic_rev4_sections",
    "load_regions_file",
    "private_subtypes",
    "regions",
    "research_subtypes",
    "valid_uz_tax_id",
]


@dataclass(frozen=True)
class Region:
    """A first-level administrative division of a country (ISO 3166-2)."""

    code: str
    country: str
    name_uz: str
    name_ru: str
    name_en: str


# --- package data ----------------------------------------------------------------------------


def _read_text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8-sig")


def _code_table(name: str, value_column: str) -> dict[str, str]:
    """Reads a bundled ``code,<value_column>`` CSV into an ordered mapping."""
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(_read_text(name))):
        code, value = row["code"], row[value_column]
        if code in table:
            raise RuntimeError(f"{name}: duplicate code {code!r}")
        table[code] = value
    return table


# --- regions ---------------------------------------------------------------------------------

_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_REGION_CODE_RE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_NAME_COLUMNS = ("name_uz", "name_ru", "name_en")


def _parse_regions(text: str, source: str, country: str | None) -> tuple[Region, ...]:
    """Parses and validates a region CSV.

    With ``country`` given, the file has no ``country`` column and every row belongs to it.
    Every problem raises :class:`ValueError` naming ``source`` and the (1-based) line.
    """
    expected = ["code", *(["country"] if country is None else []), *_NAME_COLUMNS]
    reader = csv.reader(io.StringIO(text, newline=""))

    def fail(line: int, problem: str) -> ValueError:
        return ValueError(f"{source}, line {line}: {problem}")

    header = next(reader, None)
    if header is None:
        raise fail(1, f"empty file; expected the header {','.join(expected)}")
    header = [column.strip() for column in header]
    if sorted(header) != sorted(expected):
        raise fail(1, f"header is {','.join(header)}; expected {','.join(expected)}")

    result: list[Region] = []
    seen: dict[str, int] = {}
    last_line = reader.line_num
    for row in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(field.strip() for field in row):
            continue  # blank line
        if len(row) != len(header):
            raise fail(line, f"{len(row)} fields; expected {len(header)}")
        values = {column: field.strip() for column, field in zip(header, row, strict=True)}
        row_country = values["country"] if country is None else country
        if not _COUNTRY_RE.fullmatch(row_country):
            raise fail(line, f"country {row_country!r} is not an ISO 3166-1 alpha-2 code")
        code = values["code"]
        if not _REGION_CODE_RE.fullmatch(code):
            raise fail(line, f"code {code!r} is not an ISO 3166-2 subdivision code")
        if not code.startswith(row_country + "-"):
            raise fail(line, f"code {code!r} does not belong to country {row_country!r}")
        if code in seen:
            raise fail(line, f"duplicate code {code!r} (first on line {seen[code]})")
        for column in _NAME_COLUMNS:
            if not values[column]:
                raise fail(line, f"{column} is empty")
        seen[code] = line
        result.append(
            Region(
                code=code,
                country=row_country,
                name_uz=values["name_uz"],
                name_ru=values["name_ru"],
                name_en=values["name_en"],
            )
        )
    if not result:
        raise fail(last_line, "no regions in file")
    return tuple(result)


@cache
def _bundled_regions(country: str) -> tuple[Region, ...]:
    name = f"regions_{country.lower()}.csv"
    resource = files(__name__).joinpath(name)
    if not resource.is_file():
        raise ValueError(
            f"no bundled region list for country {country!r}; load one with load_regions_file()"
        )
    return _parse_regions(_read_text(name), name, country)


def regions(country: str = "UZ") -> list[Region]:
    """The bundled first-level divisions of ``country`` (ISO 3166-1 alpha-2), in code order.

    Only Uzbekistan (``"UZ"``) is bundled; another country raises :class:`ValueError` (use
    :func:`load_regions_file` for it).
    """
    if not isinstance(country, str) or not _COUNTRY_RE.fullmatch(country.upper()):
        raise ValueError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    return list(_bundled_regions(country.upper()))


def load_regions_file(path: str | os.PathLike[str]) -> list[Region]:
    """Loads another country's (or countries') divisions from a UTF-8 CSV file.

    Columns (header required, any order): ``code,country,name_uz,name_ru,name_en``. Each
    ``code`` must match ``^[A-Z]{2}-[A-Z0-9]{1,3}$`` and start with its row's ``country``
    and a hyphen; names must be non-empty; codes must be unique. Any problem raises
    :class:`ValueError` whose message names the file and the line number.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    return list(_parse_regions(text, os.fspath(path), None))


# --- ISCED-F 2013 ----------------------------------------------------------------------------

_ISCED_F_LEVELS = {"broad": 2, "narrow": 3, "detailed": 4}


@cache
def _isced_f() -> dict[str, dict[str, str]]:
    by_level: dict[str, dict[str, str]] = {level: {} for level in _ISCED_F_LEVELS}
    for row in csv.DictReader(io.StringIO(_read_text("isced_f_2013.csv"))):
        code, level, name = row["code"], row["level"], row["name"]
        if len(code) != _ISCED_F_LEVELS[level] or not code.isdigit():
            raise RuntimeError(f"isced_f_2013.csv: bad {level} code {code!r}")
        by_level[level][code] = name
    return by_level


def isced_f_broad_fields() -> dict[str, str]:
    """ISCED-F 2013 broad fields: 2-digit code -> English name (00-10 and 99 unknown)."""
    return dict(_isced_f()["broad"])


def isced_f_narrow_fields() -> dict[str, str]:
    """ISCED-F 2013 narrow fields: 3-digit code -> English name."""
    return dict(_isced_f()["narrow"])


def isced_f_detailed_fields() -> dict[str, str]:
    """ISCED-F 2013 detailed fields: 4-digit code -> English name.

    The 80 fields of the classification's main structure, plus the inter-disciplinary
    (xx88) and "not elsewhere classified" (xxx9, xx99) codes, plus 9999 "Field unknown".
    """
    return dict(_isced_f()["detailed"])


def isced_f_name(code: str) -> str:
    """The English name of an ISCED-F 2013 broad, narrow or detailed field code."""
    for level in _isced_f().values():
        if code in level:
            return level[code]
    raise KeyError(f"unknown ISCED-F 2013 code: {code!r}")


# --- ISCED 2011, ISIC Rev.4 ------------------------------------------------------------------


@cache
def _isced_2011_levels() -> dict[str, str]:
    return _code_table("isced_2011_levels.csv", "name")


def isced_2011_levels() -> dict[str, str]:
    """ISCED 2011 levels of education: ``"0"``..``"8"`` -> official English name."""
    return dict(_isced_2011_levels())


@cache
def _isic_rev4_sections() -> dict[str, str]:
    return _code_table("isic_rev4_sections.csv", "name")


def isic_rev4_sections() -> dict[str, str]:
    """ISIC Rev.4 sections: letter ``"A"``..``"U"`` -> English name."""
    return dict(_isic_rev4_sections())


# --- ISCO-08 ---------------------------------------------------------------------------------


@cache
def _isco08_unit_groups() -> dict[str, str]:
    return _code_table("isco_08.csv", "title")


@cache
def _isco08_major_groups() -> dict[str, str]:
    return _code_table("isco_08_major_groups.csv", "title")


def isco08_unit_groups() -> dict[str, str]:
    """ISCO-08 unit groups: 4-digit code -> English title (all 436)."""
    return dict(_isco08_unit_groups())


def isco08_major_groups() -> dict[str, str]:
    """ISCO-08 major groups: 1-digit code -> English title (0 armed forces .. 9 elementary)."""
    return dict(_isco08_major_groups())


def isco08_major_group(code: str) -> str:
    """The title of the major group of an ISCO-08 unit group code (or of a 1-digit code).

    ``isco08_major_group("2512") == "Professionals"``. Raises :class:`ValueError` for a code
    that is neither an ISCO-08 unit group nor a major group.
    """
    if code not in _isco08_unit_groups() and code not in _isco08_major_groups():
        raise ValueError(f"not an ISCO-08 unit group or major group code: {code!r}")
    return _isco08_major_groups()[code[0]]


# --- organization subtypes -------------------------------------------------------------------

_EDUCATION_SUBTYPES = (
    "university",
    "institute",
    "academy",
    "college",
    "technikum",
    "vocational_school",
    "lyceum",
    "school",
    "other",
)
_RESEARCH_SUBTYPES = ("research_institute", "laboratory", "technopark", "other")
_PRIVATE_SUBTYPES = ("company", "foundation", "association", "other")
_GOVERNMENT_SUBTYPES = ("ministry", "regional_authority", "agency", "other")


def education_subtypes() -> tuple[str, ...]:
    """Allowed subtypes of an education organization."""
    return _EDUCATION_SUBTYPES


def research_subtypes() -> tuple[str, ...]:
    """Allowed subtypes of a research organization."""
    return _RESEARCH_SUBTYPES


def private_subtypes() -> tuple[str, ...]:
    """Allowed subtypes of a private (non-employer) organization."""
    return _PRIVATE_SUBTYPES


def government_subtypes() -> tuple[str, ...]:
    """Allowed subtypes of a government body."""
    return _GOVERNMENT_SUBTYPES


def employer_subtypes() -> tuple[str, ...]:
    """Allowed subtypes of an employer: its ISIC Rev.4 section letter, ``"A"``..``"U"``."""
    return tuple(_isic_rev4_sections())


# --- Uzbekistan taxpayer identification number ------------------------------------------------

_UZ_TAX_ID_RE = re.compile(r"[2-7][0-9]{8}")


def valid_uz_tax_id(tax_id: str) -> bool:
    """Whether ``tax_id`` is well-formed as an Uzbekistan taxpayer identification number.

    The number (STIR, *soliq toʻlovchining identifikatsiya raqami*; INN in Russian) has
    exactly 9 decimal digits. Legal entities' numbers start with 2 or 3; natural persons'
    (individual entrepreneurs included) start with 4, 5 or 6. A first digit of 7 is accepted
    too, so that numbers from a range opened after those are not refused; 0, 1, 8 and 9 are
    used by neither series and are rejected, as are strings of one repeated digit (e.g.
    ``"222222222"``, a typical placeholder).

    This is a format check only: it applies no check-digit algorithm, and a well-formed
    number may still not be registered to anyone. No whitespace or other characters are
    tolerated; normalize input before calling. The 14-digit personal number (PINFL/JSHSHIR)
    is a different identifier and is rejected here.
    """
    if not isinstance(tax_id, str) or not _UZ_TAX_ID_RE.fullmatch(tax_id):
        return False
    return len(set(tax_id)) > 1
