"""The registry's bundled reference data are complete, consistent and load as documented."""

import re

import pytest

from shared.contracts import reference
from shared.contracts.reference import (
    Region,
    education_subtypes,
    employer_subtypes,
    government_subtypes,
    isced_2011_levels,
    isced_f_broad_fields,
    isced_f_detailed_fields,
    isced_f_name,
    isced_f_narrow_fields,
    isco08_major_group,
    isco08_major_groups,
    isco08_unit_groups,
    isic_rev4_sections,
    load_regions_file,
    private_subtypes,
    regions,
    research_subtypes,
    valid_uz_tax_id,
)

UZ_CODES = {
    "UZ-AN": "Andijan Region",
    "UZ-BU": "Bukhara Region",
    "UZ-FA": "Fergana Region",
    "UZ-JI": "Jizzakh Region",
    "UZ-NG": "Namangan Region",
    "UZ-NW": "Navoiy Region",
    "UZ-QA": "Kashkadarya Region",
    "UZ-QR": "Republic of Karakalpakstan",
    "UZ-SA": "Samarkand Region",
    "UZ-SI": "Syrdarya Region",
    "UZ-SU": "Surkhandarya Region",
    "UZ-TK": "Tashkent City",
    "UZ-TO": "Tashkent Region",
    "UZ-XO": "Khorezm Region",
}


# --- regions ---------------------------------------------------------------------------------


def test_uzbekistan_has_its_14_first_level_divisions_with_iso_codes():
    uz = regions()
    assert len(uz) == 14
    assert [r.code for r in uz] == sorted(UZ_CODES)
    assert {r.code: r.name_en for r in uz} == UZ_CODES
    assert all(r.country == "UZ" for r in uz)
    assert regions("uz") == uz


def test_every_region_is_named_in_three_languages():
    for region in regions("UZ"):
        for name in (region.name_uz, region.name_ru, region.name_en):
            assert name and name == name.strip()
        assert re.search("[А-Яа-яЁё]", region.name_ru), region
        assert not re.search("[А-Яа-яЁё]", region.name_uz), region


def test_known_region_names():
    by_code = {r.code: r for r in regions()}
    assert by_code["UZ-AN"].name_uz == "Andijon viloyati"
    assert by_code["UZ-AN"].name_ru == "Андижанская область"
    assert by_code["UZ-QR"].name_uz == "Qoraqalpogʻiston Respublikasi"
    assert by_code["UZ-QR"].name_ru == "Республика Каракалпакстан"
    assert by_code["UZ-TK"].name_uz == "Toshkent shahri"
    assert by_code["UZ-TK"].name_ru == "город Ташкент"
    assert by_code["UZ-TO"].name_uz == "Toshkent viloyati"
    assert by_code["UZ-FA"].name_uz == "Fargʻona viloyati"


def test_uzbek_names_use_the_turned_comma_never_an_ascii_apostrophe():
    names = [r.name_uz for r in regions()]
    assert not any("'" in n or "\u2018" in n or "\u2019" in n for n in names)
    assert sum("\u02bb" in n for n in names) == 2  # Fargʻona, Qoraqalpogʻiston


def test_regions_are_frozen_and_callers_cannot_corrupt_the_cache():
    uz = regions()
    with pytest.raises(AttributeError):
        uz[0].code = "UZ-XX"  # type: ignore[misc]
    uz.clear()
    assert len(regions()) == 14


def test_a_country_without_bundled_regions_is_refused():
    with pytest.raises(ValueError, match="load_regions_file"):
        regions("KZ")
    with pytest.raises(ValueError, match="alpha-2"):
        regions("UZB")


def write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = (
    "code,country,name_uz,name_ru,name_en\n"
    "KZ-ALA,KZ,Olmaota,Алматы,Almaty\n"
    "KZ-AST,KZ,Ostona,Астана,Astana\n"
)


def test_load_regions_file_reads_another_country(tmp_path):
    loaded = load_regions_file(write(tmp_path, GOOD))
    assert loaded == [
        Region("KZ-ALA", "KZ", "Olmaota", "Алматы", "Almaty"),
        Region("KZ-AST", "KZ", "Ostona", "Астана", "Astana"),
    ]


