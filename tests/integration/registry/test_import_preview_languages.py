"""A graduate import's preview explains each refused line in the language the request asks
for (Accept-Language), as the refused import's problem does: the reasons are the catalog's."""

import pytest

from tests.integration.registry.conftest import NEXT_YEAR, as_institution, institution_with_program

HEADER = "student_ref,full_name,program_id,graduation_year"
REASONS = {
    "ru": [
        f"graduation_year должен быть от 1950 до {NEXT_YEAR}",
        "'nope' — не программа этого учебного заведения",
        "Ожидалось полей: 4, найдено: 2",
        "Некорректный CSV: после закрывающей кавычки поля должна идти запятая или конец строки",
    ],
    "uz": [
        f"graduation_year 1950 va {NEXT_YEAR} oraligʻida boʻlishi kerak",
        "'nope' bu taʼlim muassasasining dasturi emas",
        "4 ta maydon kutilgan, 2 ta topildi",
        "CSV notoʻgʻri: maydonning yopuvchi qoʻshtirnogʻidan keyin vergul yoki qator oxiri "
        "kelishi kerak",
    ],
}


def bad_file(program: dict) -> str:
    rows = [
        f"S-1,Aziz,{program['id']},1900",  # line 2: the year
        "S-2,Bobur,nope,2024",  # 3: the program
        "S-3,Too Few",  # 4: the field count
        f'S-4,"Closed"junk,{program["id"]},2024',  # 5: the csv module refuses the quoting
    ]
    return "\n".join([HEADER, *rows]) + "\n"


async def preview(registry, institution: dict, body: str, *, language: str):
    return await registry.post(
        "/api/v1/graduates/import",
        params={"dry_run": "true"},
        headers=as_institution(institution)
        | {"Content-Type": "text/csv", "Accept-Language": language},
        content=body.encode(),
    )


@pytest.mark.parametrize("language", ["ru", "uz"])
async def test_a_preview_gives_each_refused_lines_reason_in_the_requested_language(
    registry, language
):
    institution, program = await institution_with_program(registry)
    reply = await preview(registry, institution, bad_file(program), language=language)
    assert reply.status_code == 200, reply.text
    assert [e["reason"] for e in reply.json()["errors"]] == REASONS[language]
    assert reply.headers["content-language"] == {"ru": "ru", "uz": "uz-Latn"}[language]


async def test_a_preview_in_english_and_the_refused_import_give_the_same_reasons(registry):
    institution, program = await institution_with_program(registry)
    english = await preview(registry, institution, bad_file(program), language="en")
    assert english.json()["errors"][2]["reason"] == "expected 4 fields, found 2"
    refused = await registry.post(
        "/api/v1/graduates/import",
        headers=as_institution(institution) | {"Content-Type": "text/csv", "Accept-Language": "ru"},
        content=bad_file(program).encode(),
    )
    assert refused.status_code == 422
    assert [e["msg"] for e in refused.json()["errors"]] == REASONS["ru"]


async def test_a_nul_character_in_a_line_is_refused_by_line_not_a_server_error(registry):
    institution, program = await institution_with_program(registry)
    body = f"{HEADER}\nS-1,Nul \x00 Name,{program['id']},2024\n"
    reply = await registry.post(
        "/api/v1/graduates/import",
        headers=as_institution(institution) | {"Content-Type": "text/csv", "Accept-Language": "ru"},
        content=body.encode(),
    )
    assert reply.status_code == 422, reply.text
    [error] = reply.json()["errors"]
    assert error["loc"] == ["body", "row", 2]
    assert error["msg"] == "Текст не может содержать символ NUL (\\u0000)"
