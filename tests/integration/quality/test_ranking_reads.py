"""A ranking reads one small figure a unit and the rank stored beside it, extracted by the
database (SQLite's JSON_EXTRACT, PostgreSQL's #>), never every scorecard whole: decoding the
period's scorecards on each read of /quality/rankings was most of the slowest read under load
(bench/README.md, "Reads")."""

import re
from datetime import UTC, datetime
from functools import partial

from quality.domain.model import StoredScore
from quality.domain.ranking import RANK_LEVEL, RANKED_BY, Place
from quality.service_layer import reading
from quality.service_layer.unit_of_work import SqlQualityUnitOfWork
from sqlalchemy import event

from shared.platform.db.engine import create_engine, session_factory
from shared.platform.db.migrations import upgrade

PERIOD = 2025
# Satisfied of 40 each (no program groups are known: one group).
SATISFIED = {"p-a": 30, "p-b": 34, "p-c": 12}
# The figure's path extracted by the database (SQLite, PostgreSQL).
EXTRACTED = r"JSON_EXTRACT\(scores\.card, \?\)|scores\.card #> \$\d+"
STORED = {"p-a": Place(2, 1, 2), "p-b": Place(1, 1, 2), "p-c": Place(3, 3, 3)}


def figure(satisfied: int, n: int = 40) -> dict:
    share = satisfied / n
    return {
        "value": share,
        "n": n,
        "suppressed": False,
        "reason": None,
        "ci_low": share - 0.1,
        "ci_high": share + 0.1,
    }


def card(satisfied: int) -> dict:
    # The rest of a scorecard, large as a real one is, which a ranking must not read.
    rest = {"competencies": [{"code": f"C{i}", "mean": 3.5, "n": 40} for i in range(200)]}
    return {"indicators": {RANKED_BY: figure(satisfied), "preparedness": figure(20)}, **rest}


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
        async with uow() as writing:
            for program, satisfied in SATISFIED.items():
                await writing.scores.save(
                    StoredScore(
                        scope="program",
                        scope_id=program,
                        period=PERIOD,
                        pooled=False,
                        methodology_version=1,
                        card=card(satisfied),
                        computed_at=datetime.now(UTC),
                    )
                )
            await writing.scores.save_ranks("program", period=PERIOD, pooled=False, ranks=STORED)
            await writing.commit()

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
        program: (figure(satisfied), STORED[program]) for program, satisfied in SATISFIED.items()
    }
    assert [(r["scope_id"], r["rank"], r["rank_interval"]) for r in listed] == [
        ("p-b", 1, [1, 2]),
        ("p-a", 2, [1, 2]),
        ("p-c", 3, [3, 3]),
    ]
    assert [r["share"] for r in listed] == [34 / 40, 30 / 40, 12 / 40]
    # No statement selected the scorecard column whole: only the figure's path within it.
    assert selects
    for statement in selects:
        selected = statement.split(" FROM ")[0]
        assert "card" not in re.sub(EXTRACTED, "", selected), statement