def test_load_regions_file_accepts_a_bom_reordered_columns_and_blank_lines(tmp_path):
    text = "\ufeffcountry,code,name_en,name_ru,name_uz\n\nKZ,KZ-1,One,Один,Bir\n"
    assert load_regions_file(write(tmp_path, text)) == [Region("KZ-1", "KZ", "Bir", "Один", "One")]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "empty file"),
        ("code,name_uz,name_ru,name_en\nKZ-1,a,b,c\n", 1, "header"),
        (GOOD + "kz-xyz,KZ,a,b,c\n", 4, "not an ISO 3166-2"),
        (GOOD + "KZ-ABCD,KZ,a,b,c\n", 4, "not an ISO 3166-2"),
        (GOOD + "KZ_1,KZ,a,b,c\n", 4, "not an ISO 3166-2"),
        (GOOD + "UZ-AN,KZ,a,b,c\n", 4, "does not belong"),
        (GOOD + "KZ-1,Kaz,a,b,c\n", 4, "alpha-2"),
        ("code,country,name_uz,name_ru,name_en\nKZ-1,KZ,a,,c\n", 2, "name_ru is empty"),
        ("code,country,name_uz,name_ru,name_en\nKZ-1,KZ,a,b,  \n", 2, "name_en is empty"),
        (GOOD + "KZ-ALA,KZ,a,b,c\n", 4, "duplicate code 'KZ-ALA' (first on line 2)"),
        (GOOD + "KZ-9,KZ,a,b\n", 4, "4 fields; expected 5"),
        ("code,country,name_uz,name_ru,name_en\n", 1, "no regions"),
    ],
)
def test_load_regions_file_names_the_line_of_each_problem(tmp_path, text, line, problem):
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as raised:
        load_regions_file(path)
    message = str(raised.value)
    assert f"line {line}:" in message
    assert problem in message
    assert str(path) in message


def test_load_regions_file_counts_lines_after_a_multiline_field(tmp_path):
    text = 'code,country,name_uz,name_ru,name_en\nKZ-1,KZ,"two\nlines",b,c\nKZ-2,KZ,a,b,\n'
    with pytest.raises(ValueError, match="line 4: name_en is empty"):
        load_regions_file(write(tmp_path, text))


# --- ISCED-F 2013 ----------------------------------------------------------------------------


def test_isced_f_detailed_fields_are_the_complete_official_list():
    detailed = isced_f_detailed_fields()
    assert all(re.fullmatch(r"[0-9]{4}", code) for code in detailed)
    # The main structure has 80 detailed fields; with the list of possible codes'
    # inter-disciplinary (xx88, 10) and "not elsewhere classified" (19 xxx9 + 9 xx99) codes
    # and 9999 "Field unknown" it has 119.
    interdisciplinary = [c for c in detailed if c[2:] == "88"]
    not_elsewhere = [c for c in detailed if c[3] == "9" and c != "9999"]
    assert len(interdisciplinary) == 10
    assert len(not_elsewhere) == 28
    assert len(detailed) - len(interdisciplinary) - len(not_elsewhere) - 1 == 80
    assert len(detailed) == 119


def test_isced_f_levels_have_the_official_counts():
    broad, narrow = isced_f_broad_fields(), isced_f_narrow_fields()
    assert sorted(broad) == [f"{n:02d}" for n in range(11)] + ["99"]
    # 29 narrow fields in the main structure, + 10 xx8 + 9 xx9 + 999 unknown.
    assert len(narrow) == 49
    main_narrow = [c for c in narrow if c[2] not in "89"]
    assert len(main_narrow) == 29


def test_every_isced_f_code_has_its_parents():
    broad, narrow, detailed = (
        isced_f_broad_fields(),
        isced_f_narrow_fields(),
        isced_f_detailed_fields(),
    )
    for code in detailed:
        assert code[:3] in narrow, code
        assert code[:2] in broad, code
    for code in narrow:
        assert code[:2] in broad, code
        assert any(d.startswith(code) for d in detailed), code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0011", "Basic programmes and qualifications"),
        ("0031", "Personal skills and development"),
        ("0111", "Education science"),
        ("0114", "Teacher training with subject specialisation"),
        ("0411", "Accounting and taxation"),
        ("0421", "Law"),
        (
            "0588",
            "Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics",
        ),
        ("0613", "Software and applications development and analysis"),
        ("0619", "Information and Communication Technologies (ICTs) not elsewhere classified"),
        ("0712", "Environmental protection technology"),
        ("0714", "Electronics and automation"),
        ("0731", "Architecture and town planning"),
        ("0912", "Medicine"),
        ("0921", "Care of the elderly and of disabled adults"),
        ("1041", "Transport services"),
        ("1099", "Services not elsewhere classified"),
        ("9999", "Field unknown"),
    ],
)
def test_isced_f_detailed_spot_checks(code, name):
    assert isced_f_detailed_fields()[code] == name
    assert isced_f_name(code) == name


def test_isced_f_codes_outside_the_list_are_absent():
    detailed = isced_f_detailed_fields()
    # "Not further defined" coding aids, and xx9 codes the list of possible codes lacks.
    for code in ("0000", "0610", "0700", "0199", "0429", "0549", "0699", "0739", "1049"):
        assert code not in detailed, code


def test_isced_f_name_covers_every_level_and_rejects_unknown_codes():
    assert isced_f_name("06") == "Information and Communication Technologies (ICTs)"
    assert isced_f_name("073") == "Architecture and construction"
    assert isced_f_name("022") == "Humanities (except languages)"
    with pytest.raises(KeyError):
        isced_f_name("0618")


