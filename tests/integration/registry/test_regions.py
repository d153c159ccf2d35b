"""Regions: Uzbekistan's 14 divisions are seeded; the ministry adds others."""

from tests.integration.registry.conftest import MINISTRY, headers


async def test_the_fourteen_divisions_of_uzbekistan_are_seeded_with_three_languages(registry):
    regions = (await registry.get("/api/v1/regions", headers=MINISTRY)).json()["items"]
    codes = {r["code"] for r in regions}
    assert len(codes) == 14 and {"UZ-TK", "UZ-QR", "UZ-SA", "UZ-TO"} <= codes
    karakalpakstan = next(r for r in regions if r["code"] == "UZ-QR")
    assert karakalpakstan["name_ru"] == "Республика Каракалпакстан"
    assert all(r["name_uz"] and r["name_en"] for r in regions)


async def test_only_the_ministry_adds_a_region_and_its_code_must_fit_its_country(registry):
    body = {"country": "KZ", "name_uz": "Almati", "name_ru": "Алматы", "name_en": "Almaty"}
    refused = await registry.put(
        "/api/v1/regions/KZ-75", headers=headers("institution", org="x"), json=body
    )
    assert refused.status_code == 403
    wrong = await registry.put("/api/v1/regions/UZ-99", headers=MINISTRY, json=body)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["body", "code"]
    added = await registry.put("/api/v1/regions/KZ-75", headers=MINISTRY, json=body)
    assert added.status_code == 200 and added.json()["name"] == "Almaty"
    missing = await registry.get("/api/v1/regions/KZ-99", headers=MINISTRY)
    assert missing.status_code == 404
