"""Problems through the real gateway and registry come in the language Accept-Language asks
for (uz, ru, en), and only their texts change."""

import httpx

from tests.integration.gateway.conftest import MINISTRY, fresh_tax_id

# Five refusals of one body: a missing field, a value not of the list, a string too short,
# an e-mail address that is not one and a validator's own message (a date in the future).
INVALID = {
    "kind": "school",
    "subtype": "",
    "region_code": "UZ-TO",
    "tax_id": "300000001",
    "contact_email": "not-an-address",
    "registered_on": "2999-01-01",
}


async def _create(gateway, body: dict, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(headers=MINISTRY | headers) as client:
        return await client.post(gateway.url + "/api/v1/organizations", json=body)


def _machine_readable(problem: dict) -> tuple:
    return (
        problem["type"],
        problem["status"],
        problem["instance"],
        [(e["loc"], e["type"]) for e in problem["errors"]],
    )


async def test_a_422_comes_in_russian_or_uzbek_as_asked_with_the_same_locs_and_types(gateway):
    english = await _create(gateway, INVALID)
    russian = await _create(gateway, INVALID, **{"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    uzbek = await _create(gateway, INVALID, **{"Accept-Language": "uz"})

    for response in (english, russian, uzbek):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "accept-language" in response.headers["vary"].lower()
    assert english.headers["content-language"] == "en"
    assert russian.headers["content-language"] == "ru"
    assert uzbek.headers["content-language"] == "uz-Latn"
    en, ru, uz = english.json(), russian.json(), uzbek.json()
    assert _machine_readable(en) == _machine_readable(ru) == _machine_readable(uz)
    assert len(en["errors"]) == 5

    # Without Accept-Language: English, word for word as before.
    assert en["title"] == "Invalid request"
    assert en["detail"].startswith("Check these fields: body.kind")
    by_field = {e["loc"][-1]: e["msg"] for e in en["errors"]}
    assert by_field["name"] == "Field required"
    assert by_field["subtype"] == "String should have at least 1 character"

    assert ru["title"] == "Некорректный запрос"
    assert ru["detail"] == en["detail"].replace("Check these fields:", "Проверьте поля:")
    by_field = {e["loc"][-1]: e["msg"] for e in ru["errors"]}
    assert by_field["name"] == "Обязательное поле"
    assert by_field["subtype"] == "Минимальная длина — 1 символ"
    assert by_field["kind"].startswith("Допустимые значения: ")
    assert by_field["registered_on"] == "Дата регистрации не может быть в будущем"
    assert by_field["contact_email"].startswith("Некорректный адрес электронной почты")

    assert uz["title"] == "Notoʻgʻri soʻrov"
    by_field = {e["loc"][-1]: e["msg"] for e in uz["errors"]}
    assert by_field["name"] == "Toʻldirilishi shart"
    assert by_field["subtype"] == "Kamida 1 ta belgi boʻlishi kerak"
    assert by_field["registered_on"] == "Roʻyxatga olish sanasi kelajakda boʻlishi mumkin emas"


async def test_a_domain_rule_the_service_refuses_is_translated_keeping_its_field(gateway):
    body = {
        "kind": "employer",
        "subtype": "J",
        "name": "Employer with a bad STIR",
        "region_code": "UZ-TO",
        "tax_id": "123",
    }
    english = await _create(gateway, body)
    russian = await _create(gateway, body, **{"Accept-Language": "ru"})
    uzbek = await _create(gateway, body, **{"Accept-Language": "uz-Latn"})

    assert english.status_code == russian.status_code == uzbek.status_code == 422
    assert english.json()["errors"] == [
        {"loc": ["body", "tax_id"], "msg": "a taxpayer id (STIR) is 9 digits, starting with 2-7"}
    ]
    assert russian.json()["errors"] == [
        {"loc": ["body", "tax_id"], "msg": "ИНН (STIR) — 9 цифр, первая от 2 до 7"}
    ]
    assert uzbek.json()["detail"] == "STIR 9 ta raqamdan iborat va 2–7 bilan boshlanadi"


async def test_a_conflict_keeps_the_interpolated_id_in_every_language(gateway):
    body = {
        "kind": "employer",
        "subtype": "J",
        "name": "Employer registered twice",
        "region_code": "UZ-TO",
        "tax_id": fresh_tax_id(),
    }
    created = await _create(gateway, body)
    assert created.status_code == 201, created.text
    twice = await _create(gateway, body, **{"Accept-Language": "uz"})

    assert twice.status_code == 409
    assert twice.json()["detail"] == (
        f"Bu STIR allaqachon roʻyxatga olingan ({created.json()['id']})"
    )


async def test_the_gateways_own_problems_come_in_the_language_asked_for(gateway):
    async with httpx.AsyncClient() as anonymous:
        unauthenticated = await anonymous.get(
            gateway.url + "/api/v1/organizations", headers={"Accept-Language": "ru"}
        )
        unknown = await anonymous.get(
            gateway.url + "/api/v1/nothing-here/1", headers={"Accept-Language": "uz"}
        )
        english = await anonymous.get(
            gateway.url + "/api/v1/nothing-here/1", headers={"Accept-Language": "de, *;q=0.1"}
        )

    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["content-language"] == "ru"
    assert unauthenticated.json()["title"] == "Требуется авторизация"
    assert unauthenticated.json()["detail"] == "Нужен токен доступа (Bearer)"
    assert unknown.status_code == 404
    assert unknown.json()["title"] == "Topilmadi"
    assert (
        unknown.json()["detail"] == "/api/v1/nothing-here/1 yoʻliga hech bir xizmat javob bermaydi"
    )
    assert english.headers["content-language"] == "en"
    assert english.json()["detail"] == "no service answers /api/v1/nothing-here/1"