def test_isced_2011_levels():
    levels = isced_2011_levels()
    assert list(levels) == [str(n) for n in range(9)]
    assert levels["0"] == "Early childhood education"
    assert levels["3"] == "Upper secondary education"
    assert levels["4"] == "Post-secondary non-tertiary education"
    assert levels["5"] == "Short-cycle tertiary education"
    assert levels["6"] == "Bachelor's or equivalent level"
    assert levels["7"] == "Master's or equivalent level"
    assert levels["8"] == "Doctoral or equivalent level"


# --- ISIC Rev.4 ------------------------------------------------------------------------------


def test_isic_rev4_has_21_sections_a_to_u():
    sections = isic_rev4_sections()
    assert list(sections) == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    assert sections["C"] == "Manufacturing"
    assert sections["J"] == "Information and communication"
    assert sections["P"] == "Education"
    assert sections["U"] == "Activities of extraterritorial organizations and bodies"
    assert employer_subtypes() == tuple(sections)


# --- ISCO-08 ---------------------------------------------------------------------------------


def test_isco08_has_436_unit_groups_in_10_major_groups():
    units = isco08_unit_groups()
    assert len(units) == 436
    assert all(re.fullmatch(r"[0-9]{4}", code) for code in units)
    assert all(title and title == title.strip() for title in units.values())
    majors = isco08_major_groups()
    assert list(majors) == [str(n) for n in range(10)]
    assert {code[0] for code in units} == set(majors)
    per_major = {m: sum(code[0] == m for code in units) for m in majors}
    assert per_major == {
        "0": 3, "1": 31, "2": 92, "3": 84, "4": 29, "5": 40, "6": 18, "7": 66, "8": 40, "9": 33,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "title", "major"),
    [
        ("0110", "Commissioned armed forces officers", "Armed forces occupations"),
        ("1345", "Education managers", "Managers"),
        ("2211", "Generalist medical practitioners", "Professionals"),
        ("2310", "University and higher education teachers", "Professionals"),
        ("2330", "Secondary education teachers", "Professionals"),
        ("2512", "Software developers", "Professionals"),
        (
            "3155",
            "Air traffic safety electronics technicians",
            "Technicians and associate professionals",
        ),
        ("4110", "General office clerks", "Clerical support workers"),
        ("5312", "Teachers' aides", "Service and sales workers"),
        (
            "6340",
            "Subsistence fishers, hunters, trappers and gatherers",
            "Skilled agricultural, forestry and fishery workers",
        ),
        ("7411", "Building and related electricians", "Craft and related trades workers"),
        (
            "8350",
            "Ships' deck crews and related workers",
            "Plant and machine operators, and assemblers",
        ),
        ("9629", "Elementary workers not elsewhere classified", "Elementary occupations"),
    ],
)
def test_isco08_spot_checks(code, title, major):
    assert isco08_unit_groups()[code] == title
    assert isco08_major_group(code) == major


@pytest.mark.parametrize("code", ["2510", "25", "0000", "1000", "9999", "251", "x"])
def test_isco08_major_group_rejects_codes_that_are_not_unit_groups(code):
    with pytest.raises(ValueError):
        isco08_major_group(code)


def test_isco08_major_group_of_a_major_group_code():
    assert isco08_major_group("7") == "Craft and related trades workers"


# --- subtypes --------------------------------------------------------------------------------


def test_organization_subtypes():
    assert education_subtypes() == (
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
    assert research_subtypes() == ("research_institute", "laboratory", "technopark", "other")
    assert private_subtypes() == ("company", "foundation", "association", "other")
    assert government_subtypes() == ("ministry", "regional_authority", "agency", "other")
    for subtypes in (education_subtypes(), research_subtypes(), private_subtypes()):
        assert len(set(subtypes)) == len(subtypes)
        assert all(re.fullmatch(r"[a-z_]+", s) for s in subtypes)


# --- tax ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tax_id",
    ["200123456", "301234567", "305678912", "412345678", "512345670", "612345678", "712345678"],
)
def test_valid_uz_tax_ids(tax_id):
    assert valid_uz_tax_id(tax_id)


@pytest.mark.parametrize(
    "tax_id",
    [
        "",
        "20012345",  # 8 digits
        "2001234567",  # 10 digits
        "12345678901234",  # a 14-digit PINFL
        "012345678",
        "112345678",
        "812345678",
        "912345678",
        "222222222",
        "777777777",
        "20012345a",
        " 200123456",
        "200123456\n",
        "200 12345",
        "２００１２３４５６",  # full-width digits
        "20012345٦",  # Arabic-Indic digit
        200123456,
        None,
    ],
)
def test_invalid_uz_tax_ids(tax_id):
    assert not valid_uz_tax_id(tax_id)


# --- packaging -------------------------------------------------------------------------------


def test_loaders_are_cached_and_return_independent_copies():
    first = isco08_unit_groups()
    first.clear()
    assert len(isco08_unit_groups()) == 436
    assert reference._isco08_unit_groups.cache_info().hits >= 1
