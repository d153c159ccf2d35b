"""A ranking reads one small figure a unit and the rank stored beside it, extracted by the
database (SQLite's JSON_EXTRACT, PostgreSQL's #>), never every scorecard whole: decoding the
period's scorecards on each read of /quality/rankings was most of the slowest read under load
(bench/README.md, "Reads")."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from quality.domain.model import StoredScore
from quality.domain.ranking import RANK_LEVEL, RANKED_BY, UNRANKED, Place
from quality.service_layer import reading
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import event

from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade
from tests.integration.quality.conftest import running_quality
from tests.integration.registry.conftest import MINISTRY

PERIOD = 2025
# No program groups are known: one group.
# Satisfied of n (p-d: too few to publish).
SATISFIED = {"p-a": (30, 40), "p-b": (34, 40), "p-c": (12, 40), "p-d": (2, 5)}
# The figure's path extracted by the database (SQLite, PostgreSQL).
EXTRACTED = r"JSON_EXTRACT\(scores\.card, \?\)|scores\.card #> \$\d+"
STORED = {"p-a": Place(2, 1, 2), "p-b": Place(1, 1, 2), "p-c": Place(3, 3, 3), "p-d": UNRANKED}


def figure(satisfied: int, n: int) -> dict:
    share = satisfied / n
    if n < 10:  # below the least n: withheld
        return {
            "value": None,
            "n": n,
            "suppressed": True,
            "reason": "fewer than 10",
            "ci_low": None,
            "ci_high": None,
        }
    return {
        "value": share,
        "n": n,
        "suppressed": False,
        "reason": None,
        "ci_low": share - 0.1,
        "ci_high": share + 0.1,
    }


def card(satisfied: int, n: int) -> dict:
    # The rest of a scorecard, large as a real one is, which a ranking must not read.
    rest = {"competencies": [{"code": f"C{i}", "mean": 3.5, "n": 40} for i in range(200)]}
    return {"indicators": {RANKED_BY: figure(satisfied, n), "preparedness": figure(20, 40)}, **rest}


async def store_scores(uow: Callable[[], SqlQualityUnitOfWork]) -> None:
    async with uow() as writing:
        for program, counts in SATISFIED.items():
            await writing.scores.save(
                StoredScore(
                    scope="program",
                    scope_id=program,
                    period=PERIOD,
                    pooled=False,
                    methodology_version=1,
                    card=card(*counts),
                    computed_at=datetime.now(UTC),
                )
            )
        await writing.scores.save_ranks("program", period=PERIOD, pooled=False, ranks=STORED)
        await writing.commit()


async def test_a_ranking_lists_stored_ranks_from_the_figure_alone(make_database_url):
    url = await make_database_url("quality")
    await upgrade("quality", url)
    engine = create_engine(url)
    selects: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "scores" in statement:
            selects.append(" ".join(statement.split()))

    try:
        uow = partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
        await store_scores(uow)

        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            async with uow() as reading_uow:
                rows = await reading_uow.scores.ranking_rows("program", period=PERIOD, pooled=False)
                listed = await reading.rankings(
                    reading_uow,
                    reading.LIVE,
                    scope="program",
                    period=PERIOD,
                    pooled=False,
                    level=RANK_LEVEL,
                )
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
    finally:
        await engine.dispose()

    assert {row.scope_id: (row.figure, row.place) for row in rows} == {
        program: (figure(*counts), STORED[program]) for program, counts in SATISFIED.items()
    }
    assert [(r["scope_id"], r["rank"], r["rank_interval"]) for r in listed] == [
        ("p-b", 1, [1, 2]),
        ("p-a", 2, [1, 2]),
        ("p-c", 3, [3, 3]),
        ("p-d", None, None),
    ]
    assert [r["share"] for r in listed] == [34 / 40, 30 / 40, 12 / 40, None]
    # No statement selected the scorecard column whole: only the figure's path within it.
    assert selects
    for statement in selects:
        selected = statement.split(" FROM ")[0]
        assert "card" not in re.sub(EXTRACTED, "", selected), statement


async def test_a_ranking_is_paged_as_every_list(make_database_url, broker):
    # Found (country-scale issue): /quality/rankings answered every unit of the period in one
    # page (5,350 programs at the country's size), without the ?limit=&cursor= of every list.
    url = await make_database_url("quality")
    async with running_quality(url, broker.bootstrap_servers) as quality:
        engine = quality.app.state.runtime.engine
        await store_scores(
            partial(SqlQualityUnitOfWork, session_factory(engine), service="quality")
        )
        path = f"/api/v1/quality/rankings?scope=program&period={PERIOD}"

        async def page(query: str) -> tuple[list[str], str | None]:
            response = await quality.get(f"{path}{query}", headers=MINISTRY)
            assert response.status_code == 200, response.text
            body = response.json()
            return [item["scope_id"] for item in body["items"]], body["next_cursor"]

        first, cursor = await page("&limit=2")
        assert first == ["p-b", "p-a"] and cursor is not None
        assert await page(f"&limit=2&cursor={cursor}") == (["p-c", "p-d"], None)
        assert await page("") == (["p-b", "p-a", "p-c", "p-d"], None)

        forged = await quality.get(f"{path}&cursor=bm90IGEga2V5", headers=MINISTRY)
        assert forged.status_code == 400, forged.text
        assert ["query", "cursor"] in [e["loc"] for e in forged.json()["errors"]]
